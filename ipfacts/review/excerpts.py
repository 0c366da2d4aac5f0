"""Source context for a finding: the cited lines of every fact involved, a few lines around them,
the numbers marked. `ipfacts show`, `ipfacts review` and the HTML page print these.

Renderers never read the fact base: the command attaches excerpts to a finding's details
(`attach(base, report)`, key "excerpts") as plain data, so a renderer only reads the report.

One excerpt is a window of one source: overlapping or adjacent windows of the facts of one finding are
merged, so a share and its part and whole on the same two lines show as one block. A line is "cited"
when a fact involved cites it, "found" when a citation check found the quote there instead (C002/C003).
In those lines every number is marked "number", and the value digits of the facts citing the line
"value". A table cell is shown from its row's line down to the line its cell stands on, and the
excerpt names its row and column headers (`cells`), which `show`, `review` and the HTML page print.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ipfacts.check.citations import placement, read_row
from ipfacts.findings import Finding, Report
from ipfacts.load.loader import load
from ipfacts.load.model import Fact, FactBase
from ipfacts.load.numbers import NUMBER
from ipfacts.load.runfiles import RunFiles
from ipfacts.load.sourcetext import SourceText, SourceTexts

AROUND = 2  # lines of context on each side


@dataclass
class Line:
    number: int
    mark: str  # "cited" | "found" | "" (context)
    parts: list[tuple[str, str]]  # (style, text); style "value" | "number" | ""


@dataclass
class Excerpt:
    source: str
    file: str
    first: int  # first and last line shown
    last: int
    facts: list[str]  # ids of the facts whose lines it shows
    lines: list[Line] = field(default_factory=list)
    changed: bool = False  # the source's bytes no longer match its recorded hash
    note: str = ""  # e.g. a cited line past the end of the source
    cells: list[str] = field(default_factory=list)  # "id: row 杭州市 · column 合计 (table …)" for each table cell shown
    title: str = ""  # the document's title (sources.yaml), what an editor knows it by
    page: str = ""  # the page(s) of the original the cited lines stand on ("p. 3"), where sources.yaml knows them


@dataclass
class _Span:
    source: str
    first: int
    last: int
    mark: str
    fact: str
    literal: str


def excerpts(base: FactBase, finding: Finding, texts: SourceTexts | None = None,
             around: int = AROUND) -> list[Excerpt]:
    texts = texts or SourceTexts(base.sources)
    spans: list[_Span] = []
    for ref in finding.facts:
        fact = base.facts.get(ref.id)
        if fact is None or fact.source not in base.sources:
            continue
        cell_last = _cell_line(base, fact, texts[fact.source]) if fact.cell else fact.line_to
        spans.append(_Span(fact.source, fact.line_from, cell_last, "cited", fact.id, fact.value.literal))
        for place in finding.details.get("found_at") or []:
            first, _, last = str(place).partition("-")
            if first.isdigit():
                spans.append(_Span(fact.source, int(first), int(last or first), "found", fact.id, fact.value.literal))
    out: list[Excerpt] = []
    for source_id in dict.fromkeys(s.source for s in spans):
        text = texts[source_id]
        mine = [s for s in spans if s.source == source_id]
        out.extend(_windows(text, mine, around))
    for excerpt in out:
        excerpt.cells = [cell_label(base.facts[i]) for i in excerpt.facts if base.facts[i].cell is not None]
        cited = [line.number for line in excerpt.lines if line.mark == "cited"] or [excerpt.first]
        excerpt.page = base.sources[excerpt.source].page_label(cited[0], cited[-1])
    return out


def cell_label(fact: Fact) -> str:
    """How a table cell is named beside its excerpt: its id, row and column headers, and table."""
    assert fact.cell is not None
    return f"{fact.id}: {fact.cell.label} (table {fact.cell.table})"


def _cell_line(base: FactBase, fact: Fact, text: SourceText) -> int:
    """The line a cell stands on: its row's line, or further down for a table of one cell per line."""
    assert fact.cell is not None
    row = base.tables[fact.cell.table].row(fact.cell.row)
    if row is None or row.line > len(text.lines):
        return fact.line_to
    found = read_row(text.lines, row.line, len(row.cells), row.header)
    index = placement(row.cells, [p for _, p in found.cells])[fact.cell.position]
    return fact.line_to if index is None else found.cells[index][0]


def _windows(text: SourceText, spans: list[_Span], around: int) -> list[Excerpt]:
    source = text.source
    count = len(text.lines)
    ranges: list[list[int]] = []
    notes: list[str] = []
    for span in sorted(spans, key=lambda s: (s.first, s.last)):
        if span.first > count:
            notes.append(f"{span.fact}: line {span.first} is past the end of {source.file} ({count} lines)")
            continue
        lo, hi = max(1, span.first - around), min(count, span.last + around)
        if ranges and lo <= ranges[-1][1] + 1:
            ranges[-1][1] = max(ranges[-1][1], hi)
        else:
            ranges.append([lo, hi])
    result = []
    for lo, hi in ranges:
        inside = [s for s in spans if s.first <= hi and s.last >= lo]
        excerpt = Excerpt(source.id, source.file, lo, hi, list(dict.fromkeys(s.fact for s in inside)),
                          changed=not text.hash_ok, title=source.title)
        for number in range(lo, hi + 1):
            covering = [s for s in inside if s.first <= number <= s.last]
            mark = "cited" if any(s.mark == "cited" for s in covering) else ("found" if covering else "")
            line = text.lines[number - 1]
            parts = _mark(line, {s.literal for s in covering}) if covering else [("", line)]
            excerpt.lines.append(Line(number, mark, parts))
        result.append(excerpt)
    if notes:
        if not result:
            result.append(Excerpt(source.id, source.file, 0, 0, [s.fact for s in spans], changed=not text.hash_ok,
                                  title=source.title))
        result[0].note = "; ".join(notes)
    return result


def _mark(line: str, literals: set[str]) -> list[tuple[str, str]]:
    """Split a line into plain text, numbers, and the facts' values (digits as written)."""
    parts: list[tuple[str, str]] = []
    at = 0
    for match in NUMBER.finditer(line):
        if match.start() > at:
            parts.append(("", line[at:match.start()]))
        parts.append(("value" if match.group() in literals else "number", match.group()))
        at = match.end()
    if at < len(line):
        parts.append(("", line[at:]))
    return parts


def as_data(items: list[Excerpt]) -> list[dict[str, Any]]:
    return [asdict(item) for item in items]


def attach(base: FactBase, report: Report, around: int = AROUND) -> None:
    """Put each finding's excerpts in `report.excerpts` (plain data, by fingerprint) for a renderer."""
    texts = SourceTexts(base.sources)
    for finding in report.findings:
        found = excerpts(base, finding, texts, around)
        if found:
            report.excerpts[finding.fingerprint] = as_data(found)


def attach_root(root: Path | str, report: Report, around: int = AROUND, use_cache: bool = True) -> None:
    """`attach` for a report that came without its fact base (e.g. reused from the run cache)."""
    attach(load(root, RunFiles.for_root(Path(root).resolve(), use_cache)), report, around)
