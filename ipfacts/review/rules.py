"""Every review rule, written once: what can be reviewed, what is held back, which verdict came before.

The command line, the HTML page and the web interface ask these functions; none of them keeps its
own list of codes.

- A finding is *reviewable* unless the fact itself must be fixed: citation and source findings (the
  C codes) and load errors (L codes). A stale review (V001) is resolved by reviewing again or pruning.
- A reviewable finding is *held back* while its numbers are unverified: a source it cites changed
  since it was hashed (C001), or a fact involved fails its own citation (C002–C005, e.g. a misquote).
  A verdict recorded before is then *suspended*: the finding counts as open.
- The *previous* verdict of a finding is the current verdict of a stale entry with the same code and
  the same facts: what an editor decided before a value or a source changed. Recording a new
  verdict renews it (the old entry's history moves into the new one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ipfacts.findings import ERROR, Finding, Report

if TYPE_CHECKING:
    from ipfacts.review.model import Entry, Verdict

MUST_FIX = "the fact must be fixed"
STALE = "V001"


def why_not_reviewable(finding: Finding) -> str | None:
    """Why this finding can never take a verdict (None: it can)."""
    if finding.code == "C001":
        return (f"C001 is a source finding: {MUST_FIX} — re-check the citations of the changed source "
                "(`ipfacts reanchor SOURCE`) and update its sha256 — not reviewed")
    if finding.code.startswith("C"):
        return (f"{finding.code} is a citation finding: {MUST_FIX} (its quote, line or value), not reviewed")
    if finding.code.startswith("L"):
        return f"{finding.code} is a load error: {MUST_FIX} so that the base can be read, not reviewed"
    if finding.code == STALE:
        return "a stale review is resolved by reviewing the finding again or by `ipfacts review --prune`"
    return None


def reviewable(finding: Finding) -> bool:
    return why_not_reviewable(finding) is None


def changed_sources(report: Report) -> set[str]:
    """Sources whose bytes no longer match their recorded sha256 (C001)."""
    return {c.source for f in report.findings if f.code == "C001" for c in f.citations}


def broken_citations(report: Report) -> dict[str, str]:
    """Fact id -> the code of a citation finding on it (C002–C005): its quote or value is not in the source."""
    out: dict[str, str] = {}
    for finding in report.findings:
        if finding.code.startswith("C") and finding.code != "C001":
            for fact in finding.facts:
                out.setdefault(fact.id, finding.code)
    return out


class Holds:
    """What holds findings back in one report (computed once, asked per finding)."""

    def __init__(self, report: Report) -> None:
        self.changed = changed_sources(report)
        self.broken = broken_citations(report)

    def why(self, finding: Finding) -> str | None:
        """Why a reviewable finding cannot be reviewed now (None: it can)."""
        moved = sorted({c.source for c in finding.citations} & self.changed)
        if moved:
            return (f"source {', '.join(moved)} changed since it was hashed (C001): re-check the citations "
                    "(`ipfacts reanchor SOURCE`) and update its sha256 in facts/sources.yaml before reviewing "
                    "findings that cite it")
        broken = sorted((fact.id, self.broken[fact.id]) for fact in finding.facts if fact.id in self.broken)
        if broken:
            listed = ", ".join(f"{fact_id} ({code})" for fact_id, code in broken)
            return (f"the citation of {listed} fails: the numbers are not verified against the source; "
                    f"{MUST_FIX} before this finding can be reviewed")
        return None


def why_not_now(finding: Finding, report: Report, holds: Holds | None = None) -> str | None:
    """Why this finding cannot take a verdict now: never reviewable, or held back."""
    return why_not_reviewable(finding) or (holds or Holds(report)).why(finding)


def unique(findings: Iterable[Finding]) -> dict[str, Finding]:
    """Findings by fingerprint (the first of any with the same one)."""
    out: dict[str, Finding] = {}
    for finding in findings:
        out.setdefault(finding.fingerprint, finding)
    return out


def to_review(report: Report, warnings: bool = True) -> tuple[list[Finding], list[Finding]]:
    """The open findings a walk asks about (errors first, report order within), and those held back."""
    holds = Holds(report)
    todo: list[Finding] = []
    held: list[Finding] = []
    for finding in unique(report.open).values():
        if not reviewable(finding) or (finding.severity != ERROR and not warnings):
            continue
        (held if holds.why(finding) else todo).append(finding)
    return sorted(todo, key=lambda f: f.severity != ERROR), held


def previous_entry(finding: Finding, entries: dict[str, Entry], live: set[str]) -> Entry | None:
    """The latest stale entry with a current verdict on the same code and facts."""
    found = stale_of(finding.code, (f.id for f in finding.facts), entries, live)
    return entries[found[0]] if found else None


def stale_of(code: str, fact_ids: Iterable[str], entries: dict[str, Entry], live: set[str]) -> list[str]:
    """Entries of this code and these facts that match no live finding and hold a verdict (newest first)."""
    ids = set(fact_ids)
    found = [fp for fp, entry in entries.items()
             if fp not in live and entry.code == code and set(entry.facts) == ids and entry.current() is not None]
    return sorted(found, key=lambda fp: (entries[fp].current().at, fp), reverse=True)  # type: ignore[union-attr]


def prunable(report: Report) -> list[str]:
    """Fingerprints of the entries `--prune` drops: verdicts that match no finding, or a finding that
    cannot be reviewed (the V001 findings that say so)."""
    return sorted({str(f.details["review"]) for f in report.findings
                   if f.code == STALE and f.details.get("kind") in ("stale", "unreviewable")})


STATES = ("open", "held", "reviewed", "stale")


@dataclass
class Listed:
    """One line of `ipfacts review --list` (and of the web interface's list)."""

    state: str  # open | held | reviewed | stale
    fingerprint: str
    code: str
    finding: Finding  # the finding; for a stale entry, its V001
    verdict: Verdict | None = None  # the current verdict (reviewed, stale)
    why: str | None = None  # why it is held back
    sources: set[str] = field(default_factory=set)


def listing(report: Report, entries: dict[str, Entry], source: str | None = None, status: str | None = None,
            reviewer: str | None = None) -> list[Listed]:
    """Open, held-back, reviewed and stale findings (in that order, report order within), filtered by the
    source they cite, their state or verdict status, and the reviewer of their current verdict."""
    holds = Holds(report)
    rows: list[Listed] = []
    for finding in unique(report.findings).values():
        if finding.code == STALE and finding.details.get("kind") == "stale":
            entry = entries.get(str(finding.details["review"]))
            verdict = entry.current() if entry else None
            if entry is not None and verdict is not None:
                rows.append(Listed("stale", entry.fingerprint, entry.code, finding, verdict, None, set(entry.sources)))
            continue
        if not reviewable(finding):
            continue
        entry = entries.get(finding.fingerprint)
        verdict = entry.current() if entry else None
        why = holds.why(finding)
        state = "reviewed" if report.review_of(finding) is not None else ("held" if why else "open")
        rows.append(Listed(state, finding.fingerprint, finding.code, finding, verdict, why,
                           {c.source for c in finding.citations}))
    wanted = (status or "").strip().lower()
    who = (reviewer or "").strip().lower()
    rows = [row for row in rows
            if (not source or source in row.sources)
            and (not wanted or wanted in (row.state, row.verdict.status if row.verdict else ""))
            and (not who or (row.verdict is not None and row.verdict.reviewer.lower() == who))]
    return sorted(rows, key=lambda row: STATES.index(row.state))
