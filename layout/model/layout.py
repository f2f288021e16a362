"""The composed page: where every module, the banner, the lede and each hole sit on the grid.

The composer makes it; the template draws it, the check measures the PDF
against it, the layout file writes it, the live proof shows it.  Positions are
whole columns and lines, so everything downstream works in grid units.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..typeset.linebreak import Line
from ..typeset.measure import BodyRow, Heading
from .document import Article, Image
from .grid import Grid


@dataclass(frozen=True)
class Box:
    """A rectangle on the grid, in 0-based columns and lines of the type area."""

    column: int
    columns: int
    row: int
    rows: int


@dataclass(frozen=True)
class PlacedImage:
    image: Image
    row: int
    rows: int  # lines of the picture itself
    caption: Heading | None
    caption_rows: int


@dataclass(frozen=True)
class Module:
    article: Article
    box: Box
    headings: tuple[Heading, ...]  # kicker, headline, subhead, byline: as present
    head_rows: int  # the headline block, air included
    images: tuple[PlacedImage, ...]
    columns: tuple[tuple[BodyRow, ...], ...]  # body lines of each text column
    body_row: int  # first line of the body


@dataclass(frozen=True)
class Lede:
    box: Box
    lines: tuple[Line, ...]
    size: float
    line_pitch: float  # pt


@dataclass(frozen=True)
class Banner:
    box: Box
    headings: tuple[Heading, ...]


@dataclass(frozen=True)
class Hole:
    box: Box
    after: str  # what the empty lines follow: an article file or "lede"


@dataclass(frozen=True)
class Layout:
    grid: Grid
    banner: Banner | None
    lede: Lede | None
    modules: tuple[Module, ...]
    credits: Box | None
    holes: tuple[Hole, ...]
    rules: tuple[tuple[str, Box], ...]  # ("h"|"v", the box the rule runs along)
    credit_lines: tuple[tuple[str, ...], ...] = ()  # in the credits box: each line's items
