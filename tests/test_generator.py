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


def test_the_second_shape_finds_exactly_its_planted_inconsistencies_and_every_relation_kind(tmp_path: Path) -> None:
    """generate_small.py: many small files, short sources, every relation kind — and nothing found but what
    was planted (a seed with plants in its first 120 files)."""
    from generate_small import generate as generate_small

    from ipfacts.load.relationfields import FIELDS

    made = generate_small(tmp_path / "base", 4800, seed=3)
    base, report = check_root(tmp_path / "base")
    assert made["files"] == 120 and made["facts"] == 4800 and made["planted"] > 0
    assert len(list((tmp_path / "base" / "facts").glob("t*.yaml"))) == 120
    counts = Counter((f.code, f.severity) for f in report.findings)
    assert counts == {("R101", "error"): made["planted"], ("R109", "error"): made["planted"]}
    declared = {kind for fact in base.facts.values() for kind in fact.relations}
    assert set(FIELDS) <= declared
