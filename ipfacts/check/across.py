"""Across documents: one figure stated by several sources, last year's figure from another source, a province and
its cities — found without being declared.

Every fact with a metric, a region and a period is indexed once by (metric, region, period), the region under
one name for all its spellings (宁波, 宁波市, and the aliases of facts/regions.yaml). Then, group by group:

* **restated figures** (R150): facts of two sources in one group are one figure stated twice (a table cell counts).
  They must agree within their rounding. When only a named reading reconciles them — one side truncated or rounded
  up at its last digit, the coarser precision of trailing zeros, the tolerance of 约 — it is a warning naming the
  reading; otherwise an error naming both sources. A pair already declared `same_as` is left to R113.
* **previous years across sources** (R151): each `growth_of`/`change_of` is also judged against every figure of
  the previous period that another source states (the one `growth_of` itself found is R105/R107's). Where the
  previous figure is only implied — by the growth rate and the current figure (GRIM) — the implied range is what
  the other source's figure is compared with. A chain of years is so checked link by link.
* **a region and its parts** (R152): where facts/regions.yaml lists every part of a region (`parts:`), a figure of
  the region that adds up (a flow or stock metric, not a rate) is compared with the sum of its parts' figures of
  the same metric and period — when every part has one; otherwise `--explain` names the parts missing.

Nothing is compared across definitions: two metrics that share a name (国内发明专利授权量) but not their `scope` or
`counts_zh`/`counts_en` in metrics.yaml are different figures; `check --explain` lists each such pair as "not
compared" and says why, as it does for two figures in units that cannot be compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ipfacts.check.relations.base import (
    ONE,
    Context,
    Pair,
    judge,
    judge_pair,
    pair,
    percent_scale,
)
from ipfacts.check.relations.classifiers import accepted
from ipfacts.check.relations.growth import recompute
from ipfacts.check.relations.wording import in_terms, span
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load import units
from ipfacts.load.hierarchy import Hierarchy, RegionsFileError, load_hierarchy
from ipfacts.load.intervals import Interval, ZeroDivisor
from ipfacts.load.model import Fact, FactBase, Metric
from ipfacts.load.numbers import Written
from ipfacts.load.words import APPROX

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
            groups[key] = sorted([*groups[key], *members], key=_by_source)
        else:
            groups[key] = members  # the check's own list, never changed here
    return Index(groups, region_of, hierarchy)


def _by_source(fact: Fact) -> tuple[str, str]:
    return (fact.source, fact.id)


def hierarchy_of(base: FactBase) -> tuple[Hierarchy, str | None]:
    """facts/regions.yaml, or an empty hierarchy and why it could not be read."""
    try:
        return load_hierarchy(base.root), None
    except RegionsFileError as exc:
        return Hierarchy({}, {}, {}), str(exc)


def run(ctx: Context) -> Iterator[Finding]:
    hierarchy, problem = hierarchy_of(ctx.base)
    if problem is not None:
        yield _regions_problem(problem)
    index = build_index(ctx.base, hierarchy, ctx.by_metric)
    for key, members in index.groups.items():
        if len(members) > 1 and any(f.source != members[0].source for f in members):
            yield from _restated(ctx, index, key, members)
    yield from _previous_years(ctx, index)
    yield from _parts(ctx, index)
    if ctx.explain:
        _definitions(ctx, index)


def _regions_problem(problem: str) -> Finding:
    from ipfacts import findings
    from ipfacts.load.yamlnodes import Where

    place, _, message = problem.partition(": ")
    file, _, line = place.rpartition(":")
    return findings.make("L040", message, where=Where(file or place, int(line) if line.isdigit() else 1))


def _declared_same(a: Fact, b: Fact) -> bool:
    """Declared `same_as` either way: R113 judges the pair."""
    return b.id in a.refs("same_as") or a.id in b.refs("same_as")


def representatives(members: list[Fact]) -> list[Fact]:
    """One fact per source and value as written: a source that repeats a figure is compared once."""
    if len(members) == 1:
        return members
    seen: set[tuple[str, str]] = set()
    kept = []
    for fact in sorted(members, key=_by_source):
        if (fact.source, fact.value.text) not in seen:
            seen.add((fact.source, fact.value.text))
            kept.append(fact)
    return kept


# --- readings: what a figure as written may stand for ----------------------------------------------------------

def readings(written: Written, cell: bool = False) -> list[tuple[str, Interval]]:
    """The interval a figure stands for as written (half-up rounding), then each other reading an editor accepts
    with a warning, named: truncated or rounded up at the last digit, its trailing zeros as coarser precision (not
    in a table cell: a yearbook's 120000 is exact), the tolerance of 约."""
    found = [("", written.strict())]
    v, step = written.value, written.step
    if written.qualifier is None and not written.is_exact_count:
        if written.negative:
            found.append(("truncated", Interval(v - step, v, False, True)))
            found.append(("rounded away from zero", Interval(v, v + step, True, False)))
        else:
            found.append(("truncated", Interval(v, v + step, True, False)))
            found.append(("rounded up", Interval(v - step, v, False, True)))
    coarse = None if cell and written.is_exact_count else written.coarse()
    if coarse is not None:
        found.append(("read at the coarser precision of its trailing zeros", coarse))
    if written.qualifier == APPROX:
        found.append(("read as approximate (约)", written.lenient()))
    return found


def _in_unit(fact: Fact, unit: str | None) -> Decimal:
    own = _comparable(fact.value.unit)
    return Decimal(1) if unit is None or own is None or own == unit else units.factor(own, unit)


def _comparable(unit: str | None) -> str | None:
    return units.PERCENT if unit == units.PERCENTAGE_POINT else unit


def comparable_unit(ctx: Context, a: Fact, b: Fact) -> tuple[str | None, bool]:
    """The unit two figures compare in, and whether they can be compared at all (件 and 项: only when the metric
    accepts both classifiers)."""
    ua, ub = _comparable(a.value.unit), _comparable(b.value.unit)
    if ua is None or ub is None or ua == ub or units.compatible(ua, ub):
        return (ua or ub), True
    if accepted(ctx, a, b):
        return None, True
    return None, False


def reconcile(a: Fact, b: Fact, unit: str | None) -> tuple[str | None, str]:
    """(None, "") when the figures agree as written; (WARNING, the reading) when only a named reading of one (or
    both) reconciles them; (ERROR, "") when none does."""
    fa, fb = _in_unit(a, unit), _in_unit(b, unit)
    ra = [(name, iv.scale(fa)) for name, iv in readings(a.value, a.cell is not None)]
    rb = [(name, iv.scale(fb)) for name, iv in readings(b.value, b.cell is not None)]
    if ra[0][1].overlaps(rb[0][1]):
        return None, ""
    tries = sorted(((na, ia, nb, ib) for na, ia in ra for nb, ib in rb if na or nb),
                   key=lambda t: (bool(t[0]) and bool(t[2])))
    for na, ia, nb, ib in tries:
        if ia.overlaps(ib):
            parts = [f"{fact.value.text} {name} ({_shown(iv, fact, f)})"
                     for fact, name, iv, f in ((a, na, ia, fa), (b, nb, ib, fb)) if name]
            return WARNING, " and ".join(parts)
    return ERROR, ""


def _shown(interval: Interval, fact: Fact, factor: Decimal) -> str:
    back = interval.scale(1 / factor) if factor != 1 else interval
    return back.bracket(fact.value.decimals + 1)


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


# --- restated figures ------------------------------------------------------------------------------------------

def _restated(ctx: Context, index: Index, key: Key, members: list[Fact]) -> Iterator[Finding]:
    kept = representatives(members)
    for i, a in enumerate(kept):
        for b in kept[i + 1:]:
            if a.source == b.source or _declared_same(a, b):
                continue
            unit, ok = comparable_unit(ctx, a, b)
            if not ok:
                _not_compared(ctx, a, RESTATED, f"{b.id} ({b.value.text}) counts in {b.value.unit}, "
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
            verdict, reading = reconcile(a, b, _comparable(a.value.unit))
            ctx.note(a, RESTATED, verdict, a.value, Pair(b.value.strict(), b.value.lenient()), other=b.id,
                     other_source=b.source, **({"reading": reading} if reading else {}))
            if verdict is None:
                continue
            what = f"the {'growth' if kind == 'growth_of' else 'change'} of {describe_key(ctx, key)}"
            message = (f"{what}: {cited(ctx, a)}, {cited(ctx, b)}; they agree only if {reading}" if verdict == WARNING
                       else f"{what} is stated twice and differs beyond any rounding: {cited(ctx, a)}, {cited(ctx, b)}")
            yield ctx.finding("R150", verdict, message, [a, b], reported=a.value.text, expected=b.value.text,
                              reading=reading or None, sources=[a.source, b.source])


# --- previous years across sources ------------------------------------------------------------------------------

def _previous_years(ctx: Context, index: Index) -> Iterator[Finding]:
    for fact in ctx.base.facts.values():
        relations = fact.relations
        if not relations or "previous" in relations:
            continue
        for kind in ("growth_of", "change_of"):
            refs = relations.get(kind)
            if not refs:
                continue
            current = ctx.fact(refs[0].target)
            if not current.metric or current.year is None:
                continue
            candidates = index.get(current.metric, current.region, str(current.year - 1))
            if not candidates or (len(candidates) == 1 and candidates[0].region == current.region):
                continue  # none, or the one growth_of/change_of finds and judges itself (R105/R107)
            used = ctx.previous_of(current, None)
            for previous in representatives(candidates):
                if used is not None and (previous.id == used.id or (previous.source == used.source
                                                                     and previous.value.text == used.value.text)):
                    continue
                try:
                    yield from _against(ctx, fact, kind, current, previous, implied=used is None)
                except (units.UnitMismatch, ZeroDivisor):
                    _not_compared(ctx, fact, PREVIOUS, f"{previous.id} ({previous.value.text}) cannot be set "
                                  f"against {current.id} ({current.value.text}): units or a zero divisor",
                                  other=previous.id)


def _against(ctx: Context, fact: Fact, kind: str, current: Fact, previous: Fact, implied: bool) -> Iterator[Finding]:
    unit, ok = comparable_unit(ctx, current, previous)
    if not ok:
        raise units.UnitMismatch(current.value.unit or "", previous.value.unit or "")
    cur = _pair_in(current, unit)
    prev = _pair_in(previous, unit)
    reported = fact.value
    if kind == "change_of":
        computed = cur - prev
        verdict = judge(reported, computed)
        implied_previous = cur - _pair_in(fact, unit)
        rate_words = f"a change of {reported.text}"
    elif reported.unit == units.PERCENTAGE_POINT:
        computed = cur - prev
        verdict = judge(reported, computed)
        implied_previous = cur - pair(reported)
        rate_words = f"a change of {reported.text}"
    else:
        scale = percent_scale(reported)
        if scale is None:
            raise units.UnitMismatch(reported.unit or "", units.PERCENT)
        computed = recompute(cur, prev)
        verdict = judge(reported, computed, scale)
        rate = Pair(reported.strict(), reported.lenient()) * Pair.point(scale / 100)
        implied_previous = cur / (Pair(ONE, ONE) + rate)
        rate_words = f"a growth of {reported.text}"
    ctx.note(fact, PREVIOUS, verdict, reported, computed, previous=previous.id, previous_source=previous.source)
    if verdict is None:
        return
    last_year = implied_previous.strict
    if current.value.is_exact_count and previous.value.is_exact_count:
        from ipfacts.check.relations.granularity import describe_integers, integers_in

        whole = integers_in(last_year, 0)
        last_words = (f"{describe_integers(whole)}{_unit_words(current)}" if whole else
                      f"{span(last_year, 2)}{_unit_words(current)}, no whole number")
    else:
        last_words = in_terms(last_year, current.value, 1)
    how = "only implies" if implied else "implies"
    message = (f"{current.id} = {current.value.text} ({current.period}) with {rate_words} {how} {last_words} in "
               f"{previous.period}, but {cited(ctx, previous)}: {span(computed.strict, reported.decimals + 1)}"
               f"{'%' if kind == 'growth_of' and reported.unit != units.PERCENTAGE_POINT else ''} from it, "
               f"{reported.text} printed ({fact.id})")
    yield ctx.finding("R151", verdict, message, [fact, current, previous], reported=reported.text,
                      expected=computed.strict.bracket(reported.decimals + 2),
                      previous_source=previous.source, implied_previous=last_year.bracket(2))


def _pair_in(fact: Fact, unit: str | None) -> Pair:
    f = _in_unit(fact, unit)
    return pair(fact.value) if f == 1 else Pair(fact.value.strict().scale(f), fact.value.lenient().scale(f))


def _unit_words(fact: Fact) -> str:
    from ipfacts.check.relations.wording import unit_of

    return unit_of(fact.value)


# --- a region and its parts ------------------------------------------------------------------------------------

def _parts(ctx: Context, index: Index) -> Iterator[Finding]:
    """Each region with parts: all of them (`parts:`) make a sum; those named with `in:` alone, a bound."""
    hierarchy = index.hierarchy
    if not hierarchy.parts and not hierarchy.parent:
        return
    keys_of: dict[str, list[Key]] = defaultdict(list)  # region → its groups: each whole looks at its own only
    for key in index.groups:
        keys_of[key[1]].append(key)
    children: dict[str, list[str]] = defaultdict(list)
    for child, parent in hierarchy.parent.items():
        children[index.region(parent) or parent].append(index.region(child) or child)
    for declared_whole, declared_parts in hierarchy.parts.items():
        children.pop(index.region(declared_whole) or declared_whole, None)
        yield from _complete(ctx, index, keys_of, declared_whole, declared_parts)
    for whole_name, named in children.items():
        yield from _bound(ctx, index, keys_of, whole_name, sorted(set(named)))


def _bound(ctx: Context, index: Index, keys_of: dict[str, list[Key]], whole_name: str,
           named: list[str]) -> Iterator[Finding]:
    """Parts named with `in:` may not be all of them: their sum can only be at most the whole."""
    for metric, region, period in keys_of.get(whole_name, []):
        if not _additive(ctx.base, metric):
            continue
        found = [representatives(index.groups.get((metric, p, period), [])) for p in named]
        present = [f for f in found if f]
        if len(present) < 2:
            continue
        for whole in representatives(index.groups[(metric, region, period)]):
            parts = [_elsewhere_first(f, whole.source) for f in present]
            yield from _exceeds(ctx, whole, parts, (metric, region, period),
                                "list every part with `parts:` in facts/regions.yaml to compare the sum itself")


def _exceeds(ctx: Context, whole: Fact, parts: list[Fact], key: Key, why: str) -> Iterator[Finding]:
    """Some of a region's parts: their sum can only be at most the region's figure."""
    if len(parts) < 2 or _one_declared_table(ctx.base, [whole, *parts]):
        return
    try:
        total = _sum(parts, _comparable(whole.value.unit))
    except units.UnitMismatch:
        return
    mine = pair(whole.value)
    if total.strict.lo <= mine.strict.hi:
        _not_compared(ctx, whole, PARTS, f"{len(parts)} of the parts of {key[1]} add up to "
                      f"{in_terms(total.strict, whole.value, 1)}, no more than {whole.value.text}; {why}")
        return
    verdict = WARNING if total.lenient.lo <= mine.lenient.hi else ERROR
    ctx.note(whole, PARTS, verdict, whole.value, total, parts=",".join(p.id for p in parts))
    listed = " + ".join(f"{p.value.text} ({p.source}: {p.region})" for p in parts)
    yield ctx.finding(
        "R152", verdict, f"{describe_key(ctx, key)}: {cited(ctx, whole)}, but {len(parts)} of its parts "
        f"(facts/regions.yaml) alone add up to more, "
        f"{in_terms(total.strict, whole.value, 0 if whole.value.is_exact_count else 1)}: {listed}",
        [whole, *parts], reported=whole.value.text, expected=total.strict.bracket(whole.value.decimals + 1), gross=True)


def _sum(parts: list[Fact], unit: str | None) -> Pair:
    total = _pair_in(parts[0], unit)
    for part in parts[1:]:
        total = total + _pair_in(part, unit)
    return total


def _complete(ctx: Context, index: Index, keys_of: dict[str, list[Key]], declared_whole: str,
              declared_parts: list[str]) -> Iterator[Finding]:
    """`parts:` lists every part: their sum is the whole, where each has a figure."""
    whole_name = index.region(declared_whole) or declared_whole
    part_names = [index.region(p) or p for p in declared_parts]
    for metric, region, period in keys_of.get(whole_name, []):
        if not _additive(ctx.base, metric):
            continue
        wholes = index.groups[(metric, region, period)]
        present = {p: representatives(index.groups.get((metric, p, period), [])) for p in part_names}
        missing = [p for p, found in present.items() if not found]
        if len(missing) == len(present):
            continue  # no part has the figure: nothing to add up, nothing to say
        for whole in representatives(wholes):
            if missing:
                why = (f"the parts of {region} in facts/regions.yaml lack a figure of {metric} for {period}: "
                       f"{', '.join(missing)} missing, so {whole.value.text} is not compared with a sum")
                _not_compared(ctx, whole, PARTS, why)
                yield from _exceeds(ctx, whole, [_elsewhere_first(f, whole.source) for f in present.values() if f],
                                    (metric, region, period), why)
                continue
            parts = [_elsewhere_first(found, whole.source) for found in present.values()]
            if _one_declared_table(ctx.base, [whole, *parts]):
                continue
            yield from _judge_sum(ctx, whole, parts, (metric, region, period))


def _elsewhere_first(found: list[Fact], source: str) -> Fact:
    """A part's figure, from a source other than the whole's where there is one: the comparison across documents."""
    return next((f for f in found if f.source != source), found[0])


def _additive(base: FactBase, metric: str) -> bool:
    found = base.metrics.get(metric)
    return found is not None and found.kind in ADDITIVE_KINDS and "%" not in found.unit


def _one_declared_table(base: FactBase, facts: list[Fact]) -> bool:
    """All cells of one table that declares its own row sums (T006 judges them)."""
    tables = {f.cell.table if f.cell else None for f in facts}
    if len(tables) != 1 or None in tables:
        return False
    table = base.tables.get(next(iter(tables)) or "")
    return table is not None and any(i.kind == "sum_rows" for i in table.identities)


def _judge_sum(ctx: Context, whole: Fact, parts: list[Fact], key: Key) -> Iterator[Finding]:
    try:
        total = _sum(parts, _comparable(whole.value.unit))
    except units.UnitMismatch:
        _not_compared(ctx, whole, PARTS, "the parts' units cannot be added to the whole's")
        return
    mine = pair(whole.value)
    verdict = judge_pair(mine, total)
    ctx.note(whole, PARTS, verdict, whole.value, total, parts=",".join(p.id for p in parts))
    if verdict is None:
        return
    listed = " + ".join(f"{p.value.text} ({ctx.base.sources[p.source].id}: {p.region})" for p in parts)
    message = (f"{describe_key(ctx, key)}: {cited(ctx, whole)}, but its parts add up to "
               f"{in_terms(total.strict, whole.value, 0 if whole.value.is_exact_count else 1)}: {listed}")
    yield ctx.finding("R152", verdict, message, [whole, *parts], reported=whole.value.text,
                      expected=total.strict.bracket(whole.value.decimals + 1))


# --- not compared ---------------------------------------------------------------------------------------------

def _not_compared(ctx: Context, fact: Fact, relation: str, why: str, **extra: Any) -> None:
    """With --explain: a comparison not made, and why (never counted as a relation checked)."""
    if ctx.explain:
        ctx.evaluations.append({"fact": fact.id, "relation": relation, "verdict": NOT_COMPARED,
                                "reported": fact.value.text, "reported_interval": fact.value.strict().bracket(),
                                "why": why, **extra})


def _definition(metric: Metric) -> tuple[str | None, str | None, str | None]:
    return metric.scope, metric.counts_zh, metric.counts_en


def _definitions(ctx: Context, index: Index) -> None:
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
    for (metric, region, period), members in index.groups.items():
        for other in sorted(rivals.get(metric, ())):
            if other < metric:
                continue
            for theirs in representatives(index.groups.get((other, region, period), [])):
                for mine in representatives(members):
                    if mine.source == theirs.source:
                        continue
                    ours, rival = ctx.base.metrics[metric], ctx.base.metrics[other]
                    _not_compared(ctx, mine, RESTATED,
                                  f"{theirs.id} ({theirs.value.text}) bears the same name ({ours.zh}) but another "
                                  f"definition: {metric} counts {_counts(ours)}, {other} counts {_counts(rival)}",
                                  other=theirs.id)


def _counts(metric: Metric) -> str:
    return metric.scope or metric.counts_en or metric.counts_zh or "(no scope or counts_en given)"

