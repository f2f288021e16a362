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

from collections.abc import Callable
from dataclasses import replace

from ..errors import FitError, OversetError, Problem, UnderfillError
from ..model.document import Page
from ..model.grid import FORMATS, Grid
from ..model.layout import Box, Layout, Lede, Module, Overset, PlacedAd
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


TypesetterFor = Callable[[dict[str, Role], Grid], Typesetter]


def compose_page(
    page: Page, roles: dict[str, Role], typesetter: TypesetterFor = Typesetter
) -> Layout:
    """Lay out the page; with `format: auto`, in the format its copy suits.

    `typesetter` makes the measurer for a grid: the live proof passes one that keeps
    them between builds of a page, so an edit of its make-up sets no line again.

    The format whose usual page the copy fills nearest to FULL is tried first;
    if the page does not fit it, the other; if neither, the first one's error.
    """
    if page.format != "auto":
        return _compose_format(page, page.format, roles, typesetter)
    first: FitError | None = None
    for name in sorted(FORMATS, key=lambda name: abs(_fill_estimate(page, name) - FULL)):
        try:
            layout = _compose_format(page, name, roles, typesetter)
        except FitError as error:
            first = first or error
            continue
        return replace(layout, levers=tuple(sorted({*layout.levers, "format"})))
    assert first is not None
    raise first


FULL = 0.7  # body characters per character of the type area on a full page: the rest is furniture


def _fill_estimate(page: Page, name: str) -> float:
    """Body characters over the characters the format's usual type area holds."""
    grid = Grid.for_format(name, masthead=page.masthead is not None)
    chars = sum(len(block.text) for article in page.articles for block in article.blocks)
    return chars / (grid.columns * grid.chars * grid.rows)


def _compose_format(
    page: Page, name: str, roles: dict[str, Role], typesetter: TypesetterFor
) -> Layout:
    """Lay out the page in the usual body size, or a larger one if the copy is short.

    Newspapers set a thin page in 五号 rather than leave it half empty; the
    column width stays the same, so only the characters per line change.  A
    layout file fixes the body size, and then only that one is tried.
    """
    grids = Grid.variants(name, masthead=page.masthead is not None)
    if page.body_pt is not None:
        grids = [g for g in grids if g.em == page.body_pt]
    *usual, largest = grids
    short: UnderfillError | None = None
    for grid in usual:
        try:
            return compose(page, grid, typesetter(roles, grid))
        except UnderfillError as error:
            short = short or error
    try:
        layout = compose(page, largest, typesetter(roles, largest))
    except OversetError as error:
        if short is None:
            raise
        # short at the usual size, long at the larger: the usual size's report helps more
        over = error.problems[0].message
        shown = UnderfillError(
            [*short.problems, Problem(f"in the larger {largest.em:g} pt body instead, {over}")]
        )
        shown.draft = short.draft
        raise shown from None
    return replace(layout, levers=tuple(sorted({*layout.levers, "body size"}))) if usual else layout


def _best(frame: Frame) -> Outcome:
    """The best-ranked plan, or the error that says why even it will not do; the
    error carries that plan placed as a draft (`_place`)."""
    cuts: Changes = {}
    additions: Changes = {}
    best: Outcome | None = None
    for plan in plans(frame):
        # once a plan fits, one that cannot beat it is dropped unmeasured: no advice is needed
        fits = best is not None and best.rank[:3] == (0, 0, 0)
        bound = best.rank if best is not None and fits else None
        outcome = evaluate(frame, plan, bound=bound)
        for _ in range(4):  # stepping one headline down may move another beside one
            if outcome is not None and outcome.butting:
                outcome = evaluate(frame, step_down(frame, outcome), bound=bound) or outcome
        if outcome is None:
            continue
        note_changes(frame, outcome, cuts, additions)
        if best is None or outcome.rank < best.rank:
            best = outcome
    if best is None:
        raise FitError(no_plan_problem(frame))
    error: FitError | None = None
    if best.overflow > 0:
        error = OversetError(overset_problems(frame, best, cuts))
    elif best.tombstones:
        error = FitError(
            Problem(
                "every arrangement sets two headlines side by side at the same height",
                frame.page.directory / "page.yaml",
                field="articles",
                hint="move a slot down a few lines"
                if frame.pins
                else "shorten the copy so the modules fall differently, or add a lede",
            )
        )
    elif best.underfill:
        error = UnderfillError(underfill_problems(frame, best, additions))
    if error is not None:
        error.draft = _place(frame, detailed(frame, best.plan), draft=True)
        raise error
    return best


def _boxed_side(rule: tuple[str, Box], items: list[Module | Lede]) -> bool:
    """A rule that parts a boxed story from the module above or below it: the box's own
    rule does that, and two would print as one heavy double line."""
    kind, line = rule
    return kind == "h" and any(
        isinstance(item, Module)
        and item.article.box is not None
        and line.row in (item.box.row - 1, item.box.row + item.box.rows)
        and (line.column, line.columns) == (item.box.column, item.box.columns)
        for item in items
    )


def _place(frame: Frame, out: Outcome, *, draft: bool = False) -> Layout:
    grid = frame.grid
    rules: list[tuple[str, Box]] = []
    if frame.banner:
        rules.append(("h", Box(0, grid.columns, frame.banner_rows - 1, 1)))
    rules += frame.ads.rules
    strip_top = frame.top + sum(box.rows + 1 for key, box in out.placed if key in out.plan.top)
    placed_items: list[Module | Lede] = []
    levers: set[str] = set()
    overset: list[Overset] = []
    short = dict(out.short_boxes)
    for key, box in out.placed:
        item = out.item(frame, key, box.columns)
        built, spill = item.build(box.rows, box.column, box.row)
        if isinstance(built, PlacedAd):
            if box.row > strip_top:
                rules.append(("h", Box(box.column, box.columns, box.row - 1, 1)))
            continue
        if key in frame.placed_fillers and isinstance(built, Module):
            built = replace(built, filler=True)
            levers.add("filler")
        placed_items.append(built)
        levers.update(item.levers(box.rows))
        if spill or key in short:
            overset.append(Overset(key, box, spill))
        if key in out.plan.top:
            rules.append(("h", Box(0, grid.columns, box.row + box.rows, 1)))
        elif box.row > strip_top:
            rules.append(("h", Box(box.column, box.columns, box.row - 1, 1)))
    for key, box in out.short_boxes:
        if box.rows <= 0:  # no room at all: every line of it is over
            overset.append(Overset(key, box, out.item(frame, key, box.columns).body))
    column = 0
    for index, (width, _) in enumerate(out.plan.strips):
        if index:
            rules.append(("v", Box(column, 0, strip_top, frame.bottom - strip_top)))
        column += width
    rules = [rule for rule in rules if not _boxed_side(rule, placed_items)]
    credits = (
        Box(0, grid.columns, frame.credits_row, frame.credits_rows) if frame.credits_rows else None
    )
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
        tuple(sorted(levers)),
        draft,
        tuple(overset),
        tuple(frame.ads.placed),
    )
