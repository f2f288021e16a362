"""What lines are made of: clreq's classes of characters, and the units and clusters
of a paragraph.

A unit is set as one piece: a Han character or punctuation mark, a Latin
word or number, `——` or `……`, a space.  A cluster is the units a line may
not break between (no closing mark starts a line, no opening mark ends one).
A Latin word that cannot be set whole is taken apart into its characters
(`letters`); characters of one word that share a line are set as one word
again (`rejoined`), so that Pango shapes them as it would have.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from ..model.document import Span

# text, bold, halt -> advance width in em
Measure = Callable[[str, bool, bool], float]

OPENING = set("（［｛〔〈《「『【〖〘“‘")
CLOSING = set("）］｝〕〉》」』】〗〙”’")
STOPS = set("、。，．：；？！")
NO_START_OTHER = set("々〻ゝゞヽヾーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ・·")
REPEATED = set("—…")  # a run of these is one unbreakable unit: `——`, `……`
EPSILON = 1e-6


class Kind(Enum):
    HAN = "han"  # ideographs, kana, full-width forms: one em, breakable around
    OPEN = "open"
    CLOSE = "close"  # closing brackets and quotes, pause/stop marks
    NO_START = "no_start"  # iteration marks, small kana, middle dots
    RUN = "run"  # —— or ……
    LATIN = "latin"  # a word or number: broken or spaced inside only as a last resort
    SPACE = "space"


@dataclass(frozen=True)
class Unit:
    text: str
    bold: bool
    kind: Kind
    width: float
    halt_width: float  # width when set half-width (== width if not compressible)
    joined: bool = False  # a Latin word's character after its first (see letters)

    @property
    def compressible(self) -> bool:
        return self.halt_width < self.width - EPSILON

    @property
    def is_cjk(self) -> bool:
        return self.kind in (Kind.HAN, Kind.OPEN, Kind.CLOSE, Kind.NO_START, Kind.RUN)


_KINDS = (
    (OPENING, Kind.OPEN),
    (CLOSING | STOPS, Kind.CLOSE),
    (NO_START_OTHER, Kind.NO_START),
    (REPEATED, Kind.RUN),
)


def kind_of(char: str) -> Kind:
    if char.isspace():
        return Kind.SPACE
    for chars, kind in _KINDS:
        if char in chars:
            return kind
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return Kind.HAN
    return Kind.LATIN


def units_of(spans: Sequence[Span], measure: Measure) -> list[Unit]:
    """Split styled text into the atoms that lines are made of."""
    units: list[Unit] = []
    for span in spans:
        chunks: list[tuple[str, Kind]] = []
        for char in span.text:
            kind = kind_of(char)
            if chunks and _joins(chunks[-1], char, kind):
                chunks[-1] = (chunks[-1][0] + char, kind)
            else:
                chunks.append((char, kind))
        for text, kind in chunks:
            full = measure(text, span.bold, False)
            halt = measure(text, span.bold, True) if kind in (Kind.OPEN, Kind.CLOSE) else full
            units.append(Unit(text, span.bold, kind, full, halt))
    return units


def _joins(previous: tuple[str, Kind], char: str, kind: Kind) -> bool:
    text, previous_kind = previous
    if kind is Kind.LATIN:
        return previous_kind is Kind.LATIN
    # `——` and `……` pair up; a longer run is several pairs, breakable between them
    return kind is Kind.RUN and previous_kind is Kind.RUN and text == char


def _may_break(before: Unit, after: Unit) -> bool:
    if after.kind in (Kind.CLOSE, Kind.NO_START, Kind.SPACE):
        return False
    return before.kind is not Kind.OPEN


def clusters_of(units: Sequence[Unit]) -> list[list[Unit]]:
    """Group units between which a line may not break."""
    clusters: list[list[Unit]] = []
    for unit in units:
        if clusters and not _may_break(clusters[-1][-1], unit):
            clusters[-1].append(unit)
        else:
            clusters.append([unit])
    return clusters


def letters(units: Sequence[Unit], em: Measure) -> list[Unit]:
    """Latin words as their characters, each after the first `joined` to the one before:
    a line may break between them (linebreak prices that), and they are set as one word
    again where they share a line (see rejoined)."""
    result: list[Unit] = []
    for unit in units:
        if unit.kind is not Kind.LATIN or len(unit.text) < 2:
            result.append(unit)
            continue
        for index, char in enumerate(unit.text):
            width = em(char, unit.bold, False)
            result.append(Unit(char, unit.bold, Kind.LATIN, width, width, joined=index > 0))
    return result


def rejoined(units: Sequence[Unit], em: Measure) -> list[Unit]:
    """The characters of a Latin word that share a line, one word again, measured whole."""
    words: list[list[Unit]] = []
    for unit in units:
        if unit.joined and words:
            words[-1].append(unit)
        else:
            words.append([unit])
    result = []
    for word in words:
        if len(word) == 1:
            result.append(word[0])
            continue
        text = "".join(unit.text for unit in word)
        width = em(text, word[0].bold, False)
        result.append(Unit(text, word[0].bold, Kind.LATIN, width, width, word[0].joined))
    return result
