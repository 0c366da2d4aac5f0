"""Page furniture: the lines of a scraped page that are never facts, and why.

Timestamps and dates of the page (`2024- 02- 27 16: 41`, `2024-04-25 04:03:30`, `2025-03-12`,
a `发布日期:` with its date on the next lines), view counters (阅读次数, 浏览次数), ICP and
public-security record numbers (浙ICP备…, 公网安备 33…), page numbers (`P. 184`, `Page 184 - …`,
`- 12 -`), table numbers before a title (`3-3 Patents in Force …`), and the links of the page
(`Print Download`, `Return>>>`, 【打印】【关闭】).

One rule for scaffold, for tables and prose alike: `furniture(lines)` says which lines are furniture
(line → reason); `ignores(lines)` lists every number on them as an `ignore:` entry with its reason;
`render_ignores` writes the entries as the `ignore:` block of a draft.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from ipfacts.curate.coverage import coverage
from ipfacts.load.sourcetext import SourceTexts

if TYPE_CHECKING:
    from ipfacts.curate.tables import TableDraft
    from ipfacts.load.model import FactBase

DATE = r"(?:19|20)[0-9][0-9]\s*[-/.年]\s*[0-9]{1,2}\s*[-/.月]\s*[0-9]{1,2}\s*日?"
TIME = r"[0-9]{1,2}\s*[:：]\s*[0-9]{2}(?:\s*[:：]\s*[0-9]{2})?"
LABEL = r"(?:发布日期|发布时间|发表时间|更新时间|更新日期|日期|时间|来源|信息来源|作者|编辑|责任编辑|阅读次数|浏览次数|" \
        r"点击次数|点击数|访问量|阅读量|浏览量|字号|Date|Source|Views?)\s*[:：]?"
RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^\s*(?:{LABEL}\s*)?{DATE}(?:\s*{TIME})?\s*$"), "the page's date (a timestamp), not a fact"),
    (re.compile(rf"^\s*{TIME}\s*$"), "the page's time of day, not a fact"),
    (re.compile(rf"^\s*{LABEL}.*(?:{DATE}|{TIME})"), "the page's date (a timestamp), not a fact"),
    (re.compile(r"(?:阅读|浏览|点击|访问)(?:次数|数|量)\s*[:：]?\s*[0-9]*\s*(?:次)?\s*$"), "a view counter of the page"),
    (re.compile(r"ICP\s*[备证]?|公网安备|网安备|备案号|政府网站标识码|网站标识码", re.IGNORECASE),
     "a website record number (ICP / 公网安备), not a fact"),
    (re.compile(r"^\s*(?:P\.|Page|第)\s*[0-9]{1,4}\s*(?:页)?(?:\s*[-—–].*)?$", re.IGNORECASE), "a page number"),
    (re.compile(r"^\s*[-—–]\s*[0-9]{1,4}\s*[-—–]\s*$"), "a page number"),
    (re.compile(r"^\s*(?:[-—–]\s*)?(?:19|20)[0-9][0-9]\s*年\s*$|^\s*[0-9]{1,2}\s*月\s*(?:[0-9]{1,2}\s*日)?\s*$|^\s*[0-9]{1,2}\s*日\s*$"),
     "a date heading of the page (a period, not a fact)"),
    (re.compile(r"Print\s*Download|Return\s*>+|返回顶部|【\s*(?:打印|关闭|返回)\s*】|打印本页|关闭窗口|^\s*(?:打印|关闭)\s*$",
                re.IGNORECASE), "a link of the page"),
    (re.compile(r"^\s*[0-9]{1,2}-[0-9]{1,2}\s+[A-Za-z\u4e00-\u9fff]"), "a table's number before its title"),
]
VALUE_AFTER_LABEL = 3  # lines after a bare `发布日期:` label that may hold its date and time


def furniture(lines: list[str]) -> dict[int, str]:
    """Line number (1-based) → why the line is page furniture."""
    found: dict[int, str] = {}
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        for pattern, reason in RULES:
            if pattern.search(text):
                found[number] = reason
                break
        if re.fullmatch(rf"{LABEL}", text) or re.fullmatch(r"(?:发布日期|发布时间|阅读次数|浏览次数)\s*[:：]?", text):
            for after in range(number + 1, min(len(lines), number + VALUE_AFTER_LABEL) + 1):
                value = lines[after - 1].strip()
                if re.fullmatch(rf"{DATE}|{TIME}|[0-9]+\s*次?", value):
                    found[after] = "the page's date (a timestamp), not a fact" if not re.fullmatch(r"[0-9]+\s*次?", value) \
                        else "a view counter of the page"
    return found


def ignores(lines: list[str], claims: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(line, number as written, reason) for each number (`claims`: line, literal) on a furniture line."""
    lines_found = furniture(lines)
    return [(line, literal, lines_found[line]) for line, literal in claims if line in lines_found]


def render_ignores(entries: list[tuple[int, str, str]]) -> str:
    """The `ignore:` block of a draft (empty when there is nothing to ignore)."""
    if not entries:
        return ""
    out = ["# Numbers that are no facts (page furniture, cells a table cannot place): kept here with the reason.",
           "ignore:"]
    seen: set[tuple[int, str]] = set()
    for line, text, reason in sorted(entries):
        if (line, text) in seen:
            continue
        seen.add((line, text))
        out.append(f"  - {{line: {line}, text: {json.dumps(text, ensure_ascii=False)}, "
                   f"reason: {json.dumps(reason, ensure_ascii=False)}}}")
    return "\n".join(out) + "\n"


def ignored_block(base: FactBase, source_id: str, tables: list[TableDraft]) -> str:
    """The `ignore:` block of a draft: the numbers coverage counts on furniture lines, and the cells a drafted
    table cannot place (each with its reason)."""
    text = SourceTexts(base.sources)[source_id]
    uncited = {(c.line, c.literal) for c in coverage(base, [source_id])[0].uncited}
    entries = ignores(text.lines, sorted(uncited))
    entries += [entry for table in tables for entry in table.ignored if (entry[0], entry[1]) in uncited]
    return render_ignores(entries)
