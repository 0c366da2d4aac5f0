"""ratio_of: [numerator, denominator] — the fact is their ratio, in percent, 倍 or plain."""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.relations.base import PERCENT_100, Context, common_unit, expected, judge, shown, value_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.findings import Finding
from ipfacts.load import units
from ipfacts.load.model import Fact

RELATION = "ratio_of"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    num, den = (ctx.fact(t) for t in fact.refs(RELATION))
    unit = common_unit([num, den])
    ratio = value_in(num, unit) / value_in(den, unit)
    in_percent = fact.value.unit == units.PERCENT
    computed = ratio * PERCENT_100 if in_percent else ratio
    verdict = judge(fact.value, computed)
    ctx.note(fact, RELATION, verdict, fact.value, computed)
    if verdict:
        suffix = "%" if in_percent else ""
        yield ctx.finding(
            "R103", verdict,
            f"{num.value.text} / {den.value.text} = {shown(computed.strict, fact.value)}{suffix}, "
            f"reported {fact.value.text}, which stands for {shown(fact.value.strict(), fact.value, 1)}",
            [fact, num, den], reported=fact.value.text, expected=expected(computed.strict, fact.value))


KIND = RelationKind(RELATION, "ref_pair", "[numerator, denominator]: this value is their ratio (percent, 倍 or plain).", check=check)
