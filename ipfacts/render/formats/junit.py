"""JUnit XML: one test case per fact file; a failure per open error, so CI dashboards show them."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from ipfacts.findings import Finding, Report
from ipfacts.render.safetext import for_xml


def render(report: Report) -> str:
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        loc = finding.location
        by_file[for_xml(loc.file) if loc else "(fact base)"].append(finding)
    suite = ET.Element("testsuite", name="ipfacts", tests=str(max(1, len(by_file))))
    failures = 0
    for file in sorted(by_file) or ["(fact base)"]:
        case = ET.SubElement(suite, "testcase", classname="ipfacts", name=file)
        for finding in by_file.get(file, []):
            loc = finding.location
            text = f"{loc}: {finding.code} {finding.message}" if loc else f"{finding.code} {finding.message}"
            text = for_xml("\n".join([text, *(f"  {line}" for line in finding.details.get("follows") or [])]))
            if report.review_of(finding) is not None:
                continue
            if finding.severity == "error":
                failures += 1
                ET.SubElement(case, "failure", type=finding.code, message=for_xml(finding.message)).text = text
            else:
                out = case.find("system-out")
                if out is None:
                    out = ET.SubElement(case, "system-out")
                    out.text = ""
                out.text = (out.text or "") + f"warning: {text}\n"
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    ET.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
