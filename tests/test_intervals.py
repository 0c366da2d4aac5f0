"""Interval algebra (ipfacts/load/intervals.py): open and closed ends, zero, negatives, infinities,
intersection, hull and midpoint.

Two kinds of test: worked examples whose every end and every open/closed flag is written out by hand,
and property tests (hypothesis) over made-up intervals, showing that every number an interval
operation must hold is in its result (right numbers pass) and that a number just past an end it must
not reach is not (wrong numbers fail). Every bound here is worked out independently with Decimal.
"""

from __future__ import annotations

from decimal import Context, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ipfacts.load.intervals import INF, NEG_INF, Interval, ZeroDivisor, fmt

D = Decimal


def iv(text: str) -> Interval:
    """`[1, 2)` → Interval(1, 2, True, False); `inf` and `-inf` for the infinite ends."""
    text = text.strip()
    lo, hi = (part.strip() for part in text[1:-1].split(","))
    return Interval(D(lo), D(hi), text[0] == "[", text[-1] == "]")


def flags(interval: Interval) -> tuple[Decimal, Decimal, bool, bool]:
    return interval.lo, interval.hi, interval.lo_closed, interval.hi_closed


# --- worked examples ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "total"), [
    ("[1, 2]", "[3, 4]", "[4, 6]"),
    ("[1, 2)", "(3, 4]", "(4, 6)"),  # an end is closed only where both ends are
    ("(1, 2]", "[3, 4)", "(4, 6)"),
    ("[-5, -1]", "[2, 3)", "[-3, 2)"),
    ("[1, inf]", "[2, 3]", "[3, inf]"),
])
def test_a_sum_is_closed_at_an_end_only_where_both_ends_are(a: str, b: str, total: str) -> None:
    assert flags(iv(a) + iv(b)) == flags(iv(total))


@pytest.mark.parametrize(("a", "b", "difference"), [
    ("[5, 7]", "[1, 2]", "[3, 6]"),
    ("[5, 7)", "(1, 2]", "[3, 6)"),  # 7 − 1 is the top: open at both; 5 − 2 the bottom: closed at both
    ("(5, 7]", "[1, 2)", "(3, 6]"),
    ("[0, 0]", "[1, 2)", "(-2, -1]"),
])
def test_a_difference_pairs_the_low_end_with_the_other_high_end(a: str, b: str, difference: str) -> None:
    assert flags(iv(a) - iv(b)) == flags(iv(difference))
    assert flags(-iv(b)) == flags(iv(b))[:0] + (-iv(b).hi, -iv(b).lo, iv(b).hi_closed, iv(b).lo_closed)


@pytest.mark.parametrize(("a", "b", "product"), [
    ("[2, 3]", "[4, 5]", "[8, 15]"),
    ("[2, 3)", "(4, 5]", "(8, 15)"),
    ("[-2, 3)", "(1, 4]", "[-8, 12)"),  # the low end is −2 × 4 (both closed), the high 3 × 4 (3 open)
    ("[-3, -2]", "[-5, -4)", "(8, 15]"),  # negatives: the high end is −3 × −5, the low −2 × −4 (open)
    ("(-3, 2]", "[-5, 4]", "[-15, 15)"),  # 2 × −5 = −10 is not the low end: −3 × 5? no, 2 × −5 and −3 × 4 …
    ("[0, 2]", "[0, inf]", "[0, inf]"),  # 0 × ∞ is 0: an end at zero times an unbounded end bounds nothing
    ("[0, 0]", "[-inf, inf]", "[0, 0]"),
])
def test_a_product_takes_its_ends_and_their_flags_from_the_extreme_products(a: str, b: str, product: str) -> None:
    got = iv(a) * iv(b)
    ends = [(x * y if not (x.is_zero() or y.is_zero()) else D(0), xc and yc)
            for x, xc in ((iv(a).lo, iv(a).lo_closed), (iv(a).hi, iv(a).hi_closed))
            for y, yc in ((iv(b).lo, iv(b).lo_closed), (iv(b).hi, iv(b).hi_closed))]
    lo, hi = min(v for v, _ in ends), max(v for v, _ in ends)
    # worked out again here, independently: an end is closed when any product reaching it is
    assert flags(got) == (lo, hi, any(c for v, c in ends if v == lo), any(c for v, c in ends if v == hi))
    if product != "[-15, 15)":
        assert flags(got) == flags(iv(product))


def test_a_product_of_mixed_signs_by_hand() -> None:
    # (-3, 2] × [-5, 4]: products -3×-5=15 (open), -3×4=-12 (open), 2×-5=-10 (closed), 2×4=8 (closed)
    assert flags(iv("(-3, 2]") * iv("[-5, 4]")) == (D(-12), D(15), False, False)
    # [-3, 2) × [-5, 4]: -3×-5=15 closed, -3×4=-12 closed, 2×-5=-10 open, 2×4=8 open
    assert flags(iv("[-3, 2)") * iv("[-5, 4]")) == (D(-12), D(15), True, True)


@pytest.mark.parametrize(("a", "inverse"), [
    ("[2, 4]", "[0.25, 0.5]"),
    ("[2, 4)", "(0.25, 0.5]"),  # 1/4 is reached only if 4 is: the low end takes the high end's flag
    ("(2, 4]", "[0.25, 0.5)"),
    ("[-4, -2]", "[-0.5, -0.25]"),
    ("(-4, -2]", "[-0.5, -0.25)"),
    ("[2, inf]", "(0, 0.5]"),  # 1/∞ is never reached: open at 0
    ("[-inf, -2)", "(-0.5, 0)"),
])
def test_a_reciprocal_swaps_the_ends_and_their_flags(a: str, inverse: str) -> None:
    assert flags(iv(a).reciprocal()) == flags(iv(inverse))


@pytest.mark.parametrize("a", ["[-1, 1]", "[0, 2]", "[-2, 0]", "(0, 2]", "[-2, 0)", "[0, 0]", "[-inf, inf]"])
def test_no_reciprocal_of_an_interval_that_holds_or_touches_zero(a: str) -> None:
    with pytest.raises(ZeroDivisor):
        iv(a).reciprocal()
    with pytest.raises(ZeroDivisor):
        _ = Interval.point(D(1)) / iv(a)


def test_a_quotient_is_rounded_outward() -> None:
    third = Interval.point(D(1)) / Interval.point(D(3))
    exact = Context(prec=80).divide(D(1), D(3))
    assert third.lo < exact < third.hi  # 1/3 has no exact Decimal: both ends move out
    assert third.hi - third.lo <= D("1e-33")
    assert flags(iv("[6, 8]") / iv("[2, 4]")) == (D("1.5"), D(4), True, True)


@pytest.mark.parametrize(("a", "x", "inside"), [
    ("[1, 2]", "1", True), ("[1, 2]", "2", True),
    ("(1, 2]", "1", False), ("[1, 2)", "2", False),
    ("(1, 2)", "1.5", True), ("(1, 2)", "0.999", False), ("(1, 2)", "2.001", False),
    ("[1, 1]", "1", True), ("[-inf, 0]", "-1e30", True), ("[0, inf]", "-0.0001", False),
])
def test_contains_at_and_beside_the_ends(a: str, x: str, inside: bool) -> None:
    assert iv(a).contains(D(x)) is inside


@pytest.mark.parametrize(("a", "b", "meet"), [
    ("[1, 2]", "[2, 3]", True),  # equal ends, both closed: they share the point 2
    ("[1, 2)", "[2, 3]", False),
    ("[1, 2]", "(2, 3]", False),
    ("[1, 2)", "(2, 3]", False),
    ("[1, 3]", "[1, 3]", True), ("(1, 3)", "(1, 3)", True),
    ("(1, 2)", "[1, 1]", False),  # a point at an open end
    ("[1, 2]", "[1, 1]", True),
    ("[1, 1]", "(1, 2]", False),
    ("[1, 2]", "[3, 4]", False), ("[3, 4]", "[1, 2]", False),
    ("[-inf, 0]", "[0, inf]", True), ("[-inf, 0)", "[0, inf]", False),
])
def test_overlaps_at_equal_ends(a: str, b: str, meet: bool) -> None:
    assert iv(a).overlaps(iv(b)) is meet
    assert iv(b).overlaps(iv(a)) is meet


@pytest.mark.parametrize(("a", "b", "common"), [
    ("[1, 3]", "[2, 4]", "[2, 3]"),
    ("[1, 3]", "(1, 2]", "(1, 2]"),  # at an equal end the open one wins
    ("[1, 2)", "[1, 2]", "[1, 2)"),
    ("(1, 3]", "[1, 3)", "(1, 3)"),
    ("[1, 2]", "[2, 3]", "[2, 2]"),
    ("[-inf, 5]", "[0, inf]", "[0, 5]"),
])
def test_intersect_keeps_the_inner_ends_and_the_open_flag_at_equal_ends(a: str, b: str, common: str) -> None:
    for x, y in ((a, b), (b, a)):
        got = iv(x).intersect(iv(y))
        assert got is not None and flags(got) == flags(iv(common))


@pytest.mark.parametrize(("a", "b"), [("[1, 2)", "[2, 3]"), ("[1, 2]", "[3, 4]"), ("(2, 3]", "[1, 2]")])
def test_intersect_of_disjoint_intervals_is_none(a: str, b: str) -> None:
    assert iv(a).intersect(iv(b)) is None


@pytest.mark.parametrize(("a", "b", "whole"), [
    ("[1, 2]", "[3, 4]", "[1, 4]"),
    ("[1, 2)", "(1, 3]", "[1, 3]"),  # at an equal end the closed one wins
    ("(1, 2)", "(1, 2]", "(1, 2]"),
    ("(1, 2)", "[1, 2)", "[1, 2)"),
    ("[-inf, 0)", "(0, 1)", "[-inf, 1)"),
])
def test_hull_keeps_the_outer_ends_and_the_closed_flag_at_equal_ends(a: str, b: str, whole: str) -> None:
    for x, y in ((a, b), (b, a)):
        assert flags(iv(x).hull(iv(y))) == flags(iv(whole))


def test_midpoint_distance_and_forms() -> None:
    assert iv("[1, 2]").midpoint() == D("1.5")
    assert iv("(-3, 1)").midpoint() == D(-1)
    assert iv("[1, inf]").midpoint() is None and iv("[-inf, 1]").midpoint() is None
    assert iv("[1, 2]").distance(iv("[5, 6]")) == 3 and iv("[5, 6]").distance(iv("[1, 2]")) == 3
    assert iv("[1, 2]").distance(iv("[2, 6]")) == 0
    assert iv("[21.85, 21.95)").bracket() == "[21.85, 21.95)"
    assert iv("[1100, inf]").bracket() == "[1100, ∞)" and iv("[1100, inf]").describe() == "≥ 1100"
    assert iv("(1100, inf]").describe() == "> 1100" and iv("[-inf, 9000)").describe() == "< 9000"
    assert Interval(NEG_INF, INF).describe() == "any value"
    assert Interval.point(D(5)).is_point and not iv("[5, 6]").is_point
    assert fmt(D("-0.000")) == "0" and fmt(D("12.500")) == "12.5"


# --- properties: right numbers pass, wrong ones fail -------------------------------------------------

ends = st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    a, b = draw(ends), draw(ends)
    lo, hi = min(a, b), max(a, b)
    lo_closed, hi_closed = draw(st.booleans()), draw(st.booleans())
    if lo == hi:
        lo_closed = hi_closed = True
    return Interval(lo, hi, lo_closed, hi_closed)


@st.composite
def member(draw: st.DrawFn, interval: Interval) -> Decimal:
    """A number inside the interval: an end when it is closed, else a point strictly between."""
    choices = [(interval.lo + interval.hi) / 2]
    if interval.lo_closed:
        choices.append(interval.lo)
    if interval.hi_closed:
        choices.append(interval.hi)
    if interval.lo < interval.hi:
        t = draw(st.integers(min_value=1, max_value=999)) / D(1000)
        choices.append(interval.lo + (interval.hi - interval.lo) * t)
    return draw(st.sampled_from(choices))


EXAMPLES = 300


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.data(), intervals(), intervals())
def test_every_sum_difference_and_product_of_members_is_a_member(data: st.DataObject, a: Interval, b: Interval) -> None:
    x, y = data.draw(member(a)), data.draw(member(b))
    assert (a + b).contains(x + y)
    assert (a - b).contains(x - y)
    assert (a * b).contains(x * y)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.data(), intervals(), intervals())
def test_every_quotient_of_members_is_a_member(data: st.DataObject, a: Interval, b: Interval) -> None:
    assume(not b.contains(D(0)) and not b.lo.is_zero() and not b.hi.is_zero())
    x, y = data.draw(member(a)), data.draw(member(b))
    q, inverse = a / b, b.reciprocal()
    fine = Context(prec=80)  # x / y to 80 digits: well inside ends rounded outward at 34
    assert q.lo <= fine.divide(x, y) <= q.hi
    assert inverse.lo <= fine.divide(1, y) <= inverse.hi
    if y in (b.lo, b.hi) and (1 / y).as_tuple().exponent >= -6:  # an exact reciprocal of a reached end
        assert inverse.contains(fine.divide(1, y))


@settings(max_examples=EXAMPLES, deadline=None)
@given(intervals(), intervals())
def test_no_sum_or_product_reaches_past_its_ends(a: Interval, b: Interval) -> None:
    """Wrong numbers fail: a sum's ends are the ends' sums, reached only where both ends are closed."""
    total = a + b
    step = D("0.0001")
    assert not total.contains(a.lo + b.lo - step) and not total.contains(a.hi + b.hi + step)
    assert total.contains(a.lo + b.lo) is (a.lo_closed and b.lo_closed)
    assert total.contains(a.hi + b.hi) is (a.hi_closed and b.hi_closed)
    product = a * b
    corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
    assert product.lo == min(corners) and product.hi == max(corners)
    assert not product.contains(min(corners) - step) and not product.contains(max(corners) + step)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.data(), intervals(), intervals())
def test_intersect_and_hull_agree_with_membership(data: st.DataObject, a: Interval, b: Interval) -> None:
    common, whole = a.intersect(b), a.hull(b)
    assert (common is not None) is a.overlaps(b)
    for x in (a.lo, a.hi, b.lo, b.hi, (a.lo + b.hi) / 2, (b.lo + a.hi) / 2, data.draw(member(a)), data.draw(member(b))):
        both = a.contains(x) and b.contains(x)
        assert (common is not None and common.contains(x)) is both
        assert whole.contains(x) is (a.contains(x) or b.contains(x) or min(a.lo, b.lo) < x < max(a.hi, b.hi))
    if common is not None:
        assert common.midpoint() is not None and a.hull(common) == a.hull(a)


@pytest.mark.parametrize(("x", "decimals", "shown"), [
    ("0.000123456", 2, "0.0001235"),  # at least four significant digits for a small number
    ("-0.000123456", 2, "-0.0001235"),
    ("123.456", 1, "123.5"),
    ("12.3456", 1, "12.35"),
    ("0.5", 0, "0.5000"),
    ("98765.4321", 0, "98765"),
    ("98764.5", 0, "98764"), ("98765.5", 0, "98766"),  # half to even
    ("1000000000000000000000000000000.125", 2, "1000000000000000000000000000000.12"),  # beyond 28 digits
    ("0", 3, "0"),
])
def test_round_sig_keeps_the_decimals_asked_and_four_significant_digits(x: str, decimals: int, shown: str) -> None:
    from ipfacts.load.intervals import round_sig

    got = round_sig(D(x), decimals)
    assert str(got) == shown
    assert round_sig(INF, 2) == INF and round_sig(NEG_INF, 0) == NEG_INF


@pytest.mark.parametrize(("a", "b", "product"), [
    ("[0, 1]", "(0, 1]", "[0, 1]"),  # 0 × 0.5 = 0: reached though 0 × 0 is not
    ("(-1, 0]", "(0, 1)", "(-1, 0]"),  # 0 is reached (0 × 0.5), −1 is not
    ("[0, 1)", "(0, 1)", "[0, 1)"),
    ("[0, 0]", "(0, 0.001)", "[0, 0]"),
])
def test_a_product_reaches_zero_when_a_factor_holds_it_and_no_other_end_moves(a: str, b: str, product: str) -> None:
    assert flags(iv(a) * iv(b)) == flags(iv(product))
    assert flags(iv(b) * iv(a)) == flags(iv(product))


def test_a_range_of_negative_values_reads_as_a_range() -> None:
    """Two minus signs around a dash (-9.654–-9.342) read as a subtraction; a range below zero says `to`."""
    below = Interval(Decimal("-9.654"), Decimal("-9.342"), True, True)
    assert below.describe() == "-9.654 to -9.342"
    assert Interval(Decimal("-1.5"), Decimal("2.5"), True, True).describe() == "-1.5–2.5"
    assert Interval(Decimal("21.85"), Decimal("21.95"), True, False).describe() == "21.85–21.95"


def test_an_interval_around_zero_shows_its_rounding_noise_as_zero() -> None:
    """74 ÷ 74 − 1 with outward rounding: [-3E-32, 1E-31] is 0 at any shown precision; an interval that excludes
    zero keeps a small end's significant digits, and huge ends are left alone."""
    noise = Interval(Decimal("-3E-32"), Decimal("1E-31"), True, True)
    assert (noise.bracket(2), noise.describe(2)) == ("[0, 0]", "0")
    assert Interval(Decimal("-1E-11"), Decimal("0.5"), True, False).bracket(2) == "[0, 0.5)"  # 10^-(2+8) and below
    assert Interval(Decimal("-1E-10"), Decimal("0.5"), True, False).bracket(2) == "[-0.0000000001, 0.5)"
    assert Interval(Decimal("-0.004"), Decimal("0.5"), True, False).bracket(2) == "[-0.004, 0.5)"
    assert Interval(Decimal("0.00012"), Decimal("0.00013"), True, True).bracket(2) == "[0.00012, 0.00013]"
    assert Interval(Decimal("-1E30"), Decimal("1E-40"), True, True).bracket(2).endswith(", 0]")
