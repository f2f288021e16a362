"""Normalise copy: line breaks and punctuation as GB/T 15834 and W3C clreq want them.

Copy comes from text extracted from printed pages and from many hands, so it carries
line breaks inside paragraphs, half-width punctuation inside Chinese sentences and
straight quotes.  Fixing them once, here, lets every later stage (fonts, line breaking,
fitting) trust that the characters are the ones the page will print.

The stage is a fixed sequence of rules.  Each rule reads the whole text and returns
edits; `_apply` makes them and carries each character's origin along, so that
`normalise_spans` can treat a paragraph as one text and still give every character back
to the span (bold run) it came from.

Whether a mark stands in Chinese is decided by the nearest *firm* character on either
side: anything except blanks and the marks the rules read or write (`_SKIPPED`).  So a
conversion never changes the context another mark sees, which keeps `normalise_text`
idempotent: a comma made full-width in one pass cannot give its neighbour Chinese
context in the next.  (Line breaks, gone after one pass, use a looser test.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import groupby
from operator import itemgetter

from ..model.copy import rewrite_copy
from ..model.document import Page, Span

Edit = tuple[int, int, str]  # replace text[start:end] by the string

_BLANK = " \t\r\n\f\v\u2028\u2029"
# Marks both scripts use: they tell nothing about the language around them.
_SHARED = frozenset(_BLANK + "\"'“”‘’,.:;?!()-…⋯—―─")
# What the rules look past for context: the shared marks and the full-width forms the
# rules write, so that their own output never counts as context (see the module docstring).
_SKIPPED = _SHARED | frozenset("，：；？！（）")

# Han ideographs (unified, extension A, compatibility, supplementary planes) and CJK
# punctuation (symbols and punctuation, vertical, compatibility and full-width forms).
_CJK = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
    "\u3000-\u303f\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef]"
)
# Any run of whitespace, line breaks included.
_BLANKS = re.compile(f"[{_BLANK}]+")
# Horizontal blanks; full-width punctuation carries its own space, so these go beside it.
_SPACES = re.compile(r"[ \t]+")
# Ellipses: three or more dots, a lone `…`, and the always-Chinese `。。。` and `⋯⋯`.
_ELLIPSIS = re.compile(r"\.{3,}|(?<!…)…(?!…)|。{3,}|⋯{2,}")
# A dash run: hyphens in twos or more, em or horizontal bars, box-drawing lines in twos.
# One match for the whole run, so an existing `——` next to `--` still ends up as `——`.
_DASH = re.compile(r"(?:-{2,}|[—―]|─{2,})+")
# A straight single quote, unless it is an apostrophe between letters or digits (don't).
_SINGLE_QUOTE = re.compile(r"(?<![A-Za-z0-9])'|'(?![A-Za-z0-9])")
_FULL_WIDTH = str.maketrans(",:;?!()", "，：；？！（）")


def normalise_text(text: str) -> str:
    """Normalise one paragraph of plain text."""
    return _normalise(text, [0] * len(text))[0]


def normalise_spans(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Normalise a paragraph of styled spans as one text, keeping each span's style.

    Joined first so the rules see context across span boundaries (`**发展**,共享`);
    every character then goes back to the span it came from, and emptied spans go.
    """
    text = "".join(span.text for span in spans)
    origins = [index for index, span in enumerate(spans) for _ in span.text]
    text, origins = _normalise(text, origins)
    return tuple(
        replace(spans[index], text="".join(char for char, _ in run))
        for index, run in groupby(zip(text, origins, strict=True), key=itemgetter(1))
    )


def normalise_page(page: Page) -> Page:
    """Normalise every piece of copy on the page; names, paths and numbers are left alone."""
    return rewrite_copy(page, normalise_text, normalise_spans)


def _normalise(text: str, origins: Sequence[int]) -> tuple[str, list[int]]:
    """Run every rule in turn; `origins[i]` says where character i came from."""
    origins = list(origins)
    for rule in _RULES:
        text, origins = _apply(text, origins, rule(text))
    return text, origins


def _apply(text: str, origins: list[int], edits: Iterable[Edit]) -> tuple[str, list[int]]:
    """Make sorted, disjoint edits; new characters take the origin of the first character
    they replace, so a converted mark stays in its span and `--` across two spans gives
    one `——`, not a dash split between styles."""
    pieces: list[str] = []
    new_origins: list[int] = []
    done = 0
    for start, end, new in edits:
        if text[start:end] == new:
            continue
        pieces += [text[done:start], new]
        new_origins += [*origins[done:start], *[origins[start]] * len(new)]
        done = end
    pieces.append(text[done:])
    new_origins += origins[done:]
    return "".join(pieces), new_origins


def _beside_chinese(text: str, start: int, end: int, skip: frozenset[str] = _SKIPPED) -> bool:
    """Whether the nearest character not in `skip` before `start`, or from `end` on, is CJK."""
    before = start
    while before > 0 and text[before - 1] in skip:
        before -= 1
    after = end
    while after < len(text) and text[after] in skip:
        after += 1
    return bool(before and _CJK.match(text, before - 1)) or bool(_CJK.match(text, after))


def _whitespace(text: str) -> Iterable[Edit]:
    """Strip the ends, join broken lines and collapse blanks to one space.

    A line break beside Chinese goes entirely (Chinese has no word spaces; context skips
    shared marks, so `他说：\\n“加快` joins too); between Latin words it becomes a space.
    A single space between Han characters stays: headlines use it as a phrase separator.
    """
    for match in _BLANKS.finditer(text):
        start, end = match.span()
        line_break = match[0].strip(" \t") != ""
        vanishes = (
            start == 0
            or end == len(text)
            or (line_break and _beside_chinese(text, start, end, _SHARED))
        )
        yield start, end, "" if vanishes else " "


def _ellipses(text: str) -> Iterable[Edit]:
    """Make Chinese ellipses the two-em `……` (clreq); `...` and `…` only beside Chinese.

    `。。。` is rewritten although `。` is firm: it is unconditional, and a mark that saw
    `。` as context was converted already, so idempotence holds.
    """
    for match in _ELLIPSIS.finditer(text):
        if match[0][0] in "。⋯" or _beside_chinese(text, *match.span()):
            yield *match.span(), "……"


def _dashes(text: str) -> Iterable[Edit]:
    """Make a dash beside Chinese the two-em `——`; hyphens (2024-03-26) and Latin dashes stay."""
    for match in _DASH.finditer(text):
        if _beside_chinese(text, *match.span()):
            yield *match.span(), "——"


def _double_quotes(text: str) -> Iterable[Edit]:
    """Curl straight double quotes, alternating open and close.

    Curly quotes already present set the state too, so `“a” "b"` opens `b`'s quote.
    Both scripts curl double quotes, so this needs no context.
    """
    is_open = False
    for i, char in enumerate(text):
        quote = ("”" if is_open else "“") if char == '"' else char
        if quote != char:
            yield i, i + 1, quote
        if quote in "“”":
            is_open = quote == "“"


def _single_quotes(text: str) -> Iterable[Edit]:
    """Curl straight single quotes in Chinese, taking them in pairs: first and second, ...

    A pair is converted when either quote stands beside Chinese (`'AI'技术`); apostrophes
    between letters are not quotes, and an unpaired last quote is left as it is.
    """
    quotes = [match.start() for match in _SINGLE_QUOTE.finditer(text)]
    for opening, closing in zip(quotes[::2], quotes[1::2], strict=False):
        if _beside_chinese(text, opening, opening + 1) or _beside_chinese(
            text, closing, closing + 1
        ):
            yield opening, opening + 1, "‘"
            yield closing, closing + 1, "’"


def _punctuation(text: str) -> Iterable[Edit]:
    """Make `,:;?!()` beside Chinese full-width and drop the blanks around them.

    Parentheses go by pairs, so `中国(China)` becomes `中国（China）` as a whole while
    `f(x)` stays; `1,000`, `3:00` and `1+1>2` have no Chinese beside their marks.
    """
    pairs, lone = _parentheses(text)
    marks = [i for i, char in enumerate(text) if char in ",:;?!"] + lone
    convert = {i for i in marks if _beside_chinese(text, i, i + 1)}
    convert.update(
        i for pair in pairs if any(_beside_chinese(text, i, i + 1) for i in pair) for i in pair
    )
    edits = [(i, i + 1, text[i].translate(_FULL_WIDTH)) for i in convert]
    edits += [
        (*match.span(), "")
        for match in _SPACES.finditer(text)
        if match.start() - 1 in convert or match.end() in convert
    ]
    return sorted(edits)


def _parentheses(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Match half-width parentheses: the matched pairs, and the unmatched positions."""
    pairs: list[tuple[int, int]] = []
    opened: list[int] = []
    lone: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            pairs.append((opened.pop(), i))
        elif char == ")":
            lone.append(i)
    return pairs, lone + opened


_RULES = (_whitespace, _ellipses, _dashes, _double_quotes, _single_quotes, _punctuation)
