"""subset_of: whole — a subset named on its own (其中发明专利3325件 of all grants), judged
pairwise: the subset is at most the whole. Unlike part_of it is never added to other parts of
the same whole, so overlapping subsets (invention grants, enterprise grants) can both be declared."""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.relations.base import Context, common_unit, value_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import by_at_least
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.intervals import Interval
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "subset_of"


def at_most(a: Interval, b: Interval) -> bool:
    """Some reading of `a` is at most some reading of `b`."""
    return a.lo < b.hi or (a.lo == b.hi and a.lo_closed and b.hi_closed)


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    for target in fact.refs(RELATION):
        whole = ctx.fact(target)
        unit = common_unit([fact, whole])
        mine, w = value_in(fact, unit), value_in(whole, unit)
        excess = mine.strict - w.strict  # > 0 throughout when the subset surely exceeds the whole
        verdict = None
        if not at_most(mine.strict, w.strict):
            verdict = WARNING if at_most(mine.lenient, w.lenient) else ERROR
        ctx.note(fact, RELATION, verdict, fact.value, w, whole=whole.id)
        if verdict:
            yield ctx.finding(
                "R116", verdict,
                f"{fact.id} ({fact.value.text}) is a subset of {whole.id} ({whole.value.text}) but larger, "
                f"{by_at_least(excess.lo, fact.value)}; as printed, the subset can be at most "
                f"{whole.value.text}",
                [fact, whole], reported=fact.value.text, expected=f"≤ {whole.value.text}",
                excess=excess.bracket(fact.value.decimals), gross=verdict == ERROR)


KIND = RelationKind(FIELDS[RELATION], check=check)
