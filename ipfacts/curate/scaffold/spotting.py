"""Spotting: where each number of a source stands in its text, and what surrounds it.

The source is squashed (no whitespace, as quotes are matched) once; every look-back the drafting does
(where a sentence or clause starts, how many parentheses are open, the nearest 其中) is a bisection in a
list made here. A `Spot` is one numeric claim placed in that text; a `Draft` is what drafting makes of it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache

from ipfacts.curate.coverage import CELL_SPLIT, Claim, claims_in, is_cell_line, is_table_row
from ipfacts.curate.furniture import DATE, TIME
from ipfacts.load.hanzi import simplified
from ipfacts.load.model import FactBase
from ipfacts.load.numbers import Written
from ipfacts.load.sourcetext import SourceText, squash
from ipfacts.load.units import Units
from ipfacts.load.words import words

SENTENCE_END = "。；;！？!?"
CLAUSE_END = SENTENCE_END + "，,：:、（(）)"
QUOTE_REACH = 16  # characters of context before a number, at most, in a drafted quote
CLAUSE_REACH = 60  # characters before a number whose words name it and suggest its relation
NEARBY = 200  # characters back a per-10,000 figure looks for the stock it divides (past its sentence)
LOOK_BACK = 40  # numbers before a number that a relation may name: keeps drafting linear in long sentences


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
    confidence: dict[str, str] = field(default_factory=dict)  # relation → stated (the words say it) or guessed
    spot: Spot | None = field(default=None, repr=False)
    context: str = field(default="", repr=False)  # the clause before the number (simplified characters)
    sentence: int = field(default=-1, repr=False)  # where its sentence starts


@dataclass
class Spot:
    """A claim placed in the squashed text of the source: where it starts and ends, and what it refers to."""

    claim: Claim
    start: int
    end: int
    written: Written | None
    ref: str | None = None  # the existing fact id citing it, or the draft key once drafted
    relation: str | None = None  # the relation drafted for it
    targets: list[str] = field(default_factory=list)  # … and the facts it names
    context: str = ""  # the clause before it (simplified characters)
    stop: int | None = None  # where its quote ends, when a footnote marker follows its digits
    problem: str | None = None  # why it is not drafted: its digits are not read as written


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
    province: bool = False  # the document reports on a province: 全省 is its own whole
    breaks: list[int] = field(default_factory=list)  # where the language changes (English ↔ Chinese lines)

    @classmethod
    def of(cls, text: SourceText) -> Squashed:
        parts = [squash(line) for line in text.lines]
        starts, offset = [], 0
        cells: list[int] = []
        breaks: list[int] = []  # where the language changes: no sentence runs across it
        stops: list[int] = []  # English sentence ends (". " — squashed, the space that marks them is gone)
        previous_tabular, previous_english = False, False
        for line, part in zip(text.lines, parts, strict=True):
            starts.append(offset)
            tabular = (is_table_row(line) or is_cell_line(line)) and not any(c in line for c in "，。；")  # prose
            han, latin = letters(line)
            english = latin > han
            if tabular or previous_tabular or ((english or previous_english) and line.strip()):
                cells.append(offset)  # a quote never reaches back into a table row, or across languages
            if line.strip():
                if english != previous_english:
                    breaks.append(offset)
                previous_english = english
            if english:
                for stop in re.finditer(r"[.;:!?](?=\s)", line):
                    stops.append(offset + len(squash(line[:stop.start()])))
            if tabular:
                at = offset
                for cell in CELL_SPLIT.split(line):
                    if cell.strip():
                        cells.append(at)
                        at += len(squash(cell))
            previous_tabular = tabular
            offset += len(part)
        made = cls.of_text("".join(parts), starts, sorted(set(cells)), stops)
        made.breaks.extend(breaks)
        return made

    @classmethod
    def of_text(cls, full: str, starts: list[int], cells: list[int] | None = None,
                stops: list[int] | None = None) -> Squashed:
        sentence_ends, clause_ends, opened, depth = [], [], [0], 0
        for at, char in enumerate(full):
            if char in CLAUSE_END and not (char == "," and full[at - 1:at].isdigit() and full[at + 1:at + 2].isdigit()):
                clause_ends.append(at)
                if char in SENTENCE_END:
                    sentence_ends.append(at)
            depth += (char in "（(") - (char in "）)")
            opened.append(depth)
        if stops:
            sentence_ends = sorted(set(sentence_ends) | set(stops))
            clause_ends = sorted(set(clause_ends) | set(stops))
        plain = simplified(full)
        qizhong = [m.start() for m in re.finditer("其中", plain)]
        return cls(full, starts, plain, sentence_ends, clause_ends, opened, qizhong, cells or [])

    def english_line(self, number: int) -> bool:
        """More Latin letters than Chinese characters on line `number` (counted once a line)."""
        cache = self.__dict__.setdefault("_english", {})
        if number not in cache:
            line = self.plain[self.starts[number - 1]:self.starts[number] if number < len(self.starts) else None]
            han, latin = letters(line)
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
        index = bisect_right(self.breaks, position)
        return max(self._after_last(self.sentence_ends, position), self.breaks[index - 1] if index else 0)

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


def is_english(squashed: Squashed, spot: Spot) -> bool:
    return squashed.english_line(spot.claim.line)


def letters(text: str) -> tuple[int, int]:
    """(Chinese characters, Latin letters) in text."""
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return han, sum(1 for c in text if c.isascii() and c.isalpha())


def citing_facts(base: FactBase, source_id: str) -> dict[str, list[tuple[int, int, str]]]:
    """The facts of the source by the digits they cite: literal → [(first line, last line, id)]."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for fact in base.facts.values():
        if fact.source == source_id:
            found.setdefault(fact.value.literal, []).append((fact.line_from, fact.line_to, fact.id))
    return found


def value_text(claim: Claim, full: str, at: int, text: str | None = None) -> str:
    """The claim as a value: its digits and unit, with a sign (-12.5%, －3.1%) and a qualifier written before it
    (超, 近, 约). `text`: the claim's own text read afresh (without a footnote marker)."""
    if text is None:
        text = claim.text if re.search(r"[A-Za-z]", claim.text) else squash(claim.text)
    before = full[max(0, at - 2):at - 1]
    sign = "-" if full[at - 1:at] in ("-", "−") and not (before.isascii() and before.isalnum()) else ""
    found = _qualifier_before().search(full, max(0, at - 4 - len(sign)), at - len(sign))
    return (found.group(0) if found else "") + sign + text


# Dates and times inside a sentence (2024-04-25 04:03:30, 2024年3月5日): the patterns of the one furniture rule
# (curate/furniture.py), read on squashed text.
STAMPS = re.compile(rf"(?<![0-9])(?:{DATE})(?:{TIME})?|(?<![0-9.])(?:{TIME})(?![0-9%])")


def date_stamps(plain: str) -> list[tuple[int, int]]:
    """Where the squashed text holds a date stamp (2024-04-25) or a time (04:03:30): no claim there is a fact."""
    return [(m.start(), m.end()) for m in STAMPS.finditer(plain)]


FOOTNOTE_MARKS = "⁰¹²³⁴⁵⁶⁷⁸⁹*※†‡"


def misread(plain: str, start: int, end: int, written: AsWritten) -> str | None:
    """Why the digits at start..end are not the number the text writes, if they are not: the claim pattern stops
    at a misplaced separator (1,2345 read as 1,234) or starts after a decimal point (.5 read as 5, but not the
    full stop of "examination. 8,115")."""
    if start >= 1 and plain[start - 1:start] == "." and not plain[start - 2:start - 1].isdigit() and \
            written.text(start - 1, start + 1)[1:2].isdigit():
        return f"a decimal without its leading zero (.{plain[start:end]}): write the value by hand"
    if plain[end:end + 1].isdigit() and "," in plain[start:end]:
        return f"digits grouped wrongly ({plain[start:end + 1]}…): write the value by hand"
    return None


def footnote(raw: str) -> int:
    """Where a footnote marker (1234¹件, 5.2%*) stands in a claim as written, or -1."""
    return next((i for i, char in enumerate(raw) if char in FOOTNOTE_MARKS and i > 0), -1)


@cache
def _qualifier_before() -> re.Pattern[str]:
    """A Chinese qualifier (超, 近, 约 …) ending right where a number begins; the longest wins."""
    chinese = [word for word, _ in words().before_longest_first if not word.isascii()]
    return re.compile("(?:" + "|".join(re.escape(w) for w in chinese) + ")$")


def same_kind(a: Spot, b: Spot) -> bool:
    if a.written is None or b.written is None:
        return False
    return a.written.compatible(b.written.unit)
