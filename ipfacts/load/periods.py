"""Periods and the bases of changes, as the format writes them and a brief prints them.

A period is a year (`2023`), a month (`2023-06`), months of a year (`2023-01/10`: January to
October, what a statistics note's 1—10月 covers), a quarter (`2023-Q3`) or a half (`2023-H1`).
Any other label is kept as written (the loader accepts it), but has no year and no previous
period: no automatic comparison is made with it.

A growth or change (`growth_of`, `change_of`) is measured against a base:

- `year-on-year` (同比, 比上年, the default): the same period a year before;
- `year-end` (比去年底, 比上年末, 较年初): the end of last year — for a stock stated at a date in the
  year (2023-01/10), the figure at the end of 2022.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BASES = ("year-on-year", "year-end")
_FORM = re.compile(r"^(?P<year>[0-9]{4})(?:-(?:(?P<first>[0-9]{2})(?:/(?P<last>[0-9]{2}))?|Q(?P<q>[1-4])|H(?P<h>[12])))?$")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Period:
    year: int
    first: int  # first month, 1-12
    last: int  # last month, 1-12
    text: str

    @property
    def annual(self) -> bool:
        return (self.first, self.last) == (1, 12) and self.text.isdigit()


def parse(text: str | int | None) -> Period | None:
    """The period `text` stands for, or None for a label of another form."""
    if text is None:
        return None
    text = str(text).strip()
    found = _FORM.match(text)
    if not found:
        return None
    year = int(found["year"])
    if found["q"]:
        q = int(found["q"])
        return Period(year, 3 * q - 2, 3 * q, text)
    if found["h"]:
        h = int(found["h"])
        return Period(year, 6 * h - 5, 6 * h, text)
    if found["first"]:
        first = int(found["first"])
        last = int(found["last"]) if found["last"] else first
        if not 1 <= first <= last <= 12:
            return None
        return Period(year, first, last, text)
    return Period(year, 1, 12, text)


def is_valid(text: str) -> bool:
    return parse(text) is not None


def previous(text: str | None, base: str | None = None) -> str | None:
    """The period a change is measured against: the same months a year before (year on year), or the
    previous year (year-end: the stock at the end of last year)."""
    period = parse(text)
    if period is None:
        return None
    if base == "year-end" or period.annual:
        return str(period.year - 1)
    return f"{period.year - 1}{period.text[4:]}"


def label(text: str | None, lang: str = "zh") -> str:
    """A period as a brief prints it: 2023年, 2023年1—10月, 2023年第三季度; 2023, Jan–Oct 2023, Q3 2023."""
    if text is None:
        return ""
    period = parse(text)
    if period is None:
        return str(text)
    rest = period.text[4:]
    if lang == "en":
        if not rest:
            return str(period.year)
        if "Q" in rest or "H" in rest:
            return f"{rest[1:]} {period.year}"
        months = _MONTHS_EN[period.first - 1] + ("" if period.first == period.last else f"–{_MONTHS_EN[period.last - 1]}")
        return f"{months} {period.year}"
    if not rest:
        return f"{period.year}年"
    if "Q" in rest:
        return f"{period.year}年第{'一二三四'[int(rest[2]) - 1]}季度"
    if "H" in rest:
        return f"{period.year}年{'上下'[int(rest[2]) - 1]}半年"
    months = f"{period.first}月" if period.first == period.last else f"{period.first}—{period.last}月"
    return f"{period.year}年{months}"


def growth_label(base: str | None, lang: str = "zh") -> str:
    """What a growth figure is measured against, as a brief's column or prefix says it."""
    if base == "year-end":
        return "比上年末" if lang == "zh" else "vs. end of last year"
    return "同比" if lang == "zh" else "YoY"
