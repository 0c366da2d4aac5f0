"""The editors' review workflow: verdicts recorded in facts/reviews.yaml, applied by `check`,
invalidated the moment the numbers behind them change."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import re
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

from conftest import HUZHOU_FACTS, MakeBase

runner = CliRunner()

BROKEN = HUZHOU_FACTS.replace("value: 93.3%", "value: 93.9%")  # C005 and R101 on the share fact
SHARE_FILE = "huzhou-2024.yaml"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def broken_base(make_base: MakeBase) -> Path:
    return make_base({SHARE_FILE: BROKEN})


def many_errors(count: int) -> str:
    """`count` facts whose value is not in their quote: one C005 each, each with its own fingerprint."""
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


def test_review_every_open_error_then_a_changed_value_reopens_it(make_base: MakeBase) -> None:
    root = broken_base(make_base)
    fact_file = root / "facts" / SHARE_FILE
    before = fact_file.read_bytes()
    errors = open_errors(root)
    assert [f["code"] for f in errors] == ["C005", "R101"]
    for finding in errors:  # by a unique prefix, as a script would
        result = review(root, finding["fingerprint"][:8], "source-error", f"the source misprints {finding['code']}")
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"recorded source-error for {finding['code']} ")

    result = invoke("check", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "Reviewed (2): recorded in facts/reviews.yaml, not failing the check" in result.output
    assert "reviewed: source-error by Li Wei on " in result.output
    assert "0 error(s), 0 warning(s), 2 reviewed" in result.output
    code, data = check_json(root)
    assert code == 0
    verdict = data["findings"][1]["review"]
    assert set(verdict) == {"status", "note", "reviewer", "date", "fingerprint"}
    assert verdict["status"] == "source-error" and verdict["reviewer"] == "Li Wei"
    assert verdict["note"] == "the source misprints R101" and DATE.match(verdict["date"])
    assert verdict["fingerprint"] == errors[1]["fingerprint"]
    assert invoke("check", "--root", str(root), "--fail-on-reviewed").exit_code == 1
    assert fact_file.read_bytes() == before  # hand-written fact files are never rewritten

    fact_file.write_text(BROKEN.replace("value: 93.9%", "value: 93.8%"), encoding="utf-8")
    code, data = check_json(root)
    assert code == 1
    assert [(f["code"], f["review"]) for f in data["findings"] if f["severity"] == "error"] == [
        ("C005", None), ("R101", None)]
    stale = [f for f in data["findings"] if f["code"] == "V001"]
    assert len(stale) == 2 and all(f["severity"] == "warning" for f in stale)
    assert stale[0]["location"] == {"file": "facts/reviews.yaml", "line": 4}
    assert (f"review {errors[0]['fingerprint']} (C005 source-error, Li Wei, " in stale[0]["message"]
            and "matches no finding: huzhou-2024/valid_invention_enterprise_share was 93.9%, is now 93.8%"
            in stale[0]["message"])
    text = invoke("check", "--root", str(root), "--no-cache").output
    assert "facts/reviews.yaml:4: warning V001 stale-review: review " in text


def test_a_changed_source_suspends_its_reviews_then_its_new_hash_makes_them_stale(make_base: MakeBase) -> None:
    root = broken_base(make_base)
    for finding in open_errors(root):
        assert review(root, finding["fingerprint"]).exit_code == 0
    seed = next((root / "seeds").iterdir())
    seed.write_bytes(seed.read_bytes() + "\n附录\n".encode())

    code, data = check_json(root)
    assert code == 1
    codes = sorted((f["code"], f["review"] is None) for f in data["findings"])
    assert codes == [("C001", True), ("C005", True), ("R101", True), ("V001", True), ("V001", True)]
    suspended = [f["message"] for f in data["findings"] if f["code"] == "V001"]
    assert all("is suspended: source huzhou-2024 changed since it was hashed (C001)" in m for m in suspended)
    r101 = next(f for f in data["findings"] if f["code"] == "R101")
    result = review(root, r101["fingerprint"])
    assert result.exit_code == 2 and "source huzhou-2024 changed since it was hashed (C001)" in result.output
    walk = invoke("review", "--root", str(root), "--interactive", "-r", "Li")
    assert walk.exit_code == 0
    assert walk.output.startswith("2 open finding(s) cite a source whose bytes changed since it was hashed (C001)")
    assert "Nothing to review: no open finding." in walk.output

    sources = root / "facts" / "sources.yaml"
    old_hash = hashlib.sha256(seed.read_bytes()[: -len("\n附录\n".encode())]).hexdigest()
    new_hash = hashlib.sha256(seed.read_bytes()).hexdigest()
    sources.write_text(sources.read_text(encoding="utf-8").replace(old_hash, new_hash), encoding="utf-8")
    code, data = check_json(root)
    assert code == 1
    stale = [f["message"] for f in data["findings"] if f["code"] == "V001"]
    assert len(stale) == 2
    assert all(f"the recorded sha256 of huzhou-2024 changed ({old_hash[:12]}… → {new_hash[:12]}…)" in m for m in stale)


# -- facts/reviews.yaml -----------------------------------------------------------------------------------


def test_reviews_file_is_sorted_stable_and_keeps_what_happened(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": many_errors(3)})
    errors = open_errors(root)
    for finding in reversed(errors):
        assert review(root, finding["fingerprint"], note="line one\nline two").exit_code == 0
    path = root / "facts" / "reviews.yaml"
    text = path.read_text(encoding="utf-8")
    keys = re.findall(r"^([0-9a-f]{16}):$", text, flags=re.M)
    assert keys == sorted(f["fingerprint"] for f in errors)
    assert text.startswith("# Editors' verdicts on `ipfacts check` findings, keyed by fingerprint.\n")
    first = errors[0]
    entry = text.split(f"{first['fingerprint']}:\n", 1)[1].split("\n\n", 1)[0]
    assert entry.splitlines()[:4] == ["  code: C005", "  status: explained", "  reviewer: Li Wei",
                                      f"  date: '{load_reviews(root)[first['fingerprint']].date}'"]
    assert "  note: |-\n    line one\n    line two\n" in entry  # multi-line notes stay readable in a diff
    assert "  facts:\n    h/wrong_0: 80.1%\n  sources:\n    huzhou-2024: " in entry
    assert "  message: 'h/wrong_0: the quote ''占比93.3%'' does not contain 80.1 (the digits of value ''80.1%'')'" in entry

    review(root, first["fingerprint"], note="line one\nline two")  # the same verdict again: the same bytes
    assert path.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in path.parent.iterdir()) == ["h.yaml", "metrics.yaml", "reviews.yaml",
                                                             "sources.yaml"]  # no temporary or lock file left
    assert load_reviews(root)[first["fingerprint"]].note == "line one\nline two"


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
    ("abcd1234abcd1234:\n  code: R101\n  status: explained\n  reviewer: a\n  date: '2026-01-01'\n  note: x\n"
     "  notes: y\n", "facts/reviews.yaml:7: L003 unknown-field: unknown field 'notes'"),
    ("abcd1234abcd1234:\n  code: R101\n  status: explained\n", "facts/reviews.yaml:1: L005 missing-field: "
     "review abcd1234abcd1234 lacks reviewer, date, note"),
    ("not-a-fingerprint:\n  code: R101\n", "facts/reviews.yaml:1: L004 wrong-type: 'not-a-fingerprint' is not"),
    ("- a list\n", "facts/reviews.yaml:1: L004 wrong-type: reviews.yaml must be a mapping"),
])
def test_a_broken_reviews_file_is_reported_with_its_line(make_base: MakeBase, text: str, expected: str) -> None:
    root = broken_base(make_base)
    (root / "facts" / "reviews.yaml").write_text(text, encoding="utf-8")
    for command in (["check"], ["review", "--list"], ["show", "abc"]):
        result = invoke(*command, "--root", str(root))
        assert result.exit_code == 2, result.output
        assert expected in result.output
        assert "Traceback" not in result.output


def test_concurrent_reviews_lose_nothing(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": many_errors(8)})
    errors = open_errors(root)
    env = {**os.environ, "IPFACTS_NO_CACHE": "1"}
    processes = [subprocess.Popen(
        [sys.executable, "-m", "ipfacts", "review", f["fingerprint"], "--root", str(root), "--status", "explained",
         "--note", f"note {n}", "--reviewer", f"editor {n}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for n, f in enumerate(errors)]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0] * 8, outputs
    recorded = load_reviews(root)
    assert sorted(recorded) == sorted(f["fingerprint"] for f in errors)
    assert {r.reviewer for r in recorded.values()} == {f"editor {n}" for n in range(8)}
    assert invoke("check", "--root", str(root)).exit_code == 0


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


def test_scripted_review_errors_are_clear(make_base: MakeBase) -> None:
    root = broken_base(make_base)
    fingerprint = open_errors(root)[1]["fingerprint"]
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


def test_reviewer_defaults_to_the_git_user(make_base: MakeBase, tmp_path: Path) -> None:
    root = broken_base(make_base)
    fingerprint = open_errors(root)[1]["fingerprint"]
    gitconfig = tmp_path / "gitconfig"
    env = {"GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
    gitconfig.write_text("", encoding="utf-8")
    anonymous = invoke("review", fingerprint, "--root", str(root), "-s", "explained", "-n", "why", env=env)
    assert anonymous.exit_code == 2 and "who is reviewing? pass --reviewer NAME" in anonymous.output
    gitconfig.write_text("[user]\n\tname = Zhang San\n", encoding="utf-8")
    named = invoke("review", fingerprint, "--root", str(root), "-s", "explained", "-n", "why", env=env)
    assert named.exit_code == 0 and named.output.rstrip().endswith("by Zhang San")
    assert load_reviews(root)[fingerprint].reviewer == "Zhang San"


def test_interactive_review_walks_the_open_findings(make_base: MakeBase) -> None:
    root = broken_base(make_base)
    errors = open_errors(root)
    result = invoke("review", "--root", str(root), "--interactive", "--reviewer", "Li Wei",
                    input="maybe\ns\nThe white paper prints 93.9 in the table, 93.3 in the text\nk\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("2 open finding(s) to review (2 error(s)).")
    assert "── 1/2 " in out and "── 2/2 " in out
    assert "C005 value-not-in-quote (error) · fingerprint " + errors[0]["fingerprint"] in out
    assert "  > 57 | 件，占比93.3%），同比增长11.55%。全年授\n" in out  # the cited line, with context around it
    assert "    55 | \n" in out and "    59 | 93.4%），授权发明专利3325件（其中企业\n" in out
    assert "  recomputed  [93.304, 93.304]%\n" in out  # the recomputation of the R101 finding
    assert "please answer one of: [e]xplained, [s]ource-error, [f]alse-positive, [k] skip, [q]uit" in out
    assert f"recorded source-error for C005 value-not-in-quote {errors[0]['fingerprint']} by Li Wei" in out
    assert out.rstrip().endswith("1 verdict(s) recorded in facts/reviews.yaml, 1 skipped; 1 finding(s) still open.")
    recorded = load_reviews(root)
    assert list(recorded) == [errors[0]["fingerprint"]]
    assert recorded[errors[0]["fingerprint"]].note == "The white paper prints 93.9 in the table, 93.3 in the text"
    assert invoke("check", "--root", str(root)).exit_code == 1  # R101 was skipped: still open


def test_interactive_review_stops_cleanly(make_base: MakeBase) -> None:
    root = broken_base(make_base)
    quit_ = invoke("review", "--root", str(root), "--interactive", "-r", "Li", input="q\n")
    assert quit_.exit_code == 0 and "0 verdict(s) recorded in facts/reviews.yaml, 0 skipped; 2 finding(s) still open." in quit_.output
    eof = invoke("review", "--root", str(root), "--interactive", "-r", "Li", input="e\n")  # input ends before the note
    assert eof.exit_code == 0 and "0 verdict(s) recorded" in eof.output
    assert not (root / "facts" / "reviews.yaml").exists()


def test_reviewing_again_after_a_change_renews_the_old_review(make_base: MakeBase) -> None:
    root = broken_base(make_base)
    r101 = open_errors(root)[1]["fingerprint"]
    review(root, r101, "explained", "the text rounds the share from unpublished figures")
    fact_file = root / "facts" / SHARE_FILE
    fact_file.write_text(BROKEN.replace("value: 93.9%", "value: 93.8%"), encoding="utf-8")
    new = open_errors(root)[1]
    assert new["code"] == "R101" and new["fingerprint"] != r101
    # on a terminal, the earlier verdict is shown and Enter keeps its note
    result = invoke("review", new["fingerprint"][:6], "--root", str(root), "--interactive", "-r", "Wang",
                    input="e\n\n")
    assert result.exit_code == 0, result.output
    assert ("Reviewed before the numbers changed: explained by Li Wei on ") in result.output
    assert f"(renews {r101}) by Wang" in result.output
    recorded = load_reviews(root)
    assert list(recorded) == [new["fingerprint"]]
    assert recorded[new["fingerprint"]].note == "the text rounds the share from unpublished figures"
    _, data = check_json(root)
    assert not [f for f in data["findings"] if f["code"] == "V001"]


def test_list_remove_and_prune(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": many_errors(3)})
    errors = open_errors(root)
    listing = invoke("review", "--list", "--root", str(root))
    assert listing.exit_code == 0
    assert listing.output.splitlines()[0] == (
        f"{errors[0]['fingerprint']}  error    C005 value-not-in-quote  facts/h.yaml:3: h/wrong_0: the quote "
        "'占比93.3%' does not contain 80.1 (the digits of value '80.1%')")
    assert listing.output.splitlines()[-1] == "3 open finding(s) to review, 0 reviewed"
    for finding in errors:
        review(root, finding["fingerprint"])
    assert invoke("review", "--list", "--root", str(root)).output == "0 open finding(s) to review, 3 reviewed\n"

    withdrawn = invoke("review", errors[0]["fingerprint"][:10], "--remove", "--root", str(root))
    assert withdrawn.exit_code == 0 and withdrawn.output == f"withdrew review {errors[0]['fingerprint']}; its finding is open again\n"
    assert invoke("check", "--root", str(root)).exit_code == 1

    fact_file = root / "facts" / "h.yaml"
    fact_file.write_text(fact_file.read_text(encoding="utf-8").replace("value: 81.1%", "value: 81.2%"), encoding="utf-8")
    pruned = invoke("review", "--prune", "--root", str(root))
    assert pruned.output == f"pruned 1 stale review(s): {errors[1]['fingerprint']}\n"
    assert list(load_reviews(root)) == [errors[2]["fingerprint"]]


def test_show_and_explain_one_finding_in_full(make_base: MakeBase) -> None:
    root = broken_base(make_base)
    r101 = open_errors(root)[1]["fingerprint"]
    shown = invoke("show", r101[:5], "--root", str(root))
    assert shown.exit_code == 0, shown.output
    assert shown.output == invoke("explain", r101, "--root", str(root)).output
    lines = shown.output.splitlines()
    assert lines[0] == f"R101 share-mismatch (error) · fingerprint {r101}"
    assert lines[1] == ("facts/huzhou-2024.yaml:14: 20134件 of 21579件 is 93.30%, but 93.9% is printed; "
                        "93.9% of 21579件 would need 20252–20273件")
    assert "  reported    93.9%  (stands for [93.85, 93.95))" in lines
    assert "  recomputed  [93.304, 93.304]%" in lines
    assert "  huzhou-2024/valid_invention                   21579件  facts/huzhou-2024.yaml:3" in lines
    start = lines.index("huzhou-2024 · seeds/000_ef14d01db3a9c97a.txt, lines 54-59")
    assert lines[start + 1: start + 7] == [
        "    54 | 工艺等4件专利获第二十五届中国专利奖。",
        "    55 | ",
        "  > 56 | 全市有效发明21579件（其中企业20134",
        "  > 57 | 件，占比93.3%），同比增长11.55%。全年授",
        "    58 | 权专利16966件（其中企业15829件，占比",
        "    59 | 93.4%），授权发明专利3325件（其中企业",
    ]
    assert lines[-2:] == ["Open error", f"  record a verdict: ipfacts review {r101} --status "
                                        "explained|source-error|false-positive --note \"…\""]
    wider = invoke("show", r101, "--root", str(root), "--context", "0").output
    assert "  > 56 | " in wider and "    55 | " not in wider

    review(root, r101, "false-positive", "the share is of a different base")
    reviewed = invoke("show", r101, "--root", str(root)).output.splitlines()
    assert reviewed[-2].startswith("Reviewed: false-positive by Li Wei on ")
    assert reviewed[-1] == "  the share is of a different base"
    missing = invoke("show", "ffff", "--root", str(root))
    assert missing.exit_code == 2 and "no finding has a fingerprint starting with 'ffff'" in missing.output


def test_show_a_stale_review_says_what_changed(make_base: MakeBase) -> None:
    root = broken_base(make_base)
    r101 = open_errors(root)[1]["fingerprint"]
    review(root, r101)
    fact_file = root / "facts" / SHARE_FILE
    fact_file.write_text(BROKEN.replace("value: 93.9%", "value: 93.8%"), encoding="utf-8")
    out = invoke("show", r101, "--root", str(root)).output
    assert out.startswith("V001 stale-review (warning) · fingerprint ")
    assert "  changes: huzhou-2024/valid_invention_enterprise_share was 93.9%, is now 93.8%" in out
    assert f"Recorded review {r101} (facts/reviews.yaml:4): explained by Li Wei on " in out
    assert "  huzhou-2024/valid_invention_enterprise_share was 93.9%" in out


def test_a_real_terminal_is_asked(make_base: MakeBase) -> None:
    """Without --interactive: stdin is a pseudo-terminal, so `review` asks (and the answers are pre-typed)."""
    root = broken_base(make_base)
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
    os.write(main, b"k\nf\nThe share is of registered patents, not granted ones\n")
    try:
        assert process.wait(timeout=120) == 0
    finally:
        if process.poll() is None:
            process.kill()
        reader.join(timeout=30)
        os.close(main)
    output = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))
    assert "2 open finding(s) to review (2 error(s))." in output
    assert "1 verdict(s) recorded in facts/reviews.yaml, 1 skipped; 1 finding(s) still open." in output
    recorded = load_reviews(root)
    assert list(recorded) == [errors[1]["fingerprint"]]
    assert recorded[errors[1]["fingerprint"]].status == "false-positive"


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
    root = make_base({SHARE_FILE: BROKEN, "markup.yaml": MARKUP})
    errors = open_errors(root)
    r101 = next(f for f in errors if f["code"] == "R101")
    review(root, r101["fingerprint"], "explained", 'Editor said <img src=x onerror="alert(2)"> & "quoted"')
    target = tmp_path / "out" / "findings.html"
    result = invoke("check", "--root", str(root), "--format", "html", "-o", str(target))
    assert result.exit_code == 1 and result.output == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    open_at, reviewed_at = page.index('<section id="open">'), page.index('<section id="reviewed">')
    assert "<h2>Open (2)</h2>" in page and "<h2>Reviewed (1)</h2>" in page
    assert open_at < page.index("value-not-in-quote") < reviewed_at < page.index("share-mismatch")
    # source context and the recomputation, numbers marked in the cited lines
    assert "全市有效发明<mark>21579</mark>件（其中企业<mark>20134</mark>" in page
    assert '<td class="n">54</td><td class="m"></td><td>工艺等4件专利获第二十五届中国专利奖。</td>' in page
    assert "<dt>recomputed</dt><dd>[93.304, 93.304]%</dd>" in page
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
