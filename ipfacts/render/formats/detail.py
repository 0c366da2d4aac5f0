"""One finding in full, as text: what `ipfacts show` prints and `ipfacts review` asks about.

Like `text.segments()`, pieces carry a style name so the command can colour them on a terminal;
`render()` joins them plain (what an editor pastes into a message). Source context comes from
the excerpts kept beside the finding (`ReviewedFinding.excerpts`, from `ipfacts.review.excerpts`); without
them the section is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipfacts.findings import Finding, ReviewedFinding
from ipfacts.render.formats.text import Segment
from ipfacts.render.safetext import for_terminal
from ipfacts.review.rules import why_not_reviewable

MARKS = {"cited": ">", "found": "*", "": " "}
HIDDEN_DETAILS = ("found_at", "reported_interval", "kind", "testable", "gross")  # shown apart, or not at all
LISTED = 10  # items of a long list shown before "… and N more"
_INTERVAL = re.compile(r"^([\[(])\s*(-?[0-9.]+|-?∞)\s*,\s*(-?[0-9.]+|∞)\s*([\])])\s*(\S*)$")


def readable(interval: str | None) -> str | None:
    """Interval notation as an editor reads it: `[93.298, 93.298]%` → `93.298%`, `[93.35, 93.45)` → `93.35–93.45`.
    The exact notation stays in the JSON details and in `--explain`."""
    if interval is None:
        return None
    match = _INTERVAL.match(interval.strip())
    if not match:
        return interval
    _, lo, hi, _, unit = match.groups()
    if lo == hi:
        return f"{lo}{unit}"
    if lo == "-∞":
        return f"at most {hi}{unit}"
    if hi == "∞":
        return f"at least {lo}{unit}"
    return f"{lo}–{hi}{unit}"


def detail_text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        shown = ", ".join(str(v) for v in value[:LISTED])
        return shown + (f", … and {len(value) - LISTED} more" if len(value) > LISTED else "")
    if value is True:
        return "yes"
    return str(value)


def where_in_documents(excerpts: list[dict[str, Any]]) -> list[str]:
    """The documents and lines a finding is about, as an editor names them: 《title》 line 57."""
    out: list[str] = []
    for excerpt in excerpts:
        cited = [line["number"] for line in excerpt["lines"] if line["mark"] == "cited"]
        title = excerpt.get("title") or excerpt["source"]
        if cited:
            span = str(cited[0]) if cited[0] == cited[-1] else f"{cited[0]}-{cited[-1]}"
            page = f" ({excerpt['page']})" if excerpt.get("page") else ""
            out.append((f"《{title}》 line {span}" if cited[0] == cited[-1] else f"《{title}》 lines {span}") + page)
        else:
            out.append(f"《{title}》")
    return list(dict.fromkeys(out))


def segments(item: Finding | ReviewedFinding, command: str = "ipfacts", hint: bool = True,
             held: str | None = None) -> Iterator[Segment]:
    """The finding as styled pieces, every control character from sources and notes shown as an escape."""
    for style, text in _segments(item, command, hint, held):
        yield style, for_terminal(text)


def _segments(item: Finding | ReviewedFinding, command: str = "ipfacts", hint: bool = True,
              held: str | None = None) -> Iterator[Segment]:
    shown = item if isinstance(item, ReviewedFinding) else ReviewedFinding(item)
    finding = shown.finding
    yield ("code", f"{finding.code} {finding.name}")
    yield (finding.severity, f" ({finding.severity})")
    yield ("detail", f" · fingerprint {finding.fingerprint}\n")
    loc = finding.location
    yield ("path", f"{loc}: " if loc else "")
    yield ("", f"{finding.message}\n")
    for place in where_in_documents(shown.excerpts):
        yield ("heading", f"  in {place}\n")
    if finding.reported is not None:
        interval = getattr(finding.details, "reported_interval", None)
        yield ("", f"  reported    {finding.reported}" + (f"  (stands for {readable(interval)})" if interval else "")
               + "\n")
    if finding.expected is not None:
        yield ("", f"  recomputed  {readable(finding.expected)}\n")
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
    yield from review_segments(shown, command, hint, held)


def _excerpt(excerpt: dict[str, Any]) -> Iterator[Segment]:
    span = (f"line {excerpt['first']}" if excerpt["first"] == excerpt["last"]
            else f"lines {excerpt['first']}-{excerpt['last']}")
    title = f"《{excerpt['title']}》 · " if excerpt.get("title") else ""
    yield ("heading", f"\n{title}{excerpt['source']} · {excerpt['file']}")
    page = f" ({excerpt['page']})" if excerpt.get("page") else ""
    yield ("heading", f", {span}{page}\n" if excerpt["first"] else "\n")
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


def review_segments(item: Finding | ReviewedFinding, command: str = "ipfacts", hint: bool = True,
                    held: str | None = None) -> Iterator[Segment]:
    """The finding's review state; what cannot be reviewed (or not yet: `held`) says why."""
    shown = item if isinstance(item, ReviewedFinding) else ReviewedFinding(item)
    finding, review = shown.finding, shown.review
    if review:
        yield ("reviewed", f"Reviewed: {review.get('status')} by {review.get('reviewer')} on "
                           f"{review.get('at') or review.get('date')}\n")
        yield ("", f"  {review.get('note')}\n")
        return
    suspended = shown.suspended
    if suspended:
        yield ("warning", f"Open: its review ({suspended.get('status')} by {suspended.get('reviewer')} on "
                          f"{suspended.get('date')}) is suspended because its source changed\n")
    else:
        yield ("error" if finding.severity == "error" else "warning", f"Open {finding.severity}\n")
    why_not = why_not_reviewable(finding) or held
    if why_not:
        yield ("detail", f"  cannot be reviewed: {why_not}\n")
    elif hint:
        yield ("detail", f"  record a verdict: {command} review {finding.fingerprint} "
                         "--status explained|source-error|false-positive --note \"…\"\n")


def render(item: Finding | ReviewedFinding, command: str = "ipfacts") -> str:
    return "".join(text for _, text in segments(item, command))
