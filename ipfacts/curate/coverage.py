"""Coverage: which numbers in a source no fact cites.

A *numeric claim* is a number followed by a unit, a multiplier or a percent
sign (4869件, 23.8%, 26.3万, 40,107 million yuan). Dates (2024年), ordinals
and ranks (第2位) and bare numbers are not claims. A claim is *cited* when a
fact of that source gives exactly those digits and its cited lines include
the claim's line; *ignored* when the fact files list it under `ignore:`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from ipfacts.load import units
from ipfacts.load.model import FactBase
from ipfacts.load.sourcetext import SourceText, SourceTexts
from ipfacts.load.words import words


@dataclass(frozen=True)
class Claim:
    line: int
    literal: str  # digits as written
    text: str  # the claim as it stands in the squashed text (number + unit)


@dataclass
class SourceCoverage:
    source: str
    file: str
    claims: list[Claim] = field(default_factory=list)
    cited: list[Claim] = field(default_factory=list)
    ignored: list[Claim] = field(default_factory=list)
    uncited: list[Claim] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        counted = len(self.claims) - len(self.ignored)
        return 1.0 if counted <= 0 else len(self.cited) / counted


@cache
def _claim_pattern() -> re.Pattern[str]:
    def alternatives(items: list[str]) -> str:
        escaped = []
        for item in sorted(set(items), key=len, reverse=True):
            word = re.escape(item).replace("_", r"[\s_-]")
            # an English word must end at a word boundary: 4 copyright is not 4 copy
            escaped.append(word + (r"(?![A-Za-z])" if item.isascii() and item[-1:].isalpha() else ""))
        return "|".join(escaped)

    vocab = words()
    unit_words = [s for s in units.spellings() if s] + ["%"] + list(vocab.count_nouns)
    after = alternatives([w for w in vocab.qualifiers_after if w != "+"])
    return re.compile(
        r"(?<![\d/])(?<!\d[.,])(?<!第)(?P<num>\d+/\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        rf"(?:[ \t]*(?:{after}))?(?:[ \t]*(?P<mult>{alternatives(list(vocab.multipliers))}))?"
        rf"(?:[ \t]*(?:{after}))?\s*(?P<unit>{alternatives(unit_words)})?",
        re.IGNORECASE,
    )


units.on_change(_claim_pattern.cache_clear)  # a fact base's own units are claims' units too


def claims_in(text: SourceText) -> list[Claim]:
    """Numbers with a unit, multiplier or % (and fractions), scanned line by line with the unit
    allowed on the next line, as PDF extraction leaves it (20134 / 件)."""
    from bisect import bisect_right

    full = unicodedata.normalize("NFKC", "\n".join(text.lines))
    starts = [0]
    for match in re.finditer("\n", full):
        starts.append(match.end())
    found = []
    for match in _claim_pattern().finditer(full):
        unit = match.group("unit") or ""
        literal = match.group("num")
        if not unit and not match.group("mult") and "/" not in literal:
            continue
        if unit in ("年",) and "." not in literal and len(literal) == 4:
            continue  # a year, not a duration
        if unit in ("日", "天") and full[max(0, match.start() - 1):match.start()] == "月":
            continue  # 4月26日 is a date
        line = bisect_right(starts, match.start())
        found.append(Claim(line, literal, " ".join(match.group(0).split())))
    return found


def coverage(base: FactBase, source_ids: list[str] | None = None) -> list[SourceCoverage]:
    texts = SourceTexts(base.sources)
    cited_ranges: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for fact in base.facts.values():
        cited_ranges[(fact.source, fact.value.literal)].append((fact.line_from, fact.line_to))
    ignored_at: dict[tuple[str, str], set[int]] = defaultdict(set)
    for item in base.ignored:
        ignored_at[(item.source, item.text.strip())].add(item.line)
    results = []
    for source_id in source_ids or sorted(base.sources):
        source = base.sources[source_id]
        result = SourceCoverage(source_id, source.file)
        for claim in claims_in(texts[source_id]):
            result.claims.append(claim)
            if any(a <= claim.line <= b for a, b in cited_ranges.get((source_id, claim.literal), [])):
                result.cited.append(claim)
            elif claim.line in ignored_at.get((source_id, claim.literal), ()) or \
                    claim.line in ignored_at.get((source_id, claim.text), ()):
                result.ignored.append(claim)
            else:
                result.uncited.append(claim)
        results.append(result)
    return results
