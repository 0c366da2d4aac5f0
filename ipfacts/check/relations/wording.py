"""Words for relation messages: numbers as an editor reads them (93.36%, 1266件, 15838–15855件),
the whole numbers that would fit, and the ones either side when none does. Interval notation
([1266.16, 1266.3)) belongs to `expected`, the details and --explain, never to a message."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal

from ipfacts.check.relations.base import UNIT_LABELS
from ipfacts.load.intervals import Interval, fmt
from ipfacts.load.numbers import Written


def rounded(x: Decimal, decimals: int) -> str:
    """x rounded half up to `decimals` places, as a person writes it: 93.36, -31.69, 1266."""
    if not x.is_finite():
        return fmt(x)
    places = max(decimals, 0)
    # a context wide enough for the largest values allowed (18 digits × 10^12 multipliers, to `places` decimals)
    context = Context(prec=max(28, x.adjusted() + places + 2), rounding=ROUND_HALF_UP)
    q = x.quantize(Decimal(1).scaleb(-places), context=context)
    text = format(q, "f")
    return text.lstrip("-") if q.is_zero() else text


def pct(x: Decimal, decimals: int) -> str:
    return f"{rounded(x, decimals)}%"


def whole_numbers(found: tuple[int, int], unit: str = "") -> str:
    """`1266件`, `1266件 or 1267件`, `15838–15855件`."""
    first, last = found
    if first == last:
        return f"{first}{unit}"
    if last == first + 1:
        return f"{first}{unit} or {last}{unit}"
    return f"{first}–{last}{unit}"


def neighbours(interval: Interval, lowest: int = 0) -> list[int]:
    """The whole numbers just below and just above an interval that holds none."""
    below = int(interval.lo.to_integral_value(rounding=ROUND_FLOOR)) if interval.lo.is_finite() else None
    above = int(interval.hi.to_integral_value(rounding=ROUND_CEILING)) if interval.hi.is_finite() else None
    return [n for n in (below, above) if n is not None and n >= lowest]


def span(interval: Interval, decimals: int) -> str:
    """A range in words at `decimals` places: `93.30`, `240.55–240.57`, `at least 1100`."""
    if interval.lo.is_infinite() and interval.hi.is_infinite():
        return "any value"
    if interval.hi.is_infinite():
        return f"at least {rounded(interval.lo, decimals)}"
    if interval.lo.is_infinite():
        return f"at most {rounded(interval.hi, decimals)}"
    lo, hi = rounded(interval.lo, decimals), rounded(interval.hi, decimals)
    if lo == hi:
        return lo
    return f"{lo}–{hi}" if interval.lo >= 0 else f"{lo} to {hi}"


def in_terms(interval: Interval, written: Written, extra_digits: int = 0) -> str:
    """A computed range in the terms `written` uses (multiplier and unit): `240.55–240.57亿元`, `93.30%`."""
    scaled = interval.scale(1 / written.multiplier) if written.multiplier != 1 else interval
    return span(scaled, written.decimals + extra_digits) + unit_of(written)


def by(gap: Decimal, written: Written) -> str:
    """A difference in the terms `written` uses: `9件`, `0.26亿元` (never rounded away to 0)."""
    scaled = gap / written.multiplier
    text = rounded(scaled, written.decimals)
    if Decimal(text).is_zero() and not scaled.is_zero():
        text = fmt(scaled, written.decimals)  # at least four significant digits
    return text + unit_of(written)


def by_at_least(gap: Decimal, written: Written) -> str:
    """`by at least 9件`; `by more than 0件` when the readings meet only at an open end (no least gap)."""
    return f"by more than 0{unit_of(written)}" if gap.is_zero() else f"by at least {by(gap, written)}"


def unit_of(written: Written) -> str:
    """Multiplier and unit after a number: 亿元, 万件, %; ` billion 元` for an English multiplier."""
    unit = UNIT_LABELS.get(written.unit or "", written.unit or "")
    word = written.multiplier_word
    if word and word.isascii():
        return f" {word} {unit}".rstrip()
    return f"{word}{unit}"
