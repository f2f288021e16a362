"""Load & validate a page: turn a page directory into a typed `Page`, or list all that is wrong.

Sources are edited by hand, so one run must report every problem at once, each
with file, line, field and a concrete fix; a traceback, or only the first
error, costs the author a round trip per mistake.  The articles and the
fillers (补白) page.yaml lists are loaded alike; body.py reads their Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import TypeAdapter

from ..errors import Problem, SourceError
from ..model.copy import MAKEUP_FILE, PAGE_FILE
from ..model.document import Article, Banner, Credits, Image, Jump, Masthead, Page
from ..render.masthead import check_issn
from .ads import load_ads
from .body import Body, parse_body, split_lines
from .explain import in_reading_order, valid_items, validate
from .files import image_size, source_file
from .furniture import furniture_problems
from .located import Yaml, parse_yaml, read_text, unprintable
from .models import (
    MAX_ARTICLES,
    MAX_FILLERS,
    MAX_PULLQUOTE_CHARS,
    PULLQUOTE_FIX,
    ArticleSource,
    CreditsSource,
    ImageSource,
    PageSource,
    Text,
    pullquote_chars,
)

# Limits that make a pathological page fail at once instead of hanging the build.
MAX_ARTICLE_BYTES = 1_000_000  # several pages of copy
MAX_PARAGRAPH_CHARS = 5_000  # a newspaper paragraph is rarely over 500


def load_page(directory: Path) -> Page:
    """Load and validate a page directory; raise `SourceError` listing every problem found."""
    problems: list[Problem] = []
    page = _read_page(Path(directory), problems)
    if page is None:
        raise SourceError(in_reading_order(problems))
    return page


# --- Page.


def _read_page(directory: Path, problems: list[Problem]) -> Page | None:
    doc = open_page_yaml(directory, problems)
    if doc is None:
        return None
    source = validate(PageSource, doc, problems)
    articles, fillers = _load_listed(directory, doc, problems)
    masthead = _masthead(source, doc, problems) if source else None
    ads = load_ads(directory, doc, source.format, source.page == 1, problems) if source else []
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
        fillers=tuple(fillers),
        ads=tuple(ads),
        layout_file=directory / MAKEUP_FILE if (directory / MAKEUP_FILE).is_file() else None,
    )


def _masthead(source: PageSource, doc: Yaml, problems: list[Problem]) -> Masthead | None:
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


def open_page_yaml(directory: Path, problems: list[Problem]) -> Yaml | None:
    """The page's page.yaml parsed; the edition reads each page's header through it too."""
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
    if not path.resolve().is_relative_to(directory.resolve()):  # as for articles and photos
        message = f"{PAGE_FILE} links to a file outside the page directory"
        problems.append(Problem(message, path, hint="replace the link with a copy of the file"))
        return None
    text = read_text(path, problems)
    return None if text is None else parse_yaml(text, path, 1, problems)


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip())


def _load_listed(
    directory: Path, doc: Yaml, problems: list[Problem]
) -> tuple[list[Article], list[Article]]:
    """The articles and the fillers page.yaml lists, each file at most once in either list.

    Every well-formed entry is loaded, even if page.yaml has other problems, to
    report all at once.
    """
    entries = {
        key: list(valid_items(doc.data, key, TypeAdapter(Text))) for key in ("articles", "fillers")
    }
    if len(entries["articles"]) > MAX_ARTICLES or len(entries["fillers"]) > MAX_FILLERS:
        return [], []  # reported by validation; not worth reading thousands of files
    listed = frozenset(Path(entry).name for found in entries.values() for _, entry in found)
    first_listed: dict[Path, tuple[str, int]] = {}
    stems: dict[str, str] = {}  # an article's id in the layout, the layout file and messages
    loaded: dict[str, list[Article]] = {"articles": [], "fillers": []}
    for key, found in entries.items():
        for index, entry in found:
            loc = (key, index)
            path = source_file(directory, entry, doc, loc, problems, listed=listed)
            if path is None:
                continue
            real = path.resolve()
            if real in first_listed:
                problems.append(_listed_twice(doc, entry, loc, *first_listed[real]))
                continue
            first_listed[real] = loc
            if path.stem in stems:
                message = f"{entry} has the same name as {stems[path.stem]}"
                problems.append(doc.problem(message, loc, _RENAME))
                continue
            stems[path.stem] = entry
            article = _load_article(directory, path, Path(entry).stem, problems, key == "fillers")
            if article is not None:
                loaded[key].append(article)
    return loaded["articles"], loaded["fillers"]


_RENAME = "rename one of the files: articles and fillers are told apart by file name"


def _listed_twice(
    doc: Yaml, entry: str, loc: tuple[str, int], first_key: str, first_index: int
) -> Problem:
    first = f"{first_key}[{first_index}]"
    if loc[0] == first_key:
        what = "article" if first_key == "articles" else "filler"
        return doc.problem(
            f"{entry} is listed twice", loc, f"remove this entry; the {what} is already {first}"
        )
    return doc.problem(
        f"{entry} is an article of the page (`{first}`) and a filler",
        loc,
        f"list it once: as {first} it is always printed, as a filler only to fill a hole",
    )


# --- Article.


def _load_article(
    directory: Path, path: Path, slug: str, problems: list[Problem], filler: bool
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
    text = read_text(path, problems)
    if text is None:
        return None
    lines = split_lines(text)
    end = _front_matter_end(lines, path, problems)
    if end is None:
        return None
    doc = parse_yaml("\n".join(lines[1:end]), path, 2, problems)
    source = validate(ArticleSource, doc, problems) if doc else None
    images = _load_images(directory, doc, problems) if doc else []
    body_line, body_text = end + 2, "\n".join(lines[end + 1 :])
    body = parse_body(body_text, body_line)
    blocks = body.blocks
    problems += unprintable(body_text, path, body_line, "body")
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
    problems += _long_quotes(body, path)
    if source and doc and source.slot and filler:
        problems.append(
            doc.problem(
                "a filler is not pinned: it is placed only where a hole is left",
                ("slot",),
                "remove `slot:`, or list the file under `articles:` to place it",
            )
        )
    if source is not None and doc is not None:
        problems += furniture_problems(source, doc, blocks, len(images))
    if source is None or doc is None or len(problems) > before:
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
        slot=source.slot.at(path, doc.line(("slot",))) if source.slot else None,
        # front matter's first, then the marked paragraphs in order
        pullquotes=(*filter(None, [source.pullquote]), *(quote.text for quote in body.quotes)),
        jump=Jump(source.continues.page, doc.line(("continues",)) or 0, source.jump_headline)
        if source.continues
        else None,
        headline_vertical=source.headline_vertical,
        box=source.box,
        note=source.note,
        column_logo=source.column_logo,
        kind=source.kind,
    )


def _long_quotes(body: Body, path: Path) -> list[Problem]:
    """Paragraphs marked `> ` too long to set as a pull quote; as `pullquote:` is checked."""
    problems = []
    for quote in body.quotes:
        length = pullquote_chars(quote.text)
        if length > MAX_PULLQUOTE_CHARS:
            problems.append(
                Problem(
                    f"this paragraph, marked `>` as a pull quote, has {length} characters; "
                    f"a pull quote is at most {MAX_PULLQUOTE_CHARS}",
                    path,
                    quote.line,
                    "body",
                    f"{PULLQUOTE_FIX}; a paragraph opened by `\\>` prints `>` and quotes nothing",
                )
            )
    return problems


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


# --- Images.


def _load_images(directory: Path, doc: Yaml, problems: list[Problem]) -> list[Image]:
    images: list[Image] = []
    for index, source in valid_items(doc.data, "images", TypeAdapter(ImageSource)):
        loc = ("images", index, "file")
        path = source_file(directory, source.file, doc, loc, problems)
        size = path and image_size(path, source.file, doc, loc, problems)
        widths = source.min_columns, source.max_columns
        if widths[0] and widths[1] and widths[0] > widths[1]:
            problems.append(
                doc.problem(
                    f"min_columns is {widths[0]}, more than max_columns ({widths[1]})",
                    ("images", index, "min_columns"),
                    "make `min_columns` at most `max_columns`, or leave one of them out",
                )
            )
        elif path and size:
            images.append(Image(path, *size, source.caption, source.credit, *widths))
    return images
