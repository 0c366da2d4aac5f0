"""`ipfacts reanchor`: a changed source's citations found again by their quotes, written back byte for byte."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.curate.reanchor import apply, plan
from ipfacts.load.loader import load
from ipfacts.review.verdicts import load_reviews

from conftest import HUZHOU_FACTS, REPO, MakeBase

runner = CliRunner()
HUZHOU_SEED = "seeds/000_ef14d01db3a9c97a.txt"


def shipped_copy(tmp_path: Path) -> Path:
    root = tmp_path / "base"
    shutil.copytree(REPO / "facts", root / "facts", ignore=shutil.ignore_patterns(".*"))
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


def fact_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "facts").rglob("*.yaml"))}


def test_a_line_inserted_at_the_top_of_a_shipped_seed_is_reanchored_byte_for_byte(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    seed = root / HUZHOU_SEED
    seed.write_bytes("（本文件转载时新增一行）\n".encode() + seed.read_bytes())
    before = fact_bytes(root)
    citations = sum(1 for f in load(root).facts.values() if f.source == "huzhou-2024")

    checked = runner.invoke(app, ["check", "--root", str(root), "--no-cache", "--format", "json"])
    findings = json.loads(checked.output)["findings"]
    assert findings[0]["code"] == "C001"  # the cause first, then the citation errors it explains
    assert len(findings[0]["details"]["moved"]) == citations and findings[0]["details"]["lost"] == []
    assert sum(1 for f in findings if f["code"] == "C003") == citations

    dry = runner.invoke(app, ["reanchor", "huzhou-2024", "--root", str(root)])
    assert dry.exit_code == 0, dry.output
    assert "facts/huzhou-2024.yaml: huzhou-2024/china_patent_award_excellence: line 9-10 → 10-11\n" in dry.output
    assert f"huzhou-2024: {citations} citation(s): 0 in place, {citations} moved, 0 not found; sha256 c56ffd27d1b0… → " in dry.output
    assert fact_bytes(root) == before  # nothing written without --write

    wrote = runner.invoke(app, ["reanchor", "huzhou-2024", "--root", str(root), "--write"])
    assert wrote.exit_code == 0, wrote.output
    assert "wrote facts/huzhou-2024.yaml, facts/sources.yaml" in wrote.output
    after = fact_bytes(root)
    assert {name for name in after if after[name] != before[name]} == {"facts/huzhou-2024.yaml", "facts/sources.yaml"}
    old_lines = before["facts/huzhou-2024.yaml"].decode().splitlines(keepends=True)
    new_lines = after["facts/huzhou-2024.yaml"].decode().splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)
    changed = 0
    for old, new in zip(old_lines, new_lines, strict=True):
        if old == new:
            continue
        changed += 1
        match = re.fullmatch(r"(\s+line: )(\d+)(?:-(\d+))?(\n)", old)
        assert match, old
        shifted = "-".join(str(int(n) + 1) for n in match.groups()[1:3] if n)
        assert new == f"{match.group(1)}{shifted}{match.group(4)}"  # only the line value, one further down
    assert changed == citations
    old_sources, new_sources = (d["facts/sources.yaml"].decode().splitlines() for d in (before, after))
    differing = [(a, b) for a, b in zip(old_sources, new_sources, strict=True) if a != b]
    assert differing == [(f"  sha256: {hashlib.sha256((REPO / HUZHOU_SEED).read_bytes()).hexdigest()}",
                          f"  sha256: {hashlib.sha256(seed.read_bytes()).hexdigest()}")]

    again = runner.invoke(app, ["check", "--root", str(root), "--no-cache", "--format", "json"])
    codes = sorted(f["code"] for f in json.loads(again.output)["findings"] if f["review"] is None)
    # every citation is found again; the verdicts given on the old text wait for an editor (stale, by design)
    assert not [c for c in codes if c.startswith("C")]
    on_huzhou = sum(1 for e in load_reviews(REPO).values() if "huzhou-2024" in e.sources)
    assert f"{on_huzhou} verdict(s) on findings citing huzhou-2024 were given on the old text" in wrote.output


def test_a_quote_gone_from_the_text_is_listed_and_blocks_writing(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    seed = next((root / "seeds").iterdir())
    seed.write_bytes(seed.read_bytes().replace("同比增长11.55%".encode(), "同比增长11.6%".encode()))
    before = fact_bytes(root)
    result = runner.invoke(app, ["reanchor", "huzhou-2024", "--root", str(root)])
    assert result.exit_code == 1
    assert ("facts/huzhou-2024.yaml: huzhou-2024/valid_invention_growth: line 57: the quote is nowhere in "
            "seeds/000_ef14d01db3a9c97a.txt; find it by hand") in result.output
    assert "4 citation(s): 3 in place, 0 moved, 1 not found" in result.output
    refused = runner.invoke(app, ["reanchor", "huzhou-2024", "--root", str(root), "--write"])
    assert refused.exit_code == 1 and "1 quote(s) are not in the new text: fix them first (nothing written)" in refused.output
    assert fact_bytes(root) == before
    unknown = runner.invoke(app, ["reanchor", "nowhere", "--root", str(root)])
    assert unknown.exit_code == 2 and "no source 'nowhere' in facts/sources.yaml" in unknown.output


def test_quoted_values_comments_and_layout_are_kept(make_base: MakeBase) -> None:
    facts = HUZHOU_FACTS.replace("    line: 56\n", "    line: '56'   # the first line of the paragraph\n", 1)
    facts = facts.replace("    line: 56-57\n", '    line: "56-57"\n')
    root = make_base({"huzhou-2024.yaml": "# 湖州 · hand-written comment\n" + facts})
    seed = next((root / "seeds").iterdir())
    seed.write_bytes(b"\n\n" + seed.read_bytes())
    found = plan(load(root), "huzhou-2024")
    assert [(m.fact, m.old, m.new) for m in found.moves][:2] == [
        ("huzhou-2024/valid_invention", "56", "58"), ("huzhou-2024/valid_invention_enterprise", "56-57", "58-59")]
    path = root / "facts" / "huzhou-2024.yaml"
    original = path.read_text(encoding="utf-8")
    apply(root, found)
    expected = (original.replace("line: '56'   # the first", "line: '58'   # the first")
                .replace('line: "56-57"', 'line: "58-59"').replace("line: 57\n", "line: 59\n"))
    assert path.read_text(encoding="utf-8") == expected
    assert plan(load(root), "huzhou-2024").moves == [] and not plan(load(root), "huzhou-2024").hash_changed
