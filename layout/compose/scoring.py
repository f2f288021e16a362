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
from .stacking import Fill, fill

# Headlines in adjacent strips whose tops are closer than this butt ("tombstones"),
# unless one is a clear size step larger: the reader then tells them apart, as the
# lead beside the second story at the top of a page is told apart.
TOMBSTONE_ROWS = 2
TOMBSTONE_SIZE_STEP = 4.0  # pt
# A page of articles stacked across the full width reads as a list, not a page: every
# full-width article after the first costs this (a few headline points, far below a hole).
BAND_COST = 6.0
FILLER_COST = 10.0  # a 补白 item placed: the page reads better without one, if it can


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
    lead_largest: bool = False  # the lead stands out by its headline, not its width
    butting: list[tuple[tuple[float, float, str], tuple[float, float, str]]] = field(
        default_factory=list
    )
    fillers: list[str] = field(default_factory=list)  # filler keys placed, each once
    # on a draft: (key, the box it was given) of each item whose lines ran out of room
    short_boxes: list[tuple[str, Box]] = field(default_factory=list)

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
        """`key` measured at `columns`, its headline under this plan's cap if it has one;
        the lead at its largest headline where it is not the widest module."""
        if key == frame.lead and self.lead_largest:
            return frame.largest(key, columns)
        return frame.size(key, columns, self.caps.get(key))


def evaluate(
    frame: Frame, plan: Plan, detail: bool = False, bound: tuple | None = None
) -> Outcome | None:
    """Measure a plan, or None if it breaks a rule of make-up, or once it ranks no
    better than `bound` (a rank only grows as the strips are measured)."""
    if not _follows_rules(frame, plan):
        return None
    out = Outcome(plan, detail, lead_largest=not _lead_widest(frame, plan))
    columns = frame.grid.columns
    row = _band(frame, out)
    if row is None:
        return None
    tops = []
    column = 0
    for position, (width, keys) in enumerate(plan.strips):
        starts = _strip(frame, out, Box(column, width, row, frame.bottom - row), keys)
        if starts is None:
            return None
        tops.append(starts)
        out.cost += 0.01 * (position + 1) * sum(frame.priority.get(k, 0) for k in keys)
        column += width
        if bound is not None and (out.overflow, 0, out.underfill, out.cost) >= bound:
            return None
    for left, right in itertools.pairwise(tops):
        out.butting += [(a, b) for a in left for b in right if _butt(a, b)]
    out.cost += 2 * sum(
        1
        for _, keys in plan.strips
        for a, b in itertools.pairwise([k for k in keys if k in frame.priority])
        if frame.priority[a] > frame.priority[b]
    )
    bands = [k for k in plan.top if k != "lede"] + [
        k for width, keys in plan.strips if width == columns for k in keys if k in frame.priority
    ]
    out.cost += BAND_COST * max(0, len(bands) - 1)
    return out


def _band(frame: Frame, out: Outcome) -> int | None:
    """Set the full-width items under the banner; the row below them, or None if one
    cannot stand there."""
    columns, row = frame.grid.columns, frame.top
    for key in out.plan.top:
        item = out.item(frame, key, columns)
        pin = frame.pins.get(key)
        if not item.fits or (pin is not None and (pin.row, pin.columns) != (row, columns)):
            return None
        rows = pin.rows if pin else item.min_rows
        _stack(frame, out, [item], Box(0, columns, row, rows))
        row += rows + 1  # and a rule under it
    return row


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


def _widths(frame: Frame, plan: Plan) -> dict[str, int]:
    widths = {
        k: w for w, keys in plan.strips for k in keys if k != "lede" and k not in frame.ad_items
    }
    widths.update((k, frame.grid.columns) for k in plan.top if k != "lede")
    return widths


def _lead_widest(frame: Frame, plan: Plan) -> bool:
    widths = _widths(frame, plan)
    return widths[frame.lead] >= max(widths.values())


def _lead_stands_out(frame: Frame, plan: Plan) -> bool:
    """The lead has the widest module or can have the largest headline of the page
    (whether it does depends on the variants chosen: `_lead_largest`)."""
    if _lead_widest(frame, plan):
        return True
    widths = _widths(frame, plan)
    lead_pt = frame.size(frame.lead, widths.pop(frame.lead)).headline_pt
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
        starts += _stack(frame, out, items, room, previous)
        if key is not None and pin is not None:  # a pin is only looked up for a key
            item = out.item(frame, key, width)
            if not item.fits:
                return None
            starts += _stack(frame, out, [item], Box(column, width, pin.row, pin.rows), key)
            cursor = pin.row + pin.rows
        previous, run = (key if key is not None else previous), []
    return starts


def _stack(
    frame: Frame, out: Outcome, items: list[Sized], room: Box, after: str = ""
) -> list[tuple[float, float, str]]:
    """Set `items` one under another, a rule line between, in `room`.

    Each item takes the height of its variant that fills the stack best
    (stacking.fill); a foot left more than MAX_HOLE_ROWS empty takes a filler
    if one unused fits; what is left is a hole at the foot, said to follow
    `after` if the stack is empty.  Returns where articles start and their
    headline sizes (for tombstones).
    """
    items, chosen = _with_fillers(frame, out, items, room)
    keys = tuple(item.key for item in items)
    if chosen.overflow:
        out.short.append((chosen.overflow, room.columns, keys))
        if out.detail:
            _draft_stack(out, items, room)
        return []
    starts, cursor = [], room.row
    for item, rows in zip(items, chosen.rows, strict=True):
        if item.key in frame.priority:  # an article or filler: the lede and ads have no headline
            top, size = item.headline_at(rows)
            starts.append((cursor + top, size, item.key))
        if out.detail:
            out.placed.append((item.key, Box(room.column, room.columns, cursor, rows)))
        cursor += rows + 1
    out.cost += chosen.cost
    slack = chosen.hole
    if chosen.underfill:
        out.gaps.append((chosen.underfill, room.columns, keys))
    if slack and out.detail:
        hole = Box(room.column, room.columns, room.row + room.rows - slack, slack)
        out.holes.append(Hole(hole, keys[-1] if keys else after))
    return starts


def _with_fillers(
    frame: Frame, out: Outcome, items: list[Sized], room: Box
) -> tuple[list[Sized], Fill]:
    """The stack's fill; where it leaves underfill, with unused fillers at its foot
    while each one makes the hole smaller."""
    chosen = fill(items, room.rows, frame.stacks)
    for key in frame.fillers:
        if not chosen.underfill:
            break
        extra = frame.size(key, room.columns)
        if key in out.fillers or not extra.fits:
            continue
        tried = fill([*items, extra], room.rows, frame.stacks)
        tried = Fill(tried.rows, tried.hole, tried.cost + FILLER_COST)
        if tried.overflow == 0 and tried.underfill < chosen.underfill:
            items, chosen = [*items, extra], tried
            out.fillers.append(key)
    return items, chosen


def _draft_stack(out: Outcome, items: list[Sized], room: Box) -> None:
    """Place an overfull stack for the draft: each item at its least height while
    the room lasts; the lines that find none are the draft's overset."""
    cursor, bottom = room.row, room.row + room.rows
    for item in items:
        rows = min(item.min_rows, bottom - cursor)
        box = Box(room.column, room.columns, cursor, max(rows, 0))
        if rows < item.min_rows:
            out.short_boxes.append((item.key, box))
        if rows > 0:
            out.placed.append((item.key, box))
        cursor = min(bottom, cursor + max(rows, 0) + 1)


def step_down(frame: Frame, out: Outcome) -> Plan:
    """The plan again with the lesser of each pair of butting headlines a size step
    smaller than the other, as a make-up editor breaks a tombstone."""
    caps = dict(out.caps)
    for a, b in out.butting:
        big, small = sorted(
            (a, b), key=lambda start: frame.priority.get(start[2], len(frame.priority))
        )
        if small[2] != frame.lead:
            caps[small[2]] = min(caps.get(small[2], big[1]), big[1] - TOMBSTONE_SIZE_STEP)
    return Plan(out.plan.top, out.plan.strips, tuple(sorted(caps.items())))


def _butt(a: tuple[float, float, str], b: tuple[float, float, str]) -> bool:
    """Two headlines (row of the first line, size, key) side by side read as one."""
    return abs(a[0] - b[0]) < TOMBSTONE_ROWS and abs(a[1] - b[1]) < TOMBSTONE_SIZE_STEP
