"""The emoji properties of Unicode 15.0 (emoji-data.txt) that decide what can be printed.

Loading refuses characters shown as pictures by default (Emoji_Presentation);
font coverage also refuses the ones Pango (1.50) itemises as emoji and draws
from fontconfig's `emoji` family whatever the CSS asks: modifier bases as
well.  One table serves both, so they cannot drift apart.
"""

from __future__ import annotations

import bisect

# Emoji_Presentation, as ranges of code points.  Regional indicators are among them.
_PRESENTATION = """
231A-231B 23E9-23EC 23F0 23F3 25FD-25FE 2614-2615 2648-2653 267F 2693 26A1
26AA-26AB 26BD-26BE 26C4-26C5 26CE 26D4 26EA 26F2-26F3 26F5 26FA 26FD 2705
270A-270B 2728 274C 274E 2753-2755 2757 2795-2797 27B0 27BF 2B1B-2B1C 2B50 2B55
1F004 1F0CF 1F18E 1F191-1F19A 1F1E6-1F1FF 1F201 1F21A 1F22F 1F232-1F236 1F238-1F23A
1F250-1F251 1F300-1F320 1F32D-1F335 1F337-1F37C 1F37E-1F393 1F3A0-1F3CA 1F3CF-1F3D3
1F3E0-1F3F0 1F3F4 1F3F8-1F43E 1F440 1F442-1F4FC 1F4FF-1F53D 1F54B-1F54E 1F550-1F567
1F57A 1F595-1F596 1F5A4 1F5FB-1F64F 1F680-1F6C5 1F6CC 1F6D0-1F6D2 1F6D5-1F6D7
1F6DC-1F6DF 1F6EB-1F6EC 1F6F4-1F6FC 1F7E0-1F7EB 1F7F0 1F90C-1F93A 1F93C-1F945
1F947-1F9FF 1FA70-1FA7C 1FA80-1FA88 1FA90-1FABD 1FABF-1FAC5 1FACE-1FADB 1FAE0-1FAE8
1FAF0-1FAF8
"""
# Emoji_Modifier_Base characters shown as text by default, which Pango still draws as emoji.
_MODIFIER_BASES_AS_TEXT = "261D 26F9 270C-270D 1F3CB-1F3CC 1F574-1F575 1F590"


def _ranges(table: str) -> list[tuple[int, int]]:
    return sorted(
        (int(first, 16), int(last or first, 16))
        for first, _, last in (item.partition("-") for item in table.split())
    )


def _member(ranges: list[tuple[int, int]], starts: list[int], char: str) -> bool:
    at = bisect.bisect_right(starts, ord(char)) - 1
    return at >= 0 and ord(char) <= ranges[at][1]


_SHOWN = _ranges(_PRESENTATION)
_SHOWN_STARTS = [first for first, _ in _SHOWN]
_PANGO = _ranges(_PRESENTATION + _MODIFIER_BASES_AS_TEXT)
_PANGO_STARTS = [first for first, _ in _PANGO]


def shown_as_picture(char: str) -> bool:
    """Emoji_Presentation: the character is a colour picture by default."""
    return _member(_SHOWN, _SHOWN_STARTS, char)


def drawn_as_emoji(char: str) -> bool:
    """Whether Pango takes `char` from the emoji fonts rather than the role's faces."""
    return _member(_PANGO, _PANGO_STARTS, char)
