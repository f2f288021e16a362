"""Batch mode on a Dask cluster started the way Dask documents it: `dask scheduler` and
`dask worker` processes of the project's .venv, each in a folder of its own, with no
PYTHONPATH and no path in common with the archive.

The worker is confined by a Dask preload (`--preload`, run in the worker process) that
installs an audit hook: any open or listing of a path under the client's folder (ROOT and
OUT) raises and is recorded, and every page.yaml the worker reads is recorded.  A build
that needed ROOT would fail; the record shows the worker read its pages' sources all the
same, from its own folder.  (Permissions would not do: the tests run as root.)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

import build_pdf
from layout.output.alto import alto_path
from tests.ad_edition import write_edition
from tests.conftest import SEED
from tests.test_alto import schema

pytestmark = pytest.mark.slow  # starts Dask and builds PDFs

ARCHIVAL = ("--pdfa", "--alto")  # what an archive asks of a cluster
BIN = Path(sys.executable).parent  # the .venv's bin, where setup.sh installed `newspage`
ISSUE = "2024/03/26"  # an edition (tests/ad_edition.py) whose lead jumps from page 1 to 3
ALONE = "2024/03/27/p04"  # a page of no edition
CONFINE = """
import os
import sys

FORBIDDEN = {forbidden!r}
record = open({record!r}, "a", buffering=1, encoding="utf-8")


def confine(event, args):
    if event not in ("open", "os.listdir", "os.scandir") or not args:
        return
    if not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    if path == FORBIDDEN or path.startswith(FORBIDDEN + os.sep):
        record.write("refused " + path + "\\n")
        raise PermissionError("a worker may not touch the client's files: " + path)
    if os.path.basename(path) == "page.yaml":
        mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "-"
        record.write(mode + " " + path + "\\n")


sys.addaudithook(confine)
"""


def _environment(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, **extra}


@contextmanager
def _processes() -> Iterator[Callable[..., subprocess.Popen]]:
    """Start processes, each in a process group of its own; on exit, end every group."""
    started: list[subprocess.Popen] = []

    def start(command: list[str], cwd: Path, environment: dict[str, str]) -> subprocess.Popen:
        log = (cwd / "log.txt").open("ab")
        process = subprocess.Popen(
            command, cwd=cwd, env=environment, stdout=log, stderr=log, start_new_session=True
        )
        log.close()
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):  # its group has ended already
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _scheduler(start: Callable[..., subprocess.Popen], place: Path) -> str:
    """A `dask scheduler` on a free port of 127.0.0.1; its address."""
    place.mkdir()
    address_file = place / "scheduler.json"
    command = [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0"]
    command += ["--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(address_file)]
    process = start(command, place, _environment())
    deadline = time.monotonic() + 60
    while True:
        try:
            return json.loads(address_file.read_text(encoding="utf-8"))["address"]
        except (OSError, ValueError):  # not written yet, or not whole
            assert process.poll() is None, (place / "log.txt").read_text(errors="replace")
            assert time.monotonic() < deadline, "the scheduler did not start in 60 s"
            time.sleep(0.1)


def _archive(root: Path) -> list[Path]:
    """The edition `ISSUE`, and a copy of the seed page (`ALONE`); their pages in order."""
    write_edition(root / ISSUE)
    page = root / ALONE
    shutil.copytree(SEED, page)
    text = (page / "page.yaml").read_text(encoding="utf-8")
    (page / "page.yaml").write_text(re.sub(r"(?m)^page: \d+$", "page: 4", text), "utf-8")
    return [root / ISSUE / name for name in ("p1", "p2", "p3")] + [page]


def _batch(root: Path, out: Path, address: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed console command, as a user runs it."""
    command = [str(BIN / "newspage"), "batch", str(root), "-o", str(out), "--quiet", *ARCHIVAL]
    command += ["--scheduler", address, "--report", str(out / "report.json")]
    return subprocess.run(
        command,
        check=False,
        cwd=cwd,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_archive_built_by_workers_that_never_see_it_equals_local_builds(tmp_path):
    client = tmp_path / "client"  # ROOT and OUT; no worker may touch anything under it
    root, out = client / "archive", client / "out"
    pages = _archive(root)
    worker = tmp_path / "worker"
    worker.mkdir()
    record = worker / "record.txt"
    confine = worker / "confine.py"
    confine.write_text(CONFINE.format(forbidden=str(client), record=str(record)), "utf-8")

    with _processes() as start:
        address = _scheduler(start, tmp_path / "scheduler")
        command = [str(BIN / "dask"), "worker", address, "--nworkers", "1"]
        command += ["--host", "127.0.0.1", "--preload", str(confine)]
        start(command, worker, _environment())
        batch = _batch(root, out, address, client)
    logs = (worker / "log.txt").read_text(errors="replace")

    assert batch.returncode == 0, batch.stderr + logs
    opened = [line.split(" ", 1) for line in record.read_text(encoding="utf-8").splitlines()]
    assert not [path for mode, path in opened if mode == "refused"]
    read = [Path(path) for mode, path in opened if mode.startswith("r")]
    assert {path.parent.name for path in read} == {page.name for page in pages}
    assert not any(path.is_relative_to(tmp_path) for path in read)  # the worker's own folder
    entries = json.loads((out / "report.json").read_text(encoding="utf-8"))["pages"]
    assert [(e["page"], e["status"], e["attempts"]) for e in entries] == [
        (str(page), "built", 1) for page in pages
    ]
    cached = sorted(p.parent.name.startswith("edition-") for p in out.glob(".cache/*/*/page.pdf"))
    assert cached == [False] * len(pages) + [True]  # the client cached the pages and edition
    # the edition's pages, jump made, and its PDF as an edition build makes them, its METS
    # naming the batch's files; the page of no edition as a page build makes it
    local = tmp_path / "local"
    assert build_pdf.main([str(root / ISSUE), "-o", str(local), "--quiet", *ARCHIVAL]) == 0
    assert build_pdf.main([str(root / ALONE), "-o", str(local / "p04.pdf"), *ARCHIVAL]) == 0
    issue = out / ISSUE
    made = {
        issue / "p1.pdf": local / "01-p1.pdf",
        issue / "p2.pdf": local / "02-p2.pdf",
        issue / "p3.pdf": local / "03-p3.pdf",
        out / f"{ALONE}.pdf": local / "p04.pdf",
        issue / "edition.pdf": local / "edition.pdf",
    }
    for batch_file, local_file in made.items():
        assert batch_file.read_bytes() == local_file.read_bytes(), batch_file
        if batch_file.name != "edition.pdf":
            assert alto_path(batch_file).read_bytes() == alto_path(local_file).read_bytes()
    schema("mets.xsd").assertValid(etree.parse(str(issue / "edition.mets.xml")))
    mets = (issue / "edition.mets.xml").read_text(encoding="utf-8")
    named = [issue / unquote(m) for m in re.findall(r'href="([^"]+)"', mets)]
    assert [p.name for p in named if p.suffix == ".pdf"] == [
        "p1.pdf",
        "p2.pdf",
        "p3.pdf",
        "bank.pdf",  # page 1's ad artwork, among its sources
        "edition.pdf",
    ]
    assert all(p.is_file() for p in named)
    [listed] = json.loads((out / "report.json").read_text(encoding="utf-8"))["editions"]
    assert [Path(o["path"]).name for o in listed["outputs"]] == ["edition.pdf", "edition.mets.xml"]
    assert not list((out / "2024/03/27").glob("edition*"))  # a day without edition.yaml


def test_workers_that_cannot_import_the_project_are_said_once_with_the_fix(tmp_path):
    client = tmp_path / "client"
    root, out = client / "archive", client / "out"
    _archive(root)
    worker = tmp_path / "worker"
    worker.mkdir()
    # A Python with Dask but not the project, as after `pip install distributed`: the .venv's
    # interpreter without its site (-S), its packages on PYTHONPATH, whose .pth files (the
    # editable install of the project among them) Python does not read.
    packages = sysconfig.get_paths()["purelib"]

    with _processes() as start:
        address = _scheduler(start, tmp_path / "scheduler")
        command = [sys.executable, "-S", "-m", "distributed.cli.dask_worker", address]
        command += ["--nworkers", "1", "--host", "127.0.0.1"]
        start(command, worker, _environment(PYTHONPATH=packages))
        batch = _batch(root, out, address, client)

    assert batch.returncode == build_pdf.SETUP_FAILED, batch.stderr
    [line] = batch.stderr.splitlines()
    assert line.startswith(f"build_pdf: 1 of 1 Dask workers of the scheduler at {address}")
    assert "cannot import the project" in line and "No module named 'layout'" in line
    assert line.endswith(
        f"run ./setup.sh in their environment, or start them with .venv/bin/dask worker {address}"
    )
    assert not list(out.rglob("*.pdf"))  # no page was sent
