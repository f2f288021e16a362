"""Build a whole archive of pages on a Dask cluster: `build_pdf.py batch ROOT -o OUT`.

Years of back issues outgrow the cores of one machine, so the pages go to a
Dask cluster (or, without one, a local cluster of worker processes).  The
workers share no disk with the client and need not see ROOT or OUT: the
client takes each page it can from the cache under OUT, and sends the rest
to the workers as `Parcel`s (the job and the bytes of every file its build
reads); a worker builds the page in a folder of its own and sends back a
`Delivery` (the outcome, naming the client's files, and the files it wrote),
which the client writes and caches.  Only a few parcels are in flight at a
time, so an archive of photos need not fit in the client's memory.  A folder
holding edition.yaml gets, once its pages are built, its edition PDF and (with
ALTO) its METS, written by the client (`write_issues`).

A worker needs the installed project and its fonts, and the scheduler the
project (it unpickles the tasks); `check_cluster` makes sure of both before
the first page, so a cluster that lacks them is one `ClusterError` with its
fix, not a failure on every page.  A page whose task raises (a worker lost,
a bug) is tried once more before it is reported as crashed; content problems
are outcomes and are not retried.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distributed import Client, LocalCluster, as_completed

from ..errors import LayoutError, Problem, SetupError
from ..model.copy import PAGE_FILE, page_files
from ..model.document import Link
from ..options import OutputOptions
from ..output.alto import alto_path
from ..output.write import write_atomically
from ..sources.page import load_page
from ..typeset import fonts
from . import report as build_report
from .cache import CACHE_DIR, code_version, fonts_version
from .edition import blocked, linked, senders
from .page_job import PageJob, PageOutcome, build_page, cache_key, crashed, from_cache, store

if TYPE_CHECKING:
    from dask.typing import Key

ATTEMPTS = 2  # a crashed task is resubmitted once
IN_FLIGHT = 2  # parcels sent per worker thread: enough to keep it busy, few enough to hold
WORKER_WAIT = 60.0  # s to wait for a scheduler's first worker


class ClusterError(SetupError):
    """The cluster cannot build pages: said once, on one line, with the fix."""

    def __str__(self) -> str:
        return "; ".join(f"{p.message}: {p.hint}" if p.hint else p.message for p in self.problems)


@dataclasses.dataclass(frozen=True)
class Parcel:
    """A page as a worker receives it: its job and every file its build reads."""

    job: PageJob  # its paths are the client's: names for the report, never opened
    files: Mapping[str, bytes]  # by POSIX path inside the page directory


@dataclasses.dataclass(frozen=True)
class Delivery:
    """What a worker sends back: the outcome, naming the client's files, and what it wrote."""

    outcome: PageOutcome
    files: Mapping[str, bytes]  # by name in the folder of the job's PDF: the PDF, or a draft


def find_pages(root: Path, *, skip: Path | None = None) -> list[Path]:
    """Every page directory under `root`, itself included, but none hidden or under `skip`."""
    return find(root, PAGE_FILE, skip)


def find(root: Path, marker: str, skip: Path | None) -> list[Path]:
    """Every directory holding a file named `marker` under `root`, as `find_pages`."""
    skipped = skip.resolve() if skip is not None else None
    found = []
    for top, directories, files in os.walk(root):
        here = Path(top)
        if skipped is not None and here.resolve().is_relative_to(skipped):
            directories.clear()
            continue
        directories[:] = [name for name in directories if not name.startswith(".")]
        if marker in files:
            found.append(here)
    return sorted(found, key=lambda directory: directory.relative_to(root).parts)


def batch_jobs(
    root: Path,
    pages: list[Path],
    out: Path,
    *,
    output: OutputOptions,
    cache: bool,
    alto: bool = False,
) -> list[PageJob]:
    """A job per page, its PDF at the page's path under `out`, so the output mirrors the
    archive; with `alto`, its ALTO beside it."""
    jobs = []
    for page in pages:
        relative = page.relative_to(root)
        name = relative if relative.parts else Path(root.resolve().name)
        pdf = out.absolute() / name.parent / f"{name.name}.pdf"
        jobs.append(
            PageJob(
                page.absolute(),
                pdf,
                output=output,
                cache=out.absolute() / CACHE_DIR if cache else None,
                alto=alto_path(pdf) if alto else None,
            )
        )
    return jobs


@contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A checked client of the cluster at `scheduler`, or of a quiet local one; closed on exit."""
    if scheduler is not None:
        try:
            remote = Client(scheduler)
        except OSError as error:
            message = f"cannot reach the Dask scheduler at {scheduler} ({error})"
            hint = "start it with .venv/bin/dask scheduler, or give the address it prints"
            raise ClusterError(Problem(message, hint=hint)) from None
        with remote as client:
            check_cluster(client)
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
        check_cluster(client)
        yield client


def worker_versions() -> tuple[str, str]:
    """Run on each worker: the code and the fonts it builds with.

    Unpickling this function imports the project where it runs; a worker that
    cannot build pages at all (no fonts, no fast subsetter) raises SetupError.
    """
    fonts.require_fast_subsetting()
    return code_version(), fonts_version()


def check_cluster(client: Client) -> None:
    """Raise ClusterError unless the scheduler imports the project and a worker is there
    (or joins within a minute), every one building with this checkout's code and this
    machine's fonts."""
    address = client.scheduler.address
    try:
        client.run_on_scheduler(code_version)
    except ImportError as error:
        message = f"the Dask scheduler at {address} cannot import the project ({error})"
        hint = "run ./setup.sh in its environment, or start it with .venv/bin/dask scheduler"
        raise ClusterError(Problem(message, hint=hint)) from None
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except TimeoutError:
        message = f"no Dask worker has joined the scheduler at {address} in {WORKER_WAIT:g} s"
        hint = f"start one with .venv/bin/dask worker {address}"
        raise ClusterError(Problem(message, hint=hint)) from None
    replies = client.run(worker_versions, on_error="return")
    wanted = (code_version(), fonts_version())
    unfit = [p for _, reply in sorted(replies.items()) if (p := _unfit(reply, wanted, address))]
    if unfit:
        alike = unfit.count(unfit[0])
        where = f"{alike} of {len(replies)} Dask workers of the scheduler at {address}"
        raise ClusterError(dataclasses.replace(unfit[0], message=f"{where} {unfit[0].message}"))


def _unfit(
    reply: tuple[str, str] | BaseException, wanted: tuple[str, str], address: str
) -> Problem | None:
    """Why workers that answered `worker_versions` with `reply` cannot build the batch, or None."""
    if isinstance(reply, SetupError):
        first = reply.problems[0]
        hint = f"{first.hint}, on their machines" if first.hint else None
        return Problem(f"cannot build pages: {first.message}", hint=hint)
    if isinstance(reply, BaseException):  # it could not unpickle the function
        hint = "run ./setup.sh in their environment, or start them with"
        hint += f" .venv/bin/dask worker {address}"
        return Problem(f"cannot import the project ({reply})", hint=hint)
    if reply != wanted:
        what = "code than this checkout" if reply[0] != wanted[0] else "fonts than this machine"
        return Problem(
            f"build with other {what}", hint="install this checkout there and run ./setup.sh"
        )
    return None


def pack(job: PageJob) -> Parcel:
    """The job and the files its build reads, and no other file of the page directory.

    Raises LayoutError for a page that does not load, OSError for a file that cannot be read.
    """
    page = load_page(job.directory)
    files = {
        path.relative_to(page.directory).as_posix(): path.read_bytes()
        for path in sorted(page_files(page))
    }
    return Parcel(job, files)


def build_parcel(parcel: Parcel) -> Delivery:
    """Run on a worker: the page built from its parcel in a temporary folder of the worker's.

    The page directory keeps its name; nothing at the client's paths is read or written.
    """
    job = parcel.job
    with tempfile.TemporaryDirectory(prefix="newspage-") as temporary:
        directory = Path(temporary, "page", job.directory.name)
        out = Path(temporary, "out")
        out.mkdir()  # a page that fails writes nothing, or only its draft proof
        for name, data in parcel.files.items():
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_bytes(data)
        here = dataclasses.replace(
            job,
            directory=directory,
            pdf=out / job.pdf.name,
            alto=out / job.alto.name if job.alto is not None else None,
            cache=None,
        )
        outcome = build_page(here, None)
        written = {path.name: path.read_bytes() for path in sorted(out.iterdir())}
    return Delivery(_relocated(outcome, here, job), written)


def _relocated(outcome: PageOutcome, worker: PageJob, client: PageJob) -> PageOutcome:
    """`outcome` naming the client's page directory and outputs where it named the worker's."""
    moves = [
        (str(worker.directory), str(client.directory)),
        (str(worker.pdf.parent), str(client.pdf.parent)),
    ]

    def moved(value: Any) -> Any:
        if isinstance(value, str):
            for old, new in moves:
                value = value.replace(old, new)
        elif isinstance(value, dict):
            value = {key: moved(item) for key, item in value.items()}
        elif isinstance(value, list):
            value = [moved(item) for item in value]
        return value

    rests = tuple(
        dataclasses.replace(rest, file=client.directory / rest.file.relative_to(worker.directory))
        for rest in outcome.continuations
    )
    return dataclasses.replace(
        outcome,
        directory=client.directory,
        entry=moved(outcome.entry),
        error=moved(outcome.error),
        continuations=rests,
    )


def _delivered(job: PageJob, key: str | None, delivery: Delivery) -> PageOutcome:
    """Write what the worker built beside the job's PDF, and cache a page that built."""
    for name, data in delivery.files.items():
        write_atomically(job.pdf.parent / name, data)
    outcome = delivery.outcome
    if outcome.status == "built" and outcome.marks is not None and key is not None and job.cache:
        report = {name: value for name, value in outcome.entry.items() if name != "outputs"}
        pdf = delivery.files[job.pdf.name]
        alto = delivery.files.get(job.alto.name) if job.alto is not None else None
        rests = outcome.continuations
        store(job, key, pdf, report=report, marks=outcome.marks, rests=rests, alto=alto)
    return outcome


def run_batch(
    jobs: list[PageJob],
    client: Client,
    *,
    links: tuple[Link, ...] = (),
    on_page: Callable[[PageOutcome], None] = lambda outcome: None,
    task: Callable[[Parcel], Delivery] = build_parcel,
) -> list[PageOutcome]:
    """Run every job, from the cache or on the cluster; the outcomes in the order of `jobs`,
    each with its attempts.

    `links` are the jumps of the editions among the pages (naming the jobs'
    directories): a page a rest runs on is sent once the page sending it has
    ended, with the rest, as in an edition build.  `on_page` hears of each page
    as it ends.  `task` is what a worker runs for a parcel (`build_parcel`;
    tests pass one that crashes).
    """
    jobs = list(jobs)  # each given its jumps and rests when it is sent
    finished: dict[int, PageOutcome] = {}  # by index of the job
    done: dict[Path, PageOutcome] = {}  # by page directory, for the pages waiting on it
    sent: dict[Key, tuple[int, int, str | None]] = {}  # task key: job's index, attempt, cache key
    running = as_completed()
    limit = IN_FLIGHT * max(1, sum(client.nthreads().values()))
    order = _Order(jobs, links)

    def end(index: int, outcome: PageOutcome, attempt: int) -> None:
        finished[index] = dataclasses.replace(outcome, entry={**outcome.entry, "attempts": attempt})
        done[jobs[index].directory] = finished[index]
        order.ended(jobs[index].directory)
        on_page(finished[index])

    def send(index: int, attempt: int) -> None:
        if attempt == 1:
            jobs[index] = linked(jobs[index], links, done)
            if (stopped := blocked(jobs[index], links, done)) is not None:
                end(index, stopped, attempt)
                return
        job = jobs[index]
        key = cache_key(job)
        if attempt == 1 and (hit := from_cache(job, key)) is not None:
            end(index, hit, attempt)
            return
        parcel = _packed(job)
        if isinstance(parcel, PageOutcome):
            end(index, parcel, attempt)
            return
        if cache_key(job) != key:  # a source changed while it was read: build it, cache nothing
            key = None
        [shipped] = client.scatter([parcel], hash=False)  # to a worker, not through the graph
        future = client.submit(task, shipped, pure=False, key=_key(job, attempt))
        sent[future.key] = (index, attempt, key)
        running.add(future)

    def fill() -> None:
        while running.count() < limit and order.ready:
            send(order.ready.popleft(), 1)  # a page from the cache may make others ready

    fill()
    for future in running:
        index, attempt, key = sent.pop(future.key)
        try:
            delivery = future.result()
        except Exception as error:  # a crashed page is retried, then reported
            if attempt < ATTEMPTS:
                send(index, attempt + 1)
                continue
            end(index, crashed(jobs[index], error), attempt)
        else:
            end(index, _delivered(jobs[index], key, delivery), attempt)
        fill()
    assert len(finished) == len(jobs), "jumps never loop (sources/jumps.py)"
    return [finished[index] for index in range(len(jobs))]


def _packed(job: PageJob) -> Parcel | PageOutcome:
    """The job's parcel, or the outcome of a page that does not load or cannot be read."""
    try:
        return pack(job)
    except LayoutError as error:  # no worker could build it
        entry = build_report.failed_entry(job.directory, error)
        return PageOutcome(job.directory, "failed", entry, None, 0.0, str(error))
    except OSError as error:
        return crashed(job, error)


class _Order:
    """The jobs ready to send, in order: a page once every page sending it a rest has ended."""

    def __init__(self, jobs: list[PageJob], links: tuple[Link, ...]) -> None:
        self.waits = {index: senders(job, links) for index, job in enumerate(jobs)}
        self.receivers: dict[Path, list[int]] = {}
        for index, waited in self.waits.items():
            for sender in waited:
                self.receivers.setdefault(sender, []).append(index)
        self.ready = deque(index for index, waited in self.waits.items() if not waited)

    def ended(self, directory: Path) -> None:
        for receiver in self.receivers.get(directory, ()):
            self.waits[receiver].discard(directory)
            if not self.waits[receiver]:
                self.ready.append(receiver)


def _key(job: PageJob, attempt: int) -> str:
    """Readable in a cluster's logs; the same for a job, distinct for another page or output."""
    digest = hashlib.sha256(repr(job).encode()).hexdigest()[:12]
    return f"page-{job.directory.name}-{digest}-{attempt}"
