"""ALTO 4.4 of a built page: every line's text with its box and baseline, for libraries.

Libraries make ALTO by OCR of page images.  A page built here knows its text,
so each line's text is the author's, as the layout set it, and each box is
where the PDF draws that line's glyphs, read back with pdfplumber as the check
reads them: text and boxes cannot disagree.

Coordinates are in tenths of a millimetre (`mm10`) from the trim's top left:
ALTO has no points, newspaper formats are metric, so the page itself is whole
(a tabloid is 2700 × 3900), and 0.1 mm (0.28 pt) is finer than any reader
needs.  Boxes are rounded outwards, so a box holds its glyphs.  Chinese has no
spaces between words: a `String` is a run of one script (Han with its
punctuation, or Latin letters and digits) in one font, and an `SP` stands
where the text has a space, so the CONTENT of a block's strings, with a space
for each `SP`, is exactly the text it prints.

Each block is tagged with what it belongs to (a `StructureTag`: an article,
the rest of one jumped from another page, the page's heading, its credits, an
ad) and its part (a `RoleTag`: headline, body, caption, …); the edition's METS
(`mets.py`) reads its articles from these tags.  Photos and ads are
`Illustration`s; the running head or masthead, and the text inside ads and
their 广告 labels, are page furniture and not in the ALTO.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from ..errors import CheckError, Problem
from ..model.copy import BANNER_ROLES, HEAD_ROLES, PAGE_FILE
from ..model.document import Page
from ..model.grid import MM, Grid
from ..model.layout import Box, Layout, Module
from ..typeset.measure import Heading
from ..typeset.units import Kind, kind_of
from ..typeset.vertical import VerticalHeading, printed_lines
from .ink import Ink, Located, Rect, Style, middle_of, read_ink

if TYPE_CHECKING:
    from ..pipeline import Build

NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/alto/v4/alto-4-4.xsd"
MM10 = 254 / 72  # tenths of a millimetre per point
# the role each field of the banner plays, in BANNER_ROLES's order (that of its headings)
BANNER_PARTS = dict(zip(BANNER_ROLES, ("kicker", "headline", "subhead"), strict=True))
TYPESET = "typeset from the page's sources: the text as set, its positions read from the PDF"


def alto_path(pdf: Path) -> Path:
    """Where a page's ALTO goes: beside its PDF, `X.pdf` → `X.alto.xml`."""
    return pdf.with_suffix(".alto.xml")


@dataclass(frozen=True)
class Group:
    """What a block belongs to: its ALTO StructureTag, and the METS division it makes."""

    id: str
    kind: str  # article, continuation (a jumped article's rest), heading, credits, advertisement
    label: str
    file: Path  # where its text is written, for a message


@dataclass(frozen=True)
class Lines:
    """A TextBlock to write: the lines set (the layout's text) and the glyphs each prints."""

    group: Group
    role: str  # kicker, headline, subhead, byline, body, jump, caption, pullquote, lede, credits
    lines: tuple[tuple[str, tuple[Ink, ...]], ...]
    vertical: bool = False  # a vertical headline: each line top to bottom


@dataclass(frozen=True)
class Picture:
    """An Illustration to write: a photo or an ad."""

    group: Group
    role: str  # photo, advertisement
    rect: Rect


def alto_xml(build: Build) -> bytes:
    """The page's ALTO: raise CheckError if the PDF does not print a line the layout set."""
    ink, photos = read_ink(build.pdf)
    parts = list(page_parts(build.page, build.layout, Located(ink), photos))
    return Writer(build.page, build.layout.grid).document(parts)


def page_parts(
    page: Page, layout: Layout, located: Located, photos: list[Rect]
) -> Iterator[Lines | Picture]:
    """The page's blocks in reading order: banner and lede, each module, credits, ads."""
    grid, number = layout.grid, page.number
    yaml_file = page.directory / PAGE_FILE
    title = page.banner.title if page.banner is not None else "导语"
    heading = Group(f"P{number}_HEAD", "heading", title, yaml_file)
    if layout.banner is not None and page.banner is not None:
        roles = [role for name, role in BANNER_PARTS.items() if getattr(page.banner, name)]
        banner = _rect(grid, layout.banner.box)
        yield from _display(located, banner, layout.banner.headings, roles, heading)
    if layout.lede is not None:
        lede = [line.text for line in layout.lede.lines]
        yield Lines(heading, "lede", _matched(located, _rect(grid, layout.lede.box), lede, heading))
    for module in layout.modules:
        yield from _module_parts(module, grid, number, located, photos)
    if layout.credits is not None:
        credits = Group(f"P{number}_CREDITS", "credits", "署名", yaml_file)
        lines = [" ".join(items) for items in layout.credit_lines]
        yield Lines(
            credits, "credits", _matched(located, _rect(grid, layout.credits), lines, credits)
        )
    for index, placed in enumerate(layout.ads, start=1):
        x, y, width, height = placed.art
        label = f"广告 {placed.ad.client or placed.ad.file.name}"
        ad = Group(f"P{number}_AD{index}", "advertisement", label, yaml_file)
        yield Picture(ad, "advertisement", (x, y, x + width, y + height))


def article_group(module: Module, number: int) -> Group:
    """An article's tag: the same on the page it starts on and on the page its rest runs on."""
    article = module.article
    origin = article.continued_from or number
    stem = re.sub(r"[^A-Za-z0-9.-]", lambda m: f"_{ord(m[0]):x}_", article.file.stem)
    kind = "article" if article.continued_from is None else "continuation"
    return Group(f"ART{origin}_{stem}", kind, article.headline, article.file)


def _module_parts(
    module: Module, grid: Grid, number: int, located: Located, photos: list[Rect]
) -> Iterator[Lines | Picture]:
    """A module's blocks as the template draws them: head, photos and captions, pull quote,
    then each column's body, a jump line (上接, 下转) a block of its own."""
    article, box = module.article, module.box
    group = article_group(module, number)
    roles = [name for name in HEAD_ROLES if getattr(article, name)]
    if module.vertical is not None and module.strip is not None:
        roles.remove("headline")
        yield _vertical(located, _rect(grid, module.strip), module.vertical, group)
    yield from _display(located, _rect(grid, module.head_box), module.headings, roles, group)
    if module.note is not None and module.note_box is not None:
        note = [line.text for line in module.note.lines]
        yield Lines(group, "note", _matched(located, _rect(grid, module.note_box), note, group))
    for image in module.images:
        span = (image.column, image.columns) if image.column >= 0 else (box.column, box.columns)
        figure = _rect(grid, Box(*span, image.row, image.rows + image.caption_rows))
        # a photo covers its box, cropped, which ends a third of a line above its rows
        # (page.html.j2): what shows is the picture drawn there, within the box
        left, top, right, bottom = _rect(grid, Box(*span, image.row, image.rows))
        clip = (left, top, right, bottom - grid.line / 3)
        for x0, y0, x1, y1 in [r for r in photos if _holds(clip, middle_of(r))][:1]:
            shown = (max(x0, left), max(y0, top), min(x1, right), min(y1, clip[3]))
            yield Picture(group, "photo", shown)
        if image.caption is not None:
            yield from _display(located, figure, (image.caption,), ["caption"], group)
    if (quote := module.pullquote) is not None:
        area = _rect(grid, Box(quote.column, quote.columns, quote.row, quote.rows))
        yield from _display(located, area, (quote.heading,), ["pullquote"], group)
    for index, column in enumerate(module.columns):
        left, first = grid.x(box.column + index), module.column_row(index)
        right = left + grid.column_width
        rows = [
            (row, located.inside((left, grid.y(first + n), right, grid.y(first + n + 1))))
            for n, row in enumerate(column)
        ]
        for jump, run in itertools.groupby(rows, key=lambda item: item[0].style == "jump"):
            lines = tuple((row.line.text, tuple(ink)) for row, ink in run)
            yield Lines(group, "jump" if jump else "body", lines)


def _vertical(located: Located, rect: Rect, heading: VerticalHeading, group: Group) -> Lines:
    """A vertical headline: a TextLine per line of it, right to left, its glyphs top to bottom."""
    lines = ["".join(cells) for cells in heading.lines]
    found = [tuple(line) for line in printed_lines(located.inside(rect), heading.size)]
    if len(found) != len(lines):
        printed = len(found)
        message = f"no ALTO: the PDF prints {printed} vertical lines where the layout set {lines}"
        raise CheckError(Problem(message, group.file))
    return Lines(group, "headline", tuple(zip(lines, found, strict=True)), vertical=True)


def _display(
    located: Located, rect: Rect, headings: Sequence[Heading], roles: list[str], group: Group
) -> Iterator[Lines]:
    """Display lines printed in `rect`, a block per heading (`roles`: what each one is)."""
    assert len(roles) == len(headings), "a heading for each field present"
    rows = iter(_matched(located, rect, [line for h in headings for line in h.lines], group))
    for heading, role in zip(headings, roles, strict=True):
        yield Lines(group, role, tuple(itertools.islice(rows, len(heading.lines))))


def _matched(
    located: Located, rect: Rect, lines: list[str], group: Group
) -> tuple[tuple[str, tuple[Ink, ...]], ...]:
    """Each line set in `rect` with the row of glyphs that prints it."""
    rows = located.rows(rect)
    if len(rows) != len(lines):
        printed = ["".join(g.text for g in row) for row in rows]
        message = f"no ALTO: the PDF prints {printed} where the layout set {lines}"
        raise CheckError(Problem(message, group.file))
    return tuple(zip(lines, rows, strict=True))


def _rect(grid: Grid, box: Box) -> Rect:
    left, top = grid.x(box.column), grid.y(box.row)
    return left, top, left + grid.span_width(box.columns), grid.y(box.row + box.rows)


def _holds(rect: Rect, point: tuple[float, float]) -> bool:
    return rect[0] <= point[0] <= rect[2] and rect[1] <= point[1] <= rect[3]


def _extent(ink: Sequence[Ink]) -> Rect:
    return (
        min(g.rect[0] for g in ink),
        min(g.rect[1] for g in ink),
        max(g.rect[2] for g in ink),
        max(g.rect[3] for g in ink),
    )


def _box(rect: Rect) -> dict[str, str]:
    """A rect in mm10, rounded outwards so that it holds what it bounds."""
    x, y = math.floor(rect[0] * MM10), math.floor(rect[1] * MM10)
    width, height = math.ceil(rect[2] * MM10) - x, math.ceil(rect[3] * MM10) - y
    return {"HPOS": str(x), "VPOS": str(y), "WIDTH": str(width), "HEIGHT": str(height)}


@dataclass
class Run:
    """Characters of one script in one style, and the glyphs that print them."""

    text: str
    script: str
    style: Style
    ink: list[Ink] = field(default_factory=list)


def runs(text: str, ink: Sequence[Ink]) -> list[Run | None] | None:
    """A line's text as runs, None for each space between them (and after the last, where
    the line breaks at a space); None if the glyphs do not print exactly the text."""
    owners = _owners(text, ink)
    if owners is None:
        return None
    found: list[Run | None] = []
    for char, glyph in zip(text, owners, strict=True):
        last = found[-1] if found else None
        if glyph is None:
            if last is not None:
                found.append(None)
            continue
        script = "latin" if kind_of(char) is Kind.LATIN else "cjk"
        if last is None or (last.script, last.style) != (script, glyph.style):
            found.append(Run(char, script, glyph.style, [glyph]))
            continue
        last.text += char
        if glyph is not last.ink[-1]:
            last.ink.append(glyph)
    return found


def _owners(text: str, ink: Sequence[Ink]) -> list[Ink | None] | None:
    """The glyph printing each character of `text` (None for a space), or None if they differ.
    A glyph may print more than one character (a ligature)."""
    owners: list[Ink | None] = []
    glyphs = iter(ink)
    glyph, used = None, 0
    for char in text:
        if char.isspace():
            owners.append(None)
            continue
        if glyph is None or used == len(glyph.text):
            glyph, used = next(glyphs, None), 0
        if glyph is None or glyph.text[used] != char:
            return None
        owners.append(glyph)
        used += 1
    finished = glyph is None or used == len(glyph.text)
    return owners if finished and next(glyphs, None) is None else None


class Writer:
    """The ALTO document of one page: blocks, styles and tags numbered as they come."""

    def __init__(self, page: Page, grid: Grid) -> None:
        self.grid, self.number = grid, page.number
        self.styles: dict[Style, str] = {}
        self.tags: set[str] = set()
        self.counts: dict[str, int] = {}
        location = {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION, "SCHEMAVERSION": "4.4"}
        self.root = etree.Element(_q("alto"), location, nsmap={None: NS, "xsi": XSI})
        description = _sub(self.root, "Description")
        _sub(description, "MeasurementUnit").text = "mm10"
        processing = _sub(description, "Processing", ID="TYPESET")
        _sub(processing, "processingCategory").text = "contentGeneration"
        _sub(processing, "processingStepDescription").text = TYPESET
        _sub(_sub(processing, "processingSoftware"), "softwareName").text = "newspage"
        self.style_list = _sub(self.root, "Styles")
        self.tag_list = _sub(self.root, "Tags")

    def document(self, parts: Sequence[Lines | Picture]) -> bytes:
        grid, number = self.grid, str(self.number)
        width, height = (str(round(mm * 10)) for mm in grid.format.trim_mm)
        attributes = {"ID": f"P{number}", "PHYSICAL_IMG_NR": number, "PRINTED_IMG_NR": number}
        attributes |= {"WIDTH": width, "HEIGHT": height, "LANG": "zh-CN", "PROCESSING": "TYPESET"}
        page = _sub(_sub(self.root, "Layout"), "Page", **attributes)
        # the type area with the running head or masthead band above it
        top = grid.format.margin_top_mm * MM
        area = _box((grid.left, top, grid.left + grid.type_width, grid.y(grid.rows)))
        space = _sub(page, "PrintSpace", **area)
        for part in parts:
            if isinstance(part, Picture):
                tags = self._tagrefs(part.group, part.role)
                ids = {"ID": self._id("IL"), "TYPE": part.role, "TAGREFS": tags}
                _sub(space, "Illustration", **ids, **_box(part.rect))
            else:
                self._text_block(space, part)
        for empty in (self.style_list, self.tag_list):
            if not len(empty):
                self.root.remove(empty)
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def _id(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"P{self.number}_{kind}{self.counts[kind]}"

    def _tagrefs(self, group: Group, role: str) -> str:
        if group.id not in self.tags:
            tag = {"ID": group.id, "TYPE": group.kind, "LABEL": group.label}
            _sub(self.tag_list, "StructureTag", **tag)
        if role not in self.tags:
            _sub(self.tag_list, "RoleTag", ID=role, LABEL=role)
        self.tags |= {group.id, role}
        return f"{group.id} {role}"

    def _text_block(self, space: etree._Element, part: Lines) -> None:
        lines = []
        for text, ink in part.lines:
            found = runs(text, ink)
            if found is None:
                drawn = "".join(g.text for g in ink)
                message = f"no ALTO: the PDF prints {drawn!r} where the layout set {text!r}"
                raise CheckError(Problem(message, part.group.file))
            if ink:  # a line of spaces prints nothing
                lines.append((found, ink))
        if lines:
            tags = self._tagrefs(part.group, part.role)
            extent = _box(_extent([g for _, ink in lines for g in ink]))
            block = _sub(space, "TextBlock", ID=self._id("TB"), TAGREFS=tags, **extent)
            for found, ink in lines:
                self._line(block, found, ink, vertical=part.vertical)

    def _line(
        self, block: etree._Element, found: list[Run | None], ink: Sequence[Ink], *, vertical: bool
    ) -> None:
        box = _box(_extent(ink))
        left, right = box["HPOS"], int(box["HPOS"]) + int(box["WIDTH"])
        base = round(ink[0].baseline * MM10)
        baseline = f"{left},{base} {right},{base}"
        if vertical:  # down the line's middle, from its top to its foot
            middle, top = (int(left) + right) // 2, int(box["VPOS"])
            baseline = f"{middle},{top} {middle},{top + int(box['HEIGHT'])}"
        line = _sub(block, "TextLine", ID=self._id("TL"), **box, BASELINE=baseline)
        for index, run in enumerate(found):
            if run is not None:
                string = {"CONTENT": run.text, **_box(_extent(run.ink))}
                _sub(line, "String", **string, STYLEREFS=self._style(run.style))
                continue
            before = found[index - 1]
            assert before is not None, "a space follows a run"
            end = before.ink[-1].rect[2]
            space = _sub(line, "SP", HPOS=str(round(end * MM10)), VPOS=box["VPOS"])
            if index + 1 < len(found) and (after := found[index + 1]) is not None:
                space.set("WIDTH", str(max(0, round((after.ink[0].rect[0] - end) * MM10))))

    def _style(self, style: Style) -> str:
        if style not in self.styles:
            self.styles[style] = f"TS{len(self.styles) + 1}"
            font = {"FONTFAMILY": style.family, "FONTSIZE": f"{style.size:g}"}
            element = _sub(self.style_list, "TextStyle", ID=self.styles[style], **font)
            if style.bold:
                element.set("FONTSTYLE", "bold")
        return self.styles[style]


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _sub(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, _q(name), attributes)
