"""Render the page's HTML to PDF bytes with WeasyPrint.

WeasyPrint is pinned (pyproject.toml): the composer's measurements assume
its text pipeline (Pango, HarfBuzz features from CSS, letter-spacing after
every character), which `tests/test_render.py` checks against this version.
"""

from __future__ import annotations

from pathlib import Path

import weasyprint

from .fonts import require_fast_subsetting

STYLES = Path(__file__).resolve().parent.parent / "styles"
STYLESHEETS = ("base.css", "paper.css")


def render_pdf(html: str, base: Path) -> bytes:
    """PDF bytes of one page; `base` resolves the page's relative references."""
    require_fast_subsetting()
    stylesheets = [weasyprint.CSS(filename=STYLES / name) for name in STYLESHEETS]
    document = weasyprint.HTML(string=html, base_url=str(base)).render(stylesheets=stylesheets)
    return document.write_pdf(uncompressed_pdf=False)
