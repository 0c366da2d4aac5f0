"""Step 5 of a brief: the notable differences between the city and its peers."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ipfacts.render.brief.labels import Labels
from ipfacts.render.brief.model import MAX_DIFFERENCES, NOTABLE_RATIO, Cell, Difference, Population, Row
from ipfacts.render.brief.wording import plain, round_significant

MAX_RATIO_DIGITS = 3  # 4.21 times, 15 times: a ratio a writer can quote


def _ratio_text(ratio: Decimal, digits: int) -> tuple[Decimal, str]:
    """A ratio to no more significant digits than its inputs carry (1440 ÷ 97 → 15, not 14.85), three at most."""
    digits = min(d for d in (digits, MAX_RATIO_DIGITS) if d > 0) if digits > 0 else MAX_RATIO_DIGITS
    shown = round_significant(ratio, digits)
    return shown, plain(shown, group=False)


def differences(rows: list[Row], t: Labels, city: str,
                population: Callable[[Cell], Population | None] | None = None) -> list[Difference]:
    """Notable differences on headline indicators, like for like only: the city against the leader (or the
    runner-up when the city leads) among figures ranked together — same metric, same period. Beside the raw
    ratio stands the ratio per resident — from the per-10,000 figures, else from the two populations — since
    a city three times another's size has more of everything."""
    found: list[tuple[Decimal, Difference]] = []
    for row in rows:
        me = row.city.figure
        if not row.headline or row.city.rank is None or me is None or me.number is None or me.number <= 0:
            continue
        others = [c for c in row.peers if c.rank is not None and c.period == row.city.period  # the same year only
                  and c.figure and c.figure.number and c.figure.number > 0]
        if not others:
            continue
        other_cell = min(others, key=lambda c: (c.rank, c.region))
        other = other_cell.figure
        assert other is not None and other.number is not None
        mine_higher = me.number > other.number
        high, low = (me, other) if mine_higher else (other, me)
        high_cell, low_cell = (row.city, other_cell) if mine_higher else (other_cell, row.city)
        assert high.number is not None and low.number is not None
        ratio = high.number / low.number
        if ratio < NOTABLE_RATIO:
            continue
        shown, ratio_text = _ratio_text(ratio, min(me.digits, other.digits))
        name = "diff_more" if mine_higher else "diff_less"
        text = t.f(name, metric=row.label, city=city, city_value=me.text, other=other_cell.region,
                   other_value=other.text, ratio=ratio_text, period=row.city.period or "")
        per_resident, basis, cites = None, None, []
        if high_cell.per10k is not None and low_cell.per10k is not None and low_cell.per10k.value > 0:
            rate_ratio = high_cell.per10k.value / low_cell.per10k.value
            digits = min(high_cell.per10k.digits or 3, low_cell.per10k.digits or 3, high.digits or 3, low.digits or 3)
            per_resident, basis = round_significant(rate_ratio, min(digits, MAX_RATIO_DIGITS)), "per10k"
            values = {"high": high_cell.region, "low": low_cell.region, "high_rate": high_cell.per10k.text,
                      "low_rate": low_cell.per10k.text}
        elif population is not None and row.kind != "rate":  # a rate per resident is per resident already
            mine_pop, other_pop = population(high_cell), population(low_cell)
            if mine_pop is not None and other_pop is not None and mine_pop.value > 0:
                rate_ratio = ratio * other_pop.value / mine_pop.value
                digits = min(mine_pop.digits, other_pop.digits, high.digits or 3, low.digits or 3)
                per_resident, basis = round_significant(rate_ratio, min(digits, MAX_RATIO_DIGITS)), "population"
                values = {"high": high_cell.region, "low": low_cell.region, "high_rate": mine_pop.text,
                          "low_rate": other_pop.text}
                cites = [*mine_pop.citations, *other_pop.citations]
        if per_resident is not None and basis is not None:
            if per_resident >= 1:
                text += t.f(f"diff_{basis}", ratio=plain(per_resident, group=False), **values)
            else:
                text += t.f(f"diff_{basis}_reversed", ratio=plain(round_significant(1 / per_resident, 2), group=False),
                            **values)
        text += t.f("diff_rank", city=city, rank=row.city.rank, of=row.ranked,
                    mixed=t.f("rank_mixed", n=row.other_years) if row.other_years else "")
        weight = max(per_resident, 1 / per_resident) if per_resident else ratio  # what a reader should weigh
        found.append((weight, Difference(row.metric, row.label, text, me, other, shown,
                                         [*me.citations, *other.citations, *cites], per_resident, basis)))
    found.sort(key=lambda item: -item[0])
    return [d for _, d in found[:MAX_DIFFERENCES]]
