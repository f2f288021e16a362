"""The edition cache's key covers exactly what the build reads, streamed, and never goes stale."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

import build_pdf
from layout.options import DEFAULT
from layout.production.cache import Cache, page_key
from layout.production.page_job import PageJob, build_page, cache_key
from tests.conftest import SEED

OPTIONS = DEFAULT.cache_key()
FIRST = "01-fagaiwei.md"
HEADLINE = "增强区域协同创新发展能力 开拓同城化发展新局面"
NEW_HEADLINE = "全新的标题文字协同创新发展能力 开拓同城化发展新局面"
_opened: list[list[Path]] = []  # the recordings under way; the audit hook cannot be removed


def _record_open(event: str, args: tuple) -> None:
    if event == "open" and _opened and isinstance(args[0], (str, Path)):
        _opened[-1].append(Path(args[0]).resolve())


sys.addaudithook(_record_open)


@contextmanager
def files_opened() -> Iterator[list[Path]]:
    """Every file opened in the block, by any means (io, os, Pillow)."""
    _opened.append([])
    try:
        yield _opened[-1]
    finally:
        _opened.pop()


def seed_page(root: Path, article: str = FIRST) -> Path:
    """The seed page, its first article stored under the name `article`."""
    page = root / "p05"
    shutil.copytree(SEED, page)
    if article != FIRST:
        (page / FIRST).rename(page / article)
        yaml = page / "page.yaml"
        yaml.write_text(yaml.read_text(encoding="utf-8").replace(FIRST, article), "utf-8")
    return page


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_hidden_article_the_page_lists_is_in_the_key(tmp_path):
    page = seed_page(tmp_path, ".01-x.md")
    key = page_key(page, OPTIONS)
    assert key is not None
    edit(page / ".01-x.md", HEADLINE, NEW_HEADLINE)
    assert page_key(page, OPTIONS) != key


def test_a_file_the_page_does_not_use_is_neither_in_the_key_nor_read(tmp_path):
    page = seed_page(tmp_path)
    key = page_key(page, OPTIONS)
    (page / "notes.txt").write_text("the editor's notes", encoding="utf-8")
    (page / ".01-fagaiwei.md.swp").write_bytes(b"an editor's swap file")
    with (page / "scan.tif").open("wb") as scan:  # 3 GB (sparse): read whole, a MemoryError
        scan.truncate(3 * 2**30)
    os.mkfifo(page / "pipe")  # opened for reading, it would wait for a writer forever
    with files_opened() as opened:
        assert page_key(page, OPTIONS) == key
    inside = {path.name for path in opened if path.parent == page.resolve()}
    assert inside == {"page.yaml", *(p.name for p in SEED.glob("*.md"))}
    (page / "notes.txt").write_text("notes changed", encoding="utf-8")
    assert page_key(page, OPTIONS) == key


def test_a_changed_photo_changes_the_key(tmp_path):
    page = seed_page(tmp_path)
    edit(page / FIRST, "---\n", "---\nimages:\n  - file: photos/fagaiwei.jpg\n    caption: 徐行\n")
    (page / "photos").mkdir()
    photo = page / "photos" / "fagaiwei.jpg"
    Image.new("RGB", (400, 300), (120, 80, 40)).save(photo, quality=90)
    key = page_key(page, OPTIONS)
    assert key is not None
    Image.new("RGB", (400, 300), (40, 80, 120)).save(photo, quality=90)
    assert page_key(page, OPTIONS) != key


def test_a_page_that_does_not_load_has_no_key(tmp_path):
    page = seed_page(tmp_path)
    (page / FIRST).unlink()
    assert page_key(page, OPTIONS) is None


def page_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as document:
        return document.pages[0].extract_text()


@pytest.mark.slow
def test_an_edited_hidden_article_is_rebuilt_with_its_new_text(tmp_path):
    edition = tmp_path / "edition"
    page = seed_page(edition, ".01-x.md")
    (edition / "edition.yaml").write_text(
        "paper: 包头日报\ndate: 2024-03-26\npages: [p05]\n", encoding="utf-8"
    )
    out, report = tmp_path / "out", tmp_path / "report.json"
    assert build_pdf.main([str(edition), "-o", str(out), "-q"]) == 0
    (pdf,) = (p for p in out.glob("*.pdf") if p.name != "edition.pdf")
    assert NEW_HEADLINE[:7] not in page_text(pdf)

    edit(page / ".01-x.md", HEADLINE, NEW_HEADLINE)
    assert build_pdf.main([str(edition), "-o", str(out), "-q", "--report", str(report)]) == 0
    pages = json.loads(report.read_text(encoding="utf-8"))["pages"]
    assert [entry["status"] for entry in pages] == ["built"]
    assert NEW_HEADLINE[:7] in page_text(pdf)


@pytest.mark.slow
def test_a_source_edited_after_the_key_was_taken_is_not_stored_under_it(tmp_path):
    """Else undoing the edit would bring back the key, and with it the edited page's PDF."""
    page = seed_page(tmp_path)
    job = PageJob(page, tmp_path / "p05.pdf", cache=tmp_path / "cache")
    key = cache_key(job)
    assert key is not None
    edit(page / FIRST, HEADLINE, NEW_HEADLINE)
    assert build_page(job, key).status == "built"
    assert Cache(tmp_path / "cache").get(key) is None
