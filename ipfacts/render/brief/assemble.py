"""A comparison brief as data: what a template shows, every number tied to its source line.

`assemble(base, report, city, ...)` is pure: it reads a FactBase and the checker's
Report and returns a BriefContext tree. Rendering (Markdown, HTML, PDF) and
charts are elsewhere; templates receive this tree (documented in docs/templates.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ipfacts.findings import Finding, Report
from ipfacts.load import units
from ipfacts.load.model import Fact, FactBase
from ipfacts.load.numbers import parse_unit
from ipfacts.render.brief.errors import BriefError
from ipfacts.render.brief.labels import LANGS, Labels, labels
from ipfacts.render.brief.places import english_name, shown_name
from ipfacts.render.brief.regions import CITY, COUNTRY, PROVINCE, Regions, classify

GROWTH = "growth_of"
PER_10K = "per_10k_of"
POPULATION = "population"
# Per-10,000 figures are derived only for metrics counted in these units (patents, trademarks, works):
# "per 10,000 residents" is how IP reports state such counts, not enterprises (家) or loans (笔).
PER_10K_UNITS = ("件",)
MAX_DIFFERENCES = 5
NOTABLE_RATIO = 1.25  # a city value at least this many times a peer's (or at most 1/this) is worth a line


@dataclass
class Note:
    """A footnote: where one number comes from."""

    number: int
    fact_id: str
    value: str  # the value as written
    source_id: str
    source_title: str
    file: str  # the source document's file name (seeds/000_….txt → 000_….txt)
    path: str  # the source's path as sources.yaml gives it
    lines: str  # "56" or "56-57"
    quote: str


@dataclass
class Figure:
    """One number as shown: its text, the footnotes behind it, and a numeric value for charts and ranks."""

    text: str
    notes: list[int]
    value: float | None = None  # in the metric's unit (亿元 stays 亿元)
    derived: bool = False


@dataclass
class Cell:
    region: str
    role: str  # city | peer | context
    period: str | None = None
    figure: Figure | None = None
    growth: Figure | None = None
    per10k: Figure | None = None
    period_differs: bool = False  # a period other than the brief's

    @property
    def reported(self) -> bool:
        return self.figure is not None


@dataclass
class Chart:
    metric: str
    title: str
    caption: str
    alt: str
    svg: str  # a complete, self-contained <svg> element
    filename: str  # for Markdown: written beside the .md


@dataclass
class Row:
    metric: str
    label: str
    unit: str
    kind: str
    city: Cell
    peers: list[Cell]
    context: list[Cell]
    rank: int | None = None
    ranked: int = 0  # how many regions the rank is among
    rank_mixed_periods: bool = False
    chart: Chart | None = None

    @property
    def cells(self) -> list[Cell]:
        return [self.city, *self.peers, *self.context]

    @property
    def compared(self) -> list[Cell]:
        """The city and its peers (not the context regions): what ranks and charts use."""
        return [self.city, *self.peers]


@dataclass
class Difference:
    metric: str
    label: str
    city_value: Figure
    other: str  # the region compared with
    other_value: Figure
    ratio: str  # city ÷ other, as shown ("2.31")
    rank: int | None
    ranked: int
    text: str  # the sentence without footnote marks (for plain text and alt texts)


@dataclass
class PeriodFlag:
    region: str
    periods: list[str]
    metrics: list[str]  # metric labels
    text: str


@dataclass
class FindingItem:
    code: str
    severity: str
    name: str
    title: str
    message: str
    location: str
    notes: list[int]
    review: dict[str, object] | None


@dataclass
class SourceItem:
    id: str
    title: str
    file: str
    path: str
    region: str | None
    period: str | None
    url: str | None
    sha256: str
    notes: list[int]


@dataclass
class BriefContext:
    city: str
    period: str
    lang: str
    peers: list[str]
    context: list[str]  # the country and provinces shown beside the cities, not ranked
    rows: list[Row]
    differences: list[Difference]
    period_flags: list[PeriodFlag]
    findings_open: list[FindingItem]
    findings_reviewed: list[FindingItem]
    sources: list[SourceItem]
    notes: list[Note]
    has_derived: bool
    t: Labels
    title: str
    regions: list[str] = field(default_factory=list)  # city, then peers, then context
    peers_without_figures: list[str] = field(default_factory=list)  # peers reporting none of the city's metrics

    @property
    def charts(self) -> list[Chart]:
        return [row.chart for row in self.rows if row.chart is not None]


# --- selection -------------------------------------------------------------------------------------------


def _period_key(period: str | None) -> tuple[int, str]:
    if period is None:
        return (-1, "")
    digits = "".join(ch for ch in period[:4] if ch.isdigit())
    return (int(digits) if len(digits) == 4 else -1, period)


def _distance(a: str | None, b: str | None) -> float:
    ka, kb = _period_key(a)[0], _period_key(b)[0]
    return abs(ka - kb) if ka >= 0 and kb >= 0 else math.inf


class _Index:
    def __init__(self, base: FactBase) -> None:
        self.base = base
        self.by_key: dict[tuple[str, str | None, str | None], list[Fact]] = base.by_metric_region_period()
        self.periods: dict[tuple[str, str], set[str | None]] = defaultdict(set)  # (metric, region) → periods
        self.region_periods: dict[str, set[str]] = defaultdict(set)
        self.pointing: dict[tuple[str, str], list[Fact]] = defaultdict(list)  # (relation, target) → facts
        for (metric, region, period) in self.by_key:
            if region:
                self.periods[(metric, region)].add(period)
                if period:
                    self.region_periods[region].add(period)
        for fact in base.facts.values():
            for kind in (GROWTH, PER_10K):
                for target in fact.refs(kind):
                    self.pointing[(kind, target)].append(fact)

    def pick(self, metric: str, region: str, period: str | None, lang: str) -> Fact | None:
        facts = self.by_key.get((metric, region, period), [])
        if not facts:
            return None
        return min(facts, key=lambda f: (f.lang != lang, f.value.qualifier is not None, f.id))

    def nearest_period(self, metric: str, region: str, period: str) -> str | None:
        periods = self.periods.get((metric, region), set())
        if period in periods:
            return period
        if not periods:
            return None
        return min(periods, key=lambda p: (_distance(p, period), _period_key(p)[0] > _period_key(period)[0],
                                           _period_key(p)))

    def group(self, fact: Fact) -> list[Fact]:
        assert fact.metric is not None
        return self.by_key.get((fact.metric, fact.region, fact.period), [])

    def pointing_at(self, kind: str, fact: Fact) -> list[Fact]:
        found = [f for member in self.group(fact) for f in self.pointing.get((kind, member.id), [])]
        return sorted(found, key=lambda f: f.id)


# --- numbers -------------------------------------------------------------------------------------------


def in_metric_unit(base: FactBase, fact: Fact) -> float | None:
    """The fact's value in its metric's unit (240.29亿元 → 240.29 for a metric in 亿元)."""
    if fact.metric is None:
        return None
    try:
        multiplier, unit = parse_unit(base.metrics[fact.metric].unit)
        value = fact.value.value
        if unit is not None and fact.value.unit is not None and fact.value.unit != unit:
            value = value * units.factor(fact.value.unit, unit)
        return float(value / multiplier)
    except (units.UnitMismatch, InvalidOperation, ZeroDivisionError, ValueError):
        return None


def _fmt(value: float, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- assembly ------------------------------------------------------------------------------------------


class _Notes:
    def __init__(self, base: FactBase) -> None:
        self.base = base
        self.by_fact: dict[str, Note] = {}
        self.order: list[Note] = []

    def of(self, fact: Fact) -> int:
        note = self.by_fact.get(fact.id)
        if note is None:
            source = self.base.sources[fact.source]
            note = Note(number=len(self.order) + 1, fact_id=fact.id, value=fact.value.text, source_id=source.id,
                        source_title=source.title, file=source.file.rsplit("/", 1)[-1], path=source.file,
                        lines=fact.lines, quote=fact.quote)
            self.by_fact[fact.id] = note
            self.order.append(note)
        return note.number


def regions_of(base: FactBase) -> Regions:
    return classify(base)


def known_cities(base: FactBase) -> list[str]:
    return classify(base).cities


def _known_name(name: str, regions: Regions) -> str:
    """A region as the base names it: 宁波 as given, or found from its English name (Ningbo, ningbo)."""
    if name in regions.levels or not name.isascii():
        return name
    wanted = name.strip().casefold()
    found = [r for r in regions.levels if english_name(r).casefold() == wanted]
    return found[0] if len(found) == 1 else name


def latest_period(base: FactBase, region: str) -> str | None:
    periods = {f.period for f in base.facts.values() if f.region == region and f.metric and f.period}
    return max(periods, key=_period_key) if periods else None


def assemble(base: FactBase, report: Report | None, city: str, peers: list[str] | None = None,
             period: str | None = None, lang: str = "zh") -> BriefContext:
    if lang not in LANGS:
        raise BriefError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    regions = classify(base)
    t = labels(lang)
    city = _known_name(city, regions)
    if regions.levels.get(city) != CITY:
        level = regions.levels.get(city)
        hint = f" ({city} is a {level}, not a city)" if level else ""
        raise BriefError(f"unknown city {city!r}{hint}; known cities: {', '.join(regions.cities) or 'none'}")
    index = _Index(base)
    periods = sorted(index.region_periods.get(city, set()), key=_period_key)
    if not periods:
        raise BriefError(f"{city} has no facts with a metric; nothing to compare")
    if period is None:
        period = periods[-1]
    elif period not in periods:
        raise BriefError(f"{city} has no facts for period {period!r}; its periods: {', '.join(periods)}")
    if peers is None:
        peer_list = [c for c in regions.cities if c != city]
        context = regions.context
    else:
        peers = [_known_name(p, regions) for p in peers]
        unknown = [p for p in peers if p not in regions.levels]
        if unknown:
            raise BriefError(f"unknown peer {unknown[0]!r}; known regions: {', '.join(regions.all)}")
        peer_list = list(dict.fromkeys(p for p in peers if p != city))
        context = [p for p in peer_list if regions.levels[p] in (PROVINCE, COUNTRY)]
        peer_list = [p for p in peer_list if regions.levels[p] not in (PROVINCE, COUNTRY)]

    notes = _Notes(base)
    rows: list[Row] = []
    population = _Populations(base, index, notes)
    city_metrics = [m for m in base.metrics if index.pick(m, city, period, lang) is not None]
    for metric in city_metrics:
        spec = base.metrics[metric]
        row = Row(metric=metric, label=spec.zh if lang == "zh" else spec.en, unit=spec.unit, kind=spec.kind,
                  city=_cell(base, index, notes, population, metric, city, "city", period, lang),
                  peers=[_cell(base, index, notes, population, metric, p, "peer", period, lang) for p in peer_list],
                  context=[_cell(base, index, notes, population, metric, p, "context", period, lang)
                           for p in context])
        rows.append(row)
    # A peer (or context region) that reports none of the city's metrics gets no column; it is named apart.
    silent = [p for n, p in enumerate(peer_list) if all(row.peers[n].figure is None for row in rows)]
    silent += [p for n, p in enumerate(context) if all(row.context[n].figure is None for row in rows)]
    if silent:
        keep_peers = [n for n, p in enumerate(peer_list) if p not in silent]
        keep_context = [n for n, p in enumerate(context) if p not in silent]
        peer_list = [peer_list[n] for n in keep_peers]
        context = [context[n] for n in keep_context]
        for row in rows:
            row.peers = [row.peers[n] for n in keep_peers]
            row.context = [row.context[n] for n in keep_context]
    for row in rows:
        _rank(row)
    # From here on regions are shown, not looked up: in the brief's language (Ningbo in an English brief).
    shown = {r: shown_name(r, lang) for r in (city, *peer_list, *context, *silent)}
    for row in rows:
        for cell in row.cells:
            cell.region = shown[cell.region]

    brief = BriefContext(
        city=shown[city], period=period, lang=lang, peers=[shown[p] for p in peer_list],
        context=[shown[c] for c in context], rows=rows,
        differences=_differences(rows, t), period_flags=_period_flags(rows, shown[city], period, t),
        findings_open=[], findings_reviewed=[], sources=[], notes=notes.order,
        has_derived=any(c.per10k is not None and c.per10k.derived for r in rows for c in r.cells), t=t,
        title=t.f("title", city=shown[city], period=period),
        regions=[shown[r] for r in (city, *peer_list, *context)], peers_without_figures=[shown[s] for s in silent])
    if report is not None:
        _findings(base, report, brief, notes, city, period)
    brief.sources = _sources(base, notes.order, lang)
    from ipfacts.render.brief.charts import chart_for

    for n, row in enumerate(brief.rows, 1):
        row.chart = chart_for(row, brief, n)
    return brief


def _cell(base: FactBase, index: _Index, notes: _Notes, population: _Populations, metric: str, region: str,
          role: str, period: str, lang: str) -> Cell:
    chosen = index.nearest_period(metric, region, period)
    cell = Cell(region=region, role=role, period=chosen, period_differs=chosen is not None and chosen != period)
    if chosen is None:
        return cell
    fact = index.pick(metric, region, chosen, lang)
    if fact is None:
        return cell
    cell.figure = Figure(fact.value.text, [notes.of(fact)], in_metric_unit(base, fact))
    growth = [g for g in index.pointing_at(GROWTH, fact)]
    if growth:
        g = min(growth, key=lambda f: (f.lang != lang, f.id))
        text = g.value.text
        if not g.value.negative and not text.startswith(("+", "-", "−")):
            text = "+" + text
        cell.growth = Figure(text, [notes.of(g)], float(g.value.value))
    stated = index.pointing_at(PER_10K, fact)
    if stated:
        p = min(stated, key=lambda f: (f.lang != lang, f.id))
        cell.per10k = Figure(p.value.text, [notes.of(p)], float(p.value.value))
    elif base.metrics[metric].kind in ("stock", "flow") and base_unit_label(base, fact) in PER_10K_UNITS:
        cell.per10k = population.derive(fact)
    return cell


class _Populations:
    """Resident population of a region and period, in 万人: stated, else implied by a per-10,000 figure."""

    def __init__(self, base: FactBase, index: _Index, notes: _Notes) -> None:
        self.base, self.index, self.notes = base, index, notes
        self.cache: dict[tuple[str | None, str | None], tuple[Decimal, list[Fact]] | None] = {}

    def of(self, region: str | None, period: str | None) -> tuple[Decimal, list[Fact]] | None:
        key = (region, period)
        if key not in self.cache:
            self.cache[key] = self._find(region, period)
        return self.cache[key]

    def _find(self, region: str | None, period: str | None) -> tuple[Decimal, list[Fact]] | None:
        from ipfacts.check.relations.base import Context
        from ipfacts.check.relations.per10k import implied_population, population_in_wan

        for fact in sorted(self.index.by_key.get((POPULATION, region, period), []), key=lambda f: f.id):
            try:
                mid = population_in_wan(fact).strict.midpoint()
            except units.UnitMismatch:
                continue
            if mid:
                return mid, [fact]
        ctx = Context(self.base)
        for fact in sorted(ctx.per_10k.get((region, period), []), key=lambda f: f.id):
            try:
                implied = implied_population(ctx, fact)
                mid = implied.population.strict.midpoint()
            except (units.UnitMismatch, ArithmeticError):
                continue
            if mid:
                return mid, [fact, implied.stock]
        return None

    def derive(self, fact: Fact) -> Figure | None:
        found = self.of(fact.region, fact.period)
        if found is None:
            return None
        wan, basis = found
        try:
            value = float(fact.value.value / wan)
        except (InvalidOperation, ZeroDivisionError):
            return None
        unit = base_unit_label(self.base, fact)
        return Figure(f"≈{_fmt(value)}{unit}", [self.notes.of(fact)] + [self.notes.of(f) for f in basis],
                      value, derived=True)


def base_unit_label(base: FactBase, fact: Fact) -> str:
    """The unit word of a count metric without its multiplier (万件 → 件)."""
    assert fact.metric is not None
    unit = base.metrics[fact.metric].unit
    return unit.lstrip("万亿千百")


def _rank(row: Row) -> None:
    valued = [c for c in row.compared if c.figure is not None and c.figure.value is not None]
    if len(valued) < 2 or row.city.figure is None or row.city.figure.value is None:
        return
    city_value = row.city.figure.value
    row.rank = 1 + sum(1 for c in valued if c is not row.city and c.figure and (c.figure.value or 0) > city_value)
    row.ranked = len(valued)
    row.rank_mixed_periods = any(c.period_differs for c in valued)


def _differences(rows: list[Row], t: Labels) -> list[Difference]:
    found: list[tuple[float, Difference]] = []
    for row in rows:
        city = row.city.figure
        if row.rank is None or city is None or city.value is None or city.value <= 0:
            continue
        others = [c for c in row.peers if c.figure is not None and c.figure.value and c.figure.value > 0]
        if not others:
            continue
        # Compare with the leader, or with the runner-up when the city leads.
        other = max(others, key=lambda c: c.figure.value if c.figure and c.figure.value else 0.0)
        assert other.figure is not None and other.figure.value is not None
        ratio = city.value / other.figure.value
        if 1 / NOTABLE_RATIO < ratio < NOTABLE_RATIO:
            continue
        shown = f"{ratio:.2f}"
        text = t.f("diff_lead", metric=row.label, city=row.city.region, city_value=city.text, other=other.region,
                   other_value=other.figure.text, ratio=shown)
        if row.rank == 1:
            text += t.diff_rank_first
        elif row.rank == row.ranked:
            text += t.diff_rank_last
        found.append((abs(math.log(ratio)), Difference(row.metric, row.label, city, other.region, other.figure,
                                                       shown, row.rank, row.ranked, text)))
    found.sort(key=lambda item: -item[0])
    return [d for _, d in found[:MAX_DIFFERENCES]]


def _period_flags(rows: list[Row], city: str, period: str, t: Labels) -> list[PeriodFlag]:
    by_region: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for cell in row.peers + row.context:
            if cell.period_differs and cell.period:
                by_region[cell.region][cell.period].append(row.label)
    flags = []
    for region, per in by_region.items():
        periods = sorted(per, key=_period_key)
        metrics = list(dict.fromkeys(label for p in periods for label in per[p]))
        text = t.f("period_mixed", region=region, metrics=t.sep.join(metrics), periods="/".join(periods), city=city,
                   period=period)
        flags.append(PeriodFlag(region, periods, metrics, text))
    return flags


def _findings(base: FactBase, report: Report, brief: BriefContext, notes: _Notes, city: str, period: str) -> None:
    shown = {fact_id for cell_row in brief.rows for fact_id in _row_city_facts(cell_row, notes)}
    touching = {f.id for f in base.facts.values() if f.region == city and f.period == period} | shown
    for finding in report.findings:
        ids = [ref.id for ref in finding.facts]
        if not any(i in touching for i in ids):
            continue
        item = _finding_item(base, finding, notes, report.review_of(finding))
        (brief.findings_reviewed if report.review_of(finding) is not None else brief.findings_open).append(item)


def _row_city_facts(row: Row, notes: _Notes) -> list[str]:
    by_number = {n.number: n.fact_id for n in notes.order}
    figures = [row.city.figure, row.city.growth, row.city.per10k]
    return [by_number[n] for f in figures if f is not None for n in f.notes]


def _finding_item(base: FactBase, finding: Finding, notes: _Notes, review: dict[str, object] | None) -> FindingItem:
    numbers = [notes.of(base.facts[ref.id]) for ref in finding.facts if ref.id in base.facts]
    loc = finding.location
    return FindingItem(code=finding.code, severity=finding.severity, name=finding.name, title=finding.title,
                       message=finding.message, location=str(loc) if loc else "", notes=numbers,
                       review=dict(review) if review else None)


def _sources(base: FactBase, used: list[Note], lang: str) -> list[SourceItem]:
    by_source: dict[str, list[int]] = defaultdict(list)
    for note in used:
        by_source[note.source_id].append(note.number)
    out = []
    for source_id, numbers in by_source.items():
        s = base.sources[source_id]
        out.append(SourceItem(id=s.id, title=s.title, file=s.file.rsplit("/", 1)[-1], path=s.file,
                              region=shown_name(s.region, lang) if s.region else s.region,
                              period=s.period, url=s.url, sha256=s.sha256, notes=numbers))
    return sorted(out, key=lambda s: s.id)
