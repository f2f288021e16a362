"""One walk over a page's copy: every text field, where it was written, the role that prints it."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import yaml

from layout.model.copy import HEAD_ROLES, PULLQUOTE_ROLE, page_articles, page_copy, rewrite_copy
from layout.model.document import (
    Article,
    Banner,
    Block,
    Credits,
    Image,
    Page,
    Span,
)
from tests.conftest import ROOT

ARTICLE = Article(
    file=Path("p/01-a.md"),
    headline="标题",
    kicker="引题",
    subhead="副题",
    byline="记者 甲",
    images=(Image(Path("p/a.jpg"), 400, 300, caption="图说", credit="摄影 乙"),),
    blocks=(
        Block("crosshead", (Span("小标题"),), 9),
        Block("paragraph", (Span("正文"), Span("加粗", bold=True)), 11),
    ),
    pullquotes=("前置引语", "标记引语"),
)
FILLER = Article(
    file=Path("p/fillers/brief.md"),
    headline="补白标题",
    byline="读者 己",
    images=(Image(Path("p/b.jpg"), 400, 300, caption="补白图说"),),
    blocks=(Block("paragraph", (Span("补白正文"),), 5),),
    pullquotes=("补白引语",),
)
PAGE = Page(
    directory=Path("p"),
    paper="包头日报",
    date=date(2024, 3, 26),
    number=5,
    articles=(ARTICLE,),
    section="专版",
    banner=Banner("通栏标题", kicker="肩题", subtitle="副标题"),
    lede=("导语一", "导语二"),
    credits=Credits(lines=("策划 丙",), editors=("丁",), designer="戊"),
    fillers=(FILLER,),
)


def texts_of(page: Page) -> set[str]:
    """Every str reachable in the page's dataclasses except names, paths and dates."""
    found: set[str] = set()

    def walk(value: object, name: str = "") -> None:
        if isinstance(value, str):
            if name not in {"paper", "section", "slug", "kind", "format"}:
                found.add(value)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), f.name)
        elif isinstance(value, tuple):
            for item in value:
                walk(item, name)

    walk(page)
    return found


def test_every_piece_of_copy_is_walked_once_with_its_role_and_place():
    walked = list(page_copy(PAGE))
    assert {c.text for c in walked} - {"包头日报", "专版"} == texts_of(PAGE)
    roles = {c.text: c.role for c in walked}
    assert roles["通栏标题"] == "banner" and roles["肩题"] == "kai"
    assert roles["标题"] == "headline" and roles["引题"] == roles["副题"] == "kai"
    assert roles["小标题"] == "headline" and roles["正文"] == "body"
    assert roles["加粗"] == "body_bold" and roles["图说"] == "kai"
    assert roles["包头日报"] == "headline" and roles["专版"] == "sans"  # the running head
    assert roles["前置引语"] == roles["标记引语"] == roles["补白引语"] == "pullquote"
    assert roles["补白标题"] == "headline" and roles["补白正文"] == "body"
    where = {c.text: (c.file.name, c.line, c.field) for c in walked}
    assert where["正文"] == ("01-a.md", 11, "body")
    assert where["导语二"] == ("page.yaml", None, "lede paragraph 2")
    assert where["肩题"] == ("page.yaml", None, "headline.kicker")
    assert where["标记引语"] == ("01-a.md", None, "pullquote")
    assert where["补白正文"] == ("brief.md", 5, "body")


def test_display_copy_is_what_prints_whole():
    """Pull quotes and fillers are not: the composer may leave any of them out."""
    display = [c.text for c in page_copy(PAGE) if c.display]
    banner_and_lede = ["肩题", "通栏标题", "副标题", "导语一", "导语二"]
    assert display == [*banner_and_lede, "引题", "标题", "副题", "记者 甲", "策划 丙"]


def test_rewriting_reaches_every_field_the_walk_yields():
    marked = rewrite_copy(
        PAGE,
        lambda text: text + "#",
        lambda spans: tuple(dataclasses.replace(s, text=s.text + "#") for s in spans),
    )
    before = [c for c in page_copy(PAGE) if c.field not in ("paper", "section")]
    after = [c for c in page_copy(marked) if c.field not in ("paper", "section")]
    assert [c.text for c in after] == [c.text + "#" for c in before]
    assert marked.paper == PAGE.paper and marked.articles[0].file == ARTICLE.file
    assert marked.articles[0].pullquotes == ("前置引语#", "标记引语#")
    assert marked.fillers[0].file == FILLER.file and marked.fillers[0].headline == "补白标题#"


def test_every_role_of_the_walk_is_a_font_role():
    roles = yaml.safe_load((ROOT / "fonts" / "roles.yaml").read_text(encoding="utf-8"))
    assert {c.role for c in page_copy(PAGE)} <= set(roles)
    assert roles[PULLQUOTE_ROLE]["families"] == roles[HEAD_ROLES["kicker"]]["families"]


def test_page_articles_are_the_articles_then_the_fillers():
    assert page_articles(PAGE) == (ARTICLE, FILLER)
