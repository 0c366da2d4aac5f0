"""breakdowns: [[a, b, c], [d, e]] — on the whole: several complete breakdowns of it (by patent
type, and by applicant type). Each list must add up to the whole, rounding-aware, as `sum_of`."""

from __future__ import annotations

from collections.abc import Iterator
from functools import reduce
from operator import add

from ipfacts.check.relations.base import (
    Context,
    common_unit,
    expected,
    judge_pair,
    value_in,
)
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import by, in_terms
from ipfacts.findings import Finding
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "breakdowns"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    groups = fact.roles(RELATION)
    for number, (role, targets) in enumerate(groups.items(), start=1):
        parts = [ctx.fact(t) for t in targets]
        unit = common_unit([fact, *parts])
        computed = reduce(add, (value_in(p, unit) for p in parts))
        reported = value_in(fact, unit)
        verdict = judge_pair(reported, computed)
        ctx.note(fact, RELATION, verdict, fact.value, computed, breakdown=int(role) + 1)
        if not verdict:
            continue
        terms = " + ".join(p.value.text for p in parts)
        gap = computed.strict.distance(reported.strict)
        which = f"breakdown {number} of {len(groups)}" if len(groups) > 1 else "the breakdown"
        total = in_terms(computed.strict, fact.value)
        direction = "short of" if computed.strict.hi <= reported.strict.lo else "more than"  # they do not overlap
        yield ctx.finding(
            "R117", verdict,
            f"{fact.id}: {which} ({terms}) adds up to {total}, {by(gap, fact.value)} {direction} the "
            f"printed whole {fact.value.text}",
            [fact, *parts], reported=fact.value.text, expected=expected(computed.strict, fact.value),
            breakdown=number, gross=gap > 0 and computed.lenient.distance(reported.lenient) > 0)


KIND = RelationKind(FIELDS[RELATION], check=check)
