"""The glyphs and pictures a built page's PDF draws, as ALTO reads them: where each prints.

Read with pdfplumber as the check reads them, in points from the trim's top
left, each with its font's family, size and weight (from the PDF's font
dictionaries: WeasyPrint names a font by its family and style words).
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pdfplumber
import pikepdf

SUBSET = re.compile(r"^[A-Z]{6}\+")
BOLD = ("Bold", "Heavy", "Black")  # Pango's style words that WeasyPrint puts in a font's name
Rect = tuple[float, float, float, float]  # left, top, right, bottom in pt


@dataclass(frozen=True)
class Style:
    family: str
    size: float  # pt
    bold: bool


@dataclass(frozen=True)
class Ink:
    """A glyph the PDF draws, in pt from the trim's top left."""

    text: str
    rect: Rect  # its advance box, as pdfplumber gives it
    baseline: float
    style: Style
    order: int  # in the content stream: reading order along a line

    @property
    def middle(self) -> tuple[float, float]:
        return middle_of(self.rect)


def read_ink(pdf: bytes) -> tuple[list[Ink], list[Rect]]:
    """The glyphs (not spaces) and the pictures the PDF's first page draws, from the trim."""
    styles = _font_styles(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        x, y = (float(v) for v in page.trimbox[:2])  # type: ignore[attr-defined]
        ink = []
        for order, c in enumerate(page.chars):
            if c["text"].isspace():
                continue
            family, bold = styles.get(c["fontname"], (SUBSET.sub("", c["fontname"]), False))
            rect = (c["x0"] - x, c["top"] - y, c["x1"] - x, c["bottom"] - y)
            # pdfminer sets a glyph's box `descent` below its origin, on the baseline
            baseline = c["bottom"] - y - (c["matrix"][5] - c["y0"])
            style = Style(family, round(c["size"], 2), bold)
            ink.append(Ink(c["text"], rect, baseline, style, order))
        photos = [(i["x0"] - x, i["top"] - y, i["x1"] - x, i["bottom"] - y) for i in page.images]
    return ink, photos


def _font_styles(pdf: bytes) -> dict[str, tuple[str, bool]]:
    """Each font's family and whether it is bold, by the name the PDF gives it: WeasyPrint
    names a font by its family and its style words, and records the family apart."""
    styles = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for font in _fonts(document.pages[0].get("/Resources")):
            name = str(font.get("/BaseFont", ""))[1:]
            descendants = font.get("/DescendantFonts")
            target = descendants[0] if descendants is not None and len(descendants) else font
            descriptor = target.get("/FontDescriptor")
            family = str(descriptor.get("/FontFamily", "")) if descriptor is not None else ""
            plain = SUBSET.sub("", name)
            words = plain.removeprefix(family.replace(" ", "-"))
            styles[name] = (family or plain, any(word in words for word in BOLD))
    return styles


def _fonts(resources: pikepdf.Object | None) -> Iterator[pikepdf.Object]:
    """The fonts of a page's resources and of its forms' (PDF/X draws the page in a form)."""
    if resources is None:
        return
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        yield from _fonts(xobject.get("/Resources"))


def middle_of(rect: Rect) -> tuple[float, float]:
    return (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2


class Located:
    """The page's glyphs, found by where they print, in the order the PDF draws them."""

    def __init__(self, ink: list[Ink]) -> None:
        self.ink = sorted(ink, key=lambda g: g.middle[1])
        self.heights = [g.middle[1] for g in self.ink]

    def inside(self, rect: Rect) -> list[Ink]:
        """The glyphs whose middle is in `rect` (a point's slack at the sides, as the check)."""
        left, top, right, bottom = rect
        low = bisect.bisect_left(self.heights, top)
        high = bisect.bisect_left(self.heights, bottom)
        found = [g for g in self.ink[low:high] if left - 1 <= g.middle[0] <= right + 1]
        return sorted(found, key=lambda g: g.order)

    def rows(self, rect: Rect) -> list[tuple[Ink, ...]]:
        """The glyphs in `rect` as the rows they print in, top to bottom: a glyph whose
        middle is below the first glyph of the row above starts a row."""
        rows: list[list[Ink]] = []
        for glyph in sorted(self.inside(rect), key=lambda g: g.middle[1]):
            if rows and glyph.middle[1] <= rows[-1][0].rect[3]:
                rows[-1].append(glyph)
            else:
                rows.append([glyph])
        return [tuple(sorted(row, key=lambda g: g.order)) for row in rows]
