"""R150: one figure (or its growth or change) stated by two sources; and, for `--explain`, two metrics of one name
but two definitions, never compared."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from ipfacts.check.across.common import (
    RESTATED,
    Index,
    Key,
    cited,
    comparable,
    comparable_unit,
    describe_key,
    not_compared,
    pair_in,
    representatives,
)
from ipfacts.check.across.readings import reconcile
from ipfacts.check.relations.base import (
    Context,
    Pair,
    pair,
)
from ipfacts.findings import WARNING, Finding
from ipfacts.load import units
from ipfacts.load.intervals import ZeroDivisor
from ipfacts.load.model import Fact, Metric


def _declared_same(a: Fact, b: Fact) -> bool:
    """Declared `same_as` either way: R113 judges the pair."""
    return b.id in a.refs("same_as") or a.id in b.refs("same_as")


def judge_restated(ctx: Context, index: Index, key: Key, members: list[Fact]) -> Iterator[Finding]:
    kept = representatives(members)
    for i, a in enumerate(kept):
        for b in kept[i + 1:]:
            if a.source == b.source or _declared_same(a, b):
                continue
            unit, ok = comparable_unit(ctx, a, b)
            if not ok:
                not_compared(ctx, a, RESTATED, f"{b.id} ({b.value.text}) counts in {b.value.unit}, "
                              f"{a.id} in {a.value.unit}: units that cannot be compared", other=b.id)
                continue
            verdict, reading = reconcile(a, b, unit)
            ctx.note(a, RESTATED, verdict, a.value, Pair(b.value.strict(), b.value.lenient()), other=b.id,
                     other_source=b.source, **({"reading": reading} if reading else {}))
            if verdict is None:
                continue
            what = describe_key(ctx, key)
            exact = next((text for text in (_exact_share(ctx, a), _exact_share(ctx, b)) if text), "")
            if verdict == WARNING:
                message = (f"{what}: {cited(ctx, a)}, {cited(ctx, b)}; they agree only if {reading} — "
                           f"a restatement that truncates or rounds differently, not another figure{exact}")
            else:
                message = (f"{what} is stated twice and differs beyond any rounding: {cited(ctx, a)} "
                           f"({a.value.strict().bracket(a.value.decimals + 1)}), {cited(ctx, b)} "
                           f"({b.value.strict().bracket(b.value.decimals + 1)}){exact}"
                           + "".join(_another_year(ctx, index, key, fact, unit) for fact in (a, b)))
            yield ctx.finding("R150", verdict, message, [a, b], reported=a.value.text, expected=b.value.text,
                              reading=reading or None, sources=[a.source, b.source])
    yield from _restated_rates(ctx, key, members)


def _another_year(ctx: Context, index: Index, key: Key, fact: Fact, unit: str | None) -> str:
    """`; 79.8万件 is what 《…》 states for 2022 — last year's figure under this year's heading?` when the figure
    agrees with the same metric and region of the year before or after, as another statement has it."""
    metric, region, period = key
    if not period.isdigit():
        return ""
    for other in (str(int(period) - 1), str(int(period) + 1)):
        for candidate in representatives(index.groups.get((metric, region, other), [])):
            same_unit, ok = comparable_unit(ctx, fact, candidate)
            if ok and reconcile(fact, candidate, same_unit)[0] is None:
                source = ctx.base.sources[candidate.source]
                return (f"; {fact.value.text} agrees with {candidate.value.text}, the figure for {other} in "
                        f"《{source.title}》 (line {candidate.lines}): a figure of another year?")
    return ""


def _exact_share(ctx: Context, fact: Fact) -> str:
    """`; exactly 13823件 / 55853件 = 24.7489%` when the fact is a share of two exact counts the base holds."""
    refs = fact.refs("share_of")
    if len(refs) != 2 or fact.value.unit != units.PERCENT:
        return ""
    part, whole = (ctx.fact(r).value for r in refs)
    if not (part.is_exact_count and whole.is_exact_count and whole.value):
        return ""
    share = (part.value / whole.value * 100).quantize(Decimal(1).scaleb(-(fact.value.decimals + 2)))
    return f"; exactly {part.text} / {whole.text} = {share}%"


def _restated_rates(ctx: Context, key: Key, members: list[Fact]) -> Iterator[Finding]:
    """The year-on-year growth (or change) of one figure, stated by two sources, is one rate stated twice."""
    for kind in ("growth_of", "change_of"):
        rates = [g for g in {g.id: g for m in members for g in ctx.referrers(kind, m.id)}.values()
                 if g.base is None and not g.ref("previous")]
        yield from _restated_pairs(ctx, key, kind, representatives(rates))


def _restated_pairs(ctx: Context, key: Key, kind: str, kept: list[Fact]) -> Iterator[Finding]:
    for i, a in enumerate(kept):
        for b in kept[i + 1:]:
            if a.source == b.source or a.value.unit != b.value.unit:
                continue  # a rate in % and one in 个百分点 or 倍 say different things
            verdict, reading = reconcile(a, b, comparable(a.value.unit))
            ctx.note(a, RESTATED, verdict, a.value, Pair(b.value.strict(), b.value.lenient()), other=b.id,
                     other_source=b.source, **({"reading": reading} if reading else {}))
            if verdict is None:
                continue
            what = f"the {'growth' if kind == 'growth_of' else 'change'} of {describe_key(ctx, key)}"
            message = (f"{what}: {cited(ctx, a)}, {cited(ctx, b)}; they agree only if {reading}" if verdict == WARNING
                       else f"{what} is stated twice and differs beyond any rounding: {cited(ctx, a)}, {cited(ctx, b)}")
            yield ctx.finding("R150", verdict, message, [a, b], reported=a.value.text, expected=b.value.text,
                              reading=reading or None, sources=[a.source, b.source])


def _definition(metric: Metric) -> tuple[str | None, str | None, str | None]:
    return metric.scope, metric.counts_zh, metric.counts_en


def explain_definitions(ctx: Context, index: Index) -> None:
    """Metrics that share a name but not a definition: their figures of one region and period are not compared."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for key, definition in ctx.base.metrics.items():
        for name in {definition.zh, definition.en.casefold()}:
            by_name[name].append(key)
    rivals: dict[str, set[str]] = defaultdict(set)
    for keys in by_name.values():
        for a in keys:
            rivals[a].update(k for k in keys if k != a and
                             _definition(ctx.base.metrics[k]) != _definition(ctx.base.metrics[a]))
    _shares_of_rivals(ctx, index, rivals)
    for (metric, region, period), members in index.groups.items():
        for other in sorted(rivals.get(metric, ())):
            if other < metric:
                continue
            for theirs in representatives(index.groups.get((other, region, period), [])):
                for mine in representatives(members):
                    if mine.source == theirs.source:
                        continue
                    ours, rival = ctx.base.metrics[metric], ctx.base.metrics[other]
                    not_compared(ctx, mine, RESTATED,
                                  f"{theirs.id} ({theirs.value.text}) bears the same name ({ours.zh}) but another "
                                  f"definition: {metric} counts {_counts(ours)}, {other} counts {_counts(rival)}",
                                  other=theirs.id)


def _counts(metric: Metric) -> str:
    return metric.scope or metric.counts_en or metric.counts_zh or "(no scope or counts_en given)"


def _shares_of_rivals(ctx: Context, index: Index, rivals: dict[str, set[str]]) -> None:
    """A share that does not fit its whole but fits the same-named figure of another definition: `--explain` says
    so (65.6% of 268.3万 fits 409万, 国内 with Hong Kong, Macao and Taiwan, not the 401.5万 without them)."""
    for fact in ctx.base.facts.values():
        refs = fact.refs("share_of")
        if len(refs) != 2 or fact.value.unit != units.PERCENT:
            continue
        part, whole = ctx.fact(refs[0]), ctx.fact(refs[1])
        if not whole.metric or not rivals.get(whole.metric) or whole.period is None:
            continue
        try:
            unit = comparable(whole.value.unit)
            implied = (pair_in(part, unit) / (pair(fact.value) * Pair.point(Decimal("0.01")))).strict
        except (units.UnitMismatch, ZeroDivisor):
            continue
        if implied.overlaps(pair_in(whole, unit).strict):
            continue
        for other in sorted(rivals[whole.metric]):
            for theirs in representatives(index.get(other, whole.region, whole.period)):
                try:
                    fits = implied.overlaps(pair_in(theirs, unit).strict)
                except units.UnitMismatch:
                    continue
                if fits:
                    rival = ctx.base.metrics[other]
                    not_compared(ctx, fact, RESTATED,
                                 f"{fact.value.text} of {part.value.text} does not fit {whole.value.text} ({whole.id}) "
                                 f"but fits {theirs.value.text} ({theirs.id}, 《{ctx.base.sources[theirs.source].title}》"
                                 f"): {other}, another definition of {rival.zh} — counting {_counts(rival)}",
                                 other=theirs.id)
