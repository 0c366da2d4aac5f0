"""Draft a fact file for the numbers of a source that no fact cites yet.

For a curator starting on a new white paper: every uncited numeric claim
(what `ipfacts coverage` lists) becomes a draft fact with its value, line and
a short verbatim quote — citations that verify as they stand. Relations are
guessed from the words around a number and marked for a person to confirm:

    其中 … 20134件            subset_of the count before 其中 (one named subset); part_of for each of a list
    其中民事…、刑事…、行政…      sum_of on the count before 其中 (a standard complete set, no 等/主要/部分)
    受理 N件，审结 M件          outcome_of the intake (结案/办结/批捕/起诉/预审合格/授权 …); a later stage of the
                              stage before it (获授权 of 预审合格); exclusive_with between 起诉/不起诉 …
    查处 N件，移送公安 M件       subset_of the cases handled; 52个（含 … 1个）: subset_of the figure before
    其中 … 20134件，占比93.3%   share_of [the part after 其中, the count before it]
    其中 … 占比24.8%           percent_of the count before 其中 (the part is not stated)
    同比增长11.55% / 下降       growth_of the count before it (a decline is written negative)
    提高1.2个百分点             change_of the percentage before it
    合计 / 共计 / 总计 5000件    sum_of the counts of the same unit before it

Every guess carries a note beginning "TODO confirm", and keys are named from
the words before the number (有效发明 → valid_invention), so the draft reads
like the file a curator would write. Nothing here writes a file.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from ipfacts.curate.coverage import Claim, claims_in, coverage
from ipfacts.load.model import FactBase
from ipfacts.load.numbers import ValueError_, Written, parse_value
from ipfacts.load.sourcetext import SourceText, SourceTexts, squash
from ipfacts.load.units import Units
from ipfacts.load.words import words

if TYPE_CHECKING:
    from ipfacts.curate.tables import TableDraft

SENTENCE_END = "。；;！？!?"
CLAUSE_END = SENTENCE_END + "，,：:、（(）)"
QUOTE_REACH = 16  # characters of context before a number, at most, in a drafted quote
CLAUSE_REACH = 60  # characters before a number whose words name it and suggest its relation
NEARBY = 200  # characters back a per-10,000 figure looks for the stock it divides (past its sentence)
LOOK_BACK = 40  # numbers before a number that a relation may name: keeps drafting linear in long sentences

# Words before a number → key parts, longest match first. Measures go last in a key (patent_grants).
GLOSSARY: dict[str, str] = {
    "专利": "patent", "发明": "invention", "实用新型": "utility", "外观设计": "design", "商标": "trademark",
    "地理标志": "gi", "版权": "copyright", "著作权": "copyright", "作品": "works", "软件": "software",
    "集成电路": "ic", "植物新品种": "plant_variety", "驰名商标": "well_known_trademark", "PCT": "pct",
    "马德里": "madrid", "高价值": "high_value", "有效": "valid", "企业": "enterprise", "每万人": "per_10k",
    "质押": "pledge", "融资": "financing", "保险": "insurance", "许可": "license", "转让": "transfer",
    "案件": "cases", "纠纷": "disputes", "调解": "mediated", "行政": "admin", "司法": "judicial",
    "法院": "court", "受理": "accepted", "审结": "concluded", "结案": "concluded", "罚没": "fines",
    "移送": "referred", "公安": "police", "海关": "customs", "维权": "enforcement", "援助": "aid",
    "服务": "service", "机构": "agencies", "人才": "talent", "培训": "training", "项目": "projects",
    "示范": "demo", "优势": "advantage", "标准": "standards", "奖": "award", "金额": "amount",
    "总额": "amount", "收入": "revenue", "产值": "output", "进出口": "trade", "贸易": "trade",
    "授权": "grants", "申请": "applications", "注册": "registrations", "登记": "registrations",
    "同比": "growth", "占比": "share", "合计": "total", "共计": "total", "总计": "total", "小微": "small",
    "拥有量": "", "数量": "", "总量": "",
}
MEASURES = {"grants", "applications", "registrations", "amount", "cases", "revenue", "output"}

GROWTH = re.compile(r"(同比|比上年|较上年|比去年|较去年|比年初|较年初)?(增长|增加|上升|提高|提升|下降|减少|下滑|降低|回落|"
                    r"增幅|增速|增长率|涨幅|降幅)(了|为|达|达到)?(约|超过|超|近)?$")
YEAR_END = re.compile(r"(?:比|较)(?:去年底|上年底|去年末|上年末|年初|上年年底)")  # the base of a change: last year-end
PER_10K = re.compile(r"每万(?:人|人口|名)|万人(?:口)?(?:发明|有效|高价值|专利|商标|拥有)")
NEW_WORDS = ("新增", "新认定", "新培育", "新获", "新建", "新设")
CUMULATIVE_WORDS = ("累计", "总数", "总量", "共有", "拥有", "达到", "已达")
DECLINE = ("下降", "减少", "下滑", "降低", "回落")
SUM_WORDS = ("合计", "共计", "总计")
# An outcome of an intake (审结 of 受理, 批准逮捕 of 审查逮捕, 授权 of 预审合格): the verb opens the clause.
OUTCOME = re.compile(r"^(?:其中|并|共|已|均|全年|累计)?(?:以[^，,；;]{1,6}?)?(?:审结|结案|办结|调结|批捕|批准逮捕|提起公诉|不起诉|起诉|"
                     r"预审合格|获授权|授权|破案|撤案|撤诉|(?:作出|做出)[^，,；;]{0,8}?决定)"
                     r"(?:案件|案|件)?(?:[\d.]+(?:件|起))?$")  # the number follows the verb: 授权时间…2天 is no outcome
INTAKE = re.compile(r"受理|新收|收案|接收|立案|审查逮捕|审查起诉|办理|办案|接受|预审合格")
STAGED = ("授权", "获授权")  # a later stage of a pipeline: of the stage before it (预审合格 → 授权), not of the intake
REFERRED = re.compile(r"^(?:其中|并|共|已|涉刑|依法)?移送(?:公安|司法|检察)")  # 移送公安 N件 among 查处 M件
HANDLED = re.compile(r"查处|查办|办理|办结|立案")
# Standard complete sets of categories: a 其中 list naming each exactly once is a complete breakdown.
COMPLETE_SETS = (("民事", "刑事", "行政"), ("发明", "实用新型", "外观设计"))
PARTIAL_WORDS = ("等", "主要", "部分")
SHARE_OF_NAMED = re.compile(r"占(?!比)(.+?)(?:的)?(?:比重|比例)?(?:为|达|达到)?(?:约|超过|超|近)?$")


@dataclass
class Draft:
    """One drafted fact, or (with `problem`) a number the scaffold could not draft."""

    key: str
    value: str
    line: str
    quote: str
    claim: Claim
    relations: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None
    unit: str | None = None  # where the value carries none (an English restatement: 8,115 → 件)
    lang: str | None = None  # en for an English restatement in a bilingual document
    base: str | None = None  # year-end: a change since the end of last year (year on year is the default)
    metric: str | None = None  # a suggestion, to confirm
    spot: _Spot | None = field(default=None, repr=False)
    context: str = field(default="", repr=False)  # the clause before the number (simplified characters)
    sentence: int = field(default=-1, repr=False)  # where its sentence starts


@dataclass
class _Spot:
    """A claim placed in the squashed text of the source: where it starts and ends, and what it refers to."""

    claim: Claim
    start: int
    end: int
    written: Written | None
    ref: str | None = None  # the existing fact id citing it, or the draft key once drafted
    relation: str | None = None  # the relation drafted for it
    targets: list[str] = field(default_factory=list)  # … and the facts it names
    context: str = ""  # the clause before it (simplified characters)


class UnknownSource(KeyError):
    pass


@dataclass(frozen=True)
class Squashed:
    """A source's text without whitespace (as quotes are matched), with the line each character is on.

    Every look-back the drafting does (where a sentence or clause starts, how many parentheses are
    open, the nearest 其中) is a bisection in a list made once, so drafting stays linear in the text
    however long a sentence runs (a table of 1,500 rows without a 。)."""

    full: str
    starts: list[int]  # offset of each line's first character, 0-based
    plain: str = ""  # `full` with traditional characters as simplified, offset for offset: what patterns match
    sentence_ends: list[int] = field(default_factory=list)  # offsets of 。；！？ …, ascending
    clause_ends: list[int] = field(default_factory=list)  # offsets of every CLAUSE_END character
    opened: list[int] = field(default_factory=list)  # parentheses open before each offset
    qizhong: list[int] = field(default_factory=list)  # offsets of 其中
    cells: list[int] = field(default_factory=list)  # where a table cell begins: no quote reaches back past it

    @classmethod
    def of(cls, text: SourceText) -> Squashed:
        from ipfacts.curate.coverage import CELL_SPLIT, is_cell_line, is_table_row

        parts = [squash(line) for line in text.lines]
        starts, offset = [], 0
        cells: list[int] = []
        previous_tabular, previous_english = False, False
        for line, part in zip(text.lines, parts, strict=True):
            starts.append(offset)
            tabular = is_table_row(line) or is_cell_line(line)
            han, latin = _letters(line)
            english = latin > han
            if tabular or previous_tabular or ((english or previous_english) and line.strip()):
                cells.append(offset)  # a quote never reaches back into a table row, or across languages
            if line.strip():
                previous_english = english
            if tabular:
                at = offset
                for cell in CELL_SPLIT.split(line):
                    if cell.strip():
                        cells.append(at)
                        at += len(squash(cell))
            previous_tabular = tabular
            offset += len(part)
        return cls.of_text("".join(parts), starts, sorted(set(cells)))

    @classmethod
    def of_text(cls, full: str, starts: list[int], cells: list[int] | None = None) -> Squashed:
        sentence_ends, clause_ends, opened, depth = [], [], [0], 0
        for at, char in enumerate(full):
            if char in CLAUSE_END and not (char == "," and full[at - 1:at].isdigit() and full[at + 1:at + 2].isdigit()):
                clause_ends.append(at)
                if char in SENTENCE_END:
                    sentence_ends.append(at)
            depth += (char in "（(") - (char in "）)")
            opened.append(depth)
        from ipfacts.load.hanzi import simplified

        plain = simplified(full)
        qizhong = [m.start() for m in re.finditer("其中", plain)]
        return cls(full, starts, plain, sentence_ends, clause_ends, opened, qizhong, cells or [])

    def english_line(self, number: int) -> bool:
        """More Latin letters than Chinese characters on line `number` (counted once a line)."""
        cache = self.__dict__.setdefault("_english", {})
        if number not in cache:
            line = self.plain[self.starts[number - 1]:self.starts[number] if number < len(self.starts) else None]
            han, latin = _letters(line)
            cache[number] = latin > han
        return bool(cache[number])

    def line_at(self, position: int) -> int:
        """The 1-based line of the character at `position`."""
        return bisect_right(self.starts, position)

    @staticmethod
    def _after_last(marks: list[int], position: int) -> int:
        """One past the last mark before `position` (0 when there is none)."""
        index = bisect_left(marks, position)
        return marks[index - 1] + 1 if index else 0

    def sentence_start(self, position: int) -> int:
        return self._after_last(self.sentence_ends, position)

    def clause_start(self, position: int) -> int:
        index = bisect_right(self.cells, position)
        cell = self.cells[index - 1] if index else 0
        return max(self._after_last(self.clause_ends, position), cell)

    def depth(self, start: int, end: int) -> int:
        """How many parentheses are open at `end`, counting from `start`."""
        return self.opened[end] - self.opened[start]

    def last_qizhong(self, start: int, end: int) -> int:
        """The offset of the last 其中 that begins in start..end, or -1."""
        index = bisect_left(self.qizhong, end - 1) - 1
        return self.qizhong[index] if index >= 0 and self.qizhong[index] >= start else -1

    def quote_start(self, position: int) -> int:
        """Where a quote of the number at `position` begins: its clause, at most QUOTE_REACH characters back."""
        return max(self.clause_start(position), position - QUOTE_REACH)

    def lines(self, start: int, end: int) -> str:
        """The `line:` of the text start..end: "56" or "56-57"."""
        first, last = self.line_at(start), self.line_at(max(start, end - 1))
        return str(first) if first == last else f"{first}-{last}"


class AsWritten:
    """The source text of a squashed range, with its spaces (`Atotalof392,000` → `A total of 392,000`).

    Each line's map from squashed offsets to its characters is made once, so quoting stays linear."""

    def __init__(self, lines: list[str], squashed: Squashed) -> None:
        self.lines, self.squashed = lines, squashed
        self.maps: dict[int, tuple[list[int], list[int]]] = {}  # line → (squashed offsets, indexes in the line)

    def _map(self, number: int) -> tuple[list[int], list[int]]:
        found = self.maps.get(number)
        if found is None:
            offsets, indexes, at = [], [], self.squashed.starts[number - 1]
            for index, char in enumerate(self.lines[number - 1]):
                width = len(squash(char))
                if width:
                    offsets.append(at)
                    indexes.append(index)
                    at += width
            found = self.maps[number] = (offsets, indexes)
        return found

    def text(self, start: int, end: int) -> str:
        squashed = self.squashed.full[start:end]
        first, last = self.squashed.line_at(start), self.squashed.line_at(max(start, end - 1))
        pieces: list[str] = []
        for number in range(first, last + 1):
            offsets, indexes = self._map(number)
            low, high = bisect_left(offsets, start), bisect_left(offsets, end)
            if low >= high:
                continue
            line = self.lines[number - 1]
            piece = line[indexes[low]:indexes[high - 1] + 1]
            if pieces and pieces[-1][-1:].isascii() and pieces[-1][-1:].isalnum() and piece[:1].isascii() \
                    and piece[:1].isalnum():
                pieces.append(" ")  # an English line broken between two words
            pieces.append(piece)
        written = re.sub(r"\s+", " ", "".join(pieces)).strip()
        return written if squash(written) == squashed else squashed


def place_claims(text: SourceText, squashed: Squashed, registry: Units | None = None) -> list[tuple[Claim, int, int]]:
    """Every numeric claim of the source with its start and end in the squashed text."""
    placed = []
    cursor = 0
    for claim in claims_in(text, registry):
        needle = squash(claim.text)
        at = squashed.plain.find(needle, max(cursor, squashed.starts[claim.line - 1]))
        if at < 0:
            continue
        cursor = at + len(needle)
        placed.append((claim, at, at + len(needle)))
    return placed


def scaffold(base: FactBase, source_id: str) -> list[Draft]:
    """Drafts for every uncited number of `source_id`, in source order."""
    if source_id not in base.sources:
        raise UnknownSource(source_id)
    text = SourceTexts(base.sources)[source_id]
    squashed = Squashed.of(text)
    uncited = set(coverage(base, [source_id])[0].uncited)
    citing = _citing_facts(base, source_id)
    spots: list[_Spot] = []
    for claim, start, end in place_claims(text, squashed, base.units):
        try:
            value: Written | None = parse_value(value_text(claim, squashed.plain, start), None, base.units)
        except (ValueError_, ArithmeticError):
            value = None
        ref = next((fact_id for first, last, fact_id in citing.get(claim.literal, ()) if first <= claim.line <= last),
                   None)
        context = squashed.plain[max(squashed.clause_start(start), start - CLAUSE_REACH):start]
        if not context and spots and squashed.plain[start - 1:start] == "、":
            context = spots[-1].context  # 同比分别增长12.5%、6.3%: the second item has the words of the first
        spots.append(_Spot(claim, start, end, value, ref=ref, context=context))
    keys: set[str] = set()
    drafts = []
    written = AsWritten(text.lines, squashed)
    in_tables = {line for table in tables_of(base, source_id) for line in table.lines}
    for index, spot in enumerate(spots):
        if spot.claim not in uncited or spot.claim.line in in_tables:
            continue  # cited, or a cell of a table: drafted in the table block
        draft = _draft(spot, spots[max(0, index - LOOK_BACK):index], squashed, keys)
        if draft.quote:
            draft.quote = written.text(squashed.quote_start(spot.start), spot.end)
        if draft.problem is None:
            spot.ref = draft.key
            spot.relation = next(iter(draft.relations), None)
            spot.targets = draft.relations.get(spot.relation, []) if spot.relation else []
            keys.add(draft.key)
        drafts.append(draft)
    _qizhong_lists(drafts, squashed)
    _new_before_total(drafts)
    _restatements(drafts, spots, squashed)
    if "en" in base.sources[source_id].lang.split("+") and base.sources[source_id].lang != "en":
        _pair_english(drafts, spots, text.lines, squashed)
    suggest_metrics(base, drafts)
    return drafts


METRIC_SUFFIXES = ("拥有量", "数量", "总量", "总额", "金额", "量", "数")


def _metric_words(base: FactBase) -> list[tuple[str, frozenset[str], str]]:
    """(zh name without its 量/数 ending, its glossary words, key) of every metric."""
    out = []
    for metric in base.metrics.values():
        core = metric.zh
        for suffix in METRIC_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix) + 1:
                core = core[: -len(suffix)]
                break
        out.append((core, frozenset(w for w in words_key(metric.zh, limit=8).split("_") if w), metric.key))
    return out


def suggest_metrics(base: FactBase, drafts: list[Draft]) -> None:
    """A draft gets the metric whose zh name stands in the words before it (有效发明专利 → the metric
    有效发明专利量), else whose words include all of the draft's (全市有效发明 → valid, invention: the metric
    with the fewest other words), of a unit the value fits; marked to confirm."""
    from ipfacts.load.loader import _metric_unit_fits

    if not base.metrics:
        return
    vocabulary = _metric_words(base)
    for draft in drafts:
        spot = draft.spot
        if draft.problem or draft.lang == "en" or spot is None or spot.written is None or \
                {"growth_of", "change_of", "same_as"} & draft.relations.keys():
            continue
        fits = [(core, found, key) for core, found, key in vocabulary
                if _metric_unit_fits(base.metrics[key], spot.written.unit if not draft.unit else draft.unit, base.units)]
        named = [(len(core), key) for core, _, key in fits if core and core in draft.context]
        own = frozenset(w for w in words_key(draft.context, limit=8).split("_") if w)
        exact = [key for _, found, key in fits if len(own) >= 2 and found == own]
        why = ""
        if len(exact) == 1:
            chosen = exact[0]
            why = f"the words before the number are those of {base.metrics[chosen].zh}"
        elif named:
            chosen = max(named)[1]
            why = f"its name {base.metrics[chosen].zh} stands before the number"
        else:
            if len(own) < 2:
                continue
            close = [(len(found - own), key) for _, found, key in fits if own <= found]
            if not close:
                continue
            best = min(close)
            if sum(1 for c in close if c[0] == best[0]) > 1:
                continue  # two metrics fit equally well: leave the choice to the curator
            chosen = best[1]
            why = f"the words before the number fit {base.metrics[chosen].zh}"
        draft.metric = chosen
        draft.notes.append(f"TODO confirm: metric suggested ({why})")


def tables_of(base: FactBase, source_id: str) -> list[TableDraft]:
    """The tables scaffold drafts for a source: those no fact cites a cell of yet."""
    from ipfacts.curate.tables import find_tables

    text = SourceTexts(base.sources)[source_id]
    cited = {line for f in base.facts.values() if f.source == source_id
             for line in range(f.line_from, f.line_to + 1)}
    return [t for t in find_tables(text.lines) if not t.lines & cited]


def _qizhong_lists(drafts: list[Draft], squashed: Squashed) -> None:
    """What the parts one 其中 opens are: one named subset alone (其中企业20134件) is a `subset_of` the whole;
    a list naming each category of a standard complete set once (其中民事…、刑事…、行政…) is a complete
    breakdown, `sum_of` on the whole, unless it says it is partial (等, 主要, 部分); other lists stay `part_of`."""
    by_key = {d.key: d for d in drafts if d.problem is None}
    groups: dict[tuple[int, str], list[Draft]] = {}
    for draft in drafts:
        if draft.spot is not None and draft.relations.get("part_of") and len(draft.relations["part_of"]) == 1:
            at = squashed.last_qizhong(0, draft.spot.start)
            groups.setdefault((at, draft.relations["part_of"][0]), []).append(draft)
    for (at, whole_key), parts in groups.items():
        whole = by_key.get(whole_key)
        names = [_own_name(p) for p in parts]
        last = parts[-1].spot
        listed = squashed.plain[at:last.end + 2] if last is not None else ""  # 行政案件20件等: partial
        complete = next((c for c in COMPLETE_SETS if len(parts) == len(c) and
                         sorted(sum(1 for w in c if w in n) for n in names) == [1] * len(c) and
                         all(any(w in n for n in names) for w in c)), None)
        if complete and whole is not None and "sum_of" not in whole.relations and \
                not any(w in listed for w in PARTIAL_WORDS):
            whole.relations["sum_of"] = [p.key for p in parts]
            whole.notes.append(f"TODO confirm: guessed sum_of from 其中 listing the complete set {'、'.join(complete)}")
            for part in parts:
                del part.relations["part_of"]
                part.notes = [n for n in part.notes if n != "TODO confirm: guessed part_of from 其中"]
            continue
        if len(parts) == 1:
            part = parts[0]
            part.relations = {("subset_of" if k == "part_of" else k): v for k, v in part.relations.items()}
            part.notes = ["TODO confirm: guessed subset_of from 其中 naming one subset"
                          if n == "TODO confirm: guessed part_of from 其中" else n for n in part.notes]


def _own_name(draft: Draft) -> str:
    """The words naming a number in a list: back to the 、, comma or 其中 before it."""
    return re.split(r"[、，,：:；;（(]|其中", draft.context)[-1] if draft.context else ""


def _new_before_total(drafts: list[Draft]) -> None:
    """新增 N个，累计 M个: the new ones are the change of the total stated after them."""
    for index, draft in enumerate(drafts):
        if draft.relations or draft.problem or draft.spot is None or \
                not any(w in draft.context for w in NEW_WORDS):
            continue
        for later in drafts[index + 1:index + 3]:
            if later.sentence != draft.sentence or later.spot is None or later.problem:
                break
            if any(w in later.context for w in CUMULATIVE_WORDS) and _same_kind(draft.spot, later.spot):
                draft.relations["change_of"] = [later.key]
                draft.notes.append("TODO confirm: guessed change_of from 新增…累计")
                break


def _significant(spot: _Spot) -> bool:
    digits = spot.claim.literal.replace(",", "").replace(".", "").lstrip("0")
    return len(digits) >= 3 or "." in spot.claim.literal


def _restatements(drafts: list[Draft], spots: list[_Spot], squashed: Squashed) -> None:
    """The same figure (three or more digits, or decimals) stated again in a later sentence: same_as."""
    first: dict[str, _Spot] = {}
    by_spot = {id(d.spot): d for d in drafts if d.spot is not None}
    for spot in spots:
        if spot.written is None or not spot.ref or not _significant(spot) or _is_english(squashed, spot):
            continue
        written = squash(spot.claim.text)
        earlier = first.get(written)
        if earlier is None:
            first[written] = spot
            continue
        draft = by_spot.get(id(spot))
        if draft is not None and not draft.relations and not draft.problem and \
                squashed.sentence_start(spot.start) != squashed.sentence_start(earlier.start):
            draft.relations["same_as"] = [str(earlier.ref)]
            draft.notes.append("TODO confirm: the same figure stated again (same_as)")


def _is_english(squashed: Squashed, spot: _Spot) -> bool:
    return squashed.english_line(spot.claim.line)


def _letters(text: str) -> tuple[int, int]:
    """(Chinese characters, Latin letters) in text."""
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return han, sum(1 for c in text if c.isascii() and c.isalpha())


def _pair_english(drafts: list[Draft], spots: list[_Spot], lines: list[str], squashed: Squashed) -> None:
    """In a bilingual document each English paragraph restates the Chinese one before it: every English
    figure is paired, in order, with the first figure of that Chinese paragraph of the same value (same_as)."""
    kinds: list[str | None] = []
    for line in lines:
        han, latin = _letters(line)
        kinds.append("en" if latin > han else "zh" if han else None)
    block: list[int] = [0] * len(lines)  # for an English line: the first line of the Chinese run before its run
    zh_start, last_kind = 0, None
    for index, kind in enumerate(kinds):
        if kind == "zh" and last_kind != "zh":
            zh_start = index
        if kind is not None:
            last_kind = kind
        block[index] = zh_start
    by_spot = {id(d.spot): d for d in drafts if d.spot is not None}
    keys = {d.key for d in drafts}
    renamed: dict[str, str] = {}
    used: set[int] = set()
    spot_lines = [s.claim.line - 1 for s in spots]
    for spot in spots:
        at_line = spot.claim.line - 1
        draft = by_spot.get(id(spot))
        if kinds[at_line] != "en" or draft is None or draft.problem or spot.written is None:
            continue
        first_zh = block[at_line]
        for other in spots[bisect_left(spot_lines, first_zh):]:
            other_line = other.claim.line - 1
            if other_line >= at_line or kinds[other_line] == "en":
                break
            if id(other) in used or other.written is None or not other.ref:
                continue
            if _same_figure(spot.written, other.written):
                used.add(id(other))
                draft.relations = {"same_as": [str(other.ref)]}
                draft.notes = [n for n in draft.notes if not n.startswith("TODO confirm: guessed")]
                draft.notes.append("TODO confirm: the English restatement of the Chinese figure (same_as)")
                draft.lang = "en"
                if spot.written.unit is None and other.written.unit is not None:
                    draft.unit = _unit_for(draft.value, other.written)
                if other.ref in keys:
                    old = draft.key
                    draft.key = _unique(f"{_key_of(str(other.ref))}_en", keys)
                    keys.discard(old)
                    keys.add(draft.key)
                    renamed[old] = draft.key
                break
    if renamed:  # keep the references to the old keys in step
        for draft in drafts:
            for relation, refs in draft.relations.items():
                draft.relations[relation] = [renamed.get(r, r) for r in refs]


def _same_figure(english: Written, chinese: Written) -> bool:
    """The same value, whatever the multiplier (39.2万 = 392,000; 4.16亿 = 416 million); percent with percent."""
    if (english.unit == "percent") != (chinese.unit == "percent"):
        return False
    if english.unit is not None and chinese.unit is not None and not english.compatible(chinese.unit):
        return False
    return abs(english.value) == abs(chinese.value)


def _unit_for(value: str, twin: Written) -> str | None:
    """The unit an English figure without one takes from its Chinese twin (8,115 → 件 of 8115件; 4.16 billion
    → 条), unless it names its things itself (392,000 patents)."""
    try:
        parse_value(value, str(twin.unit), twin.units)
    except (ValueError_, ArithmeticError):
        return None
    return str(twin.unit)


def _citing_facts(base: FactBase, source_id: str) -> dict[str, list[tuple[int, int, str]]]:
    """The facts of the source by the digits they cite: literal → [(first line, last line, id)]."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for fact in base.facts.values():
        if fact.source == source_id:
            found.setdefault(fact.value.literal, []).append((fact.line_from, fact.line_to, fact.id))
    return found


def value_text(claim: Claim, full: str, at: int) -> str:
    """The claim as a value: its digits and unit, with a qualifier written before it (超, 近, 约)."""
    text = claim.text if re.search(r"[A-Za-z]", claim.text) else squash(claim.text)
    found = _qualifier_before().search(full, max(0, at - 4), at)
    return found.group(0) + text if found else text


@cache
def _qualifier_before() -> re.Pattern[str]:
    """A Chinese qualifier (超, 近, 约 …) ending right where a number begins; the longest wins."""
    chinese = [word for word, _ in words().before_longest_first if not word.isascii()]
    return re.compile("(?:" + "|".join(re.escape(w) for w in chinese) + ")$")


def _draft(spot: _Spot, earlier: list[_Spot], squashed: Squashed, keys: set[str]) -> Draft:
    claim, full = spot.claim, squashed.plain
    sentence_start = squashed.sentence_start(spot.start)
    if full.startswith("其中", sentence_start) and sentence_start > 1:  # 。其中… goes on from the sentence before
        sentence_start = squashed.sentence_start(sentence_start - 1)
    clause_start = squashed.clause_start(spot.start)
    quote_start = squashed.quote_start(spot.start)
    lines = squashed.lines(quote_start, spot.end)
    quote = squashed.full[quote_start:spot.end]  # as written: traditional characters stay
    written_value = value_text(claim, full, spot.start)
    draft = Draft("", written_value, lines, quote, claim, spot=spot, sentence=sentence_start,
                  context=full[max(squashed.clause_start(spot.start), spot.start - CLAUSE_REACH):spot.start])
    if spot.written is None:
        try:
            parse_value(written_value)
        except (ValueError_, ArithmeticError) as exc:
            draft.problem = str(exc)
        return draft
    depth = squashed.depth(sentence_start, spot.start)
    # numbers earlier in the sentence, but not inside a parenthesis closed before this one:
    # in 21579件（其中企业20134件），同比增长11.55% the growth is of 21579
    in_sentence = [s for s in earlier if s.start >= sentence_start and s.ref and s.written is not None
                   and squashed.depth(sentence_start, s.start) <= depth]
    clause_before = full[max(clause_start, spot.start - CLAUSE_REACH):spot.start] or spot.context
    nearby = [s for s in earlier if s.ref and s.written is not None and spot.start - s.end <= NEARBY]
    relation, base_key = _guess(spot, in_sentence, nearby, squashed, sentence_start, clause_before, draft)
    named = words_key(_listed_name(full, sentence_start, spot, in_sentence) or clause_before)
    if relation is not None:  # the relation names it: valid_invention_growth, not …_growth_growth
        named = "_".join(w for w in named.split("_") if w not in ("growth", "share"))
    if relation in ("growth_of", "change_of"):
        suffix = "growth" if relation == "growth_of" else "new" if any(w in clause_before for w in NEW_WORDS) else "change"
        key = f"{base_key}_{suffix}"
        if YEAR_END.search(full[max(sentence_start, spot.start - CLAUSE_REACH):spot.start]):
            draft.base = "year-end"
            draft.notes.append("TODO confirm: since the end of last year (比去年底), not year on year")
    elif relation == "per_10k_of":
        key = f"{base_key}_per_10k"
    elif relation in ("share_of", "percent_of"):
        key = f"{base_key}_{named}_share" if relation == "percent_of" and named else f"{base_key}_share"
    elif relation == "part_of" and named:
        base_words, own = base_key.split("_"), named.split("_")
        if set(base_words) <= set(own):  # 专利授权量 … 其中发明专利授权量: invention_patent_grants
            key = named
        else:  # 有效发明 … 其中企业: valid_invention_enterprise
            key = "_".join([base_key] + [w for w in own if w not in base_words])
    else:
        key = named or f"line{claim.line}"
    draft.key = _unique(_clean_key(key) or f"line{claim.line}", keys)
    if relation in ("growth_of", "change_of") and \
            any(clause_before.rstrip("了为达到约超过近").endswith(w) for w in DECLINE) \
            and not spot.written.negative:
        if draft.value[:1].isdigit():
            draft.value = "-" + draft.value
            draft.notes.append("TODO confirm: a decline (下降/减少), written negative")
        else:
            draft.notes.append("TODO: a decline (下降/减少): write the value negative")
    return draft


def _guess(spot: _Spot, in_sentence: list[_Spot], nearby: list[_Spot], squashed: Squashed, sentence_start: int,
           clause_before: str,
           draft: Draft) -> tuple[str | None, str]:
    """The relation the words suggest, recorded on the draft; and the key of the fact it builds on."""
    assert spot.written is not None
    unit = spot.written.unit
    counts = [s for s in in_sentence if s.written is not None and s.written.unit not in ("percent", "percentage_point")
              and s.relation != "change_of"]  # 增长4710件，增幅12.41%: the rate is of the stock, not of the change
    percents = [s for s in in_sentence if s.written is not None and s.written.unit == "percent"]
    part, whole = _qizhong(spot, counts, squashed, sentence_start)

    def record(relation: str, refs: list[_Spot], why: str) -> tuple[str, str]:
        names = [str(r.ref) for r in refs]
        draft.relations[relation] = names
        draft.notes.append(f"TODO confirm: guessed {relation} from {why}")
        return relation, _key_of(names[0])  # growth and part of it, share of its part, percent of its whole

    if unit == "percent" and GROWTH.search(clause_before):
        if counts:
            return record("growth_of", [_respectively(spot, counts, in_sentence, squashed, sentence_start)],
                          "同比/增长")
        draft.notes.append("TODO: a growth rate (同比) — growth_of which fact?")
    elif unit == "percentage_point" and GROWTH.search(clause_before) and percents:
        return record("change_of", [percents[-1]], "百分点")
    elif unit not in ("percent", "percentage_point") and GROWTH.search(clause_before) and \
            [s for s in counts if _same_kind(s, spot)]:
        return record("change_of", [[s for s in counts if _same_kind(s, spot)][-1]], "增长/增加 an amount")
    elif unit not in ("percent", "percentage_point") and PER_10K.search(clause_before) and not GROWTH.search(clause_before):
        stocks = [s for s in nearby if _same_kind(s, spot) and not PER_10K.search(s.context)
                  and s.relation is None and s.written is not None and s.written.unit not in ("percent",)]
        if stocks:  # the stock it divides: the nearest one before it whose words it shares, else the nearest
            own = set(words_key(clause_before, limit=8).split("_")) - {"per_10k", ""}
            sharing = [s for s in stocks if own & set(words_key(s.context, limit=8).split("_"))]
            return record("per_10k_of", [(sharing or stocks)[-1]], "每万人")
        draft.notes.append("TODO: per 10,000 residents (每万人) — per_10k_of which fact?")
    elif unit not in ("percent", "percentage_point") and any(w in clause_before for w in NEW_WORDS) and \
            [s for s in counts if _same_kind(s, spot) and any(w in s.context for w in CUMULATIVE_WORDS)]:
        total = [s for s in counts if _same_kind(s, spot) and any(w in s.context for w in CUMULATIVE_WORDS)][-1]
        return record("change_of", [total], "累计…新增")
    elif unit == "percent" and "占" in clause_before:
        named = SHARE_OF_NAMED.search(clause_before)
        why = f"其中…占; the source names the whole: {named.group(1)}" if named else "其中…占比"
        if part is not None and whole is not None:
            return record("share_of", [part, whole], why)
        if whole is not None:
            return record("percent_of", [whole], why + " (the part is not stated)")
        listed = [s for s in in_sentence if s.relation == "percent_of" and s.written is not None
                  and s.written.unit == "percent" and s.targets]
        if listed and not named:  # 登记作品中美术作品占63.53%，文字作品占24%: the same whole
            draft.relations["percent_of"] = list(listed[-1].targets)
            draft.notes.append("TODO confirm: guessed percent_of from the share listed before it")
            return "percent_of", _key_of(listed[-1].targets[0])
        named_whole = _named_whole(named.group(1) if named else None, clause_before, nearby, spot)
        if named_whole is not None:
            stated = [s for s in counts if s is not named_whole and s.start > named_whole.end
                      and _same_kind(s, named_whole)]
            if stated and not any(c in squashed.plain[stated[-1].end:spot.start] for c in "；;。"):
                return record("share_of", [stated[-1], named_whole], f"占{named.group(1) if named else ''}: "
                                                                      "the part before it, the whole it names")
            return record("percent_of", [named_whole], "…中…占: the whole it names (the part is not stated)")
        draft.notes.append(f"TODO: a share (占比) of {named.group(1) if named else 'what'}? share_of [part, whole]")
    elif unit not in ("percent", "percentage_point") and OUTCOME.search(_opening(clause_before)) and \
            (intake := _intake(spot, nearby, squashed, clause_before)) is not None:
        found = record("outcome_of", [intake], "an outcome verb (审结/结案/批捕/起诉/授权) after an intake")
        family = _disposal(_opening(clause_before))
        rivals = [s for s in nearby if s.start > intake.end and s.relation == "outcome_of" and s.ref and
                  s.targets == [str(intake.ref)] and family and _disposal(_opening(s.context)) == family]
        if rivals:  # 起诉75件，不起诉9件: one excludes the other, so their sum is judged too
            draft.relations["exclusive_with"] = [str(s.ref) for s in rivals]
            draft.notes.append("TODO confirm: guessed exclusive_with from outcomes that exclude one another")
        return found
    elif unit not in ("percent", "percentage_point") and re.search(r"[（(]含[^（(）)，,；;。]*$", squashed.plain[max(0, spot.start - CLAUSE_REACH):spot.start]) and \
            (before := _before_parenthesis(spot, in_sentence, squashed)) is not None:
        return record("subset_of", [before], "（含…）: a subset of the figure before the parenthesis")
    elif unit not in ("percent", "percentage_point") and REFERRED.search(_opening(clause_before)) and \
            (handled := [s for s in counts if _same_kind(s, spot) and HANDLED.search(s.context)]):
        return record("subset_of", [handled[-1]], "移送 among the cases handled (查处/查办)")
    elif unit not in ("percent", "percentage_point") and whole is not None and _same_kind(whole, spot) \
            and _lists_parts(squashed, spot):
        return record("part_of", [whole], "其中")
    elif any(w in clause_before for w in SUM_WORDS):
        parts = [s for s in counts if _same_kind(s, spot)]
        if len(parts) >= 2:
            return record("sum_of", parts, "合计")
        draft.notes.append("TODO: a total (合计) — sum_of which facts?")
    return None, ""


def _opening(clause_before: str) -> str:
    """The clause before a number from its start (after 其中's comma), whatever number it holds before."""
    return re.split(r"[，,：:；;]", clause_before)[-1] if clause_before else ""


# Outcomes of one intake that exclude one another: a case is disposed of one way only.
DISPOSALS = (("prosecution", re.compile(r"^(?:其中|并|共|已)?(?:不起诉|起诉|提起公诉)")),
             ("disposal", re.compile(r"(?:作出|做出)[^，,；;]{0,8}?(?:决定|裁决)|调解结案|撤案|撤诉|驳回|判决")))


def _disposal(opening: str) -> str | None:
    """The family of outcomes that exclude one another an outcome verb belongs to, if any."""
    return next((name for name, pattern in DISPOSALS if pattern.search(opening)), None)


def _before_parenthesis(spot: _Spot, in_sentence: list[_Spot], squashed: Squashed) -> _Spot | None:
    """The count a （含 N件） qualifies: the one that ends right before the parenthesis holding it."""
    opening = max(squashed.plain.rfind("（", max(0, spot.start - CLAUSE_REACH), spot.start),
                  squashed.plain.rfind("(", max(0, spot.start - CLAUSE_REACH), spot.start))
    fitting = [s for s in in_sentence if s.end == opening and _same_kind(s, spot)]
    return fitting[-1] if fitting else None


def _period_start(squashed: Squashed, position: int) -> int:
    """Where the sentence holding `position` starts when only 。！？ end one (； goes on), at most NEARBY back."""
    index = bisect_left(squashed.sentence_ends, position) - 1
    floor = position - NEARBY
    while index >= 0 and squashed.sentence_ends[index] >= floor and squashed.plain[squashed.sentence_ends[index]] in "；;":
        index -= 1
    return max(squashed.sentence_ends[index] + 1 if index >= 0 else 0, floor, 0)


def _intake(spot: _Spot, nearby: list[_Spot], squashed: Squashed, clause_before: str) -> _Spot | None:
    """The intake an outcome is of: the nearest count of its kind before it in its sentence (； goes on), not in
    a parenthesis closed before it, nor a part of a 其中 list a ； closed (其中民事…、行政26件；结案3824件: of the
    whole); past the other outcomes of the same intake (起诉75件，不起诉9件: both of 审查起诉77件), except that a
    later stage is of the stage before it (预审合格1715件，获授权1237件). The text up to it must name an intake."""
    plain, opened = squashed.plain, squashed.opened
    start = _period_start(squashed, spot.start)
    staged = _opening(clause_before).lstrip("其中并共已均全年累计").startswith(STAGED)
    for other in reversed(nearby):
        if other.start < start:
            break
        if other.written is None or not _same_kind(other, spot) or opened[other.start] > opened[spot.start] or \
                other.relation in ("growth_of", "change_of", "per_10k_of"):
            continue
        if other.relation in ("part_of", "subset_of") and any(c in plain[other.end:spot.start] for c in "；;"):
            continue
        if other.relation == "outcome_of" and not (staged and "合格" in other.context):
            continue
        return other if INTAKE.search(plain[start:other.end]) else None
    return None


def _named_whole(named: str | None, clause_before: str, nearby: list[_Spot], spot: _Spot) -> _Spot | None:
    """The count a share names as its whole: 占全市专利授权总量的93.04% → the fact 全市授权专利…件 before it;
    登记作品中美术作品占63.53% → the count of 作品登记 before it. Its words must all be in that count's."""
    if named:
        wanted = set(words_key(named, limit=8).split("_")) - {"", "total"}
    else:
        inside = re.search(r"([^，,；;。]{2,12}?)中[^，,；;。]*占[^，,；;。]*$", clause_before)
        if not inside:
            return None
        wanted = set(words_key(inside.group(1), limit=8).split("_")) - {"", "total"}
    if not wanted:
        return None
    counts = [s for s in nearby if s.written is not None and s.written.unit not in ("percent", "percentage_point")
              and s.relation not in ("change_of", "per_10k_of")]
    fitting = [(len(set(words_key(c.context, limit=8).split("_")) - wanted), -i, c) for i, c in enumerate(counts)
               if wanted <= set(words_key(c.context, limit=8).split("_"))]
    return min(fitting, key=lambda f: (f[0], f[1]))[2] if fitting else None  # fewest other words, then nearest


def _listed_name(plain: str, sentence_start: int, spot: _Spot, in_sentence: list[_Spot]) -> str | None:
    """A, B 分别为 N、M: the name in the same place of the list before 分别 as the number after it."""
    at = plain.rfind("分别", sentence_start, spot.start)
    if at < 0 or spot.written is None:
        return None
    percent = spot.written.unit == "percent"
    place = sum(1 for s in in_sentence if s.start > at and s.written is not None
                and (s.written.unit == "percent") == percent)
    head = max(plain.rfind(c, sentence_start, at) for c in "，,：:；;") + 1
    names = [n for n in re.split("[、和及与]", plain[max(head, sentence_start):at]) if n]
    return names[place] if len(names) > 1 and place < len(names) else None


def _respectively(spot: _Spot, counts: list[_Spot], in_sentence: list[_Spot], squashed: Squashed,
                  sentence_start: int) -> _Spot:
    """The count a growth rate is of: the last one before it; after 分别, the one in the same place of the list
    (A、B分别为 N件、M件，同比增长 a%、b%: a of N, b of M)."""
    plain = squashed.plain
    if "分别" not in plain[sentence_start:spot.start]:
        return counts[-1]
    rates = [s for s in in_sentence if s.written is not None and s.written.unit == "percent"
             and not any(c in plain[s.end:spot.start] for c in "，,；;")]
    listed = [s for s in counts if s.start > plain.rfind("分别", sentence_start, spot.start)] or counts
    place = len(rates)
    return listed[place] if place < len(listed) and len(listed) > 1 else counts[-1]


def _qizhong(spot: _Spot, counts: list[_Spot], squashed: Squashed,
            sentence_start: int) -> tuple[_Spot | None, _Spot | None]:
    """(part, whole) around the nearest 其中 before `spot` in its sentence, while that 其中 is in scope."""
    full = squashed.plain
    at = squashed.last_qizhong(sentence_start, spot.start)
    if at < 0:
        return None, None
    between = full[at:spot.start]
    if full[at - 1:at] in "（(" and at > 0 and any(c in between for c in "）)"):
        return None, None  # the parenthesis holding 其中 closed before this number
    wholes = [s for s in counts if s.end <= at]
    parts = [s for s in counts if s.start > at]
    return (parts[-1] if parts else None), (wholes[-1] if wholes else None)


def _lists_parts(squashed: Squashed, spot: _Spot) -> bool:
    """A number still in the list that 其中 opens: inside its parenthesis, or with only 、 between them."""
    full = squashed.plain
    at = squashed.last_qizhong(0, spot.start)
    between = full[at + 2:spot.start].lstrip("，,：:")  # 其中，民事案件3856件、刑事案件122件
    return full[at - 1:at] in ("（", "(") or not any(c in between for c in "，,；;")


def _same_kind(a: _Spot, b: _Spot) -> bool:

    if a.written is None or b.written is None:
        return False
    return a.written.compatible(b.written.unit)


def _key_of(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


@cache
def _glossary_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(GLOSSARY, key=len, reverse=True)))


def words_key(context: str, limit: int = 4) -> str:
    """A key from the glossary words in `context`, in their order, measures last (invention_patent_grants)."""
    ordered: list[str] = []
    for match in _glossary_pattern().finditer(context):  # leftmost-longest, no overlaps
        part = GLOSSARY[match.group(0)]
        if part and part not in ordered:
            ordered.append(part)
    ordered = [p for p in ordered if p not in MEASURES] + [p for p in ordered if p in MEASURES]
    return "_".join(ordered[:limit])


def _clean_key(key: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", key.lower())).strip("_")


def _unique(key: str, taken: set[str]) -> str:
    if key not in taken:
        return key
    n = 2
    while f"{key}_{n}" in taken:
        n += 1
    return f"{key}_{n}"


def yaml_scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly `text` (a string)."""
    import json

    import yaml

    try:
        if yaml.safe_load(f"k: {text}") == {"k": text} and text == text.strip() and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def render(base: FactBase, source_id: str, drafts: list[Draft], tables: list[TableDraft] | None = None) -> str:
    """The draft fact file as YAML text, with a header telling the curator what to do."""
    source = base.sources[source_id]
    drafted = [d for d in drafts if d.problem is None]
    out = [
        f"# Draft facts for {source_id} ({source.file}): written by `ipfacts scaffold`.",
        f"# {len(drafted)} number(s) no fact cites yet" + (", and the tables at the end" if
                                                           (tables_of(base, source_id) if tables is None else tables)
                                                           else "") +
        ". For each: check value, line and quote; confirm or remove",
        "# the guessed relations (notes beginning \"TODO confirm\"); rename the key; add `metric:` where a",
        "# report should show it; delete what is not a claim or list it under `ignore:`.",
        f"source: {yaml_scalar(source_id)}",
        "facts:",
    ]
    if not drafted:
        out[-1] = "facts: {}"
    for draft in drafted:
        out.append(f"  {draft.key}:")
        if draft.metric:
            out.append(f"    metric: {yaml_scalar(draft.metric)}")
        out.append(f"    value: {yaml_scalar(draft.value)}")
        if draft.unit:
            out.append(f"    unit: {yaml_scalar(draft.unit)}")
        out.append(f"    line: {draft.line}")
        out.append(f"    quote: {yaml_scalar(draft.quote)}")
        if draft.lang:
            out.append(f"    lang: {draft.lang}")
        for relation, refs in draft.relations.items():
            shown = ", ".join(yaml_scalar(r) for r in refs)
            out.append(f"    {relation}: " + (f"[{shown}]" if len(refs) > 1 or relation in ("share_of", "sum_of")
                                              else shown))
        if draft.base and any(r in draft.relations for r in ("growth_of", "change_of")):
            out.append(f"    base: {draft.base}")
        if draft.notes:
            out.append(f"    note: {yaml_scalar('; '.join(draft.notes))}")
    from ipfacts.curate import tables as table_drafts

    found = tables_of(base, source_id) if tables is None else tables
    if found:
        block = table_drafts.render(found).rstrip("\n")
        if not table_drafts.loader_reads_tables():  # a draft must load: until the loader reads tables, comment them
            block = "# (this version of ipfacts does not read table blocks yet: uncomment once it does)\n" + \
                "\n".join("#" + line if line.startswith("#") else "# " + line for line in block.split("\n"))
        out.append(block)
    skipped = [d for d in drafts if d.problem is not None]
    if skipped:
        out.append("# Not drafted (the value could not be read; write these by hand):")
        out += [f"#   line {d.claim.line}: {d.claim.text} ({d.problem})" for d in skipped]
    return "\n".join(out) + "\n"
