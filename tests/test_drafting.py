"""scaffold as a curator meets it on new documents: long tables in linear time, bare numbers, prose
relations, traditional characters, metric suggestions; and its drafts of the seeds scored against the
shipped facts."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from ipfacts.curate.scaffold import scaffold
from ipfacts.load.loader import load


def base_with(root: Path, text: str, source_id: str = "doc", metrics: str = "{}\n") -> Path:
    """A base of one source document with the given text, and no fact file."""
    (root / "facts").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    (root / "seeds" / f"{source_id}.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    (root / "facts" / "sources.yaml").write_text(
        f"{source_id}:\n  file: seeds/{source_id}.txt\n  region: 某市\n  period: 2024\n  sha256: {sha}\n",
        encoding="utf-8")
    (root / "facts" / "metrics.yaml").write_text(metrics, encoding="utf-8")
    return root


def long_table(rows: int) -> str:
    return "".join(f"地区{i} {1000 + i}件 {i % 97}.{i % 10}% {200 + i}件\n" for i in range(rows))


def drafting_seconds(root: Path) -> float:
    base = load(root)
    start = time.perf_counter()
    drafts = scaffold(base, "doc")
    elapsed = time.perf_counter() - start
    assert drafts
    return elapsed


def test_scaffold_is_linear_in_a_table_without_sentence_ends(tmp_path: Path) -> None:
    # 3 numbers a row and not one 。: the whole table is one sentence. Quadruple the rows: a linear
    # scaffold takes about 4× as long, the cubic one it replaces took 64×, a quadratic one 16×.
    small = min(drafting_seconds(base_with(tmp_path / f"s{i}", long_table(300))) for i in range(2))
    large = drafting_seconds(base_with(tmp_path / "l", long_table(1200)))
    assert large / max(small, 0.01) < 9, (small, large)


def test_scaffold_finishes_3000_numbers_one_cell_a_line(tmp_path: Path) -> None:
    text = "".join(f"{1000 + i}件\n" for i in range(3000))  # was over 300 s
    assert drafting_seconds(base_with(tmp_path, text)) < 30
