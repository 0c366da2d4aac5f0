"""The numbers of a source text, classified: claims (a number with its unit, multiplier or percent
sign, or a bare table cell or English figure), and apart from them dates, ordinals, page numbers and
numbers inside names. `coverage` (ipfacts/curate/coverage.py) counts the claims no fact cites; the
checker's L039 (an ignore entry that matches nothing) reads them too.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from ipfacts.load import units
from ipfacts.load.hanzi import simplified
from ipfacts.load.numbers import CELL_NUMBER, NUMBER_PATTERN
from ipfacts.load.sourcetext import SourceText
from ipfacts.load.words import words
from ipfacts.tables.reader import find_tables

CLAIM, DATE, ORDINAL, PAGE, NAME = "claim", "date", "ordinal", "page", "name"


@dataclass(frozen=True)
class Claim:
    line: int
    literal: str  # digits as written
    text: str  # the claim as it stands in the squashed text (number + unit)
    kind: str = CLAIM  # claim; or date, ordinal, page: recognised, listed apart, not counted
    bare: bool = False  # no unit, multiplier or percent sign (a table cell, an English figure)


@cache  # one pattern per set of units (a fact base's own units are claims' units too)
def _claim_pattern(registry: units.Units) -> re.Pattern[str]:
    def alternatives(items: list[str]) -> str:
        escaped = []
        for item in sorted(set(items), key=len, reverse=True):
            word = re.escape(item).replace("_", r"[\s_-]")
            # an English word must end at a word boundary: 4 copyright is not 4 copy
            escaped.append(word + (r"(?![A-Za-z])" if item.isascii() and item[-1:].isalpha() else ""))
        return "|".join(escaped)

    vocab = words()
    unit_words = [s for s in registry.spellings if s] + ["%"] + list(vocab.count_nouns)
    after = alternatives([w for w in vocab.qualifiers_after if w != "+"])
    return re.compile(
        rf"(?<![0-9/])(?<![0-9][.,])(?P<num>{NUMBER_PATTERN})"
        rf"(?:[ \t]*(?:{after}))?(?:[ \t]*(?P<mult>{alternatives(list(vocab.multipliers))}))?"
        rf"(?:[ \t]*(?:{after}))?\s*(?P<unit>{alternatives(unit_words)})?",
        re.IGNORECASE,
    )


def claims_in(text: SourceText, registry: units.Units | None = None) -> list[Claim]:
    """Numeric claims (kind `claim`), then the dates, ordinals and page numbers (`apart`), in text order;
    units are those of `registry` (a fact base's `units`; the shipped ones when None)."""
    return numbers_in(text.lines, registry)


_LINE_START_ORDINAL = re.compile(r"(?:^|[:：])[\s#*（(]*$")
_ORDINAL_AFTER = re.compile(r"[.．、)）](?![0-9])|(?:st|nd|rd|th)\b|<sup>(?:st|nd|rd|th)</sup>")
_PAGE_LINE = re.compile(r"^[\s\-—–―~·|]*(?:第\s*)?([0-9]{1,4})(?:\s*页)?[\s\-—–―~·|]*$|^\s*(?:page|p\.)\s*([0-9]{1,4})\s*$",
                        re.IGNORECASE)
_DATE_AFTER = re.compile(r"\s*(?:[-—–~至到]\s*[0-9]{1,2}\s*)?[月日号]|\s*[-/.]\s*[0-9]{1,2}(?:\s*[-/.]\s*[0-9]{1,2})?(?![0-9])")
CELL_SPLIT = re.compile(r"\s+|\|")


def is_table_row(line: str) -> bool:
    """Cells separated by whitespace or pipes, at least two of them bare numbers making up half the cells."""
    cells = [c for c in CELL_SPLIT.split(line) if c]
    numbers = sum(1 for c in cells if CELL_NUMBER.match(c))
    return numbers >= 2 and numbers * 2 >= len(cells)


def is_cell_line(line: str) -> bool:
    """A line holding one bare number and nothing else (a cell of a one-cell-a-line table, or a page number)."""
    cells = [c for c in CELL_SPLIT.split(line) if c]
    return len(cells) == 1 and bool(CELL_NUMBER.match(cells[0]))


def numbers_in(lines: list[str], registry: units.Units | None = None) -> list[Claim]:
    """Every number of the text, classified; scanned over the whole text so that a unit may stand on the
    next line, as PDF extraction leaves it (20134 / 件) — but not across the cells of a table row."""
    full = simplified(unicodedata.normalize("NFKC", "\n".join(lines)))  # 萬 as 万: traditional text has units too
    starts = [0]
    for match in re.finditer("\n", full):
        starts.append(match.end())
    line_texts = full.split("\n")
    table_rows = {i + 1 for i, line in enumerate(line_texts) if is_table_row(line)}
    cells = {n for table in find_tables(lines) for row in table.rows for n, _ in row.cells}  # the table reader's
    found: list[Claim] = []
    lone: list[tuple[int, int]] = []  # (index in found, value) of lone integers: page number candidates
    for match in _claim_pattern(registry or units.shipped()).finditer(full):
        unit = match.group("unit") or ""
        literal = match.group("num")
        line = bisect_right(starts, match.start())
        before = full[starts[line - 1]:match.start()]
        after = full[match.end("num"):match.end("num") + 16]
        end = match.end()
        if unit and line in table_rows and full[match.end("num"):match.start("unit")].strip(" \t") == "" and \
                full[match.end("num"):match.start("unit")] != "" and re.match(r"[\u4e00-\u9fff]", full[end:end + 1]):
            unit, end = "", match.end("num")  # 4 张家界: a rank cell, then a region, not 4张
        text_ = " ".join(full[match.start():end].split()) if unit or match.group("mult") else literal
        bare = not unit and not match.group("mult") and "/" not in literal
        kind = _kind(literal, unit, bare, before, after, full[max(0, match.start() - 1):match.start()],
                     line in table_rows)
        if kind == DATE and bare and line in cells and re.fullmatch(r"(19|20)[0-9][0-9]", literal):
            kind = CLAIM  # a cell of a table (2048 件), not a year
        if kind == CLAIM and bare and _in_name(full, match.start(), match.end("num")):
            kind = NAME
        if kind == CLAIM and bare and line_texts[line - 1].strip() and _PAGE_LINE.match(line_texts[line - 1]) and \
                not is_cell_line(line_texts[line - 1]):
            kind = PAGE  # - 12 -, 第12页, Page 12
        if (kind == PAGE or (kind == CLAIM and bare and is_cell_line(line_texts[line - 1]))) and literal.isdigit() \
                and not literal.startswith("0") and int(literal) < 1000:
            lone.append((len(found), int(literal)))  # page numbers written as such anchor a run of lone ones
        found.append(Claim(line, literal, text_, kind, bare))
    for index in _page_runs(found, lone, line_texts):
        claim = found[index]
        found[index] = Claim(claim.line, claim.literal, claim.text, PAGE, True)
    return found


_OPENS, _CLOSES = "《“\"「『", "》”\"」』"


def _in_name(full: str, start: int, end: int) -> bool:
    """Inside 《…》 or “…” that closes within the line, or a label (图 1, 10+N)."""
    line_start = full.rfind("\n", 0, start) + 1
    line_end = full.find("\n", end)
    line_end = len(full) if line_end < 0 else line_end
    before, after = full[max(line_start, start - 30):start], full[end:min(line_end, end + 30)]
    opened = max(before.rfind(c) for c in _OPENS)
    closed = max(before.rfind(c) for c in _CLOSES if c != '"')
    if opened > closed and any(c in after for c in _CLOSES):
        return True
    if re.match(r"[”」』]", after) or re.search(r"[“「『]$", before) or re.search(r"[A-Za-z]-?$", before):
        return True  # 国窖1573”, “161 …, COVID-19
    if re.fullmatch(r"[0-9]{1,2}\.0", full[start:end]) and re.match(r"\s*[A-Za-z\u4e00-\u9fff]", after):
        return True  # a version: 3.0 Construction Plan, (2.0版)
    return bool(re.search(r"(?:图|表|附件|附表|Figure|Table|Fig\.|No\.|Top)\s*$", before, re.IGNORECASE)
                or re.match(r"\+[A-Za-z]|\s*版", after))


def _kind(literal: str, unit: str, bare: bool, before: str, after: str, char_before: str, in_table: bool) -> str:
    """date, ordinal or claim, from the number and the characters around it."""
    if char_before == "第" or before.rstrip().endswith("第") or \
            (bare and re.search(r"居(?:全国|全省|全市|全区)?\s*$", before)):
        return ORDINAL  # 第2位, 第 19 届, 居全省3
    if bare and (re.match(r"\s*·\s*[0-9]", after) or re.search(r"[0-9]\s*·\s*$", before) or
                 (re.fullmatch(r"[0-9]{1,2}\.[0-9]{2}", literal) and re.search(r"[“\"]\s*$", before))):
        return DATE  # 4·26, “4.26”: a day of the year
    if bare and not in_table and re.fullmatch(r"[0-9]{1,2}", literal) and (
            (re.fullmatch(r"\s*", before) and re.match(r"(?:-[0-9]{1,2})?[ \t]+[\u4e00-\u9fff]", after)) or
            (re.fullmatch(r"\s*[0-9]{1,2}-", before) and re.match(r"[ \t]+[\u4e00-\u9fff]", after))):
        return ORDINAL  # a numbered heading: 1 知识产权顶层设计不断优化
    if unit in ("年",) and "." not in literal and len(literal) == 4:
        return DATE  # a year, not a duration
    if unit in ("日", "天") and char_before == "月":
        return DATE  # 4月26日
    if re.match(r"^[0-9]\.(19|20)[0-9][0-9]$", literal) and unit == "年" and _LINE_START_ORDINAL.search(before):
        return ORDINAL  # 附件:1.2023年…: a list number before a year
    if not bare:
        return CLAIM
    if re.fullmatch(r"(19|20)[0-9][0-9]", literal) or (re.fullmatch(r"[0-9]{1,2}", literal) and _DATE_AFTER.match(after)
                                                   and re.search(r"(?:年|月|[0-9][-/.])\s*$", before + "")):
        return DATE  # 2023 (a heading, 2020-2025), 2024-06-01, 6月
    if re.fullmatch(r"[0-9]{1,2}", literal) and re.match(r"\s*(?:[-—–~至到]\s*[0-9]{1,2}\s*)?(?:[月日号]|季度)", after):
        return DATE  # 1—10月, 26日, 1-2季度
    if re.fullmatch(r"[0-9]{1,3}", literal) and _ORDINAL_AFTER.match(after) and \
            (_LINE_START_ORDINAL.search(before) or re.match(r"(?:st|nd|rd|th|<sup>)", after)):
        return ORDINAL  # 1. 2、 （3） at the start of a line; 13th
    if re.fullmatch(r"[0-9]{1,3}", literal) and re.search(r"[（(]\s*$", before) and re.match(r"\s*[)）]", after) and \
            _LINE_START_ORDINAL.search(before):
        return ORDINAL
    return CLAIM


def _page_runs(found: list[Claim], lone: list[tuple[int, int]], line_texts: list[str]) -> list[int]:
    """Lone integers that count up by one, each at least 3 lines after the one before and with no number
    on the lines next to it: page numbers. Table cells on their own lines have numbers around them."""
    def isolated(line: int) -> bool:
        near = [line_texts[i - 1] for i in (line - 1, line + 1) if 1 <= i <= len(line_texts)]
        return not any(re.search(r"[0-9]", text) and (is_cell_line(text) or is_table_row(text)) for text in near)

    candidates = [(i, v) for i, v in lone if found[i].kind == PAGE or isolated(found[i].line)]
    pages: list[int] = []
    run: list[tuple[int, int]] = []
    for index, value in candidates:
        if run and value == run[-1][1] + 1 and found[index].line - found[run[-1][0]].line >= 3:
            run.append((index, value))
            continue
        if len(run) >= 2:
            pages += [i for i, _ in run]
        run = [(index, value)]
    if len(run) >= 2:
        pages += [i for i, _ in run]
    return pages
