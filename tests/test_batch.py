"""Batch mode on a real local Dask cluster: pages built where their archive says, through the
cache, a crashed task retried once, the command line's exit status and report; what a worker
receives and sends back; a cluster that cannot build said once."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from layout.errors import Problem, SetupError
from layout.model.copy import page_files
from layout.options import DEFAULT, PDFA, OutputOptions
from layout.production.batch import (
    ClusterError,
    Delivery,
    Parcel,
    batch_jobs,
    build_parcel,
    check_cluster,
    connect,
    find_pages,
    pack,
    run_batch,
)
from layout.production.cache import code_version, fonts_version
from layout.production.page_job import PageOutcome
from layout.sources.page import load_page
from tests.conftest import ROOT, SEED

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


def crashes_once(parcel: Parcel) -> Delivery:
    """Raises on its first call for a page, in any worker of this machine: a marker file
    beside the page's PDF remembers."""
    marker = parcel.job.pdf.parent / f"{parcel.job.pdf.name}.crashed"
    marker.parent.mkdir(parents=True, exist_ok=True)
    try:
        marker.touch(exist_ok=False)
    except FileExistsError:
        return build_parcel(parcel)
    raise RuntimeError("worker lost its fonts")


def crashes_on_p02(parcel: Parcel) -> Delivery:
    if parcel.job.directory.name == "p02":
        raise RuntimeError("p02 always crashes")
    return build_parcel(parcel)


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
    # p02 without the cache, so it goes to a worker; the others come from the cache
    jobs = [replace(job, cache=None) if job.directory.name == "p02" else job for job in jobs]
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


def test_a_parcel_holds_the_files_the_build_reads_and_nothing_else(tmp_path):
    page = _page(tmp_path / "archive", "p05", 5)
    (page / "notes.txt").write_text("an editor's note, not a source", encoding="utf-8")
    [job] = batch_jobs(tmp_path / "archive", [page], tmp_path / "out", output=DEFAULT, cache=True)

    parcel = pack(job)

    read = {p.relative_to(page).as_posix(): p.read_bytes() for p in page_files(load_page(page))}
    assert dict(parcel.files) == read
    assert "page.yaml" in parcel.files and "notes.txt" not in parcel.files
    assert parcel.job == job


def test_pages_failing_on_a_worker_name_the_clients_files(tmp_path, client):
    """The worker builds in a folder of its own; its report, error and draft proof come back
    naming the page under ROOT and the outputs under OUT, never the worker's folder."""
    root, out = tmp_path / "archive", tmp_path / "out"
    overset, emoji = root / "drafts" / "p10", root / "drafts" / "p11"
    shutil.copytree(ROOT / "tests" / "cases" / "fit-overset", overset)
    shutil.copytree(ROOT / "tests" / "cases" / "page-emoji-modifier", emoji)  # fails, no draft
    jobs = batch_jobs(root, [overset, emoji], out, output=DEFAULT, cache=True)

    outcomes = run_batch(jobs, client)

    assert [(o.status, o.directory) for o in outcomes] == [("failed", p) for p in (overset, emoji)]
    assert f"{overset / '01-story.md'}: body: overset by" in outcomes[0].error
    assert f"{emoji / '01-story.md'}: headline: character" in outcomes[1].error
    [draft] = outcomes[0].entry["draft"]
    assert draft["path"] == str(out / "drafts" / "p10.draft.pdf")
    assert _valid_pdf(Path(draft["path"]))
    assert sorted(out.rglob("*.pdf")) == [Path(draft["path"])]
    worker_folder = str(Path(tempfile.gettempdir(), "newspage-"))
    for outcome in outcomes:
        assert worker_folder not in json.dumps(outcome.entry) + outcome.error
    assert not list((out / ".cache").glob("*/*"))  # a failure is never cached


@pytest.mark.parametrize(
    ("photo", "output"),
    [(False, OutputOptions(PDFA)), (True, DEFAULT)],
    ids=["PDF/A with its sources attached", "a photo"],
)
def test_a_page_built_by_a_worker_equals_a_local_build(tmp_path, photo, output):
    """The worker's folder, unlike the page directory's name, leaves no trace in the PDF."""
    from layout.pipeline import build
    from tests.ad_edition import write_edition

    if photo:
        page = write_edition(tmp_path / "edition") / "p2"  # an inner page with a photo, no jump
    else:
        page = _page(tmp_path / "archive", "p05", 5)
    [job] = batch_jobs(page, [page], tmp_path / "out", output=output, cache=False)

    delivery = build_parcel(pack(job))

    assert delivery.outcome.status == "built", delivery.outcome.error
    assert delivery.files[job.pdf.name] == build(page, options=output).pdf


class _Cluster:
    """What `check_cluster` asks of a client, answering as a scheduler and workers would."""

    def __init__(self, replies: dict, scheduler: Exception | None = None) -> None:
        self.scheduler = type("Scheduler", (), {"address": "tcp://10.0.0.1:8786"})()
        self.replies, self.failure = replies, scheduler

    def wait_for_workers(self, count: int, timeout: float) -> None:
        if not self.replies:
            raise TimeoutError

    def run_on_scheduler(self, function):
        if self.failure is not None:
            raise self.failure
        return function()

    def run(self, function, on_error: str) -> dict:
        assert on_error == "return"
        return self.replies


@pytest.mark.parametrize(
    ("replies", "scheduler", "said"),
    [
        (
            {},
            None,
            "no Dask worker has joined the scheduler at tcp://10.0.0.1:8786 in 60 s:"
            " start one with .venv/bin/dask worker tcp://10.0.0.1:8786",
        ),
        (
            {"tcp://w1": "ok"},
            ModuleNotFoundError("No module named 'layout'"),
            "the Dask scheduler at tcp://10.0.0.1:8786 cannot import the project (No module named"
            " 'layout'): run ./setup.sh in its environment, or start it with .venv/bin/dask"
            " scheduler",
        ),
        (
            {
                "tcp://w1": "ok",
                "tcp://w2": Exception("ModuleNotFoundError: No module named 'layout'"),
            },
            None,
            "1 of 2 Dask workers of the scheduler at tcp://10.0.0.1:8786 cannot import the project"
            " (ModuleNotFoundError: No module named 'layout'): run ./setup.sh in their environment,"
            " or start them with .venv/bin/dask worker tcp://10.0.0.1:8786",
        ),
        (
            {
                "tcp://w1": SetupError(
                    Problem(
                        "font family 'Noto Serif CJK SC' is not installed", hint="run ./setup.sh"
                    )
                ),
                "tcp://w2": SetupError(
                    Problem(
                        "font family 'Noto Serif CJK SC' is not installed", hint="run ./setup.sh"
                    )
                ),
            },
            None,
            "2 of 2 Dask workers of the scheduler at tcp://10.0.0.1:8786 cannot build pages: font"
            " family 'Noto Serif CJK SC' is not installed: run ./setup.sh, on their machines",
        ),
        (
            {"tcp://w1": "ok", "tcp://w2": "old code"},
            None,
            "1 of 2 Dask workers of the scheduler at tcp://10.0.0.1:8786 build with other code than"
            " this checkout: install this checkout there and run ./setup.sh",
        ),
        (
            {"tcp://w1": "other fonts"},
            None,
            "1 of 1 Dask workers of the scheduler at tcp://10.0.0.1:8786 build with other fonts"
            " than this machine: install this checkout there and run ./setup.sh",
        ),
    ],
    ids=["no worker", "scheduler", "import", "fonts missing", "code", "fonts differ"],
)
def test_a_cluster_that_cannot_build_is_said_once_with_its_fix(replies, scheduler, said):
    versions = {
        "ok": (code_version(), fonts_version()),
        "old code": ("0" * 64, fonts_version()),
        "other fonts": (code_version(), "0" * 64),
    }
    answers = {w: versions.get(r, r) if isinstance(r, str) else r for w, r in replies.items()}

    with pytest.raises(ClusterError) as raised:
        check_cluster(_Cluster(answers, scheduler))

    assert str(raised.value) == said
    assert "\n" not in str(raised.value)


def test_a_cluster_that_can_build_passes_the_check(client):
    check_cluster(client)  # the local cluster's workers run this checkout with these fonts
    check_cluster(_Cluster({"tcp://w1": (code_version(), fonts_version())}))


def test_an_edition_under_root_gets_its_pdf_and_mets_only_if_its_pages_built(
    tmp_path, capsys, client
):
    """A day holding edition.yaml: its edition PDF and METS beside its pages' PDFs; with a page
    of it failed, none, and none left from an earlier batch."""
    import build_pdf

    root, out = tmp_path / "archive", tmp_path / "out"
    _page(root, "day/p02", 2)
    _page(root, "day/p03", 3)
    edition = "paper: 包头日报\ndate: 2024-03-26\npages: [p02, p03]\n"
    (root / "day" / "edition.yaml").write_text(edition, encoding="utf-8")
    command = ["batch", str(root), "-o", str(out), "--alto", "--quiet"]
    command += ["--scheduler", client.scheduler.address]

    assert build_pdf.main(command) == 0
    with pikepdf.open(out / "day" / "edition.pdf") as pdf:
        assert len(pdf.pages) == 2
    mets = (out / "day" / "edition.mets.xml").read_text(encoding="utf-8")
    assert 'href="p02.alto.xml"' in mets and 'href="p03.alto.xml"' in mets

    text = (root / "day/p03/page.yaml").read_text(encoding="utf-8")
    (root / "day/p03/page.yaml").write_text(re.sub(r"(?m)^paper: .*\n", "", text), "utf-8")
    assert build_pdf.main(command) == 1
    assert "no edition PDF for" in capsys.readouterr().err
    assert not list((out / "day").glob("edition*"))
