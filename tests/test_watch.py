"""--watch: a saved source file rebuilds the page; temporary and output files do not."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from layout.pipeline import build
from layout.production.watch import is_source_change, watch
from tests.conftest import SEED

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'


def test_hidden_editor_and_output_files_are_not_source_changes(tmp_path):
    out = tmp_path / "build"
    assert is_source_change(tmp_path / "page" / "01-story.md", (out,))
    assert not is_source_change(tmp_path / "page" / ".01-story.md.swp", (out,))
    assert not is_source_change(tmp_path / "page" / "01-story.md~", (out,))
    assert not is_source_change(tmp_path / "page" / ".cache" / "ab" / "page.pdf", (out,))
    assert not is_source_change(out / "page.pdf", (out,))


def test_saving_an_article_rebuilds_the_page_within_seconds(tmp_path):
    page = tmp_path / "page"
    shutil.copytree(SEED, page)
    output = tmp_path / "page.pdf"
    stop = threading.Event()
    rebuilt = threading.Event()
    seen: list[set[Path]] = []

    def rebuild(changed: set[Path]) -> None:
        seen.append(changed)
        build(page, output)
        rebuilt.set()

    watcher = threading.Thread(target=watch, args=([page], rebuild), kwargs={"stop": stop})
    watcher.start()
    try:
        time.sleep(0.5)  # let the watcher start
        article = page / "03-kejiju.md"
        saved = time.monotonic()
        article.write_text(
            article.read_text(encoding="utf-8").replace("科技", "科学", 1), encoding="utf-8"
        )
        assert rebuilt.wait(timeout=30), "no rebuild after the save"
        latency = time.monotonic() - saved
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()
    assert seen[0] == {article}
    assert output.read_bytes().startswith(b"%PDF-")
    assert latency < 10, latency  # a generous bound; the README gives the measured figure
