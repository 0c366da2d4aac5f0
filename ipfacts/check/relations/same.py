"""same_as: other — the same quantity stated again: a repeat, a translation, another document.
Units are converted first (亿元 ↔ billion yuan, 万 ↔ thousand); qualifiers on either side count.
Two classifiers (件, 项) compare one for one when a metric of either fact accepts both
(see classifiers.py); otherwise the pair is R123."""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.relations.base import Context, common_unit, judge_pair, value_in
from ipfacts.check.relations.classifiers import counted_alike, not_accepted
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import by_at_least
from ipfacts.findings import Finding
from ipfacts.load import units
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "same_as"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    for target in fact.refs(RELATION):
        if not ctx.first_time(RELATION, frozenset((fact.id, target))):
            continue  # a cycle, or both sides declaring it: judge each pair once
        other = ctx.fact(target)
        try:
            unit = common_unit([fact, other])
            mine, theirs = value_in(fact, unit), value_in(other, unit)
        except units.UnitMismatch:
            alike = counted_alike(ctx, fact, other)
            if alike is None:
                if fact.value.is_count and other.value.is_count:
                    yield from not_accepted(ctx, RELATION, fact, other)
                    continue
                raise
            mine, theirs = alike
        verdict = judge_pair(mine, theirs)
        ctx.note(fact, RELATION, verdict, fact.value, theirs, other=other.id)
        if verdict:
            gap = mine.strict.distance(theirs.strict)
            yield ctx.finding(
                "R113", verdict,
                f"{fact.id} = {fact.value.text} and {other.id} = {other.value.text} should be the same figure, "
                f"but they differ {by_at_least(gap, fact.value)}",
                [fact, other], reported=fact.value.text, expected=other.value.text)

KIND = RelationKind(FIELDS[RELATION], check=check)
