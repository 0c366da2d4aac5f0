"""The brief as data: the tree a template receives (docs/templates.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ipfacts.render.brief.labels import Labels

GROWTH = "growth_of"
PER_10K = "per_10k_of"
RANK = "rank_among"
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
    digits: int = 0  # significant digits the source gave (0: not known): what is derived from it carries no more
    unit: str | None = None  # the unit of `number`, `lower` and `upper`: the metric's (亿元)
    lower: Decimal | None = None  # what the value stands for, in that unit (its rounding, its 超/近 bound)
    upper: Decimal | None = None


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
    digits: int = 0  # significant digits it carries


@dataclass
class StatedRank:
    """A rank as the source states it (居全省第三): the source's claim, cited — not the brief's computation."""

    rank: int
    scope: str  # among whom, as the source says (全省, 全国, 全国海关)
    short: str  # 全省第3 / 3rd in Jiangsu Province
    text: str  # as a table prints it, attributed: 原文：全省第3 / 3rd in Jiangsu Province, as the source states
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
    stated_ranks: list[StatedRank] = field(default_factory=list)  # ranks the sources state (居全省第三)

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
    rank_text: str | None = None  # the city's rank as printed: 第2/5（其中2个为其他年份数据）
    other_years: int = 0  # how many of the figures ranked are for another year than the city's (flagged)
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
    ratio: Decimal  # larger ÷ smaller, to no more significant digits than the two figures carry (3 at most)
    citations: list[int]
    per_resident: Decimal | None = None  # the same ratio per resident (per-10,000 figures or populations), if known
    per_resident_basis: str | None = None  # per10k | population


@dataclass
class Sentence:
    text: str
    citations: list[int]


@dataclass
class KeyNumber:
    label: str
    figure: Figure
    rank: str | None
    stated: list[StatedRank] = field(default_factory=list)


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
    publisher: str | None = None
    published: str | None = None


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
class LeftOut:
    """A figure the brief left out because its citation is not verified (an open C004 …)."""

    fact_id: str
    file: str
    line: int
    value: str
    code: str
    message: str


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
    left_out: list[LeftOut] = field(default_factory=list)  # figures with an open citation finding: not printed
    # The city's headline figures over the years (render/brief/series.py), shown after "Periods"
    series: list[Any] = field(default_factory=list)

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

