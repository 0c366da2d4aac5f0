"""change_of: current (+ previous) — the absolute change over the prior period
(新增, 较上年增加, 比去年底增长4710件). Checked against the previous value when
there is one, and against every growth_of fact of the same current: the change
implies previous = current − change, whose growth rate must be the one reported. Without a previous
value, a change larger than the current value implies a negative previous figure: that cannot be (R124)."""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.relations.base import (
    ONE,
    Context,
    Pair,
    common_unit,
    expected,
    judge,
    percent_scale,
    value_in,
)
from ipfacts.check.relations.growth import elsewhere, recompute
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import by, in_terms, span
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.intervals import ZeroDivisor
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

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
            gap = computed.strict.distance(change.strict)
            yield ctx.finding(
                "R107", verdict,
                f"{current.value.text} − {previous.value.text}{elsewhere(ctx, fact, previous)} is "
                f"{in_terms(computed.strict, reported)}, but a change "
                f"of {reported.text} is printed ({by(gap, reported)} apart)",
                [fact, current, previous], reported=reported.text, expected=expected(computed.strict, reported))
    elif (implied := cur - change).strict.hi < 0:  # the previous figure below zero: an error when no lenient
        yield ctx.finding(                          # reading (a coarser trailing-zero precision) lifts it to zero
            "R124", ERROR if implied.lenient.hi < 0 else WARNING,
            f"{current.value.text} after a change of {reported.text} means "
            f"{in_terms((cur - change).strict, reported)} in the previous period: a figure cannot be negative "
            f"(is the change of another figure?)",
            [fact, current], reported=reported.text, expected=f"at most {current.value.text}")
    for growth in ctx.referrers("growth_of", current.id):
        scale = percent_scale(growth.value)
        if scale is None or growth.ref("previous"):
            continue
        implied_previous = cur - change
        computed = recompute(cur, implied_previous)
        verdict = judge(growth.value, computed, scale)
        ctx.note(growth, "change_of×growth_of", verdict, growth.value, computed.per(scale), change=fact.id)
        if verdict:
            rate = Pair(growth.value.strict(), growth.value.lenient()) * Pair.point(scale / 100)
            try:
                needed = (cur - cur / (Pair(ONE, ONE) + rate)).strict
                fit = f"; {growth.value.text} would need a change of {in_terms(needed, reported, 1)}"
            except ZeroDivisor:
                fit = ""
            yield ctx.finding(
                "R108", verdict,
                f"{current.value.text} after a change of {reported.text} means "
                f"{in_terms(implied_previous.strict, reported)} in the previous period, a growth of "
                f"{span(computed.strict, growth.value.decimals + 1)}%, but {growth.id} prints {growth.value.text}{fit}",
                [growth, fact, current], reported=growth.value.text,
                expected=expected(computed.strict.scale(1 / scale), growth.value))  # 倍: a hundredth of the percentage


KIND = RelationKind(FIELDS[RELATION], check=check)
