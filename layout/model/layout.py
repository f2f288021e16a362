"""The composed page: where every module, the banner, the lede and each hole sit on the grid.

The composer makes it; the template draws it, the check measures the PDF
against it, the layout file writes it, the live proof shows it.  Positions are
whole columns and lines, so everything downstream works in grid units.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..typeset.linebreak import Line
from ..typeset.measure import BodyRow, Heading
from ..typeset.vertical import VerticalHeading
from .document import Ad, Article, Block, Image
from .grid import Grid


@dataclass(frozen=True)
class Box:
    """A rectangle on the grid, in 0-based columns and lines of the type area."""

    column: int
    columns: int
    row: int
    rows: int

    @classmethod
    def from_slot(cls, column: int, columns: int, line: int, lines: int) -> Box:
        """The box of a slot as the editor writes it, counted from 1."""
        return cls(column - 1, columns, line - 1, lines)


@dataclass(frozen=True)
class PlacedImage:
    image: Image
    row: int
    rows: int  # lines of the picture itself
    caption: Heading | None
    caption_rows: int
    column: int = -1  # first grid column of a photo narrower than its module; -1: full width
    columns: int = 0  # its width in columns (0: the module's)


@dataclass(frozen=True)
class PullQuote:
    """A pull quote (引语) set in display type across some of a module's columns."""

    heading: Heading
    column: int  # first grid column
    columns: int
    row: int
    rows: int


@dataclass(frozen=True)
class Note:
    """编者按: the editor's note under a head, between rules, in 楷体 at the body size."""

    label: str  # printed before the note, in 黑体
    lines: tuple[Line, ...]  # the label and the note, broken at the head's width
    rows: int  # its lines and a line of air shared above and below, inside the rules


@dataclass(frozen=True)
class Module:
    article: Article
    box: Box
    headings: tuple[Heading, ...]  # kicker, headline, subhead, byline: as present
    head_rows: int  # the headline block, air included
    images: tuple[PlacedImage, ...]
    columns: tuple[tuple[BodyRow, ...], ...]  # body lines of each text column
    body_row: int  # first line of the body
    # first line of each text column where a photo or quote beside the body moves it
    column_rows: tuple[int, ...] = ()
    pullquote: PullQuote | None = None
    filler: bool = False  # a 补白 item placed to fill a hole
    rest: tuple[Block, ...] = ()  # the body that jumps to another page (下转)
    head_offset: int = 0  # lines above its head: a box's air, a photo story's photo
    note: Note | None = None  # 编者按, under the head
    vertical: VerticalHeading | None = None  # 竖排标题, in the module's right-hand column

    def column_row(self, index: int) -> int:
        """The first line of text column `index`."""
        return self.column_rows[index] if self.column_rows else self.body_row

    @property
    def lines_used(self) -> int:
        return sum(len(column) for column in self.columns)

    @property
    def lines_available(self) -> int:
        """Body lines the module's columns hold: a column may start lower, beside a photo."""
        bottom = self.box.row + self.box.rows
        return sum(bottom - self.column_row(index) for index in range(len(self.columns)))

    @property
    def head_box(self) -> Box:
        """Where the head is set: over the text columns, beside a vertical headline."""
        columns = self.box.columns - (1 if self.vertical is not None else 0)
        return Box(self.box.column, columns, self.box.row + self.head_offset, self.head_rows)

    @property
    def note_box(self) -> Box | None:
        """Where the editor's note is set: under the head, as wide."""
        if self.note is None:
            return None
        head = self.head_box
        return Box(head.column, head.columns, head.row + head.rows, self.note.rows)

    @property
    def strip(self) -> Box | None:
        """The column a vertical headline is set in, inside the box's air."""
        if self.vertical is None:
            return None
        air = 1 if self.article.box else 0  # a box's line of air (compose/furniture.BOX_ROWS)
        box = self.box
        return Box(box.column + box.columns - 1, 1, box.row + air, box.rows - 2 * air)


@dataclass(frozen=True)
class PlacedAd:
    """An ad's place: its snapped box and its artwork, in pt from the page's top left."""

    ad: Ad
    box: Box | None  # on the grid; None for the ear (报眼), which is in the masthead band
    frame: tuple[float, float, float, float]  # x, y, width, height of the snapped box
    art: tuple[float, float, float, float]  # the artwork: booked width × height, centred
    label_top: float  # top of the line its 广告 label sits in, at the box's right edge


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
    levers: tuple[str, ...] = ()  # the fitting levers the composer used, for the report
    draft: bool = False  # the best arrangement of a page that does not fit: never printed
    overset: tuple[Overset, ...] = ()  # on a draft: lines that found no room
    ads: tuple[PlacedAd, ...] = ()


@dataclass(frozen=True)
class Overset:
    """Copy with no room on a draft: shown in a box hanging below its module."""

    key: str  # article slug, or "lede"
    box: Box  # the module the lines belong to
    lines: tuple[BodyRow, ...]
