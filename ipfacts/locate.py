"""Find a number or phrase in a source, for curators: where it is, and a fact skeleton to paste."""

from __future__ import annotations

from dataclasses import dataclass

from ipfacts.model import FactBase
from ipfacts.sourcetext import SourceTexts, squash


class UnknownSource(KeyError):
    pass


@dataclass(frozen=True)
class Place:
    first: int
    last: int
    context: list[tuple[int, str]]
    skeleton: str


def locate(base: FactBase, source_id: str, needle: str, around: int = 1) -> list[Place]:
    if source_id not in base.sources:
        raise UnknownSource(source_id)
    text = SourceTexts(base.sources)[source_id]
    places = []
    for first, last in text.find(squash(needle)):
        lines = str(first) if first == last else f"{first}-{last}"
        quote = "".join(text.lines[n - 1].strip() for n in range(first, last + 1))
        skeleton = f"  new_fact:\n    value: {needle}\n    line: {lines}\n    quote: {_shortest_quote(quote, needle)}\n"
        places.append(Place(first, last, text.context(first, last, around), skeleton))
    return places


def _shortest_quote(line_text: str, needle: str) -> str:
    """The needle with a few characters of its sentence before it: enough to be unambiguous."""
    squashed, target = squash(line_text), squash(needle)
    at = squashed.find(target)
    if at < 0:
        return needle
    start = max(0, max(squashed.rfind(p, 0, at) for p in "，。；,;：:") + 1)
    start = max(start, at - 16)
    return squashed[start: at + len(target) + 1].rstrip("，。；,;")
