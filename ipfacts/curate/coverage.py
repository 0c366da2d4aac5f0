"""Coverage: which numbers in a source no fact cites.

Every number of a source counts — with a unit, a multiplier or a percent sign
(4869件, 23.8%, 26.3万, 40,107 million yuan), with a unit ipfacts does not
know (83.25分), or bare: a table cell, a number alone on a line, an English
figure (8,115 high-value patents). Some numbers are not claims, and are
listed apart (`SourceCoverage.apart`), never silently dropped:

- dates: years (2024年, a bare 2023 in a heading, 2020-2025), months and days
  (4月26日, 1—10月, 2024-06-01);
- ordinals: list numbers (1. 2、 （3） at the start of a line or after a colon),
  ranks (第2位), English ordinals (13th, 2<sup>nd</sup>);
- page numbers: `- 12 -`, `第12页`, `Page 12`, and lone numbers on their own
  line that count up page after page;
- names: a bare number inside a title or a quoted name (《…3.0建设方案》,
  “甬优 1540”, “10+N”), a figure or table label (图 1, 表2).

A claim is *cited* when a fact of that source gives exactly those digits and
its cited lines include the claim's line; *ignored* when the fact files list
it under `ignore:`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ipfacts.load.claims import (  # noqa: F401 (CELL_SPLIT, is_cell_line, is_table_row: read from here by curate)
    CELL_SPLIT,
    CLAIM,
    Claim,
    claims_in,
    is_cell_line,
    is_table_row,
)
from ipfacts.load.model import FactBase
from ipfacts.load.sourcetext import SourceTexts
from ipfacts.tables.reader import placement, read_row


@dataclass
class TableCoverage:
    """A declared table of a source: how many numbers its rows hold in the source, how many of them its
    declared cells cite, and how many cells it declares (non-empty)."""

    table: str
    numbers: int = 0
    cited: int = 0
    declared: int = 0

    @property
    def ratio(self) -> float:
        return 1.0 if self.numbers == 0 else self.cited / self.numbers


@dataclass
class SourceCoverage:
    source: str
    file: str
    claims: list[Claim] = field(default_factory=list)
    cited: list[Claim] = field(default_factory=list)
    ignored: list[Claim] = field(default_factory=list)
    uncited: list[Claim] = field(default_factory=list)
    apart: list[Claim] = field(default_factory=list)  # dates, ordinals, page numbers: not claims
    tables: list[TableCoverage] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        counted = len(self.claims) - len(self.ignored)
        return 1.0 if counted <= 0 else len(self.cited) / counted


def _cell_lines(base: FactBase, texts: SourceTexts) -> tuple[dict[str, int], dict[str, set[int]]]:
    """Where each table cell stands in its source (a one-cell-a-line row spans lines: its cells are not on
    the row's first line), and the lines of each declared table's rows, read by the one table reader."""
    at: dict[str, int] = {}
    table_lines: dict[str, set[int]] = defaultdict(set)
    for table in base.tables.values():
        if table.source not in base.sources:
            continue
        lines = texts[table.source].lines
        for row in table.rows:
            if row.line > len(lines):
                continue
            found = read_row(lines, row.line, len(row.cells), row.header)
            places = placement(row.cells, [p for _, p in found.cells])
            table_lines[table.id].add(row.line)
            table_lines[table.id].update(n for n, _ in found.cells)
            for column, index in zip(table.columns, places, strict=False):
                if index is not None:
                    at[table.cell_id(row.key, column.key)] = found.cells[index][0]
    return at, table_lines


def coverage(base: FactBase, source_ids: list[str] | None = None) -> list[SourceCoverage]:
    texts = SourceTexts(base.sources)
    cited_ranges: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    cell_at, table_lines = _cell_lines(base, texts) if base.tables else ({}, {})
    declared = Counter(f.cell.table for f in base.facts.values() if f.cell is not None)
    for fact in base.facts.values():
        line = cell_at.get(fact.id)
        cited_ranges[(fact.source, fact.value.literal)].append((line, line) if line else (fact.line_from, fact.line_to))
    ignored_at: dict[tuple[str, str], set[int]] = defaultdict(set)
    for item in base.ignored:
        ignored_at[(item.source, item.text.strip())].add(item.line)
    results = []
    for source_id in source_ids or sorted(base.sources):
        source = base.sources[source_id]
        result = SourceCoverage(source_id, source.file)
        for claim in claims_in(texts[source_id], base.units):
            if claim.kind != CLAIM:
                result.apart.append(claim)
                continue
            result.claims.append(claim)
            if any(a <= claim.line <= b for a, b in cited_ranges.get((source_id, claim.literal), [])):
                result.cited.append(claim)
            elif claim.line in ignored_at.get((source_id, claim.literal), ()) or \
                    claim.line in ignored_at.get((source_id, claim.text), ()):
                result.ignored.append(claim)
            else:
                result.uncited.append(claim)
        ignored = set(result.ignored)
        for table in (t for t in base.tables.values() if t.source == source_id):
            lines = table_lines.get(table.id, set())
            found = TableCoverage(table.id, declared=declared[table.id])
            found.numbers = sum(1 for c in result.claims if c.line in lines and c not in ignored)
            found.cited = sum(1 for c in result.cited if c.line in lines)
            result.tables.append(found)
        results.append(result)
    return results
