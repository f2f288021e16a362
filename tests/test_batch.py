"""Batch mode on a real local Dask cluster: pages built where their archive says, through the
cache, a crashed task retried once, and the command line's exit status and report."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from layout.options import DEFAULT, PDFA, OutputOptions
from layout.production.batch import batch_jobs, connect, find_pages, run_batch
from layout.production.page_job import PageJob, PageOutcome, run_page
from tests.conftest import SEED

pytestmark = pytest.mark.slow  # builds PDFs: run by CI, skipped by -m 'not slow'

GOOD = ("2024/03/26/p05", "2024/03/27/p01", "2024/03/27/p02")
BROKEN = "drafts/p09"  # page.yaml without `paper:`


def _page(root: Path, relative: str, number: int, *, paper: bool = True) -> Path:
    page = root / relative
    shutil.copytree(SEED, page)
    text = (page / "page.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^page: \d+$", f"page: {number}", text)
    if not paper:
        text = re.sub(r"(?m)^paper: .*\n", "", text)
    (page / "page.yaml").write_text(text, encoding="utf-8")
    return page


def crashes_once(job: PageJob) -> PageOutcome:
    """Raises on its first call for a page, wherever that runs: the marker file remembers."""
    marker = job.pdf.parent / f"{job.pdf.name}.crashed"
    marker.parent.mkdir(parents=True, exist_ok=True)
    try:
        marker.touch(exist_ok=False)
    except FileExistsError:
        return run_page(job)
    raise RuntimeError("worker lost its fonts")


def crashes_on_p02(job: PageJob) -> PageOutcome:
    if job.directory.name == "p02":
        raise RuntimeError("p02 always crashes")
    return run_page(job)


@pytest.fixture(scope="module")
def client():
    with connect(None, workers=2) as client:
        yield client


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Three good pages in nested folders (numbered apart, so each has its own cache entry)."""
    root = tmp_path_factory.mktemp("archive")
    for number, relative in enumerate(GOOD, start=2):  # page 1 would need a masthead
        _page(root, relative, number)
    _page(root, BROKEN, 9, paper=False)
    return root


@pytest.fixture(scope="module")
def first_run(archive, tmp_path_factory, client):
    out = tmp_path_factory.mktemp("out")
    jobs = batch_jobs(archive, find_pages(archive), out, output=DEFAULT, cache=True)
    heard: list[PageOutcome] = []
    return jobs, run_batch(jobs, client, on_page=heard.append), heard


def _valid_pdf(path: Path) -> bool:
    if not path.read_bytes().startswith(b"%PDF-"):
        return False
    with pikepdf.open(path) as pdf:
        return len(pdf.pages) == 1


def test_find_pages_sorted_skipping_hidden_and_output(tmp_path):
    root = tmp_path / "archive"
    for relative in ("b/p02", "a/p01", ".trash/p03", "a/p01/inset", "out/copy"):
        (root / relative).mkdir(parents=True)
        (root / relative / "page.yaml").write_text("page: 1\n", encoding="utf-8")
    (root / "a" / "notes").mkdir()
    (root / "page.yaml").write_text("page: 1\n", encoding="utf-8")

    found = find_pages(root, skip=root / "out")

    assert [p.relative_to(root).as_posix() for p in found] == [".", "a/p01", "a/p01/inset", "b/p02"]
    assert len(find_pages(root)) == 5


def test_jobs_mirror_the_archive_under_out(tmp_path):
    root, out = tmp_path / "archive", tmp_path / "out"
    pages = [root, root / "2024" / "03" / "26" / "p05"]

    jobs = batch_jobs(root, pages, out, output=OutputOptions(PDFA), cache=True)

    assert [job.pdf for job in jobs] == [out / "archive.pdf", out / "2024/03/26/p05.pdf"]
    assert all(
        job.cache == out / ".cache" and job.output.target is PDFA and job.proof is None
        for job in jobs
    )
    assert batch_jobs(root, pages, out, output=DEFAULT, cache=False)[0].cache is None


def test_pages_build_to_mirrored_paths_and_a_broken_one_fails_alone(archive, first_run):
    jobs, outcomes, heard = first_run

    assert [job.directory for job in jobs] == [archive / p for p in (*GOOD, BROKEN)]
    assert [o.directory for o in outcomes] == [job.directory for job in jobs]
    assert sorted(o.directory for o in heard) == sorted(job.directory for job in jobs)
    by_page = {o.directory.relative_to(archive).as_posix(): o for o in outcomes}
    for relative in GOOD:
        assert by_page[relative].status == "built", by_page[relative].error
        assert by_page[relative].entry["attempts"] == 1
    for job in jobs[: len(GOOD)]:
        assert _valid_pdf(job.pdf)
    broken = by_page[BROKEN]
    assert broken.status == "failed"
    assert "page.yaml" in broken.error and "paper" in broken.error
    assert broken.entry["problems"][0]["field"] == "paper"
    assert not jobs[-1].pdf.exists()


def test_rerun_takes_built_pages_from_the_cache(first_run, client):
    jobs, _, _ = first_run
    before = {job.pdf: job.pdf.read_bytes() for job in jobs[: len(GOOD)]}

    again = run_batch(jobs, client)

    assert [o.status for o in again] == ["cached"] * len(GOOD) + ["failed"]
    assert {job.pdf: job.pdf.read_bytes() for job in jobs[: len(GOOD)]} == before


def test_a_crashed_task_is_retried_once(archive, tmp_path, client):
    jobs = batch_jobs(archive, [archive / GOOD[0]], tmp_path / "out", output=DEFAULT, cache=False)

    [outcome] = run_batch(jobs, client, task=crashes_once)

    assert outcome.status == "built", outcome.error
    assert outcome.entry["attempts"] == 2
    assert _valid_pdf(jobs[0].pdf)


def test_a_task_that_crashes_twice_is_reported_and_the_rest_complete(first_run, client):
    jobs, _, _ = first_run
    heard: list[PageOutcome] = []

    outcomes = run_batch(jobs, client, on_page=heard.append, task=crashes_on_p02)

    by_name = {o.directory.name: o for o in outcomes}
    crashed = by_name["p02"]
    assert crashed.status == "failed"
    assert crashed.entry["attempts"] == 2
    assert crashed.error == "internal error: RuntimeError: p02 always crashes"
    assert crashed.entry["error"] == "RuntimeError"
    assert [by_name[n].status for n in ("p05", "p01", "p09")] == ["cached", "cached", "failed"]
    assert len(heard) == len(jobs)


def test_command_line_exit_status_and_report(tmp_path, capsys, client):
    import build_pdf

    root = tmp_path / "archive"
    good = _page(root, GOOD[0], 2)
    broken = _page(root, BROKEN, 9, paper=False)
    out, report = root / "out", tmp_path / "report.json"  # an output inside ROOT is skipped
    args = ["--workers", "2", "--report", str(report), "--quiet"]

    assert build_pdf.main(["batch", str(root), "-o", str(out), *args]) == 1

    entries = json.loads(report.read_text(encoding="utf-8"))["pages"]
    assert [(e["page"], e["status"], e["attempts"]) for e in entries] == [
        (str(good), "built", 1),
        (str(broken), "failed", 1),
    ]
    assert "paper" in capsys.readouterr().err
    assert _valid_pdf(out / f"{GOOD[0]}.pdf")

    # Only the good page, into the same output, on an existing cluster given by address:
    # it comes from the cache.
    scheduler = ["--scheduler", client.scheduler.address]
    assert build_pdf.main(["batch", str(root / "2024"), "-o", str(out), *scheduler, *args]) == 0
    entries = json.loads(report.read_text(encoding="utf-8"))["pages"]
    assert [(e["page"], e["status"]) for e in entries] == [(str(good), "cached")]
    assert (out / "03/26/p05.pdf").read_bytes() == (out / f"{GOOD[0]}.pdf").read_bytes()
