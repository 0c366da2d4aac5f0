"""sum_of: [a, b, …] — the fact is the total of a complete breakdown."""

from __future__ import annotations

from collections.abc import Iterator
from functools import reduce
from operator import add

from ipfacts.check.relations.base import Context, common_unit, expected, judge_pair, value_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import by, in_terms
from ipfacts.findings import Finding
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "sum_of"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    parts = [ctx.fact(t) for t in fact.refs(RELATION)]
    unit = common_unit([fact, *parts])
    computed = reduce(add, (value_in(p, unit) for p in parts))
    reported = value_in(fact, unit)
    verdict = judge_pair(reported, computed)
    ctx.note(fact, RELATION, verdict, fact.value, computed)
    if verdict:
        terms = " + ".join(p.value.text for p in parts)
        gap = computed.strict.distance(reported.strict)
        direction = "more than" if computed.strict.lo >= reported.strict.hi else "short of"  # equal: at an open end
        yield ctx.finding(
            "R109", verdict,
            f"{terms} = {in_terms(computed.strict, fact.value)}, {by(gap, fact.value)} {direction} the printed total "
            f"{fact.value.text}",
            [fact, *parts], reported=fact.value.text, expected=expected(computed.strict, fact.value),
            gross=computed.strict.distance(reported.strict) > 0 and computed.lenient.distance(reported.lenient) > 0)

KIND = RelationKind(FIELDS[RELATION], check=check)
