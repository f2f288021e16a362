"""The make-up API of the live proof over HTTP, on a served copy of the seed page: an edit
writes the layout file and rebuilds the page with it; undo steps the file back; a hostile or
malformed request gets 400 and writes nothing."""

from __future__ import annotations

import http.client
import json
import shutil

import pytest

from layout.errors import SourceError
from layout.live.makeup import MAX_EDIT_BYTES
from layout.live.preview import Preview
from layout.live.serve import create_app
from layout.model.copy import MAKEUP_FILE
from layout.model.grid import Grid
from layout.model.layout import Box
from layout.options import DEFAULT
from layout.typeset import fonts
from tests.ad_edition import write_edition
from tests.conftest import SEED
from tests.test_serve import running

pytestmark = pytest.mark.slow  # builds PDFs

MOVED = "03-kejiju.md"


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


def move(slot: dict) -> bytes:
    return json.dumps({"action": "move", "article": MOVED, "slot": slot}).encode()


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (json.dumps({"action": "pin", "article": "../page.yaml"}).encode(), "file name"),
        (b"{" + b" " * (MAX_EDIT_BYTES + 10) + b"}", "at most"),
        (json.dumps({"action": "pin", "article": "99-unknown.md"}).encode(), "not a module"),
        (json.dumps({"action": "drop table"}).encode(), "names its action"),
        (move({"column": 1, "columns": 2, "line": 1, "lines": 10}), "banner"),
        (move({"column": 5, "columns": 2, "line": 30, "lines": 10}), "off the grid"),
        (move({"column": 1, "columns": 2, "line": 70, "lines": 10}), "off the grid"),
        (move({"column": 1, "columns": 2, "line": "../30", "lines": 10}), "whole numbers"),
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
    file = page_dir / MAKEUP_FILE
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


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def test_the_fit_of_a_slot_is_measured_and_a_bad_question_refused(server):
    _, port = server
    status, reply = get(port, f"/api/fit/01-page?article={MOVED}&columns=2&lines=20")
    assert status == 200, reply
    fit = json.loads(reply)
    assert not fit["fits"] and fit["overset"] > 0 and fit["lines_used"] == fit["lines_available"]
    wide = json.loads(get(port, f"/api/fit/01-page?article={MOVED}&columns=2&lines=25")[1])
    assert wide["fits"] and wide["lines_used"] == fit["lines_used"] + fit["overset"]
    for query, said in [
        ("article=../page.yaml&columns=2&lines=20", "file name"),
        ("article=99-none.md&columns=2&lines=20", "not a module"),
        (f"article={MOVED}&columns=6&lines=20", "columns is a whole number from 1 to 5"),
        (f"article={MOVED}&columns=2&lines=-3", "lines is a whole number"),
        (f"article={MOVED}&columns=2", "lines is a whole number"),
    ]:
        status, reply = get(port, f"/api/fit/01-page?{query}")
        assert (status, said in reply.decode()) == (400, True), (query, reply)
    assert get(port, f"/api/fit/09-none?article={MOVED}&columns=2&lines=20")[0] == 404


PINNED = """format: tabloid
body: 9
modules:
  "03-kejiju.md": {column: 1, columns: 2, line: 50, lines: 25}
"""


def test_a_layout_file_given_to_serve_is_built_with_and_written_there(tmp_path):
    directory = tmp_path / "page"
    shutil.copytree(SEED, directory)
    given = tmp_path / "make-up" / "p5.yaml"
    given.parent.mkdir()
    given.write_text(PINNED, encoding="utf-8")
    before = listing(directory)
    for _, port in running(create_app(directory, watch=False, layout_file=given)):
        (page,) = json.loads(post_get(port))
        assert page["pinned"] == [MOVED] and page["layout_file"] == "p5.yaml"
        slots = {m["file"]: m["slot"] for m in page["overlay"]["modules"]}
        assert slots[MOVED] == [0, 2, 49, 25]  # built with the file from the start
        status, reply = post(
            port,
            "/api/layout/01-page",
            json.dumps({"action": "pin", "article": "02-gongxinju.md"}).encode(),
        )
        assert status == 200, reply[:300]
        assert "02-gongxinju.md" in given.read_text(encoding="utf-8")
        assert MOVED in given.read_text(encoding="utf-8")  # the pins it had are kept
        given.write_text(PINNED, encoding="utf-8")  # by hand, outside the page: not watched
        edit = json.dumps({"action": "pin", "article": "04-renshiju.md"}).encode()
        assert post(port, "/api/layout/01-page", edit)[0] == 200
        made = given.read_text(encoding="utf-8")
        assert "04-renshiju.md" in made and MOVED in made and "02-gongxinju.md" not in made
        assert post(port, "/api/layout/01-page/undo")[0] == 200
        assert given.read_text(encoding="utf-8") == PINNED  # the hand edit was a version
    assert listing(directory) == before  # nothing written beside the page


def test_an_edition_is_not_served_with_one_layout_file(tmp_path):
    edition = write_edition(tmp_path / "day")
    with pytest.raises(SourceError, match="a layout file is one page's"):
        create_app(edition, watch=False, layout_file=tmp_path / "layout.yaml")


def test_the_watcher_rebuilds_for_a_hand_edit_of_the_layout_file_not_for_the_make_ups(tmp_path):
    directory = tmp_path / "page"
    shutil.copytree(SEED, directory)
    preview = Preview(directory, DEFAULT)  # builds nothing until served
    (page,) = preview.pages.values()
    assert page.desk is not None
    file = directory / MAKEUP_FILE
    file.write_text(PINNED, encoding="utf-8")  # by hand
    assert preview.affected({file}) == [page]
    assert page.desk.pins == {MOVED: Box(0, 2, 49, 25)} and page.desk.history.can_undo
    page.desk.step(back=True)  # the make-up's own write: already built by the edit
    assert not file.exists()
    assert preview.affected({file}) == []
    grid = Grid.for_format("tabloid", masthead=False)
    page.typesetter(fonts.load_roles(), grid)  # measures kept for its sources as they were
    assert preview.affected({directory / MOVED}) == [page] and not page.typesetters
