"""Render the page's HTML to PDF bytes with WeasyPrint.

WeasyPrint is pinned (pyproject.toml): the composer's measurements assume
its text pipeline (Pango, HarfBuzz features from CSS, letter-spacing after
every character), which `tests/test_render.py` checks against this version.
Everything WeasyPrint reads goes through `fetch.PageFetcher`, and everything
it logs at WARNING or worse becomes a problem: an error (an image it could not
load) stops the build, a warning (a CSS rule it ignored) travels with it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import weasyprint

from .. import PROJECT
from ..errors import PreflightError, Problem, RenderError, SourceError
from ..model.copy import PAGE_FILE
from ..model.document import Page
from ..model.layout import PlacedAd
from ..options import PDFA, SCREEN, Target
from ..output import archive, pdfx
from ..typeset.fonts import require_fast_subsetting
from . import tags
from .adart import place_pdf_ads, rgb_colours
from .fetch import PageFetcher, RefusedReferenceError

ROOT = PROJECT
STYLES = ROOT / "styles"
STYLESHEETS = ("base.css", "paper.css", "boxes.css", "vertical.css")
PRINT_STYLESHEET = "print.css"  # added for PDF/X
DRAFT_STYLESHEET = "draft.css"  # added for a draft proof (render/templates/draft.html.j2)
LOG_HINT = "a bug in the typesetter's styles or templates, or a file it could not read"


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    warnings: tuple[Problem, ...] = ()  # what WeasyPrint warned of


def render_pdf(
    html: str,
    base: Path,
    *,
    page: Page | None = None,
    target: Target = SCREEN,
    draft: bool = False,
    ads: Sequence[PlacedAd] = (),
) -> Rendered:
    """The PDF of one page; `base` (the page directory) resolves its references.

    `target` PDF/A makes the archival PDF/A-3b of `page` (see archive.py); a
    printing target the print plant's PDF/X (see pdfx.py and styles/print.css).
    A `draft` (the HTML of a layout marked draft) adds the overlay's styles/draft.css.
    The PDF ads of `ads`, which the HTML leaves empty, are stamped in afterwards
    (adart.py); WeasyPrint draws the others from the HTML.
    """
    require_fast_subsetting()
    refused = _refused_ads(ads, Path(base), target)
    if refused:
        raise PreflightError(refused)
    with weasyprint_records() as records:
        try:
            pdf = _render(html, base, page, target, draft)
        except RefusedReferenceError as refused:
            raise SourceError(
                Problem(
                    f"refers to {refused.url}, which is outside the page directory",
                    file=Path(base),
                    hint="keep every file the page uses inside its directory",
                )
            ) from None
    problems = [
        Problem(
            f"WeasyPrint: {record.getMessage()}",
            Path(base),
            hint=LOG_HINT,
            severity="error" if record.levelno >= logging.ERROR else "warning",
        )
        for record in records
    ]
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise RenderError(errors)
    return Rendered(place_pdf_ads(pdf, ads), tuple(problems))


def _refused_ads(ads: Sequence[PlacedAd], base: Path, target: Target) -> list[Problem]:
    """The PDF ads painting in RGB or Lab, which a target with no RGB (X-1a) cannot take.

    Said before rendering and in the ad desk's terms: only they can separate the
    artwork, and the preflight would find the same colours only after the render.
    """
    problems = []
    for placed in ads:
        ad = placed.ad
        if ad.kind == "svg" and target.printing:
            problems.append(
                Problem(
                    f"{ad.name}: an SVG ad is drawn in RGB, which {target.label} prints only "
                    "as the plant's separation of it, never as the ad desk approved",
                    base / PAGE_FILE,
                    ad.line_no,
                    f"ads[{ad.index - 1}].file",
                    hint="ask the ad desk for the ad as a CMYK PDF (PDF/X) for print",
                )
            )
            continue
        found = rgb_colours(ad.file) if ad.kind == "pdf" and target.rgb == "none" else []
        if found:
            shown = "; ".join(found[:3]) + ("; …" if len(found) > 3 else "")
            problems.append(
                Problem(
                    f"{ad.name}: the artwork paints in RGB ({shown}), "
                    f"which {target.label} does not take",
                    base / PAGE_FILE,
                    ad.line_no,
                    f"ads[{ad.index - 1}].file",
                    hint="ask the ad desk for the ad in CMYK, exported as PDF/X-1a",
                )
            )
    return problems


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def weasyprint_records() -> Iterator[list[logging.LogRecord]]:
    """WeasyPrint's WARNING-or-worse records while the block runs: it only logs them.

    The render turns them into problems; the test suite fails a test that has any.
    """
    handler = _Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


def _render(html: str, base: Path, page: Page | None, target: Target, draft: bool) -> bytes:
    printing = target.printing
    roots = [Path(base), STYLES, ROOT / "fonts"] + ([pdfx.PROFILE] if printing else [])
    fetcher = PageFetcher(*roots, photos=pdfx.cmyk_photo if printing else None, page=Path(base))
    profiles: dict = {}  # filled by @color-profile rules; WeasyPrint takes the output intent here
    names = (
        STYLESHEETS
        + ((PRINT_STYLESHEET,) if printing else ())
        + ((DRAFT_STYLESHEET,) if draft else ())
    )
    options = pdfx.pdf_options(target) if printing else {}
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
    if target == PDFA and page is not None:
        tags.install()  # a pull quote is tagged Aside (render/tags.py)
        options = archive.pdf_options(page)
        archive.add_xmp(document.metadata, page)
    elif printing and page is not None:
        pdfx.stable_document_id(document.metadata, page)
    pdf = document.write_pdf(uncompressed_pdf=False, **options)
    return pdfx.black_to_k(pdf) if printing else pdf
