"""Render the page's HTML to PDF bytes with WeasyPrint.

WeasyPrint is pinned (pyproject.toml): the composer's measurements assume
its text pipeline (Pango, HarfBuzz features from CSS, letter-spacing after
every character), which `tests/test_render.py` checks against this version.
Everything WeasyPrint reads goes through `fetch.PageFetcher`.
"""

from __future__ import annotations

from pathlib import Path

import weasyprint

from . import archive
from .document import Page
from .errors import Problem, SourceError
from .fetch import PageFetcher, RefusedReferenceError
from .fonts import require_fast_subsetting

ROOT = Path(__file__).resolve().parent.parent
STYLES = ROOT / "styles"
STYLESHEETS = ("base.css", "paper.css")


def render_pdf(html: str, base: Path, archival: Page | None = None) -> bytes:
    """PDF bytes of one page; `base` (the page directory) resolves its references.

    `archival` makes the PDF the archival PDF/A-3b of that page (see archive.py).
    """
    require_fast_subsetting()
    fetcher = PageFetcher(Path(base), STYLES, ROOT / "fonts")
    try:
        stylesheets = [
            weasyprint.CSS(filename=STYLES / name, url_fetcher=fetcher) for name in STYLESHEETS
        ]
        document = weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher).render(
            stylesheets=stylesheets
        )
        options = {}
        if archival is not None:
            options = archive.pdf_options(archival)
            archive.add_xmp(document.metadata, archival)
        return document.write_pdf(uncompressed_pdf=False, **options)
    except RefusedReferenceError as refused:
        raise SourceError(
            Problem(
                f"refers to {refused.url}, which is outside the page directory",
                file=Path(base),
                hint="keep every file the page uses inside its directory",
            )
        ) from None
