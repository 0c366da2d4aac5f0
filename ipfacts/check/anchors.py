"""Where each citation of a changed source stands now, found again by its quote.

`plan(base, source_id)` compares each citation of the source with the text as it is now: the quote
still at its lines (kept), found elsewhere (moved: the new lines), found at several places (the one
nearest the old lines is taken, the others listed), or nowhere (lost: a person must look). The checker
words a changed source (C001) with it; `ipfacts reanchor` (ipfacts/curate/reanchor.py) applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ipfacts.load.model import Fact, FactBase
from ipfacts.load.sourcetext import SourceText, SourceTexts, squash


@dataclass(frozen=True)
class Move:
    fact: str
    file: str  # the fact file, as shown (facts/x.yaml)
    key: str  # the fact's key within its file
    old: str  # lines as cited: "57" or "56-57"
    new: str  # lines where the quote is now ("" when it is nowhere)
    others: tuple[str, ...] = ()  # further places the quote was found

    @property
    def lost(self) -> bool:
        return not self.new


@dataclass
class Plan:
    source: str
    file: str
    recorded_sha256: str
    actual_sha256: str
    citations: int = 0
    moves: list[Move] = field(default_factory=list)  # moved and lost citations, in fact-file order

    @property
    def moved(self) -> list[Move]:
        return [m for m in self.moves if not m.lost]

    @property
    def lost(self) -> list[Move]:
        return [m for m in self.moves if m.lost]

    @property
    def hash_changed(self) -> bool:
        return self.recorded_sha256 != self.actual_sha256


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _shifted(place: tuple[int, int], fact: Fact, count: int) -> tuple[int, tuple[int, int]]:
    """The cited span moved as little as possible to hold `place`, keeping its width (a citation of two
    lines stays two lines); the place itself when it is wider. Returns (distance, span)."""
    first, last = place
    width = fact.line_to - fact.line_from
    if last - first > width:
        return abs(first - fact.line_from), place
    low, high = last - fact.line_to, first - fact.line_from  # every shift in [low, high] covers the place
    shift = min(max(0, low), high)
    start = max(1, min(fact.line_from + shift, count - width))
    if not (start <= first and last <= start + width):
        return abs(first - fact.line_from), place
    return abs(shift), (start, start + width)


def locate(fact: Fact, text: SourceText) -> Move | None:
    """None when the quote is still at the cited lines; else where it is now."""
    quote = squash(fact.quote)
    if quote and fact.line_to <= len(text.lines) and quote in text.squashed_range(fact.line_from, fact.line_to):
        return None
    places = text.find(quote) if quote else []
    if not places:
        return Move(fact.id, fact.file, fact.key, fact.lines, "")
    ranked = sorted((_shifted(p, fact, len(text.lines)) + (p,) for p in places), key=lambda r: (r[0], r[1]))
    best = ranked[0]
    others = tuple(_span(*r[2]) for r in ranked[1:])
    return Move(fact.id, fact.file, fact.key, fact.lines, _span(*best[1]), others)


def plan(base: FactBase, source_id: str, texts: SourceTexts | None = None) -> Plan:
    """What re-anchoring this source would change. Raises KeyError for an unknown source."""
    source = base.sources[source_id]
    text = (texts or SourceTexts(base.sources))[source_id]
    result = Plan(source_id, source.file, source.sha256, text.sha256)
    for fact in base.facts.values():
        if fact.source != source_id:
            continue
        result.citations += 1
        move = locate(fact, text)
        if move is not None:
            result.moves.append(move)
    return result
