"""Plain text, `path:line: CODE message`, grouped by file; open findings first, reviewed apart.

`segments()` tags each piece with a style name so the CLI can colour it on a
terminal; `render()` joins them without styles (files, pipes, NO_COLOR).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ipfacts.findings import Finding, Report
from ipfacts.render.safetext import for_terminal

Segment = tuple[str, str]  # (style, text); style "" means plain


def _finding(finding: Finding, review: dict[str, Any] | None = None, explain: bool = False) -> Iterator[Segment]:
    reviewed = review is not None
    loc = finding.location
    yield ("path", f"{loc}: " if loc else "")
    yield (finding.severity if not reviewed else "reviewed", f"{finding.severity} ")
    yield ("code", f"{finding.code} {finding.name}")
    yield ("", f": {finding.message}")
    yield ("detail", f" [{finding.fingerprint[:8]}]")
    if review:
        yield ("reviewed", f"\n    reviewed: {review.get('status')} by {review.get('reviewer')} on {review.get('date')}"
                           f" — {review.get('note')}")
    elif explain and finding.expected is not None and finding.reported is not None:  # intervals: --explain only
        yield ("detail", f"\n    reported {finding.reported}; recomputed {finding.expected}")
    details = finding.details
    for label, value in (("implied part", getattr(details, "implied_part", None)),
                         ("implied previous", getattr(details, "implied_previous", None)),
                         ("found at", list(getattr(details, "found_at", ())))):
        if value:
            yield ("detail", f"\n    {label}: {value}")
    if explain:
        for fact in finding.facts:
            if fact.note:
                yield ("detail", f"\n    note on {fact.id}: {' '.join(fact.note.split())}")
    yield ("", "\n")


def segments(report: Report, quiet: bool = False, explain: bool = False) -> Iterator[Segment]:
    """The report as styled pieces, every control character from the base shown as an escape (safetext).
    With `explain`, each finding also shows the curators' notes on the facts it involves."""
    for style, text in _segments(report, quiet, explain):
        yield style, for_terminal(text)


def _segments(report: Report, quiet: bool = False, explain: bool = False) -> Iterator[Segment]:
    open_findings = report.open
    previous_file = None
    for finding in open_findings:
        if quiet and finding.severity != "error":
            continue
        file = finding.location.file if finding.location else ""
        if previous_file is not None and file != previous_file:
            yield ("", "\n")
        previous_file = file
        yield from _finding(finding, explain=explain)
    reviewed = report.reviewed
    if reviewed and not quiet:
        lead = "\n" if previous_file is not None else ""
        yield ("heading", f"{lead}Reviewed ({len(reviewed)}): recorded in facts/reviews.yaml, not failing the check\n")
        for finding in reviewed:
            yield from _finding(finding, report.review_of(finding), explain=explain)
    s = report.summary()
    verdict = "error" if s["errors"] else ("warning" if s["warnings"] else "ok")
    if open_findings or reviewed:
        yield ("", "\n")
    yield (verdict, f"{s['errors']} error(s), {s['warnings']} warning(s), {s['reviewed']} reviewed")
    yield ("", f" · {s['facts']} facts, {s['relations']} relation checks, {s['sources']} sources\n")


def render(report: Report) -> str:
    return "".join(text for _, text in segments(report))


FOLLOWERS_SHOWN = 5


def render_load_failure(problems: list[Finding]) -> str:
    lines = []
    for p in problems:
        lines.append(f"{p.location}: {p.code} {p.name}: {p.message}")
        follows = p.details.get("follows") or []
        lines += [f"    {line}" for line in follows[:FOLLOWERS_SHOWN]]
        if len(follows) > FOLLOWERS_SHOWN:
            lines.append(f"    … and {len(follows) - FOLLOWERS_SHOWN} more that follow from it")
    lines.append(f"the fact base cannot be read: {len(problems)} problem(s)")
    return "\n".join(lines) + "\n"
