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
from ..model.copy import BANNER_ROLES, CREDITS_ROLE, LEDE_ROLE, PAGE_FILE
from ..model.document import Credits, Page
from ..model.grid import Grid
from ..model.layout import Banner, Box, Lede, Module, PlacedAd
from ..typeset import fonts
from ..typeset.measure import BodyRow, Heading, Typesetter

AIR_COST = 0.3  # per line of air around a headline or the lede: the cheapest lever
HEAD_AIR_ROWS = 2  # extra lines a headline block may take to fill its strip

LEAD_SIZES = (30.0, 28.0, 26.0, 24.0, 22.0, 20.0)
HEADLINE_SIZES = (24.0, 22.0, 20.0, 18.0, 16.0, 14.0)
KICKER_PT = 11.0
SUBHEAD_PT = 10.5
BYLINE_PT = 9.0
LOGO_PT = 10.5  # a column logo (栏目头), reversed
CAPTION_PT = 8.5
BANNER_SIZES = (72.0, 66.0, 60.0, 54.0, 48.0, 42.0, 36.0)
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
    """An item measured at one width: every height it can fill exactly, at a cost."""

    key: str  # article slug or "lede"
    columns: int
    costs: dict[int, float]  # rows → the cost of the cheapest variant of that height
    # (rows, column, row) → the item built, and the body lines with no room (drafts only)
    build: Callable[[int, int, int], tuple[Module | Lede | PlacedAd, tuple[BodyRow, ...]]] = field(
        repr=False
    )
    headline_pt: float = 0.0  # the largest it may be set at this width
    body: tuple[BodyRow, ...] = ()  # an article's body lines, for cuts and additions
    body_rows: int = 0  # lines of its longest body column, photos full width
    fits: bool = True  # False where the headline needs more than three lines, or a photo more room
    # rows given → (rows from the item's top to its headline's first line, headline pt)
    headline_at: Callable[[int], tuple[float, float]] = field(
        default=lambda rows: (0.0, 0.0), repr=False
    )
    levers: Callable[[int], tuple[str, ...]] = field(default=lambda rows: (), repr=False)

    @property
    def min_rows(self) -> int:
        return min(self.costs)

    @property
    def stretch(self) -> int:
        """Rows beyond the least it can take (not every height between need exist)."""
        return max(self.costs) - min(self.costs)


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

    def build(rows: int, column: int, row: int) -> tuple[Lede, tuple[BodyRow, ...]]:
        return Lede(Box(column, columns, row, rows), lines, LEDE_PT, pitch), ()

    costs = {min_rows + air: air * AIR_COST for air in range(HEAD_AIR_ROWS + 1)}
    return Sized("lede", columns, costs, build)


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
