"""The timeline of one figure: every statement of a metric for a region, across sources and periods, the figures
only implied (last year's figure that a growth rate or a change implies, where no source states it), and the
findings between them. `ipfacts show --metric M --region R` prints it, `serve` shows it at /timeline, and briefs
draw a city's series from it (render/brief/series.py).

A region is matched under every spelling of it (宁波, 宁波市, the aliases of facts/regions.yaml), as the checks
across documents match it (check/across/).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ipfacts.check.across import Index, build_index, hierarchy_of
from ipfacts.check.relations.base import ONE, Pair, pair, percent_scale
from ipfacts.check.relations.granularity import integers_in
from ipfacts.check.relations.wording import span, unit_of
from ipfacts.findings import Finding, Report
from ipfacts.load import units
from ipfacts.load.intervals import ZeroDivisor
from ipfacts.load.model import Fact, FactBase
from ipfacts.load.numbers import conversion, parse_unit
from ipfacts.load.periods import parse as parse_period
from ipfacts.render.brief.places import english_name


def period_key(period: str) -> tuple[int, int, int, str]:
    """Periods in time order (a year before its months' labels); a label of another form last."""
    found = parse_period(period)
    return (found.year, found.last, found.first, period) if found else (10**6, 0, 0, period)


class TimelineError(ValueError):
    """No such metric or region: the message says what there is."""


@dataclass(frozen=True)
class Rate:
    fact_id: str
    kind: str  # growth_of | change_of
    text: str  # as written: 18.70%, -4.3%, 1.2个百分点
    lines: str


@dataclass(frozen=True)
class Point:
    """One statement of the figure, or one only implied by a rate."""

    period: str
    text: str  # the value as written; for an implied point the range it must lie in
    number: Decimal | None  # in the metric's unit, for a chart (an implied point: the middle of its range)
    implied: bool
    fact_id: str  # the fact that states it (implied: the rate that implies it)
    source: str
    title: str
    lines: str
    quote: str
    region: str  # the region as the source writes it
    cell: str | None = None  # `row 甲城市 · column 专利授权量` for a table cell
    rates: tuple[Rate, ...] = ()  # growth and change stated with it


@dataclass
class Timeline:
    metric: str
    name_zh: str
    name_en: str
    unit: str
    region: str
    spellings: tuple[str, ...]
    points: list[Point] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def periods(self) -> list[str]:
        return sorted({p.period for p in self.points}, key=period_key)

    @property
    def stated_periods(self) -> list[str]:
        return sorted({p.period for p in self.points if not p.implied}, key=period_key)

    def by_period(self) -> list[tuple[str, list[Point]]]:
        grouped: dict[str, list[Point]] = defaultdict(list)
        for point in self.points:
            grouped[point.period].append(point)
        return [(period, grouped[period]) for period in self.periods]


def build_timeline(base: FactBase, report: Report | None, metric: str, region: str,
                   index: Index | None = None) -> Timeline:
    """The timeline of `metric` for `region`; TimelineError names the metrics or regions there are. `index`: the
    base's facts by metric, region and period, when the caller built it already (one brief, several metrics)."""
    found = base.metrics.get(metric)
    if found is None:
        close = difflib.get_close_matches(metric, list(base.metrics), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise TimelineError(f"unknown metric {metric!r}{hint}; `ipfacts metrics` lists them")
    if index is None:
        index = build_index(base, hierarchy_of(base)[0])
    hierarchy = index.hierarchy
    having = sorted({r for m, r, _ in index.groups if m == metric})
    wanted = index.region_of.get(region) or hierarchy.canonical({region}).get(region, region)
    if wanted not in having:
        wanted = _typed(region, having) or wanted
    if wanted not in having:
        close = difflib.get_close_matches(region, having, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise TimelineError(f"no figure of {metric} for {region!r}{hint}; regions with one: "
                            f"{', '.join(having) or 'none'}")
    facts = [f for (m, r, _), members in index.groups.items() if m == metric and r == wanted for f in members]
    timeline = Timeline(metric, found.zh, found.en, found.unit, wanted,
                        tuple(sorted({f.region for f in facts if f.region})))
    rates = _rates_of(base, {f.id for f in facts})
    stated = {f.period for f in facts}
    involved = {f.id for f in facts}
    for fact in facts:
        timeline.points.append(_point(base, fact, found.unit, rates.get(fact.id, [])))
        for rate in rates.get(fact.id, []):
            involved.add(rate.id)
            implied = _implied(base, fact, rate, found.unit)
            if implied is not None and implied.period not in stated:
                timeline.points.append(implied)
    timeline.points.sort(key=lambda p: (period_key(p.period), p.implied, p.source, p.fact_id))
    if report is not None:
        timeline.findings = [f for f in report.findings if any(ref.id in involved for ref in f.facts)]
    return timeline


def _typed(typed: str, regions: list[str]) -> str | None:
    """The region meant by a name typed in English or with 市 (huzhou, Huzhou City, 湖州市)."""
    wanted = " ".join(typed.strip().casefold().split())
    for region in regions:
        english = english_name(region).casefold()
        if wanted in {region.casefold(), region.removesuffix("市"), region + "市", english, english + " city",
                      english.removesuffix(" city"), english.replace(" ", "")}:
            return region
    return None


def _rates_of(base: FactBase, ids: set[str]) -> dict[str, list[Fact]]:
    found: dict[str, list[Fact]] = defaultdict(list)
    for fact in base.facts.values():
        for kind in ("growth_of", "change_of"):
            target = fact.ref(kind)
            if target in ids and fact.base is None:  # year on year: a year-end base compares another figure
                found[target].append(fact)
    return found


def _number(fact: Fact, metric_unit: str) -> Decimal | None:
    multiplier, unit = parse_unit(metric_unit)
    value = fact.value
    if value.qualifier in ("at_least", "at_most"):
        return None
    try:
        factor = conversion(value, unit)
    except units.UnitMismatch:
        return None
    return value.value * factor / multiplier


def _point(base: FactBase, fact: Fact, metric_unit: str, rates: list[Fact]) -> Point:
    source = base.sources[fact.source]
    return Point(
        period=fact.period or "", text=fact.value.text, number=_number(fact, metric_unit), implied=False,
        fact_id=fact.id, source=source.id, title=source.title, lines=fact.lines, quote=fact.quote,
        region=fact.region or "", cell=fact.cell.label if fact.cell else None,
        rates=tuple(Rate(r.id, "growth_of" if r.ref("growth_of") else "change_of", r.value.text, r.lines)
                    for r in sorted(rates, key=lambda r: r.id)))


def _implied(base: FactBase, current: Fact, rate: Fact, metric_unit: str) -> Point | None:
    """Last year's figure as `rate` and `current` imply it: current ÷ (1 + rate), or current − change."""
    if current.year is None or rate.ref("previous"):
        return None
    try:
        if rate.ref("change_of"):
            if not rate.value.compatible(current.value.unit):
                return None
            f = conversion(rate.value, current.value.unit)
            change = Pair(rate.value.strict().scale(f), rate.value.lenient().scale(f))
            interval = (pair(current.value) - change).strict
        else:
            scale = percent_scale(rate.value)
            if scale is None:
                return None
            growth = pair(rate.value) * Pair.point(scale / 100)
            interval = (pair(current.value) / (Pair(ONE, ONE) + growth)).strict
    except (ZeroDivisor, units.UnitMismatch):
        return None
    if not interval.is_bounded:
        return None
    whole = integers_in(interval, 1) if current.value.is_exact_count else None
    if whole is not None:  # GRIM: last year's count was a whole number
        text = "≈" + (str(whole[0]) if whole[0] == whole[1] else f"{whole[0]}–{whole[1]}")
    elif current.value.multiplier != 1:
        text = "≈" + span(interval.scale(1 / current.value.multiplier), current.value.decimals + 1)
    else:
        text = "≈" + span(interval, current.value.decimals + 1)
    text += unit_of(current.value)
    middle = interval.midpoint()
    number = None
    if middle is not None:
        ratio = _number(current, metric_unit)
        number = middle * ratio / current.value.value if ratio is not None and current.value.value else None
    source = base.sources[rate.source]
    return Point(period=str(current.year - 1), text=text, number=number, implied=True, fact_id=rate.id,
                 source=source.id, title=source.title, lines=rate.lines, quote=rate.quote,
                 region=current.region or "", rates=())


def timeline_lines(timeline: Timeline, review_of: dict[str, str] | None = None) -> list[str]:
    """The timeline as plain text lines, for `ipfacts show --metric M --region R`."""
    spellings = ", ".join(timeline.spellings)
    out = [f"{timeline.name_zh} / {timeline.name_en} ({timeline.metric}) — {timeline.region}"
           + (f" (written {spellings})" if spellings and spellings != timeline.region else ""), ""]
    for period, points in timeline.by_period():
        out.append(period)
        for p in points:
            where = f"{p.cell}, line {p.lines}" if p.cell else f"line {p.lines}"
            if p.implied:
                out.append(f"  {p.text:>14}  implied by {p.fact_id} (《{p.title}》 {where}: {p.quote})")
                continue
            rates = "".join(f", {'growth' if r.kind == 'growth_of' else 'change'} {r.text}" for r in p.rates)
            out.append(f"  {p.text:>14}  《{p.title}》 ({p.source}, {where}): {p.quote}{rates}  [{p.fact_id}]")
    out.append("")
    if timeline.findings:
        out.append(f"{len(timeline.findings)} finding(s) between them:")
        for f in timeline.findings:
            verdict = (review_of or {}).get(f.fingerprint)
            out.append(f"  {f.severity} {f.code} [{f.fingerprint[:8]}]{' (' + verdict + ')' if verdict else ''}: "
                       f"{f.message}")
    else:
        out.append("no finding between them")
    return out
