"""Build a whole archive of pages on a Dask cluster: `build_pdf.py batch ROOT -o OUT`.

Years of back issues outgrow the cores of one machine, so the pages go to a
Dask cluster (or, without one, a local cluster of worker processes).  Each
page is the same `PageJob` the edition build runs, through the same cache
under OUT, so a re-run builds only what changed.  Paths are made absolute
because a worker need not share the client's working directory; a remote
cluster's workers must see ROOT and OUT at the same paths and be able to
import `layout`.  A page whose task raises (a worker lost, a bug) is tried
once more before it is reported as crashed; content problems are outcomes
and are not retried.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from distributed import Client, Future, LocalCluster, as_completed

from ..model.copy import PAGE_FILE
from ..options import OutputOptions
from .cache import CACHE_DIR
from .page_job import PageJob, PageOutcome, crashed, run_page

if TYPE_CHECKING:
    from dask.typing import Key

ATTEMPTS = 2  # a crashed task is resubmitted once


def find_pages(root: Path, *, skip: Path | None = None) -> list[Path]:
    """Every page directory under `root`, itself included, but none hidden or under `skip`."""
    skipped = skip.resolve() if skip is not None else None
    pages = []
    for top, directories, files in os.walk(root):
        here = Path(top)
        if skipped is not None and here.resolve().is_relative_to(skipped):
            directories.clear()
            continue
        directories[:] = [name for name in directories if not name.startswith(".")]
        if PAGE_FILE in files:
            pages.append(here)
    return sorted(pages, key=lambda page: page.relative_to(root).parts)


def batch_jobs(
    root: Path, pages: list[Path], out: Path, *, output: OutputOptions, cache: bool
) -> list[PageJob]:
    """A job per page, its PDF at the page's path under `out`, so the output mirrors the archive."""
    jobs = []
    for page in pages:
        relative = page.relative_to(root)
        name = relative if relative.parts else Path(root.resolve().name)
        jobs.append(
            PageJob(
                page.absolute(),
                out.absolute() / name.parent / f"{name.name}.pdf",
                output=output,
                cache=out.absolute() / CACHE_DIR if cache else None,
            )
        )
    return jobs


@contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a quiet local one; closed on exit."""
    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # The scheduler serves health checks over HTTP even so, by default on port 8787;
            # a free port keeps a second cluster on the machine from warning that it is taken.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_batch(
    jobs: list[PageJob],
    client: Client,
    *,
    on_page: Callable[[PageOutcome], None] = lambda outcome: None,
    task: Callable[[PageJob], PageOutcome] = run_page,
) -> list[PageOutcome]:
    """Run every job on the cluster; the outcomes in the order of `jobs`, each with its attempts.

    `on_page` hears of each page as it ends.  `task` is what a worker runs
    for a job (`run_page`; tests pass one that crashes).
    """
    finished: dict[int, PageOutcome] = {}  # by index of the job
    submitted: dict[Key, tuple[int, int]] = {}  # task key: (index of its job, attempt)

    def submit(index: int, attempt: int) -> Future:
        future = client.submit(task, jobs[index], pure=False, key=_key(jobs[index], attempt))
        submitted[future.key] = (index, attempt)
        return future

    running = as_completed([submit(index, 1) for index in range(len(jobs))])
    for future in running:
        index, attempt = submitted.pop(future.key)
        try:
            outcome = future.result()
        except Exception as error:  # a crashed page is retried, then reported
            if attempt < ATTEMPTS:
                running.add(submit(index, attempt + 1))
                continue
            outcome = crashed(jobs[index], error)
        outcome = dataclasses.replace(outcome, entry={**outcome.entry, "attempts": attempt})
        finished[index] = outcome
        on_page(outcome)
    return [finished[index] for index in range(len(jobs))]


def _key(job: PageJob, attempt: int) -> str:
    """Readable in a cluster's logs; the same for a job, distinct for another page or output."""
    digest = hashlib.sha256(repr(job).encode()).hexdigest()[:12]
    return f"page-{job.directory.name}-{digest}-{attempt}"
