"""How a module sets in a slot the editor is trying, before anything is written or built.

The live proof's make-up asks this while a module is held over the grid.  It
measures the article as the composer does (`furnished_sized`) and stacks it
alone in the slot (`stacking.fill`), as the composer stacks a pinned module,
so what it says is what a build with the module pinned there gives that
module: the height it takes, the body lines it holds and has room for, the
lines that find no room or the empty lines left under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.document import Page
from ..model.layout import Module
from ..typeset.measure import Typesetter
from .frame import FILLER_HEADLINE_PT
from .furniture import furnished_sized
from .stacking import MAX_HOLE_ROWS, fill


@dataclass(frozen=True)
class SlotFit:
    rows: int  # the height the module takes: the slot's, or less with a hole under it
    lines_used: int  # body lines set in it
    lines_available: int  # body lines its columns hold at that height
    overset: int  # body lines with no room
    hole: int  # empty lines left at the slot's foot
    heights: tuple[int, ...]  # every height it fills exactly at this width

    @property
    def fits(self) -> bool:
        return self.overset == 0 and self.hole <= MAX_HOLE_ROWS


def slot_fit(page: Page, ts: Typesetter, name: str, columns: int, rows: int) -> SlotFit:
    """The article of file `name` pinned in a slot `columns` wide and `rows` high;
    KeyError if the page has no such article."""
    fillers = {filler.file.name: filler for filler in page.fillers}
    articles = {  # the rest of another page's article shares its file's name: never asked for
        article.file.name: article for article in page.articles if article.continued_from is None
    } | fillers
    article = articles[name]
    lead = article is page.articles[0]
    cap = FILLER_HEADLINE_PT if name in fillers else None
    sized = furnished_sized(article, columns, ts, lead, cap)
    if not sized.fits:  # its headline or photo needs more width: nothing of it can be set
        return SlotFit(rows, 0, 0, len(sized.body), 0, ())
    chosen = fill([sized], rows, {})
    height = chosen.rows[0] if not chosen.overflow else rows
    module, spill = sized.build(height, 0, 0)
    assert isinstance(module, Module), "an article's item builds a module"
    return SlotFit(
        height,
        module.lines_used,
        module.lines_available,
        len(spill),
        max(chosen.hole, 0),
        tuple(sorted(sized.costs)),
    )
