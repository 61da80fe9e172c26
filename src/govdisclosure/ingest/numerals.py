"""Dates in Chinese numerals, as many offices print them: 二〇二四年一月二十二日, 二〇二三年十二月三十一日,
二〇二四年元月二十二日 (元月: January).  The patterns' fragments (built once, for the stages' patterns) and the
number each stands for.

A year's digits are read one by one (its zero printed 〇, ○, 零, a digit 0 or a letter O: what a typist finds);
a month or a day by its tens (十, 二十, 三十).  A day that no month has (三十九) is matched, and a date of it is
not read, as an Arabic 2023年2月30日 is not.

>>> number("二〇二三"), number("二0二四"), number("十二"), number("元"), number("三十一"), number("2023"), number("١")
(2023, 2024, 12, 1, 31, 2023, 1)
"""

from __future__ import annotations

from typing import Final

__all__ = ["ZH_DAY", "ZH_MONTH", "ZH_MONTH_CHARS", "ZH_YEAR", "number", "zh_day", "zh_month", "zh_year"]

#: what a year's zero is printed as (the view folds a full-width ０ and Ｏ to 0 and O)
_ZERO: Final = "〇○零0O"
_DIGITS: Final = "一二三四五六七八九"
_VALUE: Final = {**dict.fromkeys(_ZERO, 0), **{c: i for i, c in enumerate(_DIGITS, 1)}, "元": 1}


def zh_year(gap: str = "") -> str:
    """A year of this century in Chinese numerals, ``gap`` allowed between its characters (a PDF's line break)."""
    return f"二{gap}[{_ZERO}]{gap}[{_ZERO}{_DIGITS}]{gap}[{_ZERO}{_DIGITS}]"


def zh_month(gap: str = "") -> str:
    """A month in Chinese numerals: 一 … 十二, and 元 (January)."""
    return f"(?:十(?:{gap}[一二])?|[元{_DIGITS}])"


def zh_day(gap: str = "") -> str:
    """A day in Chinese numerals: 一 … 三十一 (and what no month has, such as 三十九: matched, then not read)."""
    return f"(?:(?:[二三]{gap})?十(?:{gap}[{_DIGITS}])?|[{_DIGITS}])"


ZH_YEAR: Final = zh_year()
ZH_MONTH: Final = zh_month()
ZH_DAY: Final = zh_day()
#: every character a month in Chinese numerals is written with
ZH_MONTH_CHARS: Final = "元十" + _DIGITS


def number(text: str) -> int:
    """The number a year, month or day stands for, in Arabic digits or in Chinese numerals as the fragments above
    match them (whitespace inside ignored)."""
    if text.isdigit() and text.isascii():  # most dates' (2023): no whitespace to take out (this module runs
        return int(text)  # interpreted: each step costs)
    text = "".join(text.split())
    if text.isascii() or text.isdecimal():  # digits of any script a pattern's \d takes (١, ৩): int reads them
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_VALUE[tens] if tens else 1) * 10 + (_VALUE[units] if units else 0)
    return int("".join(str(_VALUE[c]) if c in _VALUE else c for c in text))  # 二0二١: a digit among the numerals
