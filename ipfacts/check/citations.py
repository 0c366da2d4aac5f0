"""Citation checks: is the quote at the cited lines, and does it hold the value as written?"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipfacts import findings
from ipfacts.findings import CitationRef, FactRef, Finding
from ipfacts.load.claims import claims_in
from ipfacts.load.model import Fact, FactBase, Table
from ipfacts.load.sourcetext import SourceTexts, squash
from ipfacts.tables.reader import SourceRow, cell_token, placement, read_row


def fact_ref(fact: Fact) -> FactRef:
    return FactRef(fact.id, fact.file, fact.where.line, fact.value.text, fact.note)


def citation_ref(base: FactBase, fact: Fact) -> CitationRef:
    source = base.sources[fact.source]
    return CitationRef(source.id, source.file, fact.line_from, source.sha256, fact.line_to)


def check_sources(base: FactBase, texts: SourceTexts) -> Iterator[Finding]:
    for source in base.sources.values():
        text = texts[source.id]
        if not text.hash_ok:
            yield findings.make(
                "C001",
                f"source {source.id} ({source.file}) changed: its sha256 is {text.sha256[:12]}…, "
                f"sources.yaml records {source.sha256[:12]}…; its citations and reviews are unverified",
                where=source.where,
                citations=[CitationRef(source.id, source.file, 1, source.sha256)],
                details={"actual_sha256": text.sha256},
            )


def digits_in(literal: str, quote: str) -> bool:
    """The value's digits appear in the quote as a whole number, not inside a longer one."""
    at = quote.find(literal)
    while at != -1:
        before = quote[max(0, at - 2):at]
        after = quote[at + len(literal):at + len(literal) + 2]
        inside_before = before[-1:].isdigit() or (len(before) == 2 and before[1] in ".," and before[0].isdigit())
        inside_after = after[:1].isdigit() or (len(after) == 2 and after[0] in ".," and after[1].isdigit())
        if not inside_before and not inside_after:
            return True
        at = quote.find(literal, at + 1)
    return False


_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 25 → 二十五 (ranks are written so: 居全省第三)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def _rank_in(fact: Fact, quote: str) -> bool:
    """A rank (rank_among) may be written in Chinese numerals: value 3, quote 居全省第三."""
    if "rank_among" not in fact.relations or fact.value.decimals or fact.value.magnitude >= 100:
        return False
    return f"第{chinese_number(int(fact.value.magnitude))}" in quote


def check_citation(base: FactBase, fact: Fact, texts: SourceTexts) -> Iterator[Finding]:
    if fact.cell is not None:
        yield from check_cell(base, fact, texts)
        return
    source = base.sources[fact.source]
    text = texts[fact.source]

    def refs() -> dict[str, Any]:  # only for a finding: most citations hold
        return {"facts": [fact_ref(fact)], "citations": [citation_ref(base, fact)]}

    line_count = len(text.lines)
    quote = squash(fact.quote)
    if not digits_in(fact.value.literal, quote) and not _rank_in(fact, quote):
        yield findings.make(
            "C005",
            f"{fact.id}: the quote {fact.quote!r} does not contain {fact.value.literal} (the digits of value {fact.value.text!r})",
            reported=fact.value.text, **refs())
    if fact.line_to > line_count:
        yield findings.make(
            "C002",
            f"{fact.id}: line {fact.lines} is past the end of {source.file} ({line_count} lines)",
            details=_elsewhere(text.find(quote)), **refs())
        return
    if quote and quote in text.squashed_range(fact.line_from, fact.line_to):
        return
    places = text.find(quote)
    if places:
        where = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in places[:5])
        yield findings.make(
            "C003",
            f"{fact.id}: the quote is not at line {fact.lines} of {source.file} but at line {where}",
            details=_elsewhere(places), **refs())
    else:
        yield findings.make(
            "C004",
            f"{fact.id}: the quote {fact.quote!r} is not in {source.file} (nor anywhere else in it)",
            **refs())


def _elsewhere(places: list[tuple[int, int]]) -> dict[str, Any]:
    return {"found_at": [f"{a}" if a == b else f"{a}-{b}" for a, b in places]} if places else {}


# --- Table cells: verified by their position on the row, not only by their digits ---------------

# One reader of tables (ipfacts.tables.reader): how a source row is read and where each cell stands.
__all__ = ["SourceRow", "cell_token", "placement", "read_row"]


def _expected_piece(fact: Fact, declared: list[str], found: SourceRow) -> tuple[int, str] | None:
    """The piece of the source row at the cell's position."""
    assert fact.cell is not None
    index = placement(declared, [p for _, p in found.cells])[fact.cell.position]
    return None if index is None else found.cells[index]


def check_cell(base: FactBase, fact: Fact, texts: SourceTexts) -> Iterator[Finding]:
    """A cell's text must stand at its position on its row: T001 in another column, T002 not on the row."""
    assert fact.cell is not None
    table = base.tables[fact.cell.table]
    row = table.row(fact.cell.row)
    text = texts[fact.source]
    if row is None:
        return
    refs: dict[str, Any] = {"facts": [fact_ref(fact)], "citations": [citation_ref(base, fact)]}
    if row.line > len(text.lines):
        yield findings.make("C002", f"{fact.id}: line {row.line} is past the end of {text.source.file} "
                                    f"({len(text.lines)} lines)", **refs)
        return
    found = read_row(text.lines, row.line, len(row.cells), row.header)
    piece = _expected_piece(fact, row.cells, found)
    want = cell_token(fact.quote)
    if piece is not None and cell_token(piece[1]) == want:
        return
    place = f"{table.id}: {fact.cell.label} ({fact.quote})"
    elsewhere = [n for n, (_, p) in enumerate(found.cells) if cell_token(p) == want]
    shown = " ".join(p or "·" for _, p in found.cells) or "no cells"
    if elsewhere:
        headers = [_header_at(table, row.cells, n, found) for n in elsewhere]
        yield findings.make(
            "T001", f"{place}: line {row.line} has {fact.quote} in the place of column {' / '.join(headers)}, "
                    f"not of {fact.cell.column_header}; the row reads: {shown}",
            reported=fact.quote, expected=piece[1] if piece else None, **refs)
    else:
        yield findings.make(
            "T002", f"{place} is not on the row at line {row.line}; the row reads: {shown}",
            reported=fact.quote, expected=piece[1] if piece else None, **refs)


def _header_at(table: Table, declared: list[str], index: int, found: SourceRow) -> str:
    """The header of the column whose cell stands at source piece `index`."""
    places = placement(declared, [p for _, p in found.cells])
    return next((table.columns[n].shown for n, at in enumerate(places) if at == index), "no column")


def check_tables(base: FactBase, texts: SourceTexts) -> Iterator[Finding]:
    """Once per table: each column header at the header lines (T004), each row line showing its label (T003)."""
    for table in base.tables.values():
        text = texts[table.source]
        source = base.sources[table.source]
        citation = [CitationRef(source.id, source.file, table.line_from, source.sha256)]
        if table.line_to <= len(text.lines):
            heading = text.squashed_range(table.line_from, table.line_to)
            for column in table.columns:
                missing = [h for h in (column.header, column.group) if h and squash(h) not in heading]
                for header in missing:
                    yield findings.make(
                        "T004", f"{table.id}: column {column.key}'s header {header!r} is not at line "
                                f"{table.line_from if table.line_from == table.line_to else f'{table.line_from}-{table.line_to}'}"
                                f" of {source.file}",
                        where=column.where, citations=citation)
        for row in table.rows:
            if row.line > len(text.lines):
                continue  # each cell says so (C002)
            label = squash(read_row(text.lines, row.line, len(row.cells), row.header).label)
            header = squash(row.header)
            if label and header not in label and label not in header:
                yield findings.make(
                    "T003", f"{table.id}: row {row.key} ({row.header}) starts at line {row.line}, which is labelled "
                            f"{label!r}; fix the line, or give the row `header: {label}`",
                    where=row.where, citations=[CitationRef(source.id, source.file, row.line, source.sha256)])


BARE_NUMBER = re.compile(r"^[0-9.,/]+$")


def check_ignores(base: FactBase, texts: SourceTexts) -> Iterator[Finding]:
    """An `ignore:` entry that matches nothing at its line (L039). A number with a unit must be a claim
    there as `coverage` counts them (`4张` does not match the source's `4 张`); a bare number (a page
    number, digits squashed together by the extraction) must stand in the squashed text from its line
    on (two more lines: extraction debris spans line breaks)."""
    by_source: dict[str, list[Any]] = {}
    for item in base.ignored:
        by_source.setdefault(item.source, []).append(item)
    for source_id, ignored in by_source.items():
        text = texts[source_id]
        at_line: dict[int, set[str]] = {}
        for claim in claims_in(text, base.units):
            at_line.setdefault(claim.line, set()).update((claim.literal, claim.text))
        source = base.sources[source_id]
        for item in ignored:
            there = at_line.get(item.line, set())
            wanted = item.text.strip()
            if wanted in there or (BARE_NUMBER.match(wanted) and item.line <= len(text.lines)
                                   and squash(wanted) in text.squashed_range(item.line, min(item.line + 2, len(text.lines)))):
                continue
            hint = f"; numbers there: {', '.join(sorted(there))}" if there else "; the line holds no number with a unit"
            yield findings.make(
                "L039", f"ignore entry {item.text!r} matches nothing at line {item.line} of {source.file}{hint}",
                where=item.where, citations=[CitationRef(source.id, source.file, item.line, source.sha256)])
