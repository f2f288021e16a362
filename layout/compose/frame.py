"""The page the search works in: what every stage reads and none changes.

Plans, scores, pins and advice all ask the same questions of one page (how
many lines lie between banner and credits, which article leads, where the
editor pinned what, how an item measures at a width); one object answers
them, and measures each item at most once however often it is asked.
"""

from __future__ import annotations

from dataclasses import replace

from ..model.document import Page
from ..model.grid import Grid
from ..typeset.measure import Typesetter
from .ads import AD, ad_sized, plan_ads
from .furniture import furnished_sized
from .pins import pins
from .sizes import Sized, credits_lines, lede_sized, measure_banner

CREDITS_RULE_ROWS = 1  # above the credits: their rule and the space under it
FILLER = "filler:"  # the key of a 补白 item: never an article's slug, which has no colon
FILLER_HEADLINE_PT = 14.0  # a filler's headline stays below every article's


class Frame:
    """One page: measured items, the rows they share, and the editor's pins."""

    def __init__(self, page: Page, grid: Grid, ts: Typesetter) -> None:
        self.page, self.grid, self.ts = page, grid, ts
        self.banner, self.banner_rows = measure_banner(page, grid, ts)
        self.credits = credits_lines(page.credits, ts)
        self.credits_rows = len(self.credits) + CREDITS_RULE_ROWS if self.credits else 0
        self.credits_row = grid.rows - self.credits_rows
        self.ads = plan_ads(page, grid, self.banner_rows, self.credits_row)
        self.top, self.bottom = self.ads.top, self.ads.bottom  # the lines the copy may take
        self.area_rows = self.bottom - self.top
        # a filler a layout file pinned is placed there like an article; the rest wait for holes
        pinned = tuple(f for f in page.fillers if f.slot)
        self.articles = {a.slug: a for a in (*page.articles, *pinned)}
        self.lead = page.articles[0].slug
        self.fillers = {FILLER + f.slug: f for f in page.fillers if not f.slot}
        self.placed_fillers = {f.slug for f in pinned} | set(self.fillers)
        self.priority = {a.slug: i for i, a in enumerate(self.articles.values())} | {
            key: len(self.articles) + i for i, key in enumerate(self.fillers)
        }
        self.sized: dict[tuple[str, int, float | str | None], Sized] = {}
        self.stacks: dict = {}  # stacking.fill's answers, keyed by these items' identity
        self.pins = pins(self) | self.ads.pins
        self.ad_items = {
            key: ad_sized(placed, key)
            for placed in self.ads.placed
            if (key := f"{AD}{placed.ad.index}") in self.ads.pins
        }

    def size(self, key: str, columns: int, cap: float | None = None) -> Sized:
        """`key` measured at `columns`, its headline at most `cap` pt if given."""
        if key in self.ad_items:
            return self.ad_items[key]
        if (key, columns, cap) not in self.sized:
            if key == "lede":
                sized = lede_sized(self.page.lede, columns, self.ts)
            elif key in self.placed_fillers:  # waiting for a hole, or pinned by a layout file
                limit = min(cap or FILLER_HEADLINE_PT, FILLER_HEADLINE_PT)
                filler = self.fillers.get(key) or self.articles[key]
                sized = furnished_sized(filler, columns, self.ts, False, limit)
                sized.key = key  # an article's key is its slug, a waiting filler's is marked
            else:
                sized = furnished_sized(self.articles[key], columns, self.ts, key == self.lead, cap)
            self.sized[key, columns, cap] = sized
        return self.sized[key, columns, cap]

    def largest(self, key: str, columns: int) -> Sized:
        """`key` at `columns` in only the heights that keep its largest headline: the
        lead beside a wider module stands out by its headline, whatever else moves."""
        if (key, columns, "largest") not in self.sized:
            sized = self.size(key, columns)
            costs = {
                rows: cost
                for rows, cost in sized.costs.items()
                if sized.headline_at(rows)[1] >= sized.headline_pt
            }
            self.sized[key, columns, "largest"] = replace(
                sized, costs=costs or sized.costs, fits=sized.fits and bool(costs)
            )
        return self.sized[key, columns, "largest"]

    def name(self, key: str) -> str:
        """An item as the editor knows it: an article by its file's name, else the key itself."""
        if key in self.articles:
            return self.articles[key].file.name
        if key in self.fillers:
            return self.fillers[key].file.name
        if key in self.ad_items:
            return next(p.ad.name for p in self.ads.placed if f"{AD}{p.ad.index}" == key)
        return key
