"""The caches: faster when nothing changed, never trusted when something did."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.check import runcache
from ipfacts.cli import app
from ipfacts.load.runfiles import RunFiles
from ipfacts.review.checked import check_report

from conftest import HUZHOU_FACTS, MakeBase

runner = CliRunner()


def test_a_run_reads_each_input_once_and_keys_every_cache_on_one_digest(make_base: MakeBase, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A brief after a changed input: the check, the run cache's key and the extract's key share one read of
    each file — fact files, sources.yaml and the source documents alike."""
    from ipfacts.infra import safefiles
    from ipfacts.load import runfiles
    from ipfacts.render.brief.extract import brief_inputs

    root = make_base({"h.yaml": HUZHOU_FACTS})
    reads: list[str] = []
    real_read = safefiles.read_regular

    def counted(path: Path, *args, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
        reads.append(Path(path).name)
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(runfiles, "read_regular", counted)
    base, report, _ = brief_inputs(root)
    assert report.exit_code() == 0 and "h/valid_invention" in base.facts
    assert sorted(reads) == sorted(set(reads)) and {"h.yaml", "sources.yaml", "metrics.yaml"} <= set(reads)
    assert any(name.endswith(".txt") for name in reads)  # the source document, hashed for the keys and checked


def test_no_parsed_file_is_stored_and_old_parse_entries_are_deleted(make_base: MakeBase) -> None:
    """Parsed fact files are not cached (issue 26: it cost a cold check more than it saved); the parse entries
    earlier versions left behind are removed, not kept."""
    root = make_base({"h.yaml": HUZHOU_FACTS})
    old = root / ".ipfacts-cache" / "parse-v4-0123456789abcdef0123"
    old.mkdir(parents=True)
    (old / ("0" * 64 + ".json")).write_text("{}", encoding="utf-8")
    assert check_report(root).exit_code() == 0
    left = sorted(p.name for p in (root / ".ipfacts-cache").iterdir())
    assert left == [".gitignore", f"last-run-v{runcache.FORMAT}.json"]


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


# --- keyed on the code: a change of ipfacts itself is a miss ---------------------------------------------


def _copy_package(tmp_path: Path) -> Path:
    import shutil

    from ipfacts.infra.fingerprint import PACKAGE

    copy = tmp_path / "ipfacts"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_fingerprint_covers_every_code_and_data_file(tmp_path: Path) -> None:
    from ipfacts.infra.fingerprint import fingerprint_of, package_files

    copy = _copy_package(tmp_path)
    names = {p.relative_to(copy).as_posix() for p in package_files(copy)}
    assert {"check/relations/ratio.py", "data/units.txt", "templates/findings.html.j2"} <= names
    before = fingerprint_of(copy)
    assert fingerprint_of(copy) == before
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "x.pyc").write_bytes(b"compiled")  # compiled files do not count
    assert fingerprint_of(copy) == before
    for name in ("check/relations/ratio.py", "data/units.txt"):
        path = copy / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert fingerprint_of(copy) != before, name
        path.write_bytes(original)
    assert fingerprint_of(copy) == before


def test_changed_code_misses_both_caches(make_base: MakeBase, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The reproduction of issue 12: a relation changed to always report; the cache must not say 0 errors."""
    from ipfacts.check.relations import base as relation_base
    from ipfacts.infra import fingerprint

    root = make_base({"h.yaml": HUZHOU_FACTS})
    assert check_report(root).exit_code() == 0  # fills the run cache
    copy = _copy_package(tmp_path)
    with (copy / "check" / "relations" / "base.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# every relation is now an error\n")
    monkeypatch.setattr(fingerprint, "PACKAGE", copy)  # the "installed" code is now the edited copy
    fingerprint.code_fingerprint.cache_clear()
    monkeypatch.setattr(relation_base, "judge_pair", lambda reported, computed: "error")  # what the edit does
    try:
        report = check_report(root)
        assert report.exit_code() == 1 and report.summary()["errors"] > 0
    finally:
        fingerprint.code_fingerprint.cache_clear()


@pytest.mark.parametrize("crafted", [
    lambda r: r["findings"][0].update(code="not-a-code"),
    lambda r: r["findings"][0].update(severity="fatal"),
    lambda r: r["findings"][0].update(details={"gross": "yes"}),
    lambda r: r["findings"][0].update(details={"unknown_field": 1, "found_at": 3}),
    lambda r: r["findings"][0].update(facts=[["id", "file", "not a line", "v"]]),
    lambda r: r.update(facts_checked=-1),
    lambda r: r.update(reviews={"abc": "not a verdict"}),
    lambda r: r.update(findings={}),
    lambda r: r.pop("suspended"),
])
def test_crafted_run_cache_entries_are_ignored(make_base: MakeBase, crafted) -> None:  # type: ignore[no-untyped-def]
    import json

    root = make_base({"h.yaml": HUZHOU_FACTS.replace("value: 93.3%", "value: 93.9%")})
    honest = check_report(root)
    assert honest.exit_code() == 1
    entry = root / ".ipfacts-cache" / f"last-run-v{runcache.FORMAT}.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    crafted(data["report"])
    data["report"]["findings"] = data["report"].get("findings", [])
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert runcache.load_report(RunFiles.for_root(root), data["key"]) is None
    again = check_report(root)
    assert [(f.code, f.fingerprint) for f in again.findings] == [(f.code, f.fingerprint) for f in honest.findings]


def test_a_cached_report_keeps_reviews_and_typed_details(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": HUZHOU_FACTS.replace("value: 93.3%", "value: 93.9%")})
    first = check_report(root)
    second = check_report(root)
    assert [(f.code, f.details, f.message) for f in second.findings] == \
        [(f.code, f.details, f.message) for f in first.findings]
    assert type(second.findings[0].details) is type(first.findings[0].details)
    assert second.reviews == first.reviews and second.summary() == first.summary()


def test_every_input_file_keys_the_caches_and_a_cached_brief_keeps_the_base_units(make_base: MakeBase) -> None:
    """One list of inputs (load/inputs.py): units.txt and regions.yaml key the run cache and the brief extract
    like the fact files; facts rebuilt from the extract are read in the base's own units (issue 27: a base with
    千件 crashed every later report)."""
    from ipfacts.render.brief.extract import brief_inputs

    root = make_base({"h.yaml": HUZHOU_FACTS})
    units_txt = root / "facts" / "units.txt"
    units_txt.write_text("千件 = 1000 * 件\n", encoding="utf-8")
    keys = [runcache.run_key(root, RunFiles.for_root(root), "x")]  # a run reads each file once: one per run
    for name, text in (("units.txt", "千件 = 1000 * 件\n百件 = 100 * 件\n"), ("regions.yaml", "{}\n")):
        (root / "facts" / name).write_text(text, encoding="utf-8")
        keys.append(runcache.run_key(root, RunFiles.for_root(root), "x"))
    assert None not in keys and len(set(keys)) == 3
    first, _, _ = brief_inputs(root)
    again, _, _ = brief_inputs(root)  # from the extract written by the first
    assert list((root / ".ipfacts-cache").glob("brief-extract-v*.json"))
    for base in (first, again):
        assert base.units.factor("百件", "件") == 100
        fact = base.facts["h/valid_invention"]
        assert fact.value.units is base.units or fact.value.units == base.units
        assert fact.value.compatible("百件") and fact.value.is_exact_count
