"""The furniture around an article's module: a vertical headline beside it, a box around it.

Both are sized in the grid's units, so the composer fits them like anything
else.  A vertical headline (竖排标题) takes the module's right-hand column:
the body keeps its column measure in the others, and the headline, set
upright a character to an em (`typeset/vertical.py`), must be no longer
than the module is high; the composer may set it smaller, as it does a
headline, and keeps only the heights at which it fits.  A box (花边/框)
adds a line of air above and below its story, inside its rule; its sides
run down the middle of the gutters, half an em from the text, so the body
keeps the page's columns and baseline grid inside the box.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from ..model.copy import HEAD_ROLES
from ..model.document import Article
from ..model.layout import Box, Module
from ..typeset.measure import BodyRow, Typesetter
from ..typeset.vertical import VerticalHeading, vertical_heading
from .sizes import Sized
from .variants import article_sized

VERTICAL_SIZES = (36.0, 32.0, 28.0, 24.0, 22.0, 20.0, 18.0)
BOX_ROWS = 1  # lines of air inside a box, above and below its story


def furnished_sized(
    article: Article, columns: int, ts: Typesetter, lead: bool, cap: float | None = None
) -> Sized:
    """Every height `article` can fill exactly in a module of `columns`, furniture included."""
    if article.headline_vertical:
        if columns < 2:  # the headline's column and at least one of text
            return Sized(article.slug, columns, {}, _no_build, fits=False)
        sized = _vertical(article, columns, ts, article_sized(article, columns - 1, ts, lead, cap))
    else:
        sized = article_sized(article, columns, ts, lead, cap)
    return _boxed(article, sized) if article.box else sized


def _vertical(article: Article, columns: int, ts: Typesetter, inner: Sized) -> Sized:
    """`inner` (the article without its headline, a column narrower) with the headline set
    upright in the column to its right, at each height where it fits."""
    grid = ts.grid
    headings: dict[int, VerticalHeading] = {}
    for rows in inner.costs:
        heading = vertical_heading(
            article.headline,
            HEAD_ROLES["headline"],
            VERTICAL_SIZES,
            grid.column_width - grid.em,
            rows * grid.line,
        )
        if heading is not None:
            headings[rows] = heading
    if not headings:
        return replace(inner, columns=columns, costs={}, fits=False)
    costs = {rows: inner.costs[rows] + VERTICAL_SIZES[0] - h.size for rows, h in headings.items()}
    least = headings[min(headings)]

    def build(rows: int, column: int, row: int) -> tuple[Module, tuple[BodyRow, ...]]:
        module, spill = inner.build(rows, column, row)
        assert isinstance(module, Module)
        heading = headings.get(rows, least)  # shorter than the least: a draft
        return replace(module, box=Box(column, columns, row, rows), vertical=heading), spill

    return replace(
        inner,
        columns=columns,
        costs=costs,
        build=build,
        headline_pt=max(h.size for h in headings.values()),
        headline_at=lambda rows: (0.0, 0.0),  # no headline across: none to butt another
    )


def _boxed(article: Article, inner: Sized) -> Sized:
    """`inner` with a line of air above and below, inside the box's rule."""
    if not inner.costs:
        return inner
    pad = 2 * BOX_ROWS

    def build(rows: int, column: int, row: int) -> tuple[Module, tuple[BodyRow, ...]]:
        module, spill = inner.build(max(rows - pad, 0), column, row + BOX_ROWS)
        assert isinstance(module, Module)
        box = Box(column, module.box.columns, row, rows)
        return replace(module, box=box, head_offset=module.head_offset + BOX_ROWS), spill

    @functools.cache
    def headline_at(rows: int) -> tuple[float, float]:
        top, size = inner.headline_at(rows - pad)
        return (top + BOX_ROWS if size else 0.0), size

    return replace(
        inner,
        costs={rows + pad: cost for rows, cost in inner.costs.items()},
        build=build,
        headline_at=headline_at,
    )


def _no_build(rows: int, column: int, row: int):
    raise AssertionError("an item that does not fit is never placed")
