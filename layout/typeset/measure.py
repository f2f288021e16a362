"""Measure text with the fonts it will be drawn in: body lines, headlines, ledes.

Bridges `fonts` (widths from HarfBuzz) and `linebreak` (where lines end) for
the composer, which only needs to know how many lines a piece of text takes
at a given width and size.  Results are cached: the composer asks the same
questions many times while it searches.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from typing import Literal

from ..model.document import Block, Span
from ..model.grid import Grid
from . import fonts, linebreak, units
from .linebreak import Line

PHRASE_GAP = 0.75  # em added to a space between headline phrases (CSS word-spacing)
# A space between two Chinese characters separates the phrases of a headline;
# a space between Latin words is an ordinary space and is not widened.
PHRASE_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def phrase_parts(text: str) -> list[tuple[str, bool]]:
    """`text` cut at its phrase spaces: (piece, True) for each phrase space."""
    parts: list[tuple[str, bool]] = []
    for index, piece in enumerate(PHRASE_SPACE.split(text)):
        if index:
            parts.append((" ", True))
        parts.append((piece, False))
    return parts


@dataclass(frozen=True)
class BodyRow:
    """One grid line of a module's body: a line of a paragraph or of a crosshead."""

    line: Line
    style: Literal["body", "crosshead", "jump"]  # jump: （下转第N版） or （上接第N版）


@dataclass(frozen=True)
class Heading:
    """Display text (headline, kicker, subhead, banner) broken into lines at one size."""

    role: str  # a font role of fonts/roles.yaml
    size: float  # pt
    leading: float  # line pitch as a multiple of size
    lines: tuple[str, ...]

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * self.leading


class Typesetter:
    """Answers 'how does this text set?' for one grid and one set of font roles."""

    def __init__(self, roles: dict[str, fonts.Role], grid: Grid) -> None:
        self.roles = roles
        self.grid = grid
        # an article's lines, asked for at every width the composer tries; kept per
        # typesetter so that a long-running process does not keep every page's lines
        self._bodies: dict[tuple[Block, ...], tuple[BodyRow, ...]] = {}
        # display text is measured again and again while the composer tries sizes,
        # widths and line splits: each width and each heading once per typesetter
        self._widths: dict[tuple[str, str], float] = {}
        self._headings: dict[tuple, Heading] = {}

    def measure_for(self, role: str, bold_role: str | None = None) -> linebreak.Measure:
        regular = self.roles[role]
        bold = self.roles[bold_role or role]

        def em(text: str, is_bold: bool, halt: bool) -> float:
            role = bold if is_bold else regular
            return fonts.width(role, text, halt=halt, full_width=text[0] in units.REPEATED)

        return em

    @functools.cached_property
    def _body_em(self) -> linebreak.Measure:
        return self.measure_for("body", "body_bold")

    @functools.cached_property
    def _crosshead_em(self) -> linebreak.Measure:
        return self.measure_for("headline")

    def body(self, blocks: tuple[Block, ...]) -> tuple[BodyRow, ...]:
        """An article's body at the column measure: the same at any module width."""
        if blocks not in self._bodies:
            self._bodies[blocks] = _body_rows(self, blocks)
        return self._bodies[blocks]

    def jump_row(self, text: str) -> BodyRow:
        """A jump line (（下转第4版）, （上接第1版）): one body line of its own, not justified."""
        line = linebreak.break_paragraph(
            (Span(text),), self.grid.chars, self._body_em, justify=False
        )
        return BodyRow(line[0], "jump")

    def text_width(self, role: str, text: str) -> float:
        """Width in em of a display line; spaces between phrases are widened."""
        if (role, text) not in self._widths:
            spaces = PHRASE_GAP * len(PHRASE_SPACE.findall(text))
            self._widths[role, text] = fonts.width(self.roles[role], text) + spaces
        return self._widths[role, text]

    def heading(
        self,
        text: str,
        role: str,
        sizes: tuple[float, ...],
        width_pt: float,
        *,
        leading: float = 1.25,
        max_lines: int = 2,
    ) -> Heading:
        """The largest size of `sizes` at which `text` sets in at most `max_lines` lines.

        Lines break at the spaces between phrases when they can at any size (a
        Chinese headline keeps its phrases whole), else between characters,
        balanced so that no line is left with a single character.
        Falls back to the smallest size with as many lines as it needs.  Every
        break obeys the body's rules (`linebreak.display_pieces`): no closing
        mark starts a line, no opening mark ends one.
        """
        key = (text, role, sizes, width_pt, leading, max_lines)
        if key not in self._headings:
            self._headings[key] = self._heading(text, role, sizes, width_pt, leading, max_lines)
        return self._headings[key]

    def _heading(self, text, role, sizes, width_pt, *args) -> Heading:
        leading, max_lines = args
        for by_phrase in (True, False):
            for size in sizes:
                lines = self._display_lines(text, role, width_pt / size, max_lines, by_phrase)
                if lines is not None:
                    return Heading(role, size, leading, lines)
        size = sizes[-1]
        return Heading(role, size, leading, self._greedy_lines(text, role, width_pt / size))

    def deck(
        self, text: str, role: str, size: float, width_pt: float, *, leading: float, lines: int
    ) -> Heading | None:
        """`text` at `size` in exactly `lines` lines broken at its phrase spaces, as an
        editor sets a one-line headline in two to fill its module; None if it has no
        such break that fits."""
        parts, joiner = _phrases(text)
        split = _balanced_split(parts, lines, joiner, lambda s: self.text_width(role, s))
        split = split and tuple(line.strip() for line in split)
        if not split or any(self.text_width(role, line) > width_pt / size for line in split):
            return None
        return Heading(role, size, leading, split)

    def _display_lines(
        self, text: str, role: str, measure: float, max_lines: int, by_phrase: bool
    ) -> tuple[str, ...] | None:
        if self.text_width(role, text) <= measure:
            return (text,)
        parts, joiner = _phrases(text) if by_phrase else (linebreak.display_pieces(text), "")
        for count in range(2, max_lines + 1):
            lines = _balanced_split(parts, count, joiner, lambda s: self.text_width(role, s))
            lines = lines and tuple(line.strip() for line in lines)
            if lines and all(self.text_width(role, line) <= measure for line in lines):
                return lines
        return None

    def _greedy_lines(self, text: str, role: str, measure: float) -> tuple[str, ...]:
        """Display text too long for `max_lines`: fill lines one piece at a time."""
        lines = [""]
        for piece in linebreak.display_pieces(text):
            if lines[-1].strip() and self.text_width(role, (lines[-1] + piece).rstrip()) > measure:
                lines.append("")
            lines[-1] += piece
        return tuple(line.strip() for line in lines)

    def paragraph_lines(
        self, text: str, role: str, size: float, width_pt: float, *, indent: float = 2.0
    ) -> tuple[Line, ...]:
        """A paragraph set justified at `size` in whole characters of `width_pt`."""
        measure = math.floor(width_pt / size)
        return tuple(
            linebreak.break_paragraph((Span(text),), measure, self.measure_for(role), indent=indent)
        )


def _body_rows(typesetter: Typesetter, blocks: tuple[Block, ...]) -> tuple[BodyRow, ...]:
    chars = typesetter.grid.chars
    rows: list[BodyRow] = []
    for block in blocks:
        if block.kind == "crosshead":
            lines = linebreak.break_paragraph(
                block.spans, chars, typesetter._crosshead_em, justify=False
            )
            rows.extend(BodyRow(line, "crosshead") for line in lines)
        else:
            indent = 0.0 if block.continued else 2.0  # the rest of a paragraph: no indent
            lines = linebreak.break_paragraph(
                block.spans, chars, typesetter._body_em, indent=indent
            )
            rows.extend(BodyRow(line, "body") for line in lines)
    return tuple(rows)


def _phrases(text: str) -> tuple[list[str], str]:
    """`text` cut at its phrase spaces where a line may break there, and the joiner."""
    ends = set(itertools.accumulate(len(piece) for piece in linebreak.display_pieces(text)))
    cuts = [0, *(m.end() for m in PHRASE_SPACE.finditer(text) if m.end() in ends), len(text) + 1]
    return [text[start : end - 1] for start, end in itertools.pairwise(cuts)], " "


def _balanced_split(parts, count, joiner, width) -> tuple[str, ...] | None:
    """Split `parts` into `count` lines of the most even width, each of two parts or more
    where there are enough parts (no lone character on a line)."""
    n = len(parts)
    if n < count:
        return None
    minimum = 2 if n >= 2 * count else 1
    best: tuple[float, tuple[str, ...]] | None = None

    def search(start: int, left: int, acc: tuple[str, ...]) -> None:
        nonlocal best
        if left == 1:
            if n - start < minimum:
                return
            lines = (*acc, joiner.join(parts[start:]))
            score = max(width(line) for line in lines)
            if best is None or score < best[0]:
                best = (score, lines)
            return
        for end in range(start + minimum, n - minimum * (left - 1) + 1):
            search(end, left - 1, (*acc, joiner.join(parts[start:end])))

    search(0, count, ())
    return best[1] if best else None
