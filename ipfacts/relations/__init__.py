"""The relation checks, one module per kind, run over a loaded fact base.

`run(ctx)` yields every relation finding. Per-fact relations are dispatched
through RELATIONS; relations judged over a group (all parts of one whole, all
per-10k figures of one region) run once per group. A unit or zero-divisor
problem inside any check becomes a finding, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ipfacts.findings import Finding
from ipfacts.intervals import ZeroDivisor
from ipfacts.model import Fact
from ipfacts.relations import change, growth, part, per10k, percent, ratio, same, share, total
from ipfacts.relations.base import Context, unit_problem, zero_problem
from ipfacts.units import UnitMismatch

PerFact = Callable[[Context, Fact], Iterator[Finding]]

RELATIONS: dict[str, PerFact] = {
    share.RELATION: share.check,
    ratio.RELATION: ratio.check,
    percent.RELATION: percent.check,
    growth.RELATION: growth.check,
    change.RELATION: change.check,
    total.RELATION: total.check,
}


def _guarded(ctx: Context, relation: str, fact: Fact, checks: Iterator[Finding]) -> Iterator[Finding]:
    try:
        yield from checks
    except UnitMismatch as exc:
        yield unit_problem(ctx, relation, fact, exc)
    except ZeroDivisor:
        yield zero_problem(ctx, relation, fact)


def run(ctx: Context) -> Iterator[Finding]:
    seen_same: set[frozenset[str]] = set()
    for fact in ctx.base.facts.values():
        for relation in fact.relations:
            check = RELATIONS.get(relation)
            if check is not None:
                yield from _guarded(ctx, relation, fact, check(ctx, fact))
            elif relation == same.RELATION:
                yield from _guarded(ctx, relation, fact, same.check(ctx, fact, seen_same))
    for whole_id, parts in ctx.parts_of.items():
        whole = ctx.fact(whole_id)
        yield from _guarded(ctx, part.RELATION, parts[0], part.check_whole(ctx, whole, parts))
    for facts in ctx.per_10k.values():
        yield from _guarded(ctx, per10k.RELATION, facts[0], per10k.check_region(ctx, facts))
