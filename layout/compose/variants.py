"""An article's variants at one width: every height a make-up editor could give it.

A module of W columns can be made taller or shorter without touching the
type: the headline one size up or down (its deck), air around it, the photos
wider or narrower than the module (the body then runs beside them), cropped
at most 10 % a side, a caption given one more line, a pull quote set or left
out.  Each combination is a variant of a whole number of lines with a cost;
the cheapest variant of each height is kept, so the search asks only "how
many lines, at what price" and the chosen variant builds the module.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..model.copy import CAPTION_ROLE, PULLQUOTE_ROLE
from ..model.document import PHOTO_STORY, Article, Block, Image
from ..model.layout import Box, Module, PlacedImage, PullQuote
from ..typeset.measure import BodyRow, Heading, Typesetter
from .columns import balance, fill_columns, poured_height
from .heads import Head, head_options, headline_index
from .jumps import JUMP_COST, JUMP_ROW_COST, cut, jump_in, jump_out, split_blocks
from .sizes import AIR_COST, CAPTION_PT, HEAD_AIR_ROWS, Sized

MIN_BODY_ROWS = 6  # a body column shorter than this reads badly
MIN_BESIDE_ROWS = 3  # text under a narrow photo: none, or at least this many lines
MAX_EMPTY_LINES = 2  # beside a narrow photo the last column may end this much short

QUOTE_SIZES = (14.0, 12.0)
QUOTE_MAX_LINES = 4

# What each lever costs, in headline points (a headline a point smaller costs 1):
# air and crop are nearly free, a narrower photo or a quote is a real change to the
# module, a short body column or a word broken across headline lines reads badly.
CROP_COST = 0.2  # per line a photo is cropped from its natural height
NARROW_COST = 3.0  # photos narrower than their module, the body beside them
CAPTION_LINE_COST = 1.0  # a caption given one more line
QUOTE_COST = 4.0  # a pull quote set in the module
SHORT_BODY_COST = 20.0  # per line a body column falls short of MIN_BODY_ROWS


@dataclass(frozen=True)
class Variant:
    """One way to set an article in a module of given width: what `build` needs."""

    rows: int
    cost: float
    head: int  # index into the article's head options
    air: int
    figure: int  # columns of the photos and the quote; the module's width: full
    photo_rows: int  # of all the photos together, before their captions
    caption_extra: bool
    quote: bool
    body_rows: int  # the longest text column
    levers: tuple[str, ...]
    jump: bool = False  # the body is cut at `body_rows` and the rest runs on another page


def photo_range(image: Image, width: float, line: float) -> tuple[int, int, int]:
    """Rows a photo may take at `width` (cropping at most 10 % of either dimension a
    side), and its natural rows uncropped."""
    natural = width * image.height_px / image.width_px
    gap = line / 3  # under the picture, before its caption (see the template)
    low = max(1, math.ceil((natural * 0.8 + gap) / line - 1e-9))
    high = max(low, math.floor((natural / 0.8 + gap) / line + 1e-9))
    return low, high, min(high, max(low, round((natural + gap) / line)))


def photo_widths(image: Image, columns: int) -> range:
    """Widths in columns a photo may take in a module of `columns`: the editor's
    `min_columns`/`max_columns`, else from two columns (one for an upright photo)."""
    upright = image.height_px > image.width_px
    high = min(columns, image.max_columns or columns)
    low = image.min_columns or min(1 if upright else 2, high)
    return range(low, high + 1)


def caption_text(image: Image) -> str:
    parts = [part for part in (image.caption, image.credit and f"（{image.credit}）") if part]
    return " ".join(parts) if parts else ""


def caption(ts: Typesetter, image: Image, width: float) -> Heading | None:
    text = caption_text(image)
    return (
        ts.heading(text, CAPTION_ROLE, (CAPTION_PT,), width, leading=1.4, max_lines=3)
        if text
        else None
    )


def quote_heading(ts: Typesetter, text: str, width: float) -> Heading | None:
    heading = ts.heading(
        text, PULLQUOTE_ROLE, QUOTE_SIZES, width, leading=1.4, max_lines=QUOTE_MAX_LINES
    )
    return heading if len(heading.lines) <= QUOTE_MAX_LINES else None


def rows_of(heading: Heading | None, line: float, air: float = 0.0) -> int:
    return math.ceil((heading.height + air) / line - 1e-6) if heading else 0


def build_module(
    article: Article,
    ts: Typesetter,
    body: tuple[BodyRow, ...],
    *,
    head: Head,
    variant: Variant,
    box: Box,
) -> tuple[Module, tuple[BodyRow, ...]]:
    """The module `variant` describes, in `box`; and any body lines with no room
    (only on a draft, where the box may be shorter than the variant)."""
    grid = ts.grid
    columns = box.columns
    figure = variant.figure
    narrow = figure < columns
    fig_column = box.column + columns - figure if narrow else box.column
    width = grid.span_width(figure)
    head_rows = head.rows + variant.air
    photo_first = article.kind == PHOTO_STORY  # the photo leads: the head goes under it
    cursor = box.row if photo_first else box.row + head_rows + head.note_rows
    images = []
    growth = variant.photo_rows - sum(photo_range(i, width, grid.line)[0] for i in article.images)
    for image in article.images:
        low, high, _ = photo_range(image, width, grid.line)
        rows = low + min(high - low, growth)
        growth -= rows - low
        cap = caption(ts, image, width)
        cap_rows = rows_of(cap, grid.line) + (1 if variant.caption_extra and cap else 0)
        images.append(PlacedImage(image, cursor, rows, cap, cap_rows, fig_column, figure))
        cursor += rows + cap_rows
    quote = None
    if variant.quote:
        heading = quote_heading(ts, article.pullquotes[0], width - grid.em)
        assert heading is not None, "a variant sets a quote only where it fits"
        rows = rows_of(heading, grid.line, grid.line)
        quote = PullQuote(heading, fig_column, figure, cursor, rows)
        cursor += rows
    head_offset = cursor - box.row if photo_first else 0
    if photo_first:
        cursor += head_rows + head.note_rows
    top = box.row + head_rows + head.note_rows  # under the head: text beside a narrow figure
    figure_rows = cursor - top
    starts = [
        top + (figure_rows if (not narrow or index >= columns - figure) else 0)
        for index in range(columns)
    ]
    foot = box.row + box.rows
    if narrow:
        foot = min(foot, top + variant.body_rows)
    rest: tuple[Block, ...] = ()
    spill: tuple[BodyRow, ...] = ()
    if variant.jump:
        assert article.jump is not None and article.jump.to is not None
        kept, text = cut(body, columns, variant.body_rows, ts.jump_row(jump_out(article.jump.to)))
        blocks, rest = split_blocks(article.blocks, ts, kept)
        article = replace(article, blocks=blocks)
    else:
        text, spill = fill_columns(
            body, [max(0, foot - start) for start in starts], balanced=not narrow
        )
    module = Module(
        article,
        box,
        head.headings,
        head_rows,
        tuple(images),
        text,
        min(starts),
        tuple(starts) if narrow else (),
        quote,
        rest=rest,
        head_offset=head_offset,
        note=head.note,
    )
    return module, spill


def article_sized(
    article: Article, columns: int, ts: Typesetter, lead: bool, cap: float | None = None
) -> Sized:
    """Every height `article` can fill exactly in a module of `columns`, at its cost."""
    grid = ts.grid
    width = grid.span_width(columns)
    heads = head_options(article, ts, width, lead, cap)
    body = ts.body(article.blocks)
    if article.continued_from is not None:  # the rest of a jumped article: 上接 opens it
        body = (ts.jump_row(jump_in(article.continued_from)), *body)
    full_rows = max(len(c) for c in balance(body, columns))
    largest = max(
        (h.headings[i].size for h in heads if (i := headline_index(h)) is not None), default=0.0
    )
    variants: dict[int, Variant] = {}
    for variant in _Levers(article, columns, ts, body, full_rows).variants(heads):
        known = variants.get(variant.rows)
        if known is None or variant.cost < known.cost:
            variants[variant.rows] = variant
    if not variants:
        return Sized(article.slug, columns, {0: 0.0}, _no_build, largest, body, full_rows, False)
    least = variants[min(variants)]

    def build(rows: int, column: int, row: int) -> tuple[Module, tuple[BodyRow, ...]]:
        variant = variants.get(rows, least)  # shorter than the least: a draft's overset
        box = Box(column, columns, row, rows)
        return build_module(article, ts, body, head=heads[variant.head], variant=variant, box=box)

    @functools.cache
    def headline_at(rows: int) -> tuple[float, float]:
        variant = variants.get(rows, least)
        head = heads[variant.head]
        index = headline_index(head)
        if index is None:  # set vertically, beside the body (furniture.py)
            return 0.0, 0.0
        top = ((head.rows + variant.air) * grid.line - head.block_pt) / 2 + head.before_pt
        if article.kind == PHOTO_STORY:  # under its photo
            module, _ = build(rows, 0, 0)
            top += (module.head_offset) * grid.line
        return top / grid.line, head.headings[index].size

    return Sized(
        article.slug,
        columns,
        {rows: v.cost for rows, v in variants.items()},
        build,
        largest,
        body,
        full_rows,
        True,
        headline_at,
        lambda rows: variants.get(rows, least).levers,
    )


def _no_build(rows: int, column: int, row: int):
    raise AssertionError("an item that does not fit is never placed")


@dataclass
class _Levers:
    """One article at one width: every combination of the levers, as variants."""

    article: Article
    columns: int
    ts: Typesetter
    body: tuple[BodyRow, ...]
    full_rows: int  # the body's height with every column starting level
    poured: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def variants(self, heads: list[Head]) -> Iterator[Variant]:
        """Every combination of the levers; the caller keeps the cheapest of each height."""
        head_air: dict[int, tuple[float, int, int]] = {}  # rows → (cost, head, air)
        for index, head in enumerate(heads):
            for air in range(HEAD_AIR_ROWS + 1):
                cost, rows = head.cost + air * AIR_COST, head.rows + air + head.note_rows
                if rows not in head_air or cost < head_air[rows][0]:
                    head_air[rows] = (cost, index, air)
        for figure in _figure_widths(self.article, self.columns):
            for shape in self._figures(figure):
                for body_rows, area_rows, area_cost, jump in self._areas(figure, shape.rows):
                    cost = area_cost + shape.cost
                    for rows, (head_cost, index, air) in head_air.items():
                        levers = shape.levers + (("headline deck",) if index else ())
                        yield Variant(
                            rows + area_rows,
                            cost + head_cost,
                            index,
                            air,
                            figure,
                            shape.photo_rows,
                            shape.extra,
                            shape.quote,
                            body_rows,
                            levers + (("air",) if air else ()) + (("jump",) if jump else ()),
                            jump,
                        )

    def _areas(self, figure: int, figure_rows: int) -> Iterator[tuple[int, int, float, bool]]:
        """(longest text column, rows under the head, cost, jumps) of each way to set the
        body under the figure: whole, or, for an article that jumps, cut at any line
        from MIN_BODY_ROWS down (the photos then full width: the cut fills the module)."""
        area = self._body_area(figure, figure_rows)
        if area is not None:
            body_rows, area_rows = area
            yield body_rows, area_rows, SHORT_BODY_COST * max(0, MIN_BODY_ROWS - body_rows), False
        jump = self.article.jump
        if jump is None or jump.to is None or figure < self.columns:
            return
        for rows in range(MIN_BODY_ROWS, self.full_rows + 1):
            if self.columns * rows - 1 < len(self.body):  # some lines are left to run on
                cost = JUMP_COST + JUMP_ROW_COST * (self.full_rows - rows)
                yield rows, figure_rows + rows, cost, True

    def _figures(self, figure: int) -> Iterator[_Figure]:
        """The photos, captions and quote stacked `figure` columns wide, each way."""
        grid, article = self.ts.grid, self.article
        narrow = figure < self.columns
        width = grid.span_width(figure)
        ranges = [photo_range(i, width, grid.line) for i in article.images]
        captions = [caption(self.ts, i, width) for i in article.images]
        caption_rows = sum(rows_of(c, grid.line) for c in captions)
        captioned = sum(1 for c in captions if c)
        quotes = [0]
        if article.pullquotes:
            heading = quote_heading(self.ts, article.pullquotes[0], width - grid.em)
            if heading is not None:
                quotes.append(rows_of(heading, grid.line, grid.line))
        natural = sum(r[2] for r in ranges)
        narrowed = narrow and bool(ranges)
        for photo_rows in range(sum(r[0] for r in ranges), sum(r[1] for r in ranges) + 1):
            for extra, quote_rows in itertools.product((0, 1) if captioned else (0,), quotes):
                rows = photo_rows + caption_rows + extra * captioned + quote_rows
                if rows == 0 and narrow:
                    continue
                names = (
                    ("photo width", narrowed),
                    ("photo crop", photo_rows != natural),
                    ("caption line", extra),
                    ("pull quote", quote_rows),
                )
                cost = (
                    CROP_COST * abs(photo_rows - natural)
                    + NARROW_COST * narrowed
                    + CAPTION_LINE_COST * extra
                    + QUOTE_COST * bool(quote_rows)
                )
                used = tuple(name for name, on in names if on)
                yield _Figure(rows, cost, photo_rows, bool(extra), bool(quote_rows), used)

    def _body_area(self, figure: int, figure_rows: int) -> tuple[int, int] | None:
        """(longest text column, rows under the head) with the figure over `figure`
        columns, or None where the text would leave a column nearly empty beside it."""
        if figure == self.columns:
            if len(self.body) < self.columns:
                return None  # a text column would stand empty
            return self.full_rows, figure_rows + self.full_rows
        if (figure, figure_rows) not in self.poured:
            offsets = [0] * (self.columns - figure) + [figure_rows] * figure
            self.poured[figure, figure_rows] = poured_height(self.body, offsets)
        foot, empty = self.poured[figure, figure_rows]
        if empty > MAX_EMPTY_LINES:
            return None  # the last column ends short: a hole inside the module
        if foot <= figure_rows:
            return (foot, figure_rows) if figure_rows - foot <= 1 else None
        if foot - figure_rows < MIN_BESIDE_ROWS:
            return None
        return foot, foot


@dataclass(frozen=True)
class _Figure:
    rows: int  # photos, captions and quote together
    cost: float
    photo_rows: int
    extra: bool  # each caption a line more
    quote: bool
    levers: tuple[str, ...]


def _figure_widths(article: Article, columns: int) -> list[int]:
    """Widths the photos (and a quote) may take: every width all the photos allow; a
    quote alone takes half the module or more."""
    if article.kind == PHOTO_STORY:  # its photo is the lead, as wide as the module
        return [columns]
    if article.images:
        allowed = set(range(1, columns + 1))
        for image in article.images:
            allowed &= set(photo_widths(image, columns))
        return sorted(allowed, reverse=True)
    if article.pullquotes:
        return list(range(columns, max(1, (columns + 1) // 2) - 1, -1))
    return [columns]
