"""Display lines (banner, headlines, captions, pull quotes) measured from the PDF: found
where the layout put them, counted, and held to the body's line-start and line-end rules."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from layout.compose import compose
from layout.errors import CheckError
from layout.model.copy import HEAD_ROLES
from layout.model.document import Page, Slot
from layout.model.grid import Grid
from layout.model.layout import Layout, PullQuote
from layout.pipeline import build
from layout.production.report import built_entry
from layout.render.html_to_pdf import render_pdf
from layout.render.template import render_html
from layout.verify.check import BANNER, DisplayArea, check_pdf, measure_display
from layout.verify.pdfread import Glyph, printed_rows
from tests.conftest import SEED
from tests.test_compose import page

HEADLINE = "城中“口袋公园”装下居民幸福感"  # issue 16: printed `城中“口袋公园` / `”装下…`
QUOTE = "两市科技部门将以这次活动为契机，实现科技创新和人力资源互通共享。"


def row(text: str, top: float, size: float = 20.0, left: float = 0.0) -> list[Glyph]:
    """`text` printed at `size` pt from (`left`, `top`), a glyph an em wide."""
    return [
        Glyph(c, left + i * size, left + (i + 1) * size, top, top + size)
        for i, c in enumerate(text)
    ]


def area(*lines: str) -> DisplayArea:
    return DisplayArea("a.md", 0, 300, 0, 100, tuple((line, "headline") for line in lines))


def test_glyphs_are_grouped_into_the_lines_they_print_in():
    glyphs = row("装下居民", 30) + row("城中", 5) + row("吗", 7, size=16, left=40)
    assert ["".join(g.text for g in line) for line in printed_rows(glyphs)] == [
        "城中吗",
        "装下居民",
    ]


def test_a_display_line_starting_with_a_closing_mark_is_counted_and_located():
    glyphs = row("城中“口袋公园", 5) + row("”装下居民幸福感", 30)
    figures, problems = measure_display(glyphs, [area("城中“口袋公园", "”装下居民幸福感")])
    assert (figures["a.md"].display_lines, figures["a.md"].display_prohibited) == (2, 1)
    assert [(p.field, "prohibited display line" in p.message) for p in problems] == [
        ("headline", True)
    ]


def test_display_lines_that_obey_the_rules_pass():
    glyphs = row("城中“口袋公园”", 5) + row("装下居民幸福感", 30) + row("正文", 120)
    figures, problems = measure_display(glyphs, [area("城中“口袋公园”", "装下居民幸福感")])
    assert (figures["a.md"].display_lines, figures["a.md"].display_prohibited) == (2, 0)
    assert problems == []


def test_a_display_line_missing_from_its_area_is_a_mismatch():
    figures, problems = measure_display(row("城中“口袋公园”", 5), [area("城中“口袋公园”", "装下")])
    assert figures["a.md"].mismatched == 1
    assert "differ from the lines set" in problems[0].message


def composed(roles, typesetter, source: Page) -> tuple[Page, Layout, bytes]:
    layout = compose(source, Grid.for_format("tabloid"), typesetter)
    pdf = render_pdf(render_html(source, layout, roles), source.directory).pdf
    return source, layout, pdf


def with_headline(source: Page, number: int, headline: str) -> Page:
    articles = list(source.articles)
    articles[number] = replace(articles[number], headline=headline)
    return replace(source, articles=tuple(articles))


@pytest.fixture(scope="module")
def pocket_park(roles, typesetter):
    """A page whose second article has the headline of issue 16, pinned in a 2-column
    module the height of its two-line headline at 24 pt (lines 20–43, columns 4–5)."""
    source = with_headline(page([600, 450, 540, 650, 700]), 1, HEADLINE)
    pinned = replace(source.articles[1], slot=Slot(4, 2, 20, 24, Path("01.md"), 1))
    source = replace(source, articles=(source.articles[0], pinned, *source.articles[2:]))
    return composed(roles, typesetter, source)


def broken(layout):
    """The module with the headline of issue 16, broken over two lines."""
    module = next(m for m in layout.modules if m.article.headline == HEADLINE)
    headline = next(h for h in module.headings if h.role == HEAD_ROLES["headline"])
    assert module.box.columns == 2 and len(headline.lines) == 2
    return module


@pytest.mark.slow
def test_the_headline_of_issue_16_prints_by_the_rules(pocket_park):
    source, layout, pdf = pocket_park
    module = broken(layout)
    report = check_pdf(pdf, source, layout)
    figures = report.typography[module.article.file.name]
    assert figures.display_lines == sum(len(h.lines) for h in module.headings)
    assert figures.display_prohibited == 0
    banner = sum(len(h.lines) for h in layout.banner.headings) if layout.banner else 0
    assert report.banner.display_lines == banner > 0
    assert report.total.display_lines == banner + sum(
        len(h.lines) for m in layout.modules for h in m.headings
    )
    assert "display" in report.table() and f"{report.total.display_lines} display lines" in (
        report.summary()
    )


@pytest.mark.slow
def test_a_headline_broken_before_its_closing_quote_fails_the_check(roles, pocket_park):
    source, layout, _ = pocket_park
    module = broken(layout)
    index = next(i for i, h in enumerate(module.headings) if h.role == HEAD_ROLES["headline"])
    bad = replace(module.headings[index], lines=("城中“口袋公园", "”装下居民幸福感"))
    headings = (*module.headings[:index], bad, *module.headings[index + 1 :])
    module = replace(module, headings=headings)
    modules = tuple(module if m.article == module.article else m for m in layout.modules)
    layout = replace(layout, modules=modules)
    pdf = render_pdf(render_html(source, layout, roles), source.directory).pdf
    with pytest.raises(CheckError, match="prohibited display line start or end: ”装下居民幸福感"):
        check_pdf(pdf, source, layout)


@pytest.mark.slow
def test_a_pull_quote_is_measured_as_display_lines(roles, typesetter):
    """The composer sets a quote where it needs the lines (at one of these lengths)."""
    for scale in (0.85, 0.9, 0.8, 0.95):
        source = page([int(n * scale) for n in (600, 450, 540, 650, 700)])
        source = replace(
            source, articles=tuple(replace(a, pullquotes=(QUOTE,)) for a in source.articles)
        )
        source, layout, pdf = composed(roles, typesetter, source)
        quoted = [m for m in layout.modules if m.pullquote is not None]
        if quoted:
            break
    assert quoted, "no page set a pull quote"
    report = check_pdf(pdf, source, layout)
    for module in quoted:
        heads = sum(len(h.lines) for h in module.headings)
        assert module.pullquote is not None
        quote = len(module.pullquote.heading.lines)
        assert report.typography[module.article.file.name].display_lines == heads + quote
    # the same PDF checked against a layout that moves the quote: it is not found there
    moved = replace(quoted[0], pullquote=PullQuote(quoted[0].pullquote.heading, 0, 1, 0, 2))
    layout = replace(layout, modules=tuple(moved if m is quoted[0] else m for m in layout.modules))
    with pytest.raises(CheckError, match="display lines printed"):
        check_pdf(pdf, source, layout)


@pytest.mark.slow
def test_the_seed_page_has_its_display_lines_measured(seed_build):
    report, layout = seed_build.report, seed_build.layout
    set_lines = sum(len(h.lines) for m in layout.modules for h in m.headings)
    assert layout.banner is not None
    set_lines += sum(len(h.lines) for h in layout.banner.headings)
    assert report.total.display_lines == set_lines > len(layout.modules)
    assert report.total.display_prohibited == 0
    assert report.banner.display_lines >= 1 and BANNER in report.table()


@pytest.fixture(scope="module")
def seed_build():
    return build(SEED)


@pytest.mark.slow
def test_the_json_report_counts_the_display_lines(seed_build):
    entry = built_entry(SEED, seed_build, [])
    total = seed_build.report.total
    assert entry["display_lines"] == {
        "page": total.display_lines,
        "banner": seed_build.report.banner.display_lines,
        "prohibited": 0,
    }
    per_article = sum(t["display_lines"] for t in entry["typography"].values())
    assert per_article + entry["display_lines"]["banner"] == total.display_lines
    assert json.loads(json.dumps(entry))["display_lines"] == entry["display_lines"]
