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

import pytest

import build_pdf
from tests.conftest import SEED

pytestmark = pytest.mark.slow  # starts Dask and builds PDFs

ARCHIVAL = ("--pdfa", "--alto")  # what an archive asks of a cluster
BIN = Path(sys.executable).parent  # the .venv's bin, where setup.sh installed `newspage`
PAGES = ("2024/03/26/p05", "2024/03/27/p02")
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
    """Copies of the seed page, numbered apart."""
    pages = []
    for number, relative in enumerate(PAGES, start=2):
        page = root / relative
        shutil.copytree(SEED, page)
        text = (page / "page.yaml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^page: \d+$", f"page: {number}", text)
        (page / "page.yaml").write_text(text, encoding="utf-8")
        pages.append(page)
    return pages


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
    for page, relative in zip(pages, PAGES, strict=True):
        local = tmp_path / "local" / f"{page.name}.pdf"
        assert build_pdf.main([str(page), "-o", str(local), "--quiet", *ARCHIVAL]) == 0
        assert (out / f"{relative}.pdf").read_bytes() == local.read_bytes(), relative
        alto = (out / f"{relative}.alto.xml").read_bytes()
        assert alto == local.with_suffix(".alto.xml").read_bytes(), relative
    assert len(list((out / ".cache").glob("*/*/page.pdf"))) == len(pages)  # the client cached


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
