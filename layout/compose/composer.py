"""Compose the page: give every article a rectangle of whole columns and lines.

The type area is cut like a newspaper make-up man cuts it: the banner across
the top, then optionally one full-width item (the lede or the lead article),
then vertical strips of whole columns, each a stack of modules.  Every
arrangement of the items into strips is measured with the real line counts
and scored; the best one is kept.  A strip's spare lines go first to
photos (cropped at most 10 % a side), then to air around headlines; what is
left is a hole.  Copy that does not fit, or a page too empty to fill, is an
error that says by how much, never a clipped or gappy page.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from ..errors import FitError, OversetError, Problem, SourceError, UnderfillError
from ..model.document import Article, Image, Page, Slot
from ..model.grid import Grid
from ..model.layout import Banner, Box, Hole, Layout, Lede, Module, PlacedImage
from ..typeset.fonts import Role
from ..typeset.measure import BodyRow, Heading, Typesetter

MAX_HOLE_ROWS = 2  # a stack may end this many lines short; more is underfill
MAX_HEADLINE_LINES = 3
HEAD_AIR_ROWS = 2  # extra lines a headline block may take to fill its strip
MIN_BODY_ROWS = 6  # a body column shorter than this reads badly
# Headlines in adjacent strips whose tops are closer than this butt ("tombstones"),
# unless one is a clear size step larger: the reader then tells them apart, as the
# lead beside the second story at the top of a page is told apart.
TOMBSTONE_ROWS = 2
TOMBSTONE_SIZE_STEP = 4.0  # pt

BANNER_SIZES = (72.0, 66.0, 60.0, 54.0, 48.0, 42.0, 36.0)
LEAD_SIZES = (30.0, 28.0, 26.0, 24.0, 22.0, 20.0)
HEADLINE_SIZES = (24.0, 22.0, 20.0, 18.0, 16.0, 14.0)
KICKER_PT = 11.0
SUBHEAD_PT = 10.5
BYLINE_PT = 9.0
CAPTION_PT = 8.5
LEDE_PT = 11.0
LEDE_LEADING = 1.7
CREDITS_ROWS = 2


# --- measured items ------------------------------------------------------------------


@dataclass
class _Sized:
    """An item measured at one width: the lines it needs and how far it can stretch."""

    key: str  # article slug or "lede"
    columns: int
    min_rows: int
    stretch: int  # rows it can absorb (air, photo growth)
    quality: float  # lower is better: smaller headline, short columns
    build: object = field(repr=False)  # callable(rows, column, row) -> placed element
    headline_pt: float = 0.0
    body: tuple[BodyRow, ...] = ()  # an article's body lines, for cuts and additions
    body_rows: int = 0  # lines of its longest body column here
    fits: bool = True  # False where the headline would need more than three lines
    # rows from the item's top to its headline's first line, given the rows it was given
    headline_at: Callable[[int], float] = field(default=lambda give: 0.0, repr=False)


def _head_headings(
    article: Article, ts: Typesetter, width: float, lead: bool, cap: float | None
) -> list[Heading]:
    headings = []
    if article.kicker:
        headings.append(ts.heading(article.kicker, "kai", (KICKER_PT,), width, leading=1.5))
    sizes = _headline_sizes(lead, cap)
    headline = ts.heading(article.headline, "headline", sizes, width, leading=1.2)
    if len(headline.lines) > 2:  # two lines at the smallest size are not enough: try three
        headline = ts.heading(
            article.headline, "headline", sizes, width, leading=1.2, max_lines=MAX_HEADLINE_LINES
        )
    headings.append(headline)
    if article.subhead:
        headings.append(ts.heading(article.subhead, "kai", (SUBHEAD_PT,), width, leading=1.5))
    if article.byline:
        headings.append(ts.heading(article.byline, "kai", (BYLINE_PT,), width, leading=1.6))
    return headings


def _image_range(image: Image, width: float, line: float) -> tuple[int, int]:
    """Rows a photo may take at `width`: cropping at most 10 % of either dimension a side."""
    natural = width * image.height_px / image.width_px
    gap = line / 3  # under the picture, before its caption (see the template)
    low = math.ceil((natural * 0.8 + gap) / line - 1e-9)
    return max(1, low), max(1, low, math.floor((natural / 0.8 + gap) / line + 1e-9))


def _headline_sizes(lead: bool, cap: float | None) -> tuple[float, ...]:
    """Headline sizes to try, largest first; `cap` keeps a headline a step below its
    neighbour's so that the two do not read as one."""
    sizes = LEAD_SIZES if lead else HEADLINE_SIZES
    return tuple(s for s in sizes if cap is None or s <= cap) or sizes[-1:]


def _article_sized(
    article: Article, columns: int, ts: Typesetter, lead: bool, cap: float | None = None
) -> _Sized:
    grid = ts.grid
    width = grid.span_width(columns)
    headings = _head_headings(article, ts, width, lead, cap)
    head_pt = sum(h.height for h in headings) + grid.line  # half a line of air above and below
    head_rows = math.ceil(head_pt / grid.line - 1e-6)
    captions = [
        ts.heading(text, "kai", (CAPTION_PT,), width, leading=1.4, max_lines=3) if text else None
        for text in map(_caption_text, article.images)
    ]
    caption_rows = [math.ceil(c.height / grid.line - 1e-6) if c else 0 for c in captions]
    ranges = [_image_range(image, width, grid.line) for image in article.images]
    lines = ts.body(article.blocks)
    body = _balance(lines, columns)
    body_rows = max(len(column) for column in body)
    min_rows = head_rows + sum(lo for lo, _ in ranges) + sum(caption_rows) + body_rows
    photo_stretch = sum(hi - lo for lo, hi in ranges)
    headline = next(h for h in headings if h.role == "headline")
    sizes = LEAD_SIZES if lead else HEADLINE_SIZES
    quality = (sizes[0] - headline.size) + max(0, MIN_BODY_ROWS - body_rows) * 20
    quality += 5 * max(0, len(headline.lines) - 1)

    def build(rows: int, column: int, row: int) -> Module:
        spare = rows - min_rows
        photo_rows = []
        for lo, hi in ranges:
            grow = min(hi - lo, spare)
            photo_rows.append(lo + grow)
            spare -= grow
        air = min(spare, HEAD_AIR_ROWS)
        used_head = head_rows + air
        images, cursor = [], row + used_head
        for image, pic_rows, caption, cap_rows in zip(
            article.images, photo_rows, captions, caption_rows, strict=True
        ):
            images.append(PlacedImage(image, cursor, pic_rows, caption, cap_rows))
            cursor += pic_rows + cap_rows
        return Module(
            article,
            Box(column, columns, row, rows),
            tuple(headings),
            used_head,
            tuple(images),
            body,
            cursor,
        )

    before_pt = sum(h.height for h in headings[: headings.index(headline)])
    block_pt = sum(h.height for h in headings)

    def headline_at(give: int) -> float:
        """Where the template puts the headline: the head block centred in its rows."""
        air = min(give - min(photo_stretch, give), HEAD_AIR_ROWS)
        return (((head_rows + air) * grid.line - block_pt) / 2 + before_pt) / grid.line

    return _Sized(
        article.slug,
        columns,
        min_rows,
        photo_stretch + HEAD_AIR_ROWS,
        quality,
        build,
        headline.size,
        lines,
        body_rows,
        len(headline.lines) <= MAX_HEADLINE_LINES,
        headline_at,
    )


def _caption_text(image: Image) -> str:
    parts = [part for part in (image.caption, image.credit and f"（{image.credit}）") if part]
    return " ".join(parts) if parts else ""


def _balance(rows: tuple[BodyRow, ...], columns: int) -> tuple[tuple[BodyRow, ...], ...]:
    """Split body lines over the columns so they differ by at most one line.

    A crosshead never ends a column: it moves to the head of the next one,
    and the columns after it are balanced again over what is left.
    """
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


def _lede_sized(text: tuple[str, ...], columns: int, ts: Typesetter) -> _Sized:
    grid = ts.grid
    width = grid.span_width(columns) - 2 * grid.em  # set inside a ruled box
    lines = tuple(
        line for paragraph in text for line in ts.paragraph_lines(paragraph, "kai", LEDE_PT, width)
    )
    pitch = LEDE_PT * LEDE_LEADING
    min_rows = math.ceil((len(lines) * pitch) / grid.line - 1e-6) + 1

    def build(rows: int, column: int, row: int) -> Lede:
        return Lede(Box(column, columns, row, rows), lines, LEDE_PT, pitch)

    return _Sized("lede", columns, min_rows, HEAD_AIR_ROWS, 0.0, build)


# --- the search ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    top: tuple[str, ...]  # full-width items under the banner, top to bottom
    strips: tuple[tuple[int, tuple[str, ...]], ...]  # (columns, item keys top to bottom)
    caps: tuple[tuple[str, float], ...] = ()  # headlines held below a neighbour's size


@dataclass
class _Outcome:
    """One plan measured: what is over, what is empty, what it costs."""

    plan: _Plan
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


def compose(page: Page, grid: Grid, ts: Typesetter) -> Layout:
    """Lay out the page, or raise FitError saying what does not fit and by how much."""
    return _Composer(page, grid, ts).run()


def compose_page(page: Page, roles: dict[str, Role]) -> Layout:
    """Lay out the page in the usual body size, or a larger one if the copy is short.

    Newspapers set a thin page in 五号 rather than leave it half empty; the
    column width stays the same, so only the characters per line change.  A
    layout file fixes the body size, and then only that one is tried.
    """
    grids = Grid.variants(page.format, masthead=page.masthead is not None)
    if page.body_pt is not None:
        grids = [g for g in grids if g.em == page.body_pt]
    *usual, largest = grids
    short: UnderfillError | None = None
    for grid in usual:
        try:
            return compose(page, grid, Typesetter(roles, grid))
        except UnderfillError as error:
            short = short or error
    try:
        return compose(page, largest, Typesetter(roles, largest))
    except OversetError as error:
        if short is None:
            raise
        # short at the usual size, long at the larger: the usual size's report helps more
        over = error.problems[0].message
        raise UnderfillError(
            [*short.problems, Problem(f"in the larger {largest.em:g} pt body instead, {over}")]
        ) from None


class _Composer:
    """One page's search: measured items, the rows they share, and the rules of make-up."""

    def __init__(self, page: Page, grid: Grid, ts: Typesetter) -> None:
        self.page, self.grid, self.ts = page, grid, ts
        self.banner, self.banner_rows = _banner(page, grid, ts)
        self.credits_rows = CREDITS_ROWS if _has_credits(page) else 0
        self.bottom = grid.rows - self.credits_rows
        self.area_rows = self.bottom - self.banner_rows
        self.articles = {a.slug: a for a in page.articles}
        self.lead = page.articles[0].slug
        self.priority = {a.slug: i for i, a in enumerate(page.articles)}
        self._sized: dict[tuple[str, int, float | None], _Sized] = {}
        self.pins = self._pins()
        # smallest change to one article that makes the page fit: key -> (lines, columns)
        self.cuts: dict[str, tuple[int, int]] = {}
        self.additions: dict[str, tuple[int, int]] = {}

    def size(self, key: str, columns: int, cap: float | None = None) -> _Sized:
        """`key` measured at `columns`, its headline at most `cap` pt if given."""
        if (key, columns, cap) not in self._sized:
            self._sized[key, columns, cap] = (
                _lede_sized(self.page.lede, columns, self.ts)
                if key == "lede"
                else _article_sized(self.articles[key], columns, self.ts, key == self.lead, cap)
            )
        return self._sized[key, columns, cap]

    def _item(self, out: _Outcome, key: str, columns: int) -> _Sized:
        return self.size(key, columns, out.caps.get(key))

    # --- pins

    def _pins(self) -> dict[str, Box]:
        """The editor's slots as boxes, or a SourceError for every slot that cannot be."""
        slots = {a.slug: a.slot for a in self.page.articles if a.slot}
        if self.page.lede and self.page.lede_slot:
            slots["lede"] = self.page.lede_slot
        boxes = {
            key: Box(slot.column - 1, slot.columns, slot.line - 1, slot.lines)
            for key, slot in slots.items()
        }
        problems = []
        for key, box in boxes.items():
            message = self._slot_problem(box)
            if message:
                problems.append(_slot_problem(slots[key], message, self._slot_hint()))
        for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
            shared = _overlap(box_a.column, box_a.columns, box_b.column, box_b.columns)
            if shared and _overlap(box_a.row, box_a.rows + 1, box_b.row, box_b.rows + 1):
                message = f"overlaps the slot of {_name(self, b)} (a rule needs a line between)"
                hint = f"move one of them; {_name(self, b)} takes {_where(box_b)}"
            elif shared and (box_a.column, box_a.columns) != (box_b.column, box_b.columns):
                message = f"shares some columns with the slot of {_name(self, b)}, not all"
                hint = "modules stacked in the same columns must span the same columns"
            else:
                continue
            problems.append(_slot_problem(slots[a], message, hint))
        if problems:
            raise SourceError(problems)
        return boxes

    def _slot_problem(self, box: Box) -> str | None:
        grid = self.grid
        if box.column + box.columns > grid.columns:
            last = box.column + box.columns
            return f"columns {box.column + 1}–{last} run past column {grid.columns}"
        if box.row < self.banner_rows:
            return f"line {box.row + 1} is inside the banner (lines 1–{self.banner_rows})"
        if box.row + box.rows > self.bottom:
            return f"lines {box.row + 1}–{box.row + box.rows} run past line {self.bottom}"
        return None

    def _slot_hint(self) -> str:
        return (
            f"this page has {self.grid.columns} columns and lines "
            f"{self.banner_rows + 1}–{self.bottom} free for modules"
        )

    # --- the search

    def _tops(self) -> list[tuple[str, ...]]:
        """What may run full width under the banner: nothing, the lede, the lead, or both."""
        tops: list[tuple[str, ...]] = [()]
        if self.page.lede:
            tops.append(("lede",))
        if len(self.page.articles) > 1:
            tops.append((self.lead,))
            if self.page.lede:
                tops.append(("lede", self.lead))
        full = {k for k, box in self.pins.items() if box.columns == self.grid.columns}
        for key in sorted(full - {"lede", self.lead}, key=self.priority.__getitem__):
            tops.append((key,))
        return [top for top in tops if full <= set(top)]

    def _plans(self) -> Iterator[_Plan]:
        keys = (["lede"] if self.page.lede else []) + list(self.articles)
        for top in self._tops():
            rest = [k for k in keys if k not in top]
            if not rest:
                continue
            pinned = sorted((k for k in rest if k in self.pins), key=lambda k: self.pins[k].row)
            free = [k for k in rest if k not in self.pins]
            for widths in _compositions(self.grid.columns):
                starts = [sum(widths[:i]) for i in range(len(widths))]
                spans = list(zip(starts, widths, strict=True))
                owner = {k: (self.pins[k].column, self.pins[k].columns) for k in pinned}
                if not all(span in spans for span in owner.values()):
                    continue
                held = [[k for k in pinned if owner[k] == span] for span in spans]
                if any(w == 1 and not keys_ for w, keys_ in zip(widths, held, strict=True)):
                    continue  # a single column stands alone only where the editor put it
                orders = _orders(free, self.lead, bool(self.pins))
                if len(free) > 6 and not self.pins:  # too many to permute: add a packed order
                    orders = itertools.chain(orders, [self._packed(free, widths)])
                for order in orders:
                    for groups in _splits(order, [bool(h) for h in held]):
                        yield from self._strip_sets(top, widths, groups, held)

    def _packed(self, keys: list[str], widths: tuple[int, ...]) -> tuple[str, ...]:
        """An order whose cut into `widths` levels the strips: each article, by priority,
        goes to the strip with the most lines left, as a make-up editor fills a page."""
        groups: list[list[str]] = [[] for _ in widths]
        room = [self.area_rows] * len(widths)
        queue = [k for k in keys if k not in (self.lead, "lede")]
        if self.lead in keys:
            groups[0].append(self.lead)
            room[0] -= self.size(self.lead, widths[0]).min_rows + 1
        if "lede" in keys:
            groups[-1].append("lede")
            room[-1] -= self.size("lede", widths[-1]).min_rows + 1
        for key in queue:
            index = max(range(len(widths)), key=lambda i: room[i] / max(1, len(groups[i]) + 1))
            groups[index].append(key)
            room[index] -= self.size(key, widths[index]).min_rows + 1
        return tuple(k for group in groups for k in group)

    def _strip_sets(self, top, widths, groups, held) -> Iterator[_Plan]:
        stacks = [
            list(_interleave(group, keys_)) for group, keys_ in zip(groups, held, strict=True)
        ]
        for chosen in itertools.product(*stacks):
            yield _Plan(top, tuple(zip(widths, chosen, strict=True)))

    def run(self) -> Layout:
        best: _Outcome | None = None
        for plan in self._plans():
            outcome = self._evaluate(plan)
            for _ in range(4):  # stepping one headline down may move another beside one
                if outcome is not None and outcome.butting:
                    outcome = self._evaluate(self._step_down(outcome)) or outcome
            if outcome is None:
                continue
            self._note_changes(outcome)
            if best is None or outcome.rank < best.rank:
                best = outcome
        if best is None:
            raise FitError(self._no_plan_problem())
        if best.overflow > 0:
            raise OversetError(self._overset_problems(best))
        if best.tombstones:
            raise FitError(
                Problem(
                    "every arrangement sets two headlines side by side at the same height",
                    self.page.directory / "page.yaml",
                    field="articles",
                    hint="move a slot down a few lines"
                    if self.pins
                    else "shorten the copy so the modules fall differently, or add a lede",
                )
            )
        if best.underfill:
            raise UnderfillError(self._underfill_problems(best))
        return self._place(self._evaluate(best.plan, detail=True))

    def _step_down(self, out: _Outcome) -> _Plan:
        """The plan again with the lesser of each pair of butting headlines a size step
        smaller than the other, as a make-up editor breaks a tombstone."""
        caps = dict(out.caps)
        for a, b in out.butting:
            big, small = sorted((a, b), key=lambda start: self.priority[start[2]])
            if small[2] != self.lead:
                caps[small[2]] = min(caps.get(small[2], big[1]), big[1] - TOMBSTONE_SIZE_STEP)
        return _Plan(out.plan.top, out.plan.strips, tuple(sorted(caps.items())))

    def _no_plan_problem(self) -> Problem:
        if any(not s.fits for s in self._sized.values()):
            return Problem(
                "a headline needs more than 3 lines in every module it could have",
                self.page.directory / "page.yaml",
                field="articles",
                hint="shorten the longest headline, or unpin its module",
            )
        return Problem(
            "the pinned modules leave no arrangement for the other articles",
            self.page.directory / "page.yaml",
            field="articles",
            hint="a full-width slot goes right under the banner; pin fewer modules, "
            "or let the others span whole columns beside the pins",
        )

    # --- measuring one plan

    def _evaluate(self, plan: _Plan, detail: bool = False) -> _Outcome | None:
        """Measure a plan, or None if it breaks a rule of make-up."""
        if not self._follows_rules(plan):
            return None
        out = _Outcome(plan, detail)
        columns = self.grid.columns
        row = self.banner_rows
        for key in plan.top:
            item = self._item(out, key, columns)
            if not item.fits:
                return None
            pin = self.pins.get(key)
            if pin is not None and (pin.row, pin.columns) != (row, columns):
                return None
            rows = pin.rows if pin else item.min_rows
            self._stack(out, [item], Box(0, columns, row, rows))
            row += rows + 1  # and a rule under it
        tops = []
        column = 0
        for position, (width, keys) in enumerate(plan.strips):
            starts = self._strip(out, Box(column, width, row, self.bottom - row), keys)
            if starts is None:
                return None
            tops.append(starts)
            out.cost += 0.01 * (position + 1) * sum(self.priority.get(k, 0) for k in keys)
            column += width
        for left, right in itertools.pairwise(tops):
            out.butting += [(a, b) for a in left for b in right if _butt(a, b)]
        out.cost += 2 * sum(
            1
            for _, keys in plan.strips
            for a, b in itertools.pairwise([k for k in keys if k != "lede"])
            if self.priority[a] > self.priority[b]
        )
        return out

    def _follows_rules(self, plan: _Plan) -> bool:
        lead, lede = self.lead, self.page.lede
        first = plan.strips[0][1]
        for _, keys in plan.strips:
            if "lede" in keys and keys[0] != "lede" and "lede" not in self.pins:
                return False  # the lede heads its strip, never sits between articles
            if lead in keys and keys[0] != lead and lead not in self.pins:
                return False  # the lead article opens its strip
        if lead not in self.pins:
            pinned_first = any(k in self.pins for k in first)
            if lead not in plan.top and first[0] != lead and not pinned_first:
                return False  # the lead article belongs at the top left, unless a pin is there
            if lead in plan.top and "lede" not in plan.top and lede and "lede" not in self.pins:
                return False  # the lede sits under the banner, never below the lead
            return self._lead_stands_out(plan)
        return True

    def _lead_stands_out(self, plan: _Plan) -> bool:
        """The lead has the widest module or the largest headline of the page."""
        widths = {k: w for w, keys in plan.strips for k in keys if k != "lede"}
        widths.update((k, self.grid.columns) for k in plan.top if k != "lede")
        lead_width = widths.pop(self.lead)
        if not widths or lead_width >= max(widths.values()):
            return True
        lead_pt = self.size(self.lead, lead_width).headline_pt
        return all(lead_pt >= self.size(k, w).headline_pt for k, w in widths.items())

    def _strip(
        self, out: _Outcome, area: Box, keys: tuple[str, ...]
    ) -> list[tuple[float, float, str]] | None:
        """Stack a strip down `area`, pins at their lines; (start row, headline pt) of each."""
        column, width, top = area.column, area.columns, area.row
        starts: list[tuple[float, float, str]] = []
        cursor, run, previous = top, [], "the top"
        for key in (*keys, None):
            pin = self.pins.get(key) if key is not None else None
            if key is not None and pin is None:
                run.append(key)
                continue
            items = [self._item(out, k, width) for k in run]
            if not all(item.fits for item in items):
                return None
            above = 1 if run and cursor > top else 0  # a rule under what is above the run
            below = 1 if pin and (run or cursor > top) else 0  # a rule over the pin
            if pin is not None and pin.row < top:
                return None  # the pin is where the full-width band under the banner is
            end = pin.row if pin else area.row + area.rows
            room = Box(column, width, cursor + above, end - cursor - above - below)
            starts += self._stack(out, items, room, previous)
            if pin is not None:
                item = self._item(out, key, width)
                if not item.fits:
                    return None
                starts += self._stack(out, [item], Box(column, width, pin.row, pin.rows), key)
                cursor = pin.row + pin.rows
            previous, run = (key if key is not None else previous), []
        return starts

    def _stack(
        self, out: _Outcome, items: list[_Sized], room: Box, after: str = ""
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

    # --- what to change when nothing fits

    def _note_changes(self, out: _Outcome) -> None:
        """Remember, per article, the smallest cut or addition that would make this plan fit."""
        if out.tombstones:
            return
        if out.overflow and not out.underfill and len(out.short) == 1:
            rows, width, keys = out.short[0]
            for key in keys:
                item = self._item(out, key, width)
                if key != "lede" and item.body_rows > rows:
                    lines = len(item.body) - width * (item.body_rows - rows)
                    _keep_least(self.cuts, key, (lines, width))
        if not out.overflow and len(out.gaps) == 1:
            rows, width, keys = out.gaps[0]
            for key in keys:
                item = self._item(out, key, width)
                if key != "lede":
                    lines = width * (item.body_rows + rows - 1) + 1 - len(item.body)
                    _keep_least(self.additions, key, (lines, width))

    def _overset_problems(self, out: _Outcome) -> list[Problem]:
        over_lines = sum(rows * width for rows, width, _ in out.short)
        problems = [
            Problem(
                f"the copy does not fit the {self.grid.format.name} page: overset by "
                f"{_lines(over_lines)} (≈{over_lines * self.grid.chars} characters) "
                "in the best arrangement found",
                self.page.directory / "page.yaml",
                field="articles",
                hint="cut one article as said below, or cut several a little"
                + (", or use format: broadsheet" if self.grid.format.name == "tabloid" else ""),
            )
        ]
        stacks = {key: (rows, width, keys) for rows, width, keys in out.short for key in keys}
        for article in self.page.articles:
            if article.slug in self.cuts:
                lines, width = self.cuts[article.slug]
                body = self.size(article.slug, width).body
                chars = sum(len(row.line.text) for row in body[-lines:])
                message = (
                    f"overset by {_lines(lines)} (≈{chars} characters) in a {width}-column "
                    "module: cut that much from this article and the page fits"
                )
            elif article.slug in stacks:
                rows, width, keys = stacks[article.slug]
                others = [_name(self, k) for k in keys if k != article.slug]
                message = (
                    f"overset: in the best arrangement its {width}-column module"
                    + (f" (stacked with {', '.join(others)})" if others else "")
                    + f" is {_lines(rows)} too short (≈{rows * width * self.grid.chars} characters)"
                )
            else:
                continue
            problems.append(Problem(message, article.file, field="body"))
        return problems

    def _underfill_problems(self, out: _Outcome) -> list[Problem]:
        chars = self.grid.chars
        problems = []
        for hole in (
            h for h in self._evaluate(out.plan, detail=True).holes if h.box.rows > MAX_HOLE_ROWS
        ):
            box = hole.box
            problems.append(
                Problem(
                    f"the page is underfilled: {box.rows} empty lines ({_where(box)}) "
                    f"after {_name(self, hole.after)}",
                    self.page.directory / "page.yaml",
                    field="articles",
                    hint=f"add about {box.rows * box.columns * chars} characters of copy or a photo"
                    + (", or use format: tabloid" if self.grid.format.name == "broadsheet" else ""),
                )
            )
        for article in self.page.articles:
            if article.slug in self.additions:
                lines, width = self.additions[article.slug]
                problems.append(
                    Problem(
                        f"underfilled: add {_lines(lines)} (≈{lines * chars} characters) to this "
                        f"article, set in a {width}-column module, and the page is full",
                        article.file,
                        field="body",
                    )
                )
        return problems

    # --- the chosen plan, placed

    def _place(self, out: _Outcome) -> Layout:
        grid = self.grid
        rules: list[tuple[str, Box]] = []
        if self.banner:
            rules.append(("h", Box(0, grid.columns, self.banner_rows - 1, 1)))
        strip_top = self.banner_rows + sum(
            box.rows + 1 for key, box in out.placed if key in out.plan.top
        )
        placed_items = []
        for key, box in out.placed:
            item = self._item(out, key, box.columns)
            placed_items.append(item.build(box.rows, box.column, box.row))
            if key in out.plan.top:
                rules.append(("h", Box(0, grid.columns, box.row + box.rows, 1)))
            elif box.row > strip_top:
                rules.append(("h", Box(box.column, box.columns, box.row - 1, 1)))
        column = 0
        for index, (width, _) in enumerate(out.plan.strips):
            if index:
                rules.append(("v", Box(column, 0, strip_top, self.bottom - strip_top)))
            column += width
        credits = (
            Box(0, grid.columns, self.bottom, self.credits_rows) if self.credits_rows else None
        )
        ledes = [p for p in placed_items if isinstance(p, Lede)]
        return Layout(
            grid,
            self.banner,
            ledes[0] if ledes else None,
            tuple(p for p in placed_items if isinstance(p, Module)),
            credits,
            tuple(out.holes),
            tuple(rules),
        )


def _butt(a: tuple[float, float, str], b: tuple[float, float, str]) -> bool:
    """Two headlines (row of the first line, size, key) side by side read as one."""
    return abs(a[0] - b[0]) < TOMBSTONE_ROWS and abs(a[1] - b[1]) < TOMBSTONE_SIZE_STEP


def _lines(count: int) -> str:
    return f"{count} line" + ("" if count == 1 else "s")


def _where(box: Box) -> str:
    """A box in the editor's 1-based terms."""
    return (
        f"columns {box.column + 1}–{box.column + box.columns}, "
        f"lines {box.row + 1}–{box.row + box.rows}"
    )


def _keep_least(found: dict[str, tuple[int, int]], key: str, value: tuple[int, int]) -> None:
    if key not in found or value < found[key]:
        found[key] = value


def _overlap(a: int, a_len: int, b: int, b_len: int) -> bool:
    return a < b + b_len and b < a + a_len


def _name(composer: _Composer, key: str) -> str:
    if key in composer.articles:
        return composer.articles[key].file.name
    return key


def _slot_problem(slot: Slot, message: str, hint: str) -> Problem:
    return Problem(message, slot.file, slot.line_no, "slot", hint)


def _has_credits(page: Page) -> bool:
    c = page.credits
    return bool(c.lines or c.editors or c.designer)


def _banner(page: Page, grid: Grid, ts: Typesetter) -> tuple[Banner | None, int]:
    if page.banner is None:
        return None, 0
    width = grid.type_width
    headings = []
    if page.banner.kicker:
        headings.append(ts.heading(page.banner.kicker, "kai", (20.0,), width, leading=1.4))
    headings.append(
        ts.heading(page.banner.title, "banner", BANNER_SIZES, width, leading=1.2, max_lines=1)
    )
    if page.banner.subtitle:
        headings.append(ts.heading(page.banner.subtitle, "kai", (18.0,), width, leading=1.4))
    rows = math.ceil((sum(h.height for h in headings) + grid.line) / grid.line - 1e-6) + 1
    return Banner(Box(0, grid.columns, 0, rows - 1), tuple(headings)), rows
