"""The relation checks, one module per kind, run over a loaded fact base.

`KINDS` is the registry: every kind pairs its field (ipfacts/load/relationfields.py: shape and
docs, read by the loader and the schemas) with its check in its own module
(`KIND = RelationKind(...)`), and is listed here once; the dispatch below reads it.

`run(ctx)` yields every relation finding. A unit or zero-divisor problem inside any
check becomes a finding, never a crash.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator

from ipfacts.check.relations import (
    balance,
    breakdowns,
    change,
    growth,
    mean,
    outcome,
    part,
    per10k,
    percent,
    rank,
    ratio,
    same,
    share,
    subset,
    table,
    total,
)
from ipfacts.check.relations.base import Context, unit_problem, zero_problem
from ipfacts.check.relations.kind import RelationKind
from ipfacts.findings import Finding
from ipfacts.load.intervals import ZeroDivisor
from ipfacts.load.model import Fact
from ipfacts.load.units import UnitMismatch

KINDS: dict[str, RelationKind] = {
    kind.field: kind
    for kind in (share.KIND, ratio.KIND, percent.KIND, growth.KIND, change.KIND, total.KIND,
                 part.KIND, per10k.KIND, same.KIND, subset.KIND, breakdowns.KIND, outcome.KIND, balance.KIND,
                 mean.KIND, rank.KIND)
}

def _guarded(ctx: Context, relation: str, fact: Fact, checks: Iterator[Finding]) -> Iterator[Finding]:
    try:
        yield from checks
    except UnitMismatch as exc:
        yield unit_problem(ctx, relation, fact, exc)
    except ZeroDivisor:
        yield zero_problem(ctx, relation, fact)


def run(ctx: Context) -> Iterator[Finding]:
    """Every relation finding: the kinds judged fact by fact or group by group, then the tables' identities."""
    groups: dict[str, dict[Hashable, list[Fact]]] = {f: defaultdict(list) for f, k in KINDS.items() if k.group_key}
    for fact in ctx.base.facts.values():
        for field in fact.relations:
            kind = KINDS.get(field)
            if kind is None:
                continue
            if kind.group_key is not None:
                groups[field][kind.group_key(fact)].append(fact)
            elif kind.check is not None:
                yield from _guarded(ctx, field, fact, kind.check(ctx, fact))
    for field, by_key in groups.items():
        check_group = KINDS[field].check_group
        assert check_group is not None
        for members in by_key.values():
            yield from _guarded(ctx, field, members[0], check_group(ctx, members))
    yield from table.run(ctx)
