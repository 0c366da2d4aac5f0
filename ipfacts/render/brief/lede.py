"""Step 6 of a brief: the lede and the key numbers."""

from __future__ import annotations

from ipfacts.render.brief.labels import Labels
from ipfacts.render.brief.model import MAX_KEY_NUMBERS, MAX_LEDE_ITEMS, KeyNumber, Row, Sentence


def lede(rows: list[Row], t: Labels, city: str, peer_count: int) -> list[Sentence]:
    """Where the city stands: one sentence per headline indicator it can be ranked on, each cited."""
    out: list[Sentence] = []
    ranked = [r for r in rows if r.headline and r.city.rank is not None and r.city.figure is not None]
    firsts = [r for r in ranked if r.city.rank == 1]
    lasts = [r for r in ranked if r.city.rank == r.ranked and r.city.rank != 1]
    for group, name in ((firsts[:MAX_LEDE_ITEMS], "lede_first"), (lasts[:MAX_LEDE_ITEMS], "lede_last")):
        if group:
            items = t.sep.join(t.f("lede_item", metric=r.label, value=r.city.figure.text,  # type: ignore[union-attr]
                                   rank=r.city.rank, of=r.ranked) for r in group)
            cites = [n for r in group for n in r.city.figure.citations]  # type: ignore[union-attr]
            out.append(Sentence(t.f(name, city=city, items=items, n=len(group)), cites))
    for r in ranked[:MAX_LEDE_ITEMS * 2]:
        if r in firsts or r in lasts:
            continue
        assert r.city.figure is not None
        out.append(Sentence(t.f("lede_middle", city=city, metric=r.label, value=r.city.figure.text,
                                rank=r.city.rank, of=r.ranked), list(r.city.figure.citations)))
    if not out:
        first = next((r for r in rows if r.headline and r.city.figure is not None), None) or next(
            (r for r in rows if r.city.figure is not None), None)
        if first is not None and first.city.figure is not None:
            out.append(Sentence(t.f("lede_unranked", city=city, metric=first.label, value=first.city.figure.text),
                                list(first.city.figure.citations)))
    return out


def key_numbers(rows: list[Row], t: Labels) -> list[KeyNumber]:
    out: list[KeyNumber] = []
    for r in rows:
        if r.headline and r.city.figure is not None and len(out) < MAX_KEY_NUMBERS:
            rank = t.f("rank_value", rank=r.city.rank, of=r.ranked) if r.city.rank is not None else None
            out.append(KeyNumber(r.label, r.city.figure, rank))
    return out

