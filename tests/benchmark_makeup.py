"""Benchmark: drop → new proof shown, on the live proof's make-up of the seed page.

    .venv/bin/python -m tests.benchmark_makeup [--edits 10]

Not a test.  Serves a copy of the seed page with `build_pdf.py serve` in a
process of its own, as an editor runs it, opens it in Debian's Chromium and
drags 03-kejiju.md between the two strips `--edits` times (each drop fits,
so each gives a new proof).  The time of one edit is the browser's own: from
the drop to the new proof image loaded (`makeup.proofTimes` in makeup.js).
Prints each, their median and the slowest, and, as the baseline, plain
WeasyPrint writing the seed's final HTML (the median of 3); then the compose
stage's seconds from the build reports: at the first build, and the median
of the edits' (the page's line breaks are kept between them).  Each edit
starts once the last one's check has ended.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from layout.pipeline import build
from layout.render.template import render_html
from layout.typeset import fonts
from tests.benchmark import _plain_weasyprint

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "baotou-daily-2024-03-26-p5"
MOVED = "03-kejiju.md"
PLACES = ((0, 49), (3, 49))  # column, line (from 0): the left strip, the right one


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url + "api/pages") as response:
                if b'"proof":"/proof/' in response.read():
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the live proof did not start")
        time.sleep(0.5)


def drag(tab, page_id: str, to: tuple[int, int]) -> float:
    """Drag the module by its first cell to the cell `to`; the browser's drop → proof ms."""
    cell = """([page, name, to]) => {
      const o = state.pages[page].overlay, g = o.grid;
      const s = document.querySelector('.sheet svg').getBoundingClientRect();
      const k = s.width / o.page[0];
      const slot = o.modules.find((m) => m.file === name).slot;
      const [c, r] = to || [slot[0], slot[2]];
      return [s.x + (g.columns[c][0] + 10) * k, s.y + (g.top + (r + 0.5) * g.line) * k];
    }"""
    start = tab.evaluate(cell, [page_id, MOVED, None])
    end = tab.evaluate(cell, [page_id, MOVED, list(to)])
    done = tab.evaluate("makeup.proofTimes.length")
    tab.mouse.move(*start)
    tab.mouse.down()
    tab.mouse.move(*end, steps=8)
    tab.mouse.up()
    tab.wait_for_function(f"makeup.proofTimes.length > {done}", timeout=60000)
    return tab.evaluate("makeup.proofTimes[makeup.proofTimes.length - 1]")


def compose_seconds(tab, page_id: str) -> float:
    """Once the page's check has ended: the compose stage's seconds, from its build report."""
    tab.wait_for_function(f"!state.pages[{page_id!r}].checking", timeout=60000)
    return tab.evaluate(
        f"fetch(state.pages[{page_id!r}].report).then((r) => r.json())"
        ".then((report) => report.pages[0].seconds.compose)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newspage-makeup-bench-") as scratch:
        page = Path(scratch) / "p5"
        shutil.copytree(SEED, page)
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "build_pdf.py"), "serve", str(page), "--port", str(port)],
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_served(url)
            times, composed = browse(url, args.edits)
        finally:
            server.terminate()
            server.wait(timeout=30)
        result = build(SEED)
        html = render_html(result.page, result.layout, fonts.load_roles())
        plain = statistics.median(_plain_weasyprint(html, SEED) for _ in range(3))
    print("drop → proof, ms:", " ".join(f"{t:.0f}" for t in times))
    median = statistics.median(times) / 1000
    print(f"median {median:.2f} s, slowest {max(times) / 1000:.2f} s over {len(times)} edits")
    print(f"plain WeasyPrint, the seed's HTML: {plain:.2f} s (ratio {median / plain:.2f})")
    first, *edits = composed
    again = statistics.median(edits)
    print(f"compose: {first:.2f} s at the first build, median {again:.2f} s an edit")


def browse(url: str, edits: int) -> tuple[list[float], list[float]]:
    """The drop → proof time of each edit, and the compose seconds of the first build and
    of each edit's (each edit waits for the last one's check to end)."""
    with sync_playwright() as driver:
        executable = shutil.which("chromium")
        browser = driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1000, "height": 1300})
        tab.goto(url)
        tab.wait_for_function("document.querySelector('.sheet img')?.naturalWidth > 0")
        page_id = tab.evaluate("Object.keys(state.pages)[0]")
        tab.check("#make-up")
        composed = [compose_seconds(tab, page_id)]
        times = []
        for n in range(edits):
            times.append(drag(tab, page_id, PLACES[n % 2]))
            composed.append(compose_seconds(tab, page_id))
        browser.close()
    return times, composed


if __name__ == "__main__":
    main()
