"""Measured items: every article, the lede and the banner set at a width, in whole lines.

The search tries each item at many widths and headline sizes; measuring once
here, with the real typesetter, lets it compare arrangements by line counts
alone and build the chosen one's modules without setting the type again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import FitError, Problem
from ..model.copy import BANNER_ROLES, CAPTION_ROLE, CREDITS_ROLE, HEAD_ROLES, LEDE_ROLE, PAGE_FILE
from ..model.document import Article, Credits, Image, Page
from ..model.grid import Grid
from ..model.layout import Banner, Box, Lede, Module, PlacedImage
from ..typeset import fonts
from ..typeset.measure import BodyRow, Heading, Typesetter

MAX_HEADLINE_LINES = 3
HEAD_AIR_ROWS = 2  # extra lines a headline block may take to fill its strip
MIN_BODY_ROWS = 6  # a body column shorter than this reads badly

BANNER_SIZES = (72.0, 66.0, 60.0, 54.0, 48.0, 42.0, 36.0)
LEAD_SIZES = (30.0, 28.0, 26.0, 24.0, 22.0, 20.0)
HEADLINE_SIZES = (24.0, 22.0, 20.0, 18.0, 16.0, 14.0)
KICKER_PT = 11.0
SUBHEAD_PT = 10.5
BYLINE_PT = 9.0
CAPTION_PT = 8.5
LEDE_PT = 11.0
LEDE_LEADING = 1.7
# banner parts: sizes to try, largest first; leading; the most lines each may take
BANNER_PARTS = {
    "kicker": ((20.0,), 1.4, 2),
    "title": (BANNER_SIZES, 1.2, 1),
    "subtitle": ((18.0,), 1.4, 2),
}
CREDITS_PT = 9.0  # styles/paper.css, .credits
CREDITS_GAP_EM = 2.0  # the least space between two credits that share a line


@dataclass
class Sized:
    """An item measured at one width: the lines it needs and how far it can stretch."""

    key: str  # article slug or "lede"
    columns: int
    min_rows: int
    stretch: int  # rows it can absorb (air, photo growth)
    quality: float  # lower is better: smaller headline, short columns
    build: Callable[[int, int, int], Module | Lede] = field(repr=False)  # (rows, column, row)
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
        headings.append(
            ts.heading(article.kicker, HEAD_ROLES["kicker"], (KICKER_PT,), width, leading=1.5)
        )
    sizes = _headline_sizes(lead, cap)
    headline = ts.heading(article.headline, HEAD_ROLES["headline"], sizes, width, leading=1.2)
    if len(headline.lines) > 2:  # two lines at the smallest size are not enough: try three
        headline = ts.heading(
            article.headline,
            HEAD_ROLES["headline"],
            sizes,
            width,
            leading=1.2,
            max_lines=MAX_HEADLINE_LINES,
        )
    headings.append(headline)
    if article.subhead:
        headings.append(
            ts.heading(article.subhead, HEAD_ROLES["subhead"], (SUBHEAD_PT,), width, leading=1.5)
        )
    if article.byline:
        headings.append(
            ts.heading(article.byline, HEAD_ROLES["byline"], (BYLINE_PT,), width, leading=1.6)
        )
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


def article_sized(
    article: Article, columns: int, ts: Typesetter, lead: bool, cap: float | None = None
) -> Sized:
    grid = ts.grid
    width = grid.span_width(columns)
    headings = _head_headings(article, ts, width, lead, cap)
    head_pt = sum(h.height for h in headings) + grid.line  # half a line of air above and below
    head_rows = math.ceil(head_pt / grid.line - 1e-6)
    captions = [
        ts.heading(text, CAPTION_ROLE, (CAPTION_PT,), width, leading=1.4, max_lines=3)
        if text
        else None
        for text in map(_caption_text, article.images)
    ]
    caption_rows = [math.ceil(c.height / grid.line - 1e-6) if c else 0 for c in captions]
    ranges = [_image_range(image, width, grid.line) for image in article.images]
    lines = ts.body(article.blocks)
    body = _balance(lines, columns)
    body_rows = max(len(column) for column in body)
    min_rows = head_rows + sum(lo for lo, _ in ranges) + sum(caption_rows) + body_rows
    photo_stretch = sum(hi - lo for lo, hi in ranges)
    headline = next(h for h in headings if h.role == HEAD_ROLES["headline"])
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

    return Sized(
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


def lede_sized(text: tuple[str, ...], columns: int, ts: Typesetter) -> Sized:
    grid = ts.grid
    width = grid.span_width(columns) - 2 * grid.em  # set inside a ruled box
    lines = tuple(
        line
        for paragraph in text
        for line in ts.paragraph_lines(paragraph, LEDE_ROLE, LEDE_PT, width)
    )
    pitch = LEDE_PT * LEDE_LEADING
    min_rows = math.ceil((len(lines) * pitch) / grid.line - 1e-6) + 1

    def build(rows: int, column: int, row: int) -> Lede:
        return Lede(Box(column, columns, row, rows), lines, LEDE_PT, pitch)

    return Sized("lede", columns, min_rows, HEAD_AIR_ROWS, 0.0, build)


def measure_banner(page: Page, grid: Grid, ts: Typesetter) -> tuple[Banner | None, int]:
    """The banner set across the type width, and the rows it takes with its rule.

    Raise FitError at the part that does not fit in its lines even at its smallest
    size: set in more, it would push the articles off the page and be blamed on them.
    """
    if page.banner is None:
        return None, 0
    headings, problems = [], []
    for name, (sizes, leading, max_lines) in BANNER_PARTS.items():
        text = getattr(page.banner, name)
        if not text:
            continue
        role = BANNER_ROLES[name]
        heading = ts.heading(
            text, role, sizes, grid.type_width, leading=leading, max_lines=max_lines
        )
        if len(heading.lines) > max_lines:
            problems.append(_banner_problem(page, name, text, heading, ts))
        headings.append(heading)
    if problems:
        raise FitError(problems)
    rows = math.ceil((sum(h.height for h in headings) + grid.line) / grid.line - 1e-6) + 1
    return Banner(Box(0, grid.columns, 0, rows - 1), tuple(headings)), rows


def _banner_problem(page: Page, name: str, text: str, heading: Heading, ts: Typesetter) -> Problem:
    """Say how many of the part's characters fit its lines at its smallest size."""
    max_lines = BANNER_PARTS[name][2]
    measure = ts.grid.type_width / heading.size
    low, high = 0, len(text)  # the longest start of the text that fits one line
    while low < high:
        middle = (low + high + 1) // 2
        if ts.text_width(heading.role, text[:middle].strip()) <= measure:
            low = middle
        else:
            high = middle - 1
    lines = "one line" if max_lines == 1 else f"at most {max_lines} lines"
    fit = low * max_lines
    return Problem(
        f"the banner's {name} is set in {lines}; at {heading.size:g} pt, its smallest size, "
        f"{'only ' if max_lines == 1 else 'about '}{fit} of its {len(text)} characters fit",
        page.directory / PAGE_FILE,
        field=f"headline.{name}",
        hint=f"shorten headline.{name} to {fit} characters or fewer"
        + (", or move words to headline.subtitle" if name == "title" else ""),
    )


def credits_lines(credits: Credits, ts: Typesetter) -> tuple[tuple[str, ...], ...]:
    """The credits set at the type width: each line's items, which the template spreads
    across it; a credit too long for one line is broken over lines of its own."""
    role = ts.roles[CREDITS_ROLE]
    width = ts.grid.type_width / CREDITS_PT
    lines: list[list[str]] = []
    used = width  # the line being filled: nothing fits after a full one
    for item in _credit_items(credits):
        wide = fonts.width(role, item)
        if wide > width:
            pieces = ts.heading(item, CREDITS_ROLE, (CREDITS_PT,), ts.grid.type_width).lines
            lines += [[piece] for piece in pieces]
            used = width
        elif used + CREDITS_GAP_EM + wide <= width:
            lines[-1].append(item)
            used += CREDITS_GAP_EM + wide
        else:
            lines.append([item])
            used = wide
    return tuple(map(tuple, lines))


def _credit_items(credits: Credits) -> list[str]:
    """What the credits print, in order: each credit line, then editors and designer."""
    staff = [
        f"{label}{names}"
        for label, names in (
            ("本版编辑：", " ".join(credits.editors)),
            ("美编：", credits.designer),
        )
        if names
    ]
    return [*credits.lines, *(["\u3000".join(staff)] if staff else [])]
