"""The page the search works in: what every stage reads and none changes.

Plans, scores, pins and advice all ask the same questions of one page (how
many lines lie between banner and credits, which article leads, where the
editor pinned what, how an item measures at a width); one object answers
them, and measures each item at most once however often it is asked.
"""

from __future__ import annotations

from ..model.document import Page
from ..model.grid import Grid
from ..typeset.measure import Typesetter
from .pins import pins
from .sizes import Sized, article_sized, credits_lines, lede_sized, measure_banner

CREDITS_RULE_ROWS = 1  # above the credits: their rule and the space under it


class Frame:
    """One page: measured items, the rows they share, and the editor's pins."""

    def __init__(self, page: Page, grid: Grid, ts: Typesetter) -> None:
        self.page, self.grid, self.ts = page, grid, ts
        self.banner, self.banner_rows = measure_banner(page, grid, ts)
        self.credits = credits_lines(page.credits, ts)
        self.credits_rows = len(self.credits) + CREDITS_RULE_ROWS if self.credits else 0
        self.bottom = grid.rows - self.credits_rows
        self.area_rows = self.bottom - self.banner_rows
        self.articles = {a.slug: a for a in page.articles}
        self.lead = page.articles[0].slug
        self.priority = {a.slug: i for i, a in enumerate(page.articles)}
        self.sized: dict[tuple[str, int, float | None], Sized] = {}
        self.pins = pins(self)

    def size(self, key: str, columns: int, cap: float | None = None) -> Sized:
        """`key` measured at `columns`, its headline at most `cap` pt if given."""
        if (key, columns, cap) not in self.sized:
            self.sized[key, columns, cap] = (
                lede_sized(self.page.lede, columns, self.ts)
                if key == "lede"
                else article_sized(self.articles[key], columns, self.ts, key == self.lead, cap)
            )
        return self.sized[key, columns, cap]

    def name(self, key: str) -> str:
        """An item as the editor knows it: an article by its file's name, else the key itself."""
        if key in self.articles:
            return self.articles[key].file.name
        return key
