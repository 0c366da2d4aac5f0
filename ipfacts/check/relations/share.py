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
    shown,
    value_in,
)
from ipfacts.check.relations.kind import RelationKind
from ipfacts.findings import ERROR, Finding
from ipfacts.load.model import Fact

RELATION = "share_of"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    part, whole = (ctx.fact(t) for t in fact.refs(RELATION))
    unit = common_unit([part, whole])
    p, w = value_in(part, unit), value_in(whole, unit)
    if p.strict.lo > w.strict.hi:
        yield ctx.finding(
            "R102", ERROR,
            f"{part.id} ({part.value.text}) is larger than its whole {whole.id} ({whole.value.text})",
            [fact, part, whole], reported=part.value.text, expected=f"≤ {whole.value.text}", gross=True)
    computed = p / w * PERCENT_100
    scale = percent_scale(fact.value)
    verdict = judge(fact.value, computed, scale or Decimal(1))
    ctx.note(fact, RELATION, verdict, fact.value, computed)
    if verdict:
        gross = fact.value.value > 100 or computed.strict.lo > 100
        yield ctx.finding(
            "R101", verdict,
            f"{part.value.text} / {whole.value.text} = {shown(computed.strict, fact.value)}%, "
            f"reported {fact.value.text}, which stands for {shown(fact.value.strict(), fact.value, 1)}"
            + (" (a share above 100%)" if gross else ""),
            [fact, part, whole], reported=fact.value.text, expected=expected(computed.strict, fact.value),
            reported_interval=fact.value.strict().bracket(), gross=gross)


KIND = RelationKind(RELATION, "ref_pair", "[part, whole]: this value is part / whole in percent.", check=check)
