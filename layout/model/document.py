"""The page as typed data once its sources are loaded and validated.

Every later stage takes these frozen objects, never raw YAML or Markdown, so
each stage can be tested on hand-made values.  `file` and `line` travel with
the text so that a problem found late (a character no font has, copy that does
not fit) can still point at the line the author wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Span:
    """A run of text with one style; `**bold**` in the body gives bold spans."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """A body paragraph or a `### ` crosshead (小标题)."""

    kind: Literal["paragraph", "crosshead"]
    spans: tuple[Span, ...]
    line: int  # 1-based line of the block's first line in its file
    continued: bool = False  # the rest of a paragraph begun on another page: no indent

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Image:
    path: Path
    width_px: int
    height_px: int
    caption: str | None = None
    credit: str | None = None
    # the editor's range for the photo's width in columns; None: the composer's default
    min_columns: int | None = None
    max_columns: int | None = None


@dataclass(frozen=True)
class Slot:
    """A module the editor pinned, as written: 1-based column and line of the type area.

    `file` and `line_no` say where it was written (an article's front matter or
    a layout file), so a slot that cannot be honoured is reported there.
    """

    column: int
    columns: int
    line: int
    lines: int
    file: Path
    line_no: int


@dataclass(frozen=True)
class Jump:
    """`continues:` in front matter: the article's rest runs on another page of the edition."""

    page: int | str  # the page it continues on: its 版次, or its directory's name
    line_no: int  # where `continues:` is written in the article file
    headline: str | None = None  # `jump_headline:`, over the rest; else the headline
    to: int | None = None  # the 版次 the edition resolved; None in a single-page build


@dataclass(frozen=True)
class Article:
    file: Path
    headline: str
    kicker: str | None = None
    subhead: str | None = None
    byline: str | None = None
    images: tuple[Image, ...] = ()
    blocks: tuple[Block, ...] = ()
    slug: str = ""  # file stem, used for ids and messages
    slot: Slot | None = None
    # pull quotes (引语) the composer may set in display type: `pullquote:` in front
    # matter first, then each paragraph marked `> `; they repeat copy, never replace it
    pullquotes: tuple[str, ...] = ()
    jump: Jump | None = None  # the rest continues on another page (下转)
    continued_from: int | None = None  # this is the rest of an article from that page (上接)
    # the furniture of a Chinese page: a vertical headline (竖排标题), a box (花边) of a
    # style of styles/boxes.css, the editor's note (编者按), the column logo (栏目头)
    headline_vertical: bool = False
    box: str | None = None
    note: str | None = None
    column_logo: str | None = None
    kind: str = "story"  # or PHOTO_STORY: the photo is the lead (图片新闻)


PHOTO_STORY = "photo-story"


@dataclass(frozen=True)
class Continuation:
    """The rest of a jumped article, which the edition carries to the page it continues on."""

    file: Path  # the article's source, where problems with it are reported
    slug: str
    headline: str  # `jump_headline:`, else the article's headline
    from_page: int  # 版次 of its first part
    to_page: int
    blocks: tuple[Block, ...]  # the first may be the rest of a paragraph (`continued`)


def rest_slug(slug: str, from_page: int) -> str:
    """The slug of a jumped article's rest on the page it runs on: never one of that
    page's own articles, and the id its module has there."""
    return f"{slug}-from-{from_page}"


AdPlace = Literal["bottom", "top", "left", "right", "ear"]


@dataclass(frozen=True)
class Ad:
    """An ad booked for the page (`ads:` in page.yaml): a fixed space the copy fits around.

    The booking, not the artwork, is the ad's size: whole columns as wide as the
    format's usual grid spans them, and `height_mm` high; the artwork is scaled to
    exactly that, never cropped, and the box around it snapped up to whole lines.
    """

    file: Path  # the artwork, inside the page directory
    kind: Literal["pdf", "svg", "png", "jpeg"]
    size: str  # as booked: 通栏, 半通栏, or N栏
    columns: int
    width_mm: float
    height_mm: float
    at: AdPlace | tuple[int, int]  # a named place, or (column, line) counted from 1
    client: str | None
    line_no: int  # of its entry in page.yaml
    index: int  # 1-based among the page's ads

    @property
    def name(self) -> str:
        """The ad as the ad desk knows it, for messages."""
        return f"ad {self.index} ({self.file.name}{', ' + self.client if self.client else ''})"


@dataclass(frozen=True)
class Banner:
    title: str
    kicker: str | None = None
    subtitle: str | None = None


@dataclass(frozen=True)
class Credits:
    lines: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    designer: str | None = None


@dataclass(frozen=True)
class Masthead:
    """报头 data of a front page: what identifies the paper and this issue."""

    issue: int  # 总第N期
    cn: str  # 国内统一连续出版物号, e.g. 15-0002
    issn: str  # e.g. 1003-5672
    variant: str = "00"  # EAN-13 price/variant digits
    addon: str | None = None  # 2-digit add-on; None: the issue number's last two digits
    url: str | None = None  # digital edition, printed as a QR code

    @property
    def addon_digits(self) -> str:
        return self.addon if self.addon is not None else f"{self.issue % 100:02d}"


@dataclass(frozen=True)
class Page:
    directory: Path
    paper: str
    date: date
    number: int  # 版次
    articles: tuple[Article, ...]
    section: str | None = None
    format: Literal["broadsheet", "tabloid", "auto"] = "broadsheet"
    banner: Banner | None = None
    lede: tuple[str, ...] = ()  # paragraphs
    credits: Credits = field(default_factory=Credits)
    lede_slot: Slot | None = None  # from a layout file
    body_pt: float | None = None  # body size fixed by a layout file
    masthead: Masthead | None = None  # a front page's 报头
    # 补白: short items (articles) placed only to fill a hole, each at most once
    fillers: tuple[Article, ...] = ()
    ads: tuple[Ad, ...] = ()  # booked before composition: the articles fit around them
    # its make-up: makeup.yaml beside page.yaml if there is one (or a file given to the build)
    layout_file: Path | None = None


@dataclass(frozen=True)
class Link:
    """A jump of an edition: an article of `sender` whose rest runs on `receiver` (page
    directories as the edition lists them)."""

    sender: Path
    article: Path  # its file
    line: int  # of `continues:` in the article
    slug: str
    receiver: Path
    to: int  # the receiver's 版次


@dataclass(frozen=True)
class Edition:
    """An edition: its pages in order, each a page directory built on its own."""

    file: Path  # edition.yaml
    paper: str
    date: date
    pages: tuple[Path, ...]
    title: str | None = None  # the edition PDF's title, if not paper and date
    links: tuple[Link, ...] = ()  # its jumps, resolved when it was loaded

    @property
    def heading(self) -> str:
        """The issue's title wherever it is named (edition PDF, METS): its own, or paper, date."""
        day = self.date
        return self.title or f"{self.paper} {day.year}年{day.month}月{day.day}日"
