"""R152: a region and its parts (facts/regions.yaml): all of them (`parts:`) add up to it; some of them (named
with `in:`, or those present when one is missing) add up to no more."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ipfacts.check.across.common import (
    ADDITIVE_KINDS,
    PARTS,
    Index,
    Key,
    cited,
    comparable,
    describe_key,
    not_compared,
    pair_in,
    representatives,
)
from ipfacts.check.relations.base import (
    Context,
    Pair,
    judge_pair,
    pair,
)
from ipfacts.check.relations.wording import in_terms
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load import units
from ipfacts.load.model import Fact, FactBase


def judge_parts(ctx: Context, index: Index) -> Iterator[Finding]:
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
        total = _sum(parts, comparable(whole.value.unit))
    except units.UnitMismatch:
        return
    mine = pair(whole.value)
    if total.strict.lo <= mine.strict.hi:
        not_compared(ctx, whole, PARTS, f"{len(parts)} of the parts of {key[1]} add up to "
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
    total = pair_in(parts[0], unit)
    for part in parts[1:]:
        total = total + pair_in(part, unit)
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
                not_compared(ctx, whole, PARTS, why)
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
        total = _sum(parts, comparable(whole.value.unit))
    except units.UnitMismatch:
        not_compared(ctx, whole, PARTS, "the parts' units cannot be added to the whole's")
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
