"""What every relation check shares: the indexes built once per run, unit
alignment, and the one rule for judging a reported value against a
recomputed interval."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ipfacts import findings
from ipfacts.check.citations import citation_ref, fact_ref
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load import units
from ipfacts.load.intervals import INF, NEG_INF, Interval, ZeroDivisor
from ipfacts.load.model import Fact, FactBase
from ipfacts.load.numbers import Written, conversion

ONE = Interval.point(Decimal(1))


@dataclass(frozen=True, slots=True)
class Pair:
    """A value read two ways: as written (strict) and as a lenient editor would still accept it."""

    strict: Interval
    lenient: Interval

    def __add__(self, other: Pair) -> Pair:
        return Pair(self.strict + other.strict, self.lenient + other.lenient)

    def __sub__(self, other: Pair) -> Pair:
        return Pair(self.strict - other.strict, self.lenient - other.lenient)

    def __mul__(self, other: Pair) -> Pair:
        return Pair(self.strict * other.strict, self.lenient * other.lenient)

    def __truediv__(self, other: Pair) -> Pair:
        strict = self.strict / other.strict  # a strict divisor that may be zero is a finding (R115)
        try:
            lenient = self.lenient / other.lenient
        except ZeroDivisor:  # only a lenient reading reaches zero: that reading bounds nothing
            lenient = Interval(NEG_INF, INF, False, False)
        return Pair(strict, lenient)

    def per(self, scale: Decimal) -> Pair:
        """Both readings divided by `scale`: a rate computed in percent, in the 倍 it was printed in (100)."""
        if scale == 1:
            return self
        return Pair(self.strict.scale(1 / scale), self.lenient.scale(1 / scale))

    @classmethod
    def point(cls, value: Decimal) -> Pair:
        return cls(Interval.point(value), Interval.point(value))


PERCENT_100 = Pair.point(Decimal(100))


def pair(written: Written) -> Pair:
    return Pair(written.strict(), written.lenient())


@dataclass
class Context:
    base: FactBase
    explain: bool = False
    evaluations: list[dict[str, Any]] = field(default_factory=list)
    relations_checked: int = 0

    def __post_init__(self) -> None:
        self.by_metric = self.base.by_metric_region_period()
        self._referrers: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
        for fact in self.base.facts.values():
            for kind, refs in fact.relations.items():
                for ref in refs:
                    self._referrers[kind][ref.target].append(fact)
        self._seen: set[tuple[str, object]] = set()

    def referrers(self, kind: str, target: str) -> list[Fact]:
        """The facts that declare `kind` of `target` (the growth rates of one figure)."""
        return self._referrers.get(kind, {}).get(target, [])

    def first_time(self, kind: str, key: object) -> bool:
        """True the first time a check of `kind` meets `key` in this run (a pair declared on both sides)."""
        if (kind, key) in self._seen:
            return False
        self._seen.add((kind, key))
        return True

    @property
    def per_10k(self) -> dict[tuple[str | None, str | None], list[Fact]]:
        """The per-10k figures of each region and period."""
        index: dict[tuple[str | None, str | None], list[Fact]] = defaultdict(list)
        for fact in self.base.facts.values():
            if fact.ref("per_10k_of"):
                index[(fact.region, fact.period)].append(fact)
        return index

    def fact(self, fact_id: str) -> Fact:
        return self.base.facts[fact_id]

    def previous_of(self, current: Fact, explicit: str | None) -> Fact | None:
        """The prior period's fact: the one named, else one of the same metric and region a year earlier."""
        if explicit:
            return self.fact(explicit)
        if current.metric is None or current.year is None:
            return None
        candidates = self.by_metric.get((current.metric, current.region, str(current.year - 1)), [])
        return min(candidates, key=lambda f: f.id) if candidates else None

    def population_facts(self, region: str | None, period: str | None) -> list[Fact]:
        return self.by_metric.get(("population", region, period), [])

    def finding(self, code: str, severity: str, message: str, involved: list[Fact], *,
                reported: str | None = None, expected: str | None = None, **details: Any) -> Finding:
        unique = list({f.id: f for f in involved}.values())
        return findings.make(
            code, message, severity=severity,
            facts=[fact_ref(f) for f in unique],
            citations=[citation_ref(self.base, f) for f in unique],
            reported=reported, expected=expected, details=details,
        )

    def note(self, fact: Fact, relation: str, verdict: str | None, reported: Written, computed: Pair | None,
             **extra: Any) -> None:
        """Count one evaluation; with --explain keep its intervals, passed or not."""
        self.relations_checked += 1
        if self.explain:
            entry: dict[str, Any] = {
                "fact": fact.id, "relation": relation, "verdict": verdict or "ok",
                "reported": reported.text, "reported_interval": reported.strict().bracket(),
            }
            if computed is not None:
                entry["recomputed"] = computed.strict.bracket(reported.decimals + 2)
                entry["recomputed_lenient"] = computed.lenient.bracket(reported.decimals + 2)
            self.evaluations.append({**entry, **extra})


def judge(reported: Written, computed: Pair, scale: Decimal = Decimal(1)) -> str | None:
    """None when a strict reading agrees; WARNING when only a lenient one does; else ERROR.

    `scale` converts the reported value into the computed value's unit (100 for 倍 → percent).
    """
    return judge_pair(Pair(reported.strict().scale(scale), reported.lenient().scale(scale)), computed)


def judge_pair(reported: Pair, computed: Pair) -> str | None:
    if computed.strict.overlaps(reported.strict):
        return None
    if computed.lenient.overlaps(reported.lenient):
        return WARNING
    return ERROR


def common_unit(facts: list[Fact]) -> str | None:
    """The unit the facts are compared in; raises UnitMismatch when they cannot be."""
    unit: str | None = None
    for fact in facts:
        u = _comparable(fact.value.unit)
        if u is None:
            continue
        if unit is None:
            unit = u
        elif not fact.value.units.compatible(unit, u):
            raise units.UnitMismatch(unit, u)
    return unit


def _comparable(unit: str | None) -> str | None:
    # A percentage-point change of a percentage is arithmetic in percent.
    return units.PERCENT if unit == units.PERCENTAGE_POINT else unit


def value_in(fact: Fact, unit: str | None) -> Pair:
    """The fact's strict and lenient readings in `unit`, by the one conversion (load/numbers.conversion)."""
    f = conversion(fact.value, unit)
    if f == 1:
        return pair(fact.value)
    return Pair(fact.value.strict().scale(f), fact.value.lenient().scale(f))


def shown(interval: Interval, written: Written, extra_digits: int = 2) -> str:
    """An interval in the terms the value was written in: `240.55–240.57` for a value in 亿元."""
    scaled = interval.scale(1 / written.multiplier) if written.multiplier != 1 else interval
    return scaled.describe(written.decimals + extra_digits)


def expected(interval: Interval, written: Written, extra_digits: int = 2) -> str:
    """The recomputed interval, exact ends marked, in the written value's terms: `[240.55, 240.57)亿元`."""
    scaled = interval.scale(1 / written.multiplier) if written.multiplier != 1 else interval
    return scaled.bracket(written.decimals + extra_digits) + suffix(written)


UNIT_LABELS = {units.PERCENT: "%", units.PERCENTAGE_POINT: "个百分点"}


def suffix(written: Written) -> str:
    """Multiplier and unit as written after a number: 亿元, 万件, %."""
    unit = UNIT_LABELS.get(written.unit or "", written.unit or "")
    return f"{written.multiplier_word}{unit}"


def percent_scale(written: Written) -> Decimal | None:
    """How a reported rate compares with a computed percentage: 1 for %, 100 for 倍, None otherwise."""
    if written.unit in (units.PERCENT, None):
        return Decimal(1)
    if written.unit == units.TIMES:
        return Decimal(100)
    return None


def unit_problem(ctx: Context, relation: str, fact: Fact, exc: units.UnitMismatch) -> Finding:
    a, b = exc.units
    involved = [ctx.fact(t) for t in fact.refs(relation)]
    return ctx.finding(
        "R114", ERROR,
        f"{fact.id}: {relation} combines {a} with {b}, which cannot be compared; fix the relation or a unit in the fact base",
        [fact, *involved], reported=fact.value.text)


def zero_problem(ctx: Context, relation: str, fact: Fact) -> Finding:
    involved = [ctx.fact(t) for t in fact.refs(relation)]
    names = ", ".join(f"{f.id} = {f.value.text}" for f in involved)
    return ctx.finding(
        "R115", ERROR, f"{fact.id}: {relation} divides by a value that may be zero ({names})",
        [fact, *involved], reported=fact.value.text)
