"""sum_of: [a, b, …] — the fact is the total of a complete breakdown."""

from __future__ import annotations

from collections.abc import Iterator
from functools import reduce
from operator import add

from ipfacts.check.relations.base import Context, common_unit, expected, judge_pair, shown, suffix, value_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.findings import Finding
from ipfacts.load.model import Fact

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
        yield ctx.finding(
            "R109", verdict,
            f"{terms} = {shown(computed.strict, fact.value, 0)}{suffix(fact.value)}, reported total {fact.value.text}, "
            f"which stands for {shown(fact.value.strict(), fact.value, 1)}{suffix(fact.value)}",
            [fact, *parts], reported=fact.value.text, expected=expected(computed.strict, fact.value),
            gross=computed.strict.distance(reported.strict) > 0 and computed.lenient.distance(reported.lenient) > 0)


KIND = RelationKind(RELATION, "ref_list", "[a, b, …]: this value is the total of a complete breakdown.", check=check)
