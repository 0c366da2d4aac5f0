"""mean_of: [total, count] — a per-item figure (单个产品的销售额5.28亿元 = 销售额 ÷ 产品数, 平均每家…):
the total divided by the count, in the total's unit per one counted item (亿元 ÷ 件 → 亿元 each).
The value is written as the source writes it, in the total's unit (or a compatible one)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal

from ipfacts.check.relations.base import Context, expected, judge_pair, shown, suffix, value_in
from ipfacts.check.relations.granularity import describe_integers, integers_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.findings import Finding
from ipfacts.load import units
from ipfacts.load.intervals import Interval
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
    counts = _counts(needed_count.strict)
    fit = (f"{counts} {'item' if counts == '1' else 'items'} would give the printed {fact.value.text}" if counts
           else f"no whole number of items gives the printed {fact.value.text}")
    yield ctx.finding(
        "R122", verdict,
        f"{total.value.text} ÷ {count.value.text} = {each} each, but {fact.value.text} is printed; "
        f"{fit} (the printed total needs {shown(needed_count.strict, count.value, 1)})",
        [fact, total, count], reported=fact.value.text, expected=expected(computed.strict, fact.value),
        count_needed=needed_count.strict.bracket(2))


def _counts(needed: Interval) -> str | None:
    """The whole numbers of items in `needed`, in words (`98`, `101, 102`, `5 or more`), or None."""
    if needed.hi.is_infinite():  # a total of 超过…: every count from the bound up
        top = max(needed.lo, Decimal(0)).to_integral_value(rounding=ROUND_FLOOR) + 2
        first = integers_in(Interval(needed.lo, top, needed.lo_closed, True), 1)
        return f"{first[0]} or more" if first else None
    found = integers_in(needed, 1)
    return describe_integers(found) if found else None


KIND = RelationKind(FIELDS[RELATION], check=check)
