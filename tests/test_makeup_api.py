"""The make-up API of the live proof over HTTP, on a served copy of the seed page: an edit
writes the layout file and rebuilds the page with it; undo steps the file back; a hostile or
malformed request gets 400 and writes nothing."""

from __future__ import annotations

import http.client
import json
import shutil

import pytest

from layout.live.makeup import LAYOUT_FILE, MAX_EDIT_BYTES
from layout.live.serve import create_app
from tests.conftest import SEED
from tests.test_serve import running

pytestmark = pytest.mark.slow  # builds PDFs

MOVED = "03-kejiju.md"


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("makeup") / "page"
    shutil.copytree(SEED, directory)
    return directory


@pytest.fixture(scope="module")
def server(page_dir):
    yield from running(create_app(page_dir, watch=False))


def post(port: int, path: str, body: bytes = b"") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def listing(page_dir) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(page_dir.iterdir())}


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (json.dumps({"action": "pin", "article": "../page.yaml"}).encode(), "file name"),
        (b"{" + b" " * (MAX_EDIT_BYTES + 10) + b"}", "at most"),
        (json.dumps({"action": "pin", "article": "99-unknown.md"}).encode(), "not a module"),
        (json.dumps({"action": "drop table"}).encode(), "names its action"),
        (
            json.dumps(
                {
                    "action": "move",
                    "article": MOVED,
                    "slot": {"column": 1, "columns": 2, "line": 1, "lines": 10},
                }
            ).encode(),
            "banner",
        ),
    ],
)
def test_a_hostile_or_refused_edit_gets_400_and_writes_nothing(server, page_dir, body, said):
    _, port = server
    before = listing(page_dir)
    status, reply = post(port, "/api/layout/01-page", body)
    assert (status, said in reply.decode()) == (400, True), reply[:200]
    assert listing(page_dir) == before


def test_an_unknown_page_or_step_is_not_found(server):
    _, port = server
    assert post(port, "/api/layout/02-nothing", b"{}")[0] == 404
    assert post(port, "/api/layout/01-page/erase")[0] == 404


def test_edits_write_the_layout_file_and_undo_steps_it_back(server, page_dir):
    _, port = server
    file = page_dir / LAYOUT_FILE
    pages = json.loads(post_get(port))
    boxes = {m["file"]: m["box"] for m in pages[0]["overlay"]["modules"]}
    assert MOVED in boxes and not file.exists()
    others = [name for name in boxes if name != MOVED]
    versions = []
    for edit in (
        {"action": "pin", "article": MOVED},
        {"action": "pin", "article": others[0]},
        {"action": "unpin", "article": others[0]},
        {"action": "pin", "article": others[1]},
    ):
        status, reply = post(port, "/api/layout/01-page", json.dumps(edit).encode())
        assert status == 200, reply[:300]
        versions.append(file.read_text(encoding="utf-8"))
    assert MOVED in versions[-1] and others[1] in versions[-1] and others[0] not in versions[-1]
    summary = json.loads(reply)
    placed = {m["file"]: m["box"] for m in summary["overlay"]["modules"]}
    assert placed[MOVED] == boxes[MOVED]  # pinned where it was: built there again
    for _ in range(3):
        assert post(port, "/api/layout/01-page/undo")[0] == 200
    assert file.read_text(encoding="utf-8") == versions[0]  # three steps back
    assert post(port, "/api/layout/01-page/undo")[0] == 200
    assert not file.exists()  # before the first edit there was no layout file
    assert post(port, "/api/layout/01-page/undo")[0] == 400  # nothing to undo
    assert post(port, "/api/layout/01-page/redo")[0] == 200
    assert file.read_text(encoding="utf-8") == versions[0]


def post_get(port: int) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/api/pages")
    data = connection.getresponse().read()
    connection.close()
    return data
