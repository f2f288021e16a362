"""One page of an edition or an archive as a unit of work: build it, or take it from the cache.

The edition's worker processes and the Dask batch mode both run `run_page`, so
a page is built, cached, proofed and reported the same way wherever it runs.
Jobs and outcomes are plain picklable data.  A content problem is an outcome
(status "failed", with every problem located), not an exception; anything
else that goes wrong is a bug and propagates, for the caller to report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import LayoutError
from ..options import DEFAULT, OutputOptions
from ..output.preview import png_bytes
from ..output.write import write_atomically
from . import report as build_report
from .cache import Cache, loaded_key, page_key

if TYPE_CHECKING:
    from ..model.document import Page
    from ..pipeline import Build


@dataclass(frozen=True)
class PageJob:
    directory: Path
    pdf: Path  # where the page's PDF goes
    proof: Path | None = None  # where its PNG proof goes, if wanted
    output: OutputOptions = DEFAULT
    cache: Path | None = None  # the cache's root; None builds every time
    dpi: int = 50  # of the proof


@dataclass(frozen=True)
class Bookmark:
    title: str
    top: float  # pt from the top of the page


@dataclass(frozen=True)
class PageMarks:
    """What the edition PDF's outline and page labels need of a page."""

    number: int  # 版次
    label: str  # 第5版 专版
    articles: tuple[Bookmark, ...]

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "label": self.label,
            "articles": [{"title": a.title, "top": a.top} for a in self.articles],
        }

    @classmethod
    def from_json(cls, data: dict) -> PageMarks:
        articles = tuple(Bookmark(a["title"], a["top"]) for a in data["articles"])
        return cls(data["number"], data["label"], articles)


@dataclass(frozen=True)
class PageOutcome:
    directory: Path
    status: Literal["built", "cached", "failed"]
    entry: dict  # the page's entry of the JSON report
    marks: PageMarks | None
    seconds: float
    error: str | None = None  # for a failed page, the message naming file, field and fix


def marks_of(result: Build) -> PageMarks:
    page, grid = result.page, result.layout.grid
    label = f"第{page.number}版" + (f" {page.section}" if page.section else "")
    articles = tuple(
        Bookmark(module.article.headline, round(grid.y(module.box.row), 2))
        for module in sorted(result.layout.modules, key=lambda m: (m.box.row, m.box.column))
    )
    return PageMarks(page.number, label, articles)


def run_page(job: PageJob, clock: Callable[[], float] = time.perf_counter) -> PageOutcome:
    """The page from the cache if its key is there, else built (and then cached)."""
    key = cache_key(job)
    return from_cache(job, key, clock) or build_page(job, key, clock)


def cache_key(job: PageJob) -> str | None:
    """The page's cache key, taken before any build: it names the sources as they were read."""
    return page_key(job.directory, job.output.cache_key()) if job.cache is not None else None


def _unchanged(job: PageJob, key: str, page: Page) -> bool:
    """Whether the files the build read still give `key`.

    The build loads the page again; a source edited after the key was taken
    would otherwise store the new PDF under the old sources' key.
    """
    return loaded_key(page, job.output.cache_key()) == key


def from_cache(
    job: PageJob, key: str | None, clock: Callable[[], float] = time.perf_counter
) -> PageOutcome | None:
    """The cached page written to the job's outputs, or None (no cache, or a miss).

    Cheap next to a build: the edition looks here first and sends only the
    misses to its workers.
    """
    if job.cache is None or key is None:
        return None
    started = clock()
    hit = Cache(job.cache).get(key)
    if hit is None:
        return None
    write_atomically(job.pdf, hit.pdf)
    proof_name = f"proof-{job.dpi}.png"
    _write_proof(job, hit.pdf, hit.extra(proof_name), hit.place / proof_name)
    entry = {**hit.entry["report"], "status": "cached", "outputs": _outputs(job)}
    marks = PageMarks.from_json(hit.entry["marks"])
    return PageOutcome(job.directory, "cached", entry, marks, clock() - started)


def build_page(
    job: PageJob, key: str | None, clock: Callable[[], float] = time.perf_counter
) -> PageOutcome:
    """Typeset the page, write its outputs and store it under `key` (if the job has a cache)."""
    # Imported here: WeasyPrint takes a second to import, and a cached page needs none of it.
    from ..pipeline import build, drafts_written  # noqa: PLC0415

    started = clock()
    try:
        result = build(job.directory, job.pdf, options=job.output, clock=clock)
    except LayoutError as error:
        entry = build_report.failed_entry(job.directory, error)
        if drafts := drafts_written(error):  # a page that does not fit: beside its PDF
            entry["draft"] = build_report.outputs_of(drafts)
        seconds = clock() - started
        return PageOutcome(job.directory, "failed", entry, None, seconds, str(error))
    marks = marks_of(result)
    report = build_report.built_entry(job.directory, result, [])
    place = None
    if job.cache is not None and key is not None and _unchanged(job, key, result.page):
        place = Cache(job.cache).put(key, result.pdf, {"report": report, "marks": marks.to_json()})
    _write_proof(job, result.pdf, None, place / f"proof-{job.dpi}.png" if place else None)
    entry = {**report, "outputs": _outputs(job)}
    return PageOutcome(job.directory, "built", entry, marks, clock() - started)


def _write_proof(job: PageJob, pdf: bytes, stored: bytes | None, keep: Path | None) -> None:
    """Write the proof, made from the PDF unless one is stored; keep a new one in the cache."""
    if job.proof is None:
        return
    proof = stored if stored is not None else png_bytes(pdf, dpi=job.dpi)
    write_atomically(job.proof, proof)
    if stored is None and keep is not None:
        write_atomically(keep, proof)


def _outputs(job: PageJob) -> list[dict]:
    return build_report.outputs_of([p for p in (job.pdf, job.proof) if p is not None])


def crashed(job: PageJob, error: BaseException) -> PageOutcome:
    """The outcome of a page whose build raised something other than a content problem."""
    entry = build_report.failed_entry(job.directory, error)
    message = f"internal error: {type(error).__name__}: {error}"
    return PageOutcome(job.directory, "failed", entry, None, 0.0, message)
