"""Editors see the curators' reasoning (#14.4): the notes of the facts a finding involves in `ipfacts
show`, the text output with --explain, the HTML page and JSON; JSON citations carry the whole range."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ipfacts.cli import app

from conftest import HUZHOU_FACTS, MakeBase

runner = CliRunner()

NOTE = "the share is printed <as> 93.4% in the PDF; we kept the 93.3% of the text"
NOTED = HUZHOU_FACTS.replace(
    "    part_of: valid_invention\n",
    "    part_of: valid_invention\n    note: >-\n      the enterprises' part,\n      from the same sentence\n",
).replace(
    "    share_of: [valid_invention_enterprise, valid_invention]\n",
    f"    share_of: [valid_invention_enterprise, valid_invention]\n    note: {NOTE}\n",
).replace("value: 93.3%", "value: 93.5%").replace("quote: 占比93.3%", "quote: 占比93.3%")


def base(make_base: MakeBase) -> Path:
    return make_base({"huzhou-2024.yaml": NOTED})


def share_finding(root: Path, *extra: str) -> dict[str, object]:
    result = runner.invoke(app, ["check", "--root", str(root), "--format", "json", *extra])
    data = json.loads(result.output)
    return next(f for f in data["findings"] if f["code"] == "R101")


def test_json_carries_notes_and_whole_cited_ranges(make_base: MakeBase) -> None:
    finding = share_finding(base(make_base))
    notes = {f["id"].split("/")[1]: f["note"] for f in finding["facts"]}  # type: ignore[attr-defined,index]
    assert notes == {"valid_invention_enterprise_share": NOTE,
                     "valid_invention_enterprise": "the enterprises' part, from the same sentence",
                     "valid_invention": None}
    ranges = [(c["line"], c["end_line"]) for c in finding["citations"]]  # type: ignore[attr-defined,index]
    assert ranges == [(57, 57), (56, 57), (56, 56)]
    assert share_finding(base(make_base)) == finding  # the second run, from the run cache, keeps them


def test_show_prints_the_notes_under_the_facts(make_base: MakeBase) -> None:
    root = base(make_base)
    fingerprint = str(share_finding(root)["fingerprint"])
    lines = runner.invoke(app, ["show", fingerprint, "--root", str(root)]).output.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("  huzhou-2024/valid_invention_enterprise_share "))
    assert lines[at + 1].strip() == f"note: {NOTE}"
    assert "note: the enterprises' part, from the same sentence" in [line.strip() for line in lines]


def test_text_explain_shows_notes_and_plain_text_does_not(make_base: MakeBase) -> None:
    root = base(make_base)
    plain = runner.invoke(app, ["check", "--root", str(root), "--no-cache"]).output
    explained = runner.invoke(app, ["check", "--root", str(root), "--no-cache", "--explain"]).output
    assert NOTE not in plain
    assert "recomputed [93.304, 93.304]%" not in plain  # interval notation: --explain only (#17.5)
    assert "    reported 93.5%; recomputed [93.304, 93.304]%" in explained.splitlines()
    assert f"    note on huzhou-2024/valid_invention_enterprise_share: {NOTE}" in explained.splitlines()


def test_html_shows_the_notes_escaped(make_base: MakeBase, tmp_path: Path) -> None:
    root = base(make_base)
    page = runner.invoke(app, ["check", "--root", str(root), "--no-cache", "--format", "html"]).output
    assert "Curator's note: the share is printed &lt;as&gt; 93.4% in the PDF" in page
    assert "<as>" not in page
