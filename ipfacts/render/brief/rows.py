"""Step 2 of a brief: rows, one per metric the city reports — each cell a figure, its growth, its per-10,000
figure and the population behind it, every number cited."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation

from ipfacts.check.relations.base import value_in
from ipfacts.load import periods, units
from ipfacts.load.intervals import Interval
from ipfacts.load.model import Fact, FactBase, Metric, Source
from ipfacts.load.numbers import parse_unit
from ipfacts.load.words import APPROX
from ipfacts.render.brief.labels import Labels
from ipfacts.render.brief.model import (
    GROWTH,
    MIN_DIGITS,
    PER_10K,
    POPULATION,
    RANK,
    Cell,
    Citation,
    Figure,
    Per10k,
    Population,
    Row,
    StatedRank,
)
from ipfacts.render.brief.places import shown_name
from ipfacts.render.brief.regions import (
    COUNTRY_NAMES,
    Hierarchy,
)
from ipfacts.render.brief.wording import (
    approximate_text,
    clean_quote,
    plain,
    round_significant,
    shown_value,
    significant_digits,
    stated_rank_text,
    unit_label,
)

# --- periods ---------------------------------------------------------------------------------------------


def year_of(period: str | None) -> int | None:
    if period is None:
        return None
    digits = period[:4]
    return int(digits) if len(digits) == 4 and digits.isdigit() else None


def period_key(period: str | None) -> tuple[int, str]:
    year = year_of(period)
    return (year if year is not None else -1, period or "")


def latest_period(base: FactBase, region: str) -> str | None:
    periods = {f.period for f in base.facts.values() if f.region == region and f.metric and f.period}
    return max(periods, key=period_key) if periods else None


# --- step 0: an index of the facts a brief reads ---------------------------------------------------------


class FactIndex:
    """Facts by (metric, region, period), and which facts point at which with growth_of / per_10k_of."""

    def __init__(self, base: FactBase, left_out: set[str] | None = None) -> None:
        self.by_key: dict[tuple[str, str | None, str | None], list[Fact]] = defaultdict(list)
        self.periods: dict[tuple[str, str], set[str | None]] = defaultdict(set)
        self.pointing: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        self.per_10k_by_region: dict[tuple[str | None, str | None], list[Fact]] = defaultdict(list)
        self.english_twin: dict[str, Fact] = {}  # a Chinese fact → the same figure on the source's English line
        for fact in base.facts.values():
            if left_out and fact.id in left_out:
                continue  # its citation is not verified: the brief never prints it
            if fact.metric:
                self.by_key[(fact.metric, fact.region, fact.period)].append(fact)
                if fact.region:
                    self.periods[(fact.metric, fact.region)].add(fact.period)
            if fact.relations:
                for kind in (GROWTH, PER_10K):
                    for target in fact.refs(kind):
                        self.pointing[(kind, target)].append(fact)
                for target in fact.refs("same_as"):  # a bilingual source's own English line, both ways
                    other = base.facts.get(target)
                    if other is not None and (fact.lang == "en") != (other.lang == "en"):
                        english, chinese = (fact, other) if fact.lang == "en" else (other, fact)
                        self.english_twin.setdefault(chinese.id, english)
                ranked = fact.refs(RANK)
                if ranked:  # a rank the source states: of the first figure listed
                    self.pointing[(RANK, ranked[0])].append(fact)
                if PER_10K in fact.relations:
                    self.per_10k_by_region[(fact.region, fact.period)].append(fact)

    def pick(self, metric: str, region: str, period: str | None, lang: str) -> Fact | None:
        facts = self.by_key.get((metric, region, period))
        if not facts:
            return None
        return min(facts, key=lambda f: (f.lang != lang, f.value.qualifier is not None, f.id))

    def periods_of(self, metric: str, region: str) -> list[str | None]:
        return sorted(self.periods.get((metric, region), set()), key=period_key)

    def nearest_period(self, metric: str, region: str, period: str) -> str | None:
        periods = self.periods_of(metric, region)
        if period in periods:
            return period
        if not periods:
            return None
        wanted = year_of(period)

        def distance(p: str | None) -> tuple[float, bool, tuple[int, str]]:
            year = year_of(p)
            gap = abs(year - wanted) if year is not None and wanted is not None else float("inf")
            return (gap, year is not None and wanted is not None and year > wanted, period_key(p))

        return min(periods, key=distance)

    def pointing_at(self, kind: str, fact: Fact) -> list[Fact]:
        """Facts declaring `kind` of this fact or of another fact with the same metric, region and period."""
        group = self.by_key.get((fact.metric, fact.region, fact.period), [fact]) if fact.metric else [fact]
        return sorted((f for member in group for f in self.pointing.get((kind, member.id), [])), key=lambda f: f.id)


# --- citations -------------------------------------------------------------------------------------------


def source_title(source: Source, t: Labels) -> str:
    """The title a citation gives: in an English brief the English title where sources.yaml has one."""
    return source.title_en if t.html_lang == "en" and source.title_en else source.title


def publication(source: Source, t: Labels) -> str:
    """Who published a source and when, as a citation gives it after the title: （无锡市知识产权局，2025-04） /
    (Wuxi IP Office, 2025-04); empty when sources.yaml says neither."""
    english = t.html_lang == "en"
    parts = [p for p in (source.publisher_en if english and source.publisher_en else source.publisher,
                         source.published) if p]
    return t.f("publication", parts=t.pub_sep.join(parts)) if parts else ""


class Citations:
    def __init__(self, base: FactBase, t: Labels) -> None:
        self.base, self.t = base, t
        self.by_fact: dict[str, Citation] = {}
        self.order: list[Citation] = []

    def of(self, fact: Fact) -> int:
        found = self.by_fact.get(fact.id)
        if found is None:
            source = self.base.sources[fact.source]
            lines = str(fact.line_from) if fact.line_from == fact.line_to else f"{fact.line_from}–{fact.line_to}"
            page = source.page_label(fact.line_from, fact.line_to, "en" if self.t.html_lang == "en" else "zh")
            page = (f"{page}, " if self.t.html_lang == "en" else f"{page}，") if page else ""  # where sources.yaml has pages:
            text = self.t.f("cite", title=source_title(source, self.t), publication=publication(source, self.t),
                            page=page, lines=lines, quote=clean_quote(fact.quote))
            found = Citation(number=len(self.order) + 1, fact_id=fact.id, value=fact.value.text, source=source.id,
                             title=source.title, file=source.file.rsplit("/", 1)[-1], path=source.file,
                             line=fact.line_from, end_line=fact.line_to, quote=fact.quote, text=text)
            self.by_fact[fact.id] = found
            self.order.append(found)
        return found.number


# --- numbers ---------------------------------------------------------------------------------------------


def metric_interval(metric: Metric, fact: Fact) -> Interval | None:
    """What the fact's value stands for (its rounding and qualifier), in its metric's unit (240.29亿元 →
    [240.285, 240.295) for a metric in 亿元; 5952打 → 71424 for a metric in 件), converted by the checker's own
    conversion (`value_in`); None when the units cannot be converted. A classifier the metric `accepts` (案件
    in 起 or 件) counts the same things; any other classifier does not (件次 is not 件)."""
    multiplier, unit = parse_unit(metric.unit)
    written = fact.value.unit
    registry = fact.value.units
    if written is not None and unit is not None and written != unit and registry.is_count(unit) \
            and registry.is_count(written):
        if written not in {parse_unit(a)[1] for a in metric.accepts}:
            return None
        unit = None  # one count under another classifier: the same things, nothing to convert
    try:
        interval = value_in(fact, unit).strict
    except units.UnitMismatch:
        return None
    if multiplier.is_zero():
        return None
    return interval.scale(1 / multiplier) if multiplier != 1 else interval


def in_metric_unit(metric: Metric, fact: Fact) -> Decimal | None:
    """The fact's value in its metric's unit (240.29亿元 → 240.29 for a metric in 亿元): the middle of what it
    stands for, or a bound's finite end (超60亿元 → 60)."""
    interval = metric_interval(metric, fact)
    if interval is None:
        return None
    point = interval.midpoint()
    if point is None:  # a bound (超/近): its finite end
        point = interval.lo if interval.lo.is_finite() else interval.hi
    return point if point.is_finite() else None


def _caveats(fact: Fact, lang: str) -> list[str]:
    """The fact's caveat for readers (`caveat_zh`, `caveat_en`), in the brief's language — or in the other
    one when it is given only there: a caveat is never dropped for want of a translation. The editors'
    `note` stays out of briefs."""
    mine, other = (fact.caveat_en, fact.caveat_zh) if lang == "en" else (fact.caveat_zh, fact.caveat_en)
    caveat = mine or other
    return [caveat] if caveat else []



# --- step 2: rows ----------------------------------------------------------------------------------------


@dataclass
class Step:
    """What every step reads: the base, its index, the brief's language, and the citations being numbered."""

    base: FactBase
    index: FactIndex
    lang: str
    t: Labels
    cites: Citations
    period: str
    populations: dict[tuple[str | None, str | None], Population | None] = field(default_factory=dict)
    hierarchy: Hierarchy | None = None

    def cited(self, fact: Fact) -> Fact:
        """The fact an English brief cites for a figure: the bilingual source's own English line where it has
        one (a `same_as` in English), else the figure's own line."""
        if self.lang == "en" and fact.lang != "en":
            return self.index.english_twin.get(fact.id, fact)
        return fact

    def province_name(self, region: str | None) -> str | None:
        """The region's province as the brief names it (浙江省 / Zhejiang Province), if facts/regions.yaml says."""
        province = self.hierarchy.province_of(region) if self.hierarchy is not None and region else None
        return shown_name(province, self.lang) if province else None

    def name(self, region: str) -> str:
        if region in COUNTRY_NAMES:  # the nationwide figure, labelled as such, not a place in a list
            return self.t.nationwide
        return shown_name(region, self.lang)

    def figure(self, fact: Fact, metric: Metric | None) -> Figure:
        bounds = metric_interval(metric, fact) if metric is not None else fact.value.strict()
        return Figure(fact_id=fact.id, region=self.name(fact.region or ""), period=fact.period,
                      value=fact.value.text, text=shown_value(fact.value, self.lang),
                      citations=[self.cites.of(self.cited(fact))],
                      number=in_metric_unit(metric, fact) if metric is not None else fact.value.value,
                      exact=fact.value.qualifier in (None, APPROX), notes=_caveats(fact, self.lang),
                      digits=significant_digits(fact.value), unit=metric.unit if metric is not None else None,
                      lower=bounds.lo if bounds is not None and bounds.lo.is_finite() else None,
                      upper=bounds.hi if bounds is not None and bounds.hi.is_finite() else None)


def build_rows(step: Step, city: str, peers: list[str], context: list[str]) -> list[Row]:
    base, index = step.base, step.index
    rows = []
    headline_declared = any(m.headline for m in base.metrics.values())
    for key, metric in base.metrics.items():
        if key == POPULATION:
            continue
        if index.pick(key, city, step.period, step.lang) is None and not (
                metric.headline and any(index.periods_of(key, p) for p in peers)):
            continue  # a headline indicator stays, the city's cell empty, when a peer reports it
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


def _cell(step: Step, metric: Metric, region: str, role: str) -> Cell:
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
    cell.per10k = _per10k(step, metric, fact, cell.figure)
    cell.stated_ranks = stated_ranks(step, fact)
    return cell


def stated_ranks_elsewhere(step: Step, city: str, rows: list[Row]) -> list[tuple[str, Figure, StatedRank]]:
    """The ranks the sources state for the city's figures that no row shows (a figure without a metric, a
    district's figure in the city's source): (what is ranked, the figure, its rank), in the order of the base.
    A rank already shown on a row (the same figure repeated elsewhere with the same rank) is not said twice."""
    out: list[tuple[str, Figure, StatedRank]] = []
    shown_metrics = {r.metric for r in rows if r.city.figure is not None}
    said = {(r.city.figure.value, s.rank, s.scope) for r in rows if r.city.figure is not None
            for s in r.city.stated_ranks}
    for (kind, target), facts in step.index.pointing.items():
        if kind != RANK or target not in step.base.facts:
            continue
        if not any(r.region == city and r.period == step.period for r in facts):
            continue
        fact = step.base.facts[target]
        if fact.metric in shown_metrics and fact.region == city:
            continue
        metric = step.base.metrics.get(fact.metric or "")
        grown = step.base.facts.get(fact.ref(GROWTH) or "")
        grown_metric = step.base.metrics.get(grown.metric or "") if grown is not None else None
        if metric is not None:
            label = metric.en if step.lang == "en" else metric.zh
        elif grown_metric is not None:  # a growth rate: of its figure's indicator
            name = grown_metric.en if step.lang == "en" else grown_metric.zh
            if name[1:2].islower():  # Growth of patent-intensive products …, but of PCT applications
                name = name[:1].lower() + name[1:]
            label = step.t.f("growth_of", metric=name)
        else:
            label = "“" + clean_quote(fact.quote) + "”"
        if fact.region and fact.region != city:
            label = f"{step.name(fact.region)}{step.t.colon}{label}"
        figure = step.figure(fact, metric)
        out.extend((label, figure, s) for s in stated_ranks(step, fact) if (fact.value.text, s.rank, s.scope) not in said)
    return out


def stated_ranks(step: Step, fact: Fact) -> list[StatedRank]:
    """The ranks the sources state for this figure (居全省第三), each as the source's claim, cited."""
    out: list[StatedRank] = []
    seen: set[tuple[int, str]] = set()
    for r in step.index.pointing_at(RANK, fact):
        if r.value.qualifier is not None or r.value.decimals or r.value.multiplier != 1:
            continue
        rank = int(r.value.magnitude)
        scope = r.rank_scope or ""
        if (rank, scope) in seen:
            continue
        seen.add((rank, scope))
        # a rank fact's caveat says what the bare rank leaves out (连续四年全省第2: for the fourth year running)
        caveat = _caveats(r, step.lang)
        short = caveat[0] if caveat else stated_rank_text(rank, scope, step.province_name(fact.region), step.lang)
        out.append(StatedRank(rank, scope, short, step.t.f("stated_rank", rank=short), [step.cites.of(r)]))
    return out


def _previous(step: Step, metric: Metric, fact: Fact, cell: Cell) -> Figure | None:
    """The previous year's value: stated in the base, else inferred from the growth rate (marked inferred)."""
    year = year_of(fact.period)
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
    text = approximate_text(value, metric.unit, step.lang)
    return Figure(fact_id=fact.id, region=cell.region, period=str(year - 1), value=text, text=text.strip(),
                  citations=[step.cites.of(fact), step.cites.of(growth)], number=value, inferred=True)


# --- per 10,000 residents --------------------------------------------------------------------------------


def _per10k(step: Step, metric: Metric, fact: Fact, figure: Figure) -> Per10k | None:
    if not metric.per_10k:
        return None
    stated = step.index.pointing_at(PER_10K, fact)
    if stated:
        p = min(stated, key=lambda f: (f.lang != step.lang, f.id))
        return Per10k(p.value.value, shown_value(p.value, step.lang), "stated", None, [step.cites.of(p)],
                      significant_digits(p.value))
    if fact.value.qualifier is not None or figure.number is None:
        return None
    population = population_of(step, fact.region, fact.period)
    if population is None:
        return None
    try:  # the figure in its metric's unit (converted like every figure: 73.65千件 → 73650件), per 10,000
        number = figure.number * parse_unit(metric.unit)[0] / population.value
    except (InvalidOperation, DivisionByZero):
        return None
    digits = min(significant_digits(fact.value), population.digits)
    if digits < MIN_DIGITS:  # 20万件 → a population to one figure: a rate from it would say nothing
        return None
    value = round_significant(number, digits)
    text = "≈" + plain(value, group=step.lang == "en")
    return Per10k(value, text, "derived", population, [step.cites.of(fact), *population.citations], digits)


def population_of(step: Step, region: str | None, period: str | None) -> Population | None:
    """Resident population in 万人: stated by a `population` fact, else implied by a per-10,000 figure and the
    stock it divides (21579件 ÷ 62.75件 per 10,000 → 343.9万). Looked up once per region and period."""
    key = (region, period)
    if key not in step.populations:
        step.populations[key] = _find_population(step, region, period)
    return step.populations[key]


def _find_population(step: Step, region: str | None, period: str | None) -> Population | None:
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

