"""Advice: what to cut or add when no arrangement fits, said in lines and characters.

An error that only said "does not fit" would leave the editor guessing; the
search already knows, for every near miss, which one article could lose or
gain how much, so the report turns that into a change an editor can make.
"""

from __future__ import annotations

from ..errors import Problem
from ..model.document import Article
from .frame import Frame
from .pins import where
from .scoring import Outcome, detailed
from .sizes import CREDITS_PT
from .stacking import MAX_HOLE_ROWS

# smallest change to one article that makes the page fit: key -> (lines, columns)
Changes = dict[str, tuple[int, int]]


def note_changes(frame: Frame, out: Outcome, cuts: Changes, additions: Changes) -> None:
    """Remember, per article, the smallest cut or addition that would make this plan fit."""
    if out.tombstones:
        return
    if out.overflow and not out.underfill and len(out.short) == 1:
        rows, width, keys = out.short[0]
        for key in keys:
            item = out.item(frame, key, width)
            if key != "lede" and item.body_rows > rows:
                lines = len(item.body) - width * (item.body_rows - rows)
                _keep_least(cuts, key, (lines, width))
    if not out.overflow and len(out.gaps) == 1:
        rows, width, keys = out.gaps[0]
        for key in keys:
            item = out.item(frame, key, width)
            if key != "lede":
                lines = width * (item.body_rows + rows - 1) + 1 - len(item.body)
                _keep_least(additions, key, (lines, width))


def overset_problems(frame: Frame, out: Outcome, cuts: Changes) -> list[Problem]:
    over_lines = sum(rows * width for rows, width, _ in out.short)
    problems = _credits_problems(frame)
    problems.append(
        Problem(
            f"the copy does not fit the {frame.grid.format.name} page: overset by "
            f"{_lines(over_lines)} (≈{over_lines * frame.grid.chars} characters) "
            "in the best arrangement found",
            frame.page.directory / "page.yaml",
            field="articles",
            hint="cut one article as said below, or cut several a little"
            + (", or use format: broadsheet" if frame.grid.format.name == "tabloid" else ""),
        )
    )
    stacks = {key: (rows, width, keys) for rows, width, keys in out.short for key in keys}
    for article in frame.page.articles:
        if article.slug in cuts:
            lines, width = cuts[article.slug]
            body = frame.size(article.slug, width).body
            chars = sum(len(row.line.text) for row in body[-lines:])
            message = (
                f"overset by {_lines(lines)} (≈{chars} characters) in a {width}-column "
                "module: cut that much from this article and the page fits"
            )
        elif article.slug in stacks:
            rows, width, keys = stacks[article.slug]
            others = [frame.name(k) for k in keys if k != article.slug]
            message = (
                f"overset: in the best arrangement its {width}-column module"
                + (f" (stacked with {', '.join(others)})" if others else "")
                + f" is {_lines(rows)} too short (≈{rows * width * frame.grid.chars} characters)"
            )
        else:
            continue
        problems.append(Problem(message, article.file, field="body"))
    return problems


def _credits_problems(frame: Frame) -> list[Problem]:
    """Credits of more than one line take rows from the articles: say so first."""
    if len(frame.credits) <= 1:
        return []
    per_line = int(frame.grid.type_width // CREDITS_PT)
    return [
        Problem(
            f"the credits take {_lines(len(frame.credits))} at the foot of the page, "
            "and the articles do not fit above them",
            frame.page.directory / "page.yaml",
            field="credits",
            hint=f"shorten the credits (a line holds about {per_line} characters), "
            "or cut the articles as said below",
        )
    ]


def underfill_problems(frame: Frame, out: Outcome, additions: Changes) -> list[Problem]:
    chars = frame.grid.chars
    problems = []
    for hole in (h for h in detailed(frame, out.plan).holes if h.box.rows > MAX_HOLE_ROWS):
        box = hole.box
        problems.append(
            Problem(
                f"the page is underfilled: {box.rows} empty lines ({where(box)}) "
                f"after {frame.name(hole.after)}",
                frame.page.directory / "page.yaml",
                field="articles",
                hint=f"add about {box.rows * box.columns * chars} characters of copy or a photo"
                + (", or use format: tabloid" if frame.grid.format.name == "broadsheet" else ""),
            )
        )
    for article in frame.page.articles:
        if article.slug in additions:
            lines, width = additions[article.slug]
            problems.append(
                Problem(
                    f"underfilled: add {_lines(lines)} (≈{lines * chars} characters) to this "
                    f"article, set in a {width}-column module, and the page is full",
                    article.file,
                    field="body",
                )
            )
    return problems


def no_plan_problem(frame: Frame) -> list[Problem]:
    fitting = {key for (key, _, _), s in frame.sized.items() if s.fits}
    unfit = sorted({key for (key, _, _), s in frame.sized.items() if not s.fits} - fitting)
    problems = [_unfit_problem(frame.articles[key]) for key in unfit if key in frame.articles]
    return problems or [
        Problem(
            "the pinned modules leave no arrangement for the other articles",
            frame.page.directory / "page.yaml",
            field="articles",
            hint="a full-width slot goes right under the banner; pin fewer modules, "
            "or let the others span whole columns beside the pins",
        )
    ]


def _unfit_problem(article: Article) -> Problem:
    """Why an article fits no module: a vertical headline longer than any module of it is
    high, photos the editor holds to widths, else its headline."""
    if article.headline_vertical:
        return Problem(
            f"its vertical headline ({len(article.headline)} characters, two lines at most) "
            "is longer than any module its text fills is high",
            article.file,
            field="headline_vertical",
            hint="shorten the headline, give the story more text or a taller slot, "
            "or set the headline across: remove `headline_vertical: true`",
        )
    if any(i.min_columns or i.max_columns for i in article.images):
        return Problem(
            "its photos' min_columns/max_columns leave no module width in which the body "
            "runs beside or under them",
            article.file,
            field="images",
            hint="widen the photos' column range, or leave min_columns/max_columns out",
        )
    return Problem(
        "its headline needs more than 3 lines in every module it could have",
        article.file,
        field="headline",
        hint="shorten the headline, or unpin its module",
    )


def _lines(count: int) -> str:
    return f"{count} line" + ("" if count == 1 else "s")


def _keep_least(found: Changes, key: str, value: tuple[int, int]) -> None:
    if key not in found or value < found[key]:
        found[key] = value
