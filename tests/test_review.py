"""The editors' review workflow: verdicts recorded in facts/reviews.yaml, applied by `check`,
invalidated the moment the numbers behind them change."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.findings import CitationRef, FactRef, Finding
from ipfacts.review.verdicts import FingerprintError, load_reviews, resolve

from conftest import HUZHOU_FACTS, MakeBase, interruptible

runner = CliRunner()

BROKEN = HUZHOU_FACTS.replace("value: 93.3%", "value: 93.9%")  # C005 and R101 on the share fact
SHARE_FILE = "huzhou-2024.yaml"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

# The white paper's own misprint (the shipped base's R101): 15829 / 16966 = 93.30%, printed 93.4%.
# Every citation is right, so the R101 findings on these shares are reviewable.
GRANTS = HUZHOU_FACTS + """\
  patent_grants:
    value: 16966件
    line: 57-58
    quote: 全年授权专利16966件
  patent_grants_enterprise:
    value: 15829件
    line: 58
    quote: 其中企业15829件
    part_of: patent_grants
"""


def source_errors(count: int = 2) -> str:
    """`count` shares printed 93.4% of the grants: one R101 each, each with its own fingerprint."""
    return GRANTS + "".join(f"  grants_share_{n}:\n    value: 93.4%\n    line: 58-59\n    quote: 占比93.4%\n"
                            "    share_of: [patent_grants_enterprise, patent_grants]\n" for n in range(count))


def broken_base(make_base: MakeBase) -> Path:
    return make_base({SHARE_FILE: BROKEN})


def misprint_base(make_base: MakeBase, count: int = 2) -> Path:
    return make_base({SHARE_FILE: source_errors(count)})


def many_errors(count: int) -> str:
    """`count` facts whose value is not in their quote: one C005 each (not reviewable)."""
    lines = ["source: huzhou-2024", "facts:"]
    for n in range(count):
        lines += [f"  wrong_{n}:", f"    value: {80 + n}.1%", "    line: 57", "    quote: 占比93.3%"]
    return "\n".join(lines) + "\n"


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), input=input, env=env)


def check_json(root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = invoke("check", "--root", str(root), "--format", "json", "--no-cache", *extra)
    return result.exit_code, json.loads(result.output)


def open_errors(root: Path) -> list[dict[str, Any]]:
    _, data = check_json(root)
    return [f for f in data["findings"] if f["severity"] == "error" and f["review"] is None]


def review(root: Path, fingerprint: str, status: str = "explained", note: str = "checked against the PDF",
           reviewer: str = "Li Wei", *extra: str) -> Any:
    return invoke("review", fingerprint, "--root", str(root), "--status", status, "--note", note,
                  "--reviewer", reviewer, *extra)


def current_of(root: Path, fingerprint: str) -> Any:
    return load_reviews(root)[fingerprint].current()


# -- the fingerprint --------------------------------------------------------------------------------------


def test_fingerprint_covers_code_facts_values_and_source_hash() -> None:
    def finding(code: str = "R101", value: str = "93.9%", fact: str = "h/share", sha: str = "a" * 64,
                line: int = 14) -> Finding:
        return Finding(code, "error", "message", facts=[FactRef(fact, "facts/h.yaml", line, value),
                                                        FactRef("h/whole", "facts/h.yaml", 3, "21579件")],
                       citations=[CitationRef("huzhou-2024", "seeds/x.txt", 57, sha)])

    base = finding().fingerprint
    assert finding(code="R102").fingerprint != base
    assert finding(value="93.8%").fingerprint != base
    assert finding(fact="h/other").fingerprint != base
    assert finding(sha="b" * 64).fingerprint != base
    assert finding(line=20).fingerprint == base  # moving a fact within its file keeps its reviews
    other_message = finding()
    other_message.message = "reworded"
    assert other_message.fingerprint == base


# -- the scripted path, end to end ------------------------------------------------------------------------


def test_review_every_open_error_then_a_changed_source_hash_reopens_it(make_base: MakeBase) -> None:
    root = misprint_base(make_base)
    fact_file = root / "facts" / SHARE_FILE
    before = fact_file.read_bytes()
    errors = open_errors(root)
    assert [f["code"] for f in errors] == ["R101", "R101"]
    for finding in errors:  # by an 8-digit prefix, as a script would
        result = review(root, finding["fingerprint"][:8], "source-error", "the source misprints the share")
        assert result.exit_code == 0, result.output
        assert result.output.startswith("recorded source-error for R101 ")

    result = invoke("check", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "Reviewed (2): recorded in facts/reviews.yaml, not failing the check" in result.output
    assert "0 error(s), 0 warning(s), 2 reviewed" in result.output
    code, data = check_json(root)
    assert code == 0
    verdict = data["findings"][0]["review"]
    assert set(verdict) == {"status", "note", "reviewer", "date", "at", "fingerprint"}
    assert verdict["status"] == "source-error" and verdict["reviewer"] == "Li Wei"
    assert DATE.match(verdict["date"]) and AT.match(verdict["at"]) and verdict["at"].startswith(verdict["date"])
    assert invoke("check", "--root", str(root), "--fail-on-reviewed").exit_code == 1
    assert fact_file.read_bytes() == before  # hand-written fact files are never rewritten

    # the same numbers in a re-hashed source: new fingerprints, the verdicts are stale
    seed = next((root / "seeds").iterdir())
    old_hash = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_bytes(seed.read_bytes() + "\n附录\n".encode())
    new_hash = hashlib.sha256(seed.read_bytes()).hexdigest()
    sources = root / "facts" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(old_hash, new_hash), encoding="utf-8")
    code, data = check_json(root)
    assert code == 1
    assert [(f["code"], f["review"]) for f in data["findings"] if f["severity"] == "error"] == [
        ("R101", None), ("R101", None)]
    stale = [f for f in data["findings"] if f["code"] == "V001"]
    assert len(stale) == 2 and all(f["severity"] == "warning" for f in stale)
    assert all(f"the recorded sha256 of huzhou-2024 changed ({old_hash[:12]}… → {new_hash[:12]}…)" in f["message"]
               for f in stale)


def test_a_misquote_cannot_be_waved_through(make_base: MakeBase) -> None:
    """The issue's case: value and quote changed to 93.5% where the source says 93.4%."""
    root = misprint_base(make_base, 1)
    r101 = open_errors(root)[0]["fingerprint"]
    assert review(root, r101, "source-error", "the white paper misprints it").exit_code == 0
    assert invoke("check", "--root", str(root), "--no-cache").exit_code == 0
    fact_file = root / "facts" / SHARE_FILE
    text = fact_file.read_text(encoding="utf-8")

    # 1. the quote alone edited (the value still 93.4%): the verdict no longer covers it
    fact_file.write_text(text.replace("quote: 占比93.4%", "quote: 比例93.4%"), encoding="utf-8")
    code, data = check_json(root)
    assert code == 1
    codes = sorted(f["code"] for f in data["findings"])
    assert codes == ["C004", "R101", "V001"]
    suspended = next(f for f in data["findings"] if f["code"] == "V001")
    assert "is suspended: the citation of huzhou-2024/grants_share_0 (C004) fails" in suspended["message"]

    # 2. value and quote both 93.5%: neither finding takes a verdict
    fact_file.write_text(text.replace("93.4%", "93.5%"), encoding="utf-8")
    errors = open_errors(root)
    assert [f["code"] for f in errors] == ["C004", "R101"]
    for finding in errors:
        result = review(root, finding["fingerprint"], "explained", "fine")
        assert result.exit_code == 2, result.output
        assert "the fact must be fixed" in result.output
    assert invoke("check", "--root", str(root), "--no-cache").exit_code == 1
    listing = invoke("review", "--list", "--root", str(root)).output
    assert f"{errors[1]['fingerprint']}  held" in listing and errors[0]["fingerprint"] not in listing
    walk = invoke("review", "--root", str(root), "--interactive", "-r", "Li")
    assert "1 open finding(s) (C004) cannot be reviewed: the fact must be fixed" in walk.output
    assert "1 open finding(s) cannot be reviewed yet:" in walk.output
    assert "Nothing to review: no open finding." in walk.output


def test_a_changed_source_comes_first_and_suspends_its_reviews(make_base: MakeBase) -> None:
    root = misprint_base(make_base)
    for finding in open_errors(root):
        assert review(root, finding["fingerprint"]).exit_code == 0
    seed = next((root / "seeds").iterdir())
    seed.write_bytes("新的第一行\n".encode() + seed.read_bytes())  # every line moves down by one

    code, data = check_json(root)
    assert code == 1
    first = data["findings"][0]
    assert first["code"] == "C001"  # before the citation errors it explains
    assert ("8 of 8 citation(s) moved, 0 quote(s) not found (valid_invention 56 → 57, valid_invention_enterprise "
            "56-57 → 57-58, valid_invention_enterprise_share 57 → 58, …): `ipfacts reanchor huzhou-2024`" in first["message"])
    assert "huzhou-2024/valid_invention: 56 → 57" in first["details"]["moved"]
    assert first["details"]["lost"] == []
    assert [f["code"] for f in data["findings"]].count("C003") == 8
    suspended = [f["message"] for f in data["findings"] if f["code"] == "V001"]
    assert len(suspended) == 2 and all("is suspended: source huzhou-2024 changed since it was hashed (C001)" in m
                                       for m in suspended)
    r101 = next(f for f in data["findings"] if f["code"] == "R101")
    result = review(root, r101["fingerprint"], "explained", "x", "Li", "--force")
    assert result.exit_code == 2 and "source huzhou-2024 changed since it was hashed (C001)" in result.output
    text = invoke("check", "--root", str(root), "--no-cache").output
    assert text.startswith("facts/sources.yaml:")  # the C001 line is the first one printed
    page = invoke("check", "--root", str(root), "--no-cache", "--format", "html").output
    assert "Cannot be reviewed: source huzhou-2024 changed since it was hashed (C001)" in page
    assert "Cannot be reviewed: C001 is a source finding: the fact must be fixed" in page


# -- facts/reviews.yaml -----------------------------------------------------------------------------------


def test_reviews_file_is_sorted_one_line_per_verdict_and_keeps_history(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 3)
    errors = open_errors(root)
    for finding in reversed(errors):
        assert review(root, finding["fingerprint"], note='line one\nline two: "quoted"').exit_code == 0
    path = root / "facts" / "reviews.yaml"
    text = path.read_text(encoding="utf-8")
    keys = re.findall(r"^([0-9a-f]{16}):$", text, flags=re.M)
    assert keys == sorted(f["fingerprint"] for f in errors)
    assert text.startswith("# Editors' verdicts on `ipfacts check` findings, keyed by fingerprint")
    first = errors[0]
    entry = text.split(f"{first['fingerprint']}:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    at, line_id = current_of(root, first["fingerprint"]).at, current_of(root, first["fingerprint"]).id
    assert re.fullmatch(r"[0-9a-f]{12}", line_id)  # every line has a stable id (an undo names it)
    assert entry[0] == "  code: R101"
    assert entry[-2:] == ["  verdicts:", f'  - {{at: "{at}", status: explained, reviewer: "Li Wei", '
                                         f'note: "line one\\nline two: \\"quoted\\"", id: "{line_id}"}}']
    assert '  facts:\n    "huzhou-2024/grants_share_0": "93.4%"' in text
    assert current_of(root, first["fingerprint"]).note == 'line one\nline two: "quoted"'

    again = review(root, first["fingerprint"], "false-positive", "on second thoughts", "Wang", "--force")
    assert again.exit_code == 0, again.output
    after = path.read_text(encoding="utf-8")
    assert after.startswith(text.split(f"{first['fingerprint']}:\n", 1)[0])  # other entries: the same bytes
    added = [line for line in after.splitlines() if line not in text.splitlines()]
    assert len(added) == 1 and added[0].startswith("  - {at: ") and 'reviewer: "Wang"' in added[0]
    assert [v.status for v in load_reviews(root)[first["fingerprint"]].verdicts] == ["explained", "false-positive"]
    assert sorted(p.name for p in path.parent.iterdir()) == ["huzhou-2024.yaml", "metrics.yaml", "reviews.yaml",
                                                             "sources.yaml"]  # no temporary or lock file left


OLD_FORMAT = """\
# the first format: one verdict per fingerprint
{fp}:
  code: R101
  status: source-error
  reviewer: ipfacts curators
  date: '2026-11-21'
  note: The white paper misprints the share.
  message: 15829件 / 16966件 = 93.298%
  facts:
    huzhou-2024/grants_share_0: 93.4%
  sources:
    huzhou-2024: c56ffd27d1b0
"""


def test_the_old_format_is_read_and_migrated_on_the_next_write(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    path = root / "facts" / "reviews.yaml"
    path.write_text(OLD_FORMAT.format(fp=fingerprint), encoding="utf-8")
    code, data = check_json(root)
    assert code == 0
    assert data["findings"][0]["review"]["at"] == "2026-11-21T00:00:00Z"
    assert data["findings"][0]["review"]["reviewer"] == "ipfacts curators"
    history = invoke("review", "--history", fingerprint[:6], "--root", str(root))
    assert history.exit_code == 0
    assert "  2026-11-21T00:00:00Z  source-error   ipfacts curators: The white paper misprints the share." in history.output
    assert review(root, fingerprint, "explained", "a different base", "Wang", "--force").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "verdicts:\n  - {at: \"2026-11-21T00:00:00Z\", status: source-error" in text and "date:" not in text
    assert [v.reviewer for v in load_reviews(root)[fingerprint].verdicts] == ["ipfacts curators", "Wang"]


def test_an_old_verdict_on_a_citation_finding_no_longer_hides_it(make_base: MakeBase) -> None:
    """The first format let a C finding be reviewed (the misquote hole): such a verdict is reported, not applied."""
    root = broken_base(make_base)
    c005 = next(f for f in open_errors(root) if f["code"] == "C005")
    path = root / "facts" / "reviews.yaml"
    path.write_text(f"{c005['fingerprint']}:\n  code: C005\n  status: explained\n  reviewer: a\n"
                    "  date: '2026-01-01'\n  note: fine\n", encoding="utf-8")
    code, data = check_json(root)
    assert code == 1 and next(f for f in data["findings"] if f["code"] == "C005")["review"] is None
    warning = next(f for f in data["findings"] if f["code"] == "V001")
    assert "is on a finding that cannot be reviewed: C005 is a citation finding" in warning["message"]
    assert invoke("review", "--prune", "--root", str(root)).output == f"pruned 1 stale review(s): {c005['fingerprint']}\n"
    assert load_reviews(root) == {}


def test_the_shipped_reviews_are_in_the_current_format() -> None:
    from conftest import REPO

    entries = load_reviews(REPO)
    # the three verdicts of the first curation are kept (migrated from the old format) beside newer ones
    assert {"3d009c19658435e1", "5f2af8676441b084", "dc1ed349dc471c7a"} <= set(entries)
    assert all(entry.verdicts and entry.current() is not None for entry in entries.values())
    from ipfacts.review.verdicts import dump_reviews

    assert (REPO / "facts" / "reviews.yaml").read_text(encoding="utf-8") == dump_reviews(entries)


GOOD = "abcd1234abcd1234:\n  code: R101\n  verdicts:\n"
@pytest.mark.parametrize(("text", "expected"), [
    ("abcd1234abcd1234:\n  code: R101\n status: explained\n", "facts/reviews.yaml:3: L001 invalid-yaml: "),
    ("abcd1234abcd1234: {code: R101, status: explained, reviewer: a, date: '2026-01-01', note: x}\n"
     "abcd1234abcd1234: {code: R101, status: explained, reviewer: a, date: '2026-01-01', note: x}\n",
     "facts/reviews.yaml:2: L002 duplicate-key: 'abcd1234abcd1234' appears twice"),
    ("abcd1234abcd1234:\n  code: R101\n  code: R102\n  status: explained\n  reviewer: a\n  date: '2026-01-01'\n"
     "  note: x\n", "facts/reviews.yaml:3: L002 duplicate-key: 'code' appears twice"),
    ("abcd1234abcd1234:\n  code: R101\n  status: wrong\n  reviewer: a\n  date: '2026-01-01'\n  note: x\n",
     "facts/reviews.yaml:1: L004 wrong-type: review abcd1234abcd1234: status 'wrong' is not one of "
     "source-error, explained, false-positive"),
    ("abcd1234abcd1234:\n  code: R101\n  status: explained\n  reviewer: a\n  date: '2026-13-01'\n  note: x\n",
     "facts/reviews.yaml:5: L004 wrong-type: review abcd1234abcd1234: date '2026-13-01' is not a date"),
    ("abcd1234abcd1234:\n  code: R101\n  status: explained\n  reviewer: a\n  date: '2026-01-01'\n  note: x\n"
     "  notes: y\n", "facts/reviews.yaml:7: L003 unknown-field: unknown field 'notes'"),
    ("abcd1234abcd1234:\n  code: R101\n  status: explained\n", "facts/reviews.yaml:1: L005 missing-field: "
     "review abcd1234abcd1234 lacks reviewer, date, note"),
    (GOOD + '  - {at: "2026-02-30T10:00:00Z", status: explained, reviewer: a, note: x}\n',
     "facts/reviews.yaml:4: L004 wrong-type: review abcd1234abcd1234: at '2026-02-30T10:00:00Z' is not an ISO date"),
    (GOOD + '  - {at: "2026-02-03", status: explained, reviewer: a, note: x}\n',
     "facts/reviews.yaml:4: L004 wrong-type: review abcd1234abcd1234: at '2026-02-03' is not an ISO date and time"),
    (GOOD + '  - {at: "2026-02-03T10:00:00Z", status: explained, reviewer: a}\n',
     "facts/reviews.yaml:4: L005 missing-field: a verdict of review abcd1234abcd1234 lacks note"),
    (GOOD + '  - {at: "2026-02-03T10:00:00Z", status: explained, reviewer: a, note: x, action: redo}\n',
     "facts/reviews.yaml:4: L004 wrong-type: review abcd1234abcd1234: action 'redo' is not one of"),
    ("abcd1234abcd1234:\n  code: R101\n  verdicts: x\n", "facts/reviews.yaml:3: L004 wrong-type: verdicts of "
     "review abcd1234abcd1234 must be a list"),
    ("not-a-fingerprint:\n  code: R101\n", "facts/reviews.yaml:1: L004 wrong-type: 'not-a-fingerprint' is not"),
    ("- a list\n", "facts/reviews.yaml:1: L004 wrong-type: reviews.yaml must be a mapping"),
])
def test_a_broken_reviews_file_is_reported_with_its_line(make_base: MakeBase, text: str, expected: str) -> None:
    root = broken_base(make_base)
    (root / "facts" / "reviews.yaml").write_text(text, encoding="utf-8")
    for command in (["check"], ["review", "--list"], ["show", "abc"], ["review", "--history", "abcd1234"]):
        result = invoke(*command, "--root", str(root))
        assert result.exit_code == 2, result.output
        assert expected in result.output
        assert "Traceback" not in result.output


def test_concurrent_reviews_lose_nothing(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 8)
    errors = open_errors(root)
    assert len(errors) == 8
    env = {**os.environ, "IPFACTS_NO_CACHE": "1"}
    processes = [subprocess.Popen(
        [sys.executable, "-m", "ipfacts", "review", f["fingerprint"], "--root", str(root), "--status", "explained",
         "--note", f"note {n}", "--reviewer", f"editor {n}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for n, f in enumerate(errors)]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0] * 8, outputs
    recorded = load_reviews(root)
    assert sorted(recorded) == sorted(f["fingerprint"] for f in errors)
    assert {r.current().reviewer for r in recorded.values()} == {f"editor {n}" for n in range(8)}  # type: ignore[union-attr]
    assert invoke("check", "--root", str(root)).exit_code == 0


def test_concurrent_verdicts_on_one_finding_keep_every_line_of_history(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    env = {**os.environ, "IPFACTS_NO_CACHE": "1"}
    processes = [subprocess.Popen(
        [sys.executable, "-m", "ipfacts", "review", fingerprint, "--root", str(root), "--status", "explained",
         "--note", f"note {n}", "--reviewer", f"editor {n}", "--force"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for n in range(6)]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0] * 6, outputs
    assert sorted(v.reviewer for v in load_reviews(root)[fingerprint].verdicts) == [f"editor {n}" for n in range(6)]


def test_a_killed_writer_leaves_nothing_behind(make_base: MakeBase) -> None:
    """A write killed between its temporary file and the rename: the next writer removes the leftover,
    the file is whole, and git ignores such files."""
    root = misprint_base(make_base, 2)
    fingerprint = open_errors(root)[0]["fingerprint"]
    orphan = root / "facts" / ".reviews.yaml.x1y2z3.tmp"
    orphan.write_text("half a file", encoding="utf-8")
    assert review(root, fingerprint).exit_code == 0
    assert not orphan.exists() and not (root / "facts" / ".reviews.lock").exists()
    assert current_of(root, fingerprint).reviewer == "Li Wei"
    from conftest import REPO

    if not (REPO / ".git").exists():
        return  # not a git checkout: nothing more to ask git
    ignored = subprocess.run(["git", "check-ignore", "facts/.reviews.yaml.x1y2z3.tmp", "facts/.reviews.lock"],
                             cwd=REPO, capture_output=True, text=True, check=False)
    assert ignored.stdout.split() == ["facts/.reviews.yaml.x1y2z3.tmp", "facts/.reviews.lock"]

    # SIGKILL in the middle of a walk: what was recorded stays, the file is readable
    process = subprocess.Popen([sys.executable, "-m", "ipfacts", "review", "--root", str(root), "--interactive",
                                "-r", "Li"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "IPFACTS_NO_CACHE": "1"})
    _wait_for(process, b"Enter to confirm")
    process.kill()
    process.wait(timeout=60)
    _close(process)
    assert current_of(root, fingerprint).reviewer == "Li Wei"
    assert not list((root / "facts").glob(".*.tmp"))


# -- the core API (what the web interface calls) ----------------------------------------------------------


def test_the_core_refuses_overwrites_and_stale_versions(make_base: MakeBase) -> None:
    from ipfacts.review import (
        NotReviewable,
        VerdictConflict,
        current,
        history,
        record,
        reviewable,
        reviews_lock,
        undo,
        version_of,
        why_not_reviewable,
    )
    from ipfacts.review.checked import check_root

    root = misprint_base(make_base, 1)
    base, report = check_root(root)
    finding = next(f for f in report.findings if f.code == "R101")
    assert reviewable(finding) and why_not_reviewable(finding) is None
    fp = finding.fingerprint
    assert version_of(root, fp) == "" and current(root, fp) is None and history(root, fp) == []
    shown = version_of(root, fp)  # editor A looks at it
    first = record(root, finding, status="explained", note="B says so", reviewer="B", expected_version=None,
                   force=False)  # editor B records meanwhile
    assert current(root, fp) == first and version_of(root, fp) != ""
    with pytest.raises(VerdictConflict) as conflict:
        record(root, finding, status="source-error", note="A disagrees", reviewer="A", expected_version=shown,
               force=False)
    assert conflict.value.current == first and conflict.value.proposed.reviewer == "A" and conflict.value.changed
    with pytest.raises(VerdictConflict):
        record(root, finding, status="source-error", note="A", reviewer="A", expected_version=None, force=False)
    seen = version_of(root, fp)
    with reviews_lock(root), reviews_lock(root):  # re-entrant: a caller may hold it around several writes
        second = record(root, fp, status="source-error", note="A, having seen B", reviewer="A",
                        expected_version=seen, force=False)
    assert [v.reviewer for v in history(root, fp)] == ["B", "A"] and current(root, fp) == second
    assert undo(root, fp, reviewer="A") == first
    assert undo(root, fp, reviewer="A") is None and current(root, fp) is None
    assert [v.action for v in history(root, fp)] == ["verdict", "verdict", "undo", "undo"]
    with pytest.raises(FingerprintError, match="at least 8 digits"):
        record(root, fp[:7], status="explained", note="x", reviewer="A", expected_version=None, force=True)
    c005 = next(f for f in check_root(broken_base(make_base))[1].findings if f.code == "C005")
    assert not reviewable(c005) and "the fact must be fixed" in (why_not_reviewable(c005) or "")
    with pytest.raises(NotReviewable, match="the fact must be fixed"):
        record(root, c005, status="explained", note="x", reviewer="A", expected_version=None, force=True)


# -- the command line -------------------------------------------------------------------------------------


def test_fingerprint_prefixes() -> None:
    known = ["0b6b3af57ec4b639", "0b6c000000000000", "941d769e263a3236"]
    assert resolve("94", known) == "941d769e263a3236"
    assert resolve("0B6B", known) == "0b6b3af57ec4b639"
    with pytest.raises(FingerprintError, match=r"'0b6' matches 2 findings \(0b6b3af57ec4b639, 0b6c000000000000\)"):
        resolve("0b6", known)
    with pytest.raises(FingerprintError, match="no finding has a fingerprint starting with 'ff'"):
        resolve("ff", known)
    with pytest.raises(FingerprintError, match="is not a fingerprint"):
        resolve("R101", known)
    with pytest.raises(FingerprintError, match="'941d769' is too short to record with: give at least 8 digits"):
        resolve("941d769", known, writing=True)
    assert resolve("941d769e", known, writing=True) == "941d769e263a3236"


def test_a_short_prefix_and_an_overwrite_are_refused(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    short = review(root, fingerprint[:1])
    assert short.exit_code == 2 and "too short to record with: give at least 8 digits" in short.output
    assert not (root / "facts" / "reviews.yaml").exists()
    assert review(root, fingerprint[:8], "source-error", "editor A's verdict", "A").exit_code == 0
    again = review(root, fingerprint, "explained", "x", "B")
    assert again.exit_code == 2
    assert (f"{fingerprint} already has a verdict: source-error by A on " in again.output
            and "replacing it needs --force" in again.output)
    assert current_of(root, fingerprint).reviewer == "A"
    # on a terminal: the old verdict is shown, and replacing it is asked
    declined = invoke("review", fingerprint, "--root", str(root), "--interactive", "-s", "explained", "-n", "y",
                      "-r", "B", input="n\n")
    assert "It already has a verdict: source-error by A on " in declined.output and "nothing recorded" in declined.output
    assert current_of(root, fingerprint).reviewer == "A"
    accepted = invoke("review", fingerprint, "--root", str(root), "--interactive", "-s", "explained", "-n", "y",
                      "-r", "B", input="y\n\n")
    assert accepted.exit_code == 0, accepted.output
    assert current_of(root, fingerprint).reviewer == "B"
    forced = review(root, fingerprint, "false-positive", "z", "C", "--force")
    assert forced.exit_code == 0 and current_of(root, fingerprint).status == "false-positive"
    assert [v.reviewer for v in load_reviews(root)[fingerprint].verdicts] == ["A", "B", "C"]


def test_history_undo_and_remove(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    review(root, fingerprint, "source-error", "first", "A")
    review(root, fingerprint, "explained", "second", "B", "--force")
    shown = invoke("review", "--history", fingerprint[:4], "--root", str(root))
    assert shown.exit_code == 0
    lines = shown.output.splitlines()
    assert lines[0] == f"{fingerprint}  R101  facts/reviews.yaml:5"
    assert re.fullmatch(r"  \S+Z  source-error   A: first", lines[2]) and re.fullmatch(r"  \S+Z  explained      B: second", lines[3])
    assert lines[-1].startswith("current: explained by B on ")

    short = invoke("review", "--undo", fingerprint[:4], "--root", str(root), "-r", "C")
    assert short.exit_code == 2 and "at least 8 digits" in short.output
    undone = invoke("review", "--undo", fingerprint[:8], "--root", str(root), "-r", "C")
    assert undone.exit_code == 0 and f"undid the latest verdict on {fingerprint}; now: source-error by A on " in undone.output
    assert current_of(root, fingerprint).note == "first"
    withdrawn = invoke("review", fingerprint, "--remove", "--root", str(root), "-r", "C")
    assert withdrawn.output == f"withdrew review {fingerprint}; its finding is open again\n"
    assert invoke("check", "--root", str(root)).exit_code == 1
    assert invoke("review", "--undo", fingerprint, "--root", str(root), "-r", "C").exit_code == 0
    assert current_of(root, fingerprint).note == "first"  # the withdrawal taken back
    assert invoke("review", "--undo", fingerprint, "--root", str(root), "-r", "C").exit_code == 0
    nothing = invoke("review", "--undo", fingerprint, "--root", str(root), "-r", "C")
    assert nothing.exit_code == 2 and "nothing to undo" in nothing.output
    actions = [v.action for v in load_reviews(root)[fingerprint].verdicts]
    assert actions == ["verdict", "verdict", "undo", "withdraw", "undo", "undo"]
    assert current_of(root, fingerprint) is None


def test_scripted_review_errors_are_clear(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    no_terminal = invoke("review", "--root", str(root))  # CliRunner's stdin is no terminal
    assert no_terminal.exit_code == 2
    assert "there is no terminal to ask on. For scripts: ipfacts review FINGERPRINT --status STATUS" in no_terminal.output
    missing = invoke("review", fingerprint, "--root", str(root), "--status", "explained")
    assert missing.exit_code == 2 and "without a terminal, --note must be given" in missing.output
    bad = review(root, fingerprint, "wrong")
    assert bad.exit_code == 2 and "unknown status 'wrong'; choose one of source-error, explained, false-positive" in bad.output
    empty = review(root, fingerprint, note="  ")
    assert empty.exit_code == 2 and "a review needs a note saying why" in empty.output
    unknown = review(root, "ffffffff")
    assert unknown.exit_code == 2 and "no finding has a fingerprint starting with 'ffffffff'" in unknown.output
    orphan = invoke("review", "--root", str(root), "--status", "explained")
    assert orphan.exit_code == 2 and "which finding? give its FINGERPRINT" in orphan.output
    assert not (root / "facts" / "reviews.yaml").exists()


def test_the_reviewer_comes_from_the_flag_the_environment_or_git(make_base: MakeBase, tmp_path: Path) -> None:
    root = misprint_base(make_base, 3)
    first, second, third = (f["fingerprint"] for f in open_errors(root))
    gitconfig = tmp_path / "gitconfig"
    env = {"GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path),
           "IPFACTS_REVIEWER": ""}
    gitconfig.write_text("", encoding="utf-8")
    anonymous = invoke("review", first, "--root", str(root), "-s", "explained", "-n", "why", env=env)
    assert anonymous.exit_code == 2 and "who is reviewing? pass --reviewer NAME, set IPFACTS_REVIEWER" in anonymous.output
    gitconfig.write_text("[user]\n\tname = Zhang San\n", encoding="utf-8")
    named = invoke("review", first, "--root", str(root), "-s", "explained", "-n", "why", env=env)
    assert named.exit_code == 0 and named.output.rstrip().endswith("by Zhang San")
    env["IPFACTS_REVIEWER"] = "Chen Jing"
    assert invoke("review", second, "--root", str(root), "-s", "explained", "-n", "why", env=env).exit_code == 0
    assert invoke("review", third, "--root", str(root), "-s", "explained", "-n", "why", "-r", "Li", env=env).exit_code == 0
    assert [current_of(root, fp).reviewer for fp in (first, second, third)] == ["Zhang San", "Chen Jing", "Li"]


def test_interactive_review_walks_confirms_the_reviewer_and_goes_back(make_base: MakeBase) -> None:
    root = misprint_base(make_base)
    errors = open_errors(root)
    result = invoke("review", "--root", str(root), "--interactive", "--reviewer", "Li Wei",
                    input="Wang Fang\nmaybe\ns\nThe white paper misprints 93.4\nb\ne\n\nk\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("2 open finding(s) to review (2 error(s)).")
    assert "Verdicts will be recorded as 'Li Wei' (from --reviewer). Enter to confirm, or type another name" in out
    assert out.count("── 1/2 ") == 2 and "── 2/2 " in out  # back from the second to the first
    assert f"R101 share-mismatch (error) · fingerprint {errors[0]['fingerprint']}" in out
    assert "  in 《湖州》 lines 57-59\n" in out  # the document and its lines
    assert "  > 58 | 权专利16966件（其中企业15829件，占比\n" in out and "    55 | \n" in out
    assert "please answer one of: [e]xplained, [s]ource-error, [f]alse-positive, [k] skip, [q]uit" in out
    assert "[k] skip, [b]ack, [q]uit" in out
    assert f"recorded source-error for R101 share-mismatch {errors[0]['fingerprint']} by Wang Fang" in out
    assert "Recorded verdict: source-error by Wang Fang on " in out  # shown again after going back
    assert out.rstrip().endswith("1 verdict(s) recorded in facts/reviews.yaml, 1 skipped; 1 finding(s) still open.")
    entry = load_reviews(root)[errors[0]["fingerprint"]]
    assert [(v.status, v.note) for v in entry.verdicts] == [
        ("source-error", "The white paper misprints 93.4"), ("explained", "The white paper misprints 93.4")]
    assert invoke("check", "--root", str(root)).exit_code == 1  # the second was skipped: still open


def test_interactive_review_stops_cleanly(make_base: MakeBase) -> None:
    root = misprint_base(make_base)
    quit_ = invoke("review", "--root", str(root), "--interactive", "-r", "Li", input="\nq\n")
    assert quit_.exit_code == 0 and "0 verdict(s) recorded in facts/reviews.yaml, 0 skipped; 2 finding(s) still open." in quit_.output
    eof = invoke("review", "--root", str(root), "--interactive", "-r", "Li", input="\ne\n")  # input ends before the note
    assert eof.exit_code == 0 and "0 verdict(s) recorded" in eof.output
    assert not (root / "facts" / "reviews.yaml").exists()


def _wait_for(process: subprocess.Popen[bytes], marker: bytes, timeout: float = 120) -> bytes:
    """Read the child's output until `marker` shows (a prompt: no newline follows it)."""
    import select
    import time

    assert process.stdout is not None
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        assert ready, f"no {marker!r} in {seen!r}"
        chunk = os.read(process.stdout.fileno(), 65536)
        assert chunk, f"the child ended before {marker!r}: {seen!r}"
        seen += chunk
    return seen


def _close(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None and not stream.closed:
            stream.close()


def _walk(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ipfacts", "review", "--root", str(root), "--interactive",
                             "-r", "Editor A"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "IPFACTS_NO_CACHE": "1"}, preexec_fn=interruptible)


def test_the_walk_refuses_to_save_over_a_verdict_another_editor_recorded(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    walk = _walk(root)
    assert walk.stdin is not None
    walk.stdin.write(b"\n")
    walk.stdin.flush()
    _wait_for(walk, b"Verdict \xe2\x80\x94")  # editor A sees the finding …
    assert review(root, fingerprint, "explained", "editor B's reason", "Editor B").exit_code == 0  # … B records
    walk.stdin.write(b"s\nA's reason\n")
    walk.stdin.flush()
    seen = _wait_for(walk, b"Verdict \xe2\x80\x94").decode()  # refused, and the finding shown again with B's
    assert f"Not saved: the verdict on {fingerprint} changed since it was shown (another editor)." in seen
    assert "  now recorded: explained by Editor B on " in seen and "  yours:        source-error by Editor A on " in seen
    assert "Recorded verdict: explained by Editor B on " in seen
    walk.stdin.close()
    walk.wait(timeout=60)
    _close(walk)
    assert current_of(root, fingerprint).reviewer == "Editor B"
    assert [v.reviewer for v in load_reviews(root)[fingerprint].verdicts] == ["Editor B"]


def test_ctrl_c_in_the_walk_exits_130_and_keeps_the_verdicts(make_base: MakeBase) -> None:
    root = misprint_base(make_base)
    first = open_errors(root)[0]["fingerprint"]
    walk = _walk(root)
    assert walk.stdin is not None
    walk.stdin.write(b"\ns\nmisprint\n")
    walk.stdin.flush()
    seen = _wait_for(walk, b"2/2")
    if b"Verdict \xe2\x80\x94" not in seen.split(b"2/2", 1)[1]:  # (the prompt may come in the same read)
        _wait_for(walk, b"Verdict \xe2\x80\x94")
    walk.send_signal(signal.SIGINT)
    assert walk.wait(timeout=60) == 130
    _close(walk)
    assert current_of(root, first).note == "misprint"
    assert not list((root / "facts").glob(".*.tmp"))


def test_reviewing_again_after_a_change_renews_the_old_review(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    r101 = open_errors(root)[0]["fingerprint"]
    review(root, r101, "explained", "the text rounds the share from unpublished figures")
    seed = next((root / "seeds").iterdir())
    old_hash = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_bytes(seed.read_bytes() + "\n附录\n".encode())
    sources = root / "facts" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(old_hash, hashlib.sha256(seed.read_bytes()).hexdigest()),
                       encoding="utf-8")
    new = open_errors(root)[0]
    assert new["code"] == "R101" and new["fingerprint"] != r101
    # on a terminal, the earlier verdict is shown and Enter keeps its note
    result = invoke("review", new["fingerprint"][:8], "--root", str(root), "--interactive", "-r", "Wang",
                    input="\ne\n\n")
    assert result.exit_code == 0, result.output
    assert "Reviewed before the numbers changed: explained by Li Wei on " in result.output
    assert f"(renews {r101}) by Wang" in result.output
    recorded = load_reviews(root)
    assert list(recorded) == [new["fingerprint"]]
    entry = recorded[new["fingerprint"]]
    assert entry.current().note == "the text rounds the share from unpublished figures"  # type: ignore[union-attr]
    assert [(v.action, v.fingerprint, v.reviewer) for v in entry.verdicts] == [
        ("earlier", r101, "Li Wei"), ("verdict", new["fingerprint"], "Wang")]  # the history came along
    _, data = check_json(root)
    assert not [f for f in data["findings"] if f["code"] == "V001"]


def test_list_shows_open_reviewed_and_stale_with_filters_and_prune(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 3)
    errors = open_errors(root)
    listing = invoke("review", "--list", "--root", str(root))
    assert listing.exit_code == 0
    assert listing.output.splitlines()[0] == (
        f"{errors[0]['fingerprint']}  open      error    R101 share-mismatch  facts/huzhou-2024.yaml:33: "
        "15829件 of 16966件 is 93.30%, but 93.4% is printed; 93.4% of 16966件 would need 15838–15854件")
    assert listing.output.splitlines()[-1] == "3 open finding(s) to review, 0 held back, 0 reviewed, 0 stale review(s)"
    review(root, errors[0]["fingerprint"], "source-error", "x", "A")
    review(root, errors[1]["fingerprint"], "explained", "x", "B")
    fact_file = root / "facts" / SHARE_FILE
    fact_file.write_text(fact_file.read_text(encoding="utf-8").replace("grants_share_1:", "grants_share_9:"),
                         encoding="utf-8")  # the reviewed fact renamed: its verdict is stale
    lines = invoke("review", "--list", "--root", str(root)).output.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == ["open", "open", "reviewed", "stale"]
    assert lines[-2].startswith(f"{errors[1]['fingerprint']}  stale     R101 explained by B on ")
    assert "fact huzhou-2024/grants_share_1 no longer exists" in lines[-2]
    assert lines[-1] == "2 open finding(s) to review, 0 held back, 1 reviewed, 1 stale review(s)"
    only = invoke("review", "--list", "--root", str(root), "--status", "reviewed").output.splitlines()
    assert len(only) == 2 and only[0].startswith(f"{errors[0]['fingerprint']}  reviewed")
    assert "[source-error by A on " in only[0]
    by_b = invoke("review", "--list", "--root", str(root), "--reviewer", "b").output.splitlines()
    assert [line.split()[1] for line in by_b[:-1]] == ["stale"]
    assert invoke("review", "--list", "--root", str(root), "--status", "source-error").output.count("\n") == 2
    assert invoke("review", "--list", "--root", str(root), "--source", "ningbo-2024").output.splitlines() == [
        "0 open finding(s) to review, 0 held back, 0 reviewed, 0 stale review(s)"]
    pruned = invoke("review", "--prune", "--root", str(root))
    assert pruned.output == f"pruned 1 stale review(s): {errors[1]['fingerprint']}\n"
    assert list(load_reviews(root)) == [errors[0]["fingerprint"]]


def test_show_and_explain_one_finding_in_full(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    r101 = open_errors(root)[0]["fingerprint"]
    shown = invoke("show", r101[:5], "--root", str(root))
    assert shown.exit_code == 0, shown.output
    assert shown.output == invoke("explain", r101, "--root", str(root)).output
    lines = shown.output.splitlines()
    assert lines[0] == f"R101 share-mismatch (error) · fingerprint {r101}"
    assert lines[1] == ("facts/huzhou-2024.yaml:33: 15829件 of 16966件 is 93.30%, but 93.4% is printed; "
                        "93.4% of 16966件 would need 15838–15854件")
    assert lines[2] == "  in 《湖州》 lines 57-59"
    assert "  reported    93.4%  (stands for 93.35–93.45)" in lines  # interval notation: JSON and --explain only
    assert "  recomputed  93.298%" in lines
    start = lines.index("《湖州》 · huzhou-2024 · seeds/000_ef14d01db3a9c97a.txt, lines 55-61")
    assert lines[start + 3: start + 6] == [
        "  > 57 | 件，占比93.3%），同比增长11.55%。全年授",
        "  > 58 | 权专利16966件（其中企业15829件，占比",
        "  > 59 | 93.4%），授权发明专利3325件（其中企业",
    ]
    assert lines[-2:] == ["Open error", f"  record a verdict: ipfacts review {r101} --status "
                                        "explained|source-error|false-positive --note \"…\""]
    review(root, r101, "false-positive", "the share is of a different base")
    reviewed = invoke("show", r101, "--root", str(root)).output.splitlines()
    assert reviewed[-2].startswith("Reviewed: false-positive by Li Wei on ")
    assert reviewed[-1] == "  the share is of a different base"
    missing = invoke("show", "ffff", "--root", str(root))
    assert missing.exit_code == 2 and "no finding has a fingerprint starting with 'ffff'" in missing.output
    c005 = next(f for f in open_errors(broken_base(make_base)) if f["code"] == "C005")
    cannot = invoke("show", c005["fingerprint"], "--root", str(root.parent / "base")).output
    assert "  cannot be reviewed: C005 is a citation finding: the fact must be fixed" in cannot


def test_a_real_terminal_is_asked(make_base: MakeBase) -> None:
    """Without --interactive: stdin is a pseudo-terminal, so `review` asks (and the answers are pre-typed)."""
    root = misprint_base(make_base)
    errors = open_errors(root)
    main, secondary = pty.openpty()
    env = {**os.environ, "IPFACTS_NO_CACHE": "1", "TERM": "dumb"}
    process = subprocess.Popen([sys.executable, "-m", "ipfacts", "review", "--root", str(root), "-r", "Li Wei"],
                               stdin=secondary, stdout=secondary, stderr=secondary, env=env, close_fds=True)
    os.close(secondary)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(main, 4096)
            except OSError:  # EIO: the child has gone and closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    os.write(main, b"\nk\nf\nThe share is of registered patents, not granted ones\n")
    try:
        assert process.wait(timeout=120) == 0
    finally:
        if process.poll() is None:
            process.kill()
        reader.join(timeout=30)
        os.close(main)
    output = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))
    assert "2 open finding(s) to review (2 error(s))." in output
    assert "Verdicts will be recorded as 'Li Wei' (from --reviewer)." in output
    assert "1 verdict(s) recorded in facts/reviews.yaml, 1 skipped; 1 finding(s) still open." in output
    recorded = load_reviews(root)
    assert list(recorded) == [errors[1]["fingerprint"]]
    assert recorded[errors[1]["fingerprint"]].current().status == "false-positive"  # type: ignore[union-attr]


# -- the HTML page ----------------------------------------------------------------------------------------


MARKUP = """\
source: huzhou-2024
facts:
  scripted:
    value: 1件
    line: 57
    quote: <script>alert(1)</script>
"""


def test_html_page_for_editors(make_base: MakeBase, tmp_path: Path) -> None:
    root = make_base({SHARE_FILE: source_errors(1), "markup.yaml": MARKUP})
    errors = open_errors(root)
    r101 = next(f for f in errors if f["code"] == "R101")
    review(root, r101["fingerprint"], "explained", 'Editor said <img src=x onerror="alert(2)"> & "quoted"')
    target = tmp_path / "out" / "findings.html"
    result = invoke("check", "--root", str(root), "--format", "html", "-o", str(target))
    assert result.exit_code == 1 and result.output == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    open_at, reviewed_at = page.index('<section id="open">'), page.index('<section id="reviewed">')
    assert "<h2>Open (1)</h2>" in page and "<h2>Reviewed (1)</h2>" in page
    assert open_at < page.index("quote-not-found") < reviewed_at < page.index("share-mismatch")
    # what cannot be reviewed says so, instead of offering a command
    cannot = page[open_at:reviewed_at]
    assert "Cannot be reviewed: C004 is a citation finding: the fact must be fixed" in cannot
    assert "To record a verdict" not in cannot
    # the document's title and lines, source context and the recomputation, numbers marked
    assert "<span>《湖州》 lines 57-59</span>" in page and "<div class=\"caption\">《湖州》 · huzhou-2024" in page
    assert "权专利<mark>16966</mark>件（其中企业<mark>15829</mark>件，占比" in page
    assert "<dt>recomputed</dt><dd>93.298%</dd>" in page and "(stands for 93.35–93.45)" in page
    # markup from notes and quotes is text, never markup
    assert "<script" not in page and "<img" not in page
    assert "Editor said &lt;img src=x onerror=&#34;alert(2)&#34;&gt; &amp; &#34;quoted&#34;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # self-contained: nothing to fetch
    assert not re.search(r"<link|src=|@import|https?://", page.replace("src=x", ""))
    again = tmp_path / "again.html"
    invoke("check", "--root", str(root), "--format", "html", "-o", str(again), "--no-cache")
    assert again.read_text(encoding="utf-8") == page  # deterministic


def test_html_page_without_findings(huzhou_base: Path) -> None:
    result = invoke("check", "--root", str(huzhou_base), "--format", "html")
    assert result.exit_code == 0
    assert "<p>No open findings.</p>" in result.output and "<p>No reviewed findings.</p>" in result.output


@pytest.mark.parametrize(("interval", "expected"), [
    ("[93.298, 93.298]%", "93.298%"), ("[93.35, 93.45)", "93.35–93.45"), ("(101.25, 101.48]", "101.25–101.48"),
    ("[1266.16, 1266.3)", "1266.16–1266.3"), ("(-∞, 5]", "at most 5"), ("[3, ∞)", "at least 3"),
    ("101, 102", "101, 102"),  # not an interval: as it is
])
def test_intervals_read_as_an_editor_reads_them(interval: str, expected: str) -> None:
    from ipfacts.render.formats.detail import readable

    assert readable(interval) == expected


def test_sigterm_ends_a_walk_cleanly(make_base: MakeBase) -> None:
    root = misprint_base(make_base)
    first = open_errors(root)[0]["fingerprint"]
    walk = _walk(root)
    assert walk.stdin is not None
    walk.stdin.write(b"\ns\nmisprint\n")
    walk.stdin.flush()
    _wait_for(walk, b"2/2")
    walk.send_signal(signal.SIGTERM)
    assert walk.wait(timeout=60) == 128 + signal.SIGTERM
    _close(walk)
    assert current_of(root, first).note == "misprint"
    assert sorted(p.name for p in (root / "facts").iterdir()) == ["huzhou-2024.yaml", "metrics.yaml", "reviews.yaml",
                                                                  "sources.yaml"]


def test_two_branches_of_verdicts_merge_in_git(make_base: MakeBase) -> None:
    """Verdicts recorded on two branches (new findings, and more lines on one finding) merge without a
    conflict with the ipfacts merge driver (.gitattributes), and every verdict survives."""
    import shutil

    from conftest import REPO

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = misprint_base(make_base, 3)
    shutil.copy(REPO / ".gitattributes", root / ".gitattributes")
    first, second, third = (f["fingerprint"] for f in open_errors(root))
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=False)

    assert git("init", "-q", "-b", "main").returncode == 0
    git("config", "merge.ipfacts-reviews.driver", f"{sys.executable} -m ipfacts merge-reviews %O %A %B")
    assert review(root, third, "explained", "the base verdict", "Base").exit_code == 0
    git("add", "-A")
    assert git("commit", "-qm", "base").returncode == 0
    git("checkout", "-qb", "editor-a")
    review(root, first, "source-error", "A's new finding", "A")
    review(root, third, "source-error", "A revises", "A", "--force")
    git("commit", "-qam", "a")
    git("checkout", "-q", "main")
    review(root, second, "explained", "B's new finding", "B")
    review(root, third, "false-positive", "B revises", "B", "--force")
    git("commit", "-qam", "b")
    merged = git("merge", "-q", "--no-edit", "editor-a")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    entries = load_reviews(root)
    assert sorted(entries) == sorted([first, second, third])
    assert sorted(v.reviewer for v in entries[third].verdicts) == ["A", "B", "Base"]
    assert entries[third].verdicts[0].reviewer == "Base"  # in time order
    assert invoke("check", "--root", str(root), "--no-cache").exit_code == 0


def test_the_merge_keeps_every_line_and_respects_a_prune() -> None:
    from ipfacts.review.verdicts import Entry, Verdict, merge

    def entry(fp: str, *lines: tuple[str, str]) -> Entry:
        return Entry(fp, "R101", verdicts=[Verdict(fp, "explained", note, who, f"2026-12-0{day}T10:00:00Z")
                                           for day, (who, note) in enumerate(lines, 1)])

    base = {"aa": entry("aa", ("X", "1")), "bb": entry("bb", ("X", "1")), "cc": entry("cc", ("X", "1"))}
    ours = {"aa": entry("aa", ("X", "1"), ("A", "2")), "cc": entry("cc", ("X", "1"))}  # bb pruned here
    theirs = {"aa": entry("aa", ("X", "1"), ("B", "2")), "bb": entry("bb", ("X", "1")),
              "dd": entry("dd", ("B", "1"))}  # cc pruned there, dd new
    merged = merge(base, ours, theirs)
    assert sorted(merged) == ["aa", "dd"]  # bb and cc stay pruned: the other side did not touch them
    assert [v.reviewer for v in merged["aa"].verdicts] == ["X", "A", "B"]
    theirs["bb"] = entry("bb", ("X", "1"), ("B", "3"))  # a new verdict on an entry the other side pruned
    assert "bb" in merge(base, ours, theirs)
