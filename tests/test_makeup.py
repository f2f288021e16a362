"""Make-up edits, before any browser: what the server takes from a request, the layout file
an edit makes (read back by the layout file's own loader, and built), undo and redo."""

from __future__ import annotations

import json

import pytest

from layout.compose import compose_page
from layout.errors import FitError
from layout.live.makeup import (
    MAX_EDIT_BYTES,
    Edit,
    EditError,
    History,
    layout_text,
    next_layout,
    parse_edit,
)
from layout.model.layout import Layout
from layout.pipeline import build
from layout.sources.layout_file import load_layout, slot_of
from layout.sources.page import load_page
from layout.typeset.normalise import normalise_page
from tests.conftest import SEED

MOVED = "03-kejiju.md"
SLOT = {"column": 1, "columns": 1, "line": 1, "lines": 1}


@pytest.fixture(scope="module")
def seed_layout(roles):
    return compose_page(normalise_page(load_page(SEED)), roles)


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


@pytest.mark.parametrize(
    ("request_body", "said"),
    [
        (b"x" * (MAX_EDIT_BYTES + 1), "at most"),
        (b"not json", "JSON object"),
        (body(action="delete", article=MOVED), "names its action"),
        (body(action="move", article="../page.yaml", slot={}), "file name"),
        (body(action="pin", article="/etc/passwd"), "file name"),
        (body(action="pin", article=".hidden.md"), "file name"),
        (body(action="move", article=MOVED, slot={"column": 1}), "a slot is"),
        (body(action="move", article=MOVED, slot=dict.fromkeys("abcd", 1)), "a slot is"),
        (body(action="move", article=MOVED, slot={**SLOT, "column": "1"}), "whole numbers"),
        (body(action="swap", article=MOVED), "other article"),
        (body(action="pin", article=MOVED, path="x"), "unknown fields"),
    ],
)
def test_a_malformed_or_hostile_edit_is_refused_with_its_reason(request_body, said):
    with pytest.raises(EditError, match=said):
        parse_edit(request_body)


def test_an_edit_naming_no_module_or_a_slot_off_the_grid_or_in_the_banner_is_refused(
    seed_layout,
):
    grid, banner = seed_layout.grid, seed_layout.banner
    assert banner is not None
    refused = [
        (Edit("pin", "99-nothing.md"), "not a module"),
        (Edit("move", MOVED, {"column": 5, "columns": 2, "line": 30, "lines": 10}), "off the grid"),
        (Edit("move", MOVED, {"column": 1, "columns": 1, "line": grid.rows, "lines": 2}), "off"),
        (Edit("move", MOVED, {"column": 1, "columns": 2, "line": 1, "lines": 20}), "banner"),
    ]
    for edit, said in refused:
        with pytest.raises(EditError, match=said):
            next_layout({}, edit, seed_layout)
    first = banner.box.row + banner.box.rows + 2  # 1-based, under the banner's rule
    slot = {"column": 1, "columns": 2, "line": first, "lines": 20}
    assert next_layout({}, Edit("move", MOVED, slot), seed_layout)[MOVED].row == first - 1


def test_edits_make_a_layout_file_the_loader_takes_and_the_page_builds(
    seed_layout, tmp_path, roles
):
    boxes = {m.article.file.name: m.box for m in seed_layout.modules}
    other = next(name for name in boxes if name != MOVED)
    pins = next_layout({}, Edit("swap", MOVED, other=other), seed_layout)
    assert pins == {MOVED: boxes[other], other: boxes[MOVED]}
    pins = next_layout(pins, Edit("unpin", other), seed_layout)
    assert list(pins) == [MOVED]
    path = tmp_path / "layout.yaml"
    path.write_text(layout_text(seed_layout, pins), encoding="utf-8")
    page = load_layout(path, load_page(SEED))  # the layout file's own validation
    (moved,) = [a for a in page.articles if a.file.name == MOVED]
    assert moved.slot is not None
    assert slot_of(pins[MOVED]) == {
        "column": moved.slot.column,
        "columns": moved.slot.columns,
        "line": moved.slot.line,
        "lines": moved.slot.lines,
    }
    try:  # the other modules fitted around the pin, or the draft shows why they are not
        placed = build(SEED, layout_in=path).layout
    except FitError as error:
        assert isinstance(error.draft, Layout)
        placed = error.draft
    (module,) = [m for m in placed.modules if m.article.file.name == MOVED]
    assert module.box == pins[MOVED]


def test_undo_three_steps_gives_the_file_three_versions_back_and_redo_returns():
    history = History()
    for step in range(6):
        history.push(f"version {step}\n")
    assert [history.undo() for _ in range(3)][-1] == "version 2\n" == history.current
    assert history.redo() == "version 3\n"
    history.push("branch\n")  # an edit after an undo drops what was undone
    with pytest.raises(EditError, match="nothing to redo"):
        history.redo()
    assert history.versions == [f"version {step}\n" for step in range(4)] + ["branch\n"]
    many = History()
    for step in range(80):
        many.push(f"{step}\n")
    for _ in range(20):
        many.undo()
    assert many.current == "59\n"
