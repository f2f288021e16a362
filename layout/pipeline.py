"""The build, stage by stage: each takes the previous stage's typed output.

load & validate (sources) → normalise → fonts & coverage → measure & compose
→ template → render → check → write.  Only `build` does I/O at its edges:
it reads the page directory and writes the PDF, atomically, after the check
has passed, so a page that fails any stage leaves nothing at the output.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .compose import compose_page
from .errors import PreflightError, Problem, TimeLimitError
from .model.document import Article, Block, Page, Span
from .model.layout import Layout
from .output.write import write_atomically
from .render.html_to_pdf import render_pdf
from .render.template import masthead_lines, render_html
from .sources.layout_file import dump_layout
from .sources.loaders import load_layout, load_page
from .typeset import fonts
from .typeset.normalise import normalise_page
from .verify.check import Report, check_pdf

if TYPE_CHECKING:
    from .output.preflight import Preflight


@dataclass
class Build:
    """What one build produced, for the command line and the tests."""

    page: Page
    layout: Layout
    pdf: bytes
    report: Report
    timings: dict[str, float] = field(default_factory=dict)
    preflight: Preflight | None = None  # with --preflight or --pdfx


def _coverage_items(page: Page, roles: dict[str, fonts.Role]):
    """Every piece of text with the role that draws it and where it came from."""
    yield from _page_texts(page, roles)
    for article in page.articles:
        yield from _article_texts(article, roles)


def _page_texts(page: Page, roles: dict[str, fonts.Role]):
    yaml_file = page.directory / "page.yaml"
    if page.banner:
        for name, text in vars(page.banner).items():
            if text:
                role = "banner" if name == "title" else "kai"
                yield roles[role], text, Problem("", yaml_file, field=f"headline.{name}")
    for number, text in enumerate(page.lede):
        yield roles["kai"], text, Problem("", yaml_file, field=f"lede paragraph {number + 1}")
    credits = page.credits
    for text in (*credits.lines, *credits.editors, credits.designer or ""):
        yield roles["kai"], text, Problem("", yaml_file, field="credits")
    yield roles["sans"], page.paper + (page.section or ""), Problem("", yaml_file, field="paper")
    lines = masthead_lines(page)
    if lines is not None:
        yield roles["banner"], page.paper, Problem("", yaml_file, field="masthead")
        yield roles["sans"], "".join(lines.values()), Problem("", yaml_file, field="masthead")


def _article_texts(article: Article, roles: dict[str, fonts.Role]):
    yield roles["headline"], article.headline, Problem("", article.file, field="headline")
    for name in ("kicker", "subhead", "byline"):
        text = getattr(article, name)
        if text:
            yield roles["kai"], text, Problem("", article.file, field=name)
    for image in article.images:
        for text in (image.caption, image.credit):
            if text:
                yield roles["kai"], text, Problem("", article.file, field="images")
    for block in article.blocks:
        for span in block.spans:
            yield (
                roles[_body_role(block, span)],
                span.text,
                Problem("", article.file, block.line, "body"),
            )


def _body_role(block: Block, span: Span) -> str:
    if block.kind == "crosshead":
        return "headline"
    return "body_bold" if span.bold else "body"


@contextlib.contextmanager
def time_limit(seconds: float | None, directory: Path) -> Iterator[None]:
    """Stop a build that runs past `seconds` (main thread only: it uses SIGALRM)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimitError(
            Problem(
                f"the page took longer than {seconds:g} s to build",
                file=directory,
                hint="look for an unusually long article; raise --time-limit for a huge page",
            )
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def build(
    directory: Path,
    output: Path | None = None,
    *,
    clock: Callable[[], float] = time.perf_counter,
    seconds: float | None = None,
    layout_in: Path | None = None,
    layout_out: Path | None = None,
    pdfa: bool = False,
    pdfx: str | None = None,
    preflight: bool = False,
) -> Build:
    """Build one page directory; write the PDF to `output` if given and the page passes.

    `seconds` bounds the whole build (see `time_limit`); nothing is written if it runs
    out.  `layout_in` pins the modules a layout file gives; `layout_out` receives the
    layout chosen, written with the PDF.  `pdfa` makes the PDF an archival PDF/A-3b;
    `pdfx` ("x-4" or "x-1a") the print plant's PDF/X in CMYK with bleed and marks,
    always preflighted; `preflight` preflights any build.  A preflight error stops
    the build before anything is written.
    """
    with time_limit(seconds, directory):
        return _build(
            directory,
            clock,
            output=output,
            layout_in=layout_in,
            layout_out=layout_out,
            variant="pdfa" if pdfa else pdfx,
            preflight=preflight or pdfx is not None,
        )


def _build(
    directory: Path,
    clock: Callable[[], float],
    *,
    output: Path | None,
    layout_in: Path | None,
    layout_out: Path | None,
    variant: str | None,
    preflight: bool,
) -> Build:
    timings: dict[str, float] = {}
    started = clock()

    def lap(stage: str) -> None:
        nonlocal started
        now = clock()
        timings[stage] = now - started
        started = now

    page = load_page(directory)
    if layout_in is not None:
        page = load_layout(layout_in, page)
    page = normalise_page(page)
    lap("load")
    roles = fonts.load_roles()
    fonts.check_coverage(_coverage_items(page, roles))
    lap("fonts")
    layout = compose_page(page, roles)
    lap("compose")
    html = render_html(page, layout, roles)
    pdf = render_pdf(html, directory, page=page, variant=variant)
    lap("render")
    report = check_pdf(pdf, page, layout)
    lap("check")
    plant = None
    if preflight:
        # numpy and the walker cost 0.2 s to import; most builds are not preflighted
        from .output.preflight import TARGETS  # noqa: PLC0415
        from .output.preflight import preflight as run_preflight  # noqa: PLC0415

        target = variant if variant in TARGETS else None
        plant = run_preflight(pdf, target=target)
        if plant.errors:
            raise PreflightError(_preflight_problems(plant, directory))
        lap("preflight")
    if output is not None:
        write_atomically(output, pdf)
    if layout_out is not None:
        write_atomically(layout_out, dump_layout(layout).encode())
    lap("write")
    return Build(page, layout, pdf, report, timings, plant)


def _preflight_problems(plant: Preflight, directory: Path) -> list[Problem]:
    hint = "see README, Print production: fix the source, the photo or the style named"
    return [Problem(str(finding), directory, hint=hint) for finding in plant.errors]
