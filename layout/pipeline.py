"""The build, stage by stage: each takes the previous stage's typed output.

load & validate (sources) → normalise → fonts & coverage → measure & compose
→ template → render → check → write.  Only `build` does I/O at its edges:
it reads the page directory and writes the PDF, atomically, after the check
has passed, so a page that fails any stage leaves nothing at the output.
A page that does not fit leaves, beside the output, its draft proof instead:
the best arrangement found, with its overset and holes drawn (`draft_proof`).
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .compose import compose_page
from .compose.composer import TypesetterFor
from .compose.jumps import continuations, linked, unmade
from .errors import FitError, LayoutError, PreflightError, Problem, TimeLimitError
from .model.copy import page_copy
from .model.document import Continuation, Page
from .model.layout import Layout
from .options import DEFAULT, OutputOptions
from .output.alto import alto_xml
from .output.paths import draft_path
from .output.preview import png_bytes
from .output.write import write_all
from .render.adart import ad_names
from .render.html_to_pdf import render_pdf
from .render.template import masthead_copy, render_html
from .sources.layout_file import dump_layout, load_layout
from .sources.page import load_page
from .typeset import fonts
from .typeset.measure import Typesetter
from .typeset.normalise import normalise_page
from .verify.check import Report, check_pdf

if TYPE_CHECKING:
    from .output.preflight import Finding, Preflight


@dataclass
class Build:
    """What one build produced, for the command line and the tests."""

    page: Page
    layout: Layout
    pdf: bytes
    report: Report
    timings: dict[str, float] = field(default_factory=dict)
    preflight: Preflight | None = None  # with --preflight or --pdfx
    warnings: tuple[Problem, ...] = ()  # of the render and the preflight: the page still built
    continuations: tuple[Continuation, ...] = ()  # rests of jumped articles, for their pages


@dataclass(frozen=True)
class Draft:
    """The draft proof of a page that does not fit: never checked, never printed."""

    layout: Layout  # the best arrangement found, marked draft
    pdf: bytes  # a plain PDF whatever the target: its overlay is RGB, and known-bad


DRAFT_FIELD = "draft proof"  # the field of the problem that names a draft written


def _coverage_items(page: Page, roles: dict[str, fonts.Role]):
    """Every piece of text with the role that draws it and where it came from."""
    for copy in (*page_copy(page), *masthead_copy(page)):
        yield roles[copy.role], copy.text, copy.problem("")


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
    options: OutputOptions = DEFAULT,
    clock: Callable[[], float] = time.perf_counter,
    layout_in: Path | None = None,
    layout_out: Path | None = None,
    png: Path | None = None,
    dpi: int = 100,
    jumps: Mapping[str, int] | None = None,
    continued: Sequence[Continuation] = (),
    alto: Path | None = None,
    typesetter: TypesetterFor = Typesetter,
    rendered: Callable[[bytes, Page, Layout], None] | None = None,
) -> Build:
    """Build one page directory; write the PDF to `output` if given and the page passes.

    `options` say which PDF to make, whether to preflight it and how long the build
    may take (see `time_limit`); a preflight error or the time running out stops the
    build before anything is written.  `layout_in` pins the modules a layout file
    gives; `layout_out` receives the layout chosen and `png` a preview at `dpi`,
    written with the PDF: all of them, or none.  In an edition, `jumps` gives the
    page each jumping article (by slug) runs on, and `continued` the rests that run
    on here (`compose/jumps.py`); the rests this page sends on are in the Build.
    `alto` receives the page's ALTO (`output/alto.py`), written with the PDF.
    `typesetter` makes the composer's measurer for a grid (`compose_page`), and
    `rendered` is given the PDF, its page and layout before they are checked (the live proof
    shows them while the check reads them).
    """
    with time_limit(options.time_limit, directory):
        return _build(
            directory,
            clock,
            options,
            output=output,
            layout_in=layout_in,
            layout_out=layout_out,
            png=png,
            dpi=dpi,
            jumps=jumps or {},
            continued=continued,
            alto=alto,
            typesetter=typesetter,
            on_rendered=rendered,
        )


def prepared_page(
    directory: Path,
    *,
    layout_in: Path | None = None,
    jumps: Mapping[str, int] | None = None,
    continued: Sequence[Continuation] = (),
) -> Page:
    """The page as the composer takes it: loaded, given its edition's jumps and its
    layout file's slots (`layout_in`, else its own makeup.yaml), normalised."""
    page = linked(load_page(directory), jumps or {}, continued)
    layout_in = layout_in or page.layout_file
    if layout_in is not None:
        page = load_layout(layout_in, page)
    return normalise_page(page)


def _build(
    directory: Path,
    clock: Callable[[], float],
    options: OutputOptions,
    *,
    output: Path | None,
    layout_in: Path | None,
    layout_out: Path | None,
    png: Path | None,
    dpi: int,
    jumps: Mapping[str, int],
    continued: Sequence[Continuation],
    alto: Path | None,
    typesetter: TypesetterFor,
    on_rendered: Callable[[bytes, Page, Layout], None] | None,
) -> Build:
    timings: dict[str, float] = {}
    started = clock()

    def lap(stage: str) -> None:
        nonlocal started
        now = clock()
        timings[stage] = now - started
        started = now

    page = prepared_page(directory, layout_in=layout_in, jumps=jumps, continued=continued)
    warnings: list[Problem] = unmade(page)
    lap("load")
    roles = fonts.load_roles()
    fonts.check_coverage(_coverage_items(page, roles))
    lap("fonts")
    try:
        layout = compose_page(page, roles, typesetter)
    except FitError as error:
        error.problems += [replace(w, severity="error") for w in warnings]
        if error.draft is None or (output is None and png is None):
            raise
        raise _drafted(error, page, roles, output=output, png=png, dpi=dpi) from None
    lap("compose")
    html = render_html(page, layout, roles)
    rendered = render_pdf(html, directory, page=page, target=options.target, ads=layout.ads)
    pdf = rendered.pdf
    warnings += rendered.warnings
    lap("render")
    if on_rendered is not None:
        on_rendered(pdf, page, layout)
    report = check_pdf(pdf, page, layout)
    lap("check")
    plant = None
    if options.preflighted:
        # numpy and the walker cost 0.2 s to import; most builds are not preflighted
        from .output.preflight import preflight  # noqa: PLC0415

        plant = preflight(
            pdf, options.target, ink_limit=options.ink_limit, ads=ad_names(layout.ads)
        )
        if plant.errors:
            raise PreflightError(_preflight_problems(plant.errors, directory))
        warnings += _preflight_problems(plant.warnings, directory)
        lap("preflight")
    files = {output: pdf} if output is not None else {}
    if png is not None:
        files[png] = png_bytes(pdf, dpi=dpi)
    if layout_out is not None:
        files[layout_out] = dump_layout(layout).encode()
    result = Build(
        page, layout, pdf, report, timings, plant, tuple(warnings), continuations(page, layout)
    )
    if alto is not None:
        files[alto] = alto_xml(result)
        lap("alto")
    write_all(files)
    lap("write")
    return result


def draft_proof(page: Page, layout: Layout, roles: dict[str, fonts.Role]) -> Draft:
    """Render a draft layout (`FitError.draft`): render/templates/draft.html.j2 draws it."""
    html = render_html(page, layout, roles)
    pdf = render_pdf(html, page.directory, page=page, draft=True, ads=layout.ads).pdf
    return Draft(layout, pdf)


def draft_of(directory: Path, layout: Layout) -> Draft:
    """The draft proof of the page in `directory`, whose build raised FitError with `layout`."""
    return draft_proof(normalise_page(load_page(directory)), layout, fonts.load_roles())


def drafts_written(error: LayoutError) -> list[Path]:
    """The draft proofs a failed build wrote, as its problems name them."""
    return [p.file for p in error.problems if p.field == DRAFT_FIELD and p.file is not None]


def _drafted(
    error: FitError,
    page: Page,
    roles: dict[str, fonts.Role],
    *,
    output: Path | None,
    png: Path | None,
    dpi: int,
) -> FitError:
    """`error` again, once the draft proof is written beside the outputs, naming it.

    The draft goes to `page.draft.pdf` (and `.draft.png`), never to the outputs
    themselves, which keep what an earlier good build wrote; nor is a layout file
    written.  A draft that cannot be drawn adds why to the error instead.
    """
    assert isinstance(error.draft, Layout)
    try:
        draft = draft_proof(page, error.draft, roles)
    except LayoutError as failed:
        notes = [
            Problem(f"no draft proof: {p.message}", p.file, hint=p.hint) for p in failed.problems
        ]
    else:
        files = {draft_path(output): draft.pdf} if output is not None else {}
        if png is not None:
            files[draft_path(png)] = png_bytes(draft.pdf, dpi=dpi)
        write_all(files)
        notes = [
            Problem(
                "the best arrangement found, its overset and holes drawn in magenta: "
                "a proof to work from, not for print",
                path,
                field=DRAFT_FIELD,
                severity="warning",
            )
            for path in files
        ]
    drafted = type(error)([*error.problems, *notes])
    drafted.draft = error.draft
    return drafted


def _preflight_problems(findings: list[Finding], directory: Path) -> list[Problem]:
    hint = "see README, Print production: fix the source, the photo or the style named"
    return [finding.problem(directory, hint) for finding in findings]
