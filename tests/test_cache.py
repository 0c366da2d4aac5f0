"""The caches: faster when nothing changed, never trusted when something did."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ipfacts.check.engine import check_report
from ipfacts.cli import app
from ipfacts.infra import runcache
from ipfacts.infra.parsecache import ParseCache
from ipfacts.load.loader import load

from conftest import HUZHOU_FACTS, MakeBase

runner = CliRunner()


def test_parse_cache_hits_on_the_second_load(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": HUZHOU_FACTS})
    first = ParseCache.for_root(root)
    load(root, first)
    second = ParseCache.for_root(root)
    base = load(root, second)
    assert first.misses == 3 and second.hits == 3 and second.misses == 0
    assert base.facts["h/valid_invention"].value.text == "21579件"


def test_an_edited_file_is_parsed_again(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": HUZHOU_FACTS})
    assert check_report(root).exit_code() == 0
    path = root / "facts" / "h.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 93.3%", "value: 93.9%"), encoding="utf-8")
    report = check_report(root)
    assert report.exit_code() == 1 and "R101" in {f.code for f in report.findings}


def test_a_changed_seed_invalidates_the_run_cache(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": HUZHOU_FACTS})
    assert check_report(root).findings == []
    seed = root / "seeds" / "000_ef14d01db3a9c97a.txt"
    seed.write_bytes(seed.read_bytes().replace(b"21579", b"21597"))
    codes = {f.code for f in check_report(root).findings}
    assert "C001" in codes and "C004" in codes


def test_damaged_cache_entries_are_ignored(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": HUZHOU_FACTS})
    check_report(root)
    for entry in (root / ".ipfacts-cache").rglob("*.*"):
        if entry.is_file() and entry.name != ".gitignore":
            entry.write_bytes(b"\x00garbage")
    assert check_report(root).exit_code() == 0


def test_no_cache_leaves_no_cache_directory(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": HUZHOU_FACTS})
    result = runner.invoke(app, ["check", "--root", str(root), "--no-cache"])
    assert result.exit_code == 0
    assert not (root / ".ipfacts-cache").exists()


def test_a_read_only_cache_location_still_checks(make_base: MakeBase, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = make_base({"h.yaml": HUZHOU_FACTS})
    blocker = root / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("IPFACTS_CACHE_DIR", str(blocker / "cache"))
    assert check_report(root).exit_code() == 0


def test_cache_directory_is_ignored_by_git(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": HUZHOU_FACTS})
    check_report(root)
    assert (root / ".ipfacts-cache" / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_cached_report_renders_identically(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": HUZHOU_FACTS.replace("value: 93.3%", "value: 93.9%")})
    first = runner.invoke(app, ["check", "--root", str(root), "--format", "json"])
    second = runner.invoke(app, ["check", "--root", str(root), "--format", "json"])
    assert first.output == second.output and first.exit_code == second.exit_code == 1
    assert Path(root / ".ipfacts-cache" / f"last-run-v{runcache.FORMAT}.json").exists()
