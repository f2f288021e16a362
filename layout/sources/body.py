"""An article's Markdown body: paragraphs, `### ` crossheads, `**bold**` and `> ` pull quotes.

Body text is never interpreted beyond that and the backslash that makes any of
it literal: whatever else the author typed (HTML, template syntax, links) is
kept as literal text, never lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..model.document import Block, Span


@dataclass(frozen=True)
class Body:
    """The blocks of an article's body, and the paragraphs among them marked as pull quotes."""

    blocks: tuple[Block, ...]
    quotes: tuple[Block, ...] = ()  # each also in `blocks`: a pull quote repeats copy


def parse_body(text: str, first_line: int = 1) -> Body:
    """Split an article body into paragraphs and `### ` crossheads, with `**bold**` spans.

    Lines of a paragraph stay joined by "\\n" (a later stage decides how to join
    them).  A paragraph opened by `>` (Markdown's block quote, which also breaks
    into a running paragraph) is marked as a pull quote and stays in the body
    without its markers.  A backslash before `*`, `#`, `>` or `\\` prints that
    character as text (`\\*\\*`, `\\###`, `\\>`, `\\\\`), so markup can be written
    literally; anything else the author typed, a backslash before other
    characters included, is kept as is.
    """
    blocks: list[Block] = []
    quotes: list[Block] = []
    for kind, line, lines, marked in _chunks(split_lines(text), first_line):
        block = Block(kind, _spans("\n".join(lines)), line)
        blocks.append(block)
        if marked:
            quotes.append(block)
    return Body(tuple(blocks), tuple(quotes))


def escape_markdown(text: str) -> str:
    """`text` written so that `parse_body` gives its characters back as plain text.

    Importers write copy from other formats as Markdown; a `**`, or a `###` or `>`
    opening a line, in that copy is text, not markup.  Every backslash and star is
    escaped, and a `#` or `>` that opens a line (after blanks, which the parser strips).
    """
    return _LINE_MARK.sub(r"\1\\\2", _ESCAPABLE.sub(r"\\\g<0>", text))


def split_lines(text: str) -> list[str]:
    """Lines as the author's editor numbers them.

    Not str.splitlines(): it also breaks at form feeds and U+2028, which would
    shift line numbers away from what the editor shows.
    """
    return re.split(r"\r\n|\r|\n", text)


_CROSSHEAD = re.compile(r"###\s+(\S.*)")
_QUOTE = re.compile(r">\s*(?=\S)")  # on a stripped line; a lone `>` is text
_BOLD = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*", re.DOTALL)
_ESCAPE = re.compile(r"\\([\\*#>])")  # `\*` prints `*`; a backslash before anything else is text
_ESCAPABLE = re.compile(r"[\\*]")
_LINE_MARK = re.compile(r"((?:\A|[\r\n])\s*)([#>])")


def _chunks(
    lines: list[str], first_line: int
) -> Iterator[tuple[Literal["paragraph", "crosshead"], int, list[str], bool]]:
    """Group stripped lines into (kind, first line number, lines, marked as a pull quote).

    A line opened by `>` starts a marked paragraph unless one is running; in a
    marked paragraph each line's `>` goes, and a line without one continues it.
    """
    run: list[str] = []
    start, marked = first_line, False
    for number, raw in enumerate(lines, first_line):
        line = raw.strip()
        crosshead = _CROSSHEAD.fullmatch(line)
        quote = _QUOTE.match(line)
        if run and (crosshead or not line or (quote and not marked)):
            yield "paragraph", start, run, marked
            run = []
        if crosshead:
            yield "crosshead", number, [crosshead[1].strip()], False
        elif line:
            if not run:
                start, marked = number, quote is not None
            run.append(line[quote.end() :] if quote else line)
    if run:
        yield "paragraph", start, run, marked


def _spans(text: str) -> tuple[Span, ...]:
    """Plain and bold spans, escapes resolved; an escaped star never opens or closes bold."""
    masked = _ESCAPE.sub("__", text)  # as long as `text`, so its positions hold there
    spans: list[Span] = []
    position = 0
    for match in _BOLD.finditer(masked):
        if match.start() > position:
            spans.append(Span(_unescape(text[position : match.start()])))
        spans.append(Span(_unescape(text[match.start(1) : match.end(1)]), bold=True))
        position = match.end()
    if position < len(text):
        spans.append(Span(_unescape(text[position:])))
    return tuple(spans)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)
