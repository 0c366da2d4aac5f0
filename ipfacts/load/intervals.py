"""Closed/open intervals over Decimal, rounded outward, with infinite ends.

Every number a source writes stands for an interval; every recomputation is
done on intervals, so that a result is never narrower than its inputs allow.
Floats never enter: scrutiny's rounding bug on large numbers ending in 5 came
from binary floating point.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Context, Decimal
from typing import NamedTuple

FLOOR = Context(prec=34, rounding=ROUND_FLOOR)
CEIL = Context(prec=34, rounding=ROUND_CEILING)
INF = Decimal("Infinity")
NEG_INF = Decimal("-Infinity")
ZERO = Decimal(0)


class ZeroDivisor(ArithmeticError):
    """The divisor interval contains zero."""


def _mul(ctx: Context, a: Decimal, b: Decimal) -> Decimal:
    # 0 × ∞ is 0 here: an end at zero times an unbounded end bounds nothing.
    if a.is_zero() or b.is_zero():
        return ZERO
    return ctx.multiply(a, b)


class Interval(NamedTuple):
    """An interval of Decimals (immutable; a tuple: half a million are made in a check of 100,000 facts,
    and a tuple is built three times faster than a frozen dataclass). Its operators are interval
    arithmetic, not the tuple's (`+` adds, `*` multiplies)."""

    lo: Decimal
    hi: Decimal
    lo_closed: bool = True
    hi_closed: bool = True

    @classmethod
    def point(cls, value: Decimal) -> Interval:
        return cls(value, value)

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    @property
    def is_bounded(self) -> bool:
        return self.lo.is_finite() and self.hi.is_finite()

    def __add__(self, other: Interval) -> Interval:  # type: ignore[override]  # interval sum, not concatenation
        return Interval(
            FLOOR.add(self.lo, other.lo),
            CEIL.add(self.hi, other.hi),
            self.lo_closed and other.lo_closed,
            self.hi_closed and other.hi_closed,
        )

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, self.hi_closed, self.lo_closed)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def __mul__(self, other: Interval) -> Interval:  # type: ignore[override]  # interval product, not repetition
        # An end of the product is reached when a pair of reached ends gives it — or when it is zero and
        # either factor holds zero (0 × (0, 1) is 0, reached though 0.5 × 0 is the only way there).
        if self.lo >= 0 and other.lo >= 0:  # the common case: counts, amounts, shares
            lo, hi = _mul(FLOOR, self.lo, other.lo), _mul(CEIL, self.hi, other.hi)
            lo_closed, hi_closed = self.lo_closed and other.lo_closed, self.hi_closed and other.hi_closed
        else:
            ends = [(a, ac, b, bc) for a, ac in ((self.lo, self.lo_closed), (self.hi, self.hi_closed))
                    for b, bc in ((other.lo, other.lo_closed), (other.hi, other.hi_closed))]
            lows = [(_mul(FLOOR, a, b), ac and bc) for a, ac, b, bc in ends]
            highs = [(_mul(CEIL, a, b), ac and bc) for a, ac, b, bc in ends]
            lo = min(v for v, _ in lows)
            hi = max(v for v, _ in highs)
            lo_closed, hi_closed = any(c for v, c in lows if v == lo), any(c for v, c in highs if v == hi)
        if (lo.is_zero() and not lo_closed) or (hi.is_zero() and not hi_closed):
            zero = self.contains(ZERO) or other.contains(ZERO)
            lo_closed, hi_closed = lo_closed or (zero and lo.is_zero()), hi_closed or (zero and hi.is_zero())
        return Interval(lo, hi, lo_closed, hi_closed)

    def reciprocal(self) -> Interval:
        if self.contains(ZERO) or (self.lo.is_zero() or self.hi.is_zero()):
            raise ZeroDivisor(str(self))
        lo = ZERO if self.hi.is_infinite() else FLOOR.divide(1, self.hi)
        hi = ZERO if self.lo.is_infinite() else CEIL.divide(1, self.lo)
        return Interval(lo, hi, self.hi_closed and self.hi.is_finite(), self.lo_closed and self.lo.is_finite())

    def __truediv__(self, other: Interval) -> Interval:
        return self * other.reciprocal()

    def scale(self, factor: Decimal) -> Interval:
        return self * Interval.point(factor)

    def contains(self, x: Decimal) -> bool:
        above = x > self.lo or (x == self.lo and self.lo_closed)
        below = x < self.hi or (x == self.hi and self.hi_closed)
        return above and below

    def overlaps(self, other: Interval) -> bool:
        if self.lo > other.lo or (self.lo == other.lo and not self.lo_closed):
            lo, lo_closed = self.lo, self.lo_closed
        else:
            lo, lo_closed = other.lo, other.lo_closed
        if self.hi < other.hi or (self.hi == other.hi and not self.hi_closed):
            hi, hi_closed = self.hi, self.hi_closed
        else:
            hi, hi_closed = other.hi, other.hi_closed
        return lo < hi or (lo == hi and lo_closed and hi_closed)

    def intersect(self, other: Interval) -> Interval | None:
        if not self.overlaps(other):
            return None
        lo, lo_closed = max((self.lo, not self.lo_closed), (other.lo, not other.lo_closed))
        hi, hi_closed = min((self.hi, self.hi_closed), (other.hi, other.hi_closed))
        return Interval(lo, hi, not lo_closed, hi_closed)

    def hull(self, other: Interval) -> Interval:
        lo, lo_open = min((self.lo, not self.lo_closed), (other.lo, not other.lo_closed))
        hi, hi_closed = max((self.hi, self.hi_closed), (other.hi, other.hi_closed))
        return Interval(lo, hi, not lo_open, hi_closed)

    def distance(self, other: Interval) -> Decimal:
        """How far apart two intervals are (0 when they overlap)."""
        if self.overlaps(other):
            return ZERO
        return other.lo - self.hi if self.hi <= other.lo else self.lo - other.hi

    def describe(self, digits: int | None = None) -> str:
        """Human form: `21.85–21.95`, `-9.654 to -9.342`, `≥ 1100`, `≤ 9000`, or a single value."""
        lo, hi = self._ends(digits)
        if self.lo.is_infinite() and self.hi.is_infinite():
            return "any value"
        if self.hi.is_infinite():
            return f"{'≥' if self.lo_closed else '>'} {lo}"
        if self.lo.is_infinite():
            return f"{'≤' if self.hi_closed else '<'} {hi}"
        if lo == hi:
            return lo
        return f"{lo} to {hi}" if hi.startswith("-") else f"{lo}–{hi}"  # not -9.654–-9.342

    def bracket(self, digits: int | None = None) -> str:
        """Exact form with ends marked inclusive or exclusive: `[21.85, 21.95)`."""
        left = "[" if self.lo_closed and self.lo.is_finite() else "("
        right = "]" if self.hi_closed and self.hi.is_finite() else ")"
        lo, hi = self._ends(digits)
        return f"{left}{lo}, {hi}{right}"

    def _ends(self, digits: int | None) -> tuple[str, str]:
        """Both ends as `fmt` shows them — but an end of an interval around zero that is only the rounding noise
        of the arithmetic is shown as 0: 74 ÷ 74 − 1 computed with outward rounding is [-3E-32, 1E-31], shown
        [0, 0], not `[-0.00000000000000000000000000000003, …]`. A real small end keeps its significant digits."""
        lo, hi = fmt(self.lo, digits), fmt(self.hi, digits)
        if digits is not None and self.lo <= 0 <= self.hi:
            lo = "0" if _zero_at(self.lo, digits) else lo
            hi = "0" if _zero_at(self.hi, digits) else hi
        return lo, hi

    def midpoint(self) -> Decimal | None:
        if not self.is_bounded:
            return None
        return (self.lo + self.hi) / 2


def fmt(x: Decimal, digits: int | None = None) -> str:
    """A Decimal as a person writes it: no exponent, no trailing zeros, `digits` significant decimals at most."""
    if x.is_infinite():
        return "∞" if x > 0 else "-∞"
    if digits is not None:
        x = round_sig(x, digits)
    text = format(x, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


NOISE_PLACES = 8  # an end this many places below the shown precision is rounding noise of the arithmetic


def _zero_at(x: Decimal, digits: int) -> bool:
    """Whether `x` is the arithmetic's rounding noise at `digits` shown places: below 10^-(digits + 8), where a
    real small value (0.004 at two places) keeps its significant digits."""
    return x.is_finite() and abs(x) < Decimal(1).scaleb(-(digits + NOISE_PLACES))


def round_sig(x: Decimal, decimals: int) -> Decimal:
    """Round to `decimals` places after the point, keeping at least 4 significant digits for small numbers."""
    if x.is_zero() or not x.is_finite():
        return x
    magnitude = x.adjusted()
    places = max(decimals, 3 - magnitude)
    # precision for every digit kept: the default context's 28 would fail on a large value shown to many places
    context = Context(prec=max(28, magnitude + places + 2), rounding=ROUND_HALF_EVEN)
    return x.quantize(Decimal(1).scaleb(-places), context=context)
