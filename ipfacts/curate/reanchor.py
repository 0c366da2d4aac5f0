"""Re-anchoring: after a source's text changed, find every citation into it again by its quote.

`plan(base, source_id)` compares each citation of the source with the text as it is now: the quote
still at its lines (kept), found elsewhere (moved: the new lines), found at several places (the one
nearest the old lines is taken, the others listed), or nowhere (lost: a person must look).
`apply(root, plan)` writes the new lines and the source's new sha256 into the YAML text, editing only
those values — every other byte of the fact files stays as it was (no YAML re-dump). sources.yaml is
edited through curate/sourcesyaml.py, under its lock, like every writer of that file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ipfacts.infra.atomic import write_atomic
from ipfacts.load.model import Fact, FactBase
from ipfacts.load.sourcetext import SourceText, SourceTexts, squash


class ReanchorError(Exception):
    """The plan cannot be applied (a value is not where the fact base said; the file changed meanwhile)."""


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


def _replace_scalar(text: str, node: yaml.Node, new: str) -> tuple[int, int, str]:
    """The edit that replaces a scalar's value, keeping its quotes: (start, end, replacement)."""
    start, end = node.start_mark.index, node.end_mark.index
    written = text[start:end]
    if written[:1] in ("'", '"') and written[-1:] == written[:1]:
        return start + 1, end - 1, new
    return start, end, new


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _edit(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def apply(root: Path | str, the_plan: Plan) -> list[str]:
    """Write the moved lines and the new sha256; returns the files written. Lost citations stay as
    they are (a person must find them). Raises ReanchorError when a value is not where expected."""
    root = Path(root)
    by_file: dict[str, list[Move]] = {}
    for move in the_plan.moved:
        by_file.setdefault(move.file, []).append(move)
    pending: dict[Path, str] = {}
    for shown, moves in by_file.items():
        path = root / shown
        original = path.read_bytes().decode("utf-8")
        facts = _mapping_value(yaml.compose(original, Loader=yaml.SafeLoader), "facts")
        edits = []
        for move in moves:
            line = _mapping_value(_mapping_value(facts, move.key), "line")
            if not isinstance(line, yaml.ScalarNode) or line.value.replace(" ", "") != move.old:
                raise ReanchorError(f"{shown}: the line of {move.fact} is not {move.old} any more; run again")
            edits.append(_replace_scalar(original, line, move.new))
        pending[path] = _edit(original, edits)
    if not the_plan.hash_changed:
        for path, text in pending.items():
            write_atomic(path, text.encode("utf-8"))
        return sorted(p.relative_to(root).as_posix() for p in pending)
    from ipfacts.curate.sourcesyaml import SOURCES, SourcesEditError, editing

    try:  # sources.yaml under its lock (a concurrent add-source or reanchor keeps its edit); the sha256 last
        with editing(root) as doc:
            doc.set(the_plan.source, "sha256", the_plan.recorded_sha256, the_plan.actual_sha256)
            for path, text in pending.items():
                write_atomic(path, text.encode("utf-8"))
    except SourcesEditError as exc:
        raise ReanchorError(str(exc)) from exc
    return sorted([*(p.relative_to(root).as_posix() for p in pending), SOURCES])
