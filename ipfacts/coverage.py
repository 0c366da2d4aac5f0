"""Coverage: which numbers in a source no fact cites.

A *numeric claim* is a number followed by a unit, a multiplier or a percent
sign (4869件, 23.8%, 26.3万, 40,107 million yuan). Dates (2024年), ordinals
and ranks (第2位) and bare numbers are not claims. A claim is *cited* when a
fact of that source gives exactly those digits and its cited lines include
the claim's line; *ignored* when the fact files list it under `ignore:`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from ipfacts import units
from ipfacts.model import FactBase
from ipfacts.sourcetext import SourceText, SourceTexts
from ipfacts.words import words


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
        return "|".join(re.escape(i) for i in sorted(set(items), key=len, reverse=True))

    vocab = words()
    unit_words = [s for s in units.spellings() if s] + ["%"]
    unit_words += [n.replace(" ", "") for n in vocab.count_nouns]
    after = alternatives([w.replace(" ", "") for w in vocab.qualifiers_after if w != "+"])
    return re.compile(
        r"(?<![\d.,])(?<!第)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
        rf"(?P<mult>{alternatives(list(vocab.multipliers))})?(?:{after})?"
        rf"(?P<unit>{alternatives(unit_words)})?",
        re.IGNORECASE,
    )


def claims_in(text: SourceText) -> list[Claim]:
    from bisect import bisect_right

    squashed, starts = text._squashed  # noqa: SLF001 - the index is built for exactly this
    found = []
    for match in _claim_pattern().finditer(squashed):
        unit = match.group("unit") or ""
        if not unit and not match.group("mult"):
            continue
        literal = match.group("num")
        if unit in ("年",) and "." not in literal and len(literal) == 4:
            continue  # a year, not a duration
        line = bisect_right(starts, match.start())
        found.append(Claim(line, literal, match.group(0)))
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
