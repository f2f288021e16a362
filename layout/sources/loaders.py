"""Load & validate: turn a page directory into a typed `Page`, or list all that is wrong with it.

Sources are edited by hand, so one run must report every problem at once, each
with file, line, field and a concrete fix; a traceback, or only the first
error, costs the author a round trip per mistake.  Body text is never
interpreted beyond `### ` crossheads and `**bold**`: whatever else the author
typed (HTML, template syntax, links) is kept as literal text, never lost.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar, get_args

import yaml
from PIL import Image as PILImage
from PIL import ImageFile, UnidentifiedImageError
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from .. import PROJECT
from ..errors import Problem, SourceError
from ..model.document import (
    Article,
    Banner,
    Block,
    Credits,
    Edition,
    Image,
    Masthead,
    Page,
    Slot,
    Span,
)
from ..model.grid import FORMATS
from ..render.masthead import check_issn

PAGE_FILE = "page.yaml"
EDITION_FILE = "edition.yaml"
SCHEMA_DIR = PROJECT / "schema"
IMAGE_FORMATS = frozenset({"JPEG", "PNG"})
# Far above any press photo (a full broadsheet page at 300 dpi is ~60 MP) and
# low enough that decoding cannot exhaust memory.
MAX_PIXELS = 100_000_000
# Limits that make a pathological page fail at once instead of hanging the build.
MAX_ARTICLES = 12  # a newspaper page holds up to about ten
MAX_ARTICLE_BYTES = 1_000_000  # several pages of copy
MAX_PARAGRAPH_CHARS = 5_000  # a newspaper paragraph is rarely over 500

T = TypeVar("T")


# --- Source models: the contract, also published as JSON Schema for editors.

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
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
        "iso_date", "expected a date written YYYY-MM-DD, got {got}", {"got": _describe(value)}
    )


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class _Source(BaseModel):
    # Strict: YAML turns `no` into False and `1.0` into a float; say so rather than guess.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    # Concrete fixes per field path (list indices written `[]`), shown with any error there.
    hints: ClassVar[dict[str, str]] = {}


S = TypeVar("S", bound=_Source)


class BannerSource(_Source):
    """The page banner (通栏标题) across the top of the page."""

    kicker: Text | None = Field(None, description="眉题: short line above the title.")
    title: Text = Field(
        description="主标题: the banner title.", examples=["携手并进 合力聚势共赢美好未来"]
    )
    subtitle: Text | None = Field(None, description="副题: line below the title.")


class CreditsSource(_Source):
    """Credit lines printed at the foot of the page."""

    lines: list[Text] = Field(
        default_factory=list,
        description="Free credit lines, each printed as written.",
        examples=[["本版文图由包头日报记者 张建芳 提供"]],
    )
    editors: list[Text] = Field(
        default_factory=list,
        description="责任编辑: editors' names.",
        examples=[["魏美丽", "蒋建波"]],
    )
    designer: Text | None = Field(None, description="美术编辑: the page designer.")


def _form(pattern: str) -> Any:
    return Annotated[str, StringConstraints(strip_whitespace=True, pattern=pattern)]


class MastheadSource(_Source):
    """报头 of a front page: the paper's registration numbers and this issue's number."""

    issue: int = Field(ge=1, description="总第N期: the paper's running issue number.")
    cn: _form(r"^\d{2}-\d{4}$") = Field(
        description="国内统一连续出版物号 without `CN`.", examples=["15-0002"]
    )
    issn: _form(r"^\d{4}-\d{3}[\dX]$") = Field(
        description="ISSN, NNNN-NNNC; its check digit is verified.", examples=["0317-8471"]
    )
    variant: _form(r"^\d{2}$") = Field(
        "00", description="EAN-13 price/variant digits after the ISSN digits."
    )
    addon: _form(r"^\d{2}$") | None = Field(
        None, description="The barcode's 2-digit add-on (default: the issue number's last two)."
    )
    url: _form(r"^https?://\S+$") | None = Field(
        None, description="Address of the digital edition, printed as a QR code."
    )


class _IssueSource(_Source):
    """What a page and an edition both name first: the paper and the day."""

    hints: ClassVar[dict[str, str]] = {
        "paper": "write the newspaper's name, e.g. `paper: 包头日报`",
        "date": "write the date as YYYY-MM-DD, e.g. `date: 2024-03-26`",
    }

    paper: Text = Field(description="报名: the newspaper's name.", examples=["包头日报"])
    date: IsoDate = Field(description="出版日期, written YYYY-MM-DD.", examples=["2024-03-26"])


class PageSource(_IssueSource):
    """page.yaml: one newspaper page, its banner and its articles in priority order."""

    model_config = ConfigDict(title="page.yaml")
    hints: ClassVar[dict[str, str]] = {
        **_IssueSource.hints,
        "page": "write the page number (版次) as a whole number of 1 or more, e.g. `page: 5`",
        "section": "write the section name (版名) as text, e.g. `section: 专版`",
        "format": "write `format: broadsheet` or `format: tabloid`, or leave it out",
        "headline": "give the banner at least a title, e.g. `headline: {title: 携手并进}`",
        "headline.title": "give the banner a title: `title: …` indented under `headline:`",
        "lede": "write the lede as text; use `lede: |` for several paragraphs",
        "articles": "list the article files in priority order, e.g. `articles: [01-story.md]`",
        "articles[]": "write each article as a file name in the page directory, e.g. 01-story.md",
        "credits.lines": "list the credit lines, e.g. `lines: [本版文图由记者 张三 提供]`",
        "credits.editors": "list the editors' names, e.g. `editors: [魏美丽, 蒋建波]`",
        "credits.editors[]": "write each editor's name as text",
        "masthead.issue": "write the running issue number (总第N期) as a whole number",
        "masthead.cn": "write the CN number without `CN`, e.g. `cn: 15-0002`",
        "masthead.issn": "write the ISSN as printed, e.g. `issn: 0317-8471`",
        "masthead.variant": "write the two price/variant digits of the barcode, e.g. `00`",
        "masthead.addon": "write the two digits of the barcode's add-on, e.g. `26`",
        "masthead.url": "write the digital edition's address, starting https://",
    }

    page: int = Field(ge=1, description="版次: the page number, 1 or more.", examples=[5])
    section: Text | None = Field(None, description="版名: the section name.", examples=["专版"])
    format: Literal["broadsheet", "tabloid"] = Field(
        "broadsheet", description="Paper size: broadsheet (对开, default) or tabloid (四开)."
    )
    headline: BannerSource | None = Field(None, description="The page banner (通栏标题).")
    lede: Text | None = Field(
        None, description="导语 under the banner; a blank line separates paragraphs."
    )
    articles: list[Text] = Field(
        min_length=1,
        max_length=MAX_ARTICLES,
        description="Article files (Markdown), relative to this directory, in priority order.",
        examples=[["01-fagaiwei.md", "02-gongxinju.md"]],
    )
    credits: CreditsSource | None = Field(None, description="Credit lines at the page foot.")
    masthead: MastheadSource | None = Field(
        None, description="报头: a front page's masthead (required on page 1)."
    )


class ImageSource(_Source):
    """A photo placed with the article."""

    file: Text = Field(
        description="JPEG or PNG file, relative to the page directory.", examples=["photo.jpg"]
    )
    caption: Text | None = Field(None, description="图片说明: the caption.")
    credit: Text | None = Field(None, description="Photographer credit, e.g. 记者 张三 摄.")


class SlotSource(_Source):
    """A module pinned by the editor, counted from 1 at the type area's top left."""

    column: int = Field(ge=1, description="First column of the module, 1 at the left.")
    columns: int = Field(ge=1, description="Width in whole columns.")
    line: int = Field(
        ge=1, description="First line of the module; line 1 is the top of the type area."
    )
    lines: int = Field(ge=1, description="Height in whole body lines.")


class ArticleSource(_Source):
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
        "slot": "pin the module as `slot: {column: 1, columns: 3, line: 12, lines: 40}`",
        **{
            f"slot.{name}": "give four whole numbers from 1, e.g. "
            "`slot: {column: 1, columns: 3, line: 12, lines: 40}`"
            for name in ("column", "columns", "line", "lines")
        },
    }

    headline: Text = Field(description="主题: the article headline.", examples=["项目建设提速"])
    kicker: Text | None = Field(None, description="引题: line above the headline.")
    subhead: Text | None = Field(None, description="副题: line below the headline.")
    byline: Text | None = Field(None, description="Byline, e.g. 记者 张建芳.")
    images: list[ImageSource] = Field(default_factory=list, description="Photos, in order.")
    slot: SlotSource | None = Field(
        None, description="Pin the article's module; the engine fits the others around it."
    )


class LayoutSource(_Source):
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
    lede: SlotSource | None = Field(None, description="The lede's slot, if the page has one.")
    modules: dict[Text, SlotSource] = Field(
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

    title: Text | None = Field(None, description="Title of the edition PDF (default: paper, date).")
    pages: list[Text] = Field(
        min_length=1,
        description="Page directories relative to edition.yaml, in the order printed.",
        examples=[["p01", "p05"]],
    )


# --- Entry points.


def load_page(directory: Path) -> Page:
    """Load and validate a page directory; raise `SourceError` listing every problem found."""
    problems: list[Problem] = []
    page = _read_page(Path(directory), problems)
    if page is None:
        raise SourceError(_in_reading_order(problems))
    return page


def load_edition(directory: Path) -> Edition:
    """Load and validate an edition directory; raise `SourceError` listing every problem.

    Each page's own sources are validated when the page is built; here only what
    ties the pages together: they exist, none twice, and each page.yaml agrees
    with the edition on paper and date and has a page number of its own.
    """
    path = Path(directory) / EDITION_FILE
    missing = Problem(f"{EDITION_FILE} not found", path, hint="write paper, date and pages")
    doc, source = _read_model(path, EditionSource, missing)
    problems: list[Problem] = []
    pages = [path.parent / entry for entry in source.pages]
    _check_edition_pages(source, pages, doc, problems)
    if problems:
        raise SourceError(_in_reading_order(problems))
    return Edition(path, source.paper, source.date, tuple(pages), source.title)


def page_directories(target: Path) -> list[Path]:
    """The pages of an edition directory, or a page directory itself."""
    return list(load_edition(target).pages) if (target / EDITION_FILE).is_file() else [target]


def _read_model(path: Path, model: type[S], missing: Problem) -> tuple[_Yaml, S]:
    """A YAML file validated as `model`, or SourceError with every problem (`missing` if absent)."""
    problems: list[Problem] = []
    text = _read_text(path, problems) if path.is_file() else None
    if text is None:
        raise SourceError(problems or [missing])
    doc = _parse_yaml(text, path, 1, problems)
    source = _validate(model, doc, problems) if doc else None
    if source is None:
        raise SourceError(_in_reading_order(problems))
    return doc, source


def _check_edition_pages(
    source: EditionSource, pages: list[Path], doc: _Yaml, problems: list[Problem]
) -> None:
    seen_dirs: set[Path] = set()
    numbers: dict[int, str] = {}
    for index, page in enumerate(pages):
        loc = ("pages", index)
        if not (page / PAGE_FILE).is_file():
            problems.append(
                doc.problem(
                    f"{source.pages[index]} is not a page directory (no {PAGE_FILE} in it)",
                    loc,
                    "give a directory holding page.yaml, relative to edition.yaml",
                )
            )
            continue
        if page.resolve() in seen_dirs:
            problems.append(doc.problem("this page is listed twice", loc, "list each page once"))
            continue
        seen_dirs.add(page.resolve())
        page_doc = _open_page_yaml(page, [])
        header = _validate(PageSource, page_doc, []) if page_doc else None
        if header is None:
            continue  # its own build reports what is wrong with it
        for name in ("paper", "date"):
            if getattr(header, name) != getattr(source, name):
                problems.append(
                    page_doc.problem(
                        f"{name} is {getattr(header, name)}; edition.yaml says "
                        f"{getattr(source, name)}",
                        (name,),
                        f"make `{name}` the same in the page and the edition",
                    )
                )
        if header.page in numbers:
            problems.append(
                page_doc.problem(
                    f"page {header.page} is also the number of {numbers[header.page]}",
                    ("page",),
                    "give each page of the edition its own number (版次)",
                )
            )
        numbers.setdefault(header.page, source.pages[index])


def load_layout(path: Path, page: Page) -> Page:
    """`page` with the slots and body size of a layout file; SourceError for all that is wrong.

    A slot in the layout file wins over one in the article's front matter.
    """
    missing = Problem("layout file not found", path, hint="give a file written by --layout-out")
    doc, source = _read_model(path, LayoutSource, missing)
    problems: list[Problem] = []
    bodies = [em for em, _ in FORMATS[page.format].bodies]
    if source.format != page.format:
        problems.append(
            doc.problem(
                f"the layout is for a {source.format} page; page.yaml says {page.format}",
                ("format",),
                "write a new layout with --layout-out, or fix the format",
            )
        )
    elif source.body not in bodies:
        problems.append(
            doc.problem(
                f"a {page.format} page is set in " + " or ".join(f"{b:g}" for b in bodies) + " pt",
                ("body",),
                f"write `body: {bodies[0]:g}`",
            )
        )
    by_name = {article.file.name: article for article in page.articles}
    for name in source.modules:
        if name not in by_name:
            problems.append(
                doc.problem(
                    f"{name} is not an article of this page",
                    ("modules", name),
                    _suggest(name, list(by_name)),
                )
            )
    if source.lede and not page.lede:
        problems.append(doc.problem("the page has no lede", ("lede",), "remove `lede:`"))
    if problems:
        raise SourceError(_in_reading_order(problems))

    def slot(loc: tuple[str, ...], value: SlotSource) -> Slot:
        return _slot(value, path, doc.line(loc))

    articles = tuple(
        replace(article, slot=slot(("modules", name), source.modules[name]))
        if name in source.modules
        else article
        for name, article in by_name.items()
    )
    return replace(
        page,
        articles=articles,
        lede_slot=slot(("lede",), source.lede) if source.lede else page.lede_slot,
        body_pt=source.body,
    )


def parse_body(text: str, first_line: int = 1) -> tuple[Block, ...]:
    """Split an article body into paragraphs and `### ` crossheads, with `**bold**` spans.

    Lines of a paragraph stay joined by "\\n" (a later stage decides how to join
    them); anything else the author typed is kept literally.
    """
    return tuple(
        Block(kind, _spans("\n".join(lines)), line)
        for kind, line, lines in _chunks(_lines(text), first_line)
    )


def page_schema() -> dict[str, Any]:
    """JSON Schema for page.yaml, for editor completion and checking."""
    return _schema(PageSource)


def article_schema() -> dict[str, Any]:
    """JSON Schema for an article's front matter."""
    return _schema(ArticleSource)


def edition_schema() -> dict[str, Any]:
    return _schema(EditionSource)


def layout_schema() -> dict[str, Any]:
    """JSON Schema for a layout file."""
    return _schema(LayoutSource)


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """(Re)write the page, article and layout schemas; a test keeps them current."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    schemas = (
        ("page", page_schema()),
        ("article", article_schema()),
        ("layout", layout_schema()),
        ("edition", edition_schema()),
    )
    for name, schema in schemas:
        path = directory / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}


# --- Page.


def _read_page(directory: Path, problems: list[Problem]) -> Page | None:
    doc = _open_page_yaml(directory, problems)
    if doc is None:
        return None
    source = _validate(PageSource, doc, problems)
    articles = _load_articles(directory, doc, problems)
    masthead = _masthead(source, doc, problems) if source else None
    if source is None or problems:
        return None
    banner, credits = source.headline, source.credits or CreditsSource()
    return Page(
        masthead=masthead,
        directory=directory,
        paper=source.paper,
        date=source.date,
        number=source.page,
        articles=tuple(articles),
        section=source.section,
        format=source.format,
        banner=Banner(banner.title, banner.kicker, banner.subtitle) if banner else None,
        lede=_paragraphs(source.lede or ""),
        credits=Credits(tuple(credits.lines), tuple(credits.editors), credits.designer),
    )


def _masthead(source: PageSource, doc: _Yaml, problems: list[Problem]) -> Masthead | None:
    """The front page's masthead; page 1 must have one, and its ISSN must check."""
    given = source.masthead
    if given is None:
        if source.page == 1:
            problems.append(
                doc.problem(
                    "page 1 is the front page: it carries the masthead (报头)",
                    ("page",),
                    "add `masthead: {issue: 12345, cn: 15-0002, issn: 0317-8471}` "
                    "with the paper's own numbers",
                )
            )
        return None
    wrong = check_issn(given.issn)
    if wrong:
        problems.append(
            doc.problem(wrong, ("masthead", "issn"), "copy the ISSN exactly as registered")
        )
    return Masthead(given.issue, given.cn, given.issn, given.variant, given.addon, given.url)


def _open_page_yaml(directory: Path, problems: list[Problem]) -> _Yaml | None:
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "not found"
        problems.append(
            Problem(
                f"page directory {what}", directory, hint="give the directory holding page.yaml"
            )
        )
        return None
    path = directory / PAGE_FILE
    if not path.is_file():
        problems.append(
            Problem(
                f"{PAGE_FILE} not found",
                path,
                hint="every page directory needs a page.yaml with paper, date, page and articles",
            )
        )
        return None
    text = _read_text(path, problems)
    return None if text is None else _parse_yaml(text, path, 1, problems)


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip())


def _load_articles(directory: Path, doc: _Yaml, problems: list[Problem]) -> list[Article]:
    """Load every well-formed entry, even if page.yaml has other problems, to report all at once."""
    articles: list[Article] = []
    first_listed: dict[Path, int] = {}
    entries = list(_valid_items(doc.data, "articles", TypeAdapter(Text)))
    if len(entries) > MAX_ARTICLES:
        return []  # reported by validation; not worth reading thousands of files
    listed = frozenset(Path(entry).name for _, entry in entries)
    for index, entry in entries:
        loc = ("articles", index)
        path = _source_file(directory, entry, doc, loc, problems, listed=listed)
        if path is None:
            continue
        real = path.resolve()
        if real in first_listed:
            problems.append(
                doc.problem(
                    f"{entry} is listed twice",
                    loc,
                    f"remove this entry; the article is already articles[{first_listed[real]}]",
                )
            )
            continue
        first_listed[real] = index
        article = _load_article(directory, path, Path(entry).stem, problems)
        if article is not None:
            articles.append(article)
    return articles


# --- Article.


def _load_article(
    directory: Path, path: Path, slug: str, problems: list[Problem]
) -> Article | None:
    before = len(problems)
    if path.stat().st_size > MAX_ARTICLE_BYTES:
        problems.append(
            Problem(
                f"the file is {path.stat().st_size:,} bytes; an article is at most "
                f"{MAX_ARTICLE_BYTES:,}",
                path,
                hint="split it into several articles, or check that it is the right file",
            )
        )
        return None
    text = _read_text(path, problems)
    if text is None:
        return None
    lines = _lines(text)
    end = _front_matter_end(lines, path, problems)
    if end is None:
        return None
    doc = _parse_yaml("\n".join(lines[1:end]), path, 2, problems)
    source = _validate(ArticleSource, doc, problems) if doc else None
    images = _load_images(directory, doc, problems) if doc else []
    body_line = end + 2
    blocks = parse_body("\n".join(lines[end + 1 :]), body_line)
    if not blocks:
        problems.append(
            Problem(
                "the article has no text",
                path,
                body_line,
                "body",
                "write the article text below the front matter's closing `---`",
            )
        )
    for block in blocks:
        if len(block.text) > MAX_PARAGRAPH_CHARS:
            problems.append(
                Problem(
                    f"this paragraph has {len(block.text):,} characters; at most "
                    f"{MAX_PARAGRAPH_CHARS:,} can be set",
                    path,
                    block.line,
                    "body",
                    "split it with blank lines where the paragraphs end",
                )
            )
    if source is None or len(problems) > before:
        return None
    return Article(
        file=path,
        headline=source.headline,
        kicker=source.kicker,
        subhead=source.subhead,
        byline=source.byline,
        images=tuple(images),
        blocks=blocks,
        slug=slug,
        slot=_slot(source.slot, path, doc.line(("slot",))) if source.slot else None,
    )


def _slot(source: SlotSource, file: Path, line: int) -> Slot:
    return Slot(source.column, source.columns, source.line, source.lines, file, line)


def _front_matter_end(lines: list[str], path: Path, problems: list[Problem]) -> int | None:
    """Index of the line closing the front matter, which must open on line 1."""
    if not lines or lines[0].rstrip() != "---":
        problems.append(
            Problem(
                "no front matter: the file must start with a `---` line",
                path,
                1,
                hint="start the file with `---`, then `headline: …`, then `---`, then the text",
            )
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return index
    problems.append(
        Problem(
            "the front matter opened on line 1 is never closed",
            path,
            1,
            hint="add a `---` line after the last front-matter field, before the text",
        )
    )
    return None


_CROSSHEAD = re.compile(r"###\s+(\S.*)")
_BOLD = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*", re.DOTALL)


def _lines(text: str) -> list[str]:
    # Not str.splitlines(): it also breaks at form feeds and U+2028, which would
    # shift line numbers away from what the author's editor shows.
    return re.split(r"\r\n|\r|\n", text)


def _chunks(
    lines: list[str], first_line: int
) -> Iterator[tuple[Literal["paragraph", "crosshead"], int, list[str]]]:
    """Group stripped lines into (kind, first line number, lines)."""
    run: list[str] = []
    start = first_line
    for number, raw in enumerate(lines, first_line):
        line = raw.strip()
        crosshead = _CROSSHEAD.fullmatch(line)
        if run and (crosshead or not line):
            yield "paragraph", start, run
            run = []
        if crosshead:
            yield "crosshead", number, [crosshead[1].strip()]
        elif line:
            if not run:
                start = number
            run.append(line)
    if run:
        yield "paragraph", start, run


def _spans(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            spans.append(Span(text[position : match.start()]))
        spans.append(Span(match[1], bold=True))
        position = match.end()
    if position < len(text):
        spans.append(Span(text[position:]))
    return tuple(spans)


# --- Images.


def _load_images(directory: Path, doc: _Yaml, problems: list[Problem]) -> list[Image]:
    images: list[Image] = []
    for index, source in _valid_items(doc.data, "images", TypeAdapter(ImageSource)):
        loc = ("images", index, "file")
        path = _source_file(directory, source.file, doc, loc, problems)
        size = path and _image_size(path, source.file, doc, loc, problems)
        if path and size:
            images.append(Image(path, size[0], size[1], source.caption, source.credit))
    return images


def _image_size(
    path: Path, entry: str, doc: _Yaml, loc: tuple[str | int, ...], problems: list[Problem]
) -> tuple[int, int] | None:
    """Pixel size of a JPEG or PNG, decoded here so a broken photo is a message, not a crash."""
    try:
        kind, width, height = _inspect_image(path)
    except PILImage.DecompressionBombError:
        problems.append(
            doc.problem(f"{entry} has too many pixels to open safely", loc, _SCALE_DOWN)
        )
        return None
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError… for bad files
        reason = "no known image format" if isinstance(exc, UnidentifiedImageError) else exc
        problems.append(
            doc.problem(
                f"{entry} is not a readable JPEG or PNG image ({reason})",
                loc,
                "export the picture again as JPEG or PNG; this file is damaged or not an image",
            )
        )
        return None
    if kind not in IMAGE_FORMATS:
        problems.append(
            doc.problem(
                f"{entry} is a {kind} image; only JPEG and PNG can be printed",
                loc,
                "convert it to JPEG (photos) or PNG (graphics)",
            )
        )
        return None
    if width * height > MAX_PIXELS:
        problems.append(
            doc.problem(
                f"{entry} is {width}×{height} pixels, over {MAX_PIXELS // 1_000_000} megapixels",
                loc,
                _SCALE_DOWN,
            )
        )
        return None
    return width, height


_SCALE_DOWN = "scale the picture down; 300 dpi at full page width needs far fewer pixels"


def _inspect_image(path: Path) -> tuple[str | None, int, int]:
    """Format and size, after a full decode of acceptable images; raises on unreadable files."""
    with warnings.catch_warnings(), _truncation_is_an_error():
        # Pillow warns from ~89 MP; MAX_PIXELS, checked before decoding, is our limit.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        with PILImage.open(path) as image:
            kind, (width, height) = image.format, image.size
            if kind not in IMAGE_FORMATS or width * height > MAX_PIXELS:
                return kind, width, height
            image.verify()
        with PILImage.open(path) as image:  # verify() leaves it unusable; load() finds truncation
            image.load()
    return kind, width, height


@contextmanager
def _truncation_is_an_error() -> Iterator[None]:
    """WeasyPrint, once imported, makes Pillow pad truncated images silently, for all callers.

    A half-copied photo must still be reported here, so decode strictly and restore the setting.
    """
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


# --- Files.


def _source_file(
    directory: Path,
    entry: str,
    doc: _Yaml,
    loc: tuple[str | int, ...],
    problems: list[Problem],
    *,
    listed: frozenset[str] = frozenset(),
) -> Path | None:
    """The file an entry names, if it exists inside the page directory.

    Keeping sources inside the directory lets a page be moved or archived whole.
    """
    path = directory / entry
    if Path(entry).is_absolute() or ".." in Path(entry).parts:
        problems.append(doc.problem(f"{entry} is outside the page directory", loc, _INSIDE))
        return None
    try:
        inside = path.resolve().is_relative_to(directory.resolve())
        exists, is_file = path.exists(), path.is_file()
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loops, NUL bytes, long names
        problems.append(doc.problem(f"{entry} cannot be used: {exc}", loc, _INSIDE))
        return None
    if not inside:
        problems.append(
            doc.problem(f"{entry} links to a file outside the page directory", loc, _INSIDE)
        )
    elif not exists:
        problems.append(doc.problem(f"{entry} not found", loc, _similar_file(path, listed)))
    elif not is_file:
        problems.append(doc.problem(f"{entry} is not a file", loc, "name a file, not a directory"))
    else:
        return path
    return None


_INSIDE = "copy the file into the page directory and give its path relative to it, without `..`"


def _similar_file(path: Path, listed: frozenset[str]) -> str:
    """Suggest a near name, but not a file already listed: that is not the one meant."""
    files = path.parent.iterdir() if path.parent.is_dir() else ()
    names = sorted(p.name for p in files if p.name not in listed)
    close = difflib.get_close_matches(path.name, names, n=1)
    if close:
        return f"did you mean `{close[0]}`?"
    return "check the file name, or add the file to the page directory"


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(f"cannot read the file: {exc.strerror}", path))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                "the file is not UTF-8 text",
                path,
                data[: exc.start].count(b"\n") + 1,
                hint="save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)",
            )
        )
        return None


# --- YAML with line numbers.


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: PyYAML crashes on `2024-02-30`; we explain it."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Yaml:
    """Parsed YAML that remembers where each field was written, to locate problems."""

    def __init__(self, file: Path, data: object, node: yaml.Node | None, first_line: int) -> None:
        self.file = file
        self.data = data
        self.node = node
        self.first_line = first_line  # line in `file` of the YAML text's first line

    def line(self, loc: tuple[str | int, ...]) -> int:
        """Line of the deepest key or item of `loc` present (the enclosing one if missing)."""
        node = self.node
        if node is None:
            return self.first_line
        line = node.start_mark.line
        for part in loc:
            found = _child(node, part)
            if found is None:
                break
            marker, node = found
            line = marker.start_mark.line
        return line + self.first_line

    def problem(
        self, message: str, loc: tuple[str | int, ...] = (), hint: str | None = None
    ) -> Problem:
        return Problem(message, self.file, self.line(loc), _dotted(loc) or None, hint)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(node marking the line, value node) for a key or index; the last key wins, as in YAML."""
    if isinstance(node, yaml.MappingNode):
        found = None
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                found = key, value
        return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part], node.value[part]
    return None


def _dotted(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _parse_yaml(text: str, file: Path, first_line: int, problems: list[Problem]) -> _Yaml | None:
    try:
        loader = _Loader(text)  # checks for control characters already
    except yaml.YAMLError as exc:
        problems.append(_yaml_error(exc, text, file, first_line))
        return None
    try:
        node = loader.get_single_node()
        if node is not None:
            problems.extend(_duplicate_keys(node, (), file, first_line, set()))
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        problems.append(_yaml_error(exc, text, file, first_line))
        return None
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        # PyYAML's constructors raise these for explicit tags like `!!int abc`.
        problems.append(
            Problem(
                f"a value cannot be read ({exc})",
                file,
                first_line,
                hint="remove any `!!` tags and write values plainly",
            )
        )
        return None
    finally:
        loader.dispose()
    return _Yaml(file, data, node, first_line)


def _yaml_error(exc: yaml.YAMLError, text: str, file: Path, first_line: int) -> Problem:
    hint = (
        "indent with spaces, not tabs, and put text in quotes if it contains `: ` or ` #`"
        " or starts with [ { * & ! | > % @ or a quote"
    )
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        message = f"YAML syntax error: {getattr(exc, 'problem', exc)}"
        return Problem(message, file, mark.line + first_line, hint=hint)
    if isinstance(exc, yaml.reader.ReaderError):
        return Problem(
            f"the character U+{exc.character:04X} is not allowed here",
            file,
            text.count("\n", 0, exc.position) + first_line,
            hint="delete the invisible control character (it often comes with copy and paste)",
        )
    return Problem(f"YAML syntax error: {exc}", file, first_line, hint=hint)


def _duplicate_keys(
    node: yaml.Node, loc: tuple[str | int, ...], file: Path, first_line: int, seen: set[int]
) -> list[Problem]:
    """YAML silently keeps the last of two equal keys; that loses text, so report it."""
    if id(node) in seen:  # aliases may make the node graph cyclic
        return []
    seen.add(id(node))
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name in first:
                problems.append(
                    Problem(
                        f"`{name}` is given twice (first on line {first[name]})",
                        file,
                        key.start_mark.line + first_line,
                        _dotted((*loc, name)),
                        "keep one of them; YAML would silently drop the first",
                    )
                )
            elif name is not None:
                first[name] = key.start_mark.line + first_line
            problems += _duplicate_keys(value, (*loc, name or "?"), file, first_line, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, (*loc, index), file, first_line, seen)
    return problems


# --- Validation errors as problems.

_MESSAGES = {
    "missing": "required field is missing",
    "string_type": "expected text, got {got}",
    "string_too_short": "must not be empty",
    "int_type": "expected a whole number, got {got}",
    "greater_than_equal": "must be {ge} or more, got {got}",
    "list_type": "expected a list, got {got}",
    "too_short": "must list at least one entry",
    "too_long": "lists {actual_length} entries; a page holds at most {max_length}",
    "literal_error": "must be {expected}, got {got}",
    "string_pattern_mismatch": "is not in the expected form: got {got}",
    "model_type": "expected `key: value` fields, got {got}",
    "invalid_key": "field names must be text, got {got}",
}
_TYPE_HINTS = {
    "string_type": "write it as text; put it in quotes if it looks like a number, date or yes/no",
    "list_type": "write a list: `[a, b]`, or one `- item` per line",
    "model_type": "write `key: value` lines, indented under the field they belong to",
}


def _validate(model: type[S], doc: _Yaml, problems: list[Problem]) -> S | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(_explain(error, doc, model) for error in exc.errors())
        return None


def _explain(error: ErrorDetails, doc: _Yaml, model: type[_Source]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = list(_model_at(model, loc[:-1]).model_fields)
        return doc.problem(f"unknown field `{loc[-1]}`", loc, _suggest(str(loc[-1]), allowed))
    template = _MESSAGES.get(kind)
    context = {**error.get("ctx", {}), "got": _describe(error["input"])}
    message = template.format(**context) if template else error["msg"]
    pattern = re.sub(r"\[\d+\]", "[]", _dotted(loc))
    return doc.problem(message, loc, model.hints.get(pattern) or _TYPE_HINTS.get(kind))


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel]:
    """The nested model that validates the mapping at `loc` (list indices skipped)."""
    for part in loc:
        if isinstance(part, str):
            model = _nested_model(model.model_fields[part].annotation) or model
    return model


def _nested_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


def _suggest(name: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    if close:
        return f"did you mean `{close[0]}`?"
    return "remove it; the fields allowed here are " + ", ".join(f"`{a}`" for a in allowed)


_KINDS = {type(None): "nothing", list: "a list", dict: "`key: value` fields"}


def _describe(value: object) -> str:
    """What YAML made of a value, in the author's terms."""
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return _KINDS.get(type(value), type(value).__name__)


def _valid_items(data: object, key: str, adapter: TypeAdapter[T]) -> Iterator[tuple[int, T]]:
    """The well-formed entries of a list field; the malformed ones are reported by validation."""
    items = data.get(key) if isinstance(data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        try:
            value = adapter.validate_python(item, strict=True)
        except ValidationError:
            continue
        yield index, value


def _in_reading_order(problems: list[Problem]) -> list[Problem]:
    """Files in the order first met, lines ascending: the order an author fixes them in."""
    rank: dict[Path | None, int] = {}
    for problem in problems:
        rank.setdefault(problem.file, len(rank))
    return sorted(problems, key=lambda p: (rank[p.file], p.line or 0))


def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m layout.sources", description=__doc__)
    parser.add_argument(
        "--write-schema", action="store_true", required=True, help="regenerate schema/*.json"
    )
    parser.parse_args(argv)
    for path in write_schemas():
        print(path)


if __name__ == "__main__":
    _main()
