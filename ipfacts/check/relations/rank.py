"""rank_among: [figure, peer, …] — the value is the rank of the first fact among all the facts listed.

`居全省第三`: value 3 (the quote may write it 第三 or 第3), `rank_among` names the figure ranked
first, then every figure it is ranked against; `rank_order: asc` when 1 is the smallest. The
check counts over the values as written, rounding-aware: a peer that may be larger or equal
(its interval reaches the figure's) may stand before it or not, so ties and rounded figures
allow a range of ranks. Table rank columns (`rank:` identities) use the same count.
"""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.relations.base import Context, Pair, common_unit, value_in
from ipfacts.check.relations.kind import RelationKind
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.model import Fact
from ipfacts.load.numbers import Written
from ipfacts.load.relationfields import FIELDS

RELATION = "rank_among"


def rank_range(figure: Pair, peers: list[Pair], order: str = "desc") -> tuple[int, int]:
    """The ranks `figure` can hold among `peers` (1 = largest for desc): (surely, at worst), by strict reading."""
    ahead_surely = ahead_maybe = 0
    for peer in peers:
        if order == "desc":
            surely, maybe = peer.strict.lo > figure.strict.hi, peer.strict.hi >= figure.strict.lo
        else:
            surely, maybe = peer.strict.hi < figure.strict.lo, peer.strict.lo <= figure.strict.hi
        ahead_surely += surely
        ahead_maybe += maybe
    return 1 + ahead_surely, 1 + ahead_maybe


def lenient_range(figure: Pair, peers: list[Pair], order: str = "desc") -> tuple[int, int]:
    """The same count under the lenient readings (what a careful editor would still accept)."""
    return rank_range(Pair(figure.lenient, figure.lenient), [Pair(p.lenient, p.lenient) for p in peers], order)


def stated_rank(written: Written) -> int | None:
    """A rank as written: a whole number, no multiplier or qualifier."""
    if written.decimals or written.multiplier != 1 or written.qualifier or written.negative:
        return None
    return int(written.magnitude)


def judge_rank(rank: int, figure: Pair, peers: list[Pair], order: str, open_ended: bool = False) -> str | None:
    """Whether a stated rank can hold; `open_ended`: ranked among more figures than those listed (rank_scope),
    so that only the figures surely ahead bound it (from below)."""
    lo, hi = rank_range(figure, peers, order)
    if lo <= rank and (open_ended or rank <= hi):
        return None
    lo, hi = lenient_range(figure, peers, order)
    return WARNING if lo <= rank and (open_ended or rank <= hi) else ERROR


def described(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"


def check(ctx: Context, fact: Fact) -> Iterator[Finding]:
    ranked = [ctx.fact(t) for t in fact.refs(RELATION)]
    figure, peers = ranked[0], ranked[1:]
    unit = common_unit(ranked)
    values = [value_in(f, unit) for f in ranked]
    rank = stated_rank(fact.value)
    if rank is None:
        yield ctx.finding("R140", ERROR, f"{fact.id}: a rank is a whole number, not {fact.value.text}",
                          [fact, figure], reported=fact.value.text)
        return
    verdict = judge_rank(rank, values[0], values[1:], fact.rank_order, fact.rank_scope is not None)
    ctx.note(fact, RELATION, verdict, fact.value, None)
    if verdict:
        lo, hi = rank_range(values[0], values[1:], fact.rank_order)
        order = "largest" if fact.rank_order == "desc" else "smallest"
        listing = ", ".join(f"{p.id} = {p.value.text}" for p in peers[:8]) + (" …" if len(peers) > 8 else "")
        yield ctx.finding(
            "R140", verdict,
            f"{fact.id}: rank {fact.value.text} stated, but {figure.id} ({figure.value.text}) ranks {described(lo, hi)} "
            f"of {len(ranked)} (1 = {order}) among {listing}",
            [fact, figure, *peers], reported=fact.value.text, expected=described(lo, hi))


KIND = RelationKind(FIELDS[RELATION], check=check)
