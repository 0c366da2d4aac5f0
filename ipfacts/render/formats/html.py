"""One self-contained HTML page for editors: open findings first (errors, then warnings), each with its
recomputation and the source lines it cites, then the reviewed ones with their verdicts.

No script, no external stylesheet, no server: the file opens from disk and can be mailed. Every text
from the fact base, the sources or a review note goes through Jinja2's autoescape.

Source context is read from `finding.details["excerpts"]` (see `ipfacts.review.excerpts.attach`, which
`ipfacts check --format html` calls); a finding without it is shown without source lines.
"""

from __future__ import annotations

from typing import Any

from ipfacts.findings import ERROR, Finding, Report
from ipfacts.render.formats.detail import HIDDEN_DETAILS, detail_text, readable, where_in_documents
from ipfacts.review.rules import Holds, why_not_reviewable

TEMPLATE = "findings.html.j2"


def _view(finding: Finding, holds: Holds) -> dict[str, Any]:
    loc = finding.location
    details = [(key.replace("_", " "), detail_text(value)) for key, value in finding.details.items()
               if key not in HIDDEN_DETAILS and value not in (None, False, "", [], {})]
    return {
        "code": finding.code,
        "name": finding.name,
        "title": finding.title,
        "severity": finding.severity,
        "message": finding.message,
        "location": str(loc) if loc else "",
        "fingerprint": finding.fingerprint,
        "reported": finding.reported,
        "reported_interval": readable(finding.details.get("reported_interval")),
        "expected": readable(finding.expected),
        "found_at": detail_text(finding.details["found_at"]) if finding.details.get("found_at") else "",
        "details": details,
        "facts": finding.facts,
        "excerpts": finding.details.get("excerpts") or [],
        "review": finding.review,
        "suspended": finding.details.get("suspended_review"),
        "why_not": why_not_reviewable(finding) or holds.why(finding),
        "places": where_in_documents(finding),
    }


def render(report: Report) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("ipfacts", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    open_findings = sorted(report.open, key=lambda f: f.severity != ERROR)  # stable: report order within
    holds = Holds(report)
    return env.get_template(TEMPLATE).render(
        summary=report.summary(),
        open=[_view(f, holds) for f in open_findings],
        reviewed=[_view(f, holds) for f in report.reviewed],
    )
