"""Make-up edits, before any browser: what the server takes from a request, the layout file
an edit makes (read back by the layout file's own loader, and built), undo and redo."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
import yaml

from layout.compose import compose_page
from layout.errors import FitError
from layout.live.makeup import (
    MAX_EDIT_BYTES,
    Desk,
    Edit,
    EditError,
    History,
    free_rows,
    layout_text,
    next_layout,
    parse_edit,
    swapped,
)
from layout.model.copy import MAKEUP_FILE
from layout.model.document import Ad
from layout.model.layout import Box, Layout, PlacedAd
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


def boxes_of(layout: Layout) -> dict[str, Box]:
    return {m.article.file.name: m.box for m in layout.modules}


def test_a_swap_in_one_strip_changes_their_order_and_each_keeps_its_height(seed_layout):
    boxes = boxes_of(seed_layout)
    upper, lower = boxes["04-renshiju.md"], boxes["05-jiaoyuju.md"]
    assert (upper.column, upper.columns) == (lower.column, lower.columns)
    pins = next_layout({}, Edit("swap", "05-jiaoyuju.md", other="04-renshiju.md"), seed_layout)
    assert pins["05-jiaoyuju.md"] == replace(lower, row=upper.row)
    assert pins["04-renshiju.md"] == replace(upper, row=lower.row + lower.rows - upper.rows)
    assert swapped("01-fagaiwei.md", MOVED, boxes) == {  # two strips: each takes the other's box
        "01-fagaiwei.md": boxes[MOVED],
        MOVED: boxes["01-fagaiwei.md"],
    }


def test_an_edit_onto_a_pinned_module_or_an_ad_is_refused(seed_layout):
    boxes = boxes_of(seed_layout)
    kept = {"02-gongxinju.md": boxes["02-gongxinju.md"]}  # columns 4–5, lines 29–48
    onto = {"column": 4, "columns": 2, "line": 40, "lines": 20}
    with pytest.raises(EditError, match=r"overlap 02-gongxinju\.md, which is pinned"):
        next_layout(kept, Edit("move", MOVED, onto), seed_layout)
    touching = {"column": 4, "columns": 2, "line": 49, "lines": 20}  # no line for the rule
    with pytest.raises(EditError, match="overlap"):
        next_layout(kept, Edit("move", MOVED, touching), seed_layout)
    astride = {"column": 3, "columns": 2, "line": 50, "lines": 20}
    with pytest.raises(EditError, match="share some of the columns"):
        next_layout(kept, Edit("move", MOVED, astride), seed_layout)
    below = {"column": 4, "columns": 2, "line": 50, "lines": 20}
    assert MOVED in next_layout(kept, Edit("move", MOVED, below), seed_layout)
    ad = Ad(SEED / "ad.png", "png", "3栏", 3, 100.0, 40.0, "bottom", "鹿城书店", 1, 1)
    booked = replace(
        seed_layout, ads=(PlacedAd(ad, Box(0, 3, 60, 14), (0, 0, 0, 0), (0, 0, 0, 0), 0),)
    )
    with pytest.raises(EditError, match="overlap the ad ad 1"):
        next_layout({}, Edit("move", MOVED, {**below, "column": 1}), booked)


def test_a_module_may_take_the_lines_between_the_banner_and_the_credits(seed_layout):
    first, end = free_rows(seed_layout)
    banner, credits = seed_layout.banner, seed_layout.credits
    assert banner is not None and credits is not None
    assert (first, end) == (banner.box.row + banner.box.rows + 1, credits.row)
    slot = {"column": 1, "columns": 2, "line": end - 9, "lines": 10}  # its last line is end's
    assert next_layout({}, Edit("move", MOVED, slot), seed_layout)[MOVED].row == end - 10
    with pytest.raises(EditError, match="off the grid"):
        next_layout({}, Edit("move", MOVED, {**slot, "line": end - 8}), seed_layout)


LAID_OUT = """\
# by hand
format: tabloid
body: 9
lede: {column: 1, columns: 5, line: 7, lines: 6}
modules:
  01-fagaiwei.md: {column: 1, columns: 5, line: 14, lines: 14, vertical: false}
"""


@pytest.fixture
def desk(tmp_path):
    directory = tmp_path / "page"
    shutil.copytree(SEED, directory)
    (directory / MAKEUP_FILE).write_text(LAID_OUT, encoding="utf-8")
    return Desk(directory / MAKEUP_FILE, directory)


def test_the_desk_takes_up_a_layout_file_it_finds_and_keeps_what_it_says(desk, seed_layout):
    assert desk.pins == {"01-fagaiwei.md": Box(0, 5, 13, 14)}
    desk.apply(Edit("pin", "02-gongxinju.md"), seed_layout)
    text = desk.file.read_text(encoding="utf-8")
    written = yaml.safe_load(text)
    assert written["lede"] == {"column": 1, "columns": 5, "line": 7, "lines": 6}
    assert written["modules"]["01-fagaiwei.md"]["vertical"] is False
    assert set(written["modules"]) == {"01-fagaiwei.md", "02-gongxinju.md"}
    desk.step(back=True)
    assert desk.file.read_text(encoding="utf-8") == LAID_OUT  # byte for byte, comment and all


def test_a_hand_edit_of_the_layout_file_is_a_version_of_its_own(desk, seed_layout):
    desk.apply(Edit("pin", "02-gongxinju.md"), seed_layout)
    assert not desk.changed_outside()  # the make-up's own write
    by_hand = desk.file.read_text(encoding="utf-8").replace('"line": 14,', '"line": 15,')
    desk.file.write_text(by_hand, encoding="utf-8")
    assert desk.changed_outside()
    assert desk.pins["01-fagaiwei.md"].row == 14
    desk.step(back=True)
    assert "02-gongxinju.md" in desk.file.read_text(encoding="utf-8")
    assert '"line": 14,' in desk.file.read_text(encoding="utf-8")


def test_the_rest_of_another_pages_article_is_not_made_up_here(seed_layout):
    rest = seed_layout.modules[-1]
    name = rest.article.file.name
    as_rest = replace(rest, article=replace(rest.article, continued_from=1))
    layout = replace(seed_layout, modules=(*seed_layout.modules[:-1], as_rest))
    with pytest.raises(EditError, match="not a module of this page"):
        next_layout({}, Edit("pin", name), layout)
    assert name in next_layout({}, Edit("pin", name), seed_layout)
