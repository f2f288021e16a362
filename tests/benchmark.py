"""Benchmark: the seed page build against a plain WeasyPrint render of its HTML.

    .venv/bin/python -m tests.benchmark [--runs N]

Not a test: it prints figures (median seconds per stage, and the ratio of the
whole build to WeasyPrint alone writing the same final HTML) for the README.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import weasyprint

from layout.fonts import load_roles
from layout.pipeline import build
from layout.render import STYLES, STYLESHEETS
from layout.template import render_html

SEED = Path(__file__).resolve().parent.parent / "source" / "baotou-daily-2024-03-26-p5"


def _plain_weasyprint(html: str) -> float:
    """Seconds for WeasyPrint alone to turn the final HTML into PDF bytes."""
    started = time.perf_counter()
    stylesheets = [weasyprint.CSS(filename=STYLES / name) for name in STYLESHEETS]
    weasyprint.HTML(string=html, base_url=str(SEED)).write_pdf(stylesheets=stylesheets)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "page.pdf"
        build(SEED, output)  # warm: fonts resolved, modules imported
        builds, stages = [], {}
        for _ in range(args.runs):
            started = time.perf_counter()
            result = build(SEED, output)
            builds.append(time.perf_counter() - started)
            for stage, seconds in result.timings.items():
                stages.setdefault(stage, []).append(seconds)
    html = render_html(result.page, result.layout, load_roles())
    plain = [_plain_weasyprint(html) for _ in range(args.runs)]
    build_median, plain_median = statistics.median(builds), statistics.median(plain)
    print(f"runs: {args.runs} (medians)")
    for stage, seconds in stages.items():
        print(f"  {stage:8} {statistics.median(seconds):6.3f} s")
    print(f"build        {build_median:6.3f} s")
    print(f"weasyprint   {plain_median:6.3f} s  (the same HTML, HTML → PDF only)")
    print(f"ratio        {build_median / plain_median:6.2f} x")


if __name__ == "__main__":
    main()
