"""change_of: current (+ previous) — the absolute change over the prior period
(新增, 较上年增加, 比去年底增长4710件). Checked against the previous value when
there is one, and against every growth_of fact of the same current: the change
implies previous = current − change, whose growth rate must be the one reported."""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.relations.base import (
    Context,
    common_unit,
    expected,
    judge,
    percent_scale,
    shown,
    suffix,
    value_in,
)
from ipfacts.check.relations.growth import recompute
from ipfacts.check.relations.kind import RelationKind
from ipfacts.findings import Finding
from ipfacts.load.model import Fact

RELATION = "change_of"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    current = ctx.fact(fact.refs(RELATION)[0])
    previous = ctx.previous_of(current, fact.ref("previous"))
    reported = fact.value
    unit = common_unit([fact, current] + ([previous] if previous else []))
    cur, change = value_in(current, unit), value_in(fact, unit)
    if previous is not None:
        computed = cur - value_in(previous, unit)
        verdict = judge(reported, computed)
        ctx.note(fact, RELATION, verdict, reported, computed, previous=previous.id)
        if verdict:
            yield ctx.finding(
                "R107", verdict,
                f"{current.value.text} − {previous.value.text} = {shown(computed.strict, reported, 0)}{suffix(reported)}, "
                f"reported {reported.text}, which stands for {shown(reported.strict(), reported, 1)}{suffix(reported)}",
                [fact, current, previous], reported=reported.text, expected=expected(computed.strict, reported))
    for growth in ctx.referrers("growth_of", current.id):
        scale = percent_scale(growth.value)
        if scale is None or growth.ref("previous"):
            continue
        implied_previous = cur - change
        computed = recompute(cur, implied_previous)
        verdict = judge(growth.value, computed, scale)
        ctx.note(growth, "change_of×growth_of", verdict, growth.value, computed, change=fact.id)
        if verdict:
            yield ctx.finding(
                "R108", verdict,
                f"{current.value.text} with a change of {reported.text} means a previous value of "
                f"{shown(implied_previous.strict, reported, 0)}{suffix(reported)} and growth of {shown(computed.strict, growth.value)}%, "
                f"but {growth.id} reports {growth.value.text}",
                [growth, fact, current], reported=growth.value.text,
                expected=expected(computed.strict, growth.value))


KIND = RelationKind(RELATION, "ref", "current: this value is its absolute change over the prior period.", check=check)
