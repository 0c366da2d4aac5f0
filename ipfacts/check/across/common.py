"""What the checks across documents share: the index of facts by (metric, region, period) under one name per
region, one fact per source and value, the unit two figures compare in, how a message cites a figure, and the
`--explain` entry for a comparison not made."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ipfacts.check.relations.base import (
    Context,
    Pair,
    pair,
)
from ipfacts.check.relations.classifiers import accepted
from ipfacts.check.relations.wording import unit_of
from ipfacts.load import units
from ipfacts.load.hierarchy import Hierarchy, RegionsFileError, load_hierarchy
from ipfacts.load.model import Fact, FactBase
from ipfacts.load.numbers import conversion

RESTATED = "restated"
PREVIOUS = "previous year"
PARTS = "sum of parts"
NOT_COMPARED = "not compared"
ADDITIVE_KINDS = ("flow", "stock")

Key = tuple[str, str, str]  # metric, region (one name for all its spellings), period


@dataclass(frozen=True)
class Index:
    """The facts of a base by (metric, region, period), built once per check."""

    groups: dict[Key, list[Fact]]
    region_of: dict[str, str]  # a region as facts write it → the one name for it
    hierarchy: Hierarchy

    def region(self, name: str | None) -> str | None:
        return self.region_of.get(name, name) if name else None

    def get(self, metric: str, region: str | None, period: str) -> list[Fact]:
        canonical = self.region(region)
        return self.groups.get((metric, canonical, period), []) if canonical else []


def build_index(base: FactBase, hierarchy: Hierarchy,
                by_metric: dict[tuple[str, str | None, str | None], list[Fact]] | None = None) -> Index:
    """`by_metric`: the base's facts by (metric, region as written, period) when already built (the check's Context
    has it): then only its groups are visited, not every fact."""
    if by_metric is None:
        by_metric = base.by_metric_region_period()
    region_of = hierarchy.canonical({region for _, region, _ in by_metric if region})
    renamed = {name for name, canonical in region_of.items() if name != canonical}
    groups: dict[Key, list[Fact]] = {}
    for (metric, region, period), members in by_metric.items():
        if not (region and period):
            continue
        key = (metric, region_of[region] if region in renamed else region, period)
        if key in groups:  # another spelling of the region: its facts join the group of the region's one name
            groups[key] = sorted([*groups[key], *members], key=by_source)
        else:
            groups[key] = members  # the check's own list, never changed here
    return Index(groups, region_of, hierarchy)


def by_source(fact: Fact) -> tuple[str, str]:
    return (fact.source, fact.id)


def hierarchy_of(base: FactBase) -> tuple[Hierarchy, str | None]:
    """facts/regions.yaml, or an empty hierarchy and why it could not be read."""
    try:
        return load_hierarchy(base.root), None
    except RegionsFileError as exc:
        return Hierarchy({}, {}, {}), str(exc)



def representatives(members: list[Fact]) -> list[Fact]:
    """One fact per source and value as written: a source that repeats a figure is compared once."""
    if len(members) == 1:
        return members
    seen: set[tuple[str, str]] = set()
    kept = []
    for fact in sorted(members, key=by_source):
        if (fact.source, fact.value.text) not in seen:
            seen.add((fact.source, fact.value.text))
            kept.append(fact)
    return kept


def in_unit(fact: Fact, unit: str | None) -> Decimal:
    """The factor that takes the fact's value to `unit`: the one conversion (load/numbers.conversion)."""
    return conversion(fact.value, unit)


def comparable(unit: str | None) -> str | None:
    return units.PERCENT if unit == units.PERCENTAGE_POINT else unit


def comparable_unit(ctx: Context, a: Fact, b: Fact) -> tuple[str | None, bool]:
    """The unit two figures compare in, and whether they can be compared at all (件 and 项: only when the metric
    accepts both classifiers)."""
    ua, ub = comparable(a.value.unit), comparable(b.value.unit)
    if ua is None or ub is None or ua == ub or a.value.units.compatible(ua, ub):
        return (ua or ub), True
    if accepted(ctx, a, b):
        return None, True
    return None, False


def cited(ctx: Context, fact: Fact) -> str:
    """《title》 line N: value — how a message names a figure and where it stands."""
    source = ctx.base.sources[fact.source]
    where = f"table {fact.cell.table.rsplit('/', 1)[-1]}, {fact.cell.label}, " if fact.cell else ""
    return f"《{source.title}》 ({source.id}, {where}line {fact.lines}) states {fact.value.text}"


def describe_key(ctx: Context, key: Key) -> str:
    metric, region, period = key
    found = ctx.base.metrics.get(metric)
    name = f"{found.zh} ({metric})" if found else metric
    return f"{name} of {region} in {period}"


def pair_in(fact: Fact, unit: str | None) -> Pair:
    f = in_unit(fact, unit)
    return pair(fact.value) if f == 1 else Pair(fact.value.strict().scale(f), fact.value.lenient().scale(f))


def unit_words(fact: Fact) -> str:
    return unit_of(fact.value)


def not_compared(ctx: Context, fact: Fact, relation: str, why: str, **extra: Any) -> None:
    """With --explain: a comparison not made, and why (never counted as a relation checked)."""
    if ctx.explain:
        ctx.evaluations.append({"fact": fact.id, "relation": relation, "verdict": NOT_COMPARED,
                                "reported": fact.value.text, "reported_interval": fact.value.strict().bracket(),
                                "why": why, **extra})
