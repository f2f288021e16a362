"""The editions a batch finds: their jumps resolved to the batch's pages before it runs, what
stops an edition reported without stopping its pages, and no edition file left from before.

No page is built here (tests/test_batch.py and tests/test_cluster.py build them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from layout.options import DEFAULT
from layout.production.batch import batch_jobs, find_pages
from layout.production.batch_issues import find_editions, plan_issues
from tests.ad_edition import LEAD, edit, write_edition


@pytest.fixture
def year(tmp_path: Path) -> Path:
    """Two days as editions under `year`, one beside a page of no edition."""
    root = tmp_path / "year"
    write_edition(root / "03-26")
    write_edition(root / "03-27", jump="p3")  # the jump names its page by directory
    return root


def _plan(root: Path, out: Path):
    pages = find_pages(root, skip=out)
    jobs = batch_jobs(root, pages, out, output=DEFAULT, cache=False)
    return jobs, plan_issues(root, find_editions(root, skip=out), jobs, out)


def test_each_editions_jump_names_the_batchs_own_page_directories(year, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # ROOT given relative, as a user types it
    jobs, issues = _plan(Path("year"), tmp_path / "out")
    assert [issue.directory for issue in issues] == [Path("year/03-26"), Path("year/03-27")]
    directories = {job.directory for job in jobs}
    for issue in issues:
        assert issue.error is None and issue.edition is not None
        assert set(issue.edition.pages) <= directories
        [link] = issue.links
        assert (link.sender.name, link.receiver.name, link.to) == ("p1", "p3", 3)
        assert {link.sender, link.receiver} <= directories
        assert link.sender.parent.name == issue.directory.name


def test_an_edition_whose_jumps_do_not_resolve_is_reported_and_its_pages_still_go(year, tmp_path):
    edit(year / "03-27" / "p1" / LEAD, r"continues: \{page: p3\}", "continues: {page: 9}")
    jobs, issues = _plan(year, tmp_path / "out")
    assert len(jobs) == 6  # every page is still built, the lead set whole
    assert issues[0].error is None
    assert issues[1].edition is None and not issues[1].links
    assert "continues" in str(issues[1].error) and "9" in str(issues[1].error)


def test_an_edition_with_a_page_outside_root_is_reported(year, tmp_path):
    (year / "03-26" / "edition.yaml").write_text(
        "paper: 包头日报\ndate: 2024-03-26\npages: [p1, ../../elsewhere, p3]\n", "utf-8"
    )
    write_edition(tmp_path / "other")
    (tmp_path / "other" / "p2").rename(tmp_path / "elsewhere")
    _, issues = _plan(year, tmp_path / "out")
    assert issues[0].edition is None
    assert "elsewhere" in str(issues[0].error) and "not under" in str(issues[0].error)


def test_the_edition_files_of_an_earlier_batch_are_gone_before_it_builds(year, tmp_path):
    out = tmp_path / "out"
    stale = [out / "03-26" / "edition.pdf", out / "03-27" / "edition.mets.xml"]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"old")
    kept = out / "03-26" / "p1.pdf"
    kept.write_bytes(b"a page")
    _plan(year, out)
    assert not any(path.exists() for path in stale)
    assert kept.read_bytes() == b"a page"
