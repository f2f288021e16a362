"""Build an edition: every page in worker processes, then the edition PDF, proofs and report.

Pages build in parallel (one process per core by default; each worker keeps
its resolved fonts and HarfBuzz faces across the pages it builds) and through
the cache.  A jump (下转/上接) ties two pages: the page a rest runs on is set
only once the page sending it has ended, for the cut falls where the sending
page's composition puts it; so a page starts when every page jumping into it
has ended (pages without jumps all start at once).  The edition PDF (and, with
ALTO, the edition's METS) is written only if every page built, and the previous
one is removed when a build starts: after a failed or interrupted build there is
none, so a stale one is never taken for current.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

from ..errors import LayoutError, Problem, SetupError, shown
from ..model.document import Edition, Link
from ..options import DEFAULT, PDFA, OutputOptions
from ..output.alto import alto_path
from ..output.mets import METS_NAME, MetsPage, edition_mets, page_sources
from ..output.preview import contact_sheet
from ..output.write import write_atomically
from ..typeset import fonts
from . import report as build_report
from .cache import CACHE_DIR, Cache, code_version
from .combine import EditionPage, combine
from .page_job import (
    PageJob,
    PageMarks,
    PageOutcome,
    build_page,
    cache_key,
    crashed,
    from_cache,
)

PROOF_DIR = "proof"
EDITION_PDF = "edition.pdf"
CONTACT_SHEET = "contact-sheet.png"


@dataclass(frozen=True)
class EditionOptions:
    jobs: int = os.cpu_count() or 1
    cache: bool = True
    proof: bool = False
    alto: bool = False  # each page's ALTO beside its PDF, and the edition's METS
    output: OutputOptions = DEFAULT


@dataclass(frozen=True)
class EditionResult:
    edition: Edition
    outcomes: tuple[PageOutcome, ...]  # in edition order
    pdf: Path | None  # the edition PDF, if every page built
    mets: Path | None  # the edition's METS, if every page built with its ALTO
    contact_sheet: Path | None

    @property
    def failed(self) -> list[PageOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def page_name(position: int, directory: Path) -> str:
    """A page's name in outputs and URLs: its position first, so listings read in order."""
    return f"{position:02d}-{directory.resolve().name}"


def source_name(edition: Edition, position: int, directory: Path) -> str:
    """A page's directory as edition.yaml names it, or, outside the edition's directory,
    its output name: where its sources go in the edition's archive."""
    root = edition.file.parent.resolve()
    place = directory.resolve()
    return (
        place.relative_to(root).as_posix()
        if place.is_relative_to(root)
        else page_name(position, directory)
    )


def page_jobs(edition: Edition, out: Path, options: EditionOptions) -> list[PageJob]:
    """A job per page, its outputs named by position so a listing reads in edition order."""
    jobs = []
    for position, directory in enumerate(edition.pages, start=1):
        name = page_name(position, directory)
        jobs.append(
            PageJob(
                directory,
                out / f"{name}.pdf",
                out / PROOF_DIR / f"{name}.png" if options.proof else None,
                output=options.output,
                cache=out / CACHE_DIR if options.cache else None,
                alto=alto_path(out / f"{name}.pdf") if options.alto else None,
            )
        )
    return jobs


def build_edition(
    edition: Edition,
    out: Path,
    options: EditionOptions,
    *,
    on_page: Callable[[PageOutcome], None] = lambda outcome: None,
) -> EditionResult:
    """Build every page of `edition` into `out`; `on_page` hears of each page as it ends."""
    discard_edition_pdf(out)
    jobs = page_jobs(edition, out, options)
    finished: dict[Path, PageOutcome] = {}
    for outcome in _outcomes(edition, jobs, options.jobs):
        finished[outcome.directory] = outcome
        on_page(outcome)
    outcomes = tuple(finished[job.directory] for job in jobs)
    pdf, mets = issue_files(edition, jobs, outcomes, out, options.output)
    sheet = None
    if options.proof:
        proofs = [
            (job.proof.read_bytes(), o.marks.label if o.marks else job.directory.name)
            for job, o in zip(jobs, outcomes, strict=True)
            if job.proof is not None and o.status != "failed"
        ]
        if proofs:
            sheet = out / PROOF_DIR / CONTACT_SHEET
            write_atomically(sheet, contact_sheet(proofs))
    return EditionResult(edition, outcomes, pdf, mets, sheet)


def issue_files(
    edition: Edition,
    jobs: list[PageJob],
    outcomes: Sequence[PageOutcome],
    out: Path,
    output: OutputOptions,
) -> tuple[Path | None, Path | None]:
    """The edition PDF in `out` and, if the pages were built with their ALTO, the METS: both
    written if every page built, neither if one failed (`jobs` and `outcomes` in edition order,
    as the edition build or a batch made them)."""
    if any(o.status == "failed" for o in outcomes):
        return None, None
    pages = [
        EditionPage(job.pdf.read_bytes(), _marks(o), source_name(edition, position, job.directory))
        for position, (job, o) in enumerate(zip(jobs, outcomes, strict=True), start=1)
    ]
    pdf = out / EDITION_PDF
    archival = output.target == PDFA
    cache = jobs[0].cache if jobs else None
    write_atomically(pdf, _combined(pages, edition, archival, Cache(cache) if cache else None))
    if any(job.alto is None for job in jobs):
        return pdf, None
    mets = out / METS_NAME
    listed = _mets_pages(jobs, outcomes)
    write_atomically(mets, edition_mets(edition, listed, mets, edition_pdf=pdf))
    return pdf, mets


def _combined(
    pages: list[EditionPage], edition: Edition, archival: bool, cache: Cache | None
) -> bytes:
    """The edition PDF, from the cache when the same pages were combined before: sharing the
    fonts' subsets is most of a warm edition build's time."""
    digest = hashlib.sha256(f"{code_version()} {archival} {edition.heading}".encode())
    digest.update(edition.file.read_bytes())  # a PDF/A edition embeds edition.yaml
    for page in pages:
        marks = json.dumps(page.marks.to_json(), ensure_ascii=False, sort_keys=True)
        digest.update(f"{page.name}\0{marks}\0".encode() + hashlib.sha256(page.pdf).digest())
    key = f"edition-{digest.hexdigest()}"
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit.pdf
    pdf = combine(pages, edition, archival=archival)
    if cache is not None:
        cache.put(key, pdf, {})
    return pdf


def discard_edition_pdf(out: Path) -> None:
    """Remove the edition PDF and METS of an earlier build: they stand only for the latest
    sources."""
    (out / EDITION_PDF).unlink(missing_ok=True)
    (out / METS_NAME).unlink(missing_ok=True)


def _mets_pages(jobs: list[PageJob], outcomes: Sequence[PageOutcome]) -> list[MetsPage]:
    """The built pages as the METS lists them: label, PDF, ALTO, the sources they came from."""
    return [
        MetsPage(_marks(o).label, job.pdf, _alto(job), page_sources(job.directory))
        for job, o in zip(jobs, outcomes, strict=True)
    ]


def _alto(job: PageJob) -> Path:
    assert job.alto is not None, "the METS is written only for a build with ALTO"
    return job.alto


def _marks(outcome: PageOutcome) -> PageMarks:
    assert outcome.marks is not None, "only a failed page has no marks"
    return outcome.marks


def _outcomes(edition: Edition, jobs: list[PageJob], workers: int) -> Iterator[PageOutcome]:
    """Each page's outcome as it ends: a page is taken up once every page jumping into it has
    ended (with the rests they sent), then from the cache or built."""
    links = edition.links
    done: dict[Path, PageOutcome] = {}
    waiting = list(jobs)
    with _Workers(workers) as pool:
        while waiting or pool.busy:
            ready = [job for job in waiting if senders(job, links) <= done.keys()]
            if not ready:
                assert pool.busy, "jumps never loop (sources/jumps.py)"
                for outcome in pool.ended():
                    done[outcome.directory] = outcome
                    yield outcome
                continue
            waiting = [job for job in waiting if job not in ready]
            misses: list[tuple[PageJob, str | None]] = []
            for job in [linked(job, links, done) for job in ready]:
                stopped = blocked(job, links, done)
                key = None if stopped else cache_key(job)
                settled = stopped or from_cache(job, key)
                if settled is None:
                    misses.append((job, key))
                else:
                    done[job.directory] = settled
                    yield settled
            for job, key in misses:
                pool.submit(job, key, len(misses) + len(waiting))


def senders(job: PageJob, links: tuple[Link, ...]) -> set[Path]:
    """The pages that send `job` a rest: it is set once they have ended."""
    return {link.sender for link in links if link.receiver == job.directory}


def linked(job: PageJob, links: tuple[Link, ...], done: dict[Path, PageOutcome]) -> PageJob:
    """The job with what the edition brings it: the 版次 its jumps run on, the rests sent to it."""
    jumps = {link.slug: link.to for link in links if link.sender == job.directory}
    continued = tuple(
        rest
        for link in links
        if link.receiver == job.directory
        for rest in done[link.sender].continuations
        if rest.slug == link.slug
    )
    return replace(job, jumps=jumps, continued=continued)


def blocked(
    job: PageJob, links: tuple[Link, ...], done: dict[Path, PageOutcome]
) -> PageOutcome | None:
    """A page that cannot be set because a page sending it a rest failed; else None."""
    problems = [
        Problem(
            f"the rest of this article runs on {shown(job.directory.name)}, which is not set: "
            f"its first page, {shown(link.sender)}, did not build",
            link.article,
            link.line,
            "continues",
            f"fix {shown(link.sender.name)} first: its problems are listed with it",
        )
        for link in links
        if link.receiver == job.directory and done[link.sender].status == "failed"
    ]
    return _failed(job, LayoutError(problems)) if problems else None


def _failed(job: PageJob, error: LayoutError) -> PageOutcome:
    entry = build_report.failed_entry(job.directory, error)
    return PageOutcome(job.directory, "failed", entry, None, 0.0, str(error))


class _Workers:
    """Page builds: in worker processes, started at the first build that needs them, or here
    when only one page may need building (a pool costs more than it saves)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[Future[PageOutcome], PageJob] = {}
        self.here: list[tuple[PageJob, str | None]] = []

    @property
    def busy(self) -> bool:
        return bool(self.futures or self.here)

    def submit(self, job: PageJob, key: str | None, pages: int) -> None:
        """Build `job` (under cache `key`); `pages`: how many may still need building."""
        if self.pool is None and (self.workers <= 1 or pages <= 1):
            self.here.append((job, key))
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(min(self.workers, pages), initializer=_warm)
        self.futures[self.pool.submit(build_page, job, key)] = job

    def ended(self) -> list[PageOutcome]:
        """The outcomes of the next builds to end (at least one)."""
        if self.here:
            return [_guarded(*self.here.pop(0))]
        ended, _ = wait(self.futures, return_when=FIRST_COMPLETED)
        outcomes = []
        for future in ended:
            job = self.futures.pop(future)
            try:
                outcomes.append(future.result())
            except SetupError:  # no page can build on this machine
                raise
            except Exception as error:  # a crashed page is reported; the others go on
                outcomes.append(crashed(job, error))
        return outcomes

    def __enter__(self) -> _Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """On Ctrl-C, no fonts or a bug here, the pages not begun are not begun."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=kind is not None)


def _warm() -> None:
    """Resolve the fonts once per worker, before its first page.

    Ctrl-C reaches the whole process group: the workers leave it to the parent,
    which stops the edition, instead of each printing a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fonts.load_roles()


def _guarded(job: PageJob, key: str | None) -> PageOutcome:
    try:
        return build_page(job, key)
    except SetupError:
        raise
    except Exception as error:  # as in the pool
        return crashed(job, error)
