"""Source models: the contract for hand-written sources, also published as JSON Schema.

Strict, so YAML's guesses (`no` as false, `1.0` as a number) are reported
rather than silently accepted, and each field carries the hint shown when it
is wrong.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from ..model.document import Slot
from ..typeset.normalise import normalise_text
from .located import describe, refused_characters

MAX_ARTICLES = 12  # a newspaper page holds up to about ten; more fails at once, not slowly
MAX_ADS = 6  # a page of ads is an ad page, not one this composer fits copy around
MAX_FILLERS = 12  # 补白 for a page's holes: a few are plenty; each one costs the composer time
# Characters a printed field may hold: far above what a paper prints (a headline is
# rarely over 30 characters, a lede over 300), low enough that the composer stays
# fast: fitting a headline or caption in three balanced lines grows with the cube
# of its length, and it is done at every width and size the search tries.
MAX_NAME_CHARS = 40  # paper, section, people's names, a photo's credit
MAX_HEADLINE_CHARS = 50  # an article's headline, the banner's title
MAX_CAPTION_CHARS = 80  # the costliest: set under every photo at every width tried
MAX_LINE_CHARS = 100  # kicker, subhead, byline, a credit line
MAX_LEDE_CHARS = 1_000
MAX_CREDITS = 10  # credit lines, and editors' names
MAX_PULLQUOTE_CHARS = 60  # display type read at a glance: two or three short lines
MAX_NOTE_CHARS = 300  # 编者按: a few sentences before the story
MAX_LOGO_CHARS = 8  # 栏目头: a column's name, 「记者手记」
PULLQUOTE_FIX = "mark a shorter paragraph with `> `, or write a shorter `pullquote:`"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _printable(value: str) -> str:
    """Refuse what the paper cannot print (emoji, combining marks…), naming it."""
    refused = refused_characters(value)
    if refused:
        _, message, fix = refused[0]
        raise PydanticCustomError("unprintable", "{message}", {"message": message, "fix": fix})
    return value


def _printed(max_chars: int) -> StringConstraints:
    """A printed field's length: `Annotated[str, _printed(limit), _PRINTABLE]`."""
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_chars)


_PRINTABLE = AfterValidator(_printable)
Name = Annotated[str, _printed(MAX_NAME_CHARS), _PRINTABLE]
Headline = Annotated[str, _printed(MAX_HEADLINE_CHARS), _PRINTABLE]
Caption = Annotated[str, _printed(MAX_CAPTION_CHARS), _PRINTABLE]
Line = Annotated[str, _printed(MAX_LINE_CHARS), _PRINTABLE]
Lede = Annotated[str, _printed(MAX_LEDE_CHARS), _PRINTABLE]
Note = Annotated[str, _printed(MAX_NOTE_CHARS), _PRINTABLE]
Logo = Annotated[str, _printed(MAX_LOGO_CHARS), _PRINTABLE]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Accept only YYYY-MM-DD, so `3/26/24` or a timestamp is never silently guessed."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "iso_date", "{value} is not a real date", {"value": value.strip()}
            ) from None
    raise PydanticCustomError(
        "iso_date", "expected a date written YYYY-MM-DD, got {got}", {"got": describe(value)}
    )


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def pullquote_chars(text: str) -> int:
    """Characters a pull quote prints: counted once normalised (joined lines, `……`), so
    the count is the same for the author's text and for what the page sets."""
    return len(normalise_text(text))


def _short_quote(value: str) -> str:
    length = pullquote_chars(value)
    if length > MAX_PULLQUOTE_CHARS:
        raise PydanticCustomError(
            "pullquote_too_long",
            "has {length} characters; a pull quote is at most {max}",
            {"length": length, "max": MAX_PULLQUOTE_CHARS},
        )
    return value


PullQuote = Annotated[Text, _PRINTABLE, AfterValidator(_short_quote)]


class Source(BaseModel):
    # Strict: YAML turns `no` into False and `1.0` into a float; say so rather than guess.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    # Concrete fixes per field path (list indices written `[]`), shown with any error there.
    hints: ClassVar[dict[str, str]] = {}


class BannerSource(Source):
    """The page banner (通栏标题) across the top of the page."""

    kicker: Line | None = Field(default=None, description="眉题: short line above the title.")
    title: Headline = Field(
        description="主标题: the banner title.", examples=["携手并进 合力聚势共赢美好未来"]
    )
    subtitle: Line | None = Field(default=None, description="副题: line below the title.")


class CreditsSource(Source):
    """Credit lines printed at the foot of the page."""

    lines: list[Line] = Field(
        default_factory=list,
        max_length=MAX_CREDITS,
        description="Free credit lines, each printed as written.",
        examples=[["本版文图由包头日报记者 张建芳 提供"]],
    )
    editors: list[Name] = Field(
        default_factory=list,
        max_length=MAX_CREDITS,
        description="责任编辑: editors' names.",
        examples=[["魏美丽", "蒋建波"]],
    )
    designer: Name | None = Field(default=None, description="美术编辑: the page designer.")


def _form(pattern: str) -> StringConstraints:
    """A string field written in a fixed form: `Annotated[str, _form(pattern)]`."""
    return StringConstraints(strip_whitespace=True, pattern=pattern)


class MastheadSource(Source):
    """报头 of a front page: the paper's registration numbers and this issue's number."""

    issue: int = Field(ge=1, description="总第N期: the paper's running issue number.")
    cn: Annotated[str, _form(r"^\d{2}-\d{4}$")] = Field(
        description="国内统一连续出版物号 without `CN`.", examples=["15-0002"]
    )
    issn: Annotated[str, _form(r"^\d{4}-\d{3}[\dX]$")] = Field(
        description="ISSN, NNNN-NNNC; its check digit is verified.", examples=["0317-8471"]
    )
    variant: Annotated[str, _form(r"^\d{2}$")] = Field(
        default="00", description="EAN-13 price/variant digits after the ISSN digits."
    )
    addon: Annotated[str, _form(r"^\d{2}$")] | None = Field(
        default=None,
        description="The barcode's 2-digit add-on (default: the issue number's last two).",
    )
    url: Annotated[str, _form(r"^https?://\S+$")] | None = Field(
        default=None, description="Address of the digital edition, printed as a QR code."
    )


class _IssueSource(Source):
    """What a page and an edition both name first: the paper and the day."""

    hints: ClassVar[dict[str, str]] = {
        "paper": "write the newspaper's name, e.g. `paper: 包头日报`",
        "date": "write the date as YYYY-MM-DD, e.g. `date: 2024-03-26`",
    }

    paper: Name = Field(description="报名: the newspaper's name.", examples=["包头日报"])
    date: IsoDate = Field(description="出版日期, written YYYY-MM-DD.", examples=["2024-03-26"])


class AdAtSource(Source):
    """An ad placed at a column and line, counted from 1 at the type area's top left."""

    column: int = Field(ge=1, description="First column of the ad, 1 at the left.")
    line: int = Field(ge=1, description="First line of the ad's box.")


class AdColumnsSource(Source):
    """An ad's width in whole columns."""

    columns: int = Field(ge=1, description="Width in whole columns.")


class AdSource(Source):
    """An ad booked for the page: its space is fixed before the articles are fitted."""

    file: Text = Field(
        description="The artwork: PDF, SVG, PNG or JPEG, relative to the page directory.",
        examples=["ads/bank.pdf"],
    )
    size: Text | AdColumnsSource = Field(
        description="通栏 (full width), 半通栏 (half the columns, rounded up), or `{columns: N}`.",
        examples=["通栏", {"columns": 3}],
    )
    height_mm: float | int = Field(
        gt=0, description="The booked height in mm; the box is snapped up to whole lines."
    )
    at: Literal["bottom", "top", "left", "right", "ear"] | AdAtSource = Field(
        default="bottom",
        description="bottom, top (under the banner), left or right (at the foot, against "
        "that edge), ear (报眼, beside a front page's masthead), or `{column, line}`.",
    )
    client: Name | None = Field(default=None, description="The advertiser, for the ad desk.")


class PageSource(_IssueSource):
    """page.yaml: one newspaper page, its banner and its articles in priority order."""

    model_config = ConfigDict(title="page.yaml")
    hints: ClassVar[dict[str, str]] = {
        **_IssueSource.hints,
        "page": "write the page number (版次) as a whole number of 1 or more, e.g. `page: 5`",
        "section": "write the section name (版名) as text, e.g. `section: 专版`",
        "format": "write `format: broadsheet`, `tabloid` or `auto` (the composer picks), "
        "or leave it out",
        "headline": "give the banner at least a title, e.g. `headline: {title: 携手并进}`",
        "headline.title": "give the banner a title: `title: …` indented under `headline:`",
        "lede": "write the lede as text; use `lede: |` for several paragraphs",
        "articles": "list the article files in priority order, e.g. `articles: [01-story.md]`",
        "articles[]": "write each article as a file name in the page directory, e.g. 01-story.md",
        "fillers": "list the filler files (补白), e.g. `fillers: [fillers/brief1.md]`",
        "fillers[]": "write each filler as a file name in the page directory, e.g. brief1.md",
        "credits.lines": "list the credit lines, e.g. `lines: [本版文图由记者 张三 提供]`",
        "credits.editors": "list the editors' names, e.g. `editors: [魏美丽, 蒋建波]`",
        "credits.editors[]": "write each editor's name as text",
        "ads": "list the ads booked, e.g. `ads: [{file: ads/bank.pdf, size: 通栏, height_mm: 70}]`",
        "ads[]": "write each ad as fields: file, size, height_mm, and optionally at and client",
        "ads[].file": "give the artwork's file relative to the page directory, "
        "e.g. `file: ads/bank.pdf`",
        "ads[].size": "write `size: 通栏`, `size: 半通栏` or `size: {columns: 3}`",
        "ads[].height_mm": "write the booked height in mm as a number, e.g. `height_mm: 70`",
        "ads[].at": "write `at: bottom`, `top`, `left`, `right`, `ear` or "
        "`at: {column: 1, line: 40}`",
        "masthead.issue": "write the running issue number (总第N期) as a whole number",
        "masthead.cn": "write the CN number without `CN`, e.g. `cn: 15-0002`",
        "masthead.issn": "write the ISSN as printed, e.g. `issn: 0317-8471`",
        "masthead.variant": "write the two price/variant digits of the barcode, e.g. `00`",
        "masthead.addon": "write the two digits of the barcode's add-on, e.g. `26`",
        "masthead.url": "write the digital edition's address, starting https://",
    }

    page: int = Field(ge=1, description="版次: the page number, 1 or more.", examples=[5])
    section: Name | None = Field(
        default=None, description="版名: the section name.", examples=["专版"]
    )
    format: Literal["broadsheet", "tabloid", "auto"] = Field(
        default="broadsheet",
        description="Paper size: broadsheet (对开, default), tabloid (四开), or auto: "
        "the composer picks by the amount of copy.",
    )
    headline: BannerSource | None = Field(default=None, description="The page banner (通栏标题).")
    lede: Lede | None = Field(
        default=None, description="导语 under the banner; a blank line separates paragraphs."
    )
    articles: list[Text] = Field(
        min_length=1,
        max_length=MAX_ARTICLES,
        description="Article files (Markdown), relative to this directory, in priority order.",
        examples=[["01-fagaiwei.md", "02-gongxinju.md"]],
    )
    fillers: list[Text] = Field(
        default_factory=list,
        max_length=MAX_FILLERS,
        description="补白: short article files placed only to fill a hole, each at most once.",
        examples=[["fillers/brief1.md"]],
    )
    credits: CreditsSource | None = Field(
        default=None, description="Credit lines at the page foot."
    )
    masthead: MastheadSource | None = Field(
        default=None, description="报头: a front page's masthead (required on page 1)."
    )
    ads: list[AdSource] = Field(
        default_factory=list,
        max_length=MAX_ADS,
        description="Ads booked for the page (版面计划): the articles are fitted around them.",
    )


class ImageSource(Source):
    """A photo placed with the article."""

    file: Text = Field(
        description="JPEG or PNG file, relative to the page directory.", examples=["photo.jpg"]
    )
    caption: Caption | None = Field(default=None, description="图片说明: the caption.")
    credit: Name | None = Field(default=None, description="Photographer credit, e.g. 记者 张三 摄.")
    min_columns: int | None = Field(
        default=None, ge=1, description="The narrowest the photo may be set, in columns."
    )
    max_columns: int | None = Field(
        default=None, ge=1, description="The widest the photo may be set, in columns."
    )


class SlotSource(Source):
    """A module pinned by the editor, counted from 1 at the type area's top left."""

    column: int = Field(ge=1, description="First column of the module, 1 at the left.")
    columns: int = Field(ge=1, description="Width in whole columns.")
    line: int = Field(
        ge=1, description="First line of the module; line 1 is the top of the type area."
    )
    lines: int = Field(ge=1, description="Height in whole body lines.")

    def at(self, file: Path, line: int) -> Slot:
        """The pinned slot, remembering where it was written so problems with it are located."""
        return Slot(self.column, self.columns, self.line, self.lines, file, line)


class JumpSource(Source):
    """Where an article's rest continues (下转): a page of the same edition."""

    page: int | Text = Field(
        description="The page it continues on: its number (版次), or its directory's name.",
        examples=[4, "p04"],
    )


class ArticleSource(Source):
    """Article front matter: the YAML between the `---` lines at the top of the .md file."""

    model_config = ConfigDict(title="article front matter")
    hints: ClassVar[dict[str, str]] = {
        "headline": "write the headline in the front matter, e.g. `headline: 项目建设提速`",
        "kicker": "write the kicker (引题) as text",
        "subhead": "write the subhead (副题) as text",
        "byline": "write the byline as text, e.g. `byline: 记者 张建芳`",
        "images": "list the images, e.g. `images: [{file: photo.jpg, caption: …}]`",
        "images[]": "write each image as fields, e.g. `- file: photo.jpg`",
        "images[].file": "give the file relative to the page directory, e.g. `file: photo.jpg`",
        "images[].min_columns": "give the narrowest width in columns, e.g. `min_columns: 2`",
        "images[].max_columns": "give the widest width in columns, e.g. `max_columns: 3`",
        "pullquote": "write the pull quote (引语) as text, e.g. `pullquote: 创新是第一动力`",
        "slot": "pin the module as `slot: {column: 1, columns: 3, line: 12, lines: 40}`",
        "continues": "name the page the rest runs on, e.g. `continues: {page: 4}`",
        "continues.page": "write the page's number (版次) or its directory's name, e.g. `page: 4`",
        "jump_headline": "write the short headline over the rest, e.g. `jump_headline: 项目提速`",
        "headline_vertical": "write `headline_vertical: true` to set the headline vertically",
        "box": "name a box style, e.g. `box: rule` (styles/boxes.css lists them)",
        "note": "write the editor's note (编者按) as text, e.g. `note: 本报今起推出…`",
        "column_logo": "write the column's name, e.g. `column_logo: 记者手记`",
        "kind": "write `kind: story` or `kind: photo-story`",
        **{
            f"slot.{name}": "give four whole numbers from 1, e.g. "
            "`slot: {column: 1, columns: 3, line: 12, lines: 40}`"
            for name in ("column", "columns", "line", "lines")
        },
    }

    headline: Headline = Field(description="主题: the article headline.", examples=["项目建设提速"])
    kicker: Line | None = Field(default=None, description="引题: line above the headline.")
    subhead: Line | None = Field(default=None, description="副题: line below the headline.")
    byline: Line | None = Field(default=None, description="Byline, e.g. 记者 张建芳.")
    images: list[ImageSource] = Field(default_factory=list, description="Photos, in order.")
    pullquote: PullQuote | None = Field(
        default=None,
        description="引语: a sentence of the article the composer may repeat in display type; "
        "a body paragraph opened by `> ` is one too.",
    )
    slot: SlotSource | None = Field(
        default=None, description="Pin the article's module; the engine fits the others around it."
    )
    continues: JumpSource | None = Field(
        default=None,
        description="下转: in an edition, the rest of the article runs on this page.",
    )
    jump_headline: Headline | None = Field(
        default=None, description="The short headline over the rest (default: the headline)."
    )
    headline_vertical: bool = Field(
        default=False,
        description="竖排标题: set the headline upright, top to bottom, in the module's "
        "right-hand column, beside the body.",
    )
    box: Text | None = Field(
        default=None,
        description="花边/框: a box around the story, in a box style of styles/boxes.css: "
        "rule, double or shaded.",
    )
    note: Note | None = Field(
        default=None, description="编者按: the editor's note, set before the body in 楷体."
    )
    column_logo: Logo | None = Field(
        default=None, description="栏目头: the column's label over the headline, e.g. 记者手记."
    )
    kind: Literal["story", "photo-story"] = Field(
        default="story",
        description="photo-story (图片新闻): the photo is the lead, the text short, under it.",
    )


class LayoutModuleSource(SlotSource):
    """A module of a layout file: its slot, and how its headline is set."""

    vertical: bool | None = Field(
        default=None, description="Set the headline vertically (true) or across (false)."
    )


class LayoutSource(Source):
    """A layout file: where every module of a page goes, as `--layout-out` writes it."""

    model_config = ConfigDict(title="layout file")
    hints: ClassVar[dict[str, str]] = {
        "format": "write the page's format, `format: broadsheet` or `format: tabloid`",
        "body": "write the body size in points, e.g. `body: 9`",
        "lede": "write the lede's slot as `lede: {column: 1, columns: 5, line: 9, lines: 8}`",
        "modules": "list each article file with its slot, e.g. "
        "`01-story.md: {column: 1, columns: 3, line: 12, lines: 40}`",
    }

    format: Literal["broadsheet", "tabloid"] = Field(description="The page's format.")
    body: float = Field(gt=0, description="Body size in points, one of the format's sizes.")
    lede: SlotSource | None = Field(
        default=None, description="The lede's slot, if the page has one."
    )
    modules: dict[Text, LayoutModuleSource] = Field(
        default_factory=dict, description="Article file name → its slot; unlisted ones float."
    )


class EditionSource(_IssueSource):
    """edition.yaml: one day's edition, its pages in order."""

    model_config = ConfigDict(title="edition.yaml")
    hints: ClassVar[dict[str, str]] = {
        **_IssueSource.hints,
        "title": "write the edition's title as text, or leave it out",
        "pages": "list the page directories in order, e.g. `pages: [p01, p02]`",
        "pages[]": "write each page as a directory path relative to edition.yaml",
    }

    title: Text | None = Field(
        default=None, description="Title of the edition PDF (default: paper, date)."
    )
    pages: list[Text] = Field(
        min_length=1,
        description="Page directories relative to edition.yaml, in the order printed.",
        examples=[["p01", "p05"]],
    )
