"""Every piece of a page's copy, with where the author wrote it and the font role that prints it.

Normalising, checking font coverage, composing and reading the PDF back all go
over the same fields; they take them from here, so a field added to the page is
seen by all of them, and coverage always checks the font that will draw it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import Problem
from .document import Article, Block, Page, Span

PAGE_FILE = "page.yaml"  # in every page directory
MAKEUP_FILE = "makeup.yaml"  # beside it: the page's make-up, a layout file every build takes

# The font role (fonts/roles.yaml) that prints each field.  The template styles
# each element with these too, so coverage checks the faces that print it.
BANNER_ROLES = {"kicker": "kai", "title": "banner", "subtitle": "kai"}
HEAD_ROLES = {
    "column_logo": "logo",
    "kicker": "kai",
    "headline": "headline",
    "subhead": "kai",
    "byline": "kai",
}
NOTE_ROLE = "kai"  # 编者按, in 楷体 at the body size
NOTE_LABEL_ROLE = "headline"  # its label
BODY_ROLES = {"paragraph": "body", "bold": "body_bold", "crosshead": "headline"}
LEDE_ROLE = "kai"
CREDITS_ROLE = "kai"
CAPTION_ROLE = "kai"
PULLQUOTE_ROLE = "pullquote"
RUNNING_HEAD_ROLES = {"paper": "headline", "section": "sans"}  # a page without a masthead
MASTHEAD_ROLES = {"paper": "banner", "lines": "sans"}


def body_role(block: Block, span: Span) -> str:
    if block.kind == "crosshead":
        return BODY_ROLES["crosshead"]
    return BODY_ROLES["bold"] if span.bold else BODY_ROLES["paragraph"]


@dataclass(frozen=True)
class Copy:
    """One piece of text as the author wrote it, and where."""

    text: str
    role: str  # the font role that prints it
    file: Path
    field: str
    line: int | None = None
    display: bool = False  # printed whole in display type: the check finds it in the PDF

    def problem(self, message: str, hint: str | None = None) -> Problem:
        return Problem(message, self.file, self.line, self.field, hint)


def page_articles(page: Page) -> tuple[Article, ...]:
    """Every article file the page reads: its articles, then its fillers (补白); not the
    rest of an article jumped from another page, whose file is that page's."""
    return (*(a for a in page.articles if a.continued_from is None), *page.fillers)


def page_files(page: Page) -> set[Path]:
    """Every file a build of the page reads: page.yaml, the articles and their photos,
    the ads' artwork, its layout file."""
    files = {page.directory / PAGE_FILE, *(ad.file for ad in page.ads)}
    files |= {page.layout_file} if page.layout_file else set()
    for article in page_articles(page):
        files |= {article.file, *(image.path for image in article.images)}
    return files


def page_copy(page: Page) -> Iterator[Copy]:
    """The page's copy in reading order: banner, lede, articles, credits, running head, fillers.

    A filler is printed only if the composer finds a hole for it, so none of
    its copy is display copy the check must find.
    """
    yaml_file = page.directory / PAGE_FILE
    if page.banner:
        for name, role in BANNER_ROLES.items():
            text = getattr(page.banner, name)
            if text:
                yield Copy(text, role, yaml_file, f"headline.{name}", display=True)
    for number, text in enumerate(page.lede, start=1):
        yield Copy(text, LEDE_ROLE, yaml_file, f"lede paragraph {number}", display=True)
    for article in page.articles:
        yield from article_copy(article)
    credits = page.credits
    for text in credits.lines:
        yield Copy(text, CREDITS_ROLE, yaml_file, "credits", display=True)
    for text in (*credits.editors, credits.designer or ""):
        yield Copy(text, CREDITS_ROLE, yaml_file, "credits")
    for name, role in RUNNING_HEAD_ROLES.items():
        if text := getattr(page, name):
            yield Copy(text, role, yaml_file, name)
    for filler in page.fillers:
        for copy in article_copy(filler):
            yield replace(copy, display=False)


def article_copy(article: Article) -> Iterator[Copy]:
    for name, role in HEAD_ROLES.items():
        text = getattr(article, name)
        if text:
            yield Copy(text, role, article.file, name, display=True)
    if article.note:
        yield Copy(article.note, NOTE_ROLE, article.file, "note", display=True)
    for image in article.images:
        for text in (image.caption, image.credit):
            if text:
                yield Copy(text, CAPTION_ROLE, article.file, "images")
    for text in article.pullquotes:  # the composer may leave one out: not display copy
        yield Copy(text, PULLQUOTE_ROLE, article.file, "pullquote")
    for block in article.blocks:
        for span in block.spans:
            yield Copy(span.text, body_role(block, span), article.file, "body", block.line)


def rewrite_copy(
    page: Page,
    text: Callable[[str], str],
    spans: Callable[[tuple[Span, ...]], tuple[Span, ...]],
) -> Page:
    """The page with every piece of copy passed through `text`, body paragraphs through `spans`.

    Names, paths, dates and numbers are not copy and stay as they are.
    """

    def optional(value: str | None) -> str | None:
        return None if value is None else text(value)

    def fields(owner: object, names: Iterable[str]) -> dict[str, Any]:
        # Any: `replace` checks `**` values against every field; these are all `str | None`
        return {name: optional(getattr(owner, name)) for name in names}

    def article(a: Article) -> Article:
        return replace(
            a,
            **fields(a, (*HEAD_ROLES, "note")),
            images=tuple(
                replace(i, caption=optional(i.caption), credit=optional(i.credit)) for i in a.images
            ),
            blocks=tuple(replace(b, spans=spans(b.spans)) for b in a.blocks),
            pullquotes=tuple(map(text, a.pullquotes)),
        )

    banner = page.banner and replace(page.banner, **fields(page.banner, BANNER_ROLES))
    credits = replace(
        page.credits,
        lines=tuple(map(text, page.credits.lines)),
        editors=tuple(map(text, page.credits.editors)),
        designer=optional(page.credits.designer),
    )
    return replace(
        page,
        banner=banner,
        lede=tuple(map(text, page.lede)),
        articles=tuple(map(article, page.articles)),
        credits=credits,
        fillers=tuple(map(article, page.fillers)),
    )
