"""Benchmark: how much of the copy a news desk sends becomes a finished page.

    .venv/bin/python -m tests.benchmark_fit [--pages N] [--seed S] [--jobs J]
        [--plain] [--markdown] [--keep DIR]

Not a test: it generates pages of 3–7 articles (tests.pagegen.desk_page), cuts
their copy to a fill drawn uniformly from 60–110 % of the page's room
(tests.pagegen.page_fill: measured with the typesetter, never the composer),
formats alternating, and builds each as a user does (`pipeline.build`).  A
page that builds must also keep the hard rules, read from the build: no hole
over two lines, and every body line of every article printed in the PDF.

It prints, by format and fill band, the pages, the share that build, the
median and slowest build (wall clock, failures included), how many built pages
used each fitting lever, and the failures by kind (with how many wrote a draft
proof): overset, underfill, fit (another FitError), other (another
LayoutError), rule (built, but a hard rule broken), crash (not a LayoutError:
a bug).  Then the share of pages of 70–105 % fill that build, the slowest page,
and each failure.  `--plain` leaves out what only the levers
use (fillers, pull quotes, photo widths); `--keep DIR` keeps every page
directory and PDF.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from layout.errors import FitError, LayoutError, OversetError, UnderfillError
from layout.model.grid import Grid
from layout.pipeline import Build, build
from layout.typeset.fonts import load_roles
from layout.typeset.measure import Typesetter
from tests.conftest import SEED
from tests.pagegen import desk_page, fit_to_fill, write_desk_page
from tests.test_layout_properties import assert_meets_the_rules

FORMATS = ("tabloid", "broadsheet")
BANDS = ((60, 70), (70, 80), (80, 90), (90, 100), (100, 110))  # % fill, low included
TARGET = (70, 105)  # % fill: at least TARGET_SHARE of these pages must build
TARGET_SHARE = 0.9
HEADER = ("format", "fill %", "pages", "build", "median s", "max s", "levers (pages)", "failures")
MAX_HOLE_ROWS = 2  # the hard rule: no hole deeper than two lines


@dataclass(frozen=True)
class Job:
    """One page to generate: its place, format, drawn fill and seed."""

    index: int
    format: str
    target: float
    seed: int


@dataclass(frozen=True)
class Result:
    """What building one page gave."""

    name: str  # the page directory's name
    format: str
    fill: float  # % of the page's room, as cut (not the drawn target)
    seconds: float
    kind: str  # "built", or why not: overset, underfill, fit, other (LayoutError), rule, crash
    levers: tuple[str, ...] = ()
    draft: bool = False  # a draft proof was written beside the output
    message: str = ""  # the first problem, for a page that did not build

    @property
    def built(self) -> bool:
        return self.kind == "built"


@dataclass
class Worker:
    """One process's share: the fonts, a typesetter per grid, where pages go."""

    root: Path
    plain: bool
    roles: dict = field(default_factory=load_roles)
    typesetters: dict[Grid, Typesetter] = field(default_factory=dict)

    def typesetter(self, grid: Grid) -> Typesetter:
        if grid not in self.typesetters:
            self.typesetters[grid] = Typesetter(self.roles, grid)
        return self.typesetters[grid]

    def run(self, job: Job) -> Result:
        desk = desk_page(job.seed, job.format)
        with tempfile.TemporaryDirectory() as scratch:
            ts = self.typesetter(Grid.for_format(job.format))
            lengths, fill = fit_to_fill(desk, job.target, Path(scratch) / "page", ts)
        name = f"p{job.index:03d}-{job.format}-{round(fill * 100)}"
        directory = write_desk_page(self.root / name, desk, lengths, plain=self.plain)
        output = self.root / f"{name}.pdf"
        draft = output.with_suffix(".draft.pdf")
        draft.unlink(missing_ok=True)  # a kept directory's earlier run
        started = time.perf_counter()
        try:
            made = build(directory, output)
        except LayoutError as error:
            seconds = time.perf_counter() - started
            message = error.problems[0].message if error.problems else str(error)
            if not isinstance(error, FitError):
                message = f"{type(error).__name__}: {message}"
            kind = _kind(error)
            return Result(name, job.format, fill * 100, seconds, kind, (), draft.exists(), message)
        except Exception as error:  # a bug, not the page: it is counted, and the others go on
            seconds = time.perf_counter() - started
            message = f"{type(error).__name__}: {error}"
            return Result(name, job.format, fill * 100, seconds, "crash", (), False, message)
        seconds = time.perf_counter() - started
        faults = self.rule_faults(made)
        kind = "rule" if faults else "built"
        return Result(
            name,
            job.format,
            fill * 100,
            seconds,
            kind,
            made.layout.levers,
            message="; ".join(faults),
        )

    def rule_faults(self, made: Build) -> list[str]:
        """The hard rules the check stage does not raise on: holes, lines left out, and
        the make-up read from the PDF (clipping, overlap, photos, tombstones)."""
        layout = made.layout
        faults = [
            f"a hole of {hole.box.rows} lines after {hole.after}"
            for hole in layout.holes
            if hole.box.rows > MAX_HOLE_ROWS
        ]
        if layout.draft or layout.overset:
            faults.append("the layout built is a draft")
        try:  # the make-up rules read back from the PDF, as the property tests read them
            assert_meets_the_rules(made)
        except AssertionError as broken:
            where = broken.__traceback__
            while where is not None and where.tb_next is not None:
                where = where.tb_next
            line = where.tb_lineno if where is not None else 0
            said = (str(broken).splitlines() or [""])[0][:160]
            faults.append(f"read from the PDF: test_layout_properties.py:{line} {said}")
        ts = self.typesetter(layout.grid)
        for article in made.page.articles:
            figures = made.report.typography.get(article.file.name)
            printed = figures.lines if figures else 0
            lines = len(ts.body(article.blocks))
            if printed != lines:
                faults.append(f"{article.file.name}: {printed} of {lines} body lines printed")
        return faults


def _kind(error: LayoutError) -> str:
    if isinstance(error, OversetError):
        return "overset"
    if isinstance(error, UnderfillError):
        return "underfill"
    return "fit" if isinstance(error, FitError) else "other"


def run_share(jobs: list[Job], root: Path, plain: bool) -> list[Result]:
    """Build `jobs` in this process, after one uncounted warm-up build (imports, fonts)."""
    worker = Worker(root, plain)
    build(SEED)
    results = []
    for job in jobs:
        result = worker.run(job)
        results.append(result)
        print(
            f"{result.name}: {result.kind} in {result.seconds:.2f} s {result.message[:80]}",
            file=sys.stderr,
            flush=True,
        )
    return results


def jobs_for(pages: int, seed: int) -> list[Job]:
    """Fills drawn uniformly over 60–110 %, formats alternating, each page its own seed."""
    rng = random.Random(seed)
    return [
        Job(index, FORMATS[index % 2], rng.uniform(0.60, 1.10), rng.randrange(2**31))
        for index in range(pages)
    ]


def run(jobs: list[Job], root: Path, plain: bool, processes: int) -> list[Result]:
    if processes == 1:
        return run_share(jobs, root, plain)
    # formats alternate: deal pairs, so that each worker builds both formats
    pairs = [jobs[i : i + len(FORMATS)] for i in range(0, len(jobs), len(FORMATS))]
    dealt = [[job for pair in pairs[n::processes] for job in pair] for n in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        shares = [pool.submit(run_share, share, root, plain) for share in dealt]
        results = [result for share in shares for result in share.result()]
    return sorted(results, key=lambda r: r.name)


LABELS = (f"<{BANDS[0][0]}", *(f"{low}–{high}" for low, high in BANDS), f"≥{BANDS[-1][1]}")


def _band(fill: float) -> str:
    """The fill band's label; a page cut short of or past the bands gets one of its own."""
    for (low, high), label in zip(BANDS, LABELS[1:], strict=False):
        if low <= fill < high:
            return label
    return LABELS[0] if fill < BANDS[0][0] else LABELS[-1]


def _counts(items: list[str]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(Counter(items).items())) or "–"


def table(results: list[Result]) -> list[list[str]]:
    """One row per format and fill band, and one per format for all bands."""
    rows = [[*HEADER]]
    for fmt in FORMATS:
        mine = [r for r in results if r.format == fmt]
        groups = [(band, [r for r in mine if _band(r.fill) == band]) for band in LABELS]
        for band, group in [*groups, ("all", mine)]:
            if group:
                rows.append(_row(fmt, band, group))
    return rows


def _row(fmt: str, band: str, group: list[Result]) -> list[str]:
    built = [r for r in group if r.built]
    failed = [r for r in group if not r.built]
    seconds = [r.seconds for r in group]
    failures = _counts([r.kind for r in failed])
    if failed:
        failures += f" (drafts {sum(r.draft for r in failed)})"
    return [
        fmt,
        band,
        str(len(group)),
        f"{len(built) / len(group):.0%}",
        f"{statistics.median(seconds):.2f}",
        f"{max(seconds):.2f}",
        _counts([lever for r in built for lever in set(r.levers)]),
        failures,
    ]


def summary(results: list[Result]) -> str:
    low, high = TARGET
    aimed = [r for r in results if low <= r.fill < high]
    share = sum(r.built for r in aimed) / len(aimed) if aimed else 0.0
    slowest = max(results, key=lambda r: r.seconds)
    verdict = "met" if share >= TARGET_SHARE else "not met"
    return (
        f"fill {low}–{high} %: {sum(r.built for r in aimed)} of {len(aimed)} pages build "
        f"({share:.0%}; target ≥ {TARGET_SHARE:.0%}: {verdict}); slowest page {slowest.name} "
        f"{slowest.seconds:.2f} s ({slowest.kind})"
    )


def show(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + "|".join(" --- " for _ in rows[0]) + "|")
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument(
        "--plain", action="store_true", help="no fillers, pull quotes, photo widths"
    )
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--keep", type=Path, help="keep the page directories and PDFs here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    jobs = jobs_for(args.pages, args.seed)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        results = run(jobs, args.keep.resolve(), args.plain, args.jobs)
    else:
        with tempfile.TemporaryDirectory() as root:
            results = run(jobs, Path(root), args.plain, args.jobs)
    print(show(table(results), args.markdown))
    print()
    print(summary(results))
    for result in results:
        if not result.built:
            draft = ", draft written" if result.draft else ""
            first = (result.message.splitlines() or [""])[0]
            print(f"  {result.name}: {result.kind}{draft}: {first}")
    elapsed = time.perf_counter() - started
    pages = "plain pages" if args.plain else "pages with fillers, pull quotes and photo widths"
    print(f"{len(results)} {pages}, seed {args.seed}, {args.jobs} jobs, {elapsed:.0f} s in all")


if __name__ == "__main__":
    main()
