"""Plan enumeration: every way the make-up man could cut the type area into strips.

Which arrangements exist is a question of columns, pins and the order of the
articles, not of how long they are; kept apart from measuring and scoring,
the candidates can be read, and counted, on their own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .frame import Frame


@dataclass(frozen=True)
class Plan:
    top: tuple[str, ...]  # full-width items under the banner, top to bottom
    strips: tuple[tuple[int, tuple[str, ...]], ...]  # (columns, item keys top to bottom)
    caps: tuple[tuple[str, float], ...] = ()  # headlines held below a neighbour's size


def _compositions(total: int, minimum: int = 1) -> Iterator[tuple[int, ...]]:
    """Ordered ways to cut `total` columns into strips of at least `minimum`."""
    if total >= minimum:
        yield (total,)
    for first in range(minimum, total - minimum + 1):
        for rest in _compositions(total - first, minimum):
            yield (first, *rest)


def _splits(
    order: Sequence[str], may_be_empty: Sequence[bool]
) -> Iterator[tuple[tuple[str, ...], ...]]:
    """Cut `order` into consecutive groups, one per strip; only some strips may get none."""

    def cut(start: int, index: int) -> Iterator[tuple[tuple[str, ...], ...]]:
        if index == len(may_be_empty) - 1:
            if start < len(order) or may_be_empty[index]:
                yield (tuple(order[start:]),)
            return
        for end in range(start + (0 if may_be_empty[index] else 1), len(order) + 1):
            for rest in cut(end, index + 1):
                yield (tuple(order[start:end]), *rest)

    yield from cut(0, 0)


def _orders(keys: Sequence[str], lead: str, anywhere: bool) -> Iterator[tuple[str, ...]]:
    """Orders to cut into strips: the lead first, the rest permuted
    while that stays cheap; around pins the lead may open any strip, so all are tried."""
    if anywhere:
        yield from itertools.permutations(keys) if len(keys) <= 6 else [tuple(keys)]
        return
    head = (lead,) if lead in keys else ()
    rest = [k for k in keys if k != lead]
    for perm in itertools.permutations(rest) if len(rest) <= 5 else [tuple(rest)]:
        yield (*head, *perm)


def _interleave(free: tuple[str, ...], pinned: list[str]) -> Iterator[tuple[str, ...]]:
    """Every way to set the pinned keys (in order) among the free ones, which keep theirs."""
    for cuts in itertools.combinations_with_replacement(range(len(free) + 1), len(pinned)):
        stack: list[str] = []
        last = 0
        for cut_at, key in zip(cuts, pinned, strict=True):
            stack.extend(free[last:cut_at])
            stack.append(key)
            last = cut_at
        yield (*stack, *free[last:])


def plans(frame: Frame) -> Iterator[Plan]:
    keys = (["lede"] if frame.page.lede else []) + list(frame.articles) + list(frame.ad_items)
    for top in _tops(frame):
        rest = [k for k in keys if k not in top]
        if not rest:
            continue
        pinned = sorted((k for k in rest if k in frame.pins), key=lambda k: frame.pins[k].row)
        free = [k for k in rest if k not in frame.pins]
        for widths in _compositions(frame.grid.columns):
            starts = [sum(widths[:i]) for i in range(len(widths))]
            spans = list(zip(starts, widths, strict=True))
            owner = {k: (frame.pins[k].column, frame.pins[k].columns) for k in pinned}
            if not all(span in spans for span in owner.values()):
                continue
            held = [[k for k in pinned if owner[k] == span] for span in spans]
            if any(w == 1 and not keys_ for w, keys_ in zip(widths, held, strict=True)):
                continue  # a single column stands alone only where the editor put it
            orders = _orders(free, frame.lead, bool(frame.pins))
            if len(free) > 6 and not frame.pins:  # too many to permute: add a packed order
                orders = itertools.chain(orders, [_packed(frame, free, widths)])
            for order in orders:
                for groups in _splits(order, [bool(h) for h in held]):
                    yield from _strip_sets(top, widths, groups, held)


def _tops(frame: Frame) -> list[tuple[str, ...]]:
    """What may run full width under the banner: nothing, the lede, the lead, or both."""
    tops: list[tuple[str, ...]] = [()]
    if frame.page.lede:
        tops.append(("lede",))
    if len(frame.page.articles) > 1:
        tops.append((frame.lead,))
        if frame.page.lede:
            tops.append(("lede", frame.lead))
    full = {k for k, box in frame.pins.items() if box.columns == frame.grid.columns}
    for key in sorted(full - {"lede", frame.lead}, key=frame.priority.__getitem__):
        tops.append((key,))
    # a full-width pin not in the band under the banner stands in a full-width strip,
    # which the pins' spans check in `plans` (several full-width modules stacked)
    return tops


def _packed(frame: Frame, keys: list[str], widths: tuple[int, ...]) -> tuple[str, ...]:
    """An order whose cut into `widths` levels the strips: each article, by priority,
    goes to the strip with the most lines left, as a make-up editor fills a page."""
    groups: list[list[str]] = [[] for _ in widths]
    room = [frame.area_rows] * len(widths)
    queue = [k for k in keys if k not in (frame.lead, "lede")]
    if frame.lead in keys:
        groups[0].append(frame.lead)
        room[0] -= frame.size(frame.lead, widths[0]).min_rows + 1
    if "lede" in keys:
        groups[-1].append("lede")
        room[-1] -= frame.size("lede", widths[-1]).min_rows + 1
    for key in queue:
        index = max(range(len(widths)), key=lambda i: room[i] / max(1, len(groups[i]) + 1))
        groups[index].append(key)
        room[index] -= frame.size(key, widths[index]).min_rows + 1
    return tuple(k for group in groups for k in group)


def _strip_sets(top, widths, groups, held) -> Iterator[Plan]:
    stacks = [list(_interleave(group, keys_)) for group, keys_ in zip(groups, held, strict=True)]
    for chosen in itertools.product(*stacks):
        yield Plan(top, tuple(zip(widths, chosen, strict=True)))
