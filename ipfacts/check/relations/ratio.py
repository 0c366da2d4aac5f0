"""ratio_of: [numerator, denominator] — the fact is their ratio, in percent, 倍 or plain; or, with
a compound unit (亿元 ÷ 件), a per-item figure in the numerator's unit, judged as mean_of (R122)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ipfacts.check.relations.base import PERCENT_100, Context, common_unit, expected, judge, suffix, value_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.mean import per_item
from ipfacts.check.relations.wording import in_terms, span
from ipfacts.findings import Finding
from ipfacts.load import units
from ipfacts.load.intervals import Interval
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "ratio_of"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    num, den = (ctx.fact(t) for t in fact.refs(RELATION))
    try:
        unit = common_unit([num, den])
    except units.UnitMismatch:
        if per_item_units(fact, num, den):  # 亿元 ÷ 件: a per-item figure, in the numerator's unit
            yield from per_item(ctx, fact, num, den, RELATION)
            return
        raise
    ratio = value_in(num, unit) / value_in(den, unit)
    in_percent = fact.value.unit == units.PERCENT
    computed = ratio * PERCENT_100 if in_percent else ratio
    verdict = judge(fact.value, computed)
    ctx.note(fact, RELATION, verdict, fact.value, computed)
    if verdict:
        unit = "%" if in_percent else suffix(fact.value)
        yield ctx.finding(
            "R103", verdict,
            f"{num.value.text} ÷ {den.value.text} = {span(computed.strict, fact.value.decimals + 1)}{unit}, but "
            f"{fact.value.text} is printed; {fact.value.text} of {den.value.text} would be "
            f"{in_terms(needed(fact, den, in_percent), num.value, 1)}",
            [fact, num, den], reported=fact.value.text, expected=expected(computed.strict, fact.value))


def needed(fact: Fact, den: Fact, in_percent: bool) -> Interval:
    """The numerator the printed ratio gives with the printed denominator."""
    ratio = fact.value.strict().scale(Decimal(1) / 100) if in_percent else fact.value.strict()
    return ratio * den.value.strict()

def per_item_units(fact: Fact, num: Fact, den: Fact) -> bool:
    """A compound unit: the value is in the numerator's unit per one counted item of the denominator."""
    return (fact.value.unit is not None and den.value.is_count
            and fact.value.compatible(num.value.unit))


KIND = RelationKind(FIELDS[RELATION], check=check)
