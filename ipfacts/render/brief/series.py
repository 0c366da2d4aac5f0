"""A city's time series in a brief: where the base holds two or more periods of a headline metric for the city,
the brief shows them — a small line chart and a row of cited figures, each point from its own source, a point
only implied by a growth rate (last year's figure that no source states) marked as implied.

Built from the timeline of the figure (render/timeline.py), so the brief shows what `ipfacts show --metric M
--region R` lists. The chart is plain SVG written by hand, every label XML-escaped (as charts.py draws bars).
Templates include `series.md.j2` / `series.html.j2`; each receives `brief.series`, a list of `Series`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from markupsafe import Markup

from ipfacts.check.across import build_index, hierarchy_of
from ipfacts.load.model import FactBase
from ipfacts.load.periods import label as period_label
from ipfacts.render.brief.charts import CITY_FILL, FONT
from ipfacts.render.timeline import Point, TimelineError, build_timeline

WIDTH = 640
HEIGHT = 190
LEFT = 30
RIGHT = 30
TOP = 46
BOTTOM = 34
FONT_SIZE = 13

WORDS = {
    "zh": {"heading": "历年数据", "implied": "推算", "implied_by": "据增长率推算", "line": "第{line}行",
           "note": "每个数字引自其所在的资料；标“推算”者无资料直接载明，由次年数字与增长率推出。"},
    "en": {"heading": "Over the years", "implied": "implied", "implied_by": "implied by the growth rate",
           "line": "line {line}",
           "note": "Each figure is cited from its own source; an implied figure is stated by none, but follows "
                   "from the next year's figure and its growth rate."},
}


@dataclass(frozen=True)
class SeriesPoint:
    period: str
    period_label: str  # 2023年 / 2023
    text: str  # the figure as written (an implied one: the range it must lie in)
    implied: bool
    citation: str  # 《title》第12行："quote"
    source: str
    fact_id: str


@dataclass(frozen=True)
class Series:
    metric: str
    label: str  # the metric's name in the brief's language
    points: list[SeriesPoint]
    svg: Markup  # drawn here, every label escaped: an HTML template embeds it as is
    heading: str
    note: str


def series_for(base: FactBase, city: str, lang: str = "zh") -> list[Series]:
    """The series of each headline metric of `city` with two or more periods stated, in metric order."""
    words = WORDS.get(lang, WORDS["zh"])
    hierarchy, _ = hierarchy_of(base)
    index = build_index(base, hierarchy)  # once for every metric
    found = []
    for key, metric in base.metrics.items():
        if not metric.headline:
            continue
        try:
            timeline = build_timeline(base, None, key, city, index)
        except TimelineError:
            continue
        if len(timeline.stated_periods) < 2:
            continue
        # the city as itself or as 宁波市 (a province table's row): what a brief's extract keeps (extract.py)
        spellings = {city, city + "市", city.removesuffix("市")}
        timeline.points = [p for p in timeline.points if p.region in spellings]
        if len(timeline.stated_periods) < 2:
            continue
        label = metric.en if lang == "en" else metric.zh
        points = [_point(p, lang, words) for p in timeline.points]
        drawn = _drawn(timeline.by_period())
        found.append(Series(key, label, points, chart(label, drawn, words["implied"]), words["heading"],
                            words["note"]))
    return found


def _point(p: Point, lang: str, words: dict[str, str]) -> SeriesPoint:
    where = words["line"].format(line=p.lines)
    citation = f"“{p.title}”, {where}: “{p.quote}”" if lang == "en" else f"《{p.title}》{where}：“{p.quote}”"
    if p.implied:
        citation = f"{words['implied_by']} — {citation}"
    return SeriesPoint(p.period, period_label(p.period, lang), p.text, p.implied, citation, p.source, p.fact_id)


def _drawn(by_period: list[tuple[str, list[Point]]]) -> list[tuple[str, str, Decimal, bool]]:
    """One point a period for the chart: the first stated figure, else the implied one (period, text, value, implied)."""
    out = []
    for period, points in by_period:
        stated = [p for p in points if not p.implied and p.number is not None]
        chosen = stated[0] if stated else next((p for p in points if p.number is not None), None)
        if chosen is not None and chosen.number is not None:
            out.append((period, chosen.text, chosen.number, chosen.implied))
    return out


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;", "'": "&apos;"})


def chart(title: str, points: list[tuple[str, str, Decimal, bool]], implied_word: str) -> Markup:
    """A small line chart: the periods left to right, the value axis from zero; implied points hollow, the
    segments to them dashed."""
    if not points:
        return Markup("")
    top = max(v for _, _, v, _ in points)
    low = min(min(v for _, _, v, _ in points), Decimal(0))
    span = (top - low) or Decimal(1)
    room_x = WIDTH - LEFT - RIGHT
    room_y = HEIGHT - TOP - BOTTOM
    step = room_x / max(len(points) - 1, 1)

    def xy(n: int, v: Decimal) -> tuple[float, float]:
        x = LEFT + (step * n if len(points) > 1 else room_x / 2)
        y = TOP + room_y - float((v - low) / span) * room_y
        return x, y

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'font-family="{_x(FONT)}" font-size="{FONT_SIZE}" role="img" aria-label="{_x(title)}">',
           f"<title>{_x(title)}</title>",
           f'<text x="0" y="18" font-size="{FONT_SIZE + 2}" fill="#000">{_x(title)}</text>',
           f'<line x1="{LEFT - 10}" y1="{TOP + room_y}" x2="{WIDTH - RIGHT + 10}" y2="{TOP + room_y}" stroke="#999"/>']
    for n in range(1, len(points)):
        (x1, y1), (x2, y2) = xy(n - 1, points[n - 1][2]), xy(n, points[n][2])
        dash = ' stroke-dasharray="5 4"' if points[n - 1][3] or points[n][3] else ""
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{CITY_FILL}" '
                   f'stroke-width="2"{dash}/>')
    for n, (period, text, value, implied) in enumerate(points):
        x, y = xy(n, value)
        fill = "#fff" if implied else CITY_FILL
        shown = f"{text} ({implied_word})" if implied else text
        anchor = "start" if n == 0 and len(points) > 1 else ("end" if n == len(points) - 1 and len(points) > 1 else "middle")
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="{CITY_FILL}" stroke-width="2"/>')
        out.append(f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="{anchor}" fill="#000">{_x(shown)}</text>')
        out.append(f'<text x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="{anchor}" fill="#444">{_x(period)}</text>')
    out.append("</svg>")
    return Markup("".join(out))  # every text in it passed through _x


def series_json(series: list[Series]) -> list[dict[str, object]]:
    """The series in the JSON brief (`series`: present only when there is one): no chart, every point cited."""
    return [{"metric": s.metric, "label": s.label,
             "points": [{"period": p.period, "text": p.text, "implied": p.implied, "source": p.source,
                         "fact": p.fact_id, "citation": p.citation} for p in s.points]} for s in series]
