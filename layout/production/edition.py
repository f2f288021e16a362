"""Build an edition: every page in worker processes, then the edition PDF, proofs and report.

Pages are independent, so they build in parallel (one process per core by
default; each worker keeps its resolved fonts and HarfBuzz faces across the
pages it builds) and through the cache.  The edition PDF is written only if
every page built, and the previous one is removed when a build starts: after a
failed or interrupted build there is none, so a stale one is never taken for current.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..errors import SetupError
from ..model.document import Edition
from ..options import DEFAULT, OutputOptions
from ..output.preview import contact_sheet
from ..output.write import write_atomically
from ..typeset import fonts
from .cache import CACHE_DIR
from .combine import combine
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
    output: OutputOptions = DEFAULT


@dataclass(frozen=True)
class EditionResult:
    edition: Edition
    outcomes: tuple[PageOutcome, ...]  # in edition order
    pdf: Path | None  # the edition PDF, if every page built
    contact_sheet: Path | None

    @property
    def failed(self) -> list[PageOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def page_name(position: int, directory: Path) -> str:
    """A page's name in outputs and URLs: its position first, so listings read in order."""
    return f"{position:02d}-{directory.resolve().name}"


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
    misses = []
    for job in jobs:
        key = cache_key(job)
        outcome = from_cache(job, key)
        if outcome is None:
            misses.append((job, key))
        else:
            finished[job.directory] = outcome
            on_page(outcome)
    for outcome in _run(misses, options.jobs):
        finished[outcome.directory] = outcome
        on_page(outcome)
    outcomes = tuple(finished[job.directory] for job in jobs)
    pdf = sheet = None
    if all(o.status != "failed" for o in outcomes):
        pages = [(job.pdf.read_bytes(), _marks(o)) for job, o in zip(jobs, outcomes, strict=True)]
        pdf = out / EDITION_PDF
        write_atomically(pdf, combine(pages, edition))
    if options.proof:
        proofs = [
            (job.proof.read_bytes(), o.marks.label if o.marks else job.directory.name)
            for job, o in zip(jobs, outcomes, strict=True)
            if job.proof is not None and o.status != "failed"
        ]
        if proofs:
            sheet = out / PROOF_DIR / CONTACT_SHEET
            write_atomically(sheet, contact_sheet(proofs))
    return EditionResult(edition, outcomes, pdf, sheet)


def discard_edition_pdf(out: Path) -> None:
    """Remove the edition PDF of an earlier build: it stands only for the latest sources."""
    (out / EDITION_PDF).unlink(missing_ok=True)


def _marks(outcome: PageOutcome) -> PageMarks:
    assert outcome.marks is not None, "only a failed page has no marks"
    return outcome.marks


def _run(jobs: list[tuple[PageJob, str | None]], workers: int) -> Iterator[PageOutcome]:
    """Build each (job, cache key), in worker processes when there is more than one."""
    if workers <= 1 or len(jobs) <= 1:
        for job, key in jobs:
            yield _guarded(job, key)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_warm) as pool:
        futures: dict[Future[PageOutcome], PageJob] = {
            pool.submit(build_page, job, key): job for job, key in jobs
        }
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except SetupError:  # no page can build on this machine
                    raise
                except Exception as error:  # a crashed page is reported; the others go on
                    yield crashed(futures[future], error)
        except BaseException:  # Ctrl-C, or no fonts: the pages not begun are not begun
            pool.shutdown(cancel_futures=True)
            raise


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
