"""Benchmark: a 16-page edition of seed-like pages, cold and warm, serial and parallel.

    .venv/bin/python -m tests.benchmark_edition [--pages 16]

Not a test.  Each phase runs the command line in a fresh process (so Python's
start and imports count, as they do in CI) and prints wall seconds, pages per
second and the peak resident memory of the processes that built pages:

- cold serial / cold parallel: an empty output directory and cache, -j 1 / -j 2;
- warm serial / warm parallel: the same again, every page from the cache;
- one page changed: one article edited, then a parallel rebuild;
- cold parallel PDF/A: `--pdfa`, the edition PDF a PDF/A-3b of its own;
each the median of `--runs` runs (default 3), cold ones from an empty directory.
Plain WeasyPrint writing the seed's final HTML, times the page count, is the baseline.
Then the edition PDF's size against the sum of its page PDFs (the pages share
their font subsets: output/subsets.py), and how long making it takes.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "baotou-daily-2024-03-26-p5"
EDITION_PDF = "edition.pdf"

PAGE_YAML_NUMBER = "page: 5"


def make_edition(root: Path, pages: int) -> Path:
    """`pages` copies of the seed page, numbered 2…N+1 (page 1 would need a masthead)."""
    names = []
    for number in range(2, pages + 2):
        name = f"p{number:02d}"
        shutil.copytree(SEED, root / name)
        page_yaml = root / name / "page.yaml"
        text = page_yaml.read_text(encoding="utf-8")
        page_yaml.write_text(text.replace(PAGE_YAML_NUMBER, f"page: {number}"), encoding="utf-8")
        names.append(name)
    (root / "edition.yaml").write_text(
        f"paper: 包头日报\ndate: 2024-03-26\npages: [{', '.join(names)}]\n", encoding="utf-8"
    )
    return root


def run_phase(edition: Path, out: Path, jobs: int, *flags: str) -> dict:
    """One command-line build in a fresh process: wall seconds, statuses, peak memory,
    the bytes of the edition PDF and of its page PDFs."""
    report = out.parent / f"{out.name}-report.json"
    command = [sys.executable, "-m", "tests.benchmark_edition", "--child"]
    command += [str(edition), "-o", str(out), "-j", str(jobs), "-q", "--report", str(report)]
    command += flags
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    memory = json.loads(result.stdout.strip().splitlines()[-1])
    pages = json.loads(report.read_text(encoding="utf-8"))["pages"]
    sizes = {
        "edition_bytes": (out / EDITION_PDF).stat().st_size,
        "pages_bytes": sum(p.stat().st_size for p in page_pdfs(out)),
    }
    return {"seconds": seconds, "statuses": [p["status"] for p in pages], **memory, **sizes}


def page_pdfs(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*.pdf") if p.name != EDITION_PDF)


def combine_seconds(edition: Path, out: Path) -> float:
    """The edition PDF made again from the page PDFs in `out`, in this process (best of 3)."""
    from layout.production.combine import EditionPage, combine
    from layout.production.page_job import PageMarks
    from layout.sources.edition import load_edition

    loaded = load_edition(edition)
    pages = [
        EditionPage(pdf.read_bytes(), PageMarks(number, f"第{number}版", ()), pdf.stem)
        for number, pdf in enumerate(page_pdfs(out), start=2)
    ]
    times = []
    for _ in range(3):
        started = time.perf_counter()
        combine(pages, loaded)
        times.append(time.perf_counter() - started)
    return min(times)


PHASES = (
    "cold serial",
    "cold parallel",
    "warm serial",
    "warm parallel",
    "one page changed",
    "cold parallel PDF/A",
)


def _median(runs: list[dict]) -> dict:
    """The run of median wall time (its statuses and memory with it)."""
    return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]


def child(argv: list[str]) -> None:
    """Run the command line, then print the peak RSS (MiB) of this process and its workers.

    Imports only what the command line does (this module imports nothing heavy), so
    a cached run is timed as CI would see it.  The process's own peak is read from
    /proc (getrusage would count the benchmark's memory, inherited through exec).
    """
    import build_pdf

    code = build_pdf.main(argv)
    if code:
        sys.exit(code)
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    own = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"peak_mib_main": own, "peak_mib_worker": workers}))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3, help="medians of this many runs")
    args = parser.parse_args()
    from layout.compose import compose_page
    from layout.render.template import render_html
    from layout.sources.page import load_page
    from layout.typeset.fonts import load_roles
    from layout.typeset.normalise import normalise_page
    from tests.benchmark import _plain_weasyprint

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        edition = make_edition(work / "edition", args.pages)
        page = normalise_page(load_page(SEED))
        roles = load_roles()
        html = render_html(page, compose_page(page, roles), roles)
        _plain_weasyprint(html, SEED)  # warm
        plain = args.pages * min(_plain_weasyprint(html, SEED) for _ in range(3))
        phases: dict[str, list[dict]] = {name: [] for name in PHASES}
        for run in range(args.runs):  # each run from an empty output directory
            out = work / f"run{run}"
            phases["cold serial"].append(run_phase(edition, work / f"serial{run}", 1))
            phases["cold parallel"].append(run_phase(edition, out, 2))
            phases["warm serial"].append(run_phase(edition, out, 1))
            phases["warm parallel"].append(run_phase(edition, out, 2))
            article = edition / "p07" / "03-kejiju.md"
            text = article.read_text(encoding="utf-8")
            article.write_text(text.replace("科技", f"科技{run}", 1), encoding="utf-8")
            phases["one page changed"].append(run_phase(edition, out, 2))
            archive = work / f"pdfa{run}"
            phases["cold parallel PDF/A"].append(run_phase(edition, archive, 2, "--pdfa"))
        phases = {name: _median(runs) for name, runs in phases.items()}
        combining = combine_seconds(edition, work / f"run{args.runs - 1}")

    print(
        f"{args.pages}-page edition of seed-like pages; 2 cores; median wall seconds of {args.runs}"
    )
    print(f"plain WeasyPrint, {args.pages} × the seed's final HTML in one process: {plain:.1f} s")
    header = f"{'phase':<18}{'seconds':>9}{'pages/s':>9}{'built':>7}{'cached':>8}"
    print(header + f"{'main MiB':>10}{'worker MiB':>12}")  # worker: the largest child
    for name, phase in phases.items():
        statuses = phase["statuses"]
        worker = f"{phase['peak_mib_worker']:>12.0f}" if phase["peak_mib_worker"] else f"{'-':>12}"
        print(
            f"{name:<18}{phase['seconds']:>9.2f}{len(statuses) / phase['seconds']:>9.2f}"
            f"{statuses.count('built'):>7}{statuses.count('cached'):>8}"
            f"{phase['peak_mib_main']:>10.0f}{worker}"
        )
    serial, parallel = phases["cold serial"]["seconds"], phases["cold parallel"]["seconds"]
    print(f"cold parallel over serial: {serial / parallel:.2f}×")
    print(f"cold serial over plain WeasyPrint: {phases['cold serial']['seconds'] / plain:.2f}×")
    for name in ("cold parallel", "cold parallel PDF/A"):
        edition_mb, pages_mb = (phases[name][key] / 1e6 for key in ("edition_bytes", "pages_bytes"))
        print(
            f"{name}: edition PDF {edition_mb:.2f} MB, its {args.pages} page PDFs {pages_mb:.2f} MB"
            f" ({edition_mb / pages_mb:.0%})"
        )
    print(f"the edition PDF from its page PDFs (fonts shared), in one process: {combining:.2f} s")


if __name__ == "__main__":
    main()
