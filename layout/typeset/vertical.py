"""Vertical headlines (竖排标题): each character upright in its own em, lines right to left.

WeasyPrint has no vertical writing mode, and the project breaks display lines
itself anyway, so a vertical headline is set here as cells of one em stacked
top to bottom and drawn by `render/templates/vertical.html.j2`.  As clreq
describes vertical setting: Han characters stand upright; punctuation takes
its vertical form (the font's `vert` glyphs, drawn in the same em: `，` in the
top right, `“` turned); two digits share one em side by side (縦中横,
tate-chu-yoko), while a single digit, a longer number or a Latin word stands
upright a character to an em, as a compositor sets a short abbreviation.

Every cell is one em, so fitting needs no font: it is pure counting, and fast
enough for the composer to ask at every size.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .linebreak import display_pieces
from .measure import PHRASE_SPACE
from .units import CLOSING, EPSILON, STOPS, Kind, kind_of

LINE_GAP = 0.25  # em between vertical lines: the 1.25 leading of horizontal headlines
TATE_CHU_YOKO = re.compile(r"(?<![0-9])[0-9]{2}(?![0-9])")
# brackets, quotes, stops, `——`, `……`, small kana: drawn in their vertical forms
_VERTICAL_FORMS = (Kind.OPEN, Kind.CLOSE, Kind.NO_START, Kind.RUN)
_BREAK_AFTER = CLOSING | STOPS  # a break after these reads as a pause: preferred on a tie


@dataclass(frozen=True)
class VerticalHeading:
    """A headline set vertically at one size.

    `lines` are in reading order, the first drawn rightmost; each is its cells
    top to bottom: one character, two digits set as one (縦中横), or "" for
    the em of a phrase space.
    """

    role: str  # a font role of fonts/roles.yaml
    size: float  # pt
    lines: tuple[tuple[str, ...], ...]

    @property
    def width(self) -> float:
        """pt from the left edge of the last line to the right edge of the first."""
        return self.size * (len(self.lines) * (1 + LINE_GAP) - LINE_GAP)

    @property
    def height(self) -> float:
        return self.size * max(len(line) for line in self.lines)

    @property
    def text(self) -> str:
        """The characters as they print, in reading order; a phrase space inside a line
        as a space (a break at a phrase space takes its place)."""
        return "".join(cell or " " for line in self.lines for cell in line)

    @property
    def columns(self) -> tuple[tuple[float, tuple[tuple[str, str], ...]], ...]:
        """What the template draws: each line's left edge in pt from the heading's left,
        and its cells with their CSS class (see `cell_class`)."""
        return tuple(
            (
                self.width - self.size * (1 + index * (1 + LINE_GAP)),
                tuple((cell, cell_class(cell)) for cell in line),
            )
            for index, line in enumerate(self.lines)
        )


def cell_class(cell: str) -> str:
    """The CSS class (styles/vertical.css) that gives a cell its vertical form:
    `v-tcy` two digits in half-width forms (`hwid`, exactly one em together),
    `v-upright` a Latin letter or digit in its full-width form (`fwid`, one em),
    `v-punct` a mark in its vertical form (`vert`, after `fwid`: `—` has a vertical
    form only as the full-width dash), "" a Han character or an empty em."""
    if len(cell) == 2:
        return "v-tcy"
    if not cell:
        return ""
    kind = kind_of(cell)
    if kind is Kind.LATIN:
        return "v-upright"
    if kind in _VERTICAL_FORMS or unicodedata.category(cell)[0] in "PS":
        return "v-punct"  # also `～`, which is neither a bracket nor a stop
    return ""


def cells(text: str) -> tuple[str, ...]:
    """`text` as the ems it is set in, top to bottom (see `VerticalHeading.lines`).

    Only a run of exactly two digits is set across (縦中横): a year or a longer
    number would not fit an em legibly and stands upright, a digit to an em.
    """
    return tuple(cell for _, cell in _located_cells(text))


def _located_cells(text: str) -> list[tuple[int, str]]:
    """Each cell with the offset in `text` of its first character."""
    phrase_spaces = {match.start() for match in PHRASE_SPACE.finditer(text)}
    pairs = {match.start() for match in TATE_CHU_YOKO.finditer(text)}
    located: list[tuple[int, str]] = []
    offset = 0
    while offset < len(text):
        char = text[offset]
        if offset in pairs:
            located.append((offset, text[offset : offset + 2]))
            offset += 2
            continue
        if not char.isspace():
            located.append((offset, char))
        elif offset in phrase_spaces:
            located.append((offset, ""))
        offset += 1
    return located


def vertical_heading(
    text: str,
    role: str,
    sizes: tuple[float, ...],
    width_pt: float,
    height_pt: float,
    *,
    max_lines: int = 2,
) -> VerticalHeading | None:
    """`text` at the largest of `sizes` at which it sets in at most `max_lines` vertical
    lines, each at most `height_pt` tall, all within `width_pt`; None if at no size.

    Lines break at the spaces between phrases when they can at any size (the editor
    marked them: a phrase stays whole), else between characters.  Every break obeys
    the body's rules (`linebreak.display_pieces`: no closing mark or pause/stop at
    the top of a line, no opening mark at its foot, `——`, `……` and a Latin word or
    number whole).  The lines are balanced: the tallest as short as it can be, and
    among equals a break after a pause or closing mark, then the longer lines first.
    """
    located = _located_cells(text)
    if not located:
        return None
    row = tuple(cell for _, cell in located)
    breaks, phrase_breaks = _breaks(text, located)
    for allowed in (phrase_breaks, breaks) if phrase_breaks else (breaks,):
        splits = [_balanced(row, allowed, count) for count in range(1, max_lines + 1)]
        for size in sorted(sizes, reverse=True):
            for lines in splits:
                if lines is not None and _fits(lines, size, width_pt, height_pt):
                    return VerticalHeading(role, size, lines)
    return None


def _breaks(text: str, located: list[tuple[int, str]]) -> tuple[list[int], list[int]]:
    """Where a line may break, as cell indices: anywhere the rules allow, and at phrase
    spaces only (`display_pieces` keeps a phrase space at the end of its piece)."""
    starts = [offset for offset, _ in located]
    ends = list(itertools.accumulate(len(piece) for piece in display_pieces(text)))[:-1]
    phrase_ends = {match.end() for match in PHRASE_SPACE.finditer(text)}
    breaks, phrase_breaks = [], []
    for end in ends:
        index = bisect.bisect_left(starts, end)
        if 0 < index < len(starts) and index not in breaks:
            breaks.append(index)
            if end in phrase_ends:
                phrase_breaks.append(index)
    return breaks, phrase_breaks


def _balanced(
    row: tuple[str, ...], allowed: list[int], count: int
) -> tuple[tuple[str, ...], ...] | None:
    """`row` broken at `count - 1` of the `allowed` indices into its most even lines."""
    best: tuple[tuple, tuple[tuple[str, ...], ...]] | None = None
    for cuts in itertools.combinations(allowed, count - 1):
        bounds = (0, *cuts, len(row))
        lines = tuple(_trimmed(row[a:b]) for a, b in itertools.pairwise(bounds))
        if not all(lines):
            continue
        plain = sum(row[cut - 1] not in _BREAK_AFTER for cut in cuts)
        key = (max(map(len, lines)), plain, tuple(-len(line) for line in lines))
        if best is None or key < best[0]:
            best = (key, lines)
    return best[1] if best else None


def _trimmed(cells: tuple[str, ...]) -> tuple[str, ...]:
    """Without the empty ems of phrase spaces at either end of a line."""
    start, end = 0, len(cells)
    while start < end and not cells[start]:
        start += 1
    while end > start and not cells[end - 1]:
        end -= 1
    return cells[start:end]


def _fits(
    lines: tuple[tuple[str, ...], ...], size: float, width_pt: float, height_pt: float
) -> bool:
    heading = VerticalHeading("", size, lines)
    return heading.width <= width_pt + EPSILON and heading.height <= height_pt + EPSILON


class _Placed(Protocol):
    @property
    def middle(self) -> tuple[float, float]: ...


Placed = TypeVar("Placed", bound=_Placed)


def printed_lines(glyphs: Iterable[Placed], size: float) -> list[list[Placed]]:
    """The glyphs of a vertical headline read back as its lines, right to left, each top
    to bottom (a 縦中横 cell's two digits left to right): a glyph more than half an em
    left of a line's first glyph starts the next line."""
    lines: list[list[Placed]] = []
    for glyph in sorted(glyphs, key=lambda g: -g.middle[0]):
        if lines and lines[-1][0].middle[0] - glyph.middle[0] <= size / 2:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return [sorted(line, key=lambda g: (round(g.middle[1], 1), g.middle[0])) for line in lines]
