"""A comparison brief as data: what a template shows, every number tied to its source line.

`assemble(base, report, city, ...)` is pure. It reads a FactBase and the checker's
Report and returns a BriefContext, in small steps:

    peers (choose_peers) → rows (one per metric the city reports) → ranks (like for like only)
    → per-10,000 figures (only where the metric says they mean something) → differences → lede

Numbers stay exact Decimals all the way to the template; charts are drawn when the brief
is rendered (charts.py), from the ChartSpec each headline row carries. The tree is
documented in docs/templates.md, and `brief_json` (tojson.py) writes it as data.

The rule throughout: a number is only honest in context. Two figures are ranked, charted
or contrasted only when they carry the same metric key (one definition, metrics.yaml), the
same period and commensurable units; every figure shown but not compared says why.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation

from ipfacts.findings import Finding, Report
from ipfacts.findings.details import RelationDetails
from ipfacts.load import periods, units
from ipfacts.load.model import Fact, FactBase, Metric
from ipfacts.load.numbers import conversion, parse_unit
from ipfacts.load.words import APPROX
from ipfacts.render.brief.errors import BriefError
from ipfacts.render.brief.labels import LANGS, Labels, labels
from ipfacts.render.brief.names import resolve_region
from ipfacts.render.brief.places import shown_name
from ipfacts.render.brief.regions import (
    CITY,
    COUNTRY,
    COUNTRY_NAMES,
    PROVINCE,
    Hierarchy,
    Regions,
    classify,
    load_hierarchy,
)
from ipfacts.render.brief.wording import (
    finding_words,
    plain,
    round_significant,
    shown_value,
    significant_digits,
    unit_label,
    verdict_words,
)

GROWTH = "growth_of"
PER_10K = "per_10k_of"
POPULATION = "population"
MAX_PEERS = 8  # a brief compares a city with a handful of peers, never with a whole country of cities
MAX_DIFFERENCES = 5
MAX_KEY_NUMBERS = 6
MAX_LEDE_ITEMS = 3  # a sentence of the lede names at most this many indicators
NOTABLE_RATIO = Decimal("1.25")  # a city value at least this many times a peer's (or at most 1/this) is worth a line
MIN_CHART_VALUES = 3
MIN_DIGITS = 2  # a derived figure needs inputs of at least two significant digits


# --- the tree ------------------------------------------------------------------------------------------


@dataclass
class Citation:
    """Where one number comes from: the publication, the line, the quote."""

    number: int
    fact_id: str
    value: str  # as written
    source: str  # source id
    title: str
    file: str  # the document's file name (seeds/000_….txt → 000_….txt): for the sources list only
    path: str
    line: int
    end_line: int
    quote: str
    text: str  # as a writer pastes it: 《title》第31行："quote"

    @property
    def lines(self) -> str:
        return str(self.line) if self.line == self.end_line else f"{self.line}-{self.end_line}"


@dataclass
class Figure:
    """One number as shown: as written, in the brief's notation, its exact value and its citations."""

    fact_id: str
    region: str  # shown name
    period: str | None
    value: str  # as written in the source
    text: str  # as the brief prints it (= value in Chinese; 392,000 in English)
    citations: list[int]
    number: Decimal | None = None  # in the metric's unit (240.29亿元 → 240.29 for a metric in 亿元)
    exact: bool = True  # no 超/余/近 bound: can be ordered
    derived: bool = False
    inferred: bool = False
    notes: list[str] = field(default_factory=list)  # curators' notes that qualify the figure


@dataclass
class Population:
    region: str
    period: str | None
    value: Decimal  # 万人
    text: str  # as printed (343.9万人 / 3.439 million)
    how: str  # stated | implied
    explanation: str
    citations: list[int]
    digits: int = 4  # significant digits its inputs carry: a figure derived from it carries no more


@dataclass
class Per10k:
    value: Decimal
    text: str
    basis: str  # stated | derived
    population: Population | None
    citations: list[int]


@dataclass
class Cell:
    region: str  # shown name
    key: str  # the region as the base names it
    role: str  # city | peer | context
    period: str | None = None
    figure: Figure | None = None
    growth: Figure | None = None
    per10k: Per10k | None = None
    rank: int | None = None
    unranked_reason: str | None = None
    previous: Figure | None = None  # the previous period's value, stated in the base or inferred from growth
    other_periods: list[Figure] = field(default_factory=list)  # the same region's figures for other periods

    @property
    def reported(self) -> bool:
        return self.figure is not None


@dataclass
class Bar:
    region: str
    value: Decimal
    text: str
    city: bool


@dataclass
class ChartSpec:
    """What a chart draws: like figures only (same metric, same period); drawn at render time."""

    metric: str
    title: str
    caption: str
    alt: str
    unit: str
    bars: list[Bar]
    per10k: list[Bar]  # beside the absolute bars, where per-10,000 means something
    left_out: list[tuple[str, str]]  # (region, why not drawn)
    filename: str

    @property
    def regions(self) -> list[str]:
        return [b.region for b in self.bars]


@dataclass
class Row:
    metric: str
    label: str
    unit: str
    kind: str
    headline: bool
    definition: str  # what the metric counts, in the brief's language
    per_10k_meaningful: bool
    city: Cell
    peers: list[Cell]
    context: list[Cell]
    ranked: int = 0  # how many figures the rank is among
    chart: ChartSpec | None = None
    chart_reason: str | None = None  # why a headline row has no chart

    @property
    def cells(self) -> list[Cell]:
        return [self.city, *self.peers, *self.context]

    @property
    def compared(self) -> bool:
        """Whether any other region has a figure on this row (else it is the city's figure alone)."""
        return any(c.figure is not None for c in (*self.peers, *self.context))

    @property
    def unranked(self) -> list[Cell]:
        """The city's and the peers' figures that are not ranked, each with its reason."""
        return [c for c in (self.city, *self.peers) if c.figure is not None and c.rank is None]

    @property
    def rank(self) -> int | None:
        return self.city.rank


@dataclass
class Difference:
    metric: str
    label: str
    text: str  # a sentence a writer can quote (citations beside it, not in it)
    city_figure: Figure
    other_figure: Figure
    ratio: Decimal  # larger ÷ smaller, rounded to 2 decimals
    citations: list[int]


@dataclass
class Sentence:
    text: str
    citations: list[int]


@dataclass
class KeyNumber:
    label: str
    figure: Figure
    rank: str | None


@dataclass
class FindingItem:
    code: str
    severity: str
    text: str  # in the brief's language: which figure, what is wrong
    detail: str  # the checker's own numbers (reported / expected)
    verdict: str | None  # the editors' verdict in words
    verdict_note: str | None
    reviewer: str | None
    date: str | None
    citations: list[int]


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
    citations: list[int]


@dataclass
class UnrankedShared:
    region: str
    period: str | None
    reason: str
    labels: list[str]  # the rows it holds for


@dataclass
class UnrankedNotes:
    own: dict[str, list[Cell]]  # metric → the unranked cells whose reason is said on the row
    shared: list[UnrankedShared]

    def of(self, row: Row) -> list[Cell]:
        return self.own.get(row.metric, [])


@dataclass
class BriefContext:
    city: str
    city_key: str
    period: str
    lang: str
    t: Labels
    title: str
    peers: list[str]
    peer_rule: str  # how the peers were chosen, in words
    context: list[str]
    rows: list[Row]  # headline rows first, then the appendix
    differences: list[Difference]
    lede: list[Sentence]
    key_numbers: list[KeyNumber]
    populations: list[Population]
    findings_open: list[FindingItem]
    findings_reviewed: list[FindingItem]
    sources: list[SourceItem]
    citations: list[Citation]
    periods: list[str]  # every period the base holds for the city
    peers_without_figures: list[str] = field(default_factory=list)
    peers_left_out: int = 0  # peers beyond MAX_PEERS
    max_peers: int = MAX_PEERS

    @property
    def headline_rows(self) -> list[Row]:
        return [r for r in self.rows if r.headline]

    @property
    def appendix_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.headline]

    @property
    def appendix_compared(self) -> list[Row]:
        """The appendix rows with another region's figure: a table."""
        return [r for r in self.appendix_rows if r.compared]

    @property
    def appendix_alone(self) -> list[Row]:
        """The appendix rows with the city's figure only: a list (nothing to compare, nothing ranked)."""
        return [r for r in self.appendix_rows if not r.compared]

    def unranked_notes(self, rows: list[Row]) -> UnrankedNotes:
        """Why figures are not ranked, for a table's notes: a reason that holds for one region on several
        rows is said once, naming the rows; the others stay with their row."""
        by_reason: dict[tuple[str, str | None, str], list[Row]] = {}
        for row in rows:
            for cell in row.unranked:
                by_reason.setdefault((cell.region, cell.period, cell.unranked_reason or ""), []).append(row)
        shared = [UnrankedShared(region, period, reason, [r.label for r in on])
                  for (region, period, reason), on in by_reason.items() if len(on) > 1]
        common = {(u.region, u.period, u.reason) for u in shared}
        own = {row.metric: [c for c in row.unranked if (c.region, c.period, c.unranked_reason or "") not in common]
               for row in rows}
        return UnrankedNotes(own, shared)

    @property
    def charts(self) -> list[ChartSpec]:
        return [r.chart for r in self.rows if r.chart is not None]

    @property
    def has_derived(self) -> bool:
        return any(c.per10k is not None and c.per10k.basis == "derived" for r in self.rows for c in r.cells)

    def citation(self, number: int) -> Citation:
        return self.citations[number - 1]


# --- periods ---------------------------------------------------------------------------------------------


def _year(period: str | None) -> int | None:
    if period is None:
        return None
    digits = period[:4]
    return int(digits) if len(digits) == 4 and digits.isdigit() else None


def _period_key(period: str | None) -> tuple[int, str]:
    year = _year(period)
    return (year if year is not None else -1, period or "")


def latest_period(base: FactBase, region: str) -> str | None:
    periods = {f.period for f in base.facts.values() if f.region == region and f.metric and f.period}
    return max(periods, key=_period_key) if periods else None


# --- step 0: an index of the facts a brief reads ---------------------------------------------------------


class _Index:
    """Facts by (metric, region, period), and which facts point at which with growth_of / per_10k_of."""

    def __init__(self, base: FactBase) -> None:
        self.by_key: dict[tuple[str, str | None, str | None], list[Fact]] = defaultdict(list)
        self.periods: dict[tuple[str, str], set[str | None]] = defaultdict(set)
        self.pointing: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        self.per_10k_by_region: dict[tuple[str | None, str | None], list[Fact]] = defaultdict(list)
        for fact in base.facts.values():
            if fact.metric:
                self.by_key[(fact.metric, fact.region, fact.period)].append(fact)
                if fact.region:
                    self.periods[(fact.metric, fact.region)].add(fact.period)
            if fact.relations:
                for kind in (GROWTH, PER_10K):
                    for target in fact.refs(kind):
                        self.pointing[(kind, target)].append(fact)
                if PER_10K in fact.relations:
                    self.per_10k_by_region[(fact.region, fact.period)].append(fact)

    def pick(self, metric: str, region: str, period: str | None, lang: str) -> Fact | None:
        facts = self.by_key.get((metric, region, period))
        if not facts:
            return None
        return min(facts, key=lambda f: (f.lang != lang, f.value.qualifier is not None, f.id))

    def periods_of(self, metric: str, region: str) -> list[str | None]:
        return sorted(self.periods.get((metric, region), set()), key=_period_key)

    def nearest_period(self, metric: str, region: str, period: str) -> str | None:
        periods = self.periods_of(metric, region)
        if period in periods:
            return period
        if not periods:
            return None
        wanted = _year(period)

        def distance(p: str | None) -> tuple[float, bool, tuple[int, str]]:
            year = _year(p)
            gap = abs(year - wanted) if year is not None and wanted is not None else float("inf")
            return (gap, year is not None and wanted is not None and year > wanted, _period_key(p))

        return min(periods, key=distance)

    def pointing_at(self, kind: str, fact: Fact) -> list[Fact]:
        """Facts declaring `kind` of this fact or of another fact with the same metric, region and period."""
        assert fact.metric is not None
        group = self.by_key.get((fact.metric, fact.region, fact.period), [fact])
        return sorted((f for member in group for f in self.pointing.get((kind, member.id), [])), key=lambda f: f.id)


# --- citations -------------------------------------------------------------------------------------------


class _Citations:
    def __init__(self, base: FactBase, t: Labels) -> None:
        self.base, self.t = base, t
        self.by_fact: dict[str, Citation] = {}
        self.order: list[Citation] = []

    def of(self, fact: Fact) -> int:
        found = self.by_fact.get(fact.id)
        if found is None:
            source = self.base.sources[fact.source]
            lines = str(fact.line_from) if fact.line_from == fact.line_to else f"{fact.line_from}–{fact.line_to}"
            text = self.t.f("cite", title=source.title, lines=lines, quote=fact.quote)
            found = Citation(number=len(self.order) + 1, fact_id=fact.id, value=fact.value.text, source=source.id,
                             title=source.title, file=source.file.rsplit("/", 1)[-1], path=source.file,
                             line=fact.line_from, end_line=fact.line_to, quote=fact.quote, text=text)
            self.by_fact[fact.id] = found
            self.order.append(found)
        return found.number


# --- numbers ---------------------------------------------------------------------------------------------


def in_metric_unit(metric: Metric, fact: Fact) -> Decimal | None:
    """The fact's exact value in its metric's unit (240.29亿元 → 240.29 for a metric in 亿元); None when the
    units cannot be converted. A classifier the metric `accepts` (案件 in 起 or 件) counts the same things;
    any other classifier does not (件次 is not 件: transactions are not patents)."""
    registry = fact.value.units
    multiplier, unit = parse_unit(metric.unit, registry)
    value = fact.value.value
    written = fact.value.unit
    if written is not None and unit is not None and written != unit:
        accepted = {parse_unit(a, registry)[1] for a in metric.accepts}
        if registry.is_count(unit) and registry.is_count(written):
            if written not in accepted:
                return None
        else:
            try:
                value = value * conversion(fact.value, unit)
            except units.UnitMismatch:
                return None
    try:
        return value / multiplier
    except (InvalidOperation, DivisionByZero):
        return None


def _caveats(fact: Fact, lang: str) -> list[str]:
    """The fact's caveat for readers (`caveat_zh`, `caveat_en`), in the brief's language — or in the other
    one when it is given only there: a caveat is never dropped for want of a translation. The editors'
    `note` stays out of briefs."""
    mine, other = (fact.caveat_en, fact.caveat_zh) if lang == "en" else (fact.caveat_zh, fact.caveat_en)
    caveat = mine or other
    return [caveat] if caveat else []


# --- step 1: peers ---------------------------------------------------------------------------------------


@dataclass
class PeerChoice:
    peers: list[str]
    context: list[str]
    rule: str
    left_out: int = 0


def choose_peers(regions: Regions, hierarchy: Hierarchy, city: str, asked: list[str] | None, t: Labels,
                 lang: str) -> PeerChoice:
    """The city's peers: as asked (names or `group:NAME`), else the cities of its own province (from
    facts/regions.yaml), else its first declared group, bounded by MAX_PEERS. The province and the
    nation are context, shown beside the figures, never ranked."""
    province = hierarchy.province_of(city)
    context = list(regions.of_level(COUNTRY))
    if province and regions.levels.get(province) == PROVINCE:
        context.append(province)
    elif not hierarchy.declared:  # which province is the city's? Not known: every province, for scale
        context += regions.provinces
    if asked:
        chosen: list[str] = []
        rules = []
        for name in asked:
            if name.startswith(("group:", "组:")):
                group = name.split(":", 1)[1].strip()
                if group not in hierarchy.groups:
                    known = ", ".join(hierarchy.groups) or "none (declare them in facts/regions.yaml)"
                    raise BriefError(f"unknown peer group {group!r}; known groups: {known}")
                chosen += hierarchy.groups[group]
                rules.append(t.f("peers_group", group=group))
            else:
                chosen.append(resolve_region(name, regions, hierarchy, lang, what="peer"))
        chosen = list(dict.fromkeys(p for p in chosen if p != city))
        context = list(dict.fromkeys([*[p for p in chosen if regions.levels.get(p) in (PROVINCE, COUNTRY)]]))
        peers = [p for p in chosen if regions.levels.get(p) == CITY]
        rule = t.sep.join(rules) if rules else t.peers_asked
    elif hierarchy.declared and province:
        peers = [c for c in regions.cities if c != city and hierarchy.province_of(c) == province]
        rule = t.f("peers_province", province=shown_name(province, lang))
        if not peers:
            for group in hierarchy.groups_of(city):
                peers = [c for c in hierarchy.groups[group] if c != city and regions.levels.get(c) == CITY]
                if peers:
                    rule = t.f("peers_group", group=group)
                    break
    elif hierarchy.declared:
        peers = []
        rule = t.peers_none
        for group in hierarchy.groups_of(city):
            peers = [c for c in hierarchy.groups[group] if c != city and regions.levels.get(c) == CITY]
            if peers:
                rule = t.f("peers_group", group=group)
                break
    else:
        peers = [c for c in regions.cities if c != city]
        rule = t.peers_all
    left_out = max(len(peers) - MAX_PEERS, 0)
    return PeerChoice(peers[:MAX_PEERS], context, rule, left_out)


# --- step 2: rows ----------------------------------------------------------------------------------------


@dataclass
class _Step:
    """What every step reads: the base, its index, the brief's language, and the citations being numbered."""

    base: FactBase
    index: _Index
    lang: str
    t: Labels
    cites: _Citations
    period: str
    populations: dict[tuple[str | None, str | None], Population | None] = field(default_factory=dict)

    def name(self, region: str) -> str:
        if region in COUNTRY_NAMES:  # the nationwide figure, labelled as such, not a place in a list
            return self.t.nationwide
        return shown_name(region, self.lang)

    def figure(self, fact: Fact, metric: Metric | None) -> Figure:
        return Figure(fact_id=fact.id, region=self.name(fact.region or ""), period=fact.period,
                      value=fact.value.text, text=shown_value(fact.value, self.lang),
                      citations=[self.cites.of(fact)],
                      number=in_metric_unit(metric, fact) if metric is not None else fact.value.value,
                      exact=fact.value.qualifier in (None, APPROX), notes=_caveats(fact, self.lang))


def build_rows(step: _Step, city: str, peers: list[str], context: list[str]) -> list[Row]:
    base, index = step.base, step.index
    rows = []
    headline_declared = any(m.headline for m in base.metrics.values())
    for key, metric in base.metrics.items():
        if key == POPULATION or index.pick(key, city, step.period, step.lang) is None:
            continue
        cells = [_cell(step, metric, city, "city")]
        cells += [_cell(step, metric, p, "peer") for p in peers]
        cells += [_cell(step, metric, c, "context") for c in context]
        definition = (metric.counts_en if step.lang == "en" else metric.counts_zh) or ""
        rows.append(Row(metric=key, label=metric.en if step.lang == "en" else metric.zh,
                        unit=unit_label(metric.unit, step.lang),
                        kind=metric.kind, headline=metric.headline or not headline_declared, definition=definition,
                        per_10k_meaningful=metric.per_10k, city=cells[0], peers=cells[1:1 + len(peers)],
                        context=cells[1 + len(peers):]))
    rows.sort(key=lambda r: not r.headline)  # headline rows first, each group in vocabulary order
    return rows


def _cell(step: _Step, metric: Metric, region: str, role: str) -> Cell:
    index = step.index
    chosen = index.nearest_period(metric.key, region, step.period)
    cell = Cell(region=step.name(region), key=region, role=role, period=chosen)
    if chosen is None:
        return cell
    fact = index.pick(metric.key, region, chosen, step.lang)
    if fact is None:
        return cell
    cell.figure = step.figure(fact, metric)
    growth = index.pointing_at(GROWTH, fact)
    if growth:
        g = min(growth, key=lambda f: (f.lang != step.lang, f.id))
        shown = step.figure(g, None)
        if not g.value.negative and not shown.text.startswith(("+", "-", "−", "more", "about", "up", "nearly")):
            shown.text = "+" + shown.text
        if g.base == "year-end":  # the column says 同比 (year on year): a change since last year-end says so
            shown.text = f"{periods.growth_label(g.base, step.lang)} {shown.text}"
        cell.growth = shown
    if role == "city":
        cell.other_periods = [step.figure(f, metric) for p in index.periods_of(metric.key, region) if p != chosen
                              if (f := index.pick(metric.key, region, p, step.lang)) is not None]
        cell.previous = _previous(step, metric, fact, cell)
    cell.per10k = _per10k(step, metric, fact)
    return cell


def _previous(step: _Step, metric: Metric, fact: Fact, cell: Cell) -> Figure | None:
    """The previous year's value: stated in the base, else inferred from the growth rate (marked inferred)."""
    year = _year(fact.period)
    if year is None:
        return None
    stated = step.index.pick(metric.key, fact.region or "", str(year - 1), step.lang)
    if stated is not None:
        return step.figure(stated, metric)
    if cell.growth is None or cell.figure is None or cell.figure.number is None or not cell.figure.exact:
        return None
    growth = step.index.pointing_at(GROWTH, fact)[0]
    if growth.value.unit != "percent" or growth.value.qualifier is not None:
        return None
    try:
        previous = cell.figure.number / (1 + growth.value.value / 100)
    except (InvalidOperation, DivisionByZero):
        return None
    digits = min(significant_digits(fact.value), significant_digits(growth.value))
    value = round_significant(previous, digits)
    unit = metric.unit
    text = step.t.f("inferred_value", value=plain(value, group=step.lang == "en"), unit=unit if step.lang == "zh" else "")
    return Figure(fact_id=fact.id, region=cell.region, period=str(year - 1), value=text, text=text.strip(),
                  citations=[step.cites.of(fact), step.cites.of(growth)], number=value, inferred=True)


# --- per 10,000 residents --------------------------------------------------------------------------------


def _per10k(step: _Step, metric: Metric, fact: Fact) -> Per10k | None:
    if not metric.per_10k:
        return None
    stated = step.index.pointing_at(PER_10K, fact)
    if stated:
        p = min(stated, key=lambda f: (f.lang != step.lang, f.id))
        return Per10k(p.value.value, shown_value(p.value, step.lang), "stated", None, [step.cites.of(p)])
    if fact.value.qualifier is not None:
        return None
    population = population_of(step, fact.region, fact.period)
    if population is None:
        return None
    try:
        number = fact.value.value / population.value
    except (InvalidOperation, DivisionByZero):
        return None
    digits = min(significant_digits(fact.value), population.digits)
    if digits < MIN_DIGITS:  # 20万件 → a population to one figure: a rate from it would say nothing
        return None
    value = round_significant(number, digits)
    text = "≈" + plain(value, group=step.lang == "en")
    return Per10k(value, text, "derived", population, [step.cites.of(fact), *population.citations])


def population_of(step: _Step, region: str | None, period: str | None) -> Population | None:
    """Resident population in 万人: stated by a `population` fact, else implied by a per-10,000 figure and the
    stock it divides (21579件 ÷ 62.75件 per 10,000 → 343.9万). Looked up once per region and period."""
    key = (region, period)
    if key not in step.populations:
        step.populations[key] = _find_population(step, region, period)
    return step.populations[key]


def _find_population(step: _Step, region: str | None, period: str | None) -> Population | None:
    base, t = step.base, step.t
    for fact in sorted(step.index.by_key.get((POPULATION, region, period), []), key=lambda f: f.id):
        if fact.value.qualifier is not None or fact.value.unit not in ("人", None):
            continue
        wan = fact.value.value / 10000
        if wan > 0:
            digits = significant_digits(fact.value)
            return Population(step.name(region or ""), period, wan, _population_text(wan, digits, step.lang),
                              "stated", t.f("population_stated", value=fact.value.text),
                              [step.cites.of(fact)], digits)
    candidates = []
    for rate in step.index.per_10k_by_region.get((region, period), []):
        stock = base.facts.get(rate.ref(PER_10K) or "")
        if stock is None or stock.value.qualifier is not None or rate.value.qualifier is not None:
            continue
        if rate.value.value <= 0 or rate.value.unit != stock.value.unit:
            continue
        digits = min(significant_digits(stock.value), significant_digits(rate.value))
        candidates.append((-digits, rate.id, rate, stock))
    for _, _, rate, stock in sorted(candidates, key=lambda c: (c[0], c[1]))[:1]:  # the most precise
        wan = stock.value.value / rate.value.value
        digits = min(significant_digits(stock.value), significant_digits(rate.value))
        label = base.metrics[rate.metric].zh if rate.metric and step.lang == "zh" else (
            base.metrics[rate.metric].en if rate.metric else rate.key)
        explanation = t.f("population_implied", stock=shown_value(stock.value, step.lang),
                          rate=shown_value(rate.value, step.lang), label=label)
        return Population(step.name(region or ""), period, wan, _population_text(wan, digits, step.lang), "implied",
                          explanation, [step.cites.of(rate), step.cites.of(stock)], digits)
    return None


def _population_text(wan: Decimal, digits: int, lang: str) -> str:
    rounded = round_significant(wan, digits)
    if lang == "en":
        return f"about {plain(round_significant(wan / 100, digits))} million"
    return f"约{plain(rounded, group=False)}万人"


# --- step 3: ranks ---------------------------------------------------------------------------------------


def rank_row(row: Row, t: Labels, period: str) -> None:
    """Rank the figures that are like the city's: same metric (so one definition), same period, a value in the
    metric's unit, no bound (超/余/近). Every other figure gets its reason."""
    candidates: list[Cell] = []
    for cell in row.cells:
        reason = _unlike(cell, t, period)
        if reason is None:
            candidates.append(cell)
        else:
            cell.unranked_reason = reason
    if row.city not in candidates or len(candidates) < 2:
        for cell in candidates:
            cell.unranked_reason = t.unranked_alone if cell is row.city else t.unranked_city_not_comparable
        return
    values = [c.figure.number for c in candidates if c.figure is not None and c.figure.number is not None]
    for cell in candidates:
        assert cell.figure is not None and cell.figure.number is not None
        cell.rank = 1 + sum(1 for v in values if v > cell.figure.number)
    row.ranked = len(candidates)


def _unlike(cell: Cell, t: Labels, period: str) -> str | None:
    figure = cell.figure
    if figure is None:
        return t.unranked_missing
    if cell.role == "context":
        return t.unranked_context
    if cell.period != period:
        return t.f("unranked_period", period=cell.period or "?")
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
    bars = [Bar(c.region, c.figure.number, c.figure.text, c.role == "city")  # type: ignore[union-attr, arg-type]
            for c in ranked]
    per10k = [Bar(c.region, c.per10k.value, c.per10k.text, c.role == "city") for c in ranked if c.per10k]
    if len(per10k) != len(ranked):
        per10k = []
    left_out = [(c.region, c.unranked_reason or "") for c in row.cells if c.figure is not None and c.rank is None]
    unit = row.unit
    title = f"{row.label}（{unit}）" if lang == "zh" else f"{row.label} ({unit})"
    row.chart = ChartSpec(metric=row.metric, title=title, caption=t.f("chart_caption", metric=row.label, city=city,
                                                                       period=row.city.period or ""),
                          alt=t.f("chart_alt", metric=row.label), unit=unit, bars=bars, per10k=per10k,
                          left_out=left_out, filename=f"{number:02d}-{_slug(row.metric)}.svg")


def _slug(metric: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in metric.lower()).strip("-") or "metric"


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


# --- findings and sources --------------------------------------------------------------------------------


def findings(base: FactBase, report: Report, step: _Step, city: str, shown_ids: set[str]
             ) -> tuple[list[FindingItem], list[FindingItem]]:
    touching = shown_ids | {f.id for f in base.facts.values() if f.region == city and f.period == step.period}
    open_items: list[FindingItem] = []
    reviewed: list[FindingItem] = []
    for finding in report.findings:
        if not any(ref.id in touching for ref in finding.facts):
            continue
        review = report.review_of(finding)
        item = _finding_item(base, finding, step, review)
        (reviewed if review is not None else open_items).append(item)
    return open_items, reviewed


def _finding_item(base: FactBase, finding: Finding, step: _Step, review: dict[str, object] | None) -> FindingItem:
    facts = [base.facts[ref.id] for ref in finding.facts if ref.id in base.facts]
    cites = [step.cites.of(f) for f in facts]
    what = step.t.sep.join(f"{shown_value(f.value, step.lang)}" for f in facts)
    text = step.t.f("finding_text", figures=what, problem=finding_words(finding.code, step.lang))
    detail = ""
    if finding.reported and finding.expected:
        expected = _interval_words(finding.expected)
        details = finding.details
        if finding.code == "R118" and isinstance(details, RelationDetails) and details.intake:
            expected = f"≤ {details.intake} + {step.t.pending_start}"  # the backlog the base does not state
        detail = step.t.f("finding_detail", reported=finding.reported, expected=expected)
    review = review or {}
    return FindingItem(code=finding.code, severity=finding.severity, text=text, detail=detail,
                       verdict=verdict_words(str(review["status"]), step.lang) if review else None,
                       verdict_note=str(review.get("note")) if review.get("note") else None,
                       reviewer=str(review.get("reviewer")) if review else None,
                       date=str(review.get("date")) if review else None, citations=cites)


def _interval_words(text: str) -> str:
    """[93.298, 93.298]% → 93.298%; (101.25, 101.48] → 101.25–101.48: the checker's interval in plain figures."""
    import re

    m = re.fullmatch(r"[\[(]\s*([-\d.]+),\s*([-\d.]+)\s*[\])](.*)", text.strip())
    if not m:
        return text
    lo, hi, unit = m.groups()
    return f"{lo}{unit}" if lo == hi else f"{lo}–{hi}{unit}"


def _sources(base: FactBase, used: list[Citation], lang: str) -> list[SourceItem]:
    by_source: dict[str, list[int]] = defaultdict(list)
    for c in used:
        by_source[c.source].append(c.number)
    out = []
    for source_id, numbers in by_source.items():
        s = base.sources[source_id]
        out.append(SourceItem(id=s.id, title=s.title, file=s.file.rsplit("/", 1)[-1], path=s.file,
                              region=shown_name(s.region, lang) if s.region else None, period=s.period, url=s.url,
                              sha256=s.sha256, citations=numbers))
    return sorted(out, key=lambda s: s.id)


# --- the whole -------------------------------------------------------------------------------------------


def known_cities(base: FactBase) -> list[str]:
    return classify(base).cities


def assemble(base: FactBase, report: Report | None, city: str, peers: list[str] | None = None,
             period: str | None = None, lang: str = "zh", hierarchy: Hierarchy | None = None,
             regions: Regions | None = None) -> BriefContext:
    """The brief of `city`. `regions` (the levels of the whole base) is given when `base` holds only the facts a
    brief reads (extract.py); `hierarchy` is read from the base's facts/regions.yaml when not given."""
    if lang not in LANGS:
        raise BriefError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    t = labels(lang)
    regions = regions if regions is not None else classify(base)
    hierarchy = hierarchy if hierarchy is not None else load_hierarchy(base.root)
    city = resolve_region(city, regions, hierarchy, lang, what="city")
    if regions.levels.get(city) != CITY:
        raise BriefError(f"{city} is a {regions.levels.get(city)}, not a city; known cities: "
                         f"{', '.join(shown_name(c, lang) for c in regions.cities)}")
    index = _Index(base)
    periods = sorted({p for (m, r), ps in index.periods.items() if r == city for p in ps if p}, key=_period_key)
    if not periods:
        raise BriefError(f"{city} has no facts with a metric; nothing to compare")
    if period is None:
        period = periods[-1]
    elif period not in periods:
        raise BriefError(f"{city} has no facts for period {period!r}; its periods: {', '.join(periods)}")
    choice = choose_peers(regions, hierarchy, city, peers, t, lang)
    step = _Step(base, index, lang, t, _Citations(base, t), period)
    shown_city = step.name(city)

    rows = build_rows(step, city, choice.peers, choice.context)
    # A peer (or context region) reporting none of the city's metrics gets no column; it is named apart.
    silent = [p for n, p in enumerate(choice.peers) if all(r.peers[n].figure is None for r in rows)]
    keep = [n for n, p in enumerate(choice.peers) if p not in silent]
    keep_context = [n for n, _ in enumerate(choice.context) if any(r.context[n].figure is not None for r in rows)]
    for r in rows:
        r.peers = [r.peers[n] for n in keep]
        r.context = [r.context[n] for n in keep_context]
        rank_row(r, t, period)
    for n, r in enumerate((r for r in rows if r.headline), 1):
        chart_row(r, t, lang, shown_city, n)

    shown_ids = {f.fact_id for r in rows for f in (r.city.figure, r.city.growth) if f is not None}
    open_items, reviewed = findings(base, report, step, city, shown_ids) if report is not None else ([], [])
    populations = [p for p in step.populations.values() if p is not None]
    brief = BriefContext(
        city=shown_city, city_key=city, period=period, lang=lang, t=t,
        title=t.f("title", city=shown_city, period=period),
        peers=[step.name(choice.peers[n]) for n in keep], peer_rule=choice.rule,
        context=[step.name(choice.context[n]) for n in keep_context], rows=rows,
        differences=differences(rows, t, shown_city),
        lede=lede(rows, t, shown_city, len(keep)), key_numbers=key_numbers(rows, t), populations=populations,
        findings_open=open_items, findings_reviewed=reviewed, sources=[], citations=step.cites.order,
        periods=periods, peers_without_figures=[step.name(s) for s in silent], peers_left_out=choice.left_out)
    brief.sources = _sources(base, step.cites.order, lang)
    return brief
