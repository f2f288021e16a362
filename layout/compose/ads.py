"""Ads on the page dummy: their boxes fixed before a single article is placed.

The ad department books an ad's size and place, then the make-up editor fits
the copy around it, so here every ad becomes a box of whole columns, snapped
up to whole lines: a full-width ad takes its lines off the top or the foot of
the module area (a rule between it and the copy), any narrower one is pinned
for the strips to be cut around.  The artwork keeps its booked size, centred
in its box.  An ad that cannot go where it was booked is the booking's
error, said against its entry in page.yaml.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from ..errors import Problem, SourceError
from ..model.copy import PAGE_FILE
from ..model.document import Ad, Page
from ..model.grid import EAR_LABEL_PT, MM, Grid
from ..model.layout import Box, PlacedAd
from .sizes import Sized

AD = "ad:"  # an ad's key among the composer's items: never an article's slug
MIN_COPY_ROWS = 10  # what full-width ads must leave the copy: less is an ad page


@dataclass
class AdPlan:
    """Where the ads go, and what they leave of the type area for the copy."""

    top: int  # first line the copy may take
    bottom: int  # the line under the last the copy may take
    placed: list[PlacedAd] = field(default_factory=list)
    pins: dict[str, Box] = field(default_factory=dict)  # narrower ads: strips are cut around
    rules: list[tuple[str, Box]] = field(default_factory=list)  # between full-width ads and copy


def plan_ads(page: Page, grid: Grid, top: int, bottom: int) -> AdPlan:
    """Boxes for the page's ads in the lines `top`..`bottom` the banner and credits leave."""
    plan = AdPlan(top, bottom)
    problems: list[Problem] = []
    ordered = sorted(page.ads, key=lambda ad: ad.columns != grid.columns)  # full width first
    for ad in ordered:
        rows = math.ceil(ad.height_mm * MM / grid.line - 1e-9)
        if ad.at == "ear":
            plan.placed.append(_ear(ad, grid))
            continue
        if ad.columns == grid.columns and not isinstance(ad.at, tuple):
            _full_width(plan, ad, grid, rows)
            continue
        box = _narrow_box(plan, ad, grid, rows)
        plan.pins[f"{AD}{ad.index}"] = box
        plan.placed.append(_placed(ad, grid, box, plan.top))
    problems += _misplaced(page, plan, grid)
    if problems:
        raise SourceError(problems)
    return plan


def _full_width(plan: AdPlan, ad: Ad, grid: Grid, rows: int) -> None:
    """Take `rows` off the foot (or, `at: top`, the head) of what the copy has left."""
    above = plan.top
    if ad.at == "top":
        box = Box(0, grid.columns, plan.top, rows)
        plan.top += rows + 1
        plan.rules.append(("h", Box(0, grid.columns, plan.top - 1, 1)))
    else:
        box = Box(0, grid.columns, plan.bottom - rows, rows)
        plan.bottom -= rows + 1
        plan.rules.append(("h", Box(0, grid.columns, plan.bottom, 1)))
    plan.placed.append(_placed(ad, grid, box, above))


def _narrow_box(plan: AdPlan, ad: Ad, grid: Grid, rows: int) -> Box:
    if isinstance(ad.at, tuple):
        column, line = ad.at
        return Box(column - 1, ad.columns, line - 1, rows)
    column = 0 if ad.at == "left" else grid.columns - ad.columns
    row = plan.top if ad.at == "top" else plan.bottom - rows
    return Box(column, ad.columns, row, rows)


def _placed(ad: Ad, grid: Grid, box: Box, top: int) -> PlacedAd:
    """On the grid, its label in the rule's line above it, or below it under the banner."""
    x, y = grid.x(box.column), grid.y(box.row)
    frame = (x, y, grid.span_width(box.columns), box.rows * grid.line)
    label = grid.y(box.row - 1) if box.row > top else grid.y(box.row + box.rows)
    return PlacedAd(ad, box, frame, _centred(ad, frame), label)


def _ear(ad: Ad, grid: Grid) -> PlacedAd:
    """The 报眼: at the right of the masthead band, its label under the artwork."""
    width = grid.span_width(ad.columns)
    x = grid.x(grid.columns - ad.columns)
    y = grid.top - grid.head
    frame = (x, y, width, grid.head - grid.line)
    art_w, art_h = ad.width_mm * MM, ad.height_mm * MM
    room = frame[3] - EAR_LABEL_PT
    art = (x + (width - art_w) / 2, y + (room - art_h) / 2, art_w, art_h)
    return PlacedAd(ad, None, frame, art, y + room)


def _centred(ad: Ad, frame: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x, y, width, height = frame
    art_w, art_h = ad.width_mm * MM, ad.height_mm * MM
    return (x + (width - art_w) / 2, y + (height - art_h) / 2, art_w, art_h)


def _misplaced(page: Page, plan: AdPlan, grid: Grid) -> list[Problem]:
    """Ads that leave the type area, run into the banner or credits, or meet another ad."""
    problems = []
    narrow = [
        (p.ad, p.box) for p in plan.placed if p.box is not None and p.box.columns < grid.columns
    ]
    for ad, box in narrow:
        if box.column < 0 or box.column + box.columns > grid.columns:
            message = f"columns {box.column + 1}–{box.column + box.columns} run off the page"
        elif box.row < plan.top:
            message = f"line {box.row + 1} is above line {plan.top + 1}, where the copy starts"
        elif box.row + box.rows > plan.bottom:
            message = (
                f"its {box.rows} lines ({ad.height_mm:g} mm) from line {box.row + 1} run past "
                f"line {plan.bottom}"
            )
        else:
            continue
        problems.append(_problem(page, ad, message, _room_hint(plan, grid)))
    if plan.bottom - plan.top < MIN_COPY_ROWS:
        full = [p.ad for p in plan.placed if p.box is not None and p.box.columns == grid.columns]
        for ad in full[-1:]:
            message = f"the full-width ads leave {max(0, plan.bottom - plan.top)} lines for copy"
            problems.append(_problem(page, ad, message, "book lower ads, or fewer on this page"))
    for (a, box_a), (b, box_b) in itertools.combinations(narrow, 2):
        if _meet(box_a, box_b):
            problems.append(
                _problem(
                    page,
                    b,
                    f"overlaps {a.name} (lines {box_a.row + 1}–{box_a.row + box_a.rows}, "
                    f"columns {box_a.column + 1}–{box_a.column + box_a.columns}); "
                    "ads need a rule's line between them",
                    "place one of them elsewhere: `at: left`, `at: top` or `at: {column, line}`",
                )
            )
    return problems


def _meet(a: Box, b: Box) -> bool:
    across = a.column < b.column + b.columns and b.column < a.column + a.columns
    down = a.row < b.row + b.rows + 1 and b.row < a.row + a.rows + 1
    return across and down


def _room_hint(plan: AdPlan, grid: Grid) -> str:
    return (
        f"the page has {grid.columns} columns and lines {plan.top + 1}–{plan.bottom} "
        "for copy and ads; book a smaller ad or place it elsewhere"
    )


def _problem(page: Page, ad: Ad, message: str, hint: str) -> Problem:
    return Problem(
        f"{ad.name}: {message}",
        page.directory / PAGE_FILE,
        ad.line_no,
        f"ads[{ad.index - 1}]",
        hint,
    )


def ad_sized(placed: PlacedAd, key: str) -> Sized:
    """A pinned ad as an item of the search: one height, no cost, built as itself."""
    assert placed.box is not None, "only ads on the grid are pinned"
    box = placed.box

    def build(rows: int, column: int, row: int) -> tuple[PlacedAd, tuple]:
        return placed, ()

    return Sized(key, box.columns, {box.rows: 0.0}, build)
