"""One self-contained HTML page for editors: open findings first (errors, then warnings), each with its
recomputation and the source lines it cites, then the reviewed ones with their verdicts.

No script, no external stylesheet, no server: the file opens from disk and can be mailed. Every text
from the fact base, the sources or a review note goes through Jinja2's autoescape.

Source context is read from the report's excerpts (`Report.excerpts`, filled by `ipfacts.review.excerpts.attach`,
which `ipfacts check --format html` calls); a finding without them is shown without source lines.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ipfacts.findings import ERROR, Report, ReviewedFinding
from ipfacts.render.formats.detail import HIDDEN_DETAILS, detail_text, readable, where_in_documents
from ipfacts.review.rules import Holds, why_not_reviewable

TEMPLATE = "findings.html.j2"


def _view(shown: ReviewedFinding, holds: Holds) -> dict[str, Any]:
    finding = shown.finding
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
        "reported_interval": readable(getattr(finding.details, "reported_interval", None)),
        "expected": readable(finding.expected),
        "found_at": detail_text(getattr(finding.details, "found_at", ())),
        "details": details,
        "facts": finding.facts,
        "excerpts": shown.excerpts,
        "review": shown.review,
        "suspended": shown.suspended,
        "why_not": why_not_reviewable(finding) or holds.why(finding),
        "places": where_in_documents(shown.excerpts),
    }


def render(report: Report) -> str:
    env = Environment(loader=PackageLoader("ipfacts", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    open_findings = sorted(report.open, key=lambda f: f.severity != ERROR)  # stable: report order within
    holds = Holds(report)
    return env.get_template(TEMPLATE).render(
        summary=report.summary(),
        open=[_view(report.view(f), holds) for f in open_findings],
        reviewed=[_view(report.view(f), holds) for f in report.reviewed],
    )
