"""Chinese line breaking and inter-character justification (W3C clreq).

WeasyPrint justifies by stretching spaces, and Chinese has none; Pango knows
only the basic UAX #14 rules.  So we break lines ourselves, on font widths
measured with HarfBuzz, and hand the renderer finished lines: each unit of
text with the extra space to set after it.  The renderer never re-breaks a
line, so the number of lines measured here is the number printed.

The rules, in clreq's terms:
- a line never starts with a closing mark or a pause/stop mark, and never
  ends with an opening mark; `——` and `……` are never split;
- adjacent punctuation is compressed (`。”` is 1.5 em, not 2), and a closing
  mark at the end of a line is set half-width;
- when a line cannot take the next cluster, it either compresses punctuation
  to take it (push in) or leaves it for the next line and expands (push out);
  the choice is made for the whole paragraph at once, as TeX does, so that
  no line has to take a wide gap that a neighbour could have spared it;
- extra space goes between characters, not inside a Latin word or number
  (but see the last rule); about ¼ em separates Han from Latin letters and digits;
- a paragraph's last line never holds a single character;
- a Latin word (a URL, code, markup) that keeps a paragraph from being set is
  broken between its characters, without a hyphen: after `/ . - _ ? & =`
  where it can, else anywhere; a line that is one piece of such a word has
  its letters spaced, as a compositor would.  Only paragraphs that cannot be
  set with their words whole are broken this way.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from ..model.document import Span
from .units import (
    EPSILON,
    OPENING,
    Kind,
    Measure,
    Unit,
    clusters_of,
    letters,
    rejoined,
    units_of,
)

AUTOSPACE = 0.25  # em between Han and Latin letters or digits
AUTOSPACE_MIN = 0.125  # ... when a line is tight


@dataclass(frozen=True)
class Piece:
    """A unit as set in its line: half-width or not, and the space after it."""

    text: str
    bold: bool
    kind: Kind
    halt: bool
    width: float
    gap: float  # em after this piece (0 for the last)


@dataclass(frozen=True)
class Line:
    pieces: tuple[Piece, ...]
    indent: float  # em before the first piece
    measure: float  # em available after the indent
    final: bool  # the paragraph's last line: not justified

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    @property
    def width(self) -> float:
        """Set width in em, up to the end of the last visible piece."""
        visible = _trim_space(self.pieces)
        return sum(p.width + p.gap for p in visible) - (visible[-1].gap if visible else 0.0)


def _is_punct(unit: Unit) -> bool:
    return unit.kind in (Kind.OPEN, Kind.CLOSE)


def _autospaced(a: Unit, b: Unit) -> bool:
    return (a.kind is Kind.HAN and b.kind is Kind.LATIN) or (
        a.kind is Kind.LATIN and b.kind is Kind.HAN
    )


Item = TypeVar("Item", Unit, Piece)


def _trim_space(items: Sequence[Item]) -> Sequence[Item]:
    """Without the spaces that end a line: they hang past the measure, unseen."""
    end = len(items)
    while end and items[end - 1].kind is Kind.SPACE:
        end -= 1
    return items[:end]


@dataclass
class _Draft:
    """A candidate line: which units are half-width and what gaps they get."""

    units: list[Unit]
    halt: list[bool]
    gaps: list[float]
    spaced: bool = False  # the letters of a Latin word are spaced apart (see _draft)

    @classmethod
    def natural(cls, units: list[Unit], *, line_end: bool) -> _Draft:
        halt = [False] * len(units)
        for i, unit in enumerate(units):
            if not unit.compressible:
                continue
            after = units[i + 1] if i + 1 < len(units) else None
            before = units[i - 1] if i else None
            if unit.kind is Kind.CLOSE and after is not None and _is_punct(after):
                halt[i] = True  # 。” ，“ ）。: the first closes up to its neighbour
            elif (
                unit.kind is Kind.OPEN
                and before is not None
                and _is_punct(before)
                and not halt[i - 1]
            ):
                halt[i] = True  # “《: the second closes up
        visible = len(_trim_space(units))
        if line_end and visible and units[visible - 1].kind is Kind.CLOSE:
            halt[visible - 1] = units[visible - 1].compressible
        gaps = [AUTOSPACE if _autospaced(a, b) else 0.0 for a, b in itertools.pairwise(units)]
        return cls(units, halt, [*gaps, 0.0])

    @property
    def visible(self) -> int:
        return len(_trim_space(self.units))

    @property
    def width(self) -> float:
        n = self.visible
        widths = sum(
            u.halt_width if h else u.width
            for u, h in zip(self.units[:n], self.halt[:n], strict=True)
        )
        return widths + sum(self.gaps[: max(n - 1, 0)])

    def _squeezable(self) -> list[int]:
        """Marks still full-width that may be set half-width to take one more cluster:
        closing marks inside the line, and opening marks right after another mark."""
        n = self.visible
        return [
            i
            for i in range(n)
            if self.units[i].compressible
            and not self.halt[i]
            and (self.units[i].kind is Kind.CLOSE or (i and _is_punct(self.units[i - 1])))
        ]

    def shrinkable(self) -> float:
        """How much narrower the line can be made by compressing punctuation and autospace."""
        n = self.visible
        gaps = sum(g - AUTOSPACE_MIN for g in self.gaps[: max(n - 1, 0)] if g > AUTOSPACE_MIN)
        marks = sum(self.units[i].width - self.units[i].halt_width for i in self._squeezable())
        return gaps + marks

    def shrink(self, amount: float) -> None:
        """Narrow by at least `amount`: autospace first, then punctuation from the right."""
        n = self.visible
        for i in range(n - 1):
            if amount <= EPSILON:
                return
            take = min(self.gaps[i] - AUTOSPACE_MIN, amount)
            if take > 0:
                self.gaps[i] -= take
                amount -= take
        for i in reversed(self._squeezable()):
            if amount <= EPSILON:
                return
            self.halt[i] = True
            amount -= self.units[i].width - self.units[i].halt_width

    def needed_gap(self, extra: float) -> float:
        """The gap justification widens to, to spread `extra` em (the measure less the
        width): 0 if there is none to spread, infinite if the line has no gap to widen."""
        if extra <= EPSILON:
            return 0.0
        n = self.visible
        return fill_level(self.gaps[: n - 1], extra) if n > 1 else math.inf

    def justify(self, measure: float) -> None:
        """Spread what is left of the measure over the gaps, narrowest gaps first.

        The Han–Latin autospace is already a gap: it grows only once the plain
        gaps have caught up with it, so no gap is wider than it must be.
        """
        n = self.visible
        extra = measure - self.width
        if n > 1 and extra > EPSILON:
            level = fill_level(self.gaps[: n - 1], extra)
            for i in range(n - 1):
                self.gaps[i] = max(self.gaps[i], level)

    def pieces(self) -> tuple[Piece, ...]:
        n = self.visible
        return tuple(
            Piece(
                u.text,
                u.bold,
                u.kind,
                h,
                u.halt_width if h else u.width,
                self.gaps[i] if i < n - 1 else 0.0,
            )
            for i, (u, h) in enumerate(zip(self.units, self.halt, strict=True))
        )


def fill_level(gaps: Sequence[float], extra: float) -> float:
    """The width every gap narrower than it is raised to, to use up `extra` em."""
    ordered = sorted(gaps)
    for count in range(len(ordered), 0, -1):
        level = (extra + sum(ordered[:count])) / count
        fits_below = count == len(ordered) or level <= ordered[count]
        if fits_below and level >= ordered[count - 1]:
            return level
    return ordered[0] + extra / len(ordered)


def _flatten(clusters: Sequence[list[Unit]]) -> list[Unit]:
    return [unit for cluster in clusters for unit in cluster]


def _split_oversized(clusters: list[list[Unit]], measure: float, em: Measure) -> list[list[Unit]]:
    """Last resort for a cluster wider than a whole line (a long URL): break it by character."""
    result = []
    for cluster in clusters:
        if _Draft.natural(cluster, line_end=True).width <= measure + EPSILON:
            result.append(cluster)
            continue
        for unit in cluster:
            for char in unit.text:
                width = em(char, unit.bold, False)
                result.append([Unit(char, unit.bold, unit.kind, width, width)])
    return result


def display_pieces(text: str) -> list[str]:
    """`text` cut only where a line may break by the body's rules, for display type
    (headlines, captions, the banner), which is broken between whole pieces: no piece
    starts with a closing mark and none but the last ends with an opening one, spaces
    after it included; `——` and `……` stay whole.  Joined, the pieces are `text`."""
    pieces: list[str] = []
    for cluster in clusters_of(units_of((Span(text),), _unmeasured)):
        piece = "".join(unit.text for unit in cluster)
        if pieces and (not pieces[-1].strip() or pieces[-1].rstrip()[-1] in OPENING):
            pieces[-1] += piece  # a space after an opening mark (or nothing) is no break
        else:
            pieces.append(piece)
    return pieces


def _unmeasured(text: str, bold: bool, halt: bool) -> float:
    """Where a line may break does not depend on widths."""
    return 0.0


def break_paragraph(
    spans: Sequence[Span],
    measure: float,
    em: Measure,
    *,
    indent: float = 0.0,
    justify: bool = True,
) -> list[Line]:
    """Break one paragraph into lines of `measure` em, the first indented by `indent` em.

    Latin words stay whole unless then some line cannot be set (see _settable):
    only then is the paragraph broken again from its words' single characters.
    """
    units = units_of(spans, em)
    lines = _set_lines(units, measure, em, indent, justify)
    if all(_settable(line, justify) for line in lines):
        return lines
    return _set_lines(letters(units, em), measure, em, indent, justify)


def _set_lines(
    units: list[Unit], measure: float, em: Measure, indent: float, justify: bool
) -> list[Line]:
    """`units` broken where the paragraph costs least, each line set and justified."""
    clusters = _split_oversized(clusters_of(units), measure - indent, em)
    breaks = _best_breaks(clusters, measure, indent, em)
    lines = []
    for number, (start, end) in enumerate(breaks):
        final = number == len(breaks) - 1
        available = measure - (indent if number == 0 else 0.0)
        draft = _draft(_flatten(clusters[start:end]), available, final, em)
        if draft.width > available + EPSILON:
            draft.shrink(draft.width - available)
        if justify and not final:
            draft.justify(available)
        pieces = _spaces_in_runs(draft.pieces(), em)
        lines.append(Line(pieces, indent if number == 0 else 0.0, available, final))
    return lines


def _spaces_in_runs(pieces: tuple[Piece, ...], em: Measure) -> tuple[Piece, ...]:
    """A space between two `——`/`……` runs, as the template draws it: in the first run's
    span (WeasyPrint draws no span holding only a space), whose `fwid` feature widens
    it (to an em in Noto CJK).  It keeps its place: the width it gains is taken from
    its gap, so that the next run is drawn where it was set."""
    result = list(pieces)
    run: Piece | None = None
    for index, piece in enumerate(pieces):
        if piece.kind is not Kind.SPACE:
            run = piece if piece.kind is Kind.RUN else None
            continue
        following = next((p for p in pieces[index + 1 :] if p.kind is not Kind.SPACE), None)
        if run is not None and following is not None and following.kind is Kind.RUN:
            drawn = em(run.text + piece.text, run.bold, False) - em(run.text, run.bold, False)
            result[index] = replace(piece, width=drawn, gap=piece.gap + piece.width - drawn)
    return tuple(result)


def _settable(line: Line, justify: bool) -> bool:
    """Whether a line prints as verify/check.py requires: within its measure and, when
    justified, flush with no gap over MAX_GAP (nor a word space widened more than that)."""
    if line.width > line.measure + EPSILON:
        return False
    if not justify or line.final:
        return True
    return line.width >= line.measure - EPSILON and all(
        piece.gap <= MAX_GAP + EPSILON for piece in line.pieces
    )


def _draft(units: list[Unit], available: float, final: bool, em: Measure) -> _Draft:
    """A line as it is set: Latin words whole, unless only spacing their letters
    (as the characters `letters` made) avoids a gap over MAX_GAP or an unjustified line."""
    if not any(unit.joined for unit in units):
        return _Draft.natural(units, line_end=not final)
    whole = _Draft.natural(rejoined(units, em), line_end=not final)
    if final or whole.needed_gap(available - whole.width) <= MAX_GAP:
        return whole
    spaced = _Draft.natural(units, line_end=not final)
    spaced.spaced = True
    return spaced if spaced.width - spaced.shrinkable() <= available + EPSILON else whole


# Costs of a line, for choosing breaks over the whole paragraph (as TeX does):
LINE_COST = 5.0  # an extra line costs more than a little spacing saves
GAP_COST = 100.0  # x (gap in em)^3: 0.1 em is nearly free, 0.5 em is expensive
MAX_GAP = 0.5  # em: a wider gap is taken only when no other breaks avoid it
WIDE_GAP_COST = 1000.0
SQUEEZE_COST = 0.2  # x em compressed to push a cluster in: clreq compresses before it expands
ORPHAN_COST = 60.0  # a last line holding a single character
# Breaking a Latin word (only where it cannot be set whole, see break_paragraph):
URL_BREAK_COST = 30.0  # after one of BREAK_AFTER, as URLs and paths are broken
WORD_BREAK_COST = 100.0  # between any other two characters
LONE_LETTER_COST = 100.0  # ... leaving a single character of the word on one side
LETTERSPACE_COST = 20.0  # a line whose Latin letters are spaced apart to justify it
MAX_LETTERSPACE = 0.1  # em between letters: more is taken only as a wide gap would be
BREAK_AFTER = set("/.-_?&=")


def _line_cost(draft: _Draft, available: float, final: bool) -> float | None:
    """Badness of setting `draft` as one line, or None if it cannot fit."""
    over = draft.width - available
    if over > EPSILON:
        if over > draft.shrinkable() + EPSILON:
            return None
        return LINE_COST + SQUEEZE_COST * over
    if final:
        words = sum(u.kind in (Kind.HAN, Kind.LATIN) for u in draft.units)
        return LINE_COST + (ORPHAN_COST if words < 2 else 0.0)
    if draft.visible < 2:
        # nothing to widen: a line that falls short cannot be justified
        short = max(-over, 0.0)
        return LINE_COST + GAP_COST * short**3 + (WIDE_GAP_COST if short > EPSILON else 0.0)
    level = draft.needed_gap(-over)
    limit, spaced = (MAX_LETTERSPACE, LETTERSPACE_COST) if draft.spaced else (MAX_GAP, 0.0)
    return LINE_COST + GAP_COST * level**3 + (WIDE_GAP_COST if level > limit else 0.0) + spaced


def _split_costs(clusters: Sequence[list[Unit]]) -> list[float]:
    """What ending a line before each cluster costs for breaking a Latin word there."""
    units = _flatten(clusters)
    costs = [0.0] * (len(clusters) + 1)
    at = 0
    for end, cluster in enumerate(clusters):
        if cluster[0].joined:
            before, after = units[at - 1], units[at]
            rest = units[at + 1] if at + 1 < len(units) else None
            if before.text in BREAK_AFTER and after.text not in BREAK_AFTER:
                costs[end] = URL_BREAK_COST
            else:
                lone = not before.joined or rest is None or not rest.joined
                costs[end] = WORD_BREAK_COST + (LONE_LETTER_COST if lone else 0.0)
        at += len(cluster)
    return costs


def _best_breaks(
    clusters: Sequence[list[Unit]], measure: float, indent: float, em: Measure
) -> list[tuple[int, int]]:
    """The line breaks of least total badness (clreq's push-in/push-out, decided globally)."""
    n = len(clusters)
    bounds = _WidthBounds(clusters)
    splits = _split_costs(clusters)
    best: list[tuple[float, int]] = [(0.0, -1)] + [(math.inf, -1)] * n
    for start in range(n):
        if best[start][0] == math.inf:
            continue
        available = measure - (indent if start == 0 else 0.0)
        for end in range(start + 1, n + 1):
            lowest, highest = bounds.between(start, end)
            if lowest > available + EPSILON and end > start + 1:
                break  # no compression makes this or any longer line fit
            if end < n and highest < available - SHORT_LINE:
                # far too short to be chosen unless nothing else fits: skip the exact cost
                cost: float | None = (
                    LINE_COST + WIDE_GAP_COST + GAP_COST * (available - highest) ** 3
                )
            else:
                final = end == n
                units = _flatten(clusters[start:end])
                cost = _line_cost(_draft(units, available, final, em), available, final)
            if cost is None:
                if end > start + 1:
                    break
                cost = LINE_COST + GAP_COST  # even one cluster is too wide: set it alone
            total = best[start][0] + cost + splits[end]
            if total < best[end][0]:
                best[end] = (total, start)
    breaks = []
    end = n
    while end > 0:
        start = best[end][1]
        breaks.append((start, end))
        end = start
    return breaks[::-1]


SHORT_LINE = 3.0  # em short of the measure: a line this loose is never worth measuring exactly


class _WidthBounds:
    """Prefix sums that bound any line's width in O(1), to keep the search linear."""

    def __init__(self, clusters: Sequence[list[Unit]]) -> None:
        self.starts = [0]
        self.full = [0.0]
        self.least = [0.0]
        previous = None
        for cluster in clusters:
            for unit in cluster:
                autospaced = previous is not None and _autospaced(previous, unit)
                self.full.append(self.full[-1] + unit.width + (AUTOSPACE if autospaced else 0.0))
                self.least.append(
                    self.least[-1] + unit.halt_width + (AUTOSPACE_MIN if autospaced else 0.0)
                )
                previous = unit
            self.starts.append(len(self.full) - 1)

    def between(self, start: int, end: int) -> tuple[float, float]:
        """Lower and upper bounds of the width of clusters[start:end] set as a line."""
        a, b = self.starts[start], self.starts[end]
        # the gap before the first unit belongs to the previous line: at most one autospace
        return self.least[b] - self.least[a] - AUTOSPACE_MIN, self.full[b] - self.full[a]
