"""One page of an edition or an archive as a unit of work: build it, or take it from the cache.

The edition's worker processes and the Dask batch mode both run `run_page`, so
a page is built, cached, proofed and reported the same way wherever it runs.
Jobs and outcomes are plain picklable data.  A content problem is an outcome
(status "failed", with every problem located), not an exception; anything
else that goes wrong is a bug and propagates, for the caller to report.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import LayoutError
from ..model.document import Block, Continuation, Span
from ..options import DEFAULT, OutputOptions
from ..output.preview import png_bytes
from ..output.write import write_atomically
from . import report as build_report
from .cache import Cache, loaded_key, page_key

if TYPE_CHECKING:
    from ..model.document import Page
    from ..pipeline import Build


ALTO_NAME = "page.alto.xml"  # beside the PDF in a cache entry


@dataclass(frozen=True)
class PageJob:
    directory: Path
    pdf: Path  # where the page's PDF goes
    proof: Path | None = None  # where its PNG proof goes, if wanted
    output: OutputOptions = DEFAULT
    cache: Path | None = None  # the cache's root; None builds every time
    dpi: int = 50  # of the proof
    # In an edition: the 版次 each jumping article (by slug) runs on, and the rests
    # other pages send here (下转/上接).
    jumps: Mapping[str, int] = field(default_factory=dict)
    continued: tuple[Continuation, ...] = ()
    alto: Path | None = None  # where its ALTO goes (--alto), if wanted


@dataclass(frozen=True)
class Bookmark:
    title: str
    top: float  # pt from the top of the page
    slug: str  # the article's file stem, which its rest on another page shares


@dataclass(frozen=True)
class Rest:
    """Where the rest of a jumped article (上接) begins on its page."""

    slug: str
    from_page: int  # 版次 of its first part
    top: float


@dataclass(frozen=True)
class PageMarks:
    """What the edition PDF's outline and page labels need of a page."""

    number: int  # 版次
    label: str  # 第5版 专版
    articles: tuple[Bookmark, ...]
    rests: tuple[Rest, ...] = ()  # outlined under their articles' first parts

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "label": self.label,
            "articles": [{"title": a.title, "top": a.top, "slug": a.slug} for a in self.articles],
            "rests": [{"slug": r.slug, "from": r.from_page, "top": r.top} for r in self.rests],
        }

    @classmethod
    def from_json(cls, data: dict) -> PageMarks:
        articles = tuple(Bookmark(a["title"], a["top"], a["slug"]) for a in data["articles"])
        rests = tuple(Rest(r["slug"], r["from"], r["top"]) for r in data["rests"])
        return cls(data["number"], data["label"], articles, rests)


@dataclass(frozen=True)
class PageOutcome:
    directory: Path
    status: Literal["built", "cached", "failed"]
    entry: dict  # the page's entry of the JSON report
    marks: PageMarks | None
    seconds: float
    error: str | None = None  # for a failed page, the message naming file, field and fix
    continuations: tuple[Continuation, ...] = ()  # the rests it sends to other pages


def marks_of(result: Build) -> PageMarks:
    page, grid = result.page, result.layout.grid
    label = f"第{page.number}版" + (f" {page.section}" if page.section else "")
    modules = sorted(result.layout.modules, key=lambda m: (m.box.row, m.box.column))
    articles = tuple(
        Bookmark(m.article.headline, round(grid.y(m.box.row), 2), m.article.file.stem)
        for m in modules
        if m.article.continued_from is None
    )
    rests = tuple(
        Rest(m.article.file.stem, m.article.continued_from, round(grid.y(m.box.row), 2))
        for m in modules
        if m.article.continued_from is not None
    )
    return PageMarks(page.number, label, articles, rests)


def rest_json(rest: Continuation, directory: Path) -> dict:
    """`rest` as JSON, its file relative to `directory`: a moved edition still finds it."""
    return {
        "file": rest.file.relative_to(directory).as_posix(),
        "slug": rest.slug,
        "headline": rest.headline,
        "from": rest.from_page,
        "to": rest.to_page,
        "blocks": [
            {
                "kind": b.kind,
                "line": b.line,
                "continued": b.continued,
                "spans": [[s.text, s.bold] for s in b.spans],
            }
            for b in rest.blocks
        ],
    }


def rest_from_json(data: dict, directory: Path) -> Continuation:
    """The rest `rest_json` wrote, its file found under `directory` again."""
    blocks = tuple(
        Block(b["kind"], tuple(Span(t, bold) for t, bold in b["spans"]), b["line"], b["continued"])
        for b in data["blocks"]
    )
    file = directory / data["file"]
    return Continuation(file, data["slug"], data["headline"], data["from"], data["to"], blocks)


def run_page(job: PageJob, clock: Callable[[], float] = time.perf_counter) -> PageOutcome:
    """The page from the cache if its key is there, else built (and then cached)."""
    key = cache_key(job)
    return from_cache(job, key, clock) or build_page(job, key, clock)


def cache_key(job: PageJob) -> str | None:
    """The page's cache key, taken before any build: it names the sources as they were read."""
    return page_key(job.directory, _key_options(job)) if job.cache is not None else None


def _key_options(job: PageJob) -> dict[str, object]:
    """The build options and what an edition brings the page: the 版次 its jumps run on and
    the rests it receives, by their text (where the sending page lies is not this page's)."""
    return {
        **job.output.cache_key(),
        "alto": job.alto is not None,
        "jumps": dict(job.jumps),
        "continued": [rest_json(rest, rest.file.parent) for rest in job.continued],
    }


def _unchanged(job: PageJob, key: str, page: Page) -> bool:
    """Whether the files the build read still give `key`.

    The build loads the page again; a source edited after the key was taken
    would otherwise store the new PDF under the old sources' key.  The rests
    it set are in the key by their text, not their files.
    """
    own = replace(page, articles=tuple(a for a in page.articles if a.continued_from is None))
    return loaded_key(own, _key_options(job)) == key


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
    if job.alto is not None:
        alto = hit.extra(ALTO_NAME)
        if alto is None:  # stored by an older build: a miss
            return None
        write_atomically(job.alto, alto)
    proof_name = f"proof-{job.dpi}.png"
    _write_proof(job, hit.pdf, hit.extra(proof_name), hit.place / proof_name)
    entry = {**hit.entry["report"], "status": "cached", "outputs": _outputs(job)}
    marks = PageMarks.from_json(hit.entry["marks"])
    rests = tuple(rest_from_json(rest, job.directory) for rest in hit.entry["continuations"])
    return PageOutcome(job.directory, "cached", entry, marks, clock() - started, None, rests)


def build_page(
    job: PageJob, key: str | None, clock: Callable[[], float] = time.perf_counter
) -> PageOutcome:
    """Typeset the page, write its outputs and store it under `key` (if the job has a cache)."""
    # Imported here: WeasyPrint takes a second to import, and a cached page needs none of it.
    from ..pipeline import build, drafts_written  # noqa: PLC0415

    started = clock()
    try:
        result = build(
            job.directory,
            job.pdf,
            options=job.output,
            clock=clock,
            jumps=job.jumps,
            continued=job.continued,
            alto=job.alto,
        )
    except LayoutError as error:
        entry = build_report.failed_entry(job.directory, error)
        if drafts := drafts_written(error):  # a page that does not fit: beside its PDF
            entry["draft"] = build_report.outputs_of(drafts)
        seconds = clock() - started
        return PageOutcome(job.directory, "failed", entry, None, seconds, str(error))
    marks = marks_of(result)
    report = build_report.built_entry(job.directory, result, [])
    rests = result.continuations
    place = None
    if job.cache is not None and key is not None and _unchanged(job, key, result.page):
        alto = job.alto.read_bytes() if job.alto is not None else None
        place = store(job, key, result.pdf, report=report, marks=marks, rests=rests, alto=alto)
    _write_proof(job, result.pdf, None, place / f"proof-{job.dpi}.png" if place else None)
    entry = {**report, "outputs": _outputs(job)}
    return PageOutcome(job.directory, "built", entry, marks, clock() - started, None, rests)


def store(
    job: PageJob,
    key: str,
    pdf: bytes,
    *,
    report: dict,
    marks: PageMarks,
    rests: tuple[Continuation, ...],
    alto: bytes | None = None,
) -> Path:
    """Keep a built page in the job's cache as `from_cache` reads it; wherever it was built.
    Its ALTO goes in first: the entry, written last, makes the page a hit."""
    assert job.cache is not None, "only a job with a cache stores its page"
    stored = {
        "report": report,
        "marks": marks.to_json(),
        "continuations": [rest_json(rest, job.directory) for rest in rests],
    }
    cache = Cache(job.cache)
    if alto is not None:
        write_atomically(cache.place(key) / ALTO_NAME, alto)
    return cache.put(key, pdf, stored)


def _write_proof(job: PageJob, pdf: bytes, stored: bytes | None, keep: Path | None) -> None:
    """Write the proof, made from the PDF unless one is stored; keep a new one in the cache."""
    if job.proof is None:
        return
    proof = stored if stored is not None else png_bytes(pdf, dpi=job.dpi)
    write_atomically(job.proof, proof)
    if stored is None and keep is not None:
        write_atomically(keep, proof)


def _outputs(job: PageJob) -> list[dict]:
    return build_report.outputs_of([p for p in (job.pdf, job.proof, job.alto) if p is not None])


def crashed(job: PageJob, error: BaseException) -> PageOutcome:
    """The outcome of a page whose build raised something other than a content problem."""
    entry = build_report.failed_entry(job.directory, error)
    message = f"internal error: {type(error).__name__}: {error}"
    return PageOutcome(job.directory, "failed", entry, None, 0.0, message)
