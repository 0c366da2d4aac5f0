"""Verdicts applied to a report: the current verdict on each finding, suspended and stale reviews (V001)."""

from __future__ import annotations

from ipfacts import findings
from ipfacts.check.engine import report_order
from ipfacts.findings import Finding, Report
from ipfacts.load.model import FactBase
from ipfacts.review.model import Entry
from ipfacts.review.reviewfile import load_reviews
from ipfacts.review.rules import Holds, reviewable, why_not_reviewable


def apply_reviews(base: FactBase, report: Report) -> None:
    """Attach current verdicts to the findings they match; report stale and suspended reviews (V001)."""
    entries = load_reviews(base.root)
    if not entries:
        return
    holds = Holds(report)
    used: set[str] = set()
    added: list[Finding] = []
    for finding in report.findings:
        entry = entries.get(finding.fingerprint)
        verdict = entry.current() if entry else None
        if entry is None or verdict is None:
            continue
        used.add(entry.fingerprint)
        if not reviewable(finding):
            added.append(findings.make(
                "V001", f"{entry.label()} is on a finding that cannot be reviewed: {why_not_reviewable(finding)}; "
                        "drop it with `ipfacts review --prune`",
                where=entry.where, details={"review": entry.fingerprint, "kind": "unreviewable"}))
            continue
        held = holds.why(finding)
        if held:
            report.suspended[finding.fingerprint] = verdict.as_dict()
            added.append(findings.make(
                "V001", f"{entry.label()} is suspended: {held}; then review the finding again",
                where=entry.where, details={"review": entry.fingerprint, "kind": "suspended",
                                            "changed_sources": sorted({c.source for c in finding.citations}
                                                                      & holds.changed)}))
            continue
        report.reviews[finding.fingerprint] = verdict.as_dict()
    for fingerprint, entry in sorted(entries.items()):
        if fingerprint in used or entry.current() is None:
            continue
        changes = stale_reasons(base, entry)
        added.append(findings.make(
            "V001",
            f"{entry.label()} matches no finding: {'; '.join(changes)}; review the finding again if it is still "
            f"reported, or drop the entry with `ipfacts review --prune`",
            where=entry.where, details={"review": fingerprint, "kind": "stale", "changes": changes}))
    if added:
        report.findings.extend(added)
        report.findings.sort(key=report_order)


def stale_reasons(base: FactBase, entry: Entry) -> list[str]:
    """Why an entry no longer matches: what changed in the values and sources it recorded."""
    reasons: list[str] = []
    for fact_id, value in sorted(entry.facts.items()):
        fact = base.facts.get(fact_id)
        if fact is None:
            reasons.append(f"fact {fact_id} no longer exists")
        elif fact.value.text != value:
            reasons.append(f"{fact_id} was {value}, is now {fact.value.text}")
    for source_id, digits in sorted(entry.sources.items()):
        source = base.sources.get(source_id)
        if source is None:
            reasons.append(f"source {source_id} no longer exists")
        elif digits and not source.sha256.startswith(digits):
            reasons.append(f"the recorded sha256 of {source_id} changed ({digits}… → {source.sha256[:len(digits)]}…)")
    return reasons or ["its values and sources are unchanged, so the finding itself is gone (fixed, or no longer raised)"]


