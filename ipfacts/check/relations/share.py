"""share_of: [part, whole] — the fact is part / whole in percent (其中企业20134件，占比93.3%)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ipfacts.check.relations.base import (
    PERCENT_100,
    Context,
    common_unit,
    expected,
    judge,
    percent_scale,
    value_in,
)
from ipfacts.check.relations.granularity import integers_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import by, span, unit_of, whole_numbers
from ipfacts.findings import ERROR, Finding
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "share_of"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    part, whole = (ctx.fact(t) for t in fact.refs(RELATION))
    unit = common_unit([part, whole])
    p, w = value_in(part, unit), value_in(whole, unit)
    if p.strict.lo > w.strict.hi:
        yield ctx.finding(
            "R102", ERROR,
            f"{part.id} ({part.value.text}) is larger than its whole {whole.id} ({whole.value.text}), "
            f"by {by(p.strict.lo - w.strict.hi, part.value)}: a share cannot exceed 100%",
            [fact, part, whole], reported=part.value.text, expected=f"≤ {whole.value.text}", gross=True)
    computed = p / w * PERCENT_100
    scale = percent_scale(fact.value)
    verdict = judge(fact.value, computed, scale or Decimal(1))
    ctx.note(fact, RELATION, verdict, fact.value, computed.per(scale or Decimal(1)))  # in the printed terms
    if verdict:
        gross = fact.value.value > 100 or computed.strict.lo > 100
        yield ctx.finding(
            "R101", verdict,
            f"{part.value.text} of {whole.value.text} is {span(computed.strict, fact.value.decimals + 1)}%, "
            f"but {fact.value.text} is printed" + (" (a share above 100%)" if gross else "") + "; "
            + fitting_part(fact, part, whole, scale or Decimal(1)),
            [fact, part, whole], reported=fact.value.text,
            expected=expected(computed.strict.scale(1 / (scale or Decimal(1))), fact.value),  # 倍: a hundredth
            reported_interval=fact.value.strict().bracket(), gross=gross)


def fitting_part(fact: Fact, part: Fact, whole: Fact, scale: Decimal) -> str:
    """What part would give the printed share of the printed whole, in words."""
    needed = fact.value.strict().scale(scale / 100) * value_in(whole, part.value.unit).strict  # in the part's unit
    if part.value.is_exact_count and whole.value.is_exact_count:
        found = integers_in(needed)
        if found is None:
            return f"no whole number gives {fact.value.text} of {whole.value.text}"
        return f"{fact.value.text} of {whole.value.text} would need {whole_numbers(found, unit_of(part.value))}"
    scaled = needed.scale(1 / part.value.multiplier) if part.value.multiplier != 1 else needed
    return f"{fact.value.text} of {whole.value.text} would need {span(scaled, part.value.decimals + 1)}{unit_of(part.value)}"


KIND = RelationKind(FIELDS[RELATION], check=check)
