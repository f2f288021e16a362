"""Walk a PDF's content streams, following the graphics state, and say what they draw.

The walk follows q/Q, cm, line width, the text state and matrices and the
fill and stroke colour spaces into Form XObjects and tiling patterns, with
the CTM they are drawn with, and tells a listener what each stream draws as
events: a font selected, text shown, a path painted, a colour used, a
shading, an image, a form entered.  It renders nothing and judges nothing:
what a plant takes is for the listener (`rules`) to say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pikepdf

from .colour import DEVICE, GRAY, MAX_DEPTH, Space, device_space, entry, image_space, resolve_space
from .geometry import IDENTITY, Matrix, Rect, as_matrix, as_numbers, times, x_scale, y_scale

# --- events, in the order the streams draw -------------------------------------------


@dataclass(frozen=True)
class PageBegun:
    """The events after this one, up to the next, are the page's."""

    number: int  # 1-based
    group: Space | None  # the colour space of the page's transparency group


@dataclass(frozen=True)
class FontSelected:
    """A font made current, by Tf or by an ExtGState's /Font."""

    font: Any  # its font dictionary
    owner: str  # the labelled form (an ad) it is selected in, "" if none


@dataclass(frozen=True)
class TextShown:
    """A string that leaves marks: not invisible (Tr 3), not clip-only (Tr 7), not empty."""

    font: Any  # the current font dictionary, None if none was set
    size: float  # pt: the em square's height on the page (Tf size through Tm and the CTM)
    where: str  # " in form X" and the like, after an element's name


@dataclass(frozen=True)
class PathPainted:
    """A path with at least one segment, stroked or filled or both."""

    op: str  # the painting operator
    stroked: bool
    filled: bool
    even_odd: bool  # filled by the even-odd rule rather than nonzero winding
    line_width: float  # in the user space of `ctm`
    ctm: Matrix
    rects: tuple[Rect, ...]  # the path's rectangles when it is nothing else, else ()
    where: str


@dataclass(frozen=True)
class ColourUsed:
    """A colour operator: the space it selects or paints in, and the components it sets."""

    op: str
    space: Space
    values: tuple[float, ...] | None  # None for cs and CS, which set only the space
    stroke: bool
    where: str


@dataclass(frozen=True)
class ShadingPainted:
    """A shading, painted by sh or as a shading pattern's fill."""

    name: str  # of the shading or pattern resource
    pattern: bool
    space: Space
    function: Any  # its /Function, None if it has none
    where: str


@dataclass(frozen=True)
class FormEntered:
    """A Form XObject about to be walked; its own events follow."""

    name: str
    label: str  # "form <name>", or the label `walk` was given for it
    group: Space | None  # the colour space of its transparency group
    where: str  # outside the form


@dataclass(frozen=True)
class ImageDrawn:
    """An image (not a stencil mask) painted into the unit square of the CTM."""

    name: str | None  # of the XObject resource; None for an inline image
    width: int  # px
    height: int  # px
    placed: tuple[float, float]  # pt: the width and height the CTM gives it
    space: Space | None  # None if not known
    source: Any  # the image XObject's stream, or the inline image
    uncoloured: bool  # in an uncoloured pattern cell, whose colour is not its own
    where: str


Event = (
    PageBegun
    | FontSelected
    | TextShown
    | PathPainted
    | ColourUsed
    | ShadingPainted
    | FormEntered
    | ImageDrawn
)
Listener = Callable[[Event], None]


def walk(
    document: pikepdf.Pdf, listener: Listener, labels: Mapping[str, str] | None = None
) -> None:
    """Tell `listener` what every page of `document` draws, page by page, in stream order.

    `labels` names forms a page draws directly (resource name → label, e.g. "Ad1" →
    "ad 1 (bank.pdf)"): elements inside one say the label instead of "form Ad1".
    """
    for number, page in enumerate(document.pages, start=1):
        resources = _inherited(page.obj, "/Resources")
        unit = float(page.obj.get("/UserUnit", 1))
        group = entry(page.obj.get("/Group"), "/CS")
        listener(PageBegun(number, None if group is None else resolve_space(group, resources)))
        state = _State((unit, 0.0, 0.0, unit, 0.0, 0.0))
        _Stream(_Page(listener, dict(labels or {})), resources, state, "", 0).execute(
            pikepdf.parse_content_stream(page)
        )


def _inherited(page: Any, key: str) -> Any:
    node, hops = page, 0
    while node is not None and hops < MAX_DEPTH:
        if key in node:
            return node[key]
        node, hops = node.get("/Parent"), hops + 1
    return None


# --- the walk ------------------------------------------------------------------------


@dataclass
class _State:
    """The part of the graphics state the events report (saved by q, restored by Q)."""

    ctm: Matrix
    line_width: float = 1.0
    fill: Space = GRAY
    stroke: Space = GRAY
    font: Any = None
    font_size: float = 0.0
    leading: float = 0.0
    render: int = 0


@dataclass
class _Page:
    listener: Listener
    labels: dict[str, str]  # of forms the page draws directly
    patterns: set = field(default_factory=set)  # (pattern, CTM) walked: each cell once


FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKES = {"S", "s", "B", "B*", "b", "b*"}
EVEN_ODD = {"f*", "B*", "b*"}
PATH_ENDS = FILLS | STROKES | {"n"}
SEGMENTS = {"m", "l", "c", "v", "y", "h"}
SHOWS = {"Tj", "TJ", "'", '"'}
INVISIBLE = {3, 7}  # Tr: neither fill nor stroke
OPERATORS = {
    "q": "op_save",
    "Q": "op_restore",
    "cm": "op_transform",
    "w": "op_line_width",
    "gs": "op_extgstate",
    "BT": "op_begin_text",
    "Tf": "op_font",
    "Tm": "op_text_matrix",
    "Td": "op_move",
    "TD": "op_move_leading",
    "T*": "op_next_line",
    "TL": "op_leading",
    "Tr": "op_render_mode",
    "Do": "op_do",
    "sh": "op_shading",
    **dict.fromkeys(("g", "G", "rg", "RG", "k", "K"), "op_colour"),
    **dict.fromkeys(("cs", "CS"), "op_colour_space"),
    **dict.fromkeys(("sc", "scn", "SC", "SCN"), "op_colour_values"),
}


class _Path:
    """The path under construction: whether it has a segment, and its rectangles."""

    def __init__(self) -> None:
        self.rects: list[Rect] = []
        self.only_rects = True  # nothing but rectangles so far
        self.drawn = False  # a segment that paints: more than a move or a close

    def segment(self, op: str) -> None:
        self.only_rects = False
        self.drawn = self.drawn or op not in ("m", "h")

    def rectangle(self, operands: Any) -> None:
        numbers = as_numbers(operands)
        if len(numbers) == 4:
            self.rects.append((numbers[0], numbers[1], numbers[2], numbers[3]))
            self.drawn = True


class _Text:
    """The text operators of a stream: text state, text and line matrices, text shown.

    A mixin of `_Stream`, whose graphics state, resources and listener it uses.
    """

    state: _State
    resources: Any
    where: str
    owner: str
    emit: Listener
    tm: Matrix  # the text matrix
    tlm: Matrix  # the text line matrix

    def op_begin_text(self, op: str, operands: Any) -> None:
        self.tm = self.tlm = IDENTITY

    def op_font(self, op: str, operands: Any) -> None:
        if len(operands) == 2:
            self.set_font(
                entry(entry(self.resources, "/Font"), str(operands[0])), float(operands[1])
            )

    def set_font(self, font: Any, size: float) -> None:
        self.state.font, self.state.font_size = font, size
        if font is not None:
            self.emit(FontSelected(font, self.owner))

    def op_text_matrix(self, op: str, operands: Any) -> None:
        matrix = as_matrix(operands)
        if matrix is not None:
            self.tm = self.tlm = matrix

    def op_move(self, op: str, operands: Any) -> None:
        numbers = as_numbers(operands)
        if len(numbers) == 2:
            self.tm = self.tlm = times((1.0, 0.0, 0.0, 1.0, numbers[0], numbers[1]), self.tlm)

    def op_move_leading(self, op: str, operands: Any) -> None:
        numbers = as_numbers(operands)
        if len(numbers) == 2:
            self.state.leading = -numbers[1]
            self.op_move(op, operands)

    def op_next_line(self, op: str, operands: Any) -> None:
        self.tm = self.tlm = times((1.0, 0.0, 0.0, 1.0, 0.0, -self.state.leading), self.tlm)

    def op_leading(self, op: str, operands: Any) -> None:
        numbers = as_numbers(operands)
        if numbers:
            self.state.leading = numbers[0]

    def op_render_mode(self, op: str, operands: Any) -> None:
        numbers = as_numbers(operands)
        if numbers:
            self.state.render = int(numbers[0])

    def show(self, op: str, operands: Any) -> None:
        if op in ("'", '"'):
            self.op_next_line(op, operands)
        if not operands or self.state.render in INVISIBLE or not _has_text(operands[-1]):
            return
        size = abs(self.state.font_size) * y_scale(times(self.tm, self.state.ctm))
        self.emit(TextShown(self.state.font, size, self.where))


class _Stream(_Text):
    """One content stream (a page, a form or a pattern cell), walked."""

    def __init__(
        self,
        page: _Page,
        resources: Any,
        state: _State,
        where: str,
        depth: int,
        *,
        uncoloured: bool = False,
        owner: str = "",
    ) -> None:
        self.page = page
        self.emit = page.listener
        self.resources = resources
        self.state = state
        self.base = state.ctm  # the stream's default space, which patterns are placed in
        self.where = where  # " in form X" and the like, for elements
        self.depth = depth
        self.uncoloured = uncoloured  # a PaintType 2 pattern cell: colour operators ignored
        self.owner = owner  # the labelled form this stream is in, "" if none
        self.saved: list[_State] = []
        self.tm = self.tlm = IDENTITY
        self.path = _Path()

    def execute(self, instructions: Iterable) -> None:
        for instruction in instructions:
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                self.image(instruction.iimage.obj, None, instruction.iimage)
                continue
            op = str(instruction.operator)
            operands = instruction.operands
            if op in SHOWS:
                self.show(op, operands)
            elif op in PATH_ENDS:
                self.paint(op)
            elif op in SEGMENTS:
                self.path.segment(op)
            elif op == "re":
                self.path.rectangle(operands)
            elif op in OPERATORS:
                getattr(self, OPERATORS[op])(op, operands)

    # graphics state

    def op_save(self, op: str, operands: Any) -> None:
        self.saved.append(replace(self.state))

    def op_restore(self, op: str, operands: Any) -> None:
        if self.saved:
            self.state = self.saved.pop()

    def op_transform(self, op: str, operands: Any) -> None:
        matrix = as_matrix(operands)
        if matrix is not None:
            self.state.ctm = times(matrix, self.state.ctm)

    def op_line_width(self, op: str, operands: Any) -> None:
        numbers = as_numbers(operands)
        if numbers:
            self.state.line_width = numbers[0]

    def op_extgstate(self, op: str, operands: Any) -> None:
        extgstate = (
            entry(entry(self.resources, "/ExtGState"), str(operands[0])) if operands else None
        )
        if extgstate is None:
            return
        if "/LW" in extgstate:
            self.state.line_width = float(extgstate["/LW"])
        font = extgstate.get("/Font")
        if font is not None and len(font) == 2:
            self.set_font(font[0], float(font[1]))

    def paint(self, op: str) -> None:
        path, self.path = self.path, _Path()
        if path.drawn and op != "n":
            rects = tuple(path.rects) if path.only_rects else ()
            how = (op in STROKES, op in FILLS, op in EVEN_ODD)
            self.emit(
                PathPainted(op, *how, self.state.line_width, self.state.ctm, rects, self.where)
            )

    # colour

    def op_colour(self, op: str, operands: Any) -> None:
        if self.uncoloured:
            return
        space = DEVICE[{"g": "/G", "rg": "/RGB", "k": "/CMYK"}[op.lower()]]
        space = device_space(space, self.resources)
        stroke = op.isupper()
        if stroke:
            self.state.stroke = space
        else:
            self.state.fill = space
        self.emit(ColourUsed(op, space, tuple(as_numbers(operands)), stroke, self.where))

    def op_colour_space(self, op: str, operands: Any) -> None:
        if self.uncoloured or not operands:
            return
        space = resolve_space(operands[0], self.resources)
        if op == "CS":
            self.state.stroke = space
        else:
            self.state.fill = space
        self.emit(ColourUsed(op, space, None, op == "CS", self.where))

    def op_colour_values(self, op: str, operands: Any) -> None:
        if self.uncoloured:
            return
        stroke = op.isupper()
        space = self.state.stroke if stroke else self.state.fill
        names = [o for o in operands if isinstance(o, pikepdf.Name)]
        values = tuple(as_numbers(operands))
        if space.family == "pattern" and names:
            self.pattern(str(names[-1]), space, values, op)
            return
        self.emit(ColourUsed(op, space, values, stroke, self.where))

    def pattern(self, name: str, space: Space, values: tuple[float, ...], op: str) -> None:
        pattern = entry(entry(self.resources, "/Pattern"), name)
        if pattern is None:
            return
        if space.base is not None and values:  # an uncoloured pattern's colour
            self.emit(ColourUsed(op, space.base, values, op.isupper(), self.where))
        if int(pattern.get("/PatternType", 0)) == 2:
            self.shading(entry(pattern, "/Shading"), name[1:], pattern=True)
            return
        matrix = as_matrix(pattern.get("/Matrix", [])) or IDENTITY
        ctm = times(matrix, self.base)
        key = (pattern.objgen, ctm)
        if key in self.page.patterns or self.depth >= MAX_DEPTH:
            return
        self.page.patterns.add(key)
        uncoloured = int(pattern.get("/PaintType", 1)) == 2
        where = f" in pattern {name[1:]}"
        self.nested(pattern, _State(ctm), where, uncoloured=uncoloured, owner=self.owner)

    def op_shading(self, op: str, operands: Any) -> None:
        if operands:
            name = str(operands[0])
            self.shading(entry(entry(self.resources, "/Shading"), name), name[1:], pattern=False)

    def shading(self, shading: Any, name: str, *, pattern: bool) -> None:
        if shading is None or self.uncoloured:
            return
        space = resolve_space(shading.get("/ColorSpace"), self.resources)
        function = shading.get("/Function")
        self.emit(ShadingPainted(name, pattern, space, function, self.where))

    # XObjects

    def op_do(self, op: str, operands: Any) -> None:
        if not operands:
            return
        name = str(operands[0])
        xobject = entry(entry(self.resources, "/XObject"), name)
        if xobject is None:
            return
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.image(xobject, name[1:], xobject)
        elif subtype == "/Form" and self.depth < MAX_DEPTH:
            self.form(xobject, name[1:])

    def form(self, xobject: Any, name: str) -> None:
        matrix = as_matrix(xobject.get("/Matrix", [])) or IDENTITY
        group = entry(xobject.get("/Group"), "/CS")
        space = None if group is None else resolve_space(group, self.resources)
        labelled = self.page.labels.get(name) if self.depth == 0 else None
        label = labelled or f"form {name}"
        self.emit(FormEntered(name, label, space, self.where))
        state = replace(self.state, ctm=times(matrix, self.state.ctm))
        where = f" in {label}" + self.where
        self.nested(xobject, state, where, uncoloured=self.uncoloured, owner=labelled or self.owner)

    def nested(
        self, stream: Any, state: _State, where: str, *, uncoloured: bool, owner: str
    ) -> None:
        resources = stream.get("/Resources") or self.resources
        try:
            instructions = pikepdf.parse_content_stream(stream)
        except pikepdf.PdfError:
            return
        depth = self.depth + 1
        run = _Stream(self.page, resources, state, where, depth, uncoloured=uncoloured, owner=owner)
        run.execute(instructions)

    def image(self, info: Any, name: str | None, source: Any) -> None:
        if bool(info.get("/ImageMask", False)):
            return  # a stencil painted in the fill colour, already reported as such
        width, height = int(info.get("/Width", 0)), int(info.get("/Height", 0))
        space = image_space(info, source, self.resources)
        placed = (x_scale(self.state.ctm), y_scale(self.state.ctm))
        drawn = ImageDrawn(name, width, height, placed, space, source, self.uncoloured, self.where)
        self.emit(drawn)


def _has_text(operand: Any) -> bool:
    if isinstance(operand, pikepdf.Array):
        return any(isinstance(item, pikepdf.String) and len(bytes(item)) for item in operand)
    return isinstance(operand, pikepdf.String) and len(bytes(operand)) > 0
