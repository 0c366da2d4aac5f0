"""per_10k_of: fact — the value is that fact per 10,000 residents.

Every per-10k figure of one region and period implies a resident population
(stock ÷ per-10k, in 万人). They must agree with one another, and with a
`population` fact of the region and period where there is one. Figures of no stated
region (a source without `region:`, a province's paper naming its cities) are not
compared with one another.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ipfacts.check.relations.base import Context, Pair, common_unit, expected, judge, unit_problem, value_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import span
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load import units
from ipfacts.load.intervals import Interval
from ipfacts.load.model import Fact
from ipfacts.load.numbers import parse_unit
from ipfacts.load.relationfields import FIELDS

RELATION = "per_10k_of"
TEN_THOUSAND = Decimal(10000)


@dataclass(frozen=True)
class Implied:
    fact: Fact
    stock: Fact
    population: Pair  # in 万人


def implied_population(ctx: Context, fact: Fact) -> Implied:
    stock = ctx.fact(fact.refs(RELATION)[0])
    unit = common_unit([fact, stock])
    return Implied(fact, stock, value_in(stock, unit) / value_in(fact, unit))


def population_in_wan(fact: Fact) -> Pair:
    """A population fact in 万人, whatever multiplier it was written with."""
    multiplier, unit = parse_unit("万人")
    if fact.value.unit not in (None, unit):
        raise units.UnitMismatch(fact.value.unit or "", unit or "")
    scale = Decimal(1) / multiplier
    return Pair(fact.value.strict().scale(scale), fact.value.lenient().scale(scale))


def check_region(ctx: Context, facts: list[Fact]) -> Iterator[Finding]:
    implied: list[Implied] = []
    for fact in facts:
        try:
            implied.append(implied_population(ctx, fact))
        except units.UnitMismatch as exc:
            yield unit_problem(ctx, RELATION, fact, exc)
    if not implied:
        return
    region, period = facts[0].region, facts[0].period
    for population in ctx.population_facts(region, period):
        pop = population_in_wan(population)
        for item in implied:
            stock = value_in(item.stock, common_unit([item.fact, item.stock]))
            computed = stock / pop
            verdict = judge(item.fact.value, computed)
            ctx.note(item.fact, RELATION, verdict, item.fact.value, computed, population=population.id)
            if verdict:
                yield ctx.finding(
                    "R111", verdict,
                    f"{item.stock.value.text} ÷ {population.value.text} = {span(computed.strict, item.fact.value.decimals + 1)} "
                    f"per 10,000 residents, but {item.fact.value.text} is printed; {item.fact.value.text} would mean a "
                    f"population of {span(item.population.strict, 1)}万",
                    [item.fact, item.stock, population], reported=item.fact.value.text,
                    expected=expected(computed.strict, item.fact.value))
    if len(implied) < 2 or region is None:  # figures of no stated region need not share one population
        for item in implied:
            ctx.note(item.fact, "population", None, item.fact.value, item.population)
        return
    yield from _agreement(ctx, implied, region, period)


def _agreement(ctx: Context, implied: list[Implied], region: str | None, period: str | None) -> Iterator[Finding]:
    common: Interval | None = implied[0].population.strict
    lenient: Interval | None = implied[0].population.lenient
    for item in implied[1:]:
        common = common.intersect(item.population.strict) if common else None
        lenient = lenient.intersect(item.population.lenient) if lenient else None
    for item in implied:
        ctx.note(item.fact, "population", None if common else (WARNING if lenient else ERROR), item.fact.value,
                 item.population)
    if common is not None:
        return
    severity = WARNING if lenient is not None else ERROR
    agreeing, common_span = _largest_agreement([i.population.strict for i in implied])
    majority = len(agreeing) * 2 > len(implied)
    shown_items = [i for n, i in enumerate(implied) if n not in agreeing] if majority else implied
    listing = "; ".join(
        f"{i.fact.id} ({i.stock.value.text} ÷ {i.fact.value.text}) → {span(i.population.strict, 1)}万"
        for i in shown_items[:6])
    more = f" and {len(shown_items) - 6} more" if len(shown_items) > 6 else ""
    lead = (f"{len(agreeing)} of {len(implied)} agree on {span(common_span, 1)}万, but " if majority
            else "they do not overlap: ")
    yield ctx.finding(
        "R112", severity,
        f"the per-10,000 figures of {region} {period} imply different populations; {lead}{listing}{more}",
        [f for i in implied for f in (i.fact, i.stock)],
        implied_populations={i.fact.id: i.population.strict.bracket(2) for i in implied})


def _largest_agreement(intervals: list[Interval]) -> tuple[set[int], Interval]:
    """The most intervals sharing one point (a sweep over their ends), and their common part."""
    best: set[int] = {0}
    for candidate in intervals:
        point = candidate.lo if candidate.lo_closed else candidate.midpoint() or candidate.lo
        members = {n for n, other in enumerate(intervals) if other.contains(point)}
        if len(members) > len(best):
            best = members
    common = intervals[min(best)]
    for n in best:
        common = common.intersect(intervals[n]) or common
    return best, common


KIND = RelationKind(FIELDS[RELATION], group_key=lambda fact: (fact.region, fact.period), check_group=check_region)
