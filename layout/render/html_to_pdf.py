"""Render the page's HTML to PDF bytes with WeasyPrint.

WeasyPrint is pinned (pyproject.toml): the composer's measurements assume
its text pipeline (Pango, HarfBuzz features from CSS, letter-spacing after
every character), which `tests/test_render.py` checks against this version.
Everything WeasyPrint reads goes through `fetch.PageFetcher`.
"""

from __future__ import annotations

from pathlib import Path

import weasyprint

from .. import PROJECT
from ..errors import Problem, SourceError
from ..model.document import Page
from ..output import archive, pdfx
from ..typeset.fonts import require_fast_subsetting
from .fetch import PageFetcher, RefusedReferenceError

ROOT = PROJECT
STYLES = ROOT / "styles"
STYLESHEETS = ("base.css", "paper.css")
PRINT_STYLESHEET = "print.css"  # added for PDF/X


def render_pdf(
    html: str, base: Path, *, page: Page | None = None, variant: str | None = None
) -> bytes:
    """PDF bytes of one page; `base` (the page directory) resolves its references.

    `variant` "pdfa" makes the archival PDF/A-3b of `page` (see archive.py);
    "x-4" or "x-1a" the print plant's PDF/X (see pdfx.py and styles/print.css).
    """
    require_fast_subsetting()
    printing = variant in pdfx.VARIANTS
    roots = [Path(base), STYLES, ROOT / "fonts"] + ([pdfx.PROFILE] if printing else [])
    fetcher = PageFetcher(*roots, photos=pdfx.cmyk_photo if printing else None)
    profiles: dict = {}  # filled by @color-profile rules; WeasyPrint takes the output intent here
    names = STYLESHEETS + ((PRINT_STYLESHEET,) if printing else ())
    options = pdfx.pdf_options(variant) if printing else {}
    try:
        stylesheets = [
            weasyprint.CSS(filename=STYLES / name, url_fetcher=fetcher, color_profiles=profiles)
            for name in names
        ]
        if printing:
            stylesheets.append(
                weasyprint.CSS(
                    string=pdfx.colour_profile_css(), url_fetcher=fetcher, color_profiles=profiles
                )
            )
        document = weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher).render(
            stylesheets=stylesheets, color_profiles=profiles, **options
        )
        if variant == "pdfa" and page is not None:
            options = archive.pdf_options(page)
            archive.add_xmp(document.metadata, page)
        elif printing and page is not None:
            pdfx.stable_document_id(document.metadata, page)
        pdf = document.write_pdf(uncompressed_pdf=False, **options)
        return pdfx.black_to_k(pdf) if printing else pdf
    except RefusedReferenceError as refused:
        raise SourceError(
            Problem(
                f"refers to {refused.url}, which is outside the page directory",
                file=Path(base),
                hint="keep every file the page uses inside its directory",
            )
        ) from None
