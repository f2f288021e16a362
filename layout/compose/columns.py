"""Body lines poured into a module's text columns.

When every column starts on one line the columns are balanced (they differ
by at most a line); when a narrow photo or quote holds some columns down, the
columns are filled in reading order to a common foot, and the smallest such
foot is the body's height.  A crosshead never ends a column.
"""

from __future__ import annotations

import math

from ..typeset.measure import BodyRow

Columns = tuple[tuple[BodyRow, ...], ...]


def balance(rows: tuple[BodyRow, ...], columns: int) -> Columns:
    """Split body lines over the columns so they differ by at most one line; a
    crosshead moves to the head of the next column, which are balanced again."""
    result: list[tuple[BodyRow, ...]] = []
    start = 0
    for index in range(columns):
        left = columns - index
        end = start + math.ceil((len(rows) - start) / left) if left > 1 else len(rows)
        while left > 1 and start < end - 1 and rows[end - 1].style == "crosshead":
            end -= 1
        result.append(rows[start:end])
        start = end
    return tuple(result)


def pour(rows: tuple[BodyRow, ...], room: list[int]) -> tuple[Columns, tuple[BodyRow, ...]]:
    """Fill columns of `room` lines each in order; the lines left over."""
    result: list[tuple[BodyRow, ...]] = []
    start = 0
    for index, space in enumerate(room):
        end = min(len(rows), start + max(0, space))
        last = index == len(room) - 1
        while (
            not last and end < len(rows) and start < end - 1 and rows[end - 1].style == "crosshead"
        ):
            end -= 1
        result.append(rows[start:end])
        start = end
    return tuple(result), rows[start:]


def fill_columns(
    rows: tuple[BodyRow, ...], room: list[int], *, balanced: bool
) -> tuple[Columns, tuple[BodyRow, ...]]:
    """The text columns of a module given each column's room; the lines with none
    (a draft's overset: a module that fits has none)."""
    if balanced:
        kept = rows[: max(0, sum(room))]
        columns = balance(kept, len(room))
        if max((len(c) for c in columns), default=0) <= min(room, default=0):
            return columns, rows[len(kept) :]
    return pour(rows, room)


def poured_height(rows: tuple[BodyRow, ...], offsets: list[int]) -> tuple[int, int]:
    """The least foot (in lines below the body's top) at which columns starting
    `offsets` lines down hold every line; and the lines of room left empty."""
    foot = max(1, math.ceil(len(rows) / len(offsets)))
    while True:
        room = [max(0, foot - offset) for offset in offsets]
        if not pour(rows, room)[1]:
            return foot, sum(room) - len(rows)
        foot += 1
