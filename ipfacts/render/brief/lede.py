"""Step 6 of a brief: the lede and the key numbers."""

from __future__ import annotations

from ipfacts.render.brief.labels import Labels
from ipfacts.render.brief.model import (
    MAX_KEY_NUMBERS,
    MAX_LEDE_ITEMS,
    Figure,
    KeyNumber,
    Row,
    Sentence,
    StatedRank,
)

MIN_FIRST_LAST = 3


def lede(rows: list[Row], t: Labels, city: str, peer_count: int,
         elsewhere: list[tuple[str, Figure, StatedRank]] | None = None) -> list[Sentence]:
    """Where the city stands: one sentence per headline indicator it can be ranked on, each cited."""
    out: list[Sentence] = []
    ranked = [r for r in rows if r.headline and r.city.rank is not None and r.city.figure is not None]
    # first and last only among three or more: "last of two" says less than it sounds
    firsts = [r for r in ranked if r.city.rank == 1 and r.ranked >= MIN_FIRST_LAST]
    lasts = [r for r in ranked if r.city.rank == r.ranked and r.city.rank != 1 and r.ranked >= MIN_FIRST_LAST]
    for group, name in ((firsts[:MAX_LEDE_ITEMS], "lede_first"), (lasts[:MAX_LEDE_ITEMS], "lede_last")):
        if group:
            items = t.sep.join(t.f("lede_item", metric=r.label, value=r.city.figure.text,  # type: ignore[union-attr]
                                   rank=r.rank_text) for r in group)
            cites = [n for r in group for n in r.city.figure.citations]  # type: ignore[union-attr]
            out.append(Sentence(t.f(name, city=city, items=items, n=len(group)), cites))
    for r in ranked[:MAX_LEDE_ITEMS * 2]:
        if r in firsts or r in lasts:
            continue
        assert r.city.figure is not None
        out.append(Sentence(t.f("lede_middle", city=city, metric=r.label, value=r.city.figure.text,
                                rank=r.city.rank, of=r.ranked, mixed=t.f("rank_mixed", n=r.other_years)
                                if r.other_years else ""), list(r.city.figure.citations)))
    if not out:
        first = next((r for r in rows if r.headline and r.city.figure is not None), None) or next(
            (r for r in rows if r.city.figure is not None), None)
        if first is not None and first.city.figure is not None:
            out.append(Sentence(t.f("lede_unranked", city=city, metric=first.label, value=first.city.figure.text),
                                list(first.city.figure.citations)))
    stated = [(r.label, r.city.figure, s) for r in sorted(rows, key=lambda r: not r.headline)
              if r.city.figure is not None for s in r.city.stated_ranks] + list(elsewhere or [])
    if stated:  # the ranks the sources state: the province's context a story needs, as the sources' claims
        items = t.sep.join(t.f("stated_lede_item", metric=label, value=figure.text, rank=s.short)
                           for label, figure, s in stated)
        out.append(Sentence(t.f("stated_lede", items=items),
                            [n for _, figure, s in stated for n in (*figure.citations, *s.citations)]))
    return out


def key_numbers(rows: list[Row], t: Labels) -> list[KeyNumber]:
    out: list[KeyNumber] = []
    for r in rows:
        if r.headline and r.city.figure is not None and len(out) < MAX_KEY_NUMBERS:
            rank = r.rank_text
            out.append(KeyNumber(r.label, r.city.figure, rank, list(r.city.stated_ranks)))
    return out

