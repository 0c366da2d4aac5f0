"""Step 3 and 4 of a brief: ranks (like for like only) and the charts of headline rows."""

from __future__ import annotations

from ipfacts.render.brief.labels import Labels
from ipfacts.render.brief.model import MIN_CHART_VALUES, Bar, Cell, ChartSpec, Row

# --- step 3: ranks ---------------------------------------------------------------------------------------


def rank_row(row: Row, t: Labels, period: str) -> None:
    """Rank the figures that are like the city's: same metric (so one definition), a value in the metric's unit,
    no bound (超/余/近). A peer's latest figure for another year is ranked too — flagged with its year in its
    cell, and counted in the rank's text — so that every city of the base stands beside the city. Every other
    figure gets its reason."""
    candidates: list[Cell] = []
    for cell in row.cells:
        reason = _unlike(cell, t, period)
        if reason is None:
            candidates.append(cell)
        else:
            cell.unranked_reason = reason
    if row.city.figure is None and len(candidates) >= 2:
        pass  # the city reports nothing here: its peers are still ranked side by side, a comparison of the others
    elif row.city not in candidates or len(candidates) < 2:
        for cell in candidates:
            cell.unranked_reason = t.unranked_alone if cell is row.city else t.unranked_city_not_comparable
        return
    values = [c.figure.number for c in candidates if c.figure is not None and c.figure.number is not None]
    for cell in candidates:
        assert cell.figure is not None and cell.figure.number is not None
        cell.rank = 1 + sum(1 for v in values if v > cell.figure.number)
    row.ranked = len(candidates)
    row.other_years = sum(1 for c in candidates if c.period != period)
    if row.city.rank is not None:
        row.rank_text = t.f("rank_value", rank=row.city.rank, of=row.ranked) + (
            t.f("rank_mixed", n=row.other_years) if row.other_years else "")


def _unlike(cell: Cell, t: Labels, period: str) -> str | None:
    figure = cell.figure
    if figure is None:
        return t.unranked_missing
    if cell.role == "context":
        return t.unranked_context
    if figure.number is None:
        return t.f("unranked_unit", value=figure.text)
    if not figure.exact:
        return t.f("unranked_bound", value=figure.text)
    return None


# --- step 4: charts --------------------------------------------------------------------------------------


def chart_row(row: Row, t: Labels, lang: str, city: str, number: int) -> None:
    """A chart of a headline row: the ranked (like) figures only, the city among them; none for two values."""
    if not row.headline:
        return
    ranked = [c for c in row.cells if c.rank is not None and c.figure is not None and c.figure.number is not None]
    if len(ranked) < MIN_CHART_VALUES:
        if ranked:  # with none ranked, the rank's reason says it already
            row.chart_reason = t.f("no_chart", n=len(ranked))
        return
    bars = [Bar(_bar_label(c, row.city.period), c.figure.number, c.figure.text,  # type: ignore[union-attr, arg-type]
                c.role == "city") for c in ranked]
    per10k = [Bar(_bar_label(c, row.city.period), c.per10k.value, c.per10k.text, c.role == "city") for c in ranked if c.per10k]
    if len(per10k) != len(ranked):
        per10k = []
    left_out = [(c.region, c.unranked_reason or "") for c in row.cells if c.figure is not None and c.rank is None]
    unit = row.unit
    title = f"{row.label}（{unit}）" if lang == "zh" else f"{row.label} ({unit})"
    mixed = any(c.period != row.city.period for c in ranked)
    row.chart = ChartSpec(metric=row.metric, title=title, caption=t.f("chart_caption", metric=row.label, city=city,
                                                                       period=row.city.period or "",
                                                                       mixed=t.chart_mixed if mixed else ""),
                          alt=t.f("chart_alt", metric=row.label), unit=unit, bars=bars, per10k=per10k,
                          left_out=left_out, filename=f"{number:02d}-{_slug(row.metric)}.svg")


def _bar_label(cell: Cell, period: str | None) -> str:
    """A bar's region, with its year when it is not the city's."""
    return cell.region if cell.period == period else f"{cell.region} ({cell.period})"


def _slug(metric: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in metric.lower()).strip("-") or "metric"

