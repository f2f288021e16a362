"""The renderer contract the composer relies on, checked against the pinned WeasyPrint.

Lines are broken and justified in Python; WeasyPrint must then draw each
character exactly where the composer put it: letter-spacing after every
character, `margin-right` after a run, `halt` setting a mark half-width, and
no re-breaking of a line.  If an upgrade changes any of this, these fail.
"""

from __future__ import annotations

import weasyprint

from layout.check import read_glyphs
from layout.document import Span
from layout.linebreak import break_paragraph
from layout.render import render_pdf
from layout.template import segments

EM = 10.0


def _render_lines(lines, roles) -> list:
    role = roles["body"]
    html = [
        "<html><head><style>@page{size:200pt 200pt;margin:0} body{margin:0}"
        f".l{{white-space:pre;height:20pt;line-height:20pt;font-size:{EM}pt;"
        f"font-family:{role.css_families};position:absolute;left:20pt}}"
        ".halt{font-feature-settings:'halt'}.fwid{font-feature-settings:'fwid'}"
        "</style></head><body>"
    ]
    for number, line in enumerate(lines):
        html.append(
            f'<div class="l" style="top:{20 + number * 20}pt;padding-left:{line.indent * EM}pt">'
        )
        for s in segments(line, EM):
            style = f"letter-spacing:{s.spacing}pt" + (
                f";margin-right:{s.after}pt" if s.after else ""
            )
            html.append(f'<span class="{s.feature or ""}" style="{style}">{s.text}</span>')
        html.append("</div>")
    html.append("</body></html>")
    _, glyphs = read_glyphs(render_pdf("".join(html), base=weasyprint.__path__[0]))
    return glyphs


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
