"""The check stage must catch a bad page, not only pass a good one."""

from __future__ import annotations

import re

import pytest

from layout.check import Glyph, Report, _check_line, check_pdf
from layout.compose import compose
from layout.errors import CheckError
from layout.grid import Grid
from layout.render import render_pdf
from layout.template import render_html
from tests.test_compose import page


@pytest.fixture(scope="module")
def rendered(roles, typesetter):
    source = page([600, 450, 540, 650, 700])
    layout = compose(source, Grid.for_format("tabloid"), typesetter)
    html = render_html(source, layout, roles)
    return source, layout, html


def test_a_good_page_passes(rendered):
    source, layout, html = rendered
    report = check_pdf(render_pdf(html, source.directory), source, layout)
    assert report.justified > 100
    assert report.flush == report.justified
    assert len(report.fonts) >= 3


def test_a_line_left_unjustified_fails(rendered):
    source, layout, html = rendered
    # take the spacing out of the first justified line that has any
    broken = re.sub(r"letter-spacing:0\.[0-9]*[1-9][0-9]*pt", "letter-spacing:0pt", html, count=1)
    assert broken != html
    with pytest.raises(CheckError, match="from the column edge"):
        check_pdf(render_pdf(broken, source.directory), source, layout)


def test_text_that_differs_from_the_source_fails(rendered):
    source, layout, html = rendered
    head, body = html.split("<article", 1)
    broken = head + "<article" + body.replace("呼和浩特", "呼和浩待", 1)
    with pytest.raises(CheckError, match="printed as"):
        check_pdf(render_pdf(broken, source.directory), source, layout)


def glyphs(text: str, left: float = 0.0, em: float = 10.0) -> list[Glyph]:
    return [Glyph(c, left + i * em, left + (i + 1) * em, 0, em) for i, c in enumerate(text)]


@pytest.mark.parametrize(
    ("text", "message"),
    [("，中国人", "starts with"), ("中国人“", "ends with"), ("中国 人", "space added")],
)
def test_prohibited_lines_are_reported(text, message):
    report = Report((0, 0), [])
    _check_line(glyphs(text), final=True, edge=40, em=10, where=None, report=report)
    assert any(message in p.message for p in report.problems)


def test_half_width_mark_at_line_end_counts_as_flush():
    report = Report((0, 0), [])
    line = glyphs("中国人，")  # the comma's advance box runs to 40, its ink to 35
    _check_line(line, final=False, edge=35, em=10, where=None, report=report)
    assert (report.flush, report.justified, report.problems) == (1, 1, [])
