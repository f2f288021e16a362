"""The renderer contract the composer relies on, checked against the pinned WeasyPrint.

Lines are broken and justified in Python; WeasyPrint must then draw each
character exactly where the composer put it: letter-spacing after every
character, `margin-right` after a run, `halt` setting a mark half-width, and
no re-breaking of a line.  If an upgrade changes any of this, these fail.
"""

from __future__ import annotations

import weasyprint

from layout.model.document import Span
from layout.typeset.linebreak import break_paragraph
from tests.specimen import render_lines

EM = 10.0


def _render_lines(lines, roles) -> list:
    placed = [(20.0, 20.0 + number * 20, line) for number, line in enumerate(lines)]
    return render_lines(placed, roles["body"], em=EM, pitch=20.0)


def test_weasyprint_is_the_pinned_version():
    assert weasyprint.__version__ == "70.0"


def test_glyphs_land_where_the_composer_put_them(typesetter, roles):
    em = typesetter.measure_for("body")
    text = (
        "全力推动2024年先行实施的30项重点工作，“硬联通”正开始向人力、科技等领域发力，"
        "iPhone 16同比增长5.2%……——访谈。"
    )
    lines = break_paragraph((Span(text),), 12, em, indent=2)
    glyphs = _render_lines(lines, roles)
    assert "".join(g.text for g in glyphs if not g.text.isspace()) == text.replace(" ", "")
    rows: dict[int, list] = {}
    for glyph in glyphs:
        rows.setdefault(round(glyph.top), []).append(glyph)
    printed = [sorted(row, key=lambda g: g.left) for _, row in sorted(rows.items())]
    assert len(printed) == len(lines)  # WeasyPrint did not re-break any line
    for line, row in zip(lines, printed, strict=True):
        expected = 20 + line.indent * EM
        visible = [g for g in row if not g.text.isspace()]
        positions = iter(visible)
        for piece in line.pieces:
            wanted = piece.text.strip()
            if wanted:
                # a glyph may carry several characters (the `——` ligature)
                glyph = next(positions)
                assert abs(glyph.left - expected) < 0.05, (line.text, piece.text)
                drawn = glyph.text
                while len(drawn) < len(wanted.replace(" ", "")):
                    drawn += next(positions).text
                assert drawn == wanted.replace(" ", "")
            expected += (piece.width + piece.gap) * EM
        if not line.final:
            last = visible[-1]
            right = last.left + (EM / 2 if line.pieces[-1].halt else last.right - last.left)
            assert abs(right - (20 + 12 * EM)) < 0.05, line.text
