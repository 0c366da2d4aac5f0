"""The fact base in memory: sources, metrics, facts. Built by the loader, read by everything else."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ipfacts.load.numbers import Written
from ipfacts.load.units import Units, shipped
from ipfacts.load.yamlnodes import Where


@dataclass(slots=True)
class Source:
    id: str
    file: str  # relative to the root, as written in sources.yaml
    path: Path
    title: str
    region: str | None
    period: str | None
    lang: str
    sha256: str
    where: Where
    url: str | None = None
    retrieved: str | None = None  # the date a page was fetched by URL (YYYY-MM-DD)
    pages: tuple[tuple[int, int, int], ...] = ()  # (page, first line, last line), in order: where each page's text is
    publisher: str | None = None  # who published it, as it names itself
    published: str | None = None  # when: 2025-04-25 or 2025-04
    title_en: str | None = None  # for English briefs
    publisher_en: str | None = None

    @property
    def first_lang(self) -> str:
        return self.lang.split("+", 1)[0]

    def page_of(self, line: int) -> int | None:
        """The page of the document a line of its text stands on (None: not known)."""
        for page, first, last in self.pages:
            if first <= line <= last:
                return page
        return None

    def page_label(self, first: int, last: int, lang: str = "en") -> str:
        """The pages lines `first`–`last` stand on, as cited: "p. 3", "pp. 3–4" (zh: 第3页, 第3–4页); "" unknown."""
        found = [p for p, a, b in self.pages if a <= last and first <= b]
        if not found:
            return ""
        span = str(found[0]) if found[0] == found[-1] else f"{found[0]}–{found[-1]}"
        if lang == "zh":
            return f"第{span}页"
        return f"p. {span}" if found[0] == found[-1] else f"pp. {span}"


@dataclass(slots=True)
class Metric:
    key: str
    zh: str
    en: str
    unit: str  # as written in metrics.yaml (亿元, 万人)
    kind: str
    where: Where
    accepts: tuple[str, ...] = ()
    counts_zh: str | None = None  # what it counts (the definition a comparison rests on)
    counts_en: str | None = None
    scope: str | None = None
    per_10k: bool = False  # a per-10,000-residents figure means something for it
    headline: bool = False  # a brief leads with it


@dataclass(slots=True)
class Ref:
    """A reference as written, resolved by the loader to a fact id."""

    text: str
    where: Where
    target: str = ""
    role: str = ""  # which input it is, for shaped relations: "opening" (balance_of), "1" (breakdowns)


@dataclass(frozen=True, slots=True)
class Cell:
    """Where a table cell stands: its table, row and column (keys and headers as the source writes them)."""

    table: str  # the table's id: file/table
    row: str
    column: str
    row_header: str
    column_header: str
    position: int  # 0-based index among the row's cells as written (empty ones included)

    @property
    def label(self) -> str:
        """`row 杭州市 · column 合计`: how findings, `show` and the HTML page name the cell."""
        return f"row {self.row_header} · column {self.column_header}"


@dataclass(slots=True)
class Fact:
    id: str
    key: str
    file: str
    where: Where
    source: str
    region: str | None
    period: str | None
    lang: str
    value: Written
    line_from: int
    line_to: int
    quote: str
    metric: str | None = None
    note: str | None = None  # for editors
    caveat_zh: str | None = None  # for readers of a brief: how to read the figure (scope, a source defect)
    caveat_en: str | None = None
    relations: dict[str, list[Ref]] = field(default_factory=dict)
    cell: Cell | None = None  # set for a cell of a table block
    rank_order: str = "desc"  # with rank_among: desc (1 = largest) or asc
    rank_scope: str | None = None  # with rank_among: ranked among more than the figures listed (全省, 全国)
    base: str | None = None  # of a growth or change: year-on-year (None: the default) or year-end
    unit: str | None = None  # the separate `unit:` as written (`921 thousand` + `件`); already in `value`

    @property
    def year(self) -> int | None:
        period = self.period
        return int(period) if period and period.isascii() and period.isdigit() and len(period) <= 9 else None

    @property
    def lines(self) -> str:
        return str(self.line_from) if self.line_from == self.line_to else f"{self.line_from}-{self.line_to}"

    def ref(self, kind: str) -> str | None:
        refs = self.relations.get(kind)
        return refs[0].target if refs else None

    def refs(self, kind: str) -> list[str]:
        return [r.target for r in self.relations.get(kind, [])]

    def roles(self, kind: str) -> dict[str, list[str]]:
        """The targets of a shaped relation by role, in file order (breakdowns: "0", "1" …)."""
        found: dict[str, list[str]] = {}
        for r in self.relations.get(kind, []):
            found.setdefault(r.role, []).append(r.target)
        return found


@dataclass(slots=True)
class Ignored:
    source: str
    line: int
    text: str
    reason: str
    where: Where


@dataclass(slots=True)
class Column:
    key: str
    header: str
    metric: str | None
    unit: str | None
    where: Where
    period: str | None = None
    group: str | None = None  # the group header above `header` (总累计 over 合计)

    @property
    def shown(self) -> str:
        """How findings name the column: its group and header (`总累计 合计`), or its header."""
        return f"{self.group} {self.header}" if self.group else self.header


@dataclass(slots=True)
class Row:
    key: str
    header: str  # the row's label in the source (default: its region)
    region: str | None
    line: int
    cells: list[str]  # as written, in column order; "" (or a dash) for an empty cell
    where: Where
    period: str | None = None  # a row of a time series: its year


@dataclass(slots=True)
class Identity:
    """One declared identity of a table: `sum` (columns making up a total column), `sum_rows`
    (rows making up a total row), `density` (count ÷ population × 10,000), `rank` (a rank column),
    `share` (each cell is the matching cell of another table ÷ its row's total column)."""

    kind: str
    where: Where
    total: str = ""  # sum: total column; sum_rows: total row; density/rank/share: the computed column ("" = all)
    parts: tuple[str, ...] = ()  # sum: part columns; sum_rows: part rows; rank: the rows ranked (() = every non-total row)
    count: str = ""  # density: count column; rank: the column ranked by; share: the whole column
    population: str = ""  # density: population column
    order: str = "desc"  # rank
    of_table: str = ""  # share: the id of the table holding the counts


@dataclass(slots=True)
class Table:
    id: str  # file/table
    key: str
    file: str
    where: Where
    source: str
    line_from: int  # the header line(s)
    line_to: int
    columns: list[Column]
    rows: list[Row]
    identities: list[Identity] = field(default_factory=list)

    def cell_id(self, row: str, column: str) -> str:
        return f"{self.id}/{row}/{column}"

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)


@dataclass
class FactBase:
    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    ignored: list[Ignored] = field(default_factory=list)
    fact_files: list[str] = field(default_factory=list)
    file_regions: dict[str, str] = field(default_factory=dict)  # fact file → its top-level `region:`
    tables: dict[str, Table] = field(default_factory=dict)  # table id (file/table) → its declaration
    units: Units = field(default_factory=shipped)  # the shipped units and the base's own (facts/units.txt)

    def by_metric_region_period(self) -> dict[tuple[str, str | None, str | None], list[Fact]]:
        index: dict[tuple[str, str | None, str | None], list[Fact]] = defaultdict(list)
        for fact in self.facts.values():
            if fact.metric:
                index[(fact.metric, fact.region, fact.period)].append(fact)
        return index

    def regions(self) -> list[str]:
        return sorted({s.region for s in self.sources.values() if s.region})
