"""Read a PDF back: the characters it draws and the fonts it carries.

The check and the preflight both judge the file that will be printed, never
what the composer meant to draw, so both read it through here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pdfplumber
import pikepdf

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


def read_glyphs(pdf: bytes) -> tuple[tuple[float, float], list[Glyph]]:
    """Every character the PDF draws on its first page, with its advance box, from the trim.

    pdfplumber gives each glyph's advance from the font's widths; pdfium's
    boxes follow the ink, which may overhang the advance by a fraction of a
    point and would blur the flush-edge measurement.
    """
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        # Measured from the trim box: a print PDF has bleed and marks around the page.
        # pdfplumber sets `trimbox` only when the page has one; WeasyPrint always writes it.
        trimbox = page.trimbox  # type: ignore[attr-defined]  # set with setattr, so untyped
        left, top, right, bottom = (float(v) for v in trimbox)
        glyphs = [
            Glyph(c["text"], c["x0"] - left, c["x1"] - left, c["top"] - top, c["bottom"] - top)
            for c in page.chars
        ]
        return (right - left, bottom - top), glyphs


def printed_rows(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into the lines they print in, top to bottom, each left to right:
    a glyph whose middle is below the top glyph of the line above starts a line (a
    line's glyphs share a size, and lines are further apart than they are high)."""
    rows: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: g.middle[1]):
        if rows and glyph.middle[1] <= rows[-1][0].bottom:
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
    return [sorted(row, key=lambda g: g.left) for row in rows]


def read_fonts(pdf: bytes) -> list[FontInfo]:
    fonts = []
    seen = set()  # a font shared by the page and its forms (PDF/X wraps the page) counts once
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for font in _fonts_of(page.Resources):
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
                name = str(font.get("/BaseFont", ""))[1:]
                fonts.append(FontInfo(name, has_font_file(font), bool(SUBSET_PREFIX.match(name))))
    return fonts


FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def has_font_file(font: pikepdf.Object) -> bool:
    """The font's program is in the PDF (for a composite font, its descendant's)."""
    descendants = font.get("/DescendantFonts")
    target = descendants[0] if descendants is not None and len(descendants) else font
    descriptor = target.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in FONT_FILES)


def _fonts_of(resources) -> Iterable:
    if resources is None:
        return
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        yield from _fonts_of(xobject.get("/Resources"))
