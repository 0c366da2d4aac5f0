"""part_of: whole — one part of a partial breakdown. Each part is at most the
whole, and all parts of one whole together are at most the whole."""

from __future__ import annotations

from collections.abc import Iterator
from functools import reduce
from operator import add

from ipfacts.check.relations.base import Context, common_unit, shown, suffix, value_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import by, in_terms
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "part_of"


def check_group(ctx: Context, parts: list[Fact]) -> Iterator[Finding]:
    """All parts declared of one whole."""
    whole = ctx.fact(parts[0].refs(RELATION)[0])
    unit = common_unit([whole, *parts])
    w = value_in(whole, unit)
    values = {p.id: value_in(p, unit) for p in parts}
    for part in parts:
        v = values[part.id]
        severity: str | None = None
        if v.strict.lo > w.strict.hi:
            severity = WARNING if v.lenient.lo <= w.lenient.hi else ERROR
        ctx.note(part, RELATION, severity, part.value, v)
        if severity:
            yield ctx.finding(
                "R102", severity,
                f"{part.id} ({part.value.text}) is larger than the whole it is part of, {whole.id} "
                f"({whole.value.text}), by {by(v.strict.lo - w.strict.hi, part.value)}",
                [part, whole], reported=part.value.text, expected=f"≤ {whole.value.text}", gross=severity == ERROR)
    if len(parts) < 2:
        return
    total = reduce(add, values.values())
    if total.strict.lo > w.strict.hi:
        severity = WARNING if total.lenient.lo <= w.lenient.hi else ERROR
        terms = " + ".join(p.value.text for p in parts)
        yield ctx.finding(
            "R110", severity,
            f"the parts of {whole.id} add up to {terms} = {in_terms(total.strict, whole.value)}, "
            f"{by(total.strict.lo - w.strict.hi, whole.value)} more than the whole, {whole.value.text}",
            [whole, *parts], reported=whole.value.text, expected=f"≥ {shown(total.strict, whole.value, 0)}{suffix(whole.value)}")

KIND = RelationKind(FIELDS[RELATION], group_key=lambda fact: fact.ref(RELATION), check_group=check_group)
