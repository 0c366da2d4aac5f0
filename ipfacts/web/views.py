"""Findings as the pages show them: plain data built from the report, the fact base and the review core.

Nothing here decides a rule: what is reviewable and why not comes from `core`, what is stale from the
check's own V001 findings, what fits from the finding's message and recomputation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipfacts.findings import ERROR, Finding, Report
from ipfacts.findings.codes import code as lookup_code
from ipfacts.load.model import FactBase
from ipfacts.render.formats.detail import HIDDEN_DETAILS, detail_text
from ipfacts.review.excerpts import as_data, excerpts
from ipfacts.web import core
from ipfacts.web.live import State

STATES = ("open", "reviewed", "stale")


@dataclass
class Row:
    fingerprint: str
    code: str
    name: str
    title: str
    severity: str
    message: str
    location: str
    state: str  # open | reviewed | stale
    sources: list[str]
    reviewer: str
    verdict: str  # the status of the verdict it carries or is about ("" for none)
    reviewable: bool
    why_not: str
    about: str = ""  # a stale finding: the fingerprint of the review it is about
    finding: Finding | None = field(default=None, repr=False)


def state_of(finding: Finding, report: Report) -> str:
    if finding.code == "V001":
        return "stale"
    return "reviewed" if report.review_of(finding) is not None else "open"


def _sources(finding: Finding, base: FactBase | None) -> list[str]:
    ids = {c.source for c in finding.citations}
    if base is not None:
        ids |= {base.facts[f.id].source for f in finding.facts if f.id in base.facts}
    return sorted(ids)


def row(root: Path, finding: Finding, state: State) -> Row:
    base = state.base
    loc = finding.location
    about = str(finding.details.get("review") or "") if finding.code == "V001" else ""
    reviewer, verdict = "", ""
    review = state.report.review_of(finding)
    if review is not None:
        reviewer, verdict = str(review.get("reviewer", "")), str(review.get("status", ""))
    elif about:
        recorded = core.current(root, about)
        if recorded is not None:
            reviewer, verdict = recorded.reviewer, recorded.status
    why = core.why_not_now(finding, state.report)
    return Row(finding.fingerprint, finding.code, finding.name, finding.title, finding.severity, finding.message,
               str(loc) if loc else "", state_of(finding, state.report), _sources(finding, base), reviewer, verdict,
               why is None, why or "", about, finding)


@dataclass
class Filters:
    source: str = ""
    code: str = ""
    state: str = ""
    reviewer: str = ""

    def match(self, item: Row) -> bool:
        return ((not self.source or self.source in item.sources) and (not self.code or item.code == self.code)
                and (not self.state or item.state == self.state)
                and (not self.reviewer or item.reviewer == self.reviewer))

    @property
    def active(self) -> bool:
        return any((self.source, self.code, self.state, self.reviewer))


def rows(root: Path, state: State) -> list[Row]:
    seen: set[str] = set()
    out = []
    for finding in state.report.findings:
        if finding.fingerprint in seen:
            continue
        seen.add(finding.fingerprint)
        out.append(row(root, finding, state))
    order = {"open": 0, "stale": 1, "reviewed": 2}
    return sorted(out, key=lambda r: (order[r.state], r.severity != ERROR))  # stable: report order within


def choices(items: list[Row]) -> dict[str, list[tuple[str, int]]]:
    """Every value a filter can take, with how many findings have it."""
    def count(values: list[str]) -> list[tuple[str, int]]:
        tally: dict[str, int] = {}
        for value in values:
            if value:
                tally[value] = tally.get(value, 0) + 1
        return sorted(tally.items())

    return {
        "source": count([s for r in items for s in r.sources]),
        "code": count([r.code for r in items]),
        "state": [(s, sum(1 for r in items if r.state == s)) for s in STATES],
        "reviewer": count([r.reviewer for r in items]),
    }


def _fact(base: FactBase | None, ref: Any) -> dict[str, Any]:
    fact = base.facts.get(ref.id) if base is not None else None
    out: dict[str, Any] = {"id": ref.id, "value": ref.value, "where": f"{ref.file}:{ref.line}", "quote": "",
                           "note": "", "source": "", "source_title": "", "lines": ""}
    if fact is not None:
        source = base.sources.get(fact.source) if base is not None else None
        out.update(quote=fact.quote, note=fact.note or "", source=fact.source, lines=fact.lines,
                   source_title=source.title if source else "", source_file=source.file if source else "")
    return out


def detail(root: Path, finding: Finding, state: State) -> dict[str, Any]:
    """Everything the page of one finding shows."""
    item = row(root, finding, state)
    shown = [(key.replace("_", " "), detail_text(value)) for key, value in finding.details.items()
             if key not in HIDDEN_DETAILS and key not in ("review", "changes") and value not in (None, False, "", [], {})]
    found = as_data(excerpts(state.base, finding)) if state.base is not None else []
    verdict_fp = item.about or finding.fingerprint

    return {
        "row": item,
        "explanation": lookup_code(finding.code).explanation,
        "reported": finding.reported,
        "reported_interval": finding.details.get("reported_interval"),
        "expected": finding.expected,
        "found_at": detail_text(finding.details["found_at"]) if finding.details.get("found_at") else "",
        "changes": finding.details.get("changes") or [],
        "details": shown,
        "facts": [_fact(state.base, ref) for ref in finding.facts],
        "excerpts": found,
        "suspended": state.report.suspended_of(finding),
        "verdict_fp": verdict_fp,
        "current": core.current(root, verdict_fp),
        "history": list(reversed(core.history(root, verdict_fp))),  # newest first
        "version": core.version_of(root, finding.fingerprint),
    }
