"""Make-up on the live proof: an editor's edit turned into the page's next layout file.

The browser sends one edit at a time (move or resize a module to a slot, pin
or unpin it, swap two, re-compose the rest); the server checks it against the
page as last composed, writes the layout file's next version and rebuilds the
page through the normal pipeline with it.  A module the file lists is pinned;
the others float and are fitted around the pins.  Everything about an edit is
checked before anything is written: its size and shape, that it names an
article of the page by file name only, that its slot lies on the grid below
the banner and above the credits, clear of every other pin and ad; the file
it makes must then pass the layout file's own validation
(`sources/layout_file.py`).  The file is the page's makeup.yaml, which every
build of the page takes, or one given to `serve --layout`.  Each version is
kept, so undo and redo step through them.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar, get_args

from ..compose.pins import clash, where
from ..errors import Problem, SourceError
from ..model.copy import MAKEUP_FILE
from ..model.layout import Box, Layout
from ..output.write import write_atomically
from ..sources.explain import read_model
from ..sources.layout_file import load_layout, slot_of
from ..sources.models import LayoutSource
from ..sources.page import load_page

Action = Literal["move", "resize", "pin", "unpin", "swap", "recompose"]
MAX_EDIT_BYTES = 2048  # an edit is a few names and numbers
MAX_VERSIONS = 50  # undo and redo reach this far back
V = TypeVar("V")
SLOT_FIELDS = ("column", "columns", "line", "lines")


class EditError(ValueError):
    """An edit the server refuses, with the reason the browser shows (HTTP 400)."""


@dataclass(frozen=True)
class Edit:
    action: Action
    article: str | None = None  # its file name, as the layout file names it
    slot: Mapping[str, int] | None = None  # 1-based, as the layout file writes it
    other: str | None = None  # the module a swap exchanges places with


def parse_edit(body: bytes) -> Edit:
    """The edit a request's body holds; EditError for anything but a small, well-formed one."""
    if len(body) > MAX_EDIT_BYTES:
        raise EditError(f"an edit is at most {MAX_EDIT_BYTES} bytes; this one has {len(body)}")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise EditError("an edit is a JSON object") from None
    if not isinstance(data, dict) or data.get("action") not in get_args(Action):
        raise EditError("an edit names its action: " + ", ".join(get_args(Action)))
    unknown = set(data) - {"action", "article", "slot", "other"}
    if unknown:
        raise EditError(f"unknown fields: {', '.join(sorted(map(str, unknown)))}")
    article, other = (file_name(data.get(key), key) for key in ("article", "other"))
    if data["action"] != "recompose" and article is None:
        raise EditError(f"a {data['action']} names its article")
    if data["action"] == "swap" and other is None:
        raise EditError("a swap names the other article")
    slot = _slot(data.get("slot")) if data["action"] in ("move", "resize") else None
    return Edit(data["action"], article, slot, other)


def file_name(value: object, key: str) -> str | None:
    """An article's file name: a name only, never a path."""
    if value is None:
        return None
    if not isinstance(value, str) or not value or "/" in value or "\\" in value or value[0] == ".":
        raise EditError(f"{key} is an article's file name, e.g. 03-kejiju.md")
    return value


def _slot(value: object) -> dict[str, int]:
    if not isinstance(value, dict) or set(value) != set(SLOT_FIELDS):
        raise EditError("a slot is {column, columns, line, lines}")
    if not all(isinstance(value[k], int) and not isinstance(value[k], bool) for k in value):
        raise EditError("a slot's fields are whole numbers")
    return {key: value[key] for key in SLOT_FIELDS}


def next_layout(pins: Mapping[str, Box], edit: Edit, layout: Layout) -> dict[str, Box]:
    """The pins after `edit`, on the page as last composed (`layout`): a moved or resized
    module pinned at its slot, a swap pinning each at the other's place; EditError if the
    edit names no module of the page, or puts one off the grid, in the banner, or where
    another pin or an ad stands."""
    boxes = {  # the rest of another page's article is placed by the composer, never pinned
        module.article.file.name: module.box
        for module in layout.modules
        if module.article.continued_from is None
    }
    for name in filter(None, (edit.article, edit.other)):
        if name not in boxes:
            raise EditError(f"{name} is not a module of this page")
    pinned = dict(pins)
    if edit.action in ("move", "resize"):
        assert edit.article is not None and edit.slot is not None
        pinned[edit.article] = _on_grid(edit.slot, layout)
    elif edit.action == "pin":
        assert edit.article is not None
        pinned[edit.article] = boxes[edit.article]
    elif edit.action == "unpin":
        pinned.pop(edit.article or "", None)
    elif edit.action == "swap":
        assert edit.article is not None and edit.other is not None
        pinned.update(swapped(edit.article, edit.other, boxes))
    for name in filter(None, (edit.article, edit.other)):
        if name in pinned and edit.action != "unpin":
            _clear_of_others(name, pinned, layout)
    return pinned


def swapped(a: str, b: str, boxes: Mapping[str, Box]) -> dict[str, Box]:
    """Two modules' places exchanged.  Stacked in the same columns, they change order and
    each keeps its height (the lower one goes up to where the upper began, the upper down
    to end where the lower ended); elsewhere each takes the other's box."""
    box_a, box_b = boxes[a], boxes[b]
    if (box_a.column, box_a.columns) != (box_b.column, box_b.columns):
        return {a: box_b, b: box_a}
    (upper, high), (lower, low) = sorted(((a, box_a), (b, box_b)), key=lambda kv: kv[1].row)
    end = low.row + low.rows
    return {
        lower: Box(low.column, low.columns, high.row, low.rows),
        upper: Box(high.column, high.columns, end - high.rows, high.rows),
    }


def _clear_of_others(name: str, pinned: Mapping[str, Box], layout: Layout) -> None:
    """EditError if `name`'s pin overlaps another pin or an ad, as the composer would refuse."""
    box = pinned[name]
    ads = {f"the ad {placed.ad.name}": placed.box for placed in layout.ads if placed.box}
    for other, standing in {**pinned, **ads}.items():
        if other == name:
            continue
        kind = clash(box, standing, layout.grid.columns)
        if kind == "overlap":
            raise EditError(f"{name} would overlap {other}, which is pinned at {where(standing)}")
        if kind == "columns":
            raise EditError(
                f"{name} would share some of the columns of {other} ({where(standing)}), "
                "not all: modules stacked in the same columns span the same columns"
            )


def free_rows(layout: Layout) -> tuple[int, int]:
    """The lines a module may take, [first, end): under the banner and its rule, above
    the credits' rule."""
    banner = layout.banner.box if layout.banner else None
    first = banner.row + banner.rows + 1 if banner else 0
    end = layout.credits.row if layout.credits else layout.grid.rows
    return first, end


def _on_grid(slot: Mapping[str, int], layout: Layout) -> Box:
    grid = layout.grid
    box = Box.from_slot(**slot)
    first, end = free_rows(layout)
    if box.columns < 1 or box.rows < 1 or box.column < 0 or box.column + box.columns > grid.columns:
        raise EditError(f"the slot is off the grid: columns 1–{grid.columns}")
    if box.row + box.rows > end:
        raise EditError(f"the slot is off the grid: a module ends at line {end} or above")
    if box.row < first:
        raise EditError(f"the slot is in the banner: a module starts at line {first + 1} or below")
    return box


def layout_text(layout: Layout, pins: Mapping[str, Box], kept: Kept | None = None) -> str:
    """The layout file pinning `pins` on the page's format and body size, keeping what
    the file held beside the slots (`Kept`)."""
    kept = kept or Kept()
    grid = layout.grid
    lines = [
        "# Written by the live proof's make-up: the modules listed are pinned, the others float.",
        f"format: {grid.format.name}",
        f"body: {grid.em:g}",
    ]
    if kept.lede is not None:
        lines.append(f"lede: {json.dumps(kept.lede)}")
    lines.append("modules:" if pins else "modules: {}")
    lines += [
        f"  {json.dumps(name, ensure_ascii=False)}: {json.dumps(_entry(name, box, kept))}"
        for name, box in pins.items()
    ]
    return "\n".join(lines) + "\n"


def _entry(name: str, box: Box, kept: Kept) -> dict[str, int | bool]:
    vertical = kept.vertical.get(name)
    return {**slot_of(box), **({"vertical": vertical} if vertical is not None else {})}


@dataclass(frozen=True)
class Kept:
    """What a layout file says besides its modules' slots, kept when the make-up rewrites it."""

    lede: dict[str, int] | None = None
    vertical: Mapping[str, bool] = field(default_factory=dict)


def read_pins(file: Path) -> tuple[dict[str, Box], Kept]:
    """The slots a layout file pins, and the rest it says; none of a file that is not
    valid (its build says why)."""
    missing = Problem("layout file not found", file)
    try:
        _, source = read_model(file, LayoutSource, missing)
    except SourceError:
        return {}, Kept()
    pins = {
        name: Box.from_slot(slot.column, slot.columns, slot.line, slot.lines)
        for name, slot in source.modules.items()
    }
    vertical = {name: m.vertical for name, m in source.modules.items() if m.vertical is not None}
    lede = source.lede.model_dump() if source.lede else None
    return pins, Kept(lede, vertical)


@dataclass
class History(Generic[V]):
    """The versions made, oldest first, and the one in force: undo and redo move between
    them, an edit after an undo drops the versions it had undone."""

    versions: list[V] = field(default_factory=list)
    index: int = -1

    @property
    def current(self) -> V | None:
        return self.versions[self.index] if self.index >= 0 else None

    @property
    def can_undo(self) -> bool:
        return self.index > 0

    @property
    def can_redo(self) -> bool:
        return self.index < len(self.versions) - 1

    def push(self, version: V) -> None:
        self.versions = [*self.versions[: self.index + 1], version][-MAX_VERSIONS:]
        self.index = len(self.versions) - 1

    def undo(self) -> V:
        if not self.can_undo:
            raise EditError("nothing to undo")
        self.index -= 1
        return self.versions[self.index]

    def redo(self) -> V:
        if not self.can_redo:
            raise EditError("nothing to redo")
        self.index += 1
        return self.versions[self.index]


Version = tuple[str | None, dict[str, Box]]  # the file's text (None: no file), its pins


@dataclass
class Desk:
    """One page's make-up: its layout file and the versions of it made while served, the
    first being the file as it was (None: no file)."""

    file: Path
    page_directory: Path
    history: History[Version] = field(default_factory=History)
    kept: Kept = field(default_factory=Kept)

    def __post_init__(self) -> None:
        self._take(self._read())

    @property
    def pins(self) -> dict[str, Box]:
        current = self.history.current
        return dict(current[1]) if current is not None else {}

    @property
    def text(self) -> str | None:
        """The layout file as the make-up last wrote it (or found it)."""
        current = self.history.current
        return current[0] if current is not None else None

    def changed_outside(self) -> bool:
        """The file differs from the make-up's version: an editor changed it by hand.
        That change becomes a version of its own, so it too can be undone."""
        text = self._read()
        if text == self.text:
            return False
        self._take(text)
        return True

    def apply(self, edit: Edit, layout: Layout) -> None:
        """Write the layout file `edit` makes of the page as last composed; EditError, and
        nothing written, if the edit or the file it makes is refused."""
        pins = next_layout(self.pins, edit, layout)
        text = layout_text(layout, pins, self.kept)
        self._check(text)
        write_atomically(self.file, text.encode())
        self.history.push((text, pins))

    def step(self, *, back: bool) -> None:
        """Undo or redo one edit: the layout file as it was then (removed if there was none)."""
        text, _ = self.history.undo() if back else self.history.redo()
        if text is None:
            self.file.unlink(missing_ok=True)
        else:
            write_atomically(self.file, text.encode())

    def _read(self) -> str | None:
        return self.file.read_text(encoding="utf-8") if self.file.is_file() else None

    def _take(self, text: str | None) -> None:
        """The file as found (`text`, None if there is none) as the next version."""
        pins, self.kept = read_pins(self.file) if text is not None else ({}, Kept())
        self.history.push((text, pins))

    def _check(self, text: str) -> None:
        """The layout file's own validation, on a copy outside the page directory."""
        with tempfile.TemporaryDirectory(prefix="newspage-makeup-") as scratch:
            trial = Path(scratch) / MAKEUP_FILE
            trial.write_text(text, encoding="utf-8")
            try:
                load_layout(trial, load_page(self.page_directory))
            except SourceError as error:
                raise EditError(str(error).replace(str(trial), self.file.name)) from None
