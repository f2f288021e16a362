"""Preflight a print PDF the way the print plant does, by reading it back.

A plant takes a newspaper page only as PDF/X with every font embedded, in
CMYK, under the ink limit of newsprint.  `preflight` walks every page's
content stream with pikepdf, following the graphics state (q/Q, cm, line
width, text state and matrices, fill and stroke colour spaces) into Form
XObjects and tiling patterns with the CTM they are drawn with, and returns
every finding; the build fails on any error.  Nothing is rendered.

The checks (`Finding.check`):

- font-not-embedded: a font shown with Tf (or set by an ExtGState), in a form
  too, has no FontFile/FontFile2/FontFile3 (for Type0, on its descendant);
  Type3 fonts are their own glyph programs and count as embedded.
- rgb-colour (PDF/X-1a: RGB or Lab of any kind; PDF/X-4: DeviceRGB used
  directly, i.e. with no DefaultRGB) and spot-colour (a Separation or DeviceN
  with a colorant other than Cyan, Magenta, Yellow, Black, None or All): in
  colour operators, images, shadings and transparency groups; once per page,
  element and colour space.  Without a target these are not looked at.
- total-ink (with a target): a CMYK fill or stroke colour, an axial or radial
  shading's end colours, and every pixel of a CMYK image, against `ink_limit`.
- image-resolution: pixels over the placed size (from the CTM at Do), the
  lower of the two axes; stencil masks, soft masks and images under 16 px
  on a side (rules, dots, gradient strips: decoration, never a photo) are
  not measured.
- small-text: Tf size times the vertical scale of text matrix and CTM, under
  6 pt; invisible (Tr 3) and clip-only (Tr 7) text and empty strings skipped.
- hairline: a stroke whose line width times the CTM's smallest scale is under
  0.1 pt, width 0 (the device's thinnest line) included; and, since WeasyPrint
  draws every CSS border and rule as a filled shape, never a stroke, a filled
  rectangle or rectangle frame (the `re re f*` of a border) thinner than that.

Not looked for: overset.  The composer finds it before a PDF exists and the
build refuses overset copy (`compose.FitError`), so no PDF that reaches the
preflight can have any.  Also not covered: annotations, soft-mask groups
(they are not printed), Type3 glyph procedures, the ink of mesh shadings and
of Indexed images, and whether a transparency group is allowed (PDF/X-1a has
none).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pikepdf

from ..verify.pdfread import has_font_file

TARGETS = {"x-4": "PDF/X-4", "x-1a": "PDF/X-1a"}
MIN_PPI = 150.0  # error under
GOOD_PPI = 200.0  # warning under
MIN_TEXT = 6.0  # pt
MIN_LINE = 0.1  # pt
DECORATION_PX = 16  # images narrower or shorter than this are not photos
PROCESS_COLORANTS = frozenset({"Cyan", "Magenta", "Yellow", "Black"})
NO_INK = "None"
EVERY_INK = "All"  # registration: every plate of the press
MAX_DEPTH = 24  # nested forms and patterns
EPSILON = 1e-6  # pt: rounding in the content stream's numbers

MESSAGES = {
    "font-not-embedded": "{element}: {value}, needs {limit}",
    "rgb-colour": "{element} in {value}: not allowed in {limit}",
    "spot-colour": "{element} in {value}: not allowed on {limit}",
    "image-resolution": "{element} at {value}: under {limit}",
    "total-ink": "{element} at {value}: over {limit}",
    "small-text": "{element} at {value}: under {limit}",
    "hairline": "{element} of width {value}: under {limit}",
}


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    check: str  # a key of MESSAGES
    page: int  # 1-based
    element: str  # what it is: font, image and its pixels, operator, with the form it is in
    value: str  # what was found, with its unit
    limit: str

    def __str__(self) -> str:
        what = MESSAGES[self.check].format(element=self.element, value=self.value, limit=self.limit)
        return f"page {self.page}: {what} ({self.severity})"


@dataclass
class Preflight:
    findings: list[Finding] = field(default_factory=list)
    target: str | None = None
    ink_limit: float = 240.0
    pages: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def summary(self) -> str:
        what = TARGETS.get(self.target or "", "plain PDF")
        head = f"preflight ({what}) of {self.pages} page{'s' if self.pages != 1 else ''}"
        if not self.findings:
            return f"{head}: no findings"
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.check] = counts.get(finding.check, 0) + 1
        checks = ", ".join(f"{check} {count}" for check, count in counts.items())
        return (
            f"{head}: {_plural(len(self.errors), 'error')}, "
            f"{_plural(len(self.warnings), 'warning')} ({checks})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "ink_limit": self.ink_limit,
            "pages": self.pages,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [{**asdict(f), "message": str(f)} for f in self.findings],
        }


def preflight(pdf: bytes, *, target: str | None, ink_limit: float = 240.0) -> Preflight:
    """Every finding on every page of `pdf`, for `target` "x-4", "x-1a" or None (plain PDF)."""
    if target is not None and target not in TARGETS:
        raise ValueError(f"unknown preflight target {target!r}; use one of {sorted(TARGETS)}")
    findings = _Findings()
    inks: dict[tuple[int, int], tuple[float, float] | None] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            _check_page(_PageCheck(number, target, ink_limit, findings, inks), page)
        pages = len(document.pages)
    return Preflight(findings.sorted(), target, ink_limit, pages)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _num(x: float) -> str:
    """A measurement as a report prints it: at most two decimals, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class _Findings:
    """Findings keyed by (page, check, element[, value]); the worst of each kept."""

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[float, int, Finding]] = {}

    def add(self, finding: Finding, *, badness: float = 0.0, per_value: bool = False) -> None:
        key = (finding.page, finding.check, finding.element) + (
            (finding.value,) if per_value else ()
        )
        kept = self._kept.get(key)
        if kept is None or badness > kept[0]:
            order = kept[1] if kept else len(self._kept)
            self._kept[key] = (badness, order, finding)

    def sorted(self) -> list[Finding]:
        return [f for _, _, f in sorted(self._kept.values(), key=lambda k: (k[2].page, k[1]))]


# --- matrices: (a, b, c, d, e, f), PDF's row-vector convention -------------------

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m then n: the matrix that applies m first (as `m cm` does to a CTM n)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _matrix(values: Iterable) -> Matrix | None:
    numbers = _numbers(values)
    return tuple(numbers) if len(numbers) == 6 else None  # type: ignore[return-value]


def _x_scale(m: Matrix) -> float:
    return math.hypot(m[0], m[1])


def _y_scale(m: Matrix) -> float:
    return math.hypot(m[2], m[3])


def _min_scale(m: Matrix) -> float:
    """The smallest singular value: how thin a line of width 1 can come out."""
    a, b, c, d = m[:4]
    total = a * a + b * b + c * c + d * d
    det = abs(a * d - b * c)
    largest = math.sqrt((total + math.sqrt(max(total * total - 4 * det * det, 0.0))) / 2)
    return det / largest if largest else 0.0


def _numbers(values: Iterable) -> list[float]:
    out = []
    for value in values:
        try:
            out.append(float(value))
        except (TypeError, ValueError):
            continue
    return out


# --- colour spaces ---------------------------------------------------------------


@dataclass(frozen=True)
class _Space:
    name: str  # as the report names it
    family: str  # gray rgb cmyk lab separation devicen indexed pattern other
    device: bool = False  # DeviceGray/RGB/CMYK used as such
    colorants: tuple[str, ...] = ()
    base: _Space | None = None  # of Indexed and uncoloured Pattern spaces
    palette: bytes = b""  # Indexed


GRAY = _Space("DeviceGray", "gray", device=True)
DEVICE = {
    "/DeviceGray": GRAY,
    "/G": GRAY,
    "/DeviceRGB": _Space("DeviceRGB", "rgb", device=True),
    "/RGB": _Space("DeviceRGB", "rgb", device=True),
    "/DeviceCMYK": _Space("DeviceCMYK", "cmyk", device=True),
    "/CMYK": _Space("DeviceCMYK", "cmyk", device=True),
}
DEFAULTS = {"gray": "/DefaultGray", "rgb": "/DefaultRGB", "cmyk": "/DefaultCMYK"}
ICC_FAMILIES = {1: "gray", 3: "rgb", 4: "cmyk"}
CALIBRATED = {"/CalGray": "gray", "/CalRGB": "rgb", "/CalCMYK": "cmyk", "/Lab": "lab"}


def _space(obj: Any, resources: Any, depth: int = 0) -> _Space:
    """The colour space `obj` names or is, through the resources' /ColorSpace."""
    if depth <= MAX_DEPTH and isinstance(obj, pikepdf.Name):
        return _named_space(str(obj), resources, depth)
    if depth <= MAX_DEPTH and isinstance(obj, pikepdf.Array) and len(obj) > 0:
        return _array_space(obj, resources, depth)
    return _Space(str(obj), "other")


def _named_space(key: str, resources: Any, depth: int) -> _Space:
    if key in DEVICE:
        return _device(DEVICE[key], resources)
    if key == "/Pattern":
        return _Space("Pattern", "pattern")
    named = _get(_get(resources, "/ColorSpace"), key)
    return _Space(key[1:], "other") if named is None else _space(named, resources, depth + 1)


def _device(space: _Space, resources: Any) -> _Space:
    """A device space, or the Default space the resources map it to (PDF 8.6.5.6)."""
    default = _get(_get(resources, "/ColorSpace"), DEFAULTS[space.family])
    if not isinstance(default, pikepdf.Array) or len(default) < 2:
        return space
    return _array_space(default, None, MAX_DEPTH)


def _array_space(obj: Any, resources: Any, depth: int) -> _Space:
    kind = str(obj[0])
    if len(obj) == 1:
        return _space(obj[0], resources, depth + 1)
    if kind in CALIBRATED:
        return _Space(kind[1:], CALIBRATED[kind])
    make = ARRAY_SPACES.get(kind)
    return _Space(kind[1:], "other") if make is None else make(obj, resources, depth + 1)


def _icc_space(obj: Any, resources: Any, depth: int) -> _Space:
    family = ICC_FAMILIES.get(int(obj[1].get("/N", 0)), "other")
    return _Space(f"ICCBased {family.upper() if family != 'gray' else 'Gray'}", family)


def _indexed_space(obj: Any, resources: Any, depth: int) -> _Space:
    base = _space(obj[1], resources, depth)
    lookup = obj[3] if len(obj) >= 4 else b""
    table = lookup.read_bytes() if isinstance(lookup, pikepdf.Stream) else bytes(lookup)
    return _Space(f"Indexed {base.name}", "indexed", base=base, palette=table)


def _separation_space(obj: Any, resources: Any, depth: int) -> _Space:
    colorant = str(obj[1])[1:]
    return _Space(f"Separation {colorant}", "separation", colorants=(colorant,))


def _devicen_space(obj: Any, resources: Any, depth: int) -> _Space:
    colorants = tuple(str(name)[1:] for name in obj[1])
    return _Space(f"DeviceN ({', '.join(colorants)})", "devicen", colorants=colorants)


def _pattern_space(obj: Any, resources: Any, depth: int) -> _Space:
    return _Space("Pattern", "pattern", base=_space(obj[1], resources, depth))


ARRAY_SPACES = {
    "/ICCBased": _icc_space,
    "/Indexed": _indexed_space,
    "/I": _indexed_space,
    "/Separation": _separation_space,
    "/DeviceN": _devicen_space,
    "/Pattern": _pattern_space,
}


def _colour_problem(space: _Space, target: str | None) -> tuple[str, str] | None:
    """(check, limit) if `space` may not be printed for `target`."""
    if target is None:
        return None
    if space.base is not None:
        return _colour_problem(space.base, target)
    if space.family in ("separation", "devicen"):
        spot = not set(space.colorants) <= PROCESS_COLORANTS | {NO_INK, EVERY_INK}
        return ("spot-colour", "a 4-colour (CMYK) press") if spot else None
    if target == "x-1a":
        forbidden = space.family in ("rgb", "lab")
    else:  # PDF/X-4 takes calibrated RGB and Lab: the output intent says how to separate them
        forbidden = space.family == "rgb" and space.device
    return ("rgb-colour", TARGETS[target]) if forbidden else None


def _ink(space: _Space, values: list[float]) -> float | None:
    """Total ink of a colour in %, or None if `space` is not printed in inks."""
    if space.family == "cmyk" and len(values) >= 4:
        return sum(min(max(v, 0.0), 1.0) for v in values[:4]) * 100
    if space.family in ("separation", "devicen"):
        weights = [0 if c == NO_INK else 4 if c == EVERY_INK else 1 for c in space.colorants]
        return sum(w * min(max(v, 0.0), 1.0) for w, v in zip(weights, values, strict=False)) * 100
    if space.family == "indexed" and space.base is not None and values:
        n = {"cmyk": 4, "separation": 1, "devicen": len(space.base.colorants)}.get(
            space.base.family
        )
        if n is None:
            return None
        index = int(values[0])
        entry = space.palette[index * n : (index + 1) * n]
        return _ink(space.base, [b / 255 for b in entry]) if len(entry) == n else None
    if space.family == "pattern" and space.base is not None:
        return _ink(space.base, values)
    return None


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    try:
        return obj.get(key)
    except (AttributeError, TypeError, ValueError):
        return None


# --- fonts -----------------------------------------------------------------------


def _font_name(font: Any) -> str:
    subtype = str(font.get("/Subtype", "/Font"))[1:]
    descendants = font.get("/DescendantFonts")
    if descendants is not None and len(descendants):
        subtype += "/" + str(descendants[0].get("/Subtype", "/Font"))[1:]
    return f"{str(font.get('/BaseFont', '/unnamed'))[1:]} ({subtype})"


def _embedded(font: Any) -> bool:
    """Type3 glyphs are content streams of the PDF itself; other fonts need their program."""
    return font.get("/Subtype") == "/Type3" or has_font_file(font)


# --- images ----------------------------------------------------------------------


def _image_ink(image: Any, limit: float) -> tuple[float, float] | None:
    """(highest total ink %, share of pixels over `limit` in %) of a CMYK image.

    Pillow reads every CMYK JPEG with Adobe's inverted polarity; the PDF means
    the stored samples, mapped by /Decode (Adobe's inverted JPEGs carry
    [1 0 1 0 1 0 1 0]), so a DCT image is inverted back before /Decode applies.
    """
    try:
        pim = image if isinstance(image, pikepdf.PdfInlineImage) else pikepdf.PdfImage(image)
        pil = pim.as_pil_image(apply_decode_array=False, apply_mask=False)
    except (
        pikepdf.PdfError,
        pikepdf.UnsupportedImageTypeError,
        pikepdf.DecompressionBombError,
        NotImplementedError,
        ValueError,
        OSError,
    ):
        return None  # a stream that cannot be decoded has no ink to measure here
    try:
        if pil.mode != "CMYK":
            return None
        samples = np.asarray(pil)
    finally:
        pil.close()
    decode = _numbers(pim.obj.get("/Decode") or [])
    ranges = [
        (decode[2 * i], decode[2 * i + 1]) if len(decode) >= 8 else (0.0, 1.0) for i in range(4)
    ]
    if "/DCTDecode" in [str(f) for f in pim.filters]:
        ranges = [(high, low) for low, high in ranges]
    total = np.zeros(samples.shape[:2], dtype=np.float32)
    for channel, (low, high) in enumerate(ranges):
        total += np.clip(low + (high - low) * samples[..., channel] / np.float32(255), 0, 1)
    total *= 100
    highest = float(total.max()) if total.size else 0.0
    over = float(np.count_nonzero(total > limit + 0.5) / total.size * 100) if total.size else 0.0
    return highest, over


# --- the walk --------------------------------------------------------------------


@dataclass
class _State:
    """The part of the graphics state the checks read (saved by q, restored by Q)."""

    ctm: Matrix
    line_width: float = 1.0
    fill: _Space = GRAY
    stroke: _Space = GRAY
    font: Any = None
    font_size: float = 0.0
    leading: float = 0.0
    render: int = 0


@dataclass
class _PageCheck:
    number: int
    target: str | None
    ink_limit: float
    findings: _Findings
    inks: dict  # image (objid, gen) → its ink, decoded once per document
    fonts_seen: set = field(default_factory=set)
    patterns_seen: set = field(default_factory=set)

    def add(
        self,
        check: str,
        element: str,
        value: str,
        limit: str,
        *,
        badness: float = 0.0,
        severity: str = "error",
        per_value: bool = False,
    ) -> None:
        finding = Finding(severity, check, self.number, element, value, limit)
        self.findings.add(finding, badness=badness, per_value=per_value)

    def colour(self, element: str, space: _Space) -> None:
        problem = _colour_problem(space, self.target)
        if problem is not None:
            self.add(problem[0], element, space.name, problem[1], per_value=True)

    def ink(self, element: str, total: float | None, detail: str = "") -> None:
        if self.target is None or total is None or total <= self.ink_limit + 0.5:
            return
        self.add(
            "total-ink",
            element,
            f"{_num(total)} %{detail}",
            f"{_num(self.ink_limit)} %",
            badness=total,
        )


def _check_page(check: _PageCheck, page: pikepdf.Page) -> None:
    resources = _inherited(page.obj, "/Resources")
    unit = float(page.obj.get("/UserUnit", 1))
    group = _get(page.obj.get("/Group"), "/CS")
    if group is not None:
        check.colour("page transparency group", _space(group, resources))
    _Run(check, resources, _State((unit, 0.0, 0.0, unit, 0.0, 0.0)), "", 0).execute(
        pikepdf.parse_content_stream(page)
    )


def _inherited(page: Any, key: str) -> Any:
    node, hops = page, 0
    while node is not None and hops < MAX_DEPTH:
        if key in node:
            return node[key]
        node, hops = node.get("/Parent"), hops + 1
    return None


FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKES = {"S", "s", "B", "B*", "b", "b*"}
EVEN_ODD = {"f*", "B*", "b*"}
PATH_ENDS = FILLS | STROKES | {"n"}
SHOWS = {"Tj", "TJ", "'", '"'}
INVISIBLE = {3, 7}  # Tr: neither fill nor stroke


class _Run:
    """One content stream (a page, a form or a pattern cell) executed for the checks."""

    def __init__(
        self,
        check: _PageCheck,
        resources: Any,
        state: _State,
        where: str,
        depth: int,
        *,
        uncoloured: bool = False,
    ) -> None:
        self.check = check
        self.resources = resources
        self.state = state
        self.base = state.ctm  # the stream's default space, which patterns are placed in
        self.where = where  # " in form X" and the like, for elements
        self.depth = depth
        self.uncoloured = uncoloured  # a PaintType 2 pattern cell: colour operators ignored
        self.saved: list[_State] = []
        self.tm = self.tlm = IDENTITY
        self.rects: list[tuple[float, float, float, float]] = []
        self.only_rects = True
        self.drawn = False  # the path has a segment
        self.handlers = {
            "q": self.op_save,
            "Q": self.op_restore,
            "cm": self.op_transform,
            "w": self.op_line_width,
            "gs": self.op_extgstate,
            "BT": self.op_begin_text,
            "Tf": self.op_font,
            "Tm": self.op_text_matrix,
            "Td": self.op_move,
            "TD": self.op_move_leading,
            "T*": self.op_next_line,
            "TL": self.op_leading,
            "Tr": self.op_render_mode,
            "Do": self.op_do,
            "sh": self.op_shading,
            "re": self.op_rectangle,
            "g": self.op_colour,
            "G": self.op_colour,
            "rg": self.op_colour,
            "RG": self.op_colour,
            "k": self.op_colour,
            "K": self.op_colour,
            "cs": self.op_colour_space,
            "CS": self.op_colour_space,
            "sc": self.op_colour_values,
            "scn": self.op_colour_values,
            "SC": self.op_colour_values,
            "SCN": self.op_colour_values,
        }

    def execute(self, instructions: Iterable) -> None:
        for instruction in instructions:
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                self.inline_image(instruction.iimage)
                continue
            op = str(instruction.operator)
            operands = instruction.operands
            if op in SHOWS:
                self.show(op, operands)
            elif op in PATH_ENDS:
                self.paint(op)
            elif op in ("m", "l", "c", "v", "y", "h"):
                self.only_rects = False
                self.drawn = self.drawn or op not in ("m", "h")
            else:
                handler = self.handlers.get(op)
                if handler is not None:
                    handler(op, operands)

    def element(self, what: str) -> str:
        return what + self.where

    # graphics state

    def op_save(self, op: str, operands: Any) -> None:
        self.saved.append(replace(self.state))

    def op_restore(self, op: str, operands: Any) -> None:
        if self.saved:
            self.state = self.saved.pop()

    def op_transform(self, op: str, operands: Any) -> None:
        matrix = _matrix(operands)
        if matrix is not None:
            self.state.ctm = _times(matrix, self.state.ctm)

    def op_line_width(self, op: str, operands: Any) -> None:
        numbers = _numbers(operands)
        if numbers:
            self.state.line_width = numbers[0]

    def op_extgstate(self, op: str, operands: Any) -> None:
        extgstate = _get(_get(self.resources, "/ExtGState"), str(operands[0])) if operands else None
        if extgstate is None:
            return
        if "/LW" in extgstate:
            self.state.line_width = float(extgstate["/LW"])
        font = extgstate.get("/Font")
        if font is not None and len(font) == 2:
            self.set_font(font[0], float(font[1]))

    # text

    def op_begin_text(self, op: str, operands: Any) -> None:
        self.tm = self.tlm = IDENTITY

    def op_font(self, op: str, operands: Any) -> None:
        if len(operands) == 2:
            self.set_font(_get(_get(self.resources, "/Font"), str(operands[0])), float(operands[1]))

    def set_font(self, font: Any, size: float) -> None:
        self.state.font, self.state.font_size = font, size
        if font is None:
            return
        key = font.objgen if font.is_indirect else id(font)
        if key in self.check.fonts_seen:
            return
        self.check.fonts_seen.add(key)
        if not _embedded(font):
            self.check.add(
                "font-not-embedded",
                f"font {_font_name(font)}",
                "not embedded",
                "FontFile, FontFile2 or FontFile3",
            )

    def op_text_matrix(self, op: str, operands: Any) -> None:
        matrix = _matrix(operands)
        if matrix is not None:
            self.tm = self.tlm = matrix

    def op_move(self, op: str, operands: Any) -> None:
        numbers = _numbers(operands)
        if len(numbers) == 2:
            self.tm = self.tlm = _times((1.0, 0.0, 0.0, 1.0, numbers[0], numbers[1]), self.tlm)

    def op_move_leading(self, op: str, operands: Any) -> None:
        numbers = _numbers(operands)
        if len(numbers) == 2:
            self.state.leading = -numbers[1]
            self.op_move(op, operands)

    def op_next_line(self, op: str, operands: Any) -> None:
        self.tm = self.tlm = _times((1.0, 0.0, 0.0, 1.0, 0.0, -self.state.leading), self.tlm)

    def op_leading(self, op: str, operands: Any) -> None:
        numbers = _numbers(operands)
        if numbers:
            self.state.leading = numbers[0]

    def op_render_mode(self, op: str, operands: Any) -> None:
        numbers = _numbers(operands)
        if numbers:
            self.state.render = int(numbers[0])

    def show(self, op: str, operands: Any) -> None:
        if op in ("'", '"'):
            self.op_next_line(op, operands)
        if not operands or self.state.render in INVISIBLE or not _has_text(operands[-1]):
            return
        # the em square's height on the page: Tf size through the text matrix and the CTM
        size = abs(self.state.font_size) * _y_scale(_times(self.tm, self.state.ctm))
        if size < MIN_TEXT - 0.005:
            font = _font_name(self.state.font) if self.state.font is not None else "no font"
            self.check.add(
                "small-text",
                self.element(f"text in font {font}"),
                f"{_num(size)} pt",
                f"{_num(MIN_TEXT)} pt",
                badness=-size,
            )

    # paths

    def op_rectangle(self, op: str, operands: Any) -> None:
        numbers = _numbers(operands)
        if len(numbers) == 4:
            self.rects.append((numbers[0], numbers[1], numbers[2], numbers[3]))
            self.drawn = True

    def paint(self, op: str) -> None:
        if self.drawn and op in STROKES:
            self.hairline_stroke(op)
        if self.drawn and op in FILLS and self.only_rects and self.rects:
            self.thin_fill(op)
        self.rects, self.only_rects, self.drawn = [], True, False

    def hairline_stroke(self, op: str) -> None:
        width = abs(self.state.line_width) * _min_scale(self.state.ctm)
        if width >= MIN_LINE - 1e-6:
            return
        value = f"{_num(width)} pt" if width > 0 else "0 pt (the device's thinnest line)"
        self.check.add(
            "hairline",
            self.element(f"stroke ({op})"),
            value,
            f"{_num(MIN_LINE)} pt",
            badness=-width,
        )

    def thin_fill(self, op: str) -> None:
        """A filled rectangle, or the frame between two (a CSS border), under 0.1 pt."""
        ctm = self.state.ctm
        det = abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])
        if det == 0:
            return
        # a distance across horizontal edges scales by det / |x axis|, across vertical ones
        # by det / |y axis|
        heights, widths, framed = _bands(self.rects, even_odd=op in EVEN_ODD)
        across = [h * det / _x_scale(ctm) for h in heights] + [
            w * det / _y_scale(ctm) for w in widths
        ]
        thin = [w for w in across if 1e-6 < w < MIN_LINE - 1e-6]
        if thin:
            shape = "frame" if framed else "rectangle"
            self.check.add(
                "hairline",
                self.element(f"filled {shape} (re … {op})"),
                f"{_num(min(thin))} pt",
                f"{_num(MIN_LINE)} pt",
                badness=-min(thin),
            )

    # colour

    def op_colour(self, op: str, operands: Any) -> None:
        if self.uncoloured:
            return
        space = DEVICE[{"g": "/G", "rg": "/RGB", "k": "/CMYK"}[op.lower()]]
        space = _device(space, self.resources)
        stroke = op.isupper()
        if stroke:
            self.state.stroke = space
        else:
            self.state.fill = space
        self.use_colour(op, space, _numbers(operands), stroke)

    def op_colour_space(self, op: str, operands: Any) -> None:
        if self.uncoloured or not operands:
            return
        space = _space(operands[0], self.resources)
        if op == "CS":
            self.state.stroke = space
        else:
            self.state.fill = space
        self.check.colour(self.element(f"{_side(op == 'CS')} colour ({op})"), space)

    def op_colour_values(self, op: str, operands: Any) -> None:
        if self.uncoloured:
            return
        stroke = op.isupper()
        space = self.state.stroke if stroke else self.state.fill
        names = [o for o in operands if isinstance(o, pikepdf.Name)]
        if space.family == "pattern" and names:
            self.pattern(str(names[-1]), space, _numbers(operands), op)
            return
        self.use_colour(op, space, _numbers(operands), stroke)

    def use_colour(self, op: str, space: _Space, values: list[float], stroke: bool) -> None:
        # cs then scn (or sc) is one colour: reported once, as cs
        family = {"sc": "cs", "scn": "cs", "SC": "CS", "SCN": "CS"}.get(op, op)
        self.check.colour(self.element(f"{_side(stroke)} colour ({family})"), space)
        ink = _ink(space, values)
        if ink is not None:
            shown = " ".join(_num(v) for v in values)
            self.check.ink(self.element(f"{_side(stroke)} colour {space.name} {shown} ({op})"), ink)

    def pattern(self, name: str, space: _Space, values: list[float], op: str) -> None:
        pattern = _get(_get(self.resources, "/Pattern"), name)
        if pattern is None:
            return
        label = f"pattern {name[1:]}"
        if space.base is not None and values:  # an uncoloured pattern's colour
            self.use_colour(op, space.base, values, op.isupper())
        if int(pattern.get("/PatternType", 0)) == 2:
            self.shading(_get(pattern, "/Shading"), f"shading {label}")
            return
        matrix = _matrix(pattern.get("/Matrix", [])) or IDENTITY
        ctm = _times(matrix, self.base)
        key = (pattern.objgen, ctm)
        if key in self.check.patterns_seen or self.depth >= MAX_DEPTH:
            return
        self.check.patterns_seen.add(key)
        self.nested(
            pattern, _State(ctm), f" in {label}", uncoloured=int(pattern.get("/PaintType", 1)) == 2
        )

    def op_shading(self, op: str, operands: Any) -> None:
        if operands:
            name = str(operands[0])
            self.shading(_get(_get(self.resources, "/Shading"), name), f"shading {name[1:]} (sh)")

    def shading(self, shading: Any, label: str) -> None:
        if shading is None or self.uncoloured:
            return
        space = _space(shading.get("/ColorSpace"), self.resources)
        element = self.element(label)
        self.check.colour(element, space)
        function = shading.get("/Function")
        if function is not None and self.check.target is not None:
            inks = [_ink(space, end) for end in _function_ends(function)]
            self.check.ink(element, max((i for i in inks if i is not None), default=None))

    # XObjects

    def op_do(self, op: str, operands: Any) -> None:
        if not operands:
            return
        name = str(operands[0])
        xobject = _get(_get(self.resources, "/XObject"), name)
        if xobject is None:
            return
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.image(xobject, f"image {name[1:]}", xobject)
        elif subtype == "/Form" and self.depth < MAX_DEPTH:
            self.form(xobject, name[1:])

    def form(self, xobject: Any, name: str) -> None:
        matrix = _matrix(xobject.get("/Matrix", [])) or IDENTITY
        where = f" in form {name}" + self.where
        group = _get(xobject.get("/Group"), "/CS")
        if group is not None:
            self.check.colour(
                f"transparency group of form {name}{self.where}", _space(group, self.resources)
            )
        state = replace(self.state, ctm=_times(matrix, self.state.ctm))
        self.nested(xobject, state, where, uncoloured=self.uncoloured)

    def nested(self, stream: Any, state: _State, where: str, *, uncoloured: bool) -> None:
        resources = stream.get("/Resources") or self.resources
        try:
            instructions = pikepdf.parse_content_stream(stream)
        except pikepdf.PdfError:
            return
        run = _Run(self.check, resources, state, where, self.depth + 1, uncoloured=uncoloured)
        run.execute(instructions)

    def inline_image(self, image: pikepdf.PdfInlineImage) -> None:
        self.image(image.obj, "inline image", image)

    def image(self, info: Any, label: str, source: Any) -> None:
        """Resolution, colour and ink of an image drawn in the unit square of the CTM."""
        if bool(info.get("/ImageMask", False)):
            return  # a stencil painted in the fill colour, already checked
        width, height = int(info.get("/Width", 0)), int(info.get("/Height", 0))
        element = self.element(f"{label} ({width}×{height} px)")
        space = _image_space(info, source, self.resources)
        if space is not None and not self.uncoloured:
            self.check.colour(element, space)
        if min(width, height) >= DECORATION_PX:
            self.resolution(element, width, height)
        if self.check.target is not None and space is not None and space.family == "cmyk":
            self.image_ink(element, source)

    def resolution(self, element: str, width: int, height: int) -> None:
        placed_x, placed_y = _x_scale(self.state.ctm), _y_scale(self.state.ctm)
        if placed_x <= 0 or placed_y <= 0:
            return
        ppi = min(width * 72 / placed_x, height * 72 / placed_y)
        if ppi >= GOOD_PPI - 0.5:
            return
        severity, limit = ("error", MIN_PPI) if ppi < MIN_PPI - 0.5 else ("warning", GOOD_PPI)
        self.check.add(
            "image-resolution",
            element,
            f"{ppi:.0f} ppi",
            f"{limit:.0f} ppi",
            badness=-ppi,
            severity=severity,
        )

    def image_ink(self, element: str, source: Any) -> None:
        if isinstance(source, pikepdf.PdfInlineImage):
            found = _image_ink(source, self.check.ink_limit)
        else:
            key = source.objgen
            if key not in self.check.inks:
                self.check.inks[key] = _image_ink(source, self.check.ink_limit)
            found = self.check.inks[key]
        if found is not None:
            highest, share = found
            shown = _num(share) if share >= 0.01 else "<0.01"  # a few JPEG-noise pixels
            self.check.ink(element, highest, f" on {shown} % of pixels")


def _side(stroke: bool) -> str:
    return "stroke" if stroke else "fill"


def _has_text(operand: Any) -> bool:
    if isinstance(operand, pikepdf.Array):
        return any(isinstance(item, pikepdf.String) and len(bytes(item)) for item in operand)
    return isinstance(operand, pikepdf.String) and len(bytes(operand)) > 0


def _image_space(info: Any, source: Any, resources: Any) -> _Space | None:
    space = info.get("/ColorSpace")
    if space is not None:
        return _space(space, resources)
    if isinstance(source, pikepdf.Stream) and "/JPXDecode" in str(info.get("/Filter", "")):
        try:  # the JPEG 2000 codestream carries its own, almost always sRGB or CMYK
            mode = pikepdf.PdfImage(source).mode
        except (pikepdf.PdfError, NotImplementedError, ValueError):
            return None
        family = {"RGB": "rgb", "CMYK": "cmyk", "L": "gray"}.get(mode)
        return _Space(f"JPX {mode}", family) if family else None
    return None


def _bands(
    rects: list[tuple[float, float, float, float]], *, even_odd: bool
) -> tuple[list[float], list[float], bool]:
    """The painted thicknesses across horizontal and vertical edges of filled rectangles.

    Two nested rectangles filled even-odd (or wound in opposite directions)
    paint the frame between them: its four sides; any other rectangles are
    taken one by one.  Returns (heights, widths, framed).
    """
    boxes = [(min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)) for x, y, w, h in rects]
    if len(rects) == 2:
        (a, b), (ra, rb) = boxes, rects
        outer, inner = sorted((a, b), key=lambda r: (r[2] - r[0]) * (r[3] - r[1]), reverse=True)
        opposite = (ra[2] * ra[3]) * (rb[2] * rb[3]) < 0
        nested = all(inner[i] >= outer[i] - EPSILON for i in (0, 1)) and all(
            inner[i] <= outer[i] + EPSILON for i in (2, 3)
        )
        if nested and (even_odd or opposite):
            heights = [inner[1] - outer[1], outer[3] - inner[3]]
            widths = [inner[0] - outer[0], outer[2] - inner[2]]
            return heights, widths, True
    return [b[3] - b[1] for b in boxes], [b[2] - b[0] for b in boxes], False


def _function_ends(function: Any, depth: int = 0) -> list[list[float]]:
    """The colours at the ends of a shading's type 2 (or type 3 of type 2) function.

    A type 2 function is C0 + x^N (C1 − C0): each component, and so the total
    ink, is monotonic in x, so the extremes are at the ends of the domain.
    """
    if depth > MAX_DEPTH or not isinstance(function, (pikepdf.Dictionary, pikepdf.Stream)):
        return []
    kind = int(function.get("/FunctionType", -1))
    if kind == 3:
        ends: list[list[float]] = []
        for part in function.get("/Functions", []):
            ends += _function_ends(part, depth + 1)
        return ends
    if kind != 2:
        return []
    c0 = _numbers(function.get("/C0", [0]))
    c1 = _numbers(function.get("/C1", [1]))
    exponent = float(function.get("/N", 1))
    domain = _numbers(function.get("/Domain", [0, 1])) or [0.0, 1.0]
    out = []
    for x in (domain[0], domain[-1]):
        try:
            t = max(x, 0.0) ** exponent
        except (OverflowError, ZeroDivisionError):
            continue
        out.append([a + t * (b - a) for a, b in zip(c0, c1, strict=False)])
    return out
