"""Numbers as written: the parser, its intervals, and its refusals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipfacts.load.intervals import INF, NEG_INF
from ipfacts.load.numbers import ValueError_, parse_value
from ipfacts.load.words import APPROX, AT_LEAST, AT_MOST


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "literal"),
    [
        ("71425件", "71425", "件", None, "71425"),
        ("24.8%", "24.8", "percent", None, "24.8"),
        ("240.29亿元", "24029000000", "元", None, "240.29"),
        ("1.2亿余元", "120000000", "元", AT_LEAST, "1.2"),
        ("超1100人", "1100", "人", AT_LEAST, "1100"),
        ("近9000件", "9000", "件", AT_MOST, "9000"),
        ("约5.5万人次", "55000", "人次", APPROX, "5.5"),
        ("-19.48%", "-19.48", "percent", None, "19.48"),
        ("40,107 million yuan", "40107000000", "元", None, "40,107"),
        ("more than 6,500", "6500", None, AT_LEAST, "6,500"),
        ("１１.４％", "11.4", "percent", None, "11.4"),
        ("1.2个百分点", "1.2", "percentage_point", None, "1.2"),
        ("2.5倍", "2.5", "倍", None, "2.5"),
        ("60亿元以上", "6000000000", "元", AT_LEAST, "60"),
        ("100多件", "100", "件", AT_LEAST, "100"),
        ("3.9 billion US dollars", "3900000000", "美元", None, "3.9"),
        ("about 5,000 patents", "5000", None, APPROX, "5,000"),
        ("26.3万件", "263000", "件", None, "26.3"),
        ("1.5万亿元", "1500000000000", "元", None, "1.5"),
    ],
)
def test_parse_value_as_written(text: str, value: str, unit: str | None, qualifier: str | None, literal: str) -> None:
    written = parse_value(text)
    assert written.value == Decimal(value)
    assert written.unit == unit
    assert written.qualifier == qualifier
    assert written.literal == literal


def test_unit_field_supplies_the_unit() -> None:
    written = parse_value("921 thousand", "件")
    assert (written.value, written.unit) == (Decimal(921000), "件")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2件", "thousands separators"),
        ("1，2件", "thousands separators"),  # full-width comma: NFKC makes it `1,2`, still not a number
        ("3亿亿元", "stacks multipliers"),
        ("abc", "does not start with a number"),
        ("5 foo", "unknown unit 'foo'"),
        ("", "empty"),
        ("超5件以下", "more than one qualifier"),  # at least and at most at once
        ("约5件以上", "more than one qualifier"),
    ],
)
def test_parse_value_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError_, match=message):
        parse_value(text)


def test_unit_given_twice_is_refused() -> None:
    with pytest.raises(ValueError_, match="already has a unit"):
        parse_value("5件", "家")


def test_hundred_prefix_does_not_eat_percentage_points() -> None:
    assert parse_value("3.5百分点").unit == "percentage_point"


def test_rounding_interval_is_half_open_as_the_contract_says() -> None:
    strict = parse_value("24.8%").strict()
    assert strict.bracket() == "[24.75, 24.85)"
    assert strict.contains(Decimal("24.75")) and not strict.contains(Decimal("24.85"))


def test_trailing_zero_number_has_a_coarser_lenient_reading() -> None:
    written = parse_value("20万件")
    assert written.strict().bracket() == "[195000, 205000)"
    assert written.lenient().contains(Decimal(150000))
    assert parse_value("1400家").strict().is_point  # an exact count
    assert parse_value("1400家").lenient().bracket() == "[1350, 1450]"


def test_qualifiers_are_bounds() -> None:
    assert parse_value("超1100人").strict().hi == INF
    assert parse_value("近9000件").strict().lo == NEG_INF
    approx = parse_value("约5.5万人次")
    assert approx.strict().bracket() == "[54500, 55500)"
    assert approx.lenient().contains(Decimal(57000))  # within 5%


def test_decline_interval_mirrors_rounding() -> None:
    assert parse_value("-19.48%").strict().bracket() == "(-19.485, -19.475]"


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1e9"), places=4, allow_nan=False),
       st.integers(min_value=0, max_value=3))
def test_a_value_rounded_half_up_lies_in_its_written_interval(true: Decimal, decimals: int) -> None:
    written = format(true.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), "f")
    parsed = parse_value(written + "亿元")
    assert parsed.strict().scale(Decimal("1e-8")).contains(true)


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_and_full_width_digits_read_the_same(n: int) -> None:
    plain = parse_value(f"{n}件")
    grouped = parse_value(f"{n:,}件")
    full_width = parse_value("".join(chr(ord(c) + 0xFEE0) for c in str(n)) + "件")
    assert plain.value == grouped.value == full_width.value == n


@given(st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=2, allow_nan=False))
def test_percent_values_keep_their_written_precision(x: Decimal) -> None:
    parsed = parse_value(f"{x}%")
    assert parsed.value == x
    assert parsed.decimals == 2
