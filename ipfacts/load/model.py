"""The fact base in memory: sources, metrics, facts. Built by the loader, read by everything else."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ipfacts.load.numbers import Written
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

    @property
    def first_lang(self) -> str:
        return self.lang.split("+", 1)[0]


@dataclass(slots=True)
class Metric:
    key: str
    zh: str
    en: str
    unit: str  # as written in metrics.yaml (亿元, 万人)
    kind: str
    where: Where
    accepts: tuple[str, ...] = ()


@dataclass(slots=True)
class Ref:
    """A reference as written, resolved by the loader to a fact id."""

    text: str
    where: Where
    target: str = ""


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
    note: str | None = None
    relations: dict[str, list[Ref]] = field(default_factory=dict)
    unit: str | None = None  # the separate `unit:` as written (`921 thousand` + `件`); already in `value`

    @property
    def year(self) -> int | None:
        return int(self.period) if self.period and self.period.isdigit() else None

    @property
    def lines(self) -> str:
        return str(self.line_from) if self.line_from == self.line_to else f"{self.line_from}-{self.line_to}"

    def ref(self, kind: str) -> str | None:
        refs = self.relations.get(kind)
        return refs[0].target if refs else None

    def refs(self, kind: str) -> list[str]:
        return [r.target for r in self.relations.get(kind, [])]


@dataclass(slots=True)
class Ignored:
    source: str
    line: int
    text: str
    reason: str
    where: Where


@dataclass
class FactBase:
    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    ignored: list[Ignored] = field(default_factory=list)
    fact_files: list[str] = field(default_factory=list)
    file_regions: dict[str, str] = field(default_factory=dict)  # fact file → its top-level `region:`

    def by_metric_region_period(self) -> dict[tuple[str, str | None, str | None], list[Fact]]:
        index: dict[tuple[str, str | None, str | None], list[Fact]] = defaultdict(list)
        for fact in self.facts.values():
            if fact.metric:
                index[(fact.metric, fact.region, fact.period)].append(fact)
        return index

    def regions(self) -> list[str]:
        return sorted({s.region for s in self.sources.values() if s.region})
