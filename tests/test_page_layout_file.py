"""A page's own layout file (makeup.yaml beside page.yaml, as the live proof's make-up writes
it) is part of the page: every build takes it, the cache keys it, a batch worker is sent it and
a PDF/A carries it; a layout file given to the build wins over it."""

from __future__ import annotations

import json
import shutil

import pikepdf
import pytest

import build_pdf
from layout.model.copy import MAKEUP_FILE
from layout.options import DEFAULT
from layout.output import mets
from layout.production.batch import pack
from layout.production.cache import page_key
from layout.production.page_job import PageJob
from tests.conftest import SEED
from tests.test_outputs import usage_error

MOVED = "03-kejiju.md"
PINNED = f"""format: tabloid
body: 9
modules:
  "{MOVED}": {{column: 1, columns: 2, line: 50, lines: 25}}
"""
ELSEWHERE = PINNED.replace("line: 50", "line: 29")


@pytest.fixture
def page(tmp_path):
    directory = tmp_path / "p5"
    shutil.copytree(SEED, directory)
    return directory


def test_the_cache_key_a_batch_parcel_and_the_mets_take_the_layout_file(page, tmp_path):
    key = page_key(page, DEFAULT.cache_key())
    (page / MAKEUP_FILE).write_text(PINNED, encoding="utf-8")
    with_file = page_key(page, DEFAULT.cache_key())
    assert with_file != key
    (page / MAKEUP_FILE).write_text(ELSEWHERE, encoding="utf-8")
    assert page_key(page, DEFAULT.cache_key()) not in (key, with_file)
    parcel = pack(PageJob(page, tmp_path / "out.pdf"))
    assert parcel.files[MAKEUP_FILE] == ELSEWHERE.encode()
    assert page / MAKEUP_FILE in mets.page_sources(page)  # the files METS says it was built from


def test_no_output_may_overwrite_the_layout_file(page, capsys):
    (page / MAKEUP_FILE).write_text(PINNED, encoding="utf-8")
    err = usage_error([str(page), "--layout-out", str(page / MAKEUP_FILE)], capsys)
    assert f"--layout-out {page / MAKEUP_FILE} is a source the build reads" in err
    assert (page / MAKEUP_FILE).read_text(encoding="utf-8") == PINNED


@pytest.mark.slow
def test_a_build_takes_the_pages_layout_file_unless_given_another(
    page, tmp_path, monkeypatch, capsys
):
    (page / MAKEUP_FILE).write_text(PINNED, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(ELSEWHERE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # relative paths, as an editor types them
    assert build_pdf.main(["p5", "-o", "own.pdf", "--report", "own.json", "--pdfa"]) == 0
    given = ["p5", "-o", "given.pdf", "--report", "given.json", "--layout", "other.yaml"]
    assert build_pdf.main(given) == 0
    capsys.readouterr()

    def slot(report: str) -> dict:
        page_report = json.loads((tmp_path / report).read_text(encoding="utf-8"))["pages"][0]
        return page_report["modules"][MOVED]

    assert slot("own.json") == {"column": 1, "columns": 2, "line": 50, "lines": 25}
    assert slot("given.json")["line"] == 29
    with pikepdf.open(tmp_path / "own.pdf") as pdf:  # the archive keeps the make-up
        attached = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    assert attached[MAKEUP_FILE] == PINNED.encode()
