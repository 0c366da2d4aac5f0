"""percent_of: whole — a percentage of a stated whole whose part the source does not state
(其中发明专利占比24.8%). With an exact whole count, GRIM: some whole-number part must
give the percentage; the implied part is reported."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ipfacts.check.relations.base import Context, zero_problem
from ipfacts.check.relations.granularity import describe_integers, integers_in, testable
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import neighbours, pct, unit_of, whole_numbers
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.intervals import Interval
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "percent_of"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    whole = ctx.fact(fact.refs(RELATION)[0])
    reported = fact.value
    involved = [fact, whole]
    if reported.strict().lo > 100:
        yield ctx.finding("R102", ERROR, f"{fact.id}: a part cannot be {reported.text} of its whole {whole.value.text}; "
                                         "a share is at most 100%",
                          involved, reported=reported.text, expected="≤ 100%", gross=True)
        return
    if whole.value.strict().hi <= 0 <= whole.value.strict().lo:  # the whole is exactly zero: no share of it
        yield zero_problem(ctx, RELATION, fact)
        return
    if not whole.value.is_exact_count:
        ctx.note(fact, RELATION, None, reported, None, testable=False)
        return
    count = whole.value.value
    needed = reported.strict().scale(count / 100)
    if needed.hi.is_infinite():  # 超过50%, 50%以上: every part from the bound up to the whole fits
        needed = Interval(needed.lo, count, needed.lo_closed, True)
    strict_parts = integers_in(needed)
    lenient_parts = integers_in(reported.lenient().scale(count / 100))
    can_test = testable(count, reported.decimals)
    verdict = None if strict_parts else (WARNING if lenient_parts else ERROR)
    found = strict_parts or lenient_parts
    implied = describe_integers(found) if found else None
    ctx.note(fact, RELATION, verdict, reported, None, implied_part=implied, testable=can_test)
    if verdict:
        unit = unit_of(whole.value)
        either_side = ", ".join(f"{n}{unit} would be {pct(Decimal(n) / count * 100, reported.decimals)}"
                                for n in neighbours(needed))
        loose = (f"; only a looser reading of {reported.text} fits, with {whole_numbers(lenient_parts, unit)}"
                 if lenient_parts else "")
        yield ctx.finding(
            "R104", verdict,
            f"{fact.id}: no whole number of {whole.value.text} is {reported.text}: {either_side}{loose}",
            involved, reported=reported.text, expected=needed.bracket(2),
            implied_part=implied, testable=can_test)


KIND = RelationKind(FIELDS[RELATION], check=check)
