"""Citation checks: is the quote at the cited lines, and does it hold the value as written?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ipfacts import findings
from ipfacts.findings import CitationRef, FactRef, Finding
from ipfacts.load.model import Fact, FactBase
from ipfacts.load.sourcetext import SourceTexts, squash


def fact_ref(fact: Fact) -> FactRef:
    return FactRef(fact.id, fact.file, fact.where.line, fact.value.text, fact.note)


def citation_ref(base: FactBase, fact: Fact) -> CitationRef:
    source = base.sources[fact.source]
    return CitationRef(source.id, source.file, fact.line_from, source.sha256, fact.line_to)


def check_sources(base: FactBase, texts: SourceTexts) -> Iterator[Finding]:
    for source in base.sources.values():
        text = texts[source.id]
        if not text.hash_ok:
            yield findings.make(
                "C001",
                f"source {source.id} ({source.file}) changed: its sha256 is {text.sha256[:12]}…, "
                f"sources.yaml records {source.sha256[:12]}…; its citations and reviews are unverified",
                where=source.where,
                citations=[CitationRef(source.id, source.file, 1, source.sha256)],
                details={"actual_sha256": text.sha256},
            )


def digits_in(literal: str, quote: str) -> bool:
    """The value's digits appear in the quote as a whole number, not inside a longer one."""
    at = quote.find(literal)
    while at != -1:
        before = quote[max(0, at - 2):at]
        after = quote[at + len(literal):at + len(literal) + 2]
        inside_before = before[-1:].isdigit() or (len(before) == 2 and before[1] in ".," and before[0].isdigit())
        inside_after = after[:1].isdigit() or (len(after) == 2 and after[0] in ".," and after[1].isdigit())
        if not inside_before and not inside_after:
            return True
        at = quote.find(literal, at + 1)
    return False


def check_citation(base: FactBase, fact: Fact, texts: SourceTexts) -> Iterator[Finding]:
    source = base.sources[fact.source]
    text = texts[fact.source]
    refs: dict[str, Any] = {"facts": [fact_ref(fact)], "citations": [citation_ref(base, fact)]}
    line_count = len(text.lines)
    quote = squash(fact.quote)
    if not digits_in(fact.value.literal, quote):
        yield findings.make(
            "C005",
            f"{fact.id}: the quote {fact.quote!r} does not contain {fact.value.literal} (the digits of value {fact.value.text!r})",
            reported=fact.value.text, **refs)
    if fact.line_to > line_count:
        yield findings.make(
            "C002",
            f"{fact.id}: line {fact.lines} is past the end of {source.file} ({line_count} lines)",
            details=_elsewhere(text.find(quote)), **refs)
        return
    if quote and quote in text.squashed_range(fact.line_from, fact.line_to):
        return
    places = text.find(quote)
    if places:
        where = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in places[:5])
        yield findings.make(
            "C003",
            f"{fact.id}: the quote is not at line {fact.lines} of {source.file} but at line {where}",
            details=_elsewhere(places), **refs)
    else:
        yield findings.make(
            "C004",
            f"{fact.id}: the quote {fact.quote!r} is not in {source.file} (nor anywhere else in it)",
            **refs)


def _elsewhere(places: list[tuple[int, int]]) -> dict[str, Any]:
    return {"found_at": [f"{a}" if a == b else f"{a}-{b}" for a, b in places]} if places else {}
