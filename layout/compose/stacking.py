"""Share a stack's lines among its items: the heights that fill it best.

Each item can take only some heights (its variants), each at a cost; the
stack's items, one rule line apart, should fill its room exactly or leave a
hole of at most two lines.  A small knapsack over the heights finds the
cheapest such choice; the sum does not depend on the order of the items, so
one answer serves every plan that stacks the same items in the same room.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .sizes import Sized

MAX_HOLE_ROWS = 2  # a stack may end this many lines short; more is underfill
HOLE_COST = 100.0  # per empty line at a stack's foot


@dataclass(frozen=True)
class Fill:
    """The heights chosen for a stack's items, in their order, and what is left."""

    rows: tuple[int, ...]
    hole: int  # empty lines at the foot; negative: lines over (overset)
    cost: float

    @property
    def underfill(self) -> int:
        return max(0, self.hole - MAX_HOLE_ROWS)

    @property
    def overflow(self) -> int:
        return max(0, -self.hole)


def fill(items: Sequence[Sized], room: int, memo: dict) -> Fill:
    """The cheapest heights for `items` in `room` lines, holes costing most; if even
    their least heights do not fit, those, with the overflow as a negative hole.
    `memo` lives as long as the items (a Frame's), whose identity keys it."""
    asked = (tuple(map(id, items)), room)
    if asked not in memo:
        ordered = sorted(items, key=lambda item: item.key)  # keys differ; ids vary by run
        key = (tuple(map(id, ordered)), room)
        if key not in memo:
            memo[key] = _knapsack(ordered, room)
        chosen = memo[key]
        heights = {item.key: rows for item, rows in zip(ordered, chosen.rows, strict=True)}
        memo[asked] = Fill(tuple(heights[item.key] for item in items), chosen.hole, chosen.cost)
    return memo[asked]


def _knapsack(items: Sequence[Sized], room: int) -> Fill:
    rules = max(0, len(items) - 1)
    least = sum(item.min_rows for item in items) + rules
    if least > room:
        return Fill(
            tuple(item.min_rows for item in items),
            room - least,
            sum(item.costs[item.min_rows] for item in items),
        )
    # totals reachable → (cost, heights so far); each item's heights within the room
    states: dict[int, tuple[float, tuple[int, ...]]] = {rules: (0.0, ())}
    for item in items:
        grown: dict[int, tuple[float, tuple[int, ...]]] = {}
        for total, (cost, rows) in states.items():
            for height, price in item.costs.items():
                reach = total + height
                if reach > room:
                    continue
                value = cost + price
                if reach not in grown or value < grown[reach][0]:
                    grown[reach] = (value, (*rows, height))
        states = grown
    total, (cost, rows) = min(
        states.items(),
        key=lambda kv: (
            max(0, room - kv[0] - MAX_HOLE_ROWS),
            kv[1][0] + HOLE_COST * (room - kv[0]),
        ),
    )
    return Fill(rows, room - total, cost + HOLE_COST * (room - total))
