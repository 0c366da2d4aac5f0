"""The machinery around the checks: typed finding details, what is kept beside a finding, the CLI's
fast exit, and the WeasyPrint import that falls back to the plain one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipfacts import findings
from ipfacts.check.relations.base import Context
from ipfacts.findings import Report, ReviewedFinding
from ipfacts.findings.details import BadDetails, CitationDetails, LoadDetails, RelationDetails, ReviewDetails
from ipfacts.render.formats.json import report_dict

from memory import mem_base

# --- typed details ---------------------------------------------------------------------------------------


def test_each_family_of_codes_gets_its_own_typed_details() -> None:
    quote = findings.make("C003", "elsewhere", details={"found_at": ["12", "14-15"]})
    assert isinstance(quote.details, CitationDetails) and quote.details.found_at == ("12", "14-15")
    assert quote.details.as_dict() == {"found_at": ["12", "14-15"]}
    assert isinstance(findings.make("L001", "bad yaml").details, LoadDetails)
    stale = findings.make("V001", "stale", details={"review": "abc", "changes": ["value 1 → 2"]})
    assert isinstance(stale.details, ReviewDetails) and stale.details.changes == ("value 1 → 2",)
    assert stale.details["review"] == "abc" and "changes" in stale.details  # read as a mapping too


@pytest.mark.parametrize(("code", "details"), [
    ("C003", {"found_at": 12}),
    ("C001", {"actual_sha256": 5}),
    ("R101", {"gross": "yes"}),
    ("R112", {"implied_populations": {"a": 1}}),
    ("L001", {"anything": 1}),
    ("V001", {"changes": "not a list"}),
])
def test_details_that_do_not_fit_their_family_are_refused(code: str, details: dict[str, object]) -> None:
    with pytest.raises(BadDetails):
        findings.make(code, "x", details=details)


def test_relation_checks_keep_their_keyword_call_and_new_fields() -> None:
    ctx = Context(mem_base({"a": {"value": "5件"}}))
    fact = ctx.fact("f/a")
    finding = ctx.finding("R101", "error", "m", [fact], reported="5件", expected="[4, 4]", gross=True,
                          reported_interval="[4.5, 5.5)", not_declared_yet=[1, 2])
    assert isinstance(finding.details, RelationDetails) and finding.details.gross is True
    assert finding.details.extra == {"not_declared_yet": [1, 2]}
    assert finding.details.as_dict() == {"gross": True, "reported_interval": "[4.5, 5.5)", "not_declared_yet": [1, 2]}


def test_reviews_and_excerpts_are_kept_beside_the_finding() -> None:
    finding = findings.make("R101", "m", details={"gross": False})
    verdict = {"status": "explained", "note": "n", "reviewer": "r", "date": "2026-01-01"}
    report = Report([finding], reviews={finding.fingerprint: verdict},
                    excerpts={finding.fingerprint: [{"source": "s"}]})
    assert report.review_of(finding) == verdict and report.open == [] and report.reviewed == [finding]
    assert report.view(finding) == ReviewedFinding(finding, verdict, None, [{"source": "s"}])
    assert not hasattr(finding, "review") and "excerpts" not in finding.details
    shown = report_dict(report)["findings"][0]
    assert shown["review"] == verdict and shown["details"] == {"gross": False}
    suspended = Report([finding], suspended={finding.fingerprint: verdict})
    assert suspended.open == [finding] and report_dict(suspended)["findings"][0]["details"]["suspended_review"] == verdict


def test_json_details_are_the_typed_fields_as_data(tmp_path: Path) -> None:
    finding = findings.make("R112", "m", details={"implied_populations": {"f/a": "[1, 2]"}})
    text = json.dumps(report_dict(Report([finding])), ensure_ascii=False)
    assert json.loads(text)["findings"][0]["details"] == {"implied_populations": {"f/a": "[1, 2]"}}
