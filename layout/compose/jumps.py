"""Jumps (下转/上接): an article that runs on to another page of the edition.

A front-page story is set as far as its module holds, to the end of a line,
and `（下转第4版）` closes its last column; the rest opens its module on page 4
under `（上接第1版）`.  The cut is made on the lines as set, so the module is
filled to the line whatever its height, and the text is split where the cut
falls: the rest of a paragraph goes on without its indent, and the two
parts, joined, are the article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..errors import Problem
from ..model.document import Article, Block, Continuation, Page, Span, rest_slug
from ..model.layout import Layout
from ..typeset.measure import BodyRow, Typesetter
from .columns import Columns, pour

JUMP_COST = 8.0  # a jump sends the reader to another page: worth it only on a full page
JUMP_ROW_COST = 0.05  # per line sent on: the more the story's own page holds, the better


def jump_out(page: int) -> str:
    return f"（下转第{page}版）"


def jump_in(page: int) -> str:
    return f"（上接第{page}版）"


def cut(body: tuple[BodyRow, ...], columns: int, rows: int, jump: BodyRow) -> tuple[int, Columns]:
    """The body poured into `columns` of `rows` lines, the last line of the last
    column left for `jump`: how many lines stay, and the columns with the jump line.
    A crosshead never ends the part that stays: it goes on with its text."""
    room = [rows] * (columns - 1) + [rows - 1]
    text, _ = pour(body, room)
    kept = sum(len(column) for column in text)
    last = list(text[-1])
    while kept and body[kept - 1].style == "crosshead" and last:
        last.pop()
        kept -= 1
    return kept, (*text[:-1], (*last, jump))


def split_blocks(
    blocks: tuple[Block, ...], ts: Typesetter, kept: int
) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    """`blocks` cut after the first `kept` lines they set in: the part that stays and
    the rest, whose first block goes on without an indent if the cut is inside it."""
    for index, block in enumerate(blocks):
        lines = ts.body((block,))
        if kept >= len(lines):
            kept -= len(lines)
            continue
        if kept == 0:
            return blocks[:index], blocks[index:]
        taken = "".join(row.line.text for row in lines[:kept])
        assert block.text.startswith(taken), "a block's lines, joined, are its text"
        head, tail = _split_spans(block.spans, len(taken))
        return (
            (*blocks[:index], replace(block, spans=head)),
            (replace(block, spans=tail, continued=True), *blocks[index + 1 :]),
        )
    return blocks, ()


def _split_spans(spans: tuple[Span, ...], at: int) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    head: list[Span] = []
    tail: list[Span] = []
    for span in spans:
        if at >= len(span.text):
            head.append(span)
        elif at <= 0:
            tail.append(span)
        else:
            head.append(Span(span.text[:at], span.bold))
            tail.append(Span(span.text[at:], span.bold))
        at -= len(span.text)
    return tuple(head), tuple(tail)


def linked(page: Page, targets: Mapping[str, int], continued: Sequence[Continuation]) -> Page:
    """The page as an edition sets it: each jump given the page it runs on (`targets`,
    by article slug), and the rests that run on here added after its articles."""
    articles = tuple(
        replace(a, jump=replace(a.jump, to=targets[a.slug]))
        if a.jump is not None and a.slug in targets
        else a
        for a in page.articles
    )
    rests = tuple(
        Article(
            file=c.file,
            headline=c.headline,
            blocks=c.blocks,
            slug=rest_slug(c.slug, c.from_page),
            continued_from=c.from_page,
        )
        for c in continued
    )
    return replace(page, articles=articles + rests)


def continuations(page: Page, layout: Layout) -> tuple[Continuation, ...]:
    """The rests of the page's jumped articles, for the pages they run on."""
    return tuple(
        Continuation(
            m.article.file,
            m.article.slug,
            m.article.jump.headline or m.article.headline,
            page.number,
            m.article.jump.to,
            m.rest,
        )
        for m in layout.modules
        if m.rest and m.article.jump is not None and m.article.jump.to is not None
    )


def unmade(page: Page) -> list[Problem]:
    """A warning for each jump a single-page build cannot make: it needs the edition."""
    return [
        Problem(
            f"continues on page {a.jump.page}: a jump is made when the edition is built; "
            "this page sets the whole article",
            a.file,
            a.jump.line_no,
            "continues",
            "build the edition to jump, or cut the article to fit this page",
            severity="warning",
        )
        for a in page.articles
        if a.jump is not None and a.jump.to is None
    ]
