"""One finding in full, as text: what `ipfacts show` prints and `ipfacts review` asks about.

Like `text.segments()`, pieces carry a style name so the command can colour them on a terminal;
`render()` joins them plain (what an editor pastes into a message). Source context comes from
the excerpts kept beside the finding (`ReviewedFinding.excerpts`, from `ipfacts.review.excerpts`); without
them the section is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ipfacts.findings import Finding, ReviewedFinding
from ipfacts.render.formats.text import Segment

MARKS = {"cited": ">", "found": "*", "": " "}
HIDDEN_DETAILS = ("found_at", "reported_interval")  # shown in their own lines


def detail_text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if value is True:
        return "yes"
    return str(value)


def segments(item: Finding | ReviewedFinding, command: str = "ipfacts", hint: bool = True) -> Iterator[Segment]:
    shown = item if isinstance(item, ReviewedFinding) else ReviewedFinding(item)
    finding = shown.finding
    yield ("code", f"{finding.code} {finding.name}")
    yield (finding.severity, f" ({finding.severity})")
    yield ("detail", f" · fingerprint {finding.fingerprint}\n")
    loc = finding.location
    yield ("path", f"{loc}: " if loc else "")
    yield ("", f"{finding.message}\n")
    if finding.reported is not None:
        interval = getattr(finding.details, "reported_interval", None)
        yield ("", f"  reported    {finding.reported}" + (f"  (stands for {interval})" if interval else "") + "\n")
    if finding.expected is not None:
        yield ("", f"  recomputed  {finding.expected}\n")
    found_at = getattr(finding.details, "found_at", ())
    if found_at:
        yield ("", f"  quote found at line {detail_text(found_at)}\n")
    for key, value in finding.details.items():
        if key in HIDDEN_DETAILS or value in (None, False, "", [], {}):
            continue
        yield ("detail", f"  {key.replace('_', ' ')}: {detail_text(value)}\n")
    if finding.facts:
        yield ("heading", "\nFacts\n")
        width = max(len(f.id) for f in finding.facts)
        for fact in finding.facts:
            yield ("", f"  {fact.id:<{width}}  ")
            yield ("value", fact.value)
            yield ("detail", f"  {fact.file}:{fact.line}\n")
            if fact.note:
                yield ("detail", f"  {'':<{width}}  note: {' '.join(fact.note.split())}\n")
    for excerpt in shown.excerpts:
        yield from _excerpt(excerpt)
    yield ("", "\n")
    yield from review_segments(shown, command, hint)


def _excerpt(excerpt: dict[str, Any]) -> Iterator[Segment]:
    span = (f"line {excerpt['first']}" if excerpt["first"] == excerpt["last"]
            else f"lines {excerpt['first']}-{excerpt['last']}")
    yield ("heading", f"\n{excerpt['source']} · {excerpt['file']}")
    yield ("heading", f", {span}\n" if excerpt["first"] else "\n")
    if excerpt.get("changed"):
        yield ("warning", "  (this source changed since its hash was recorded: the text below is the new one)\n")
    if excerpt.get("note"):
        yield ("warning", f"  {excerpt['note']}\n")
    for cell in excerpt.get("cells") or []:
        yield ("detail", f"  cell {cell}\n")
    width = len(str(excerpt["last"]))
    for line in excerpt["lines"]:
        mark = line["mark"]
        yield ("path" if mark else "detail", f"  {MARKS[mark]} {line['number']:>{width}} | ")
        for style, piece in line["parts"]:
            yield (style if mark else "", piece)
        yield ("", "\n")
    if any(line["mark"] == "found" for line in excerpt["lines"]):
        yield ("detail", "  (> cited line, * where the quote actually is)\n")


def review_segments(item: Finding | ReviewedFinding, command: str = "ipfacts", hint: bool = True) -> Iterator[Segment]:
    shown = item if isinstance(item, ReviewedFinding) else ReviewedFinding(item)
    finding, review = shown.finding, shown.review
    if review:
        yield ("reviewed", f"Reviewed: {review.get('status')} by {review.get('reviewer')} on {review.get('date')}\n")
        yield ("", f"  {review.get('note')}\n")
        return
    suspended = shown.suspended
    if suspended:
        yield ("warning", f"Open: its review ({suspended.get('status')} by {suspended.get('reviewer')} on "
                          f"{suspended.get('date')}) is suspended because its source changed\n")
    else:
        yield ("error" if finding.severity == "error" else "warning", f"Open {finding.severity}\n")
    if hint and finding.code not in ("C001", "V001"):
        yield ("detail", f"  record a verdict: {command} review {finding.fingerprint} "
                         "--status explained|source-error|false-positive --note \"…\"\n")


def render(item: Finding | ReviewedFinding, command: str = "ipfacts") -> str:
    return "".join(text for _, text in segments(item, command))
