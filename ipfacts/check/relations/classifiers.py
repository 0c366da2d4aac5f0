"""same_as across classifiers: the same things counted under two classifiers (4件 and 4项 for the
same four awards). A metric that lists the other classifier under `accepts:` says they count the
same things, so `same_as` compares the numbers one for one; without that, the pair is R123."""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.relations.base import Context, Pair, pair
from ipfacts.findings import ERROR, Finding
from ipfacts.load.model import Fact
from ipfacts.load.numbers import parse_unit


def accepted(ctx: Context, a: Fact, b: Fact) -> bool:
    """True when a metric of either fact names both facts' classifiers (its unit or `accepts:`)."""
    if not (a.value.is_count and b.value.is_count):
        return False
    for fact in (a, b):
        metric = ctx.base.metrics.get(fact.metric or "")
        if metric is None:
            continue
        names = {parse_unit(spec, fact.value.units)[1] for spec in (metric.unit, *metric.accepts)}
        if {a.value.unit, b.value.unit} <= names:
            return True
    return False


def counted_alike(ctx: Context, a: Fact, b: Fact) -> tuple[Pair, Pair] | None:
    """Both values one for one, when the classifiers are accepted as counting the same things."""
    return (pair(a.value), pair(b.value)) if accepted(ctx, a, b) else None


def lacking(ctx: Context, metric_key: str, a: Fact, b: Fact) -> str:
    """The classifiers of `a` and `b` that metric `metric_key` names neither as its unit nor under `accepts:`."""
    metric = ctx.base.metrics.get(metric_key)
    if metric is None:  # not declared: the other fact's classifier
        return str((b if a.metric == metric_key else a).value.unit)
    names = {parse_unit(spec, a.value.units)[1] for spec in (metric.unit, *metric.accepts)}
    return " and ".join(str(u) for u in dict.fromkeys((a.value.unit, b.value.unit)) if u not in names)


def not_accepted(ctx: Context, relation: str, a: Fact, b: Fact) -> Iterator[Finding]:
    metrics = sorted({f.metric for f in (a, b) if f.metric})
    fix = (f"add {lacking(ctx, metrics[0], a, b)} to `accepts:` of metric {metrics[0]}"
           if metrics else "give both facts a metric whose `accepts:` lists both classifiers")
    yield ctx.finding(
        "R123", ERROR,
        f"{a.id} ({a.value.text}) and {b.id} ({b.value.text}) are declared {relation} but count in different "
        f"classifiers ({a.value.unit}, {b.value.unit}); if they count the same things, {fix}",
        [a, b], reported=a.value.text, expected=b.value.text)
