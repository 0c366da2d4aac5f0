"""The relation checks, one module per kind, run over a loaded fact base.

`run(ctx)` yields every relation finding. Per-fact relations are dispatched
through RELATIONS; relations judged over a group (all parts of one whole, all
per-10k figures of one region) run once per group. A unit or zero-divisor
problem inside any check becomes a finding, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ipfacts.check.relations import change, growth, per10k, percent, ratio, same, share, total
from ipfacts.check.relations import part as part_of
from ipfacts.check.relations.base import Context, unit_problem, zero_problem
from ipfacts.findings import Finding
from ipfacts.load.intervals import ZeroDivisor
from ipfacts.load.model import Fact
from ipfacts.load.units import UnitMismatch

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


def run(ctx: Context, part: int = 0, parts: int = 1) -> Iterator[Finding]:
    """Every relation finding; with `parts` > 1, only share `part` of the per-fact checks (the
    group checks go with part 0), so that parts can run in parallel and be merged."""
    seen_same: set[frozenset[str]] = set()
    for index, fact in enumerate(ctx.base.facts.values()):
        if parts > 1 and index % parts != part:
            continue
        for relation in fact.relations:
            check = RELATIONS.get(relation)
            if check is not None:
                yield from _guarded(ctx, relation, fact, check(ctx, fact))
            elif relation == same.RELATION:
                yield from _guarded(ctx, relation, fact, same.check(ctx, fact, seen_same))
    if part != 0:
        return
    for whole_id, members in ctx.parts_of.items():
        whole = ctx.fact(whole_id)
        yield from _guarded(ctx, part_of.RELATION, members[0], part_of.check_whole(ctx, whole, members))
    for facts in ctx.per_10k.values():
        yield from _guarded(ctx, per10k.RELATION, facts[0], per10k.check_region(ctx, facts))
