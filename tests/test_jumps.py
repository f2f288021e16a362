"""Jumps (下转/上接): the cut of an article's body, and what a page build makes of `continues:`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.compose.jumps import cut, jump_out, linked, split_blocks
from layout.model.document import Block, Continuation, Span
from layout.model.grid import Grid
from layout.pipeline import build
from layout.sources.page import load_page
from layout.typeset.fonts import load_roles
from layout.typeset.measure import Typesetter
from tests.conftest import SEED
from tests.pagegen import sentences


@pytest.fixture(scope="module")
def ts() -> Typesetter:
    return Typesetter(load_roles(), Grid.for_format("tabloid"))


def blocks_of(texts: list[str], crossheads: set[int] = frozenset()) -> tuple[Block, ...]:
    return tuple(
        Block("crosshead" if i in crossheads else "paragraph", (Span(t),), i + 1)
        for i, t in enumerate(texts)
    )


POOL = sentences()


@settings(max_examples=25, deadline=None)
@given(
    picks=st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=12),
    bold=st.integers(0, 5),
    kept=st.integers(0, 80),
)
def test_the_two_parts_joined_are_the_article(
    ts: Typesetter, picks: list[int], bold: int, kept: int
) -> None:
    """Whatever line the cut falls on, nothing is lost or repeated, bold stays bold,
    and the rest goes on without an indent only when the cut is inside a paragraph."""
    texts = ["".join(POOL[p] for p in picks[i : i + 3]) for i in range(0, len(picks), 3)]
    blocks = list(blocks_of(texts))
    head = blocks[0].text[: bold * 3]
    blocks[0] = replace(blocks[0], spans=(Span(head, bold=True), Span(blocks[0].text[len(head) :])))
    blocks = tuple(replace(b, spans=tuple(s for s in b.spans if s.text)) for b in blocks)
    lines = len(ts.body(blocks))
    stays, rest = split_blocks(blocks, ts, min(kept, lines))
    assert "".join(b.text for b in stays + rest) == "".join(b.text for b in blocks)
    assert len(ts.body(stays)) == min(kept, lines)
    bold_text = "".join(s.text for b in stays + rest for s in b.spans if s.bold)
    assert bold_text == head
    inside = bool(stays and rest) and stays[-1].line == rest[0].line
    assert all(not b.continued for b in stays)
    assert [b.continued for b in rest] == [inside, *[False] * (len(rest) - 1)][: len(rest)]


def test_the_cut_fills_every_column_and_ends_with_the_jump_line(ts: Typesetter) -> None:
    body = ts.body(blocks_of(["".join(POOL[:40])]))
    jump = ts.jump_row(jump_out(4))
    kept, columns = cut(body, 3, 10, jump)
    assert kept == 29 and [len(c) for c in columns] == [10, 10, 10]
    assert columns[-1][-1] is jump and columns[-1][-1].line.text == "（下转第4版）"
    assert [row for column in columns for row in column][:-1] == list(body[:kept])


def test_a_crosshead_never_ends_the_part_that_stays(ts: Typesetter) -> None:
    texts = ["".join(POOL[:6]), "小标题", "".join(POOL[6:30])]
    blocks = blocks_of(texts, crossheads={1})
    body = ts.body(blocks)
    first = len(ts.body(blocks[:1]))
    rows = (first + 2) // 2  # the crosshead falls on the last line of two columns
    kept, columns = cut(body, 2, rows, ts.jump_row(jump_out(3)))
    assert body[kept - 1].style != "crosshead"
    assert kept == first and columns[-1][-1].style == "jump"


def test_a_page_adds_the_rests_it_receives_after_its_articles() -> None:
    rest = (Block("paragraph", (Span("续完的文字。"),), 9, continued=True),)
    page = load_page(SEED)
    given_on = linked(page, {}, [Continuation(Path("a.md"), "a", "短标题", 1, 5, rest)])
    added = given_on.articles[-1]
    assert given_on.articles[:-1] == page.articles
    assert (added.headline, added.continued_from, added.blocks) == ("短标题", 1, rest)
    assert added.slug not in {a.slug for a in page.articles}


@pytest.mark.slow
def test_a_single_page_build_sets_the_whole_article_and_says_the_jump_needs_the_edition(
    tmp_path: Path,
) -> None:
    page = tmp_path / "p"
    page.mkdir()
    for source in SEED.iterdir():
        (page / source.name).write_bytes(source.read_bytes())
    lead = page / "05-jiaoyuju.md"
    lead.write_text(
        lead.read_text(encoding="utf-8").replace("---\n", "---\ncontinues: {page: 7}\n", 1),
        encoding="utf-8",
    )
    built = build(page)
    warned = [w for w in built.warnings if w.field == "continues"]
    assert len(warned) == 1 and warned[0].file == lead and warned[0].line == 2
    assert "edition" in warned[0].message and warned[0].severity == "warning"
    assert not built.continuations
    module = next(m for m in built.layout.modules if m.article.file == lead)
    assert not module.rest and all(r.style != "jump" for c in module.columns for r in c)
