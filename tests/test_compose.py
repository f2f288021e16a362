"""The composer on hand-built pages: geometry rules, overset and underfill."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.compose import MAX_HOLE_ROWS, compose, compose_page
from layout.compose.sizes import CREDITS_GAP_EM, CREDITS_PT
from layout.errors import FitError, OversetError, UnderfillError
from layout.model.copy import CREDITS_ROLE
from layout.model.document import Article, Banner, Block, Page, Slot, Span
from layout.model.grid import Grid
from layout.model.layout import Box, Layout
from layout.sources.page import load_page
from layout.typeset import fonts
from layout.typeset.measure import Typesetter
from layout.typeset.normalise import normalise_page
from tests.conftest import SEED

COPY = (
    "呼和浩特市拥有自治区最丰富的教育、科技、人才资源，包头市拥有自治区最完备的工业体系和雄厚的产业基础，"
    "两市在产业科技创新合作和人才资源方面合作空间巨大，互补性很强。两市科技部门将以这次活动为契机，"
    "积极支持两市企业和高校科研院所紧密对接、协同创新，实现科技创新和人力资源互通共享。"
)


def article(number: int, length: int) -> Article:
    text = (COPY * (length // len(COPY) + 1))[:length]
    paragraphs = [text[i : i + 180] for i in range(0, len(text), 180)]
    blocks = tuple(Block("paragraph", (Span(p),), 1) for p in paragraphs)
    return Article(
        Path(f"{number:02d}.md"),
        f"第{number}篇稿件的标题 推动两市合作",
        subhead="——访某局负责人",
        blocks=blocks,
        slug=f"{number:02d}",
    )


def page(lengths: list[int], fmt: str = "tabloid", lede: bool = True) -> Page:
    return Page(
        Path(),
        "包头日报",
        date(2024, 3, 26),
        5,
        tuple(article(i + 1, n) for i, n in enumerate(lengths)),
        format=fmt,
        banner=Banner("携手并进 合力聚势共赢美好未来"),
        lede=(COPY[:160],) if lede else (),
    )


@pytest.fixture(scope="module")
def setters(roles):
    return {name: Typesetter(roles, Grid.for_format(name)) for name in ("tabloid", "broadsheet")}


def assert_well_formed(layout: Layout) -> None:
    grid = layout.grid
    boxes = [m.box for m in layout.modules] + ([layout.lede.box] if layout.lede else [])
    for box in boxes:
        assert box.column >= 0 and box.column + box.columns <= grid.columns
        assert box.row >= 0 and box.row + box.rows <= grid.rows
    for a, b in itertools.combinations(boxes, 2):
        apart = (
            a.column + a.columns <= b.column
            or b.column + b.columns <= a.column
            or a.row + a.rows <= b.row
            or b.row + b.rows <= a.row
        )
        assert apart, (a, b)
    for module in layout.modules:
        heights = [len(c) for c in module.columns]
        assert max(heights) - min(heights) <= 1  # balanced columns
        assert module.body_row + max(heights) <= module.box.row + module.box.rows  # no overset
        text = "".join(row.line.text for column in module.columns for row in column)
        assert text == "".join(b.text for b in module.article.blocks)
    assert all(h.box.rows <= MAX_HOLE_ROWS for h in layout.holes)


def test_lead_article_opens_the_page_at_the_top_left(setters):
    layout = compose(
        page([600, 450, 540, 650, 700]), Grid.for_format("tabloid"), setters["tabloid"]
    )
    assert_well_formed(layout)
    lead = next(m for m in layout.modules if m.article.slug == "01")
    assert lead.box.column == 0
    assert lead.box.row == min(m.box.row for m in layout.modules)
    assert lead.headings[0].size >= max(m.headings[0].size for m in layout.modules)


def test_too_much_copy_is_an_overset_error_naming_articles(setters):
    with pytest.raises(FitError) as error:
        compose(page([3000] * 5), Grid.for_format("tabloid"), setters["tabloid"])
    message = str(error.value)
    assert "overset by" in message
    assert "01.md" in message and "05.md" in message


def test_too_little_copy_is_an_underfill_error(setters):
    with pytest.raises(FitError) as error:
        compose(page([200, 150]), Grid.for_format("broadsheet"), setters["broadsheet"])
    assert "underfilled" in str(error.value)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lengths=st.lists(st.integers(300, 900), min_size=3, max_size=6))
def test_any_set_of_articles_fits_cleanly_or_fails_with_a_reason(setters, lengths):
    try:
        layout = compose(page(lengths), Grid.for_format("tabloid"), setters["tabloid"])
    except FitError as error:
        assert "overset" in str(error) or "underfilled" in str(error)
        return
    assert_well_formed(layout)


# --- the editor's slots and the per-article report ----------------------------------------


@pytest.fixture(scope="module")
def seed_page():
    return normalise_page(load_page(SEED))


def pinned(source: Page, slug: str, slot: tuple[int, int, int, int]) -> Page:
    """`source` with article `slug` pinned at (column, columns, line, lines), 1-based."""
    articles = tuple(
        replace(a, slot=Slot(*slot, a.file, 3)) if a.slug == slug else a for a in source.articles
    )
    return replace(source, articles=articles)


def test_a_pinned_module_keeps_its_slot_and_the_others_fit_around_it(seed_page, setters):
    free = compose(seed_page, Grid.for_format("tabloid"), setters["tabloid"])
    moved = pinned(seed_page, "02-gongxinju", (4, 2, 50, 25))
    layout = compose(moved, Grid.for_format("tabloid"), setters["tabloid"])
    assert_well_formed(layout)
    boxes = {m.article.slug: m.box for m in layout.modules}
    assert boxes["02-gongxinju"] == Box(3, 2, 49, 25)
    assert boxes != {m.article.slug: m.box for m in free.modules}  # the others moved


def test_every_module_pinned_where_the_engine_put_it_gives_the_same_layout(seed_page, setters):
    grid, typesetter = Grid.for_format("tabloid"), setters["tabloid"]
    free = compose(seed_page, grid, typesetter)
    again = seed_page
    for m in free.modules:
        b = m.box
        again = pinned(again, m.article.slug, (b.column + 1, b.columns, b.row + 1, b.rows))
    layout = compose(again, grid, typesetter)

    def placed(layout: Layout) -> list:
        return [(m.article.slug, m.box, m.headings, m.columns) for m in layout.modules]

    assert placed(layout) == placed(free)
    assert (layout.lede, layout.holes, layout.rules) == (free.lede, free.holes, free.rules)


def test_a_slot_too_small_is_overset_by_what_its_article_must_lose(seed_page, setters):
    squeezed = pinned(seed_page, "02-gongxinju", (4, 2, 57, 18))
    with pytest.raises(OversetError) as error:
        compose(squeezed, Grid.for_format("tabloid"), setters["tabloid"])
    assert re.search(r"02-gongxinju\.md: body: overset by \d+ lines", str(error.value))


def cut_from_end(article: Article, characters: int) -> Article:
    blocks = list(article.blocks)
    while characters > 0 and blocks:
        last = blocks.pop()
        if len(last.text) > characters:
            text = last.text[: len(last.text) - characters]
            blocks.append(replace(last, spans=(Span(text),)))
        characters -= len(last.text)
    return replace(article, blocks=tuple(blocks))


def test_the_cut_reported_for_an_article_does_make_the_page_fit(seed_page, setters):
    """The report's claim is checked by doing what it says."""
    grid, typesetter = Grid.for_format("tabloid"), setters["tabloid"]
    last = seed_page.articles[-1]
    longer = replace(last, blocks=last.blocks + last.blocks[:3])
    page_ = replace(seed_page, articles=(*seed_page.articles[:-1], longer))
    with pytest.raises(OversetError) as error:
        compose(page_, grid, typesetter)
    claims = re.findall(
        r"(\S+)\.md: body: overset by \d+ lines \(≈(\d+) characters\)", str(error.value)
    )
    assert claims
    for slug, characters in claims:
        articles = tuple(
            cut_from_end(a, int(characters)) if a.slug == slug.rsplit("/", 1)[-1] else a
            for a in page_.articles
        )
        compose(replace(page_, articles=articles), grid, typesetter)  # fits: no error


def test_an_underfilled_page_says_how_much_to_add_to_which_article(setters):
    grid, typesetter = Grid.for_format("tabloid"), setters["tabloid"]
    with pytest.raises(UnderfillError) as error:
        compose(page([500, 400, 450]), grid, typesetter)
    message = str(error.value)
    assert "the page is underfilled" in message
    assert re.search(r"0\d\.md: body: underfilled: add \d+ lines", message)


# --- the banner and the credits: measured, and blamed on themselves ----------------------------

STAFF = ("张建芳", "张婷婷", "郭健", "孟婧美", "赵遐", "魏美丽", "蒋建波", "吴琼", "马慧茹", "李明")
# ten credits of seven names each: set two or three to a line, five lines
CREDITS = tuple(
    f"第{n + 1}组 " + " ".join(STAFF[(n + i) % 10] for i in range(7)) for n in range(10)
)


def with_credits(source: Page, lines: tuple[str, ...], cut_last_paragraph: bool) -> Page:
    """`source` crediting `lines`, its last article a paragraph shorter if asked."""
    last = source.articles[-1]
    if cut_last_paragraph:
        last = replace(last, blocks=last.blocks[:-1])
    return replace(
        source,
        credits=replace(source.credits, lines=lines),
        articles=(*source.articles[:-1], last),
    )


def test_one_line_of_credits_takes_two_rows_with_its_rule(seed_page, roles):
    layout = compose_page(seed_page, roles)
    assert len(layout.credit_lines) == 1
    assert layout.credits == Box(0, layout.grid.columns, layout.grid.rows - 2, 2)


def test_credits_are_set_in_the_lines_they_need_and_the_articles_kept_above(seed_page, roles):
    layout = compose_page(with_credits(seed_page, CREDITS, cut_last_paragraph=True), roles)
    grid, credits = layout.grid, layout.credits
    assert credits is not None and len(layout.credit_lines) > 2
    assert credits.rows == len(layout.credit_lines) + 1  # the rule's line above them
    assert credits.row + credits.rows == grid.rows
    assert [item for line in layout.credit_lines for item in line][: len(CREDITS)] == list(CREDITS)
    assert all(m.box.row + m.box.rows <= credits.row for m in layout.modules)
    role = roles[CREDITS_ROLE]
    for line in layout.credit_lines:
        widths = sum(fonts.width(role, item) for item in line) * CREDITS_PT
        assert widths + (len(line) - 1) * CREDITS_GAP_EM * CREDITS_PT <= grid.type_width


def test_credits_that_push_the_articles_off_the_page_are_blamed_first(seed_page, roles):
    many = CREDITS + tuple(f"{line}（续）" for line in CREDITS)  # more than the levers absorb
    with pytest.raises(OversetError) as error:
        compose_page(with_credits(seed_page, many, cut_last_paragraph=False), roles)
    first = error.value.problems[0]
    assert (first.file, first.field) == (SEED / "page.yaml", "credits")
    assert "the credits take 10 lines" in first.message
    assert first.hint and "a line holds about 74 characters" in first.hint


def test_a_banner_title_too_wide_for_its_one_line_says_how_many_characters_fit(setters):
    title = "呼包两市携手并进合力聚势共赢美好未来开创协同发展新局面"  # 27 characters
    wide = replace(page([600, 450, 540]), banner=Banner(title, subtitle="——访某局负责人"))
    with pytest.raises(FitError) as error:
        compose(wide, Grid.for_format("tabloid"), setters["tabloid"])
    [problem] = error.value.problems
    assert (problem.file, problem.field) == (Path("page.yaml"), "headline.title")
    assert "only 18 of its 27 characters fit" in problem.message
    assert problem.hint and "shorten headline.title to 18 characters" in problem.hint
