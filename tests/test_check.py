"""The check stage must catch a bad page, not only pass a good one."""

from __future__ import annotations

import re
from dataclasses import replace

import PIL.Image
import pytest

from layout.compose import compose
from layout.errors import CheckError
from layout.model.document import Image
from layout.model.grid import Grid
from layout.render.html_to_pdf import render_pdf
from layout.render.template import render_html
from layout.verify.check import Frame, Report, Typography, check_pdf, measure_lines
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


@pytest.mark.slow
def test_text_columns_beside_a_narrow_photo_are_found_where_they_start(roles, typesetter, tmp_path):
    """A photo narrower than its module moves the columns under it down: the check reads
    each column from its own first line (`Module.column_row`), and the caption's lines."""
    PIL.Image.new("RGB", (600, 450), (90, 120, 160)).save(tmp_path / "photo.jpg")
    photo = Image(
        tmp_path / "photo.jpg", 600, 450, caption="活动现场。", min_columns=1, max_columns=1
    )
    for scale in (1.0, 0.95, 0.9, 1.05):
        source = page([int(n * scale) for n in (600, 450, 540, 650, 700)])
        first = replace(source.articles[0], images=(photo,))
        source = replace(source, directory=tmp_path, articles=(first, *source.articles[1:]))
        layout = compose(source, Grid.for_format("tabloid"), typesetter)
        module = next(m for m in layout.modules if m.article == first)
        if len(set(module.column_rows)) > 1:
            break
    assert len(set(module.column_rows)) > 1, "no layout set the photo narrower than its module"
    pdf = render_pdf(render_html(source, layout, roles), source.directory).pdf
    report = check_pdf(pdf, source, layout)
    figures = report.typography[first.file.name]
    assert figures.lines == sum(len(column) for column in module.columns)
    heads = sum(len(h.lines) for h in module.headings)
    assert figures.display_lines == heads + len(module.images[0].caption.lines)


def test_the_report_counts_the_banner_display_lines_in_the_page_total():
    report = Report((0, 0), [], {"a.md": Typography(lines=3, display_lines=2)})
    report.banner = Typography(display_lines=1, display_prohibited=1)
    assert (report.total.lines, report.total.display_lines) == (3, 3)
    assert report.total.display_prohibited == 1
    assert "1 prohibited display line starts or ends" in report.total.failures()
    table = report.table().splitlines()
    assert table[0].split()[-3:] == ["display", "display", "prohibited"]
    assert table[1].split() == ["banner", *["-"] * 7, "1", "1"]
    assert table[-1].split()[-2:] == ["3", "1"]
