"""Output formats: the same finding, the same code and message, in every format."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.render.formats.github import escape_data, escape_property

from conftest import HUZHOU_FACTS, MakeBase

runner = CliRunner()

BROKEN = HUZHOU_FACTS.replace("value: 93.3%", "value: 93.9%").replace("quote: 占比93.3%", "quote: 占比93.3%")


def broken_base(make_base: MakeBase) -> Path:
    return make_base({"huzhou-2024.yaml": BROKEN})


def test_json_has_the_contract_shape(make_base: MakeBase) -> None:
    result = runner.invoke(app, ["check", "--root", str(broken_base(make_base)), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["version"] == 1
    assert data["summary"]["errors"] == 2 and data["summary"]["facts"] == 4
    codes = [f["code"] for f in data["findings"]]
    assert codes == ["C005", "R101"]
    share = data["findings"][1]
    assert set(share) >= {"code", "severity", "message", "facts", "citations", "reported", "expected", "review",
                          "fingerprint"}
    assert share["facts"][0] == {"id": "huzhou-2024/valid_invention_enterprise_share", "file": "facts/huzhou-2024.yaml",
                                 "line": 14, "value": "93.9%", "note": None}
    assert share["citations"][0] == {"source": "huzhou-2024", "file": "seeds/000_ef14d01db3a9c97a.txt", "line": 57,
                                     "end_line": 57}
    assert share["citations"][1] == {"source": "huzhou-2024", "file": "seeds/000_ef14d01db3a9c97a.txt", "line": 56,
                                     "end_line": 57}  # 其中企业20134件, cited as 56-57: the whole range
    assert share["reported"] == "93.9%" and share["expected"] == "[93.304, 93.304]%"
    assert share["review"] is None and len(share["fingerprint"]) == 16


def test_github_annotations(make_base: MakeBase) -> None:
    result = runner.invoke(app, ["check", "--root", str(broken_base(make_base)), "--format", "github"])
    lines = result.output.splitlines()
    assert lines[1].startswith("::error file=facts/huzhou-2024.yaml,line=14,title=R101 share-mismatch::R101 20134件 of 21579件 is 93.30%25, but 93.9%25 is printed")
    assert lines[-1] == "ipfacts: 2 error(s), 0 warning(s), 0 reviewed, 4 facts"


def test_github_escaping() -> None:
    assert escape_data("50%\r\nx") == "50%25%0D%0Ax"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_junit_is_valid_xml_with_a_failure_per_error(make_base: MakeBase) -> None:
    result = runner.invoke(app, ["check", "--root", str(broken_base(make_base)), "--format", "junit"])
    suite = ET.fromstring(result.output.split("\n", 1)[1])
    assert suite.get("failures") == "2"
    failures = suite.findall("./testcase/failure")
    assert [f.get("type") for f in failures] == ["C005", "R101"]


def test_text_output_is_plain_without_a_terminal(make_base: MakeBase) -> None:
    result = runner.invoke(app, ["check", "--root", str(broken_base(make_base))], env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.output
    assert "facts/huzhou-2024.yaml:14: error R101 share-mismatch: 20134件 of 21579件 is 93.30%, but 93.9% is printed" in result.output
    assert "2 error(s), 0 warning(s), 0 reviewed · 4 facts, " in result.output


def test_output_file_is_written_atomically_and_deterministically(make_base: MakeBase, tmp_path: Path) -> None:
    root = broken_base(make_base)
    target = tmp_path / "out" / "findings.json"
    first = runner.invoke(app, ["check", "--root", str(root), "--format", "json", "-o", str(target)])
    assert first.exit_code == 1 and first.output == ""
    content = target.read_text(encoding="utf-8")
    runner.invoke(app, ["check", "--root", str(root), "--format", "json", "-o", str(target)])
    assert target.read_text(encoding="utf-8") == content
    assert [p.name for p in target.parent.iterdir()] == ["findings.json"]  # no temporary file left behind


def test_explain_lists_passing_relations(huzhou_base: Path) -> None:
    line = "ok      share_of    huzhou-2024/valid_invention_enterprise_share: reported 93.3% [93.25, 93.35)"
    every = runner.invoke(app, ["check", "--root", str(huzhou_base), "--explain-all"])
    assert every.exit_code == 0
    assert line in every.output
    behind_open = runner.invoke(app, ["check", "--root", str(huzhou_base), "--explain"])
    assert behind_open.exit_code == 0 and "share_of" not in behind_open.output  # no open finding: nothing behind one


def test_explain_shows_only_the_checks_behind_open_findings(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS.replace("value: 93.3%", "value: 93.9%")})
    result = runner.invoke(app, ["check", "--root", str(root), "--explain", "--format", "json", "--no-cache"])
    explained = json.loads(result.output)["evaluations"]
    assert [(e["fact"], e["verdict"]) for e in explained if e["relation"] == "share_of"] == [
        ("huzhou-2024/valid_invention_enterprise_share", "error")]
    every = json.loads(runner.invoke(app, ["check", "--root", str(root), "--explain-all", "--format", "json",
                                           "--no-cache"]).output)["evaluations"]
    assert len(every) > len(explained)
    behind = {f["id"] for finding in json.loads(result.output)["findings"] for f in finding["facts"]}
    assert {e["fact"] for e in explained} <= behind


def test_clean_base_exits_0(huzhou_base: Path) -> None:
    result = runner.invoke(app, ["check", "--root", str(huzhou_base)])
    assert result.exit_code == 0
    assert result.output.startswith("0 error(s), 0 warning(s), 0 reviewed · 4 facts")


def test_unknown_format_is_a_usage_error(huzhou_base: Path) -> None:
    result = runner.invoke(app, ["check", "--root", str(huzhou_base), "--format", "xml"])
    assert result.exit_code == 2 and "unknown format 'xml'" in result.output
