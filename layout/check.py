"""Read the rendered PDF back and check it as a print professional would.

Nothing here trusts the composer: glyph positions and text come from the PDF
(pdfplumber for characters, pikepdf for fonts).  The layout only says where each
line was meant to be, so that each printed line can be found and compared
with what the author wrote.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pdfplumber
import pikepdf

from .compose import Layout, Module
from .document import Page
from .errors import CheckError, Problem
from .linebreak import CLOSING, NO_START_OTHER, OPENING, STOPS, Kind, kind_of

FLUSH_TOLERANCE = 0.3  # pt
NO_LINE_START = CLOSING | STOPS | NO_START_OTHER
HALF_AT_LINE_END = CLOSING | STOPS  # set half-width at the end of a justified line
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True)
class Glyph:
    text: str
    left: float
    right: float  # left + advance, from the font's widths
    top: float  # from the top of the page
    bottom: float

    @property
    def middle(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2


@dataclass(frozen=True)
class FontInfo:
    name: str
    embedded: bool
    subset: bool


@dataclass
class Report:
    """What was measured on the page; `problems` are what fails the build."""

    page_size: tuple[float, float]
    fonts: list[FontInfo]
    lines: int = 0
    flush: int = 0  # justified (non-final) lines ending on the column edge
    justified: int = 0  # non-final lines measured
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        width, height = (v * 25.4 / 72 for v in self.page_size)
        embedded = sum(f.embedded and f.subset for f in self.fonts)
        return (
            f"page {width:.0f}×{height:.0f} mm; {self.lines} body lines, "
            f"{self.flush}/{self.justified} justified lines flush; "
            f"{embedded}/{len(self.fonts)} fonts embedded as subsets; "
            f"{len(self.problems)} problems"
        )


def read_glyphs(pdf: bytes) -> tuple[tuple[float, float], list[Glyph]]:
    """Every character the PDF draws on its first page, with its advance box.

    pdfplumber gives each glyph's advance from the font's widths; pdfium's
    boxes follow the ink, which may overhang the advance by a fraction of a
    point and would blur the flush-edge measurement.
    """
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        glyphs = [Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in page.chars]
        return (float(page.width), float(page.height)), glyphs


def read_fonts(pdf: bytes) -> list[FontInfo]:
    fonts = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for font in _fonts_of(page.Resources):
                descendants = font.get("/DescendantFonts")
                target = descendants[0] if descendants is not None else font
                descriptor = target.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                name = str(font.get("/BaseFont", ""))[1:]
                fonts.append(FontInfo(name, embedded, bool(SUBSET_PREFIX.match(name))))
    return fonts


def _fonts_of(resources) -> Iterable:
    if resources is None:
        return
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        yield from _fonts_of(xobject.get("/Resources"))


def check_pdf(pdf: bytes, page: Page, layout: Layout) -> Report:
    """Measure the rendered page; raise CheckError if it is not fit to print."""
    size, glyphs = read_glyphs(pdf)
    report = Report(size, read_fonts(pdf))
    expected = layout.grid.page_size
    if abs(size[0] - expected[0]) > 0.5 or abs(size[1] - expected[1]) > 0.5:
        report.problems.append(Problem(f"page size {size} is not the {expected} asked for"))
    for font in report.fonts:
        if not (font.embedded and font.subset):
            report.problems.append(Problem(f"font {font.name} is not embedded as a subset"))
    by_line = _by_grid_line(glyphs, layout)
    for module in layout.modules:
        _check_module(module, layout, by_line, report)
    _check_text_present(page, glyphs, report)
    _check_inside(glyphs, size, report)
    if report.problems:
        raise CheckError(report.problems)
    return report


def _by_grid_line(glyphs: list[Glyph], layout: Layout) -> dict[int, list[Glyph]]:
    """Glyphs bucketed by the grid line their middle falls on, so each line is found at once."""
    grid = layout.grid
    lines: dict[int, list[Glyph]] = {}
    for glyph in glyphs:
        lines.setdefault(int((glyph.middle[1] - grid.top) // grid.line), []).append(glyph)
    return lines


def _check_module(
    module: Module, layout: Layout, by_line: dict[int, list[Glyph]], report: Report
) -> None:
    grid = layout.grid
    where = module.article.file
    printed_text = []
    for index, column in enumerate(module.columns):
        left = grid.x(module.box.column + index)
        right = left + grid.column_width
        for number, row in enumerate(column):
            printed = sorted(
                (
                    g
                    for g in by_line.get(module.body_row + number, ())
                    if left - 1 <= g.middle[0] <= right + 1
                ),
                key=lambda g: g.left,
            )
            text = "".join(g.text for g in printed)
            printed_text.append(text)
            report.lines += 1
            if text != row.line.text:
                report.problems.append(
                    Problem(
                        f"line printed as {text!r}, set as {row.line.text!r}",
                        file=where,
                        field="body",
                    )
                )
                continue
            _check_line(
                printed,
                final=row.line.final or row.style == "crosshead",
                edge=right,
                em=grid.em,
                where=where,
                report=report,
            )
    body = "".join(block.text for block in module.article.blocks)
    if "".join(printed_text) != body:
        report.problems.append(
            Problem(
                "the printed body is not the article's text in reading order",
                file=where,
                field="body",
            )
        )


def _check_line(
    printed: list[Glyph], *, final: bool, edge: float, em: float, where, report: Report
) -> None:
    visible = [g for g in printed if not g.text.isspace()]
    if not visible:
        return
    first, last = visible[0].text, visible[-1].text
    if first in NO_LINE_START:
        report.problems.append(
            Problem(f"line starts with {first!r}: {_text(printed)}", file=where, field="body")
        )
    if last in OPENING:
        report.problems.append(
            Problem(f"line ends with {last!r}: {_text(printed)}", file=where, field="body")
        )
    for a, b in itertools.pairwise(visible):
        if kind_of(a.text[-1]) is Kind.HAN and kind_of(b.text[0]) is Kind.HAN:
            between = [g for g in printed if g.left >= a.right - 0.01 and g.right <= b.left + 0.01]
            if any(g.text.isspace() for g in between):
                report.problems.append(
                    Problem(f"space added between characters: {_text(printed)}", file=where)
                )
    if final:
        return
    report.justified += 1
    end = visible[-1]
    right = end.left + em / 2 if end.text in HALF_AT_LINE_END else end.right
    if abs(right - edge) <= FLUSH_TOLERANCE:
        report.flush += 1
    else:
        report.problems.append(
            Problem(
                f"line ends {edge - right:+.2f} pt from the column edge: {_text(printed)}",
                file=where,
                field="body",
            )
        )


def _text(glyphs: list[Glyph]) -> str:
    return "".join(g.text for g in glyphs)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_text_present(page: Page, glyphs: list[Glyph], report: Report) -> None:
    """Display text (banner, headlines, lede, credits) appears whole in the text layer."""
    printed = _squeeze("".join(g.text for g in glyphs))
    pieces: list[tuple[str, str]] = []
    if page.banner:
        pieces += [
            ("banner", t)
            for t in (page.banner.kicker, page.banner.title, page.banner.subtitle)
            if t
        ]
    pieces += [("lede", p) for p in page.lede]
    for article in page.articles:
        pieces += [
            (article.file.name, t)
            for t in (article.kicker, article.headline, article.subhead, article.byline)
            if t
        ]
    pieces += [("credits", line) for line in page.credits.lines]
    for where, text in pieces:
        if _squeeze(text) not in printed:
            report.problems.append(Problem(f"{text!r} is missing from the text layer", field=where))


def _check_inside(glyphs: list[Glyph], size: tuple[float, float], report: Report) -> None:
    outside = [
        g for g in glyphs if g.left < 0 or g.top < 0 or g.right > size[0] or g.bottom > size[1]
    ]
    if outside:
        report.problems.append(
            Problem(f"{len(outside)} characters fall outside the page: {_text(outside)[:40]!r}")
        )
