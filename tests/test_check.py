"""The check stage must catch a bad page, not only pass a good one."""

from __future__ import annotations

import re

import pytest

from layout.compose import compose
from layout.errors import CheckError
from layout.model.grid import Grid
from layout.render.html_to_pdf import render_pdf
from layout.render.template import render_html
from layout.verify.check import Frame, check_pdf, measure_lines
from layout.verify.pdfread import Glyph
from tests.test_compose import page


@pytest.fixture(scope="module")
def rendered(roles, typesetter):
    source = page([600, 450, 540, 650, 700])
    layout = compose(source, Grid.for_format("tabloid"), typesetter)
    html = render_html(source, layout, roles)
    return source, layout, html


def test_a_good_page_passes(rendered):
    source, layout, html = rendered
    report = check_pdf(render_pdf(html, source.directory).pdf, source, layout)
    assert report.total.justified > 100
    assert report.total.flush == report.total.justified
    assert len(report.fonts) >= 3


def test_a_line_left_unjustified_fails(rendered):
    source, layout, html = rendered
    # take the spacing out of the first justified line that has any
    broken = re.sub(r"letter-spacing:0\.[0-9]*[1-9][0-9]*pt", "letter-spacing:0pt", html, count=1)
    assert broken != html
    with pytest.raises(CheckError, match="from the column edge"):
        check_pdf(render_pdf(broken, source.directory).pdf, source, layout)


def test_text_that_differs_from_the_source_fails(rendered):
    source, layout, html = rendered
    head, body = html.split("<article", 1)
    broken = head + "<article" + body.replace("呼和浩特", "呼和浩待", 1)
    with pytest.raises(CheckError, match="differs from the line set"):
        check_pdf(render_pdf(broken, source.directory).pdf, source, layout)


def glyphs(text: str, left: float = 0.0, em: float = 10.0) -> list[Glyph]:
    return [Glyph(c, left + i * em, left + (i + 1) * em, 0, em) for i, c in enumerate(text)]


def frame(text: str, *, final: bool, right: float = 40) -> Frame:
    return Frame("a.md", 0, right, 0, 10, 10, 0, final, text)


@pytest.mark.parametrize(
    ("text", "figure"),
    [("，中国人", "prohibited"), ("中国人“", "prohibited"), ("中国 人", "spaces_added")],
)
def test_prohibited_lines_and_added_spaces_are_counted(text, figure):
    figures, problems = measure_lines(glyphs(text), [frame(text.replace(" ", ""), final=True)])
    assert getattr(figures["a.md"], figure) == 1
    assert problems


def test_half_width_mark_at_line_end_counts_as_flush():
    line = glyphs("中国人，")  # the comma's advance box runs to 40, its ink to 35
    figures, problems = measure_lines(line, [frame("中国人，", final=False, right=35)])
    t = figures["a.md"]
    assert (t.flush, t.justified, problems) == (1, 1, [])


def test_wide_gaps_orphans_and_split_dashes_are_measured():
    spaced = [Glyph(c, i * 16.0, i * 16.0 + 10, 0, 10) for i, c in enumerate("中国人民")]
    figures, _ = measure_lines(spaced, [frame("中国人民", final=False, right=58)])
    assert figures["a.md"].widest_gap == pytest.approx(0.6)
    assert "gap of 0.60 em" in " ".join(figures["a.md"].failures())
    first = glyphs("中国人—")
    second = [Glyph(g.text, g.left, g.right, 20, 30) for g in glyphs("—好")]
    frames = [
        frame("中国人—", final=False),
        Frame("a.md", 0, 40, 20, 30, 10, 0, True, "—好"),
    ]
    figures, _ = measure_lines(first + second, frames)
    assert figures["a.md"].split == 1
    lone = [Glyph(g.text, g.left, g.right, 20, 30) for g in glyphs("好。")]
    figures, _ = measure_lines(
        glyphs("中国人民") + lone,
        [frame("中国人民", final=False), Frame("a.md", 0, 40, 20, 30, 10, 0, True, "好。")],
    )
    assert figures["a.md"].orphans == 1
