"""GitHub Actions workflow commands: one `::error file=…,line=…,title=…::message` per finding."""

from __future__ import annotations

from ipfacts.findings import Report
from ipfacts.render.safetext import for_terminal


def escape_data(text: str) -> str:
    return for_terminal(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for finding in report.findings:
        if report.review_of(finding) is not None:
            continue
        level = "error" if finding.severity == "error" else "warning"
        props = []
        loc = finding.location
        if loc:
            props += [f"file={escape_property(loc.file)}", f"line={loc.line}"]
        props.append(f"title={escape_property(f'{finding.code} {finding.name}')}")
        lines.append(f"::{level} {','.join(props)}::{escape_data(f'{finding.code} {finding.message}')}")
    summary = report.summary()
    lines.append(f"ipfacts: {summary['errors']} error(s), {summary['warnings']} warning(s), "
                 f"{summary['reviewed']} reviewed, {summary['facts']} facts")
    return "\n".join(lines) + "\n"
