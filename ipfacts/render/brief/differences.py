"""Step 5 of a brief: the notable differences between the city and its peers."""

from __future__ import annotations

from decimal import Decimal

from ipfacts.render.brief.labels import Labels
from ipfacts.render.brief.model import MAX_DIFFERENCES, NOTABLE_RATIO, Difference, Row
from ipfacts.render.brief.wording import (
    plain,
)

# --- step 5: differences and the lede --------------------------------------------------------------------


def differences(rows: list[Row], t: Labels, city: str) -> list[Difference]:
    """Notable differences on headline indicators, like for like only: the city against the leader (or the
    runner-up when the city leads) among figures ranked together — same metric, same period."""
    found: list[tuple[Decimal, Difference]] = []
    for row in rows:
        me = row.city.figure
        if not row.headline or row.city.rank is None or me is None or me.number is None or me.number <= 0:
            continue
        others = [c for c in row.peers if c.rank is not None and c.figure and c.figure.number and c.figure.number > 0]
        if not others:
            continue
        other = min(others, key=lambda c: (c.rank, c.region))
        assert other.figure is not None and other.figure.number is not None
        high, low = max(me.number, other.figure.number), min(me.number, other.figure.number)
        ratio = high / low
        if ratio < NOTABLE_RATIO:
            continue
        shown = ratio.quantize(Decimal("0.01"))
        name = "diff_more" if me.number > other.figure.number else "diff_less"
        text = t.f(name, metric=row.label, city=city, city_value=me.text, other=other.region,
                   other_value=other.figure.text, ratio=plain(shown, group=False), period=row.city.period or "")
        text += t.f("diff_rank", city=city, rank=row.city.rank, of=row.ranked)
        found.append((ratio, Difference(row.metric, row.label, text, me, other.figure, shown,
                                        [*me.citations, *other.figure.citations])))
    found.sort(key=lambda item: -item[0])
    return [d for _, d in found[:MAX_DIFFERENCES]]

