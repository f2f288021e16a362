"""Markup an author types (`<!-- … -->`, links, `<script>`) prints as typed, where it was set.

`——` and `……` are drawn with the OpenType `fwid` feature, which also has a
full-width form of the space: a space after them, drawn in their run, pushed
the rest of the line an em too far, past the column, and the check failed
with "line printed differs from the line set".  Between two such runs the
space has no other run to join: the line breaker gives back what `fwid`
adds to it in the gap after it.

A Latin run that nearly fills a line or more (`<script>…</script>`, a URL)
could not be broken: the line fell short of the column edge, or a line
before it took gaps of more than an em.
"""

from __future__ import annotations

import re
import shutil

import pdfplumber
import pytest

import build_pdf
from layout.model.document import Span
from layout.render.template import segments
from layout.typeset.linebreak import break_paragraph
from layout.typeset.normalise import normalise_text
from tests.conftest import SEED
from tests.specimen import render_lines

EM = 10.0
SPACED = "<!-- 编者注 -->包头市…… 等等—— 破折号 abc…… “引号”—— 止"
BETWEEN_RUNS = "包头市…… ——等等。他说—— ——我们要加快发展…… ……止"


@pytest.mark.parametrize("text", [SPACED, BETWEEN_RUNS])
def test_a_space_after_a_dash_or_ellipsis_lands_where_it_was_set(typesetter, roles, text):
    em = typesetter.measure_for("body")
    lines = break_paragraph((Span(normalise_text(text)),), 12, em)
    for line in lines:
        drawn = segments(line, EM)
        assert all(" " not in s.text.rstrip() for s in drawn if s.feature == "fwid"), drawn
    placed = [(20.0, 20.0 + number * 20, line) for number, line in enumerate(lines)]
    glyphs = render_lines(placed, roles["body"], em=EM, pitch=20.0)
    for number, line in enumerate(lines):
        row = iter(g for g in glyphs if abs(g.top - glyphs[0].top - number * 20) < 1)
        expected = 20.0
        for piece in line.pieces:
            if piece.text.strip():
                glyph = next(g for g in row if not g.text.isspace())
                assert abs(glyph.left - expected) < 0.05, (line.text, piece.text)
                for _ in range(len(piece.text) - len(glyph.text)):
                    next(row)  # a glyph may hold several characters (the `——` ligature)
            expected += (piece.width + piece.gap) * EM


@pytest.mark.slow
def test_paragraphs_opening_with_markup_build_and_print_as_typed(tmp_path, capsys):
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    article = page / "03-kejiju.md"
    typed = ["<!-- 编者注 -->", "[链接文字](http://…)", "<script>alert(1)</script>"]
    text = article.read_text(encoding="utf-8")
    opening = "“呼和浩特市和包头市"
    markup = f"{typed[0]}{opening}"
    text = text.replace(opening, f"{typed[1]}\n\n{typed[2]}\n\n{markup}", 1)
    article.write_text(text, encoding="utf-8")
    output = tmp_path / "page.pdf"
    assert build_pdf.main([str(page), "-o", str(output)]) == 0, capsys.readouterr().err
    with pdfplumber.open(output) as pdf:
        printed = re.sub(r"\s+", "", "".join(c["text"] for c in pdf.pages[0].chars))
    for paragraph in typed:
        # as typed, up to the normalisation all copy gets (`!` and `--` beside Chinese)
        assert re.sub(r"\s+", "", normalise_text(paragraph)) in printed, paragraph


@pytest.mark.slow
def test_latin_runs_and_spaces_between_dashes_build_and_print_as_typed(tmp_path, capsys):
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    article = page / "03-kejiju.md"
    opening = "“呼和浩特市和包头市"
    typed = [
        "<script>alert(1)</script>“呼和浩特市和包头市是呼包鄂乌城市群一体化发展的先行区",
        "[链接文字](http://example.com)包头市科技局发布了两市合作的最新进展。",
        "包头市…… ——等等。他说—— ——我们要加快发展。",
    ]
    text = article.read_text(encoding="utf-8")
    added = f"{typed[1]}\n\n{typed[2]}\n\n<script>alert(1)</script>{opening}"
    article.write_text(text.replace(opening, added, 1), encoding="utf-8")
    output = tmp_path / "page.pdf"
    assert build_pdf.main([str(page), "-o", str(output)]) == 0, capsys.readouterr().err
    with pdfplumber.open(output) as pdf:
        printed = "".join(c["text"] for c in pdf.pages[0].chars)
    for paragraph in typed:
        # every character as typed (after the normalisation all copy gets); a space
        # that ends a line is the line break, and is not drawn
        pattern = "".join(" ?" if c == " " else re.escape(c) for c in normalise_text(paragraph))
        assert re.search(pattern, printed), paragraph
