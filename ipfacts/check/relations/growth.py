"""growth_of: current (+ previous) — the year-on-year change of current, in percent.

With a previous value (named, or found: same metric and region, one period
earlier, anywhere in the base) the rate is recomputed. Without one, and the
current value an exact count, GRIM: some whole-number previous count must give
the rate, and the implied previous figure is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ipfacts.check.relations.base import (
    ONE,
    PERCENT_100,
    Context,
    Pair,
    common_unit,
    expected,
    judge,
    percent_scale,
    value_in,
)
from ipfacts.check.relations.granularity import describe_integers, integers_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import in_terms, neighbours, pct, span, unit_of, whole_numbers
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load import units
from ipfacts.load.intervals import ZeroDivisor
from ipfacts.load.model import Fact
from ipfacts.load.numbers import Written, conversion
from ipfacts.load.relationfields import FIELDS

RELATION = "growth_of"


def recompute(current: Pair, previous: Pair) -> Pair:
    return (current / previous - Pair(ONE, ONE)) * PERCENT_100


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    current = ctx.fact(fact.refs(RELATION)[0])
    previous = ctx.previous_of(current, fact.ref("previous"))
    reported = fact.value
    if reported.unit == units.PERCENTAGE_POINT:
        yield from _points(ctx, fact, current, previous)
        return
    scale = percent_scale(reported)
    if scale is None:
        raise units.UnitMismatch(reported.unit or "", units.PERCENT)
    if previous is not None:
        unit = common_unit([current, previous])
        computed = recompute(value_in(current, unit), value_in(previous, unit))
        verdict = judge(reported, computed, scale)
        ctx.note(fact, RELATION, verdict, reported, computed.per(scale), previous=previous.id)  # in the printed terms
        if verdict:
            flipped = (computed.strict.hi < 0 < reported.value) or (computed.strict.lo > 0 > reported.value)
            yield ctx.finding(
                "R105", verdict,
                f"{previous.value.text}{elsewhere(ctx, fact, previous)} → {current.value.text} is a change of "
                f"{span(computed.strict, reported.decimals + 1)}%, but {reported.text} is printed"
                + (" (the sign is wrong)" if flipped else "") + "; " + _fitting_current(reported, scale, previous, current),
                [fact, current, previous], reported=reported.text,
                expected=expected(computed.strict.scale(1 / scale) if scale != 1 else computed.strict, reported),
                gross=flipped)  # `expected` in the printed rate's terms: 200 % is 2倍
        return
    if not current.value.is_exact_count:
        ctx.note(fact, RELATION, None, reported, None, testable=False)
        return
    try:
        implied = Pair(current.value.strict(), current.value.lenient()) / (
            Pair(ONE, ONE) + Pair(reported.strict(), reported.lenient()) * Pair.point(scale / 100))
    except ZeroDivisor:  # a rate of about -100%: any large enough previous count fits
        ctx.note(fact, RELATION, None, reported, None, testable=False)
        return
    strict = implied.strict
    found_strict = integers_in(strict, 1)
    found_lenient = integers_in(implied.lenient, 1) if implied.lenient.is_bounded else None
    possible_leniently = found_lenient is not None or not implied.lenient.is_bounded
    verdict = None if found_strict else (WARNING if possible_leniently else ERROR)
    found = found_strict or found_lenient
    implied_text = describe_integers(found) if found else None
    ctx.note(fact, RELATION, verdict, reported, None, implied_previous=implied_text, previous_interval=strict.bracket(2))
    if verdict:
        unit = unit_of(current.value)
        either_side = ", ".join(
            f"{n}{unit} would give {pct((current.value.value / n - 1) * 100, reported.decimals)}"
            for n in neighbours(strict, 1))
        loose = (f"; only a looser reading of {reported.text} fits, with {implied_text}{unit}" if implied_text else
                 ("; only a looser reading fits" if possible_leniently else ""))
        yield ctx.finding(
            "R106", verdict,
            f"{fact.id}: no whole number in the previous period gives {reported.text} growth to "
            f"{current.value.text}" + (f": {either_side}" if either_side else "") + loose,
            [fact, current], reported=reported.text, expected=strict.bracket(2), implied_previous=implied_text)


def elsewhere(ctx: Context, fact: Fact, previous: Fact) -> str:
    """Where last year's figure comes from, when another source states it: ` (《title》, line 12)`."""
    if previous.source == fact.source:
        return ""
    return f" (《{ctx.base.sources[previous.source].title}》, line {previous.lines})"


def _fitting_current(reported: Written, scale: Decimal, previous: Fact, current: Fact) -> str:
    """The current figure the printed rate gives from the previous one, in words."""
    rate = Pair(reported.strict(), reported.lenient()) * Pair.point(scale / 100)
    factor = conversion(previous.value, current.value.unit)  # the previous figure in the current one's unit
    needed = (value_in(previous, current.value.unit) * (Pair(ONE, ONE) + rate)).strict
    unit = unit_of(current.value)
    if current.value.is_exact_count and (found := integers_in(needed)) is not None:
        return f"{reported.text} from {previous.value.text} would be {whole_numbers(found, unit)}"
    if current.value.is_exact_count:
        either_side = ", ".join(
            f"{n}{unit} would be {pct((Decimal(n) / (previous.value.value * factor) - 1) * 100, reported.decimals)}"
            for n in neighbours(needed)) if previous.value.value else ""
        return (f"{reported.text} from {previous.value.text} would be {span(needed, 1)}{unit}, not a whole number"
                + (f" ({either_side})" if either_side else ""))
    return f"{reported.text} from {previous.value.text} would be {in_terms(needed, current.value, 1)}"


def _points(ctx: Context, fact: Fact, current: Fact, previous: Fact | None) -> Iterator[Finding]:
    """A change in percentage points (提高1.2个百分点) is current − previous."""
    if previous is None:
        ctx.note(fact, RELATION, None, fact.value, None, testable=False)
        return
    computed = value_in(current, units.PERCENT) - value_in(previous, units.PERCENT)
    verdict = judge(fact.value, computed)
    ctx.note(fact, RELATION, verdict, fact.value, computed, previous=previous.id)
    if verdict:
        yield ctx.finding(
            "R105", verdict,
            f"{current.value.text} − {previous.value.text} is {span(computed.strict, fact.value.decimals + 1)} "
            f"percentage points, but {fact.value.text} is printed",
            [fact, current, previous], reported=fact.value.text, expected=expected(computed.strict, fact.value))


KIND = RelationKind(FIELDS[RELATION], check=check)
