"""GRIM for counts: which whole numbers can stand behind a reported rate.

scrutiny's idea, applied to the figures of a white paper: a count is a whole
number, so with an exact whole (or current) count only some percentages (or
growth rates) are possible. We find the whole numbers that reproduce the
reported interval and report them — the part or previous-year figure a writer
can quote — or report that none exists.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ipfacts.load.intervals import Interval

MAX_LISTED = 5


def integers_in(interval: Interval, lowest: int = 0) -> tuple[int, int] | None:
    """The first and last whole number inside the interval (at least `lowest`), or None."""
    if interval.hi.is_infinite() and interval.hi > 0:
        return None
    lo = max(Decimal(lowest), interval.lo) if interval.lo.is_finite() else Decimal(lowest)
    first = int(lo.to_integral_value(rounding=ROUND_CEILING))
    if Decimal(first) == interval.lo and not interval.lo_closed:
        first += 1
    last = int(interval.hi.to_integral_value(rounding=ROUND_FLOOR))
    if Decimal(last) == interval.hi and not interval.hi_closed:
        last -= 1
    return (first, last) if first <= last else None


def describe_integers(found: tuple[int, int]) -> str:
    first, last = found
    if first == last:
        return str(first)
    if last - first < MAX_LISTED:
        return ", ".join(str(n) for n in range(first, last + 1))
    return f"{first}–{last}"


def testable(count: Decimal, decimals: int, percent: bool = True) -> bool:
    """A rate with D decimals can catch anything only when the count is below 10^(D+2) (percent)."""
    return count < Decimal(10) ** (decimals + (2 if percent else 0))
