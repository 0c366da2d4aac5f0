"""The one reader of tables in a source's text, in every shape a scrape leaves them:

- one row a line, cells separated by whitespace, tabs or pipes (`北京  Beijing 127062 1796 …`,
  `| 甲县 | 9000 | | 1200 |`), two panels side by side on one line (`北京 120 80 上海 180 120`);
- one cell a line, with or without blank lines between, with or without a ` |` after each
  (`北京 |`, `66089 |`, …): a label line (or two: `杭州` / `市本级`), then the row's cells;
- a header block above the rows over one or many lines: group headers over sub-headers, a unit
  on its own line (`(万人)`, `(Unit: piece)`), Chinese and English names alternating, a header
  block repeated for a second panel;
- cells that are a dash or a slash (`-`, `—`, `/`): empty cells that keep their place; a row
  with fewer cells than the table keeps them, its missing cells empty, never dropped;
- row labels spaced out (`全 省`, `其 他`), split over two lines, marked as a subset (`#发明`, 其中);
- several small tables one after another, each with its own header row.

`find_tables` finds the tables of a text (for drafting); `read_row` reads the row a table block
says starts at a line (for checking cells); `placement` says which piece of a source row holds
each declared cell. Nothing here knows fact files, checks or drafts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

CELL_TOKEN = re.compile(r"^[-+−–]?(?:[0-9]{1,3}(?:[,，][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?[%％‰]?$|^[-—–－…/／]$")
EMPTY_CELLS = ("", "-", "—", "–", "－", "…", "/", "／")  # a cell the source leaves empty, or marks so
ROW_HEADER_WORDS = ("地区", "区域", "年份", "年度", "Year", "Years", "城市", "省份", "省市", "地市", "县区", "区县", "单位名称", "名称", "设区市", "项目",
                    "指标", "类别", "区域名称", "地区名称",
                    "Regions", "Region", "Province", "Provinces", "Area", "City", "Cities")
TITLE = re.compile(r"年报|年鉴|统计表|^表\s*[0-9]|^Table\s*[0-9]|Yearbook|^[0-9]+-[0-9]+\s|according to|Originated|"
                   r"Distribution of|[（(]\s*(?:19|20)[0-9][0-9]\s*年?\s*[)）]\s*$", re.IGNORECASE)
UNIT_LINE = re.compile(r"^[（(]?\s*(?:单\s*位|Unit)\s*[:：]?\s*(.*?)\s*[)）]?\s*(?:[（(].*[)）])?$", re.IGNORECASE)
UNIT_TOKEN = re.compile(r"^[（(]\s*(?:单位\s*[:：]|Unit\s*:)?\s*([^()（）]+?)\s*[)）]$", re.IGNORECASE)
FOOTNOTE = re.compile(r"^\s*(?:注|说明|备注|数据来源|资料来源|Note|Source)\s*[:：]", re.IGNORECASE)
PROSE = re.compile(r"[。；;，,！？!?：:]")  # a label with sentence punctuation is prose, not a row
SUBSET = re.compile(r"^\s*(?:#|＃|其中[:：]?)")
HEADER_REACH = 40  # lines above a table's first row searched for its header block
LATIN = re.compile(r"[A-Za-z]")
HAN = re.compile(r"[\u4e00-\u9fff]")
YEAR = re.compile(r"^(?:19|20)[0-9][0-9]年?$")
BLANK, CELL, ROW, HEAD, TEXT = "blank", "cell", "row", "head", "text"


def is_empty_cell(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).strip() in EMPTY_CELLS


def normal(line: str) -> str:
    return unicodedata.normalize("NFKC", line).strip()


def pieces(line: str) -> tuple[list[str], bool]:
    """A line cut into pieces: a pipe row by its pipes (empty cells kept), else by whitespace."""
    text = normal(line)
    if "|" not in text:
        return text.split(), False
    parts = [p.strip() for p in text.split("|")]
    if text.startswith("|"):
        parts = parts[1:]
    if text.endswith("|"):
        parts = parts[:-1]
    return parts, True


def is_cell(piece: str) -> bool:
    return CELL_TOKEN.match(piece.replace(" ", "")) is not None


def cell_token(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip()


def label_text(parts: list[str]) -> str:
    """A label's pieces joined: `全 省` → 全省 (a label spaced out), `北京 Beijing` stays."""
    if len(parts) > 1 and all(len(p) == 1 and HAN.match(p) for p in parts):
        return "".join(parts)
    return " ".join(parts)


@dataclass(frozen=True)
class SourceRow:
    """A row as the source writes it: its label and its cells, each with the line it stands on."""

    label: str
    cells: list[tuple[int, str]]


def _segments(found: list[str], piped: bool) -> list[tuple[list[str], list[str]]]:
    """A line's (label pieces, cell pieces) runs: one for a row, two or more for panels side by side."""
    out: list[tuple[list[str], list[str]]] = []
    for piece in found:
        cell = is_cell(piece) or (piped and piece == "")
        if not out or (not cell and out[-1][1]):
            out.append(([], []))
        (out[-1][1] if cell else out[-1][0]).append(piece)
    return out


def read_row(lines: list[str], start: int, wanted: int, header: str | None = None) -> SourceRow:
    """The row starting at line `start` (1-based): its label (the leading pieces that are not cells) and
    up to `wanted` cells. When the row line holds fewer, the cells are read on from the following lines
    (one cell per line), skipping blank lines, up to a line that is not cells alone (the next row's label);
    a label split over two lines (`杭州` / `市本级`) is read whole. A first piece that is the row's `header`
    is its label even when it looks like a number (a year); on a line of two panels, the panel labelled
    `header` is the row."""
    label: list[str] = []
    cells: list[tuple[int, str]] = []
    for number in range(start, len(lines) + 1):
        if len(cells) >= wanted:
            break
        found, piped = pieces(lines[number - 1])
        if number == start:
            if not piped and header:
                runs = [r for r in _segments(found, piped) if r[0]]
                mine = [r for r in runs if squash_text(label_text(r[0])) == squash_text(header)]
                if len(runs) > 1 and mine:
                    found = mine[0][0] + mine[0][1]
            while found and not is_cell(found[0]) and not (piped and found[0] == "" and label):
                label.append(found.pop(0))
            if not label and found and header and squash_text(found[0]) == squash_text(header):
                label.append(found.pop(0))
        elif found and not all(is_cell(p) or (piped and p == "") for p in found):
            if cells or number > start + 1 or not label or any(is_cell(p) for p in found):
                break
            label.extend(found)  # the second line of a split label
            continue
        # a pipe row keeps its empty cells (they hold a column's place); whitespace cannot write one
        cells.extend((number, p) for p in found if is_cell(p) or (piped and p == ""))
    return SourceRow(label_text(label), cells)


def squash_text(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def placement(declared: list[str], found: list[str]) -> list[int | None]:
    """For each declared cell, the index of the source piece that should hold it.

    As many pieces as cells: one for one (a pipe row keeps its empty cells). Fewer: the source lost
    empty cells, so the cells declared non-empty take the pieces in order. More (a leading 序号 column,
    a trailing note): the run of pieces that agrees with the most declared cells."""
    if len(found) == len(declared):
        return list(range(len(declared)))
    if len(found) < len(declared):
        places: list[int | None] = []
        filled = 0
        for text in declared:
            places.append(filled if text.strip() and filled < len(found) else None)
            filled += bool(text.strip())
        return places
    wanted = [cell_token(t) for t in declared]
    tokens = [cell_token(t) for t in found]
    best = max(range(len(found) - len(declared) + 1),
               key=lambda k: (sum(w == tokens[k + n] for n, w in enumerate(wanted)), -k))
    return [best + n for n in range(len(declared))]


def cell_line(lines: list[str], row_line: int, declared: list[str], position: int, header: str | None) -> int | None:
    """The line the cell at `position` of a declared row stands on (a one-cell-a-line row spans lines)."""
    found = read_row(lines, row_line, len(declared), header)
    places = placement(declared, [p for _, p in found.cells])
    index = places[position] if position < len(places) else None
    return None if index is None else found.cells[index][0]


# --- Finding tables ------------------------------------------------------------------------------


@dataclass
class TextRow:
    label: str  # as written, spaced labels joined (全 省 → 全省)
    line: int  # the label's line (the first cell's when there is no label)
    cells: list[tuple[int, str]]  # (line, text as written); "" for a cell a pipe row leaves empty
    subset: bool = False  # `#发明`, 其中: a part of the row above

    @property
    def texts(self) -> list[str]:
        return [t for _, t in self.cells]

    @property
    def share(self) -> bool:
        """A row of percents only (a share row under its count row)."""
        filled = [t for t in self.texts if not is_empty_cell(t)]
        return bool(filled) and all(t.endswith(("%", "％")) for t in filled)


@dataclass
class Token:
    line: int
    text: str
    unit: str | None = None  # a unit written on its own line under the header: (万人)


@dataclass
class TextTable:
    shape: str  # rows (one a line), cells (one a line), pipe
    rows: list[TextRow]
    headers: list[Token]  # the column headers, in the order the source writes them (row header word left out)
    width: int
    unit: str | None = None  # 单位:件 above the table
    header_lines: tuple[int, int] | None = None
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, reason): not read

    @property
    def lines(self) -> set[int]:
        found = {n for r in self.rows for n, _ in r.cells} | {r.line for r in self.rows}
        if self.header_lines:
            found |= set(range(self.header_lines[0], self.header_lines[1] + 1))
        return found

    @property
    def first_line(self) -> int:
        return self.header_lines[0] if self.header_lines else self.rows[0].line


def _classify(line: str) -> tuple[str, list[tuple[list[str], list[str]]]]:
    text = normal(line)
    if re.match(r"^\|?\s*:?-{3,}", text):
        return BLANK, []  # |---|---|: the rule under a Markdown header
    found, piped = pieces(text)
    if not any(found):
        return BLANK, []
    if len(found) == 1:
        return (CELL if is_cell(found[0]) else TEXT), [([], found)] if is_cell(found[0]) else [(found, [])]
    runs = _segments(found, piped)
    if TITLE.search(text) or FOOTNOTE.match(text):
        return TEXT, [(found, [])]
    if piped:
        label, rest = runs[0]
        if len(runs) == 1 and label and (any(rest) or len(found) > len(label)) and \
                (any(is_cell(p) for p in rest) or len(label) == 1):
            return ROW, runs
        if not any(is_cell(p) for p in found) and sum(1 for p in found if p) >= 2:
            return HEAD, runs
        return TEXT, [(found, [])]
    if not runs[0][0] and len(runs) == 1 and sum(1 for c in runs[0][1] if not is_empty_cell(c)) < 2:
        return TEXT, [(found, [])]  # - 2 -: a page number, not a row
    if len(runs) == 2 and not runs[0][0] and runs[1][0]:
        runs = [(runs[1][0], runs[0][1] + runs[1][1])]  # 4 张家界 567 89: a rank before the label
    if all(label and cells for label, cells in runs) or (not runs[0][0] and len(runs) == 1):
        if _row_word(label_text(runs[0][0])) and all(YEAR.match(c) for c in runs[0][1]):
            return HEAD, runs  # Regions 2017 2021 2022
        prose = any(PROSE.search(" ".join(label)) or len(" ".join(label)) > 40 for label, _ in runs)
        if not prose and sum(len(c) for _, c in runs) >= 2 and \
                (len(runs) == 1 or (len({len(c) for _, c in runs}) == 1 and len(runs[0][1]) >= 2)):
            return ROW, runs
    return TEXT, [(found, [])]


def _row_word(text: str) -> bool:
    """The header of the row labels: 地区, Regions, 地区 Regions (a Chinese word, then its English)."""
    squashed = squash_text(text).lower()
    return any(squashed == w.lower() or (HAN.match(w) and squashed.startswith(w) and
                                        re.fullmatch(r"[a-z]*", squashed[len(w):])) for w in ROW_HEADER_WORDS)


def find_tables(lines: list[str]) -> list[TextTable]:
    """The tables of a text, in order (read once per text: coverage, scaffold and its render all ask)."""
    return _find_tables(tuple(lines))


@lru_cache(maxsize=8)
def _find_tables(text: tuple[str, ...]) -> list[TextTable]:
    lines = list(text)
    kinds = [_classify(line) for line in lines]
    found: list[TextTable] = []
    index = 0
    while index < len(lines):
        kind = kinds[index][0]
        table, end = None, index + 1
        if kind in (ROW, HEAD) and (kind == ROW or _rows_follow(kinds, index)):
            table, end = _row_table(lines, kinds, index)
        elif kind == TEXT and _cells_follow(kinds, index):
            table, end = _cell_table(lines, kinds, index)
        if table is not None and table.rows:
            found.append(table)
            index = max(end, index + 1)
        else:
            index += 1
    return found


def _next(kinds: list[tuple[str, list]], at: int) -> int:
    while at < len(kinds) and kinds[at][0] == BLANK:
        at += 1
    return at


def _rows_follow(kinds: list[tuple[str, list]], at: int) -> bool:
    after = _next(kinds, at + 1)
    return after < len(kinds) and kinds[after][0] == ROW


def _cells_follow(kinds: list[tuple[str, list]], at: int) -> bool:
    first = _next(kinds, at + 1)
    second = _next(kinds, first + 1)
    return second < len(kinds) and kinds[first][0] == CELL and kinds[second][0] == CELL


def _row_table(lines: list[str], kinds: list[tuple[str, list]], start: int) -> tuple[TextTable | None, int]:
    piped = "|" in lines[start]
    header: list[Token] = []
    header_lines = None
    unit = None
    at = start
    if kinds[start][0] == HEAD:
        header = [Token(start + 1, t) for t in pieces(lines[start])[0]] if piped else \
            [Token(start + 1, t) for t in _tokens(lines[start])]
        header_lines = (start + 1, start + 1)
        at = start + 1
        if not piped:
            above, first, unit = _header_above(lines, kinds, start)
            header = _clean_header(above + header)
            header_lines = (min(t.line for t in header), start + 1) if header else None
    else:
        header, first, unit = _header_above(lines, kinds, start)
        header_lines = (first, _last_line(header)) if header and first else None
    rows: list[TextRow] = []
    pending: tuple[int, str] | None = None  # a text line that is the first half of the next row's label
    while at < len(lines):
        kind, runs = kinds[at]
        if kind == BLANK:
            at += 1
            continue
        if kind == ROW and ("|" in lines[at]) == piped:
            for label_parts, cells in runs:
                label = label_text(label_parts)
                line = at + 1
                if pending is not None:
                    line, label = pending[0], pending[1] + label
                    pending = None
                rows.append(TextRow(label, line, [(at + 1, c) for c in cells], bool(SUBSET.match(label))))
            at += 1
            continue
        if kind == TEXT and not piped and pending is None and len(squash_text(lines[at])) <= 8 and \
                not re.search(r"[0-9]", lines[at]) and _next(kinds, at + 1) < len(kinds) and \
                kinds[_next(kinds, at + 1)][0] == ROW and rows:
            pending = (at + 1, squash_text(lines[at]))
            at += 1
            continue
        break
    if len(rows) < (1 if piped and header else 2):
        return None, start + 1
    if all(not r.label and r.cells and YEAR.match(r.cells[0][1]) for r in rows):
        for row in rows:  # a time series: 2019 1000 2000, the year labels its row
            row.line, label = row.cells.pop(0)
            row.label = label
    width = _width(rows, len(header) - (1 if piped else 0))
    if piped and header:
        header = header[1:]  # the first header of a pipe header row heads the row labels
    return _drop_index(TextTable("pipe" if piped else "rows", rows, header, width, unit, header_lines), lines), at


LABEL_TAIL = re.compile(r"^(?:市本级|本级|区本级|县本级|[(（].*[)）])$")  # the second line of a split row label
INDEX_HEADER = re.compile(r"^(?:序号|编号|No\.?|#)$", re.IGNORECASE)


def _drop_index(table: TextTable, lines: list[str]) -> TextTable:
    """A leading 序号 column (1, 2, 3 … before each label) is no column of figures: its cells are set apart."""
    if not table.header_lines:
        return table
    first, last = table.header_lines
    words = [t for n in range(max(1, first - 3), last + 1) for t in _tokens(lines[n - 1])]
    leading = [r for r in table.rows if r.cells and re.fullmatch(r"[0-9]{1,4}", r.cells[0][1])]
    if not any(INDEX_HEADER.match(w) for w in words) or len(leading) < len(table.rows) * 0.8:
        return table
    for row in leading:
        line, text = row.cells.pop(0)
        table.problems.append((line, text, "a row number (序号), not a figure"))
    table.width = _width(table.rows, len(table.headers))
    table.headers = [t for t in table.headers if not INDEX_HEADER.match(t.text)]
    return table


def _last_line(tokens: list[Token]) -> int:
    return max(t.line for t in tokens)


def _width(rows: list[TextRow], headers: int) -> int:
    counts = Counter(len(r.cells) for r in rows if r.cells)
    if not counts:
        return max(headers, 0)
    common = max(counts, key=lambda n: (counts[n], n))
    return common


def _cell_table(lines: list[str], kinds: list[tuple[str, list]], start: int) -> tuple[TextTable | None, int]:
    before = start - 1
    while before >= 0 and kinds[before][0] == BLANK:
        before -= 1
    if before >= 0 and kinds[before][0] == TEXT and LABEL_TAIL.match(label_text(kinds[start][1][0][0])):
        start = before  # 杭州 / 市本级: the first row's label begins a line earlier
    rows: list[TextRow] = []
    at = start
    labels: list[int] = []
    while at < len(lines):
        kind, runs = kinds[at]
        if kind == BLANK:
            at += 1
            continue
        if kind == TEXT:
            labels.append(at)
            at += 1
            continue
        if kind != CELL or not labels:
            break
        cells: list[tuple[int, str]] = []
        while at < len(lines) and kinds[at][0] in (CELL, BLANK):
            if kinds[at][0] == CELL:
                cells.append((at + 1, pieces(lines[at])[0][0]))
            at += 1
        if not rows:
            second = label_text(kinds[labels[-1]][1][0][0]) if labels else ""
            split = len(labels) >= 2 and bool(LABEL_TAIL.match(second))  # 杭州 / 市本级: the first row's label
            label_lines = labels[-2:] if split else labels[-1:]
            header_end = label_lines[0]
        else:
            label_lines = labels[-2:] if len(labels) >= 2 else labels
            if len(labels) > 2:
                at = labels[-len(labels)]
                break
        label = "".join(label_text(kinds[n][1][0][0]) for n in label_lines) if len(label_lines) > 1 else \
            label_text(kinds[label_lines[0]][1][0][0])
        rows.append(TextRow(label, label_lines[0] + 1, cells, bool(SUBSET.match(label))))
        labels = []
    if len(rows) < 2:
        return None, start + 1
    header, first, unit = _header_above(lines, kinds, header_end)
    width = _width(rows, len(header))
    table = TextTable("cells", rows, header, width, unit, (first, _last_line(header)) if header and first else None)
    return table, at if not labels else labels[0]


def _tokens(line: str) -> list[str]:
    """A header line's names: pipe cells, else runs of Chinese (with digits and a unit in brackets) and of
    English words (`地区Regions 合计` → 地区, Regions, 合计; `Universities and Colleges` stays whole)."""
    text = normal(line).strip("|").strip()
    if "|" in text:
        return [p.strip() for p in text.split("|") if p.strip()]
    out: list[str] = []
    for part in re.split(r"\s{2,}|\t", text):  # columns apart by two spaces or a tab; 地 区 is one word
        found = re.findall(r"[A-Za-z][A-Za-z .'’\-/&]*[A-Za-z.]|[A-Za-z]|[^\sA-Za-z]+", part)
        out += [label_text(found)] if len(found) > 1 and all(len(t) == 1 and HAN.match(t) for t in found) else found
    return out


def _header_above(lines: list[str], kinds: list[tuple[str, list]], first_row: int) -> \
        tuple[list[Token], int | None, str | None]:
    """The header block above the first row (0-based index): its tokens, its first line, the table's unit."""
    tokens: list[Token] = []
    pending_units: list[Token] = []
    unit = None
    for at in range(first_row - 1, max(-1, first_row - HEADER_REACH - 1), -1):
        kind = kinds[at][0]
        text = normal(lines[at]).strip("|").strip()
        if kind == BLANK:
            continue
        if kind in (ROW, CELL) and not (kind == CELL and YEAR.match(text)):
            break
        unit_match = UNIT_LINE.match(text)
        if unit_match and re.match(r"^[（(]?\s*(单\s*位|Unit)", text, re.IGNORECASE):
            unit = re.sub(r"\s*[(（].*$", "", unit_match.group(1)).strip() or None
            break
        if TITLE.search(text) or (re.search(r"(19|20)[0-9][0-9]", text) and len(squash_text(text)) >= 9 and
                                  not HAN.search(text[-1:] or "")):
            break
        found = [Token(at + 1, t) for t in _tokens(lines[at])]
        if found and len(found) > 1 and all(UNIT_TOKEN.match(t.text) for t in found):
            pending_units = found  # a line of units under the line of headers: (件) (万人) (件/万人)
            continue
        tokens[:0] = found
    cleaned = _clean_header(tokens)
    if pending_units:  # once the whole block is read: a unit may belong to a header two lines up
        _give_units(cleaned, pending_units)
    return cleaned, (cleaned[0].line if cleaned else None), unit


UNIT_FITS = ((re.compile(r"/\s*万?人"), re.compile(r"每万人|密度|per 10", re.I)),
             (re.compile(r"^万?人$"), re.compile(r"人口|Population", re.I)),
             (re.compile(r"%|％"), re.compile(r"%|率|比|同比|增|Rate|Share", re.I)))


def _give_units(named: list[Token], units: list[Token]) -> None:
    """A line of units under the headers: each to the header it fits ((万人) to 人口, (件/万人) to 每万人…, (%) to
    a rate), the others to the headers without one, in order (a rank, last, has none)."""
    for unit_token in units:
        unit = UNIT_TOKEN.match(unit_token.text).group(1)  # type: ignore[union-attr]
        fits = next((words for kind, words in UNIT_FITS if kind.search(unit)), None)
        free = [t for t in named if t.unit is None and not UNIT_TOKEN.match(t.text)]
        chosen = next((t for t in free if fits is not None and fits.search(t.text)), None) or \
            next((t for t in free if not any(w.search(t.text) for _, w in UNIT_FITS)), None)
        if chosen is not None:
            chosen.unit = unit


def _clean_header(tokens: list[Token]) -> list[Token]:
    """The column headers: from after the row header word (地区, Regions); a second row header word starts
    the header of a second panel (dropped: its columns are the first panel's); a unit on its own goes to
    the header before it."""
    words = [i for i, t in enumerate(tokens) if _row_word(t.text)]
    if words:
        panel_end = next((i for i in words[1:] if i > words[0] + 1), len(tokens))
        tokens = [t for i, t in enumerate(tokens[words[0] + 1:panel_end], words[0] + 1) if i not in words]
    out: list[Token] = []
    for token in tokens:
        unit = UNIT_TOKEN.match(token.text)
        if unit and out:
            out[-1].unit = unit.group(1)
            continue
        out.append(token)
    return out
