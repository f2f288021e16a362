"""Load the ads booked for a page (`ads:` in page.yaml) and hold them to the booking.

An ad is sold by its size, so the artwork must be the size sold: scaled
uniformly it has to fill the booked width and height to within 2 %, or the
build stops before any copy is fitted; it is never cropped or stretched to
make it fit.  Every problem names the ad as the ad desk knows it (its number,
file and client) and says the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import pikepdf
from defusedxml import ElementTree
from pydantic import TypeAdapter

from ..errors import Problem
from ..model.document import Ad
from ..model.grid import EAR_LABEL_PT, FORMATS, MM, Grid
from .explain import valid_items
from .files import inspect_image, source_file
from .located import Yaml
from .models import AdColumnsSource, AdSource

ASPECT_TOLERANCE = 0.02  # the artwork's width:height may differ from the booking's this much
HALF = "半通栏"
FULL = "通栏"
ArtKind = Literal["pdf", "svg", "png", "jpeg"]
KINDS: dict[str, ArtKind] = {
    ".pdf": "pdf",
    ".svg": "svg",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
}
SVG_UNITS_PT = {"": 0.75, "px": 0.75, "pt": 1.0, "mm": MM, "cm": 10 * MM, "in": 72.0}


def ad_columns(size: str | int, columns: int) -> int | None:
    """Columns of a named size on a page of `columns`; None for a name not known."""
    if isinstance(size, int):
        return size
    return {FULL: columns, HALF: (columns + 1) // 2}.get(size)


def booked_width_mm(format_name: str, columns: int) -> float:
    """The width an ad of `columns` is sold at: the columns and their gutters on the
    format's usual grid (a larger body widens the gutters, never the ad)."""
    return Grid.for_format(format_name).span_width(columns) / MM


def load_ads(
    directory: Path, doc: Yaml, format_name: str, front: bool, problems: list[Problem]
) -> list[Ad]:
    """The ads of page.yaml that hold to their booking; a problem for each that does not."""
    ads: list[Ad] = []
    for index, source in valid_items(doc.data, "ads", TypeAdapter(AdSource)):
        entry = _Entry(doc, index, source, problems)
        if format_name not in FORMATS:
            entry.problem(
                "an ad is booked in the format's columns; this page's format is chosen "
                "by the composer",
                "write `format: tabloid` or `format: broadsheet` on a page with ads",
                at=("format",),
            )
            return []
        ad = entry.ad(directory, Grid.for_format(format_name, masthead=front), front)
        if ad is not None:
            ads.append(ad)
    return ads


@dataclass
class _Entry:
    """One entry of `ads:`, checked step by step; each step says what is wrong with it."""

    doc: Yaml
    index: int
    source: AdSource
    problems: list[Problem]

    @property
    def label(self) -> str:
        client = self.source.client
        return f"ad {self.index + 1} ({self.source.file}{', ' + client if client else ''})"

    def problem(self, message: str, hint: str, *, at: tuple[str | int, ...] = ()) -> None:
        where = at or ("ads", self.index, "file")
        self.problems.append(self.doc.problem(f"{self.label}: {message}", where, hint))

    def ad(self, directory: Path, grid: Grid, front: bool) -> Ad | None:
        source = self.source
        size = source.size.columns if isinstance(source.size, AdColumnsSource) else source.size
        columns = ad_columns(size, grid.columns)
        if columns is None:
            self.problem(
                f"{size!r} is not an ad size",
                f"write `size: {FULL}` (all {grid.columns} columns), `size: {HALF}` "
                f"({ad_columns(HALF, grid.columns)} columns) or `size: {{columns: N}}`",
                at=("ads", self.index, "size"),
            )
            return None
        if not self._fits_page(grid, columns, front):
            return None
        loc = ("ads", self.index, "file")
        said = len(self.problems)
        path = source_file(directory, source.file, self.doc, loc, self.problems)
        if path is None:  # said in the file's terms: name the ad too
            self.problems[said:] = [
                replace(p, message=f"{self.label}: {p.message}") for p in self.problems[said:]
            ]
            return None
        kind = KINDS.get(path.suffix.lower())
        if kind is None:
            self.problem(
                f"{path.suffix or 'a file without a suffix'} is not an ad format",
                "supply the artwork as PDF (best: vectors and fonts kept), SVG, PNG or JPEG",
            )
            return None
        width_mm = booked_width_mm(grid.format.name, columns)
        art = self._artwork_size(path, kind)
        if art is None or not self._aspect_holds(art, (width_mm, source.height_mm)):
            return None
        return Ad(
            path,
            kind,
            f"{columns}栏" if isinstance(size, int) else size,
            columns,
            width_mm,
            float(source.height_mm),
            source.at if isinstance(source.at, str) else (source.at.column, source.at.line),
            source.client,
            self.doc.line(("ads", self.index)) or 0,
            self.index + 1,
        )

    def _fits_page(self, grid: Grid, columns: int, front: bool) -> bool:
        """Whether the booking fits on the page at all, whatever else is on it."""
        height = self.source.height_mm
        if columns > grid.columns:
            self.problem(
                f"{columns} columns wide; the page has {grid.columns}",
                f"book at most {grid.columns} columns (`size: {FULL}`)",
                at=("ads", self.index, "size"),
            )
            return False
        if self.source.at == "ear":
            room = ear_height_mm(grid)
            if not front:
                self.problem(
                    "the ear (报眼) is beside the masthead, which only a front page has",
                    "place it `at: top` or `at: bottom`, or put it on the front page",
                    at=("ads", self.index, "at"),
                )
            elif height > room or columns > grid.columns - 2:
                self.problem(
                    f"{columns} columns × {height:g} mm; the ear holds at most "
                    f"{grid.columns - 2} columns × {room:.0f} mm",
                    "book a smaller ear, or place the ad `at: top`",
                    at=("ads", self.index, "height_mm"),
                )
            return front and height <= room and columns <= grid.columns - 2
        type_mm = grid.rows * grid.line / MM
        if height > type_mm:
            self.problem(
                f"{height:g} mm high; the page's type area is {type_mm:.0f} mm",
                "book a lower ad; a whole page of ads is made outside this tool",
                at=("ads", self.index, "height_mm"),
            )
            return False
        return True

    def _aspect_holds(self, art: tuple[float, float], booked: tuple[float, float]) -> bool:
        art_ratio, booked_ratio = art[0] / art[1], booked[0] / booked[1]
        apart = abs(art_ratio / booked_ratio - 1)
        if apart <= ASPECT_TOLERANCE:
            return True
        self.problem(
            f"the artwork is {art[0]:.1f} × {art[1]:.1f} mm (width:height {art_ratio:.3f}); "
            f"the booking is {booked[0]:.1f} × {booked[1]:.1f} mm ({booked_ratio:.3f}), "
            f"{apart:.1%} apart; an ad is never cropped or stretched",
            f"ask for artwork of {booked[0]:.1f} × {booked[1]:.1f} mm, or book "
            f"`height_mm: {booked[0] / art_ratio:.1f}` for this artwork",
        )
        return False

    def _artwork_size(self, path: Path, kind: str) -> tuple[float, float] | None:
        """The artwork's own width and height in mm (pixels at 96 per inch: only their
        ratio matters), or None with the problem said."""
        try:
            if kind == "pdf":
                return self._pdf_size(path)
            if kind == "svg":
                return _svg_size(path)
            _, width, height = inspect_image(path)
        except Exception as exc:  # a damaged file of any kind gets the same message
            self.problem(
                f"{path.name} is not a readable {kind.upper()} file ({exc})",
                "export the artwork again; this file is damaged or not what its name says",
            )
            return None
        return width * 0.75 / MM, height * 0.75 / MM

    def _pdf_size(self, path: Path) -> tuple[float, float] | None:
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) != 1:
                self.problem(
                    f"{path.name} has {len(pdf.pages)} pages; an ad is one page",
                    "export only the ad's page as its own PDF",
                )
                return None
            page = pdf.pages[0]
            x0, y0, x1, y1 = (float(v) for v in page.trimbox)
            width, height = abs(x1 - x0), abs(y1 - y0)
            if int(page.obj.get("/Rotate", 0)) % 180:
                width, height = height, width
            return width / MM, height / MM


def ear_height_mm(grid: Grid) -> float:
    """The tallest artwork the ear (报眼) takes: the masthead band, less its label."""
    return (grid.head - grid.line - EAR_LABEL_PT) / MM


def _svg_size(path: Path) -> tuple[float, float]:
    """Its width and height as drawn: those attributes if given, else the viewBox's."""
    root = ElementTree.parse(path).getroot()
    box = root.get("viewBox")
    if box and not (root.get("width") and root.get("height")):
        _, _, width, height = (float(v) for v in box.replace(",", " ").split())
        return width * 0.75 / MM, height * 0.75 / MM
    return _svg_length(root.get("width")) / MM, _svg_length(root.get("height")) / MM


def _svg_length(value: str | None) -> float:
    if not value:
        raise ValueError("the SVG has neither a viewBox nor a width and height")
    number = value.rstrip("abcdefghijklmnopqrstuvwxyz%")
    unit = value[len(number) :]
    if unit not in SVG_UNITS_PT:
        raise ValueError(f"the SVG's size {value!r} is in {unit!r}, not a length")
    return float(number) * SVG_UNITS_PT[unit]
