"""balance_of: {opening: a, inflow: b, outflow: c} — on a closing stock (未结案 375件): opening +
inflow − outflow = closing, rounding-aware. inflow and outflow may each be a list (summed).

When `opening` is not given it is found: the closing stock's prior-period fact (same metric and
region, one period earlier), else implied by a growth rate of the closing stock (同比下降31.69%),
the way GRIM implies a previous count: closing ÷ (1 + rate), a whole number when every figure is
an exact count. Without any opening, the balance still needs opening = closing − inflow + outflow ≥ 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import add

from ipfacts.check.relations.base import (
    ONE,
    Context,
    Pair,
    common_unit,
    expected,
    judge_pair,
    percent_scale,
    shown,
    suffix,
    value_in,
)
from ipfacts.check.relations.granularity import integers_in
from ipfacts.check.relations.growth import recompute
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import by
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load import units
from ipfacts.load.intervals import Interval, ZeroDivisor
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "balance_of"


@dataclass(frozen=True)
class Opening:
    """The stock at the start, in `unit`: stated (a fact), or implied by a growth rate."""

    value: Pair
    fact: Fact | None  # the opening fact, when stated or found
    growth: Fact | None  # the growth rate it is implied from, otherwise
    exact: bool  # a whole number of things

    def text(self, closing: Fact) -> str:
        if self.fact is not None:
            return self.fact.value.text
        return whole_or_range(self.value.strict, closing)


def whole_or_range(interval: Interval, like: Fact) -> str:
    if interval.is_point:
        return by(interval.lo, like.value)
    return f"{shown(interval, like.value, 0)}{suffix(like.value)}"


def flows(ctx: Context, closing: Fact, role: str) -> list[Fact]:
    return [ctx.fact(t) for t in closing.roles(RELATION).get(role, [])]


def opening_of(ctx: Context, closing: Fact, unit: str | None, stated: str | None = None) -> list[Opening]:
    """Every opening stock the base states or implies for `closing`: the one named, else the prior
    period's fact, else one per growth rate of the closing stock."""
    named = stated or next(iter(closing.roles(RELATION).get("opening", [])), None)
    found = ctx.fact(named) if named else ctx.previous_of(closing, None)
    if found is not None:
        return [Opening(value_in(found, unit), found, None, found.value.is_exact_count)]
    openings = []
    exact = closing.value.is_exact_count
    for growth in ctx.referrers("growth_of", closing.id):
        scale = percent_scale(growth.value)
        if scale is None or growth.value.unit == units.PERCENTAGE_POINT:
            continue
        if growth.ref("previous"):
            previous = ctx.fact(growth.ref("previous") or "")
            openings.append(Opening(value_in(previous, unit), previous, None, previous.value.is_exact_count))
            continue
        rate = Pair(growth.value.strict(), growth.value.lenient()) * Pair.point(scale / 100)
        try:
            implied = value_in(closing, unit) / (Pair(ONE, ONE) + rate)
        except ZeroDivisor:
            continue
        strict = implied.strict
        if exact and strict.is_bounded and (whole := integers_in(strict)) is not None:
            strict = Interval(Decimal(whole[0]), Decimal(whole[1]))
        openings.append(Opening(Pair(strict, implied.lenient), None, growth, exact))
    return openings


def check(ctx: Context, closing: Fact) -> Iterator[Finding]:
    inflow, outflow = flows(ctx, closing, "inflow"), flows(ctx, closing, "outflow")
    stated = flows(ctx, closing, "opening")
    unit = common_unit([closing, *inflow, *outflow, *stated])
    ins = reduce(add, (value_in(f, unit) for f in inflow))
    outs = reduce(add, (value_in(f, unit) for f in outflow))
    end = value_in(closing, unit)
    needed = end - ins + outs  # the opening that would balance
    terms_in = " + ".join(f.value.text for f in inflow)
    terms_out = " − ".join(f.value.text for f in outflow)
    involved = [closing, *inflow, *outflow]
    openings = opening_of(ctx, closing, unit)
    if not openings:
        verdict = None
        if needed.strict.hi < 0:
            verdict = WARNING if needed.lenient.hi >= 0 else ERROR
        ctx.note(closing, RELATION, verdict, closing.value, needed, opening="none stated: opening needed")
        if verdict:
            yield ctx.finding(
                "R120", verdict,
                f"{closing.id}: {closing.value.text} at the end after {terms_in} in and {terms_out} out would need "
                f"a negative stock at the start ({whole_or_range(needed.strict, closing)})",
                involved, reported=closing.value.text, expected=f"opening {needed.strict.bracket()} ≥ 0",
                opening_needed=needed.strict.bracket())
        return
    for opening in openings:
        computed = opening.value + ins - outs
        verdict = judge_pair(end, computed)
        extra = {"opening": opening.fact.id if opening.fact else f"implied by {opening.growth.id if opening.growth else '?'}"}
        ctx.note(closing, RELATION, verdict, closing.value, computed, **extra)
        if not verdict:
            continue
        gap = computed.strict.distance(end.strict)
        sum_text = f"{opening.text(closing)} + {terms_in} − {terms_out} = {whole_or_range(computed.strict, closing)}"
        fit = f"an opening of {whole_or_range(needed.strict, closing)} would balance"
        details = {"opening_used": opening.value.strict.bracket(), "opening_needed": needed.strict.bracket(),
                   "gap": str(gap)}
        if opening.growth is not None:
            growth = opening.growth
            try:
                rate = recompute(end, needed).strict.describe(growth.value.decimals)
                fit += f", a change of {rate}%"
            except ZeroDivisor:
                pass
            yield ctx.finding(
                "R121", verdict,
                f"{closing.id}: a change of {growth.value.text} to {closing.value.text} means {opening.text(closing)} at the start; "
                f"{sum_text}, not the printed {closing.value.text} ({by(gap, closing.value)} apart); {fit}",
                [closing, growth, *inflow, *outflow], reported=closing.value.text,
                expected=expected(computed.strict, closing.value), **details)
        else:
            assert opening.fact is not None
            yield ctx.finding(
                "R120", verdict,
                f"{closing.id}: {sum_text} at the end, but {closing.value.text} is printed "
                f"({by(gap, closing.value)} apart); {fit}",
                [closing, opening.fact, *inflow, *outflow], reported=closing.value.text,
                expected=expected(computed.strict, closing.value), **details)


KIND = RelationKind(FIELDS[RELATION], check=check)
