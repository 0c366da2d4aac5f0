"""The contract's JSON shape (version 1), plus a fingerprint per finding and a name per code."""

from __future__ import annotations

import json
from typing import Any

from ipfacts.findings import Finding, Report
from ipfacts.render.safetext import json_for_terminal

VERSION = 1


def finding_dict(finding: Finding, report: Report | None = None) -> dict[str, Any]:
    """One finding as JSON; with its report, the verdict and a suspended verdict kept beside it."""
    loc = finding.location
    details = finding.details.as_dict()
    suspended = report.suspended_of(finding) if report is not None else None
    if suspended is not None:
        details["suspended_review"] = suspended
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
        "location": {"file": loc.file, "line": loc.line} if loc else None,
        "facts": [{"id": f.id, "file": f.file, "line": f.line, "value": f.value, "note": f.note}
                  for f in finding.facts],
        "citations": [{"source": c.source, "file": c.file, "line": c.line,
                       "end_line": c.line if c.end_line is None else c.end_line} for c in finding.citations],
        "reported": finding.reported,
        "expected": finding.expected,
        "details": details,
        "review": report.review_of(finding) if report is not None else None,
    }


def report_dict(report: Report) -> dict[str, Any]:
    result: dict[str, Any] = {
        "version": VERSION,
        "summary": {k: v for k, v in report.summary().items() if k != "evaluations"},
        "findings": [finding_dict(f, report) for f in report.findings],
    }
    if "evaluations" in report.stats:
        result["evaluations"] = report.stats["evaluations"]
    return result


def render(report: Report) -> str:
    return json_for_terminal(json.dumps(report_dict(report), ensure_ascii=False, indent=2, default=str)) + "\n"
