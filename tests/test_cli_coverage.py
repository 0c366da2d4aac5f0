"""`ipfacts coverage` on the real seeds: the numbers no fact cites, in text and JSON, and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app

from conftest import HUZHOU_FACTS, MakeBase

runner = CliRunner()


@pytest.fixture
def root(make_base: MakeBase) -> Path:
    return make_base({"h.yaml": HUZHOU_FACTS}, sources=["huzhou-2024", "ningbo-2024"])


def test_coverage_as_json_counts_the_cited_numbers(root: Path) -> None:
    result = runner.invoke(app, ["coverage", "--root", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = {r["source"]: r for r in json.loads(result.output)}
    assert set(data) == {"huzhou-2024", "ningbo-2024"}
    huzhou, ningbo = data["huzhou-2024"], data["ningbo-2024"]
    assert huzhou["cited"] >= 2 and ningbo["cited"] == 0  # the fixture cites Huzhou only
    assert huzhou["claims"] == huzhou["cited"] + huzhou["ignored"] + len(huzhou["uncited"])
    assert 0 < huzhou["ratio"] < 1 and ningbo["ratio"] == 0
    assert all(u["line"] >= 1 and u["text"] for u in huzhou["uncited"])
    assert "21579件" not in {u["text"] for u in huzhou["uncited"]}  # cited by h/valid_invention


def test_coverage_as_text_lists_the_first_uncited_numbers(root: Path) -> None:
    result = runner.invoke(app, ["coverage", "--root", str(root), "--source", "ningbo-2024"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("ningbo-2024 (seeds/002_a96ba6aa271934dd.txt): 0/") and " 0.0%" in lines[0]
    listed = [line for line in lines[1:] if line.startswith("  seeds/")]
    assert len(listed) == 40 and lines[-1].startswith("  … ") and lines[-1].endswith("more (--all)")
    every = runner.invoke(app, ["coverage", "--root", str(root), "--source", "ningbo-2024", "--all"])
    assert "more (--all)" not in every.output
    assert len(every.output.splitlines()) - 1 == int(lines[-1].split()[1]) + 40


def test_coverage_minimum_and_unknown_source(root: Path) -> None:
    assert runner.invoke(app, ["coverage", "--root", str(root), "--min", "0"]).exit_code == 0
    assert runner.invoke(app, ["coverage", "--root", str(root), "--source", "huzhou-2024", "--min", "99"]).exit_code == 1
    result = runner.invoke(app, ["coverage", "--root", str(root), "--source", "nope"])
    assert result.exit_code == 2 and "unknown source 'nope'; known: huzhou-2024, ningbo-2024" in result.output


def test_coverage_of_an_unreadable_base_is_a_message(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": "a: [unclosed\n"})
    result = runner.invoke(app, ["coverage", "--root", str(root)])
    assert result.exit_code == 2 and "facts/h.yaml:" in result.output and "Traceback" not in result.output
