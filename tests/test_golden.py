"""The shipped fact base's findings, reviewed ones included, exactly as `ipfacts check --format json` prints them.

A change in any finding — a new one, a lost one, a reworded message, a moved line, a changed
details field — shows up here as a diff to read. When the change is intended, regenerate:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os

from typer.testing import CliRunner

from ipfacts.cli import app

from conftest import REPO

GOLDEN = REPO / "tests" / "golden" / "shipped-check.json"


def test_the_shipped_base_gives_the_golden_findings() -> None:
    result = CliRunner().invoke(app, ["check", "--root", str(REPO), "--format", "json", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(result.output, encoding="utf-8")
    golden = GOLDEN.read_text(encoding="utf-8")
    assert json.loads(result.output) == json.loads(golden), "regenerate with UPDATE_GOLDEN=1 if intended"
    assert result.output == golden
    assert json.loads(golden)["summary"]["reviewed"] > 0  # the reviewed findings are part of it
