"""Compose the page: give every article a rectangle of whole columns and lines.

The type area is cut like a newspaper make-up man cuts it: the banner across
the top, then optionally one full-width item (the lede or the lead article),
then vertical strips of whole columns, each a stack of modules.  Every
arrangement of the items into strips is measured with the real line counts
and scored; the best one is kept.  A strip's spare lines go first to
photos (cropped at most 10 % a side), then to air around headlines; what is
left is a hole.  Copy that does not fit, or a page too empty to fill, is an
error that says by how much, never a clipped or gappy page.

The search is cut along its seams: sizes measures the items, plans lists the
arrangements, scoring measures each against the rules of make-up, pins checks
the editor's slots and advice says what to change when nothing fits; this
module drives them and places the winner.
"""

from __future__ import annotations

from ..errors import FitError, OversetError, Problem, UnderfillError
from ..model.document import Page
from ..model.grid import Grid
from ..model.layout import Box, Layout, Lede, Module
from ..typeset.fonts import Role
from ..typeset.measure import Typesetter
from .advice import Changes, no_plan_problem, note_changes, overset_problems, underfill_problems
from .frame import Frame
from .plans import plans
from .scoring import Outcome, detailed, evaluate, step_down


def compose(page: Page, grid: Grid, ts: Typesetter) -> Layout:
    """Lay out the page, or raise FitError saying what does not fit and by how much."""
    frame = Frame(page, grid, ts)
    return _place(frame, detailed(frame, _best(frame).plan))


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


def _best(frame: Frame) -> Outcome:
    """The best-ranked plan, or the error that says why even it will not do."""
    cuts: Changes = {}
    additions: Changes = {}
    best: Outcome | None = None
    for plan in plans(frame):
        outcome = evaluate(frame, plan)
        for _ in range(4):  # stepping one headline down may move another beside one
            if outcome is not None and outcome.butting:
                outcome = evaluate(frame, step_down(frame, outcome)) or outcome
        if outcome is None:
            continue
        note_changes(frame, outcome, cuts, additions)
        if best is None or outcome.rank < best.rank:
            best = outcome
    if best is None:
        raise FitError(no_plan_problem(frame))
    if best.overflow > 0:
        raise OversetError(overset_problems(frame, best, cuts))
    if best.tombstones:
        raise FitError(
            Problem(
                "every arrangement sets two headlines side by side at the same height",
                frame.page.directory / "page.yaml",
                field="articles",
                hint="move a slot down a few lines"
                if frame.pins
                else "shorten the copy so the modules fall differently, or add a lede",
            )
        )
    if best.underfill:
        raise UnderfillError(underfill_problems(frame, best, additions))
    return best


def _place(frame: Frame, out: Outcome) -> Layout:
    grid = frame.grid
    rules: list[tuple[str, Box]] = []
    if frame.banner:
        rules.append(("h", Box(0, grid.columns, frame.banner_rows - 1, 1)))
    strip_top = frame.banner_rows + sum(
        box.rows + 1 for key, box in out.placed if key in out.plan.top
    )
    placed_items = []
    for key, box in out.placed:
        item = out.item(frame, key, box.columns)
        placed_items.append(item.build(box.rows, box.column, box.row))
        if key in out.plan.top:
            rules.append(("h", Box(0, grid.columns, box.row + box.rows, 1)))
        elif box.row > strip_top:
            rules.append(("h", Box(box.column, box.columns, box.row - 1, 1)))
    column = 0
    for index, (width, _) in enumerate(out.plan.strips):
        if index:
            rules.append(("v", Box(column, 0, strip_top, frame.bottom - strip_top)))
        column += width
    credits = Box(0, grid.columns, frame.bottom, frame.credits_rows) if frame.credits_rows else None
    ledes = [p for p in placed_items if isinstance(p, Lede)]
    return Layout(
        grid,
        frame.banner,
        ledes[0] if ledes else None,
        tuple(p for p in placed_items if isinstance(p, Module)),
        credits,
        tuple(out.holes),
        tuple(rules),
        frame.credits,
    )
