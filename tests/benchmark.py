"""Benchmark: composing and building pages against a plain WeasyPrint render of their HTML.

    .venv/bin/python -m tests.benchmark [--runs N]

Not a test: it prints, for the seed page, for generated pages of 3, 6 and 10
articles (fitted to their page as a copy editor would), and for the front page
and page 3 of tests/ad_edition.py (ads, and the lead jumping from one to the
other, built as the edition builds them), the median search time
(the compose stage: measuring and arranging), the number of measurements the
search made (paragraphs broken into lines, display lines fitted), the whole
build, WeasyPrint alone writing the same final HTML, and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import weasyprint

from layout.pipeline import build
from layout.render.html_to_pdf import STYLES, STYLESHEETS
from layout.render.template import render_html
from layout.typeset import linebreak, measure
from layout.typeset.fonts import load_roles
from tests.ad_edition import write_edition
from tests.conftest import SEED
from tests.pagegen import Spec, fitted, write_page

# (name, format, articles as (relative length, photos)); lengths are fitted to the page
GENERATED = (
    ("3 articles", "tabloid", [(3, 1), (2, 0), (2, 1)]),
    ("6 articles", "tabloid", [(4, 1), (3, 0), (2, 0), (2, 0), (2, 1), (1, 0)]),
    ("10 articles", "broadsheet", [(3, 1), (2, 0), (2, 0), (2, 1)] + [(2, 0)] * 3 + [(1, 0)] * 3),
)


class Counter:
    """Counts the measurements the composer asks for, by wrapping the two that cost."""

    def __init__(self) -> None:
        self.count = 0
        self._originals = (linebreak.break_paragraph, measure.Typesetter.heading)

    def __enter__(self) -> Counter:
        breaker, heading = self._originals

        def counted_break(*args, **kwargs):
            self.count += 1
            return breaker(*args, **kwargs)

        def counted_heading(*args, **kwargs):
            self.count += 1
            return heading(*args, **kwargs)

        measure.linebreak.break_paragraph = counted_break
        measure.Typesetter.heading = counted_heading
        return self

    def __exit__(self, *exc) -> None:
        measure.linebreak.break_paragraph, measure.Typesetter.heading = self._originals


def _plain_weasyprint(html: str, base: Path) -> float:
    """Seconds for WeasyPrint alone to turn the final HTML into PDF bytes."""
    started = time.perf_counter()
    stylesheets = [weasyprint.CSS(filename=STYLES / name) for name in STYLESHEETS]
    weasyprint.HTML(string=html, base_url=str(base)).write_pdf(stylesheets=stylesheets)
    return time.perf_counter() - started


def _pages(scratch: Path) -> list[tuple[str, Path, dict]]:
    """Each page, with what its build is given in an edition (jumps, rests received)."""
    pages = [("seed page", SEED, {})]
    for name, fmt, articles in GENERATED:
        specs = [Spec(400 * weight, photos) for weight, photos in articles]
        work = scratch / name.replace(" ", "-")
        specs = fitted(specs, format=fmt, seed=1, scratch=work)
        pages.append((f"{name} ({fmt})", write_page(work / "page", specs, format=fmt, seed=1), {}))
    edition = write_edition(scratch / "ads")
    jumps = {"jumps": {"01-story": 3}}
    rests = build(edition / "p1", **jumps).continuations
    pages += [
        ("ads, jump out (tabloid)", edition / "p1", jumps),
        ("ads, jump in (tabloid)", edition / "p3", {"continued": rests}),
    ]
    return pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    roles = load_roles()
    print(f"runs: {args.runs} (medians, seconds)")
    print(f"{'page':28} {'search':>7} {'measured':>9} {'build':>7} {'weasyprint':>11} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, directory, given in _pages(Path(scratch)):
            build(directory, **given)  # warm: fonts resolved, modules imported
            builds, searches = [], []
            for _ in range(args.runs):
                with Counter() as counter:
                    started = time.perf_counter()
                    result = build(directory, **given)
                    builds.append(time.perf_counter() - started)
                searches.append(result.timings["compose"])
            html = render_html(result.page, result.layout, roles)
            plain = statistics.median(_plain_weasyprint(html, directory) for _ in range(args.runs))
            total = statistics.median(builds)
            print(
                f"{name:28} {statistics.median(searches):7.3f} {counter.count:9d} "
                f"{total:7.3f} {plain:11.3f} {total / plain:6.2f}x"
            )


if __name__ == "__main__":
    main()
