"""Slots pinned by the editor, checked before any plan is tried.

A pin is the editor's word, so a slot that cannot be kept is the editor's
error to fix, reported against the slot itself in 1-based columns and lines,
not a fit for the search to work around.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Literal

from ..errors import Problem, SourceError
from ..model.document import Slot
from ..model.layout import Box

if TYPE_CHECKING:
    from .frame import Frame


def pins(frame: Frame) -> dict[str, Box]:
    """The editor's slots as boxes, or a SourceError for every slot that cannot be."""
    slots = {key: a.slot for key, a in frame.articles.items() if a.slot}
    if frame.page.lede and frame.page.lede_slot:
        slots["lede"] = frame.page.lede_slot
    boxes = {
        key: Box.from_slot(slot.column, slot.columns, slot.line, slot.lines)
        for key, slot in slots.items()
    }
    problems = []
    for key, box in boxes.items():
        message = _misplaced(frame, box)
        if message:
            problems.append(_slot_problem(slots[key], message, _slot_hint(frame)))
    for (a, box_a), (b, box_b) in itertools.combinations({**boxes, **frame.ads.pins}.items(), 2):
        if a not in slots:
            continue  # ads (which come last) are held to each other by compose/ads.py
        kind = clash(box_a, box_b, frame.grid.columns)
        if kind == "overlap":
            message = f"overlaps the slot of {frame.name(b)} (a rule needs a line between)"
            hint = f"move one of them; {frame.name(b)} takes {where(box_b)}"
        elif kind == "columns":
            message = f"shares some columns with the slot of {frame.name(b)}, not all"
            hint = "modules stacked in the same columns must span the same columns"
        else:
            continue
        problems.append(_slot_problem(slots[a], message, hint))
    if problems:
        raise SourceError(problems)
    return boxes


def clash(a: Box, b: Box, columns: int) -> Literal["overlap", "columns"] | None:
    """Why two pinned boxes on a grid of `columns` cannot both stand, if they cannot:
    they overlap or touch with no line for the rule between, or they are stacked in
    some of the same columns but not all (a full-width box is a band across)."""
    shared = _overlap(a.column, a.columns, b.column, b.columns)
    if shared and _overlap(a.row, a.rows + 1, b.row, b.rows + 1):
        return "overlap"
    if (
        shared
        and (a.column, a.columns) != (b.column, b.columns)
        and columns not in (a.columns, b.columns)
    ):
        return "columns"
    return None


def _misplaced(frame: Frame, box: Box) -> str | None:
    grid = frame.grid
    if box.column + box.columns > grid.columns:
        last = box.column + box.columns
        return f"columns {box.column + 1}–{last} run past column {grid.columns}"
    if box.row < frame.top:
        above = "the banner" if frame.top == frame.banner_rows else "the banner and the ads above"
        return f"line {box.row + 1} is inside {above} (lines 1–{frame.top})"
    if box.row + box.rows > frame.bottom:
        return f"lines {box.row + 1}–{box.row + box.rows} run past line {frame.bottom}"
    return None


def _slot_hint(frame: Frame) -> str:
    return (
        f"this page has {frame.grid.columns} columns and lines "
        f"{frame.top + 1}–{frame.bottom} free for modules"
    )


def where(box: Box) -> str:
    """A box in the editor's 1-based terms."""
    return (
        f"columns {box.column + 1}–{box.column + box.columns}, "
        f"lines {box.row + 1}–{box.row + box.rows}"
    )


def _overlap(a: int, a_len: int, b: int, b_len: int) -> bool:
    return a < b + b_len and b < a + a_len


def _slot_problem(slot: Slot, message: str, hint: str) -> Problem:
    return Problem(message, slot.file, slot.line_no, "slot", hint)
