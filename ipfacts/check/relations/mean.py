"""mean_of: [total, count] — a per-item figure (单个产品的销售额5.28亿元 = 销售额 ÷ 产品数, 平均每家…):
the total divided by the count, in the total's unit per one counted item (亿元 ÷ 件 → 亿元 each).
The value is written as the source writes it, in the total's unit (or a compatible one)."""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.relations.base import Context, expected, judge_pair, shown, suffix, value_in
from ipfacts.check.relations.granularity import describe_integers, integers_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.findings import Finding
from ipfacts.load import units
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "mean_of"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    total, count = (ctx.fact(t) for t in fact.refs(RELATION))
    yield from per_item(ctx, fact, total, count, RELATION)


def per_item(ctx: Context, fact: Fact, total: Fact, count: Fact, relation: str) -> Iterator[Finding]:
    """total ÷ count in the total's unit per counted item (also ratio_of with a money numerator and a count)."""
    unit = total.value.unit
    if not fact.value.compatible(unit):
        raise units.UnitMismatch(fact.value.unit or "", unit or "")
    if not count.value.is_count:
        raise units.UnitMismatch(count.value.unit or "", "a count")
    computed = value_in(total, unit) / value_in(count, count.value.unit)
    reported = value_in(fact, unit)
    verdict = judge_pair(reported, computed)
    ctx.note(fact, relation, verdict, fact.value, computed)
    if not verdict:
        return
    each = f"{shown(computed.strict, fact.value)}{suffix(fact.value)}"
    needed_count = value_in(total, unit) / reported  # how many items would give the printed mean
    whole = integers_in(needed_count.strict, 1) if needed_count.strict.is_bounded else None
    fit = (f"{describe_integers(whole)} items would give the printed {fact.value.text}" if whole
           else f"no whole number of items gives the printed {fact.value.text}")
    yield ctx.finding(
        "R122", verdict,
        f"{total.value.text} ÷ {count.value.text} = {each} each, but {fact.value.text} is printed; "
        f"{fit} (the printed total needs {shown(needed_count.strict, count.value, 1)})",
        [fact, total, count], reported=fact.value.text, expected=expected(computed.strict, fact.value),
        count_needed=needed_count.strict.bracket(2))


KIND = RelationKind(FIELDS[RELATION], check=check)
