"""Draft the table blocks of a fact file for the statistical tables of a source.

The tables are read by `ipfacts.tables.reader` (every shape a scrape takes); which column is which
is decided by the numbers (`ipfacts.tables.arith`), and the header cells are matched to the value
columns by what the numbers say each column is: a column that is the sum of others takes the
header 合计 / 总计 / Total, a rank column 排名, a density column 密度 / 件/万人, its population 人口,
a column of percents 同比 / 占比 / Growth Rate; the other headers go to the other columns in the
source's order, and headers left over are the groups above them (总累计 over 合计 非职务 职务).

Every identity that holds in (almost) every row is declared, with how many rows hold and the rows
that break it (misprints: the check reports them); a total row whose labelled sum fails (a row cut
off by the scrape) is declared too, so that the check says so. Every guess is marked TODO; a cell
that cannot be placed is left out of the table and listed under `ignore:` with the reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import combinations

from ipfacts.curate.naming import GLOSSARY, unique, words_key
from ipfacts.curate.yamltext import yaml_scalar
from ipfacts.load.numbers import ValueError_, parse_unit
from ipfacts.load.schema import FACT_FILE_FIELDS
from ipfacts.tables import arith
from ipfacts.tables.reader import HAN, TextRow, TextTable, Token, is_empty_cell
from ipfacts.tables.reader import find_tables as read_tables

TOTAL_ROW = re.compile(r"总计|合计|^全省|^全国|^全市|^全区|^国内总计|^Total\b|^Sum\b|^All\b", re.IGNORECASE)
TOTAL_HEADER = re.compile(r"合计|总计|小计|总数|总量|^Total$|^Sum$", re.IGNORECASE)
RANK_HEADER = re.compile(r"排名|位次|名次|^Rank", re.IGNORECASE)
DENSITY_HEADER = re.compile(r"密度|每万人|件/万人|万人.*拥有|per 10,?000", re.IGNORECASE)
POPULATION_HEADER = re.compile(r"人口|Population", re.IGNORECASE)
PERCENT_HEADER = re.compile(r"%|％|同比|增长|增速|增幅|占比|比重|Growth|Rate|Share|year-on-year", re.IGNORECASE)
PROVINCES = ["北京", "天津", "河北", "山西", "内蒙", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门"]
PROVINCES_EN = {"beijing", "tianjin", "hebei", "shanxi", "inner mongolia", "liaoning", "jilin", "heilongjiang",
                "shanghai", "jiangsu", "zhejiang", "anhui", "fujian", "jiangxi", "shandong", "henan", "hubei", "hunan",
                "guangdong", "guangxi", "hainan", "chongqing", "sichuan", "guizhou", "yunnan", "tibet", "xizang",
                "shaanxi", "gansu", "qinghai", "ningxia", "xinjiang", "taiwan", "hong kong", "macao", "macau"}
KEY_WORDS = {"合计": "total", "总计": "total", "小计": "subtotal", "个人": "individual", "职务": "service",
             "非职务": "non_service", "高等院校": "university", "大专院校": "university", "科研机构": "research",
             "科研单位": "research", "事业单位": "public_institution", "机关团体": "organization", "人口": "population",
             "密度": "density", "排名": "rank", "总累计": "cumulative", "累计": "cumulative", "同比": "growth",
             "季度": "quarter", "增速": "growth", "增幅": "growth", "占比": "share", "比重": "share",
             "常住人口": "population"}
YEAR_LABEL = re.compile(r"^(?:19|20)[0-9][0-9]年?$")
MAX_PLACEMENTS = 400  # ways tried to place the cells of a row that lost some


@dataclass
class Column:
    key: str
    header: str
    unit: str | None = None
    group: str | None = None  # the group header above it (总累计), when the source has one
    period: str | None = None  # a year in its header or group (2003年)
    note: str = ""


@dataclass
class Row:
    key: str
    region: str
    line: int
    cells: list[str]
    header: str | None = None  # the label as written, when it is not the region (Beijing, 全 省)
    period: str | None = None  # a row of a time series: its year


@dataclass
class TableDraft:
    key: str
    line: int | str  # the header line or range (the first row's line when no header was found)
    columns: list[Column]
    rows: list[Row]
    identities: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, YAML flow text, note)
    notes: list[str] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)  # every line a cell of the table stands on
    ignored: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, reason)
    found: list[arith.Found] = field(default_factory=list)  # what the numbers say, for tests and comments

    @property
    def cell_lines(self) -> set[int]:
        return self.lines


def find_tables(lines: list[str], unit: str | None = None) -> list[TableDraft]:
    """The drafted tables of a source's lines, in order (a table with a share row under each count row
    is drafted as two: the counts, and the shares of them). Drafted once per text: scaffold and render ask."""
    return list(_find_tables(tuple(lines), unit))


@lru_cache(maxsize=4)
def _find_tables(lines: tuple[str, ...], unit: str | None) -> list[TableDraft]:
    drafts: list[TableDraft] = []
    taken: set[str] = set()
    for text in read_tables(list(lines)):
        for draft in _draft(text, unit, len(lines)):
            if not draft.columns or not draft.rows:
                continue  # nothing a table block could hold
            draft.key = unique(draft.key or f"table{len(drafts) + 1}", taken)
            taken.add(draft.key)
            if drafts:  # a share table names the table of counts drafted just before it
                draft.identities = [(k, f.replace("@COUNTS@", drafts[-1].key), n) for k, f, n in draft.identities]
            drafts.append(draft)
    return drafts


def _draft(text: TextTable, unit: str | None, last_line: int) -> list[TableDraft]:
    counts = [r for r in text.rows if not r.share]
    shares = [r for r in text.rows if r.share]
    share_rows = len(shares) >= 2 and len(counts) >= 2 and abs(len(shares) - len(counts)) <= 1
    rows = counts if share_rows else text.rows
    draft = TableDraft("", _line_range(text), [], [], ignored=list(text.problems), lines=set(text.lines))
    cells, keep = _cells(text, rows, draft, last_line)
    width = len(keep)
    g = arith.grid(cells, width)
    index = list(range(len(rows)))
    found_equal = arith.equal_columns(g, index)
    found_sums = _without_twins(arith.column_sums(g, index), found_equal)
    densities = _best_density(arith.densities(g, index))
    ranks = _best_rank(arith.ranks(g, index))
    draft.columns = _columns(text, width, _roles(width, g, found_sums, densities, ranks), keep, unit or text.unit,
                             _blocks(found_sums))
    plausible = [f for f in found_sums if _plausible(f, draft.columns[f.total].header)]
    if len(plausible) < len(found_sums):  # a short table's near-miss without a total header: a coincidence
        found_sums = plausible
        draft.columns = _columns(text, width, _roles(width, g, found_sums, densities, ranks), keep,
                                 unit or text.unit, _blocks(found_sums))
    found_equal = [f for f in found_equal if _plausible(f, "")]
    percent = _percent_units(draft, g)
    shares_of = arith.percents(g, index, [c for c in range(width) if percent[c] and
                                          not re.search(r"同比|增长|增速|增幅|Growth", draft.columns[c].header, re.I)])
    draft.rows = _rows(rows, cells)
    draft.found = found_sums + found_equal + densities + ranks + shares_of
    _declare(draft, g, found_sums, found_equal, densities, ranks)
    keys = [c.key for c in draft.columns]
    for item in shares_of:
        draft.identities.append(("percent", f"{{column: {keys[item.total]}, part: {keys[item.parts[0]]}, "
                                            f"whole: {keys[item.parts[1]]}}}",
                                 _note(f"{_name(draft, item.total)} = {_name(draft, item.parts[0])} ÷ "
                                       f"{_name(draft, item.parts[1])} × 100", item, draft)))
    computed = {f.total for f in densities + ranks}
    _row_totals(draft, rows, g, [c for c in range(width) if not percent[c] and c not in computed])
    out = [draft]
    if share_rows:
        out.append(_share_table(text, draft, counts, shares, found_sums, g))
    elif shares and len(shares) < len(text.rows):
        draft.notes.append(f"TODO: {len(shares)} rows of percents (the first at line {shares[0].line}) stand among "
                           "the counts: check them by hand")
    return out


def _cells(text: TextTable, rows: list[TextRow], draft: TableDraft, last_line: int) -> tuple[list[list[str]], list[int]]:
    """Each row's cells in column order (a row that lost cells placed by the sums and sizes of the full rows),
    without the columns no row fills; and the columns kept."""
    width = text.width
    full = arith.grid([r.texts for r in rows if len(r.cells) == width], width)
    sums = arith.column_sums(full, list(range(len(full.values))))
    caps = _residuals(rows, width)
    cells = [_place(r, width, full, sums, caps, draft.ignored, draft.notes,
                    bool(r.cells) and r is text.rows[-1] and r.cells[-1][0] >= last_line - 1) for r in rows]
    keep = [c for c in range(width) if any(not is_empty_cell(row[c]) for row in cells)]
    return [[row[c] for c in keep] for row in cells], keep


def _percent_units(draft: TableDraft, g: arith.Grid) -> list[bool]:
    """Which columns hold percents (their cells say so, or their header: 同比±%); those get no count unit."""
    percent = []
    for i, column in enumerate(draft.columns):
        by_header = bool(PERCENT_HEADER.search(column.header)) and not g.percent[i]
        if g.percent[i]:
            column.unit = None
        elif by_header and column.unit is None and ("%" in column.header or "％" in column.header):
            column.unit = "%"
        percent.append(g.percent[i] or by_header)
    return percent


def _declare(draft: TableDraft, g: arith.Grid, sums: list[arith.Found], equal: list[arith.Found],
             densities: list[arith.Found], ranks: list[arith.Found]) -> None:
    """The identities found, as YAML flow text with a comment saying how far each holds."""
    keys = [c.key for c in draft.columns]
    row_keys = [r.key for r in draft.rows]
    for item in sums:
        draft.identities.append(("sum", f"{{{keys[item.total]}: [{', '.join(keys[p] for p in item.parts)}]}}",
                                 _note("sum " + " + ".join(_name(draft, p) for p in item.parts) +
                                       f" = {_name(draft, item.total)}", item, draft)))
    for item in equal:
        draft.identities.append(("equal", f"{{{keys[item.total]}: [{keys[item.parts[0]]}]}}",
                                 _note(f"{_name(draft, item.total)} = {_name(draft, item.parts[0])}", item, draft)))
    for item in densities:
        d, (c, p) = item.total, item.parts
        if item.factor == 1 and draft.columns[p].unit in (None, "件", "人"):
            draft.columns[p].unit = "万人"
        elif item.factor == 10000 and draft.columns[p].unit in (None, "件"):
            draft.columns[p].unit = "人"
        if draft.columns[d].unit in ("件", "人", "万人"):
            draft.columns[d].unit = None
        if draft.columns[d].unit is None and not g.percent[d]:
            draft.columns[d].note = "a density: its unit (件/万人) is the count's per 10,000 people"
        draft.identities.append(("density", f"{{column: {keys[d]}, count: {keys[c]}, population: {keys[p]}}}",
                                 _note(f"{_name(draft, d)} = {_name(draft, c)} ÷ {_name(draft, p)}"
                                       f"{'' if item.factor == 1 else ' × 10,000'}", item, draft)))
    for item in ranks:
        ranked = [row_keys[r] for r in item.ranked]
        listed = f", rows: [{', '.join(ranked)}]" if len(ranked) < len(row_keys) else ""
        draft.columns[item.total].unit = None
        draft.identities.append(("rank", f"{{column: {keys[item.total]}, by: {keys[item.parts[0]]}, "
                                         f"order: {item.order}{listed}}}",
                                 _note(f"{_name(draft, item.total)} ranks {_name(draft, item.parts[0])} "
                                       f"({'1 = largest' if item.order == 'desc' else '1 = smallest'})", item, draft)))


def _blocks(sums: list[arith.Found]) -> list[tuple[int, int, int]]:
    """(first, last, total) of each sum whose total and parts stand side by side (合计 非职务 职务)."""
    out = []
    for item in sums:
        span = sorted((item.total, *item.parts))
        if span == list(range(span[0], span[-1] + 1)) and item.total in (span[0], span[-1]):
            out.append((span[0], span[-1], item.total))
    out = [b for b in out if not any(o != b and o[0] <= b[0] and b[1] <= o[1] for o in out)]
    return sorted(set(out))


def _without_twins(sums: list[arith.Found], equal: list[arith.Found]) -> list[arith.Found]:
    """Of two sums that differ only by one of two equal columns (合计 = 职务 + 非职务 = 职务 + 个人), the first."""
    twins = {(e.parts[0], e.total) for e in equal} | {(e.total, e.parts[0]) for e in equal}
    kept: list[arith.Found] = []
    for item in sums:
        if any(k.total == item.total and len(k.parts) == len(item.parts) and
               len(set(k.parts) ^ set(item.parts)) == 2 and
               tuple(sorted(set(k.parts) ^ set(item.parts))) in twins for k in kept):
            continue
        kept.append(item)
    return kept


def _plausible(item: arith.Found, header: str) -> bool:
    """An identity broken in a row of a short table (fewer than 5 rows judged) is kept only when the header
    of the column it computes says it is a total: in three rows, 2 of 3 may hold by chance."""
    return not item.broken or item.judged >= 5 or bool(TOTAL_HEADER.search(header))


def _line_range(text: TextTable) -> int | str:
    if not text.header_lines:
        return text.rows[0].line
    a, b = text.header_lines
    return a if a == b else f"{a}-{b}"


def _name(draft: TableDraft, column: int) -> str:
    c = draft.columns[column]
    return f"{c.group} {c.header}" if c.group else (c.header or c.key)


def _note(what: str, item: arith.Found, draft: TableDraft) -> str:
    unit = "columns" if item.kind == "sum_rows" else "rows"
    note = f"TODO confirm: {what} holds in {item.holds} of {item.judged} {unit}"
    if item.broken:
        names = [draft.rows[r].region or draft.rows[r].key for r in item.broken] if unit == "rows" else \
            [_name(draft, c) for c in item.broken]
        note += f"; not in {', '.join(names)} (a misprint? the check reports it)"
    return note


def _roles(width: int, g: arith.Grid, sums: list[arith.Found], densities: list[arith.Found],
           ranks: list[arith.Found]) -> list[str]:
    roles = ["plain"] * width
    for c in range(width):
        if g.percent[c]:
            roles[c] = "percent"
    for item in sums:
        roles[item.total] = "total"
    for item in _best_density(densities):
        roles[item.total] = "density"
        roles[item.parts[1]] = "population"
    for item in _best_rank(ranks):
        roles[item.total] = "rank"
    return roles


def _best_density(found: list[arith.Found]) -> list[arith.Found]:
    """One reading of each three columns: count ÷ population = density is also count ÷ density = population;
    the density is the column printed with the most decimals (then the one further right)."""
    chosen: list[arith.Found] = []
    for item in sorted(found, key=lambda f: (-f.holds, -f.decimals, -f.total)):
        if not any({item.total, *item.parts} & {c.total, *c.parts} for c in chosen):
            chosen.append(item)
    return chosen


def _best_rank(found: list[arith.Found]) -> list[arith.Found]:
    best: dict[int, arith.Found] = {}
    for item in found:
        if item.total not in best or item.holds > best[item.total].holds:
            best[item.total] = item
    return list(best.values())


def _token_role(text: str) -> str:
    if RANK_HEADER.search(text):
        return "rank"
    if DENSITY_HEADER.search(text):
        return "density"
    if POPULATION_HEADER.search(text):
        return "population"
    if TOTAL_HEADER.search(text):
        return "total"
    if PERCENT_HEADER.search(text):
        return "percent"
    return "plain"


def _columns(text: TextTable, width: int, roles: list[str], keep: list[int], unit: str | None,
             blocks: list[tuple[int, int, int]] | None = None) -> list[Column]:
    """Header cells matched to value columns: by role first (what the numbers say), then in order."""
    tokens = text.headers
    zh = [t for t in tokens if not re.search(r"[A-Za-z]", t.text)]
    en = [t for t in tokens if not HAN.search(t.text)]
    chosen = zh if len(zh) >= width else en if len(en) >= width else tokens
    if text.shape == "pipe":
        chosen = tokens  # one header a pipe cell, empty ones holding their place
    if len(chosen) == text.width and len(keep) < text.width:
        chosen = [chosen[k] for k in keep]  # a column no row fills is left out, its header with it
    blocks = blocks or []
    headers: list[str | None] = [None] * width
    units: list[str | None] = [None] * width
    groups_of: list[str | None] = [None] * width
    if len(chosen) > width and _collapse(chosen, width, blocks, headers, units, groups_of):
        return _make_columns(width, headers, units, groups_of, [], 0, unit)
    free_tokens = list(range(len(chosen)))
    for role in ("rank", "density", "population", "total", "percent"):
        columns = [c for c in range(width) if roles[c] == role]
        named = [i for i in free_tokens if _token_role(chosen[i].text) == role]
        if not columns or not named:
            continue
        if role == "percent" and len(named) > len(columns) and len(columns) == 1:
            run = [named[0]] + [i for i in named[1:] if i == named[0] + named.index(i)]
            headers[columns[0]] = " ".join(chosen[i].text for i in run)
            units[columns[0]] = chosen[run[-1]].unit
            free_tokens = [i for i in free_tokens if i not in run]
            continue
        for c, i in zip(columns, named, strict=False):
            headers[c] = chosen[i].text
            units[c] = chosen[i].unit
            free_tokens.remove(i)
    plain_columns = [c for c in range(width) if headers[c] is None]
    groups: list[str] = []
    extra = len(free_tokens) - len(plain_columns)
    if extra > 0:
        groups = [chosen[i].text for i in free_tokens[:extra]]
        free_tokens = free_tokens[extra:]
    for c, i in zip(plain_columns, free_tokens, strict=False):
        headers[c] = chosen[i].text
        units[c] = chosen[i].unit
    per = width // len(groups) if groups and width % len(groups) == 0 else 0
    return _make_columns(width, headers, units, [groups[c // per] if per else None for c in range(width)],
                         groups if not per else [], per, unit)


def _collapse(chosen: list[Token], width: int, blocks: list[tuple[int, int, int]], headers: list[str | None],
              units: list[str | None], groups: list[str | None]) -> bool:
    """A header of two rows scraped one after the other (地区 合计 职务 非职务 … then 小计 发明 实用新型 外观设计):
    each block of columns the numbers say is a total and its parts (职务小计 = 发明 + 实用新型 + 外观设计) takes a
    run of sub-headers holding one total word at the total's place; the other headers, in order, go to the
    other columns and to each block as its group header."""
    used: set[int] = set()
    runs: dict[tuple[int, int, int], list[int]] = {}
    for block in blocks:
        first, last, total = block
        size = last - first + 1
        place = total - first
        starts = [i for i in range(len(chosen) - size, -1, -1)
                  if not used & set(range(i, i + size)) and _token_role(chosen[i + place].text) == "total" and
                  all(_token_role(chosen[j].text) != "total" for j in range(i, i + size) if j != i + place)]
        if not starts:
            return False
        runs[block] = list(range(starts[0], starts[0] + size))
        used |= set(runs[block])
    rest = [i for i in range(len(chosen)) if i not in used]
    slots: list[tuple[int, int, int] | int] = []
    c = 0
    while c < width:
        starting = next((b for b in blocks if b[0] == c), None)
        if starting is None:
            slots.append(c)
            c += 1
        else:
            slots.append(starting)
            c = starting[1] + 1
    if len(rest) != len(slots):
        return False
    for slot, i in zip(slots, rest, strict=True):
        if isinstance(slot, int):
            headers[slot], units[slot] = chosen[i].text, chosen[i].unit
            continue
        for column, j in zip(range(slot[0], slot[1] + 1), runs[slot], strict=True):
            headers[column], units[column], groups[column] = chosen[j].text, chosen[j].unit, chosen[i].text
    return True


def _make_columns(width: int, headers: list[str | None], units: list[str | None], groups_of: list[str | None],
                  left_over: list[str], per: int, unit: str | None) -> list[Column]:
    columns: list[Column] = []
    taken: set[str] = set()
    for c in range(width):
        header = headers[c] or f"第{c + 1}列"  # TODO-marked: no header stands over the column
        group = groups_of[c]
        key = _column_key(header, group, c)
        key = unique(key, taken)
        taken.add(key)
        year = re.search(r"(19|20)[0-9][0-9]", f"{group or ''} {header}")
        column_unit = _unit(units[c]) or _unit(_bracketed(header)) or _unit(unit)
        columns.append(Column(key, header, column_unit, group, year.group(0) if year else None))
        if not headers[c]:
            columns[-1].note = "TODO: no header found for this column: name it"
    if left_over:
        columns[0].note = f"TODO: header cells left over (groups?): {', '.join(left_over)}"
    return columns


def _bracketed(header: str) -> str | None:
    found = re.search(r"[(（]([^()（）]+)[)）]\s*$", header)
    return found.group(1) if found else None


def _unit(text: str | None) -> str | None:
    if not text:
        return None

    text = re.sub(r"^(?:单位\s*[:：]|Unit\s*:)\s*", "", text.strip(), flags=re.IGNORECASE)
    text = {"piece": "件", "pieces": "件", "person": "人"}.get(text.lower(), text)
    try:
        parse_unit(text)
    except ValueError_:
        return None
    return text


PERIOD_KEY = re.compile(r"([0-9]{1,2})\s*[-—–~至]\s*([0-9]{1,2})\s*(月|季度)")


def _column_key(header: str, group: str | None, index: int) -> str:
    glossary = dict(GLOSSARY, **KEY_WORDS)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(glossary, key=len, reverse=True)))
    def words(text: str) -> str:
        parts = [glossary[m.group(0)] for m in pattern.finditer(text) if glossary[m.group(0)]]
        english = "_".join(re.findall(r"[a-z]+", text.lower())) if re.search(r"[A-Za-z]", text) else ""
        return "_".join(dict.fromkeys(parts)) or english or words_key(text)
    key = words(header) if header else f"col{index + 1}"
    months = PERIOD_KEY.search(header)
    if months:  # 1-6月 → m1_6, 1-2季度 → q1_2 (and 1-5月增速 → m1_5_growth)
        span = f"{'m' if months.group(3) == '月' else 'q'}{months.group(1)}_{months.group(2)}"
        key = span if key in ("", "quarter") or key.startswith("col") else f"{span}_{key}"
    if group:
        year = re.search(r"(19|20)[0-9][0-9]", group)
        prefix = f"y{year.group(0)}" if year else words(group)
        key = f"{prefix}_{key}" if prefix and prefix not in key else key
    year = re.search(r"(19|20)[0-9][0-9]", header)
    if year and not key.startswith("y"):
        key = f"y{year.group(0)}" + (f"_{key}" if key and not key.isdigit() and key != year.group(0) else "")
    key = re.sub(r"[^a-z0-9_]+", "_", key.lower()).strip("_") or f"col{index + 1}"
    return key if not key[0].isdigit() else f"c{key}"


def _residuals(rows: list[TextRow], width: int) -> list[float] | None:
    """What a labelled total row leaves for the rows that lost cells: total − the complete rows, per column.
    Counts are not negative, so a cell placed in a column can be no larger than its column's residual (香港's
    10 cannot be 科研机构's when the other rows already make up 科研机构's total). None when the complete rows
    do not fit under the total (cities listed inside provinces)."""
    totals = [r for r in rows if len(r.cells) == width and TOTAL_ROW.search(r.label.replace(" ", ""))]
    if not totals or all(len(r.cells) == width for r in rows):
        return None
    total = totals[0]
    parts = [r for r in rows if r is not total and len(r.cells) == width and not r.subset and
             not r.label.startswith(("(", "（")) and not TOTAL_ROW.search(r.label.replace(" ", ""))]
    caps = []
    for c in range(width):
        values = [arith.number(r.texts[c]) for r in [total, *parts]]
        if any(v is None for v in values[:1]):
            return None
        caps.append(float(values[0] or 0) - sum(float(v) for v in values[1:] if v is not None))
    return caps if all(cap >= -1e-9 for cap in caps) else None


def _place(row: TextRow, width: int, g: arith.Grid, sums: list[arith.Found], caps: list[float] | None, ignored: list[tuple[int, str, str]], notes: list[str],
           last: bool) -> list[str]:
    """The row's cells in column order: a row that lost cells gets them placed by kind (percent or not)
    and size, its missing cells empty; a cell that fits nowhere is listed as ignored."""
    texts = row.texts
    if len(texts) == width:
        return texts
    if len(texts) > width:
        for line, text in row.cells[width:]:
            if not is_empty_cell(text):
                ignored.append((line, text, f"a cell past the table's {width} columns (row {row.label})"))
        notes.append(f"TODO: row {row.label} (line {row.line}) has {len(texts)} cells for {width} columns: "
                     "the ones past the last column are listed under ignore:")
        return texts[:width]
    cells = list(texts)
    while cells:
        placed = _best_placement(cells, width, g, sums, caps)
        if placed is not None:
            break
        line, text = row.cells[len(cells) - 1]
        ignored.append((line, text, "a cell the table cannot place: "
                        + ("the scrape ends inside this row" if last else f"row {row.label} lost cells")))
        cells.pop()
    else:
        placed = [""] * width
    empty = [i for i, c in enumerate(placed) if c == ""]
    dropped = len(texts) - len(cells)
    notes.append(f"TODO: row {row.label} (line {row.line}) has {len(texts)} cells for {width} columns"
                 + (f" (the scrape ends inside it: {dropped} cell(s) under ignore:)" if dropped else "") +
                 f": placed by kind, size{' and what the total row leaves' if caps else ''}, column(s) "
                 f"{', '.join(str(i + 1) for i in empty)} left empty; check them")
    return placed


def _best_placement(cells: list[str], width: int, g: arith.Grid, sums: list[arith.Found],
                    caps: list[float] | None = None) -> list[str] | None:
    """The placement of a row's cells (in order) that keeps the table's sums and fits each column's size."""
    medians = []
    for c in range(width):
        values = sorted(abs(v) for v in (row[c] for row in g.floats) if v is not None and v != 0)
        medians.append(math.log10(values[len(values) // 2]) if values else None)
    best: tuple[float, list[str]] | None = None
    for tried, positions in enumerate(combinations(range(width), len(cells))):
        if tried > MAX_PLACEMENTS:
            break
        score = 0.0
        ok = True
        for text, c in zip(cells, positions, strict=True):
            percent = text.endswith(("%", "％"))
            if g.percent[c] != percent and not is_empty_cell(text):
                ok = False
                break
            value, median = arith.number(text), medians[c]
            if value is not None and caps is not None and float(value) > caps[c] + 1e-9:
                ok = False  # more than the total leaves for this column
                break
            if value is None or value == 0 or median is None:
                continue
            misfit = abs(math.log10(abs(float(value))) - median)
            if misfit > 3:
                ok = False
                break
            score += misfit
        if ok:
            score += sum(_sum_penalty(cells, positions, item) for item in sums)
        if ok and (best is None or score < best[0]):
            out = [""] * width
            for text, c in zip(cells, positions, strict=True):
                out[c] = text
            best = (score, out)
    return best[1] if best else None


def _sum_penalty(cells: list[str], positions: tuple[int, ...], item: arith.Found) -> float:
    at = dict(zip(positions, cells, strict=True))
    total = arith.number(at.get(item.total, ""))
    if total is None:
        return 5.0
    parts = [arith.number(at.get(p, "")) for p in item.parts]
    return 0.0 if sum((p for p in parts if p is not None), Decimal(0)) == total else 10.0


def _rows(rows: list[TextRow], cells: list[list[str]]) -> list[Row]:
    out: list[Row] = []
    taken: set[str] = set()
    for row, placed in zip(rows, cells, strict=True):
        if YEAR_LABEL.match(row.label):  # a row of a time series: labelled by its year, not a region
            key = unique(f"y{row.label[:4]}", taken)
            taken.add(key)
            out.append(Row(key, "", row.line, placed, row.label, row.label[:4]))
            continue
        region, english = _split_label(row.label)
        key = unique(_row_key(region, english), taken)
        taken.add(key)
        header = row.label if row.label.replace(" ", "") != region else None
        if header is not None and region and region in row.label:
            header = None  # 北京  Beijing: the row line shows its region
        out.append(Row(key, region or english or row.label, row.line, placed, header))
    return out


def _split_label(label: str) -> tuple[str, str]:
    if re.search(r"(?<![A-Za-z])[A-Za-z]{1,2}[\u4e00-\u9fff]", label):
        return label.lstrip("#＃"), ""  # A市, B县: a letter is part of the name
    han = "".join(re.findall(r"[\u4e00-\u9fff（）()#＃]+", label)).lstrip("#＃")
    english = " ".join(re.findall(r"[A-Za-z][A-Za-z .'’-]*", label)).strip()
    if han.startswith(("(", "（")) and han.endswith((")", "）")):
        han = han  # (广州): a city inside a region, as written
    return han, english


def _row_key(region: str, english: str) -> str:
    if TOTAL_ROW.search(region) or TOTAL_ROW.search(english):
        return "total"
    if english and not region:
        return re.sub(r"[^a-z0-9]+", "_", english.lower()).strip("_") or "row"
    if english and not re.search(r"[^\x00-\x7f]", english):
        return re.sub(r"[^a-z0-9]+", "_", english.lower()).strip("_") or "row"
    from pypinyin import lazy_pinyin  # lazy: 0.2 s to import; only a row name with no English words needs it

    key = re.sub(r"[^a-z0-9]+", "_", "".join(lazy_pinyin(region[:6])).lower()).strip("_") or "row"
    return key if not key[0].isdigit() else f"r{key}"


def _province(row: Row) -> bool:
    region = row.region.strip("()（）")
    if region.startswith(("(", "（")) or row.region.startswith(("(", "（")):
        return False
    english = (row.header or row.region).lower()
    english = " ".join(re.findall(r"[a-z][a-z ]*[a-z]", english))
    return any(region == p or (region.startswith(p) and len(region) <= len(p) + 3 and
                               re.fullmatch(p + r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|古)?", region))
               for p in PROVINCES) or english in PROVINCES_EN


def _row_totals(draft: TableDraft, rows: list[TextRow], g: arith.Grid, additive: list[int]) -> None:
    """A total row (labelled so, or the first or last row when a run of rows adds up to it) and its parts."""
    if not additive or len(draft.rows) < 3:
        return
    labelled = [i for i, r in enumerate(draft.rows) if r.key == "total" or r.key.startswith("total_")]
    candidates = labelled or [0, len(draft.rows) - 1]
    index = list(range(len(draft.rows)))
    for total in candidates[:2]:
        parts = _parts(draft, rows, g, total, index, additive, bool(labelled))
        if parts is None:
            continue
        holds, judged, broken = arith.row_sum(g, total, parts, additive)
        near = all(abs(sum(g.values[r][c] or 0 for r in parts) - (g.values[total][c] or 0)) * 10000 <=
                   abs(g.values[total][c] or 0) for c in broken)  # off by a misprint in a last digit
        if not judged or (not labelled and holds < judged and not (near and len(parts) >= 3)):
            continue
        item = arith.Found("sum_rows", total, tuple(parts), holds, judged, broken)
        left_out = [draft.rows[i] for i in index if i != total and i not in parts]
        note = _note(f"{draft.rows[total].region or draft.rows[total].key} = the {len(parts)} rows listed", item, draft)
        if broken and len(broken) * 2 >= judged:
            gaps = [_gap(g, total, parts, c) for c in broken[:3]]
            where = "any column" if holds == 0 else f"{len(broken)} of {judged} columns"
            note = (f"TODO confirm: {draft.rows[total].region} is NOT the sum of the {len(parts)} rows in {where} "
                    f"({'; '.join(gaps)}): a row lost or cut off? the check reports it")
        if left_out:
            note += f" (left out: {', '.join(r.region or r.key for r in left_out[:8])}{' …' if len(left_out) > 8 else ''})"
        draft.identities.append(("sum_rows", f"{{{draft.rows[total].key}: [{', '.join(draft.rows[i].key for i in parts)}]}}",
                                 note))
        draft.found.append(item)
        return


def _gap(g: arith.Grid, total: int, parts: list[int], column: int) -> str:
    t = g.values[total][column] or 0
    got = sum(g.values[r][column] or 0 for r in parts)
    diff = Decimal(t - got) / 2 / (Decimal(10) ** g.scale)
    return f"column {column + 1}: {'short' if diff > 0 else 'over'} by {abs(diff):,}"


def _parts(draft: TableDraft, rows: list[TextRow], g: arith.Grid, total: int, index: list[int], additive: list[int],
           labelled: bool) -> list[int] | None:
    others = [i for i in index if i != total and not draft.rows[i].key.startswith("total")]
    provinces = [i for i in others if _province(draft.rows[i])]
    if len(provinces) >= 5 and len(provinces) < len(others) + 1:
        return provinces
    run = arith.run_to_total(g, total, index, additive)
    if run is not None:
        return sorted(run)
    if not labelled:
        return None
    plain = [i for i in others if not rows[i].subset and not draft.rows[i].region.startswith(("(", "（"))]
    return plain if len(plain) >= 2 else None


def _share_table(text: TextTable, counts: TableDraft, count_rows: list[TextRow], shares: list[TextRow],
                 sums: list[arith.Found], g: arith.Grid) -> TableDraft:
    """The share rows (each under its count row) as a table of the same rows and columns, `share` of the counts."""
    width = len(counts.columns)
    by_line = {r.line: i for i, r in enumerate(count_rows)}
    rows: list[Row] = []
    for share in shares:
        above = max((line for line in by_line if line < share.line), default=None)
        if above is None:
            continue
        count = counts.rows[by_line[above]]
        if any(r.key == count.key for r in rows):
            continue
        cells = (share.texts + [""] * width)[:width]
        rows.append(Row(count.key, count.region, share.line, cells, share.label if share.label != count.region else None))
    draft = TableDraft(f"{counts.key}_shares" if counts.key else "", counts.line,
                       [Column(c.key, c.header, None, c.group, c.period) for c in counts.columns], rows)
    draft.lines = {r.line for r in rows}
    whole = sums[0].total if sums else 0
    holds = judged = 0
    for row in rows:
        i = next(n for n, r in enumerate(counts.rows) if r.key == row.key)
        w = g.floats[i][whole]
        for c in range(width):
            v, part = arith.number(row.cells[c]), g.floats[i][c]
            if v is None or part is None or not w:
                continue
            judged += 1
            digits = arith.decimals_of(v)
            holds += abs(float(v) - part / w * 100) <= 0.5 * 10 ** -digits + 1e-9
    draft.identities.append(("share", f"{{of: @COUNTS@, whole: {counts.columns[whole].key}}}",
                             f"TODO confirm: each share = its count ÷ {_name(counts, whole)}, in percent; holds in "
                             f"{holds} of {judged} cells"))
    return draft


def loader_reads_tables() -> bool:
    """Whether the fact-file format of this version has the `tables:` block."""
    return "tables" in FACT_FILE_FIELDS


def render(tables: list[TableDraft]) -> str:
    """The `tables:` block of a fact file, to append to a draft."""
    if not tables:
        return ""
    out = ["# Tables: check each header, key and row; confirm or remove each identity (the numbers found them).",
           "tables:"]
    for table in tables:
        out.append(f"  {table.key}:")
        out.append(f"    line: {table.line}")
        for note in table.notes:
            out.append(f"    # {note}")
        out.append("    columns:")
        for column in table.columns:
            extra = "".join(f", {name}: {yaml_scalar(value)}" for name, value in
                            (("group", column.group), ("unit", column.unit), ("period", column.period)) if value)
            comment = f"  # {column.note}" if column.note else ""
            out.append(f"      {column.key}: {{header: {yaml_scalar(column.header)}{extra}}}{comment}")
        out.append("    rows:")
        for row in table.rows:
            cells = ", ".join(f'"{c}"' for c in row.cells)
            header = f", header: {yaml_scalar(row.header)}" if row.header else ""
            region = f"region: {yaml_scalar(row.region)}, " if row.region else ""
            header += f", period: {yaml_scalar(row.period)}" if row.period else ""
            out.append(f"      {row.key}: {{{region}{header.lstrip(', ')}{', ' if header else ''}line: {row.line}, "
                       f"cells: [{cells}]}}")
        if table.identities:
            out.append("    identities:")
            for kind, flow, note in table.identities:
                out.append(f"      - {kind}: {flow}  # {note}")
    return "\n".join(out) + "\n"
