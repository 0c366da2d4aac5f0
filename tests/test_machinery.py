"""The machinery around the checks: typed finding details, what is kept beside a finding, the CLI's
fast exit, and the WeasyPrint import that falls back to the plain one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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


# --- the fast exit ---------------------------------------------------------------------------------------

EXIT_SCRIPT = """
import atexit, logging, logging.handlers, sys
target = logging.FileHandler(sys.argv[1], encoding="utf-8")
logging.getLogger().addHandler(logging.handlers.MemoryHandler(100, target=target))
logging.getLogger().warning("logged before the exit")
atexit.register(lambda: print("atexit ran"))
sys.argv = ["ipfacts", "--version"]
from ipfacts.cli import main
main()
"""


@pytest.mark.parametrize("fast", [True, False])
def test_the_fast_exit_flushes_logging_and_can_be_turned_off(tmp_path: Path, fast: bool) -> None:
    log = tmp_path / "log.txt"
    env = {k: v for k, v in os.environ.items() if k != "IPFACTS_NO_FAST_EXIT"}
    if not fast:
        env["IPFACTS_NO_FAST_EXIT"] = "1"
    done = subprocess.run([sys.executable, "-c", EXIT_SCRIPT, str(log)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ipfacts ")
    assert log.read_text(encoding="utf-8") == "logged before the exit\n"  # a buffered handler, flushed
    assert ("atexit ran" in done.stdout) is (not fast)  # the ordinary shutdown runs only when asked for


# --- WeasyPrint's import ---------------------------------------------------------------------------------

IMPORT_SCRIPT = """
import contextlib, ctypes.util
import ipfacts.render.brief.pdf as pdf

def broken(name):
    {body}

@contextlib.contextmanager
def fast_lookup_that_fails():  # as where a library is found only through gcc or ld
    original = ctypes.util.find_library
    ctypes.util.find_library = broken
    try:
        yield
    finally:
        ctypes.util.find_library = original

pdf._library_lookup_without_compilers = fast_lookup_that_fails
pdf._import_weasyprint()
import weasyprint
print("imported", weasyprint.HTML.__name__)
"""


@pytest.mark.parametrize("body", ["raise RuntimeError('no ldconfig here')"])
def test_weasyprint_is_imported_the_plain_way_when_the_fast_lookup_fails(body: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    done = subprocess.run([sys.executable, "-c", IMPORT_SCRIPT.format(body=body)], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "imported HTML\n"


def test_json_details_are_the_typed_fields_as_data(tmp_path: Path) -> None:
    finding = findings.make("R112", "m", details={"implied_populations": {"f/a": "[1, 2]"}})
    text = json.dumps(report_dict(Report([finding])), ensure_ascii=False)
    assert json.loads(text)["findings"][0]["details"] == {"implied_populations": {"f/a": "[1, 2]"}}
