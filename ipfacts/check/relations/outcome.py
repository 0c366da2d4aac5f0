"""outcome_of: intake — cases concluded, decisions taken … out of the cases received. An outcome
is normally at most the intake; it may exceed it when a backlog is worked off, so an excess is a
warning that says by how much — unless the cases pending at the start are known:

- `pending_before: fact` on the outcome names them; else a `balance_of` whose inflow is the
  intake gives them (its opening, stated or implied from a growth rate of the closing stock);
- an excess up to the pending cases is fine; beyond them it is an error.

Exclusive outcomes of the same cases (判决, 调解, 撤诉 …) are summed when linked with
`exclusive_with: [other outcomes]` (one side is enough); unlinked outcomes are judged alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import reduce
from operator import add

from ipfacts.check.relations.balance import Opening, opening_of
from ipfacts.check.relations.base import Context, Pair, common_unit, value_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.check.relations.wording import by
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.model import Fact
from ipfacts.load.relationfields import FIELDS

RELATION = "outcome_of"


def _components(outcomes: list[Fact]) -> list[list[Fact]]:
    """Outcomes linked by exclusive_with (either side), as groups to sum; others alone."""
    ids = {f.id: f for f in outcomes}
    parent = {f.id: f.id for f in outcomes}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for fact in outcomes:
        for other in fact.refs("exclusive_with"):
            if other in ids:
                parent[root(other)] = root(fact.id)
    groups: dict[str, list[Fact]] = {}
    for fact in outcomes:
        groups.setdefault(root(fact.id), []).append(fact)
    return list(groups.values())


def _pending(ctx: Context, intake: Fact, members: list[Fact], unit: str | None) -> tuple[Pair, list[Fact]] | None:
    """The stock pending before the intake arrived, with the facts it rests on."""
    for member in members:
        if named := member.ref("pending_before"):
            stock = ctx.fact(named)
            return value_in(stock, unit), [stock]
    for closing in ctx.referrers("balance_of", intake.id):
        if intake.id not in closing.roles("balance_of").get("inflow", []):
            continue
        openings: list[Opening] = opening_of(ctx, closing, unit)
        if openings:
            value = openings[0].value
            for other in openings[1:]:
                value = Pair(value.strict.hull(other.value.strict), value.lenient.hull(other.value.lenient))
            basis = [closing] + [f for o in openings for f in (o.fact, o.growth) if f is not None]
            return value, basis
    return None


def check_group(ctx: Context, outcomes: list[Fact]) -> Iterator[Finding]:
    intake = ctx.fact(outcomes[0].refs(RELATION)[0])
    for members in _components(outcomes):
        unit = common_unit([intake, *members])
        total = reduce(add, (value_in(m, unit) for m in members))
        excess = total - value_in(intake, unit)
        what = " + ".join(m.value.text for m in members)
        label = members[0].id if len(members) == 1 else "the outcomes " + ", ".join(m.id for m in members)
        if excess.strict.lo <= 0:
            ctx.note(members[0], RELATION, None, members[0].value, total, intake=intake.id)
            continue
        over = by(excess.strict.lo, intake.value)
        pending = _pending(ctx, intake, members, unit)
        if pending is None:
            ctx.note(members[0], RELATION, WARNING, members[0].value, total, intake=intake.id, pending="unknown")
            yield ctx.finding(
                "R118", WARNING,
                f"{label}: {what} is {over} more than the intake {intake.id} ({intake.value.text}); that holds only "
                f"if at least {over} were pending at the start, which the base does not state",
                [*members, intake], reported=what, expected=f"≤ {intake.value.text} + pending at the start",
                excess=excess.strict.bracket(), pending=None, intake=intake.value.text)
            continue
        stock, basis = pending
        fits = excess.strict.lo <= stock.strict.hi
        verdict = None if fits else (WARNING if excess.lenient.lo <= stock.lenient.hi else ERROR)
        ctx.note(members[0], RELATION, verdict, members[0].value, total, intake=intake.id,
                 pending=stock.strict.bracket())
        if verdict:
            pending_text = (by(stock.strict.hi, intake.value) if stock.strict.hi.is_finite() else "?")
            beyond = by(excess.strict.lo - stock.strict.hi, intake.value)
            yield ctx.finding(
                "R119", verdict,
                f"{label}: {what} is {over} more than the intake {intake.id} ({intake.value.text}), but at most "
                f"{pending_text} were pending at the start: {beyond} more than the backlog can explain",
                [*members, intake, *basis], reported=what,
                expected=f"≤ {intake.value.text} + {pending_text}", excess=excess.strict.bracket(),
                pending=stock.strict.bracket(), gross=verdict == ERROR, intake=intake.value.text)


KIND = RelationKind(FIELDS[RELATION], group_key=lambda fact: fact.ref(RELATION), check_group=check_group)
