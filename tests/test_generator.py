"""The benchmark's synthetic fact base: the checker finds exactly the planted inconsistencies."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ipfacts.review.checked import check_root

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate  # noqa: E402


def test_exactly_the_planted_inconsistencies_are_found(tmp_path: Path) -> None:
    made = generate(tmp_path / "base", 3000, seed=7)
    _, report = check_root(tmp_path / "base")
    assert made["facts"] > 2500 and made["planted"] > 0
    counts = Counter((f.code, f.severity) for f in report.findings)
    assert counts == {("R101", "error"): made["planted"], ("R109", "error"): made["planted"]}
    assert report.relations_checked > made["facts"] // 2
