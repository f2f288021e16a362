"""Render lines set by the line breaker exactly as the page template draws them.

The renderer-contract and stress tests place lines anywhere on a large page
but must draw them with the product's own line macro and stylesheets, so
that what they measure is what a page prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from layout.render.html_to_pdf import render_pdf
from layout.render.template import environment
from layout.typeset.fonts import Role
from layout.typeset.linebreak import Line
from layout.verify.pdfread import Glyph, read_glyphs


def render_lines(
    placed: Sequence[tuple[float, float, Line]], role: Role, *, em: float, pitch: float
) -> list[Glyph]:
    """Glyphs of a page holding each (left, top, line), in the body role at `em` pt."""
    line = environment().get_template("line.html.j2").module.line
    body = "".join(
        f'<div style="position:absolute;left:{left}pt;top:{top}pt">{line(item, em)}</div>'
        for left, top, item in placed
    )
    html = (
        "<html><head><style>@page{size:3000pt 3000pt;margin:0}"
        f"body{{font-family:{role.css_families};font-size:{em}pt}}"
        f".l{{height:{pitch}pt;line-height:{pitch}pt}}</style></head>"
        f"<body>{body}</body></html>"
    )
    return read_glyphs(render_pdf(html, base=Path()).pdf)[1]
