"""Page formats and the grid every element is placed on.

A Chinese newspaper page is built on two grids: columns a whole number of
body characters wide, separated by one-character gutters, and lines of a
fixed pitch (the baseline grid).  Every module is whole columns wide and
whole lines high, so body text stays on the grid across the page.
"""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Format:
    name: str
    trim_mm: tuple[float, float]  # width, height
    columns: int
    # (body size in pt, characters per column), all the same column width: 小五 9 pt
    # first, the usual newspaper body; a larger body fills a page short of copy
    bodies: tuple[tuple[float, int], ...]
    pitch: float  # line pitch as a multiple of the body size
    margin_top_mm: float  # above the running head
    margin_bottom_mm: float


FORMATS = {
    # 对开: 8 columns of 13 characters, about 390 × 540 mm
    "broadsheet": Format("broadsheet", (390, 540), 8, ((9.0, 13), (9.75, 12)), 1.55, 14, 16),
    # 4开: 5 columns of 14 characters, about 270 × 390 mm (12 of 五号 10.5 pt)
    "tabloid": Format("tabloid", (270, 390), 5, ((9.0, 14), (10.5, 12)), 1.45, 12, 13),
}

RUNNING_HEAD_PT = 30.0  # 报眉 band above the type area, rule included
# A front page carries the masthead (报头) instead of the running head, in a deeper band.
MASTHEAD_MM = {"broadsheet": 48.0, "tabloid": 36.0}
EAR_LABEL_PT = 9.0  # an ear ad (报眼) in the masthead band: room under it for its 广告 label


@dataclass(frozen=True)
class Grid:
    format: Format
    rows: int  # lines in a full column of the type area
    em: float  # body size in pt
    chars: int  # body characters per column
    head: float = RUNNING_HEAD_PT  # pt above the type area: running head, or masthead

    @classmethod
    def for_format(cls, name: str, body: int = 0, *, masthead: bool = False) -> Grid:
        """The grid of format `name` with its `body`-th body size (0: the usual one)."""
        fmt = FORMATS[name]
        em, chars = fmt.bodies[body]
        head = MASTHEAD_MM[name] * MM if masthead else RUNNING_HEAD_PT
        height = fmt.trim_mm[1] * MM
        available = height - (fmt.margin_top_mm + fmt.margin_bottom_mm) * MM - head
        return cls(fmt, int(available // (em * fmt.pitch)), em, chars, head)

    @classmethod
    def variants(cls, name: str, *, masthead: bool = False) -> list[Grid]:
        bodies = range(len(FORMATS[name].bodies))
        return [cls.for_format(name, body, masthead=masthead) for body in bodies]

    @property
    def columns(self) -> int:
        return self.format.columns

    @property
    def line(self) -> float:
        """Line pitch in points."""
        return self.em * self.format.pitch

    @property
    def page_size(self) -> tuple[float, float]:
        width, height = self.format.trim_mm
        return width * MM, height * MM

    @property
    def column_width(self) -> float:
        return self.chars * self.em

    @property
    def gutter(self) -> float:
        return self.em

    def span_width(self, columns: int) -> float:
        """Width in points of `columns` adjacent columns and the gutters between them."""
        return columns * self.column_width + (columns - 1) * self.gutter

    @property
    def type_width(self) -> float:
        return self.span_width(self.columns)

    @property
    def left(self) -> float:
        """Left edge of the type area: centred on the page."""
        return (self.page_size[0] - self.type_width) / 2

    @property
    def top(self) -> float:
        return self.format.margin_top_mm * MM + self.head

    def x(self, column: int) -> float:
        """Left edge of a 0-based column."""
        return self.left + column * (self.column_width + self.gutter)

    def y(self, row: int) -> float:
        """Top of a 0-based line of the type area."""
        return self.top + row * self.line
