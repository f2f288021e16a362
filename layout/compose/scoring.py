"""Scoring: one plan measured with real line counts, and the rules of make-up it must keep.

Enumeration proposes and this module judges; the rank it gives an outcome
(overset first, then tombstones, underfill, cost) is the whole of the
search's taste, so it lives in one place.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ..model.layout import Box, Hole
from .frame import Frame
from .plans import Plan
from .sizes import Sized

MAX_HOLE_ROWS = 2  # a stack may end this many lines short; more is underfill
# Headlines in adjacent strips whose tops are closer than this butt ("tombstones"),
# unless one is a clear size step larger: the reader then tells them apart, as the
# lead beside the second story at the top of a page is told apart.
TOMBSTONE_ROWS = 2
TOMBSTONE_SIZE_STEP = 4.0  # pt


@dataclass
class Outcome:
    """One plan measured: what is over, what is empty, what it costs."""

    plan: Plan
    detail: bool = False  # also record where everything goes
    cost: float = 0.0
    # (rows, columns, keys that could give or take them) for each stack over or under
    short: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    gaps: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    placed: list[tuple[str, Box]] = field(default_factory=list)
    holes: list[Hole] = field(default_factory=list)
    caps: dict[str, float] = field(default_factory=dict)
    butting: list[tuple[tuple[float, float, str], tuple[float, float, str]]] = field(
        default_factory=list
    )

    def __post_init__(self) -> None:
        self.caps = dict(self.plan.caps)

    @property
    def overflow(self) -> int:
        """Rows the items need beyond their room, summed over the stacks."""
        return sum(rows for rows, _, _ in self.short)

    @property
    def underfill(self) -> int:
        """Empty rows beyond MAX_HOLE_ROWS, summed over the stacks."""
        return sum(rows for rows, _, _ in self.gaps)

    @property
    def tombstones(self) -> int:
        return len(self.butting)

    @property
    def rank(self) -> tuple[int, int, int, float]:
        return (self.overflow, self.tombstones, self.underfill, self.cost)

    def item(self, frame: Frame, key: str, columns: int) -> Sized:
        """`key` measured at `columns`, its headline under this plan's cap if it has one."""
        return frame.size(key, columns, self.caps.get(key))


def evaluate(frame: Frame, plan: Plan, detail: bool = False) -> Outcome | None:
    """Measure a plan, or None if it breaks a rule of make-up."""
    if not _follows_rules(frame, plan):
        return None
    out = Outcome(plan, detail)
    columns = frame.grid.columns
    row = frame.banner_rows
    for key in plan.top:
        item = out.item(frame, key, columns)
        if not item.fits:
            return None
        pin = frame.pins.get(key)
        if pin is not None and (pin.row, pin.columns) != (row, columns):
            return None
        rows = pin.rows if pin else item.min_rows
        _stack(out, [item], Box(0, columns, row, rows))
        row += rows + 1  # and a rule under it
    tops = []
    column = 0
    for position, (width, keys) in enumerate(plan.strips):
        starts = _strip(frame, out, Box(column, width, row, frame.bottom - row), keys)
        if starts is None:
            return None
        tops.append(starts)
        out.cost += 0.01 * (position + 1) * sum(frame.priority.get(k, 0) for k in keys)
        column += width
    for left, right in itertools.pairwise(tops):
        out.butting += [(a, b) for a in left for b in right if _butt(a, b)]
    out.cost += 2 * sum(
        1
        for _, keys in plan.strips
        for a, b in itertools.pairwise([k for k in keys if k != "lede"])
        if frame.priority[a] > frame.priority[b]
    )
    return out


def detailed(frame: Frame, plan: Plan) -> Outcome:
    """A plan `evaluate` has accepted, measured again with where everything goes."""
    out = evaluate(frame, plan, detail=True)
    assert out is not None, "detail changes what is recorded, not whether the plan is kept"
    return out


def _follows_rules(frame: Frame, plan: Plan) -> bool:
    lead, lede = frame.lead, frame.page.lede
    first = plan.strips[0][1]
    for _, keys in plan.strips:
        if "lede" in keys and keys[0] != "lede" and "lede" not in frame.pins:
            return False  # the lede heads its strip, never sits between articles
        if lead in keys and keys[0] != lead and lead not in frame.pins:
            return False  # the lead article opens its strip
    if lead not in frame.pins:
        pinned_first = any(k in frame.pins for k in first)
        if lead not in plan.top and first[0] != lead and not pinned_first:
            return False  # the lead article belongs at the top left, unless a pin is there
        if lead in plan.top and "lede" not in plan.top and lede and "lede" not in frame.pins:
            return False  # the lede sits under the banner, never below the lead
        return _lead_stands_out(frame, plan)
    return True


def _lead_stands_out(frame: Frame, plan: Plan) -> bool:
    """The lead has the widest module or the largest headline of the page."""
    widths = {k: w for w, keys in plan.strips for k in keys if k != "lede"}
    widths.update((k, frame.grid.columns) for k in plan.top if k != "lede")
    lead_width = widths.pop(frame.lead)
    if not widths or lead_width >= max(widths.values()):
        return True
    lead_pt = frame.size(frame.lead, lead_width).headline_pt
    return all(lead_pt >= frame.size(k, w).headline_pt for k, w in widths.items())


def _strip(
    frame: Frame, out: Outcome, area: Box, keys: tuple[str, ...]
) -> list[tuple[float, float, str]] | None:
    """Stack a strip down `area`, pins at their lines; (start row, headline pt) of each."""
    column, width, top = area.column, area.columns, area.row
    starts: list[tuple[float, float, str]] = []
    cursor, run, previous = top, [], "the top"
    for key in (*keys, None):
        pin = frame.pins.get(key) if key is not None else None
        if key is not None and pin is None:
            run.append(key)
            continue
        items = [out.item(frame, k, width) for k in run]
        if not all(item.fits for item in items):
            return None
        above = 1 if run and cursor > top else 0  # a rule under what is above the run
        below = 1 if pin and (run or cursor > top) else 0  # a rule over the pin
        if pin is not None and pin.row < top:
            return None  # the pin is where the full-width band under the banner is
        end = pin.row if pin else area.row + area.rows
        room = Box(column, width, cursor + above, end - cursor - above - below)
        starts += _stack(out, items, room, previous)
        if key is not None and pin is not None:  # a pin is only looked up for a key
            item = out.item(frame, key, width)
            if not item.fits:
                return None
            starts += _stack(out, [item], Box(column, width, pin.row, pin.rows), key)
            cursor = pin.row + pin.rows
        previous, run = (key if key is not None else previous), []
    return starts


def _stack(
    out: Outcome, items: list[Sized], room: Box, after: str = ""
) -> list[tuple[float, float, str]]:
    """Set `items` one under another, a rule line between, in `room`.

    Spare lines go to photos and headline air in order; what is left is a hole at
    the foot, said to follow `after` if the stack is empty.  Returns where
    articles start and their headline sizes (for tombstones).
    """
    keys = tuple(item.key for item in items)
    need = sum(item.min_rows for item in items) + max(0, len(items) - 1)
    slack = room.rows - need
    if slack < 0:
        out.short.append((-slack, room.columns, keys))
        return []
    starts, cursor = [], room.row
    for item in items:
        give = min(item.stretch, slack)
        slack -= give
        if item.key != "lede":
            starts.append((cursor + item.headline_at(give), item.headline_pt, item.key))
        if out.detail:
            box = Box(room.column, room.columns, cursor, item.min_rows + give)
            out.placed.append((item.key, box))
        out.cost += item.quality
        cursor += item.min_rows + give + 1
    if slack:
        out.cost += 100 * slack
        if slack > MAX_HOLE_ROWS:
            out.gaps.append((slack - MAX_HOLE_ROWS, room.columns, keys))
        if out.detail:
            hole = Box(room.column, room.columns, room.row + room.rows - slack, slack)
            out.holes.append(Hole(hole, keys[-1] if keys else after))
    return starts


def step_down(frame: Frame, out: Outcome) -> Plan:
    """The plan again with the lesser of each pair of butting headlines a size step
    smaller than the other, as a make-up editor breaks a tombstone."""
    caps = dict(out.caps)
    for a, b in out.butting:
        big, small = sorted((a, b), key=lambda start: frame.priority[start[2]])
        if small[2] != frame.lead:
            caps[small[2]] = min(caps.get(small[2], big[1]), big[1] - TOMBSTONE_SIZE_STEP)
    return Plan(out.plan.top, out.plan.strips, tuple(sorted(caps.items())))


def _butt(a: tuple[float, float, str], b: tuple[float, float, str]) -> bool:
    """Two headlines (row of the first line, size, key) side by side read as one."""
    return abs(a[0] - b[0]) < TOMBSTONE_ROWS and abs(a[1] - b[1]) < TOMBSTONE_SIZE_STEP
