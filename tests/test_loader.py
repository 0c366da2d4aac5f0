"""Hand-made broken fact bases, one per kind of bad input: exit 2, file:line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app

from conftest import HUZHOU_FACTS, MakeBase

runner = CliRunner()


def run_check(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["check", "--root", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


GOOD_FACT = """\
  valid_invention:
    metric: patent.invention.valid
    value: 21579件
    line: 56
    quote: 全市有效发明21579件
"""


def with_fact(extra: str) -> str:
    return "source: huzhou-2024\nfacts:\n" + GOOD_FACT + extra


@pytest.mark.parametrize(
    ("fact_file", "expected"),
    [
        ("source: huzhou-2024\nfacts:\n  a: [unclosed\n", "facts/h.yaml:4: L001 invalid-yaml"),
        (with_fact("  valid_invention:\n    value: 1件\n    line: 1\n    quote: x\n"),
         "facts/h.yaml:8: L002 duplicate-key: duplicate key 'valid_invention' (first at line 3)"),
        (with_fact("  b:\n    value: 1件\n    line: 1\n    qoute: x\n"),
         "facts/h.yaml:11: L003 unknown-field: unknown field 'qoute' in fact 'b' (did you mean 'quote'?)"),
        (with_fact("  b:\n    value: 1件\n    line: 1\n    quote: [x]\n"),
         "facts/h.yaml:11: L004 wrong-type: 'quote' must be text"),
        (with_fact("  b:\n    value: 1件\n    line: 1\n"), "facts/h.yaml:9: L005 missing-field: fact 'b' has no 'quote'"),
        (with_fact("  b:\n    value: 5%\n    line: 57\n    quote: 5%\n    growth_of: valid_inventoin\n"),
         "facts/h.yaml:12: L006 dangling-reference: growth_of of 'b': unknown fact 'h/valid_inventoin' "
         "(did you mean 'h/valid_invention'?)"),
        (with_fact("  b:\n    metric: patent.grant\n    value: 5件\n    line: 1\n    quote: x\n"),
         "facts/h.yaml:9: L006 dangling-reference: unknown metric 'patent.grant'"),
        ("source: huzhou-2042\nfacts: {}\n", "facts/h.yaml:1: L006 dangling-reference: unknown source 'huzhou-2042' "
                                             "(did you mean 'huzhou-2024'?)"),
        (with_fact("  b:\n    value: 1,2件\n    line: 1\n    quote: x\n"),
         "facts/h.yaml:9: L010 bad-value: fact 'b': '1,2件': '1,2' is not a valid number"),
        (with_fact("  b:\n    value: 5件\n    line: 7-3\n    quote: x\n"), "facts/h.yaml:10: L011 bad-line"),
        (with_fact("  Bad-Key:\n    value: 5件\n    line: 1\n    quote: x\n"), "facts/h.yaml:8: L012 bad-key"),
        (with_fact("  b:\n    value: 5%\n    line: 1\n    quote: x\n    share_of: [valid_invention]\n"),
         "facts/h.yaml:12: L014 bad-relation: 'share_of' takes exactly two facts"),
        (with_fact("  b:\n    metric: patent.invention.valid\n    value: 5家\n    line: 1\n    quote: x\n"),
         "facts/h.yaml:10: L010 bad-value: fact 'b': unit 家 does not fit metric 'patent.invention.valid'"),
    ],
    ids=["yaml", "duplicate", "unknown-field", "wrong-type", "missing-field", "dangling-fact", "dangling-metric",
         "dangling-source", "bad-value", "bad-line", "bad-key", "bad-relation", "metric-unit"],
)
def test_each_kind_of_bad_fact_file_exits_2_with_file_and_line(make_base: MakeBase, fact_file: str, expected: str) -> None:
    root = make_base({"h.yaml": fact_file})
    code, output = run_check(root)
    assert code == 2
    assert expected in output
    assert "Traceback" not in output


def write_sources(root: Path, text: str) -> None:
    (root / "facts" / "sources.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("file_line", "expected"),
    [
        ("file: /etc/passwd", "L007 unsafe-path: source path '/etc/passwd' must be relative"),
        ("file: ../seeds/x.txt", "L007 unsafe-path"),
        ("file: seeds/nope.txt", "L008 missing-source-file: source file 'seeds/nope.txt' does not exist"),
        ("file: seeds/latin1.txt", "L009 source-not-utf8"),
    ],
)
def test_bad_source_paths(make_base: MakeBase, file_line: str, expected: str) -> None:
    root = make_base({})
    (root / "seeds" / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    write_sources(root, f"x:\n  {file_line}\n  sha256: abc\n")
    code, output = run_check(root)
    assert code == 2
    assert f"facts/sources.yaml:2: {expected}" in output


def test_a_symlink_out_of_the_root_is_unsafe(make_base: MakeBase, tmp_path: Path) -> None:
    root = make_base({})
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (root / "seeds" / "link.txt").symlink_to(outside)
    write_sources(root, "x:\n  file: seeds/link.txt\n  sha256: abc\n")
    code, output = run_check(root)
    assert code == 2 and "resolves outside the fact base root" in output


def test_missing_sources_yaml(make_base: MakeBase) -> None:
    root = make_base({})
    (root / "facts" / "sources.yaml").unlink()
    code, output = run_check(root)
    assert code == 2 and "facts/sources.yaml:1: L013 missing-file" in output


def test_no_facts_directory(tmp_path: Path) -> None:
    code, output = run_check(tmp_path)
    assert code == 2 and "L013" in output and "no facts/ directory" in output


def test_every_problem_is_reported_in_one_run(make_base: MakeBase) -> None:
    root = make_base({
        "a.yaml": with_fact("  b:\n    value: 1,2件\n    line: 1\n    quote: x\n"),
        "b.yaml": "source: huzhou-2024\nfacts:\n  c:\n    value: 5件\n    lines: 3\n    quote: x\n",
        "c.yaml": "facts: [oops\n",
    })
    code, output = run_check(root)
    assert code == 2
    assert "facts/a.yaml:9: L010" in output
    assert "facts/b.yaml:5: L003" in output
    assert "facts/c.yaml:" in output and "L001" in output
    assert "3 problem(s)" in output or "4 problem(s)" in output


def test_non_utf8_fact_file(make_base: MakeBase) -> None:
    root = make_base({})
    (root / "facts" / "bad.yaml").write_bytes(b"source: x\nfacts:\n  a: \xff\n")
    code, output = run_check(root)
    assert code == 2 and "facts/bad.yaml:3: L001 invalid-yaml: not UTF-8 text" in output


def test_yaml_scalars_are_kept_as_written(make_base: MakeBase) -> None:
    from ipfacts.load.loader import load

    root = make_base({"h.yaml": "source: huzhou-2024\nfacts:\n  share:\n    value: 93.30\n    unit: '%'\n"
                                "    line: 57\n    quote: 占比93.3%\n"})
    fact = load(root).facts["h/share"]
    assert fact.value.literal == "93.30" and fact.value.decimals == 2


def test_clean_base_loads_and_ids_follow_the_file_path(make_base: MakeBase) -> None:
    from ipfacts.load.loader import load

    root = make_base({"cities/huzhou-2024.yaml": HUZHOU_FACTS})
    base = load(root)
    assert "cities/huzhou-2024/valid_invention_enterprise_share" in base.facts
    fact = base.facts["cities/huzhou-2024/valid_invention"]
    assert (fact.region, fact.period, fact.lang, fact.where.line) == ("湖州", "2024", "zh", 3)


def test_a_broken_fact_is_reported_once_not_at_every_reference(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": with_fact("  b:\n    value: 1,2件\n    line: 1\n    quote: x\n"
                                          "  c:\n    value: 5%\n    line: 1\n    quote: 5%\n    growth_of: b\n")})
    code, output = run_check(root)
    assert code == 2
    assert "L010" in output and "L006" not in output and "1 problem(s)" in output
