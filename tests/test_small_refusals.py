"""The smaller cases of the second hardening round: a peer that is a place without figures, an impossible
period, an unknown list filter, a planted run cache. Fact bases from the real seeds; the forged cache
entry is made up for the test."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ipfacts.check import runcache
from ipfacts.cli import app
from ipfacts.load.runfiles import RunFiles
from ipfacts.review.checked import check_report

from conftest import HUZHOU_FACTS, REPO, SEEDS, MakeBase

runner = CliRunner()


def test_a_province_without_figures_is_not_suggested_as_itself() -> None:
    result = runner.invoke(app, ["report", "--root", str(REPO), "--city", "湖州", "--peers", "江苏省"])
    assert result.exit_code == 2
    assert "did you mean" not in result.output
    assert "unknown peer '江苏省'" in result.output and "no figures for 江苏省" in result.output
    typo = runner.invoke(app, ["report", "--root", str(REPO), "--city", "湖州", "--peers", "Nignbo"])
    assert typo.exit_code == 2 and "did you mean 宁波" in typo.output  # a typo still gets its suggestion
    near = runner.invoke(app, ["report", "--root", str(REPO), "--city", "湖州", "--peers", "江苏s"])
    assert near.exit_code == 2 and "did you mean 江苏省" not in near.output  # never a place without figures


def test_an_impossible_month_is_refused_by_add_source(tmp_path: Path) -> None:
    root = tmp_path / "base"
    (root / "facts").mkdir(parents=True)
    (root / "facts" / "sources.yaml").write_text("", encoding="utf-8")
    document = tmp_path / "doc.txt"
    document.write_bytes((SEEDS / "000_ef14d01db3a9c97a.txt").read_bytes())
    for period in ("2024-13", "2024-00", "2024-10/03"):
        result = runner.invoke(app, ["add-source", str(document), "--id", "doc", "--period", period,
                                     "--root", str(root), "--no-interactive"])
        assert result.exit_code == 2, (period, result.output)
        assert f"period {period!r}" in result.output and "months 01 to 12" in result.output
    assert (root / "facts" / "sources.yaml").read_text(encoding="utf-8") == ""
    assert not (root / "seeds").exists() or not any((root / "seeds").iterdir())


def test_review_list_with_an_unknown_status_exits_2() -> None:
    result = runner.invoke(app, ["review", "--list", "--status", "bogus", "--root", str(REPO)])
    assert result.exit_code == 2
    assert "--status 'bogus'" in result.output and "open, held, reviewed, stale" in result.output
    assert runner.invoke(app, ["review", "--list", "--status", "reviewed", "--root", str(REPO)]).exit_code == 0


def test_a_planted_run_cache_entry_with_the_right_inputs_is_not_trusted(make_base: MakeBase) -> None:
    """The first round's forgery: an entry whose key matches the inputs (anyone can hash them) and whose
    report says all is well. It is not this user's (no seal under this user's secret): not used."""
    root = make_base({"h.yaml": HUZHOU_FACTS.replace("value: 93.3%", "value: 93.9%")})
    honest = check_report(root)
    assert honest.exit_code() == 1
    entry = root / ".ipfacts-cache" / f"last-run-v{runcache.FORMAT}.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    clean = {**data["report"], "findings": []}
    for forged in ({"key": data["key"], "report": clean},  # no seal
                   {**data, "report": clean},  # the honest seal, on another report
                   {"key": data["key"], "report": clean, "seal": "0" * 64}):
        entry.write_text(json.dumps(forged), encoding="utf-8")
        assert runcache.load_report(RunFiles.for_root(root), data["key"]) is None
        again = check_report(root)
        assert again.exit_code() == 1
        assert [f.fingerprint for f in again.findings] == [f.fingerprint for f in honest.findings]
    assert check_report(root).exit_code() == 1  # and the entry written again is this user's, and used


def test_the_run_key_is_this_users(make_base: MakeBase, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A key computed with another secret (another user, a forger) does not match."""
    from ipfacts.infra import cachekey

    root = make_base({"h.yaml": HUZHOU_FACTS})
    cache = RunFiles.for_root(root)
    mine = runcache.run_key(root, cache, "x")
    monkeypatch.setattr(cachekey, "secret", lambda: b"k" * 32)
    assert mine is not None and runcache.run_key(root, cache, "x") not in (None, mine)
    monkeypatch.setattr(cachekey, "secret", lambda: None)
    assert runcache.run_key(root, cache, "x") is None  # no secret: no cache at all
