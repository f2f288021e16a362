"""An article's head at a module's width: its column logo, kicker, headline, subhead and
byline at each headline size that changes its height, and the editor's note under it.

The deck lever lives here: a one-line headline may be set in two (双行题), a
size down costs a point, a line more costs five, a break inside a phrase
costs more.  A vertical headline (竖排标题) is set beside the body instead
(`furniture.py`), so its head holds only the other lines.  The editor's note
(编者按) is set between rules under the head, in 楷体 at the body size, its
label in 黑体: a paragraph of whole characters at the head's width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.copy import HEAD_ROLES, NOTE_LABEL_ROLE, NOTE_ROLE
from ..model.document import Article, Span
from ..model.layout import Note
from ..typeset import linebreak
from ..typeset.measure import Heading, Typesetter
from .sizes import BYLINE_PT, HEADLINE_SIZES, KICKER_PT, LEAD_SIZES, LOGO_PT, SUBHEAD_PT

MAX_HEADLINE_LINES = 3
WORD_BREAK_COST = 6.0  # a headline broken inside a phrase, not at a space between phrases
NOTE_LABEL = "编者按："


@dataclass(frozen=True)
class Head:
    headings: tuple[Heading, ...]
    rows: int
    cost: float
    before_pt: float  # from the block's top to the headline's first line
    block_pt: float
    note: Note | None = None  # under the head, in rows of its own

    @property
    def note_rows(self) -> int:
        return self.note.rows if self.note is not None else 0


def head_options(
    article: Article, ts: Typesetter, width: float, lead: bool, cap: float | None
) -> list[Head]:
    """The head block at each headline size that changes its height (the deck lever)."""
    note = note_of(article, ts, width)
    if article.headline_vertical:
        return [_head(article, ts, width, None, cost=0.0, note=note)]
    sizes = tuple(s for s in (LEAD_SIZES if lead else HEADLINE_SIZES) if cap is None or s <= cap)
    sizes = sizes or (LEAD_SIZES if lead else HEADLINE_SIZES)[-1:]
    largest = (LEAD_SIZES if lead else HEADLINE_SIZES)[0]
    options: dict[int, Head] = {}
    for size in sizes:
        headline = _headline(article.headline, ts, (size,), width)
        decks: list[Heading | None] = [headline]
        if len(headline.lines) == 1:  # a one-line headline may be set in two (双行题)
            decks.append(
                ts.deck(article.headline, HEAD_ROLES["headline"], size, width, leading=1.2, lines=2)
            )
        for deck in filter(None, decks):
            if len(deck.lines) > MAX_HEADLINE_LINES:
                continue
            cost = (
                (largest - size)
                + 5 * (len(deck.lines) - 1)
                + WORD_BREAK_COST * _mid_phrase(article.headline, deck)
            )
            head = _head(article, ts, width, deck, cost=cost, note=note)
            if head.rows not in options or head.cost < options[head.rows].cost:
                options[head.rows] = head
    return sorted(options.values(), key=lambda h: h.cost)


def headline_index(head: Head) -> int | None:
    """Where the headline is among the head's lines; None where it is set vertically."""
    return next((i for i, h in enumerate(head.headings) if h.role == HEAD_ROLES["headline"]), None)


def note_of(article: Article, ts: Typesetter, width: float) -> Note | None:
    """The editor's note set at `width` in whole body characters, with a line of air shared
    above and below, inside the rules."""
    if not article.note:
        return None
    regular = ts.measure_for(NOTE_ROLE, NOTE_LABEL_ROLE)
    spans = (Span(NOTE_LABEL, bold=True), Span(article.note))
    lines = linebreak.break_paragraph(spans, math.floor(width / ts.grid.em), regular)
    return Note(NOTE_LABEL, tuple(lines), len(lines) + 1)


def _mid_phrase(text: str, headline: Heading) -> int:
    """Line breaks of `text` set as `headline` that fall inside a phrase, not at a space."""
    position, inside = 0, 0
    for line in headline.lines[:-1]:
        position = text.index(line, position) + len(line)
        inside += position < len(text) and not text[position].isspace()
    return inside


def _head(
    article: Article,
    ts: Typesetter,
    width: float,
    headline: Heading | None,
    *,
    cost: float,
    note: Note | None,
) -> Head:
    headings = [
        *_display(ts, article.column_logo, "column_logo", LOGO_PT, width, leading=1.8),
        *_display(ts, article.kicker, "kicker", KICKER_PT, width, leading=1.5),
        *([headline] if headline is not None else []),
        *_display(ts, article.subhead, "subhead", SUBHEAD_PT, width, leading=1.5),
        *_display(ts, article.byline, "byline", BYLINE_PT, width, leading=1.6),
    ]
    block_pt = sum(h.height for h in headings)
    rows = math.ceil((block_pt + ts.grid.line) / ts.grid.line - 1e-6) if headings else 0
    before = sum(h.height for h in headings[: headings.index(headline)]) if headline else 0.0
    return Head(tuple(headings), rows, cost, before, block_pt, note)


def _headline(text: str, ts: Typesetter, sizes: tuple[float, ...], width: float) -> Heading:
    headline = ts.heading(text, HEAD_ROLES["headline"], sizes, width, leading=1.2)
    if len(headline.lines) > 2:  # two lines at the smallest size are not enough: try three
        headline = ts.heading(
            text, HEAD_ROLES["headline"], sizes, width, leading=1.2, max_lines=MAX_HEADLINE_LINES
        )
    return headline


def _display(
    ts: Typesetter, text: str | None, name: str, size: float, width: float, *, leading: float
) -> list[Heading]:
    return [ts.heading(text, HEAD_ROLES[name], (size,), width, leading=leading)] if text else []
