"""Draft the table block of a fact file for the statistical tables of a source.

A table is header lines, then rows of numbers, in one of the shapes scrapes take:

- one row a line, cells separated by whitespace or pipes (`北京  Beijing 127062 1796 …`,
  `| 甲县 | 9000 | 1200 |`);
- one cell a line (`北京 |`, `66089 |`, `37456 |` …): a label line, then as many number lines
  as the table has columns.

Each drafted table declares its columns (header as written, key, unit), its rows (region as
written, line, cells as written in column order) and the identities its layout implies, each
marked TODO confirm with how many rows or columns hold: a total column (合计, 总计, Total) made of
the columns after it; a total row (总计, 合计, 全省, 全国, 全市) made of the other rows; a density
column (密度, 每万人) of a count column and a population column (人口); a rank column (排名, 位次).
The block follows the agreed sketch of the tables issue (#19); `ipfacts check` reports the
identities that fail once the loader reads tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ipfacts.curate.coverage import CELL_SPLIT
from ipfacts.load.numbers import CELL_NUMBER as NUMBER

TOTAL_WORDS = ("合计", "总计", "总数", "小计", "Total", "total")
TOTAL_ROW = re.compile(r"总计|合计|^全省|^全国|^全市|^全区|^Total$", re.IGNORECASE)
DENSITY_WORDS = ("密度", "每万人", "万人")
POPULATION_WORDS = ("人口",)
RANK_WORDS = ("排名", "位次", "名次")
ROW_HEADER_WORDS = ("地区", "区域", "城市", "省份", "地市", "县区", "区县", "单位名称", "名称")
HEADER_REACH = 16  # lines above a table searched for its column headers
MIN_ROWS = 2


@dataclass
class Column:
    key: str
    header: str
    unit: str | None = None


@dataclass
class Row:
    key: str
    region: str
    line: int
    cells: list[str]


@dataclass
class TableDraft:
    key: str
    line: int  # the header line (the first row's line when no header was found)
    columns: list[Column]
    rows: list[Row]
    identities: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, YAML flow text, note)
    notes: list[str] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)  # every line a cell of the table stands on

    @property
    def cell_lines(self) -> set[int]:
        return self.lines


def _cells(line: str) -> list[str]:
    return [c for c in CELL_SPLIT.split(line) if c.strip()]


def _is_number(cell: str) -> bool:
    return bool(NUMBER.match(cell))


def _han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def find_tables(lines: list[str], unit: str | None = None) -> list[TableDraft]:
    """The tables of a source's lines, in order."""
    found: list[TableDraft] = []
    index = 0
    while index < len(lines):
        table = _rows_table(lines, index) or _cell_table(lines, index)
        if table is None:
            index += 1
            continue
        table.key = _unique_key(f"table{len(found) + 1}", {t.key for t in found})
        if unit is None:
            unit = _unit_of(lines, table.line)
        for column in table.columns:
            column.unit = None if any(r.cells[i].endswith("%") for r in table.rows
                                      for i in [table.columns.index(column)] if i < len(r.cells)) else unit
        _identities(table)
        found.append(table)
        index = max(table.lines) + 1
    return found


def _unit_of(lines: list[str], line: int) -> str | None:
    """单位:件 / 单位：万元 in the lines above a table."""
    for text in reversed(lines[max(0, line - HEADER_REACH - 1):line]):
        match = re.search(r"单位\s*[:：]\s*([^\s(（]+)", text)
        if match:
            return match.group(1)
    return None


def _row_of(line: str) -> tuple[str, list[str]] | None:
    """A row of one line: its label (the text cells) and its number cells."""
    if re.match(r"^\s*\|?\s*:?-{3,}", line):
        return None
    cells = _cells(line)
    numbers = [c for c in cells if _is_number(c)]
    if len(numbers) < 2 or len(numbers) * 2 < len(cells):
        return None
    label_cells = [c for c in cells if not _is_number(c)]
    if cells and _is_number(cells[0]) and label_cells:  # a rank before the region: 4 张家界 567 89
        pass
    return " ".join(label_cells), numbers


def _rows_table(lines: list[str], start: int) -> TableDraft | None:
    rows: list[tuple[int, str, list[str]]] = []
    at = start
    while at < len(lines):
        parsed = _row_of(lines[at])
        if parsed is None:
            if re.match(r"^\s*\|?\s*:?-{3,}", lines[at]) and rows == []:
                at += 1
                continue
            break
        rows.append((at + 1, parsed[0], parsed[1]))
        at += 1
    if len(rows) < MIN_ROWS:
        return None
    width = max(set(len(r[2]) for r in rows), key=lambda n: sum(1 for r in rows if len(r[2]) == n))
    headers, header_line = _headers_above(lines, start, width)
    return _table(headers, header_line or rows[0][0], rows, width)


def _cell_table(lines: list[str], start: int) -> TableDraft | None:
    """One cell a line: a label line, then the numbers of its row, each on its own line."""
    def number(line: str) -> str | None:
        cells = _cells(line)
        return cells[0] if len(cells) == 1 and _is_number(cells[0]) else None

    def label(line: str) -> str | None:
        cells = _cells(line)
        text = " ".join(cells)
        return text if cells and not any(_is_number(c) for c in cells) and _han(text) or \
            (cells and re.fullmatch(r"[A-Za-z()（）\s]+", text)) else None

    if label(lines[start]) is None:
        return None
    rows: list[tuple[int, str, list[str]]] = []
    at = start
    while at < len(lines) and label(lines[at]) is not None:
        name, first = str(label(lines[at])), at + 1
        at += 1
        cells = []
        while at < len(lines) and number(lines[at]) is not None:
            cells.append(str(number(lines[at])))
            at += 1
        if len(cells) < 2:
            break
        rows.append((first, name, cells))
    if len(rows) < MIN_ROWS:
        return None
    width = max(set(len(r[2]) for r in rows), key=lambda n: sum(1 for r in rows if len(r[2]) == n))
    headers, header_line = _headers_above(lines, start, width)
    table = _table(headers, header_line or rows[0][0], rows, width)
    table.lines |= set(range(rows[0][0], at + 1))
    return table


def _headers_above(lines: list[str], start: int, width: int) -> tuple[list[str], int | None]:
    """The `width` column headers in the lines above a table: its Chinese header words, in order, after the
    row header (地区); where there are more, the first ones group the rest (总累计 合计, 2003年 合计 …)."""
    words: list[tuple[int, str]] = []
    for number in range(max(0, start - HEADER_REACH), start):
        text = lines[number]
        if _row_of(text) is not None or re.search(r"单位\s*[:：]", text):
            words = []
            continue
        for cell in _cells(text):
            cell = cell.strip("|").strip()
            word = "".join(re.findall(r"(?:(?:19|20)\d\d)?[\u4e00-\u9fff]+", cell))
            if word:
                words.append((number + 1, word))
            elif re.fullmatch(r"(19|20)\d\d年?", cell):
                words.append((number + 1, cell))
    cut = max((i for i, (_, w) in enumerate(words) if any(w.startswith(h) for h in ROW_HEADER_WORDS)), default=-1)
    if cut >= 0:
        words = words[cut + 1:]
    if len(words) < width:
        return [], None
    columns, groups = words[-width:], words[:-width]
    groups = [g for g in groups if not re.search(r"年报|统计|表\d|^\d", g[1]) or re.fullmatch(r"(19|20)\d\d年?", g[1])]
    if groups and width % len(groups) == 0 and len(groups) > 1:
        per = width // len(groups)
        named = [f"{groups[i // per][1]} {w}" for i, (_, w) in enumerate(columns)]
    else:
        named = [w for _, w in columns]
    return named, columns[0][0]


def _table(headers: list[str], line: int, rows: list[tuple[int, str, list[str]]], width: int) -> TableDraft:
    from ipfacts.curate.scaffold import GLOSSARY, words_key

    glossary = dict(GLOSSARY, 合计="total", 总计="total", 个人="individual", 职务="service", 非职务="non_service",
                    高等院校="university", 大专院校="university", 科研机构="research", 科研单位="research",
                    事业单位="public_institution", 机关团体="organization", 人口="population", 密度="density",
                    排名="rank", 总累计="cumulative", 累计="cumulative")
    columns: list[Column] = []
    taken: set[str] = set()
    for i in range(width):
        header = headers[i] if i < len(headers) else f"第{i + 1}列"
        pattern = re.compile("|".join(re.escape(w) for w in sorted(glossary, key=len, reverse=True)))
        parts = [glossary[m.group(0)] for m in pattern.finditer(header) if glossary[m.group(0)]]
        key = "_".join(dict.fromkeys(parts)) or words_key(header) or f"col{i + 1}"
        year = re.search(r"(19|20)\d\d", header)
        if year and year.group(0) not in key:
            key = f"y{year.group(0)}_{key}"
        columns.append(Column(_unique_key(re.sub(r"[^a-z0-9_]", "_", key.lower()), taken), header))
        taken.add(columns[-1].key)
    table = TableDraft("", line, columns, [])
    row_keys: set[str] = set()
    for first, label, cells in rows:
        region, english = _split_label(label)
        key = _unique_key(_row_key(region, english), row_keys)
        row_keys.add(key)
        table.rows.append(Row(key, region or english, first, cells))
        table.lines.add(first)
        if len(cells) != width:
            table.notes.append(f"TODO: row {key} (line {first}) has {len(cells)} cells for {width} columns: "
                               "a cell lost in the scrape? place its cells by hand")
    table.lines.add(line)
    shares = [r for r in table.rows if r.cells and all(c.endswith("%") for c in r.cells)]
    if shares and len(shares) < len(table.rows):
        table.notes.append(f"TODO: {len(shares)} rows of percents (the first: {shares[0].key}, line {shares[0].line}) "
                           "are shares of the count row above each: declare them by hand")
    return table


def _split_label(label: str) -> tuple[str, str]:
    han = "".join(re.findall(r"[\u4e00-\u9fff（）()]+", label))
    english = " ".join(re.findall(r"[A-Za-z][A-Za-z .'-]*", label)).strip()
    return han, english


def _row_key(region: str, english: str) -> str:
    if TOTAL_ROW.search(region) or TOTAL_ROW.search(english):
        return "total"
    if english:
        return re.sub(r"[^a-z0-9]+", "_", english.lower()).strip("_") or "row"
    try:
        from pypinyin import lazy_pinyin

        return re.sub(r"[^a-z0-9]+", "_", "".join(lazy_pinyin(region)).lower()).strip("_") or "row"
    except ImportError:  # pragma: no cover - pypinyin is a dependency
        return "row"


def _unique_key(key: str, taken: set[str]) -> str:
    if key not in taken:
        return key
    n = 2
    while f"{key}_{n}" in taken:
        n += 1
    return f"{key}_{n}"


def _number(cell: str) -> Decimal | None:
    try:
        return Decimal(cell.replace(",", "").rstrip("%"))
    except InvalidOperation:
        return None


def _identities(table: TableDraft) -> None:
    """The identities the layout implies, with how many rows (or columns) hold as a hint."""
    width = len(table.columns)
    complete = [r for r in table.rows if len(r.cells) == width and not any(c.endswith("%") for c in r.cells)]
    headers = [c.header for c in table.columns]
    totals = [i for i, h in enumerate(headers) if any(h.endswith(w) or h == w for w in TOTAL_WORDS)]
    for n, i in enumerate(totals):
        end = totals[n + 1] if n + 1 < len(totals) else width
        parts = [j for j in range(i + 1, end) if not _special(headers[j])]
        if len(parts) < 2:
            continue
        holds = sum(1 for r in complete if _sum([r.cells[j] for j in parts]) == _number(r.cells[i]))
        flow = f"{{{table.columns[i].key}: [{', '.join(table.columns[j].key for j in parts)}]}}"
        table.identities.append(("sum", flow, f"TODO confirm: {headers[i]} = the columns after it; "
                                              f"holds in {holds} of {len(complete)} rows"))
    total_rows = [r for r in table.rows if r.key == "total" or r.key.startswith("total_")]
    if total_rows:
        total = total_rows[0]
        others = [r for r in table.rows if r is not total and not r.region.startswith(("(", "（"))
                  and not any(c.endswith("%") for c in r.cells)]
        inside = [r for r in table.rows if r.region.startswith(("(", "（"))]
        if len(others) >= 2:
            columns = [i for i in range(width) if not _special(headers[i])]
            holds = sum(1 for i in columns if all(len(r.cells) == width for r in others + [total]) and
                        _sum([r.cells[i] for r in others]) == _number(total.cells[i]))
            note = f"TODO confirm: {total.region or 'the total row'} = the other rows; holds in {holds} of " \
                   f"{len(columns)} columns"
            if inside:
                note += f" (left out: {', '.join(r.region for r in inside)}, in parentheses: a city inside a region)"
            if any(len(r.cells) != width for r in others):
                note += "; a row has a lost cell: place it first"
            table.identities.append(("sum_rows", f"{{{total.key}: [{', '.join(r.key for r in others)}]}}", note))
    density = next((i for i, h in enumerate(headers) if any(w in h for w in DENSITY_WORDS)), None)
    population = next((i for i, h in enumerate(headers) if any(w in h for w in POPULATION_WORDS)), None)
    if density is not None and population is not None:
        count = next((i for i in range(width) if i not in (density, population) and not _special(headers[i])), None)
        if count is not None:
            keys = table.columns
            table.identities.append(("density", f"{{column: {keys[density].key}, count: {keys[count].key}, "
                                                f"population: {keys[population].key}}}",
                                     "TODO confirm: density = count ÷ population × 10,000"))
    rank = next((i for i, h in enumerate(headers) if any(w in h for w in RANK_WORDS)), None)
    if rank is not None:
        by = next((i for i in range(width) if i != rank and not _special(headers[i])), None)
        if by is not None:
            table.identities.append(("rank", f"{{column: {table.columns[rank].key}, by: {table.columns[by].key}, "
                                             "order: desc}", "TODO confirm: ranked by the first count column"))


def _special(header: str) -> bool:
    return any(w in header for w in DENSITY_WORDS + POPULATION_WORDS + RANK_WORDS)


def _sum(cells: list[str]) -> Decimal | None:
    values = [_number(c) for c in cells]
    return None if None in values else sum((v for v in values if v is not None), Decimal(0))


def loader_reads_tables() -> bool:
    """Whether the fact-file format of this version has the `tables:` block (the tables issue, #19)."""
    from ipfacts.load.schema import FACT_FILE_FIELDS

    return "tables" in FACT_FILE_FIELDS


def render(tables: list[TableDraft]) -> str:
    """The `tables:` block of a fact file (the agreed sketch of #19), to append to a draft."""
    from ipfacts.curate.scaffold import yaml_scalar

    if not tables:
        return ""
    out = ["# Tables (the table block of #19): check each header, key and row; confirm or remove each identity.",
           "tables:"]
    for table in tables:
        out.append(f"  {table.key}:")
        out.append(f"    line: {table.line}")
        for note in table.notes:
            out.append(f"    # {note}")
        out.append("    columns:")
        for column in table.columns:
            unit = f", unit: {yaml_scalar(column.unit)}" if column.unit else ""
            out.append(f"      {column.key}: {{header: {yaml_scalar(column.header)}{unit}}}")
        out.append("    rows:")
        for row in table.rows:
            cells = ", ".join(f'"{c}"' for c in row.cells)
            out.append(f"      {row.key}: {{region: {yaml_scalar(row.region)}, line: {row.line}, cells: [{cells}]}}")
        if table.identities:
            out.append("    identities:")
            for kind, flow, note in table.identities:
                out.append(f"      - {kind}: {flow}  # {note}")
    return "\n".join(out) + "\n"
