"""The front page's masthead (报头): the numbers and dates it prints, as pure functions.

A Chinese newspaper carries its ISSN as the GB/T 16827 bar code: an EAN-13
("977", the ISSN without its check digit, two price/variant digits) with a
two-digit add-on.  Here are the ISSN's check, the EAN-13's digits, and the
date line's weekday and lunar date; `barcodes.py` draws the symbols.
"""

from __future__ import annotations

import re
from datetime import date

from lunar_python import Solar

_ISSN = re.compile(r"\d{4}-\d{3}[\dX]")


def check_issn(issn: str) -> str | None:
    """What is wrong with `issn`, in words for the editor; None if it is valid.

    An ISSN is written NNNN-NNNC; C is the mod-11 check digit over the first
    seven digits weighted 8 down to 2, with 10 written X (ISO 3297).
    """
    if not _ISSN.fullmatch(issn):
        return (
            f"{issn!r} is not an ISSN: it should be four digits, a hyphen, "
            "three digits and a check digit (0-9 or X), e.g. 0317-8471"
        )
    expected = _issn_check_digit(issn.replace("-", "")[:7])
    if issn[-1] != expected:
        return f"{issn} has check digit {issn[-1]}; it should be {expected}"
    return None


def issn_valid(issn: str) -> bool:
    """Whether `issn` is a well-formed ISSN with the right check digit."""
    return check_issn(issn) is None


def ean13(issn: str, variant: str = "00") -> str:
    """The 13 digits of the ISSN's bar code: 977, the ISSN's first seven digits,
    the two price/variant digits and the EAN-13 check digit (GB/T 16827).

    Raises ValueError, with `check_issn`'s message, for an invalid ISSN.
    """
    problem = check_issn(issn)
    if problem:
        raise ValueError(problem)
    require_two_digits(variant, "variant")
    body = "977" + issn.replace("-", "")[:7] + variant
    # Weights 1, 3, 1, 3, ... from the left over the twelve digits.
    total = sum(int(digit) * (3 if i % 2 else 1) for i, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def weekday(d: date) -> str:
    """星期一 … 星期日, as the date line prints it."""
    return "星期" + "一二三四五六日"[d.weekday()]


def lunar(d: date) -> str:
    """The lunar date of the date line: 农历, the year in 干支 (changing at
    正月初一, not at 立春), the month in Chinese (正 … 冬, 腊; 闰 before a
    leap month) and the day (初一 … 三十), e.g. 农历甲辰年二月十七.
    """
    day = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    return f"农历{day.getYearInGanZhi()}年{day.getMonthInChinese()}月{day.getDayInChinese()}"


def _issn_check_digit(digits: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def require_two_digits(value: str, name: str) -> None:
    if not re.fullmatch(r"\d\d", value):
        raise ValueError(f"the {name} should be two digits, not {value!r}")
