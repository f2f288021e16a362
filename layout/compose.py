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

import contextlib
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .document import Article, Image, Page
from .errors import FitError, OversetError, Problem, UnderfillError
from .fonts import Role
from .grid import Grid
from .linebreak import Line
from .measure import BodyRow, Heading, Typesetter

MAX_HOLE_ROWS = 3  # a strip may end this many lines short; more is underfill
HEAD_AIR_ROWS = 2  # extra lines a headline block may take to fill its strip
MIN_BODY_ROWS = 6  # a body column shorter than this reads badly
TOMBSTONE_ROWS = 2  # headlines in adjacent strips closer than this butt

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


@dataclass(frozen=True)
class Box:
    """A rectangle on the grid, in 0-based columns and lines of the type area."""

    column: int
    columns: int
    row: int
    rows: int


@dataclass(frozen=True)
class PlacedImage:
    image: Image
    row: int
    rows: int  # lines of the picture itself
    caption: Heading | None
    caption_rows: int


@dataclass(frozen=True)
class Module:
    article: Article
    box: Box
    headings: tuple[Heading, ...]  # kicker, headline, subhead, byline: as present
    head_rows: int  # the headline block, air included
    images: tuple[PlacedImage, ...]
    columns: tuple[tuple[BodyRow, ...], ...]  # body lines of each text column
    body_row: int  # first line of the body


@dataclass(frozen=True)
class Lede:
    box: Box
    lines: tuple[Line, ...]
    size: float
    line_pitch: float  # pt


@dataclass(frozen=True)
class Banner:
    box: Box
    headings: tuple[Heading, ...]


@dataclass(frozen=True)
class Hole:
    box: Box
    after: str  # what the empty lines follow: an article file or "lede"


@dataclass(frozen=True)
class Layout:
    grid: Grid
    banner: Banner | None
    lede: Lede | None
    modules: tuple[Module, ...]
    credits: Box | None
    holes: tuple[Hole, ...]
    rules: tuple[tuple[str, Box], ...]  # ("h"|"v", the box the rule runs along)


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


def _head_headings(article: Article, ts: Typesetter, width: float, lead: bool) -> list[Heading]:
    headings = []
    if article.kicker:
        headings.append(ts.heading(article.kicker, "kai", (KICKER_PT,), width, leading=1.5))
    headings.append(
        ts.heading(
            article.headline, "headline", LEAD_SIZES if lead else HEADLINE_SIZES, width, leading=1.2
        )
    )
    if article.subhead:
        headings.append(ts.heading(article.subhead, "kai", (SUBHEAD_PT,), width, leading=1.5))
    if article.byline:
        headings.append(ts.heading(article.byline, "kai", (BYLINE_PT,), width, leading=1.6))
    return headings


def _image_range(image: Image, width: float, line: float) -> tuple[int, int]:
    """Rows a photo may take at `width`: cropping at most 10 % of either dimension a side."""
    natural = width * image.height_px / image.width_px
    return max(1, math.ceil(natural * 0.8 / line)), max(1, math.floor(natural / 0.8 / line))


def _article_sized(article: Article, columns: int, ts: Typesetter, lead: bool) -> _Sized:
    grid = ts.grid
    width = grid.span_width(columns)
    headings = _head_headings(article, ts, width, lead)
    head_pt = sum(h.height for h in headings) + grid.line  # half a line of air above and below
    head_rows = math.ceil(head_pt / grid.line - 1e-6)
    captions = [
        ts.heading(text, "kai", (CAPTION_PT,), width, leading=1.4, max_lines=3) if text else None
        for text in map(_caption_text, article.images)
    ]
    caption_rows = [math.ceil(c.height / grid.line - 1e-6) if c else 0 for c in captions]
    ranges = [_image_range(image, width, grid.line) for image in article.images]
    body = _balance(ts.body(article.blocks), columns)
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

    return _Sized(article.slug, columns, min_rows, photo_stretch + HEAD_AIR_ROWS, quality, build)


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
    cost: float
    overflow: int
    top: tuple[str, ...]
    strips: tuple[tuple[int, tuple[str, ...]], ...]  # (columns, item keys top to bottom)


def _compositions(total: int, minimum: int = 2) -> Iterator[tuple[int, ...]]:
    """Ordered ways to cut `total` columns into strips of at least `minimum`."""
    if total >= minimum:
        yield (total,)
    for first in range(minimum, total - minimum + 1):
        for rest in _compositions(total - first, minimum):
            yield (first, *rest)


def _splits(order: Sequence[str], parts: int) -> Iterator[tuple[tuple[str, ...], ...]]:
    for cuts in itertools.combinations(range(1, len(order)), parts - 1):
        bounds = (0, *cuts, len(order))
        yield tuple(tuple(order[a:b]) for a, b in itertools.pairwise(bounds))


def _orders(keys: Sequence[str], lead: str) -> Iterator[tuple[str, ...]]:
    """The lead stays first; the rest are permuted while that stays cheap."""
    others = [k for k in keys if k != lead]
    head = (lead,) if lead in keys else ()
    for perm in itertools.permutations(others) if len(others) <= 5 else [tuple(others)]:
        yield (*head, *perm)


def compose(page: Page, grid: Grid, ts: Typesetter) -> Layout:
    """Lay out the page, or raise FitError saying what does not fit and by how much."""
    return _Composer(page, grid, ts).run()


def compose_page(page: Page, roles: dict[str, Role]) -> Layout:
    """Lay out the page in the usual body size, or a larger one if the copy is short.

    Newspapers set a thin page in 五号 rather than leave it half empty; the
    column width stays the same, so only the characters per line change.
    """
    *usual, largest = Grid.variants(page.format)
    for grid in usual:
        with contextlib.suppress(UnderfillError):
            return compose(page, grid, Typesetter(roles, grid))
    return compose(page, largest, Typesetter(roles, largest))


class _Composer:
    """One page's search: measured items, the rows they share, and the rules of make-up."""

    def __init__(self, page: Page, grid: Grid, ts: Typesetter) -> None:
        self.page, self.grid, self.ts = page, grid, ts
        self.banner, self.banner_rows = _banner(page, grid, ts)
        self.credits_rows = CREDITS_ROWS if _has_credits(page) else 0
        self.area_rows = grid.rows - self.banner_rows - self.credits_rows
        self.articles = {a.slug: a for a in page.articles}
        self.lead = page.articles[0].slug
        self.priority = {a.slug: i for i, a in enumerate(page.articles)}
        self._sized: dict[tuple[str, int], _Sized] = {}

    def size(self, key: str, columns: int) -> _Sized:
        if (key, columns) not in self._sized:
            self._sized[key, columns] = (
                _lede_sized(self.page.lede, columns, self.ts)
                if key == "lede"
                else _article_sized(self.articles[key], columns, self.ts, key == self.lead)
            )
        return self._sized[key, columns]

    def _tops(self) -> list[tuple[str, ...]]:
        """What may run full width under the banner: nothing, the lede, the lead, or both."""
        tops: list[tuple[str, ...]] = [()]
        if self.page.lede:
            tops.append(("lede",))
        if len(self.page.articles) > 1:
            tops.append((self.lead,))
            if self.page.lede:
                tops.append(("lede", self.lead))
        return tops

    def run(self) -> Layout:
        keys = (["lede"] if self.page.lede else []) + list(self.articles)
        best: _Plan | None = None
        for top in self._tops():
            top_rows = sum(self.size(k, self.grid.columns).min_rows + 1 for k in top)
            rest = [k for k in keys if k not in top]
            if not rest:
                continue
            for widths in _compositions(self.grid.columns):
                for order in _orders(rest, self.lead):
                    for groups in _splits(order, len(widths)):
                        plan = self._score(top, tuple(zip(widths, groups, strict=True)), top_rows)
                        if plan and (
                            best is None or (plan.overflow, plan.cost) < (best.overflow, best.cost)
                        ):
                            best = plan
        if best is None:
            raise FitError(Problem("the page has no articles to place", field="articles"))
        if best.overflow > 0:
            raise OversetError(self._overset_problems(best))
        return self._place(best)

    def _score(self, top, strips, top_rows: int) -> _Plan | None:
        """Cost of one arrangement, or None if it breaks a rule of make-up."""
        rows = self.area_rows - top_rows
        cost = 0.0
        overflow = 0
        tops_by_strip = []
        for position, (columns, group) in enumerate(strips):
            if "lede" in group and group[0] != "lede":
                return None  # the lede heads its strip, never sits between articles
            if self.lead in group and group[0] != self.lead and group != ("lede", self.lead):
                return None  # the lead article opens its strip
            items = [self.size(k, columns) for k in group]
            slack = rows - (sum(i.min_rows for i in items) + len(items) - 1)
            if slack < 0:
                overflow += -slack
                continue
            hole = max(0, slack - sum(i.stretch for i in items))
            cost += 100 * hole + sum(i.quality for i in items)
            starts, cursor = [], 0
            for item in items:
                if item.key != "lede":
                    starts.append(cursor)
                cursor += item.min_rows + 1
            tops_by_strip.append(starts)
            cost += 0.01 * (position + 1) * sum(self.priority.get(k, 0) for k in group)
        first = strips[0][1]
        if self.lead not in top and self.lead not in first[:2]:
            return None  # the lead article belongs at the top left
        if self.lead in top and "lede" not in top and self.page.lede:
            return None  # the lede sits under the banner, never below the lead
        for left, right in itertools.pairwise(tops_by_strip):
            cost += 1000 * sum(1 for a in left for b in right if abs(a - b) < TOMBSTONE_ROWS)
        inversions = sum(
            1
            for _, group in strips
            for a, b in itertools.pairwise([k for k in group if k != "lede"])
            if self.priority[a] > self.priority[b]
        )
        return _Plan(cost + 2 * inversions, overflow, top, strips)

    def _overset_problems(self, plan: _Plan) -> list[Problem]:
        chars = self.grid.chars
        over = plan.overflow
        problems = [
            Problem(
                f"the copy does not fit the {self.grid.format.name} page: overset by {over} "
                f"lines (≈{over * chars} characters) in the best arrangement found",
                field="articles",
                hint="cut the longest articles or drop one"
                + (", or use format: broadsheet" if self.grid.format.name == "tabloid" else ""),
            )
        ]
        for columns, group in plan.strips:
            for key in group:
                if key != "lede":
                    problems.append(
                        Problem(
                            f"needs {self.size(key, columns).min_rows} lines "
                            f"in a {columns}-column module",
                            file=self.articles[key].file,
                            field="body",
                        )
                    )
        return problems

    def _place(self, plan: _Plan) -> Layout:
        grid = self.grid
        placed_items: list = []
        holes = []
        rules: list[tuple[str, Box]] = []
        row = self.banner_rows
        if self.banner:
            rules.append(("h", Box(0, grid.columns, row - 1, 1)))
        for key in plan.top:
            item = self.size(key, grid.columns)
            placed_items.append(item.build(item.min_rows, 0, row))
            row += item.min_rows
            rules.append(("h", Box(0, grid.columns, row, 1)))
            row += 1
        strip_rows = self.area_rows - (row - self.banner_rows)
        column = 0
        for index, (columns, group) in enumerate(plan.strips):
            if index:
                rules.append(("v", Box(column, 0, row, strip_rows)))
            items = [self.size(k, columns) for k in group]
            spare = strip_rows - (sum(i.min_rows for i in items) + len(items) - 1)
            cursor = row
            for number, item in enumerate(items):
                give = min(item.stretch, spare)
                spare -= give
                placed_items.append(item.build(item.min_rows + give, column, cursor))
                cursor += item.min_rows + give
                if number < len(items) - 1:
                    rules.append(("h", Box(column, columns, cursor, 1)))
                    cursor += 1
            if spare > 0:
                holes.append(Hole(Box(column, columns, cursor, spare), group[-1]))
            column += columns
        self._refuse_underfill(holes)
        credits = (
            Box(0, grid.columns, grid.rows - self.credits_rows, self.credits_rows)
            if self.credits_rows
            else None
        )
        ledes = [p for p in placed_items if isinstance(p, Lede)]
        return Layout(
            grid,
            self.banner,
            ledes[0] if ledes else None,
            tuple(p for p in placed_items if isinstance(p, Module)),
            credits,
            tuple(holes),
            tuple(rules),
        )

    def _refuse_underfill(self, holes: list[Hole]) -> None:
        chars, grid_name = self.grid.chars, self.grid.format.name
        underfilled = [h for h in holes if h.box.rows > MAX_HOLE_ROWS]
        if underfilled:
            raise UnderfillError(
                [
                    Problem(
                        f"the page is underfilled: {h.box.rows} empty lines in columns "
                        f"{h.box.column + 1}–{h.box.column + h.box.columns} after {h.after}",
                        field="articles",
                        hint=f"add about {h.box.rows * h.box.columns * chars} characters "
                        "of copy or a photo"
                        + (", or use format: tabloid" if grid_name == "broadsheet" else ""),
                    )
                    for h in underfilled
                ]
            )


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
