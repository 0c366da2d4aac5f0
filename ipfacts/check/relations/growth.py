"""growth_of: current (+ previous) — the year-on-year change of current, in percent.

With a previous value (named, or found: same metric and region, one period
earlier, anywhere in the base) the rate is recomputed. Without one, and the
current value an exact count, GRIM: some whole-number previous count must give
the rate, and the implied previous figure is reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.relations.base import (
    ONE,
    PERCENT_100,
    Context,
    Pair,
    common_unit,
    expected,
    judge,
    percent_scale,
    shown,
    value_in,
)
from ipfacts.check.relations.granularity import describe_integers, integers_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load import units
from ipfacts.load.intervals import ZeroDivisor
from ipfacts.load.model import Fact

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
        ctx.note(fact, RELATION, verdict, reported, computed, previous=previous.id)
        if verdict:
            flipped = (computed.strict.hi < 0 < reported.value) or (computed.strict.lo > 0 > reported.value)
            yield ctx.finding(
                "R105", verdict,
                f"{previous.value.text} → {current.value.text} is {shown(computed.strict, reported)}%, "
                f"reported {reported.text}, which stands for {shown(reported.strict().scale(scale), reported, 1)}"
                + (" (the sign is wrong)" if flipped else ""),
                [fact, current, previous], reported=reported.text,
                expected=expected(computed.strict, reported), gross=flipped)
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
        reason = f"only a lenient reading fits, with {implied_text}" if implied_text else \
            ("only a lenient reading fits" if possible_leniently else "no whole number does")
        yield ctx.finding(
            "R106", verdict,
            f"{fact.id}: growth of {reported.text} to {current.value.text} needs a whole-number previous count in "
            f"{strict.describe(2)}; {reason}",
            [fact, current], reported=reported.text, expected=strict.bracket(2), implied_previous=implied_text)


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
            f"{current.value.text} − {previous.value.text} = {shown(computed.strict, fact.value)} percentage points, "
            f"reported {fact.value.text}",
            [fact, current, previous], reported=fact.value.text, expected=expected(computed.strict, fact.value))


KIND = RelationKind(RELATION, "ref", "current: this value is its year-on-year change in percent.", check=check)
