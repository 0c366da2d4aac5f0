"""Bad inputs of every kind end in a message (exit 2, file:line), never an internal error, a hang or a leak."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.load import loader
from ipfacts.load.loader import LoadFailed, load

from conftest import HUZHOU_FACTS, MakeBase, hang_guard

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def check(root: Path, *args: str) -> tuple[int, str]:
    return run("check", "--root", str(root), "--no-cache", *args)


def one_fact(**fields: str) -> str:
    base = {"value": "21579件", "line": "56", "quote": "全市有效发明21579件"}
    base.update(fields)
    body = "".join(f"    {k}: {v}\n" for k, v in base.items())
    return f"source: huzhou-2024\nfacts:\n  valid_invention:\n{body}"


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize(("text", "expected"), [
    ('source: huzhou-2024\nfacts:\n  "": x\n', "facts/x.yaml:3: L001 invalid-yaml: an empty mapping key"),
    ("facts: " + "[" * 800 + "]" * 800 + "\n", "facts/x.yaml:1: L016 too-deep"),
    ("facts: &l [*l]\n", "facts/x.yaml:1: L015 alias-budget: a recursive alias"),
    (BOMB, "L015 alias-budget: aliases (*name) expand to more than"),
    (one_fact(value="!!python/name:os.system 1件"), "facts/x.yaml:4: L019 yaml-tag"),
    (one_fact(value="!custom 21579件"), "facts/x.yaml:4: L019 yaml-tag"),
    (one_fact(line='"²"'), "facts/x.yaml:5: L011 bad-line"),
    (one_fact(line='"①"'), "facts/x.yaml:5: L011 bad-line"),
    (one_fact(line="9" * 5000), "facts/x.yaml:5: L011 bad-line"),
    (one_fact(period='"²"'), "facts/x.yaml:7: L022 bad-period"),
    ("source: huzhou-2024\nperiod: '²'\nfacts: {}\n", "facts/x.yaml:2: L022 bad-period"),
    ("source: huzhou-2024\ngroups:\n  - period: '２０２４'\n    facts: {}\n", "facts/x.yaml:3: L022 bad-period"),
    (one_fact(value="1" + "0" * 400 + "件"), "facts/x.yaml:4: L018 too-many-digits"),
    (one_fact(value="1" * 1_000_001), "facts/x.yaml:4: L018 too-many-digits"),
    (one_fact(value="123456789012345678901234567件"), "facts/x.yaml:4: L018 too-many-digits"),
])
def test_bad_yaml_and_values_are_load_errors_with_file_and_line(make_base: MakeBase, text: str, expected: str) -> None:
    root = make_base({"x.yaml": text})
    with hang_guard():  # an alias bomb is refused (L015), not expanded
        code, output = check(root)
    assert code == 2, output
    assert expected in output


def test_a_27_digit_part_cannot_reach_the_arithmetic(make_base: MakeBase) -> None:
    facts = HUZHOU_FACTS + ("  part_a:\n    value: 123456789012345678901234567件\n    line: 56\n    quote: x\n"
                            "  total:\n    value: 5件\n    line: 56\n    quote: x\n    sum_of: [part_a, valid_invention]\n")
    code, output = check(make_base({"huzhou-2024.yaml": facts}))
    assert code == 2 and "L018 too-many-digits" in output


def test_the_largest_values_allowed_still_check_and_render(make_base: MakeBase, tmp_path: Path) -> None:
    big = "999999999999999999"
    # a made-up document holding the figures, so that every citation is verified and the brief prints them
    line = f"甲{big}万亿元，乙0.00000000000000001亿元，丙{big}万亿元，丁50%，戊12%"
    facts = (f"source: huzhou-2024\nregion: 湖州\nfacts:\n"
             f"  a:\n    metric: pledge.amount\n    value: {big}万亿元\n    line: 1\n    quote: 甲{big}万亿元\n"
             f"  b:\n    metric: pledge.amount\n    value: 0.00000000000000001亿元\n    line: 1\n"
             f"    quote: 乙0.00000000000000001亿元\n"
             f"  c:\n    metric: pledge.amount\n    value: {big}万亿元\n    line: 1\n    quote: 丙{big}万亿元\n"
             f"    sum_of: [a, b]\n"
             f"  d:\n    value: 50%\n    line: 1\n    quote: 丁50%\n    share_of: [b, a]\n"
             f"  e:\n    value: 12%\n    line: 1\n    quote: 戊12%\n    growth_of: a\n")
    root = make_base({"huzhou-2024.yaml": facts})
    import hashlib

    seed = next((root / "seeds").glob("000_*.txt"))
    seed.write_text(line + "\n", encoding="utf-8")
    sources = root / "facts" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    old = text.split("sha256: ", 1)[1].split("\n", 1)[0]
    sources.write_text(text.replace(old, hashlib.sha256(seed.read_bytes()).hexdigest()), encoding="utf-8")
    for fmt in ("text", "json", "github", "junit", "html"):
        code, output = check(root, "--format", fmt)
        assert code == 1, output
    code, output = run("report", "--root", str(root), "--city", "湖州", "-o", str(tmp_path / "b.md"))
    assert code in (0, 1), output
    assert "nan" not in "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.svg"))


def test_a_bar_for_a_figure_past_float_range_is_drawn() -> None:
    from decimal import Decimal

    from ipfacts.render.brief.assemble import Bar
    from ipfacts.render.brief.charts import bar_panel

    svg = bar_panel("t", [Bar("a", Decimal("1e309"), "1e309", True), Bar("b", Decimal(5), "5", False),
                          Bar("c", Decimal("-1e400"), "-1e400", False)])
    assert "nan" not in svg and "inf" not in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert len(widths) == 3 and max(widths) > 100  # the bar past float range is drawn, at full length


def test_a_file_past_the_size_limit_is_refused(make_base: MakeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipfacts.load import yamlnodes

    monkeypatch.setattr(yamlnodes, "MAX_FILE_BYTES", 100)
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    code, output = check(root)
    assert code == 2 and "facts/huzhou-2024.yaml:1: L017 file-too-large" in output


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/passwd"])
def test_a_fact_file_linking_out_of_the_root_is_not_read(make_base: MakeBase, target: str) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    (root / "facts" / "leak.yaml").symlink_to(target)
    code, output = check(root)
    assert code == 2 and "facts/leak.yaml:1: L020 not-a-regular-file" in output
    assert "root:x:0:0" not in output and "\x00" not in output  # nothing of the target's content


def test_a_fifo_fact_file_is_refused_without_waiting(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    os.mkfifo(root / "facts" / "x.yaml")
    with hang_guard():  # with the cache: its key reads every file too
        code, output = run("check", "--root", str(root))
    assert code == 2 and "facts/x.yaml:1: L020" in output and "FIFO" in output


@pytest.mark.parametrize("kind", ["fifo", "outside", "folder"])
def test_units_txt_is_read_like_every_file_of_the_base(make_base: MakeBase, tmp_path: Path, kind: str) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    units_txt = root / "facts" / "units.txt"
    if kind == "fifo":
        os.mkfifo(units_txt)
    elif kind == "folder":
        units_txt.mkdir()
    else:
        (tmp_path / "elsewhere.txt").write_text("分 = [score]\n", encoding="utf-8")
        units_txt.symlink_to(tmp_path / "elsewhere.txt")
    with hang_guard():
        code, output = run("check", "--root", str(root))
    assert code == 2 and "facts/units.txt:1: L020" in output, output


@pytest.mark.parametrize("kind", ["fifo", "outside"])
def test_regions_yaml_is_read_like_every_file_of_the_base(make_base: MakeBase, tmp_path: Path, kind: str) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    regions = root / "facts" / "regions.yaml"
    if kind == "fifo":
        os.mkfifo(regions)
    else:
        (tmp_path / "elsewhere.yaml").write_text("regions:\n  湖州: {in: 浙江省}\n", encoding="utf-8")
        regions.symlink_to(tmp_path / "elsewhere.yaml")
    with hang_guard():
        code, output = run("report", "--root", str(root), "--city", "湖州", "-o", str(tmp_path / "b.md"))
    assert code == 2 and "facts/regions.yaml:1:" in output and ("FIFO" in output or "outside" in output), output
    assert not (tmp_path / "b.md").exists()


def test_a_link_inside_the_root_is_fine(make_base: MakeBase) -> None:
    root = make_base({"real/huzhou-2024.yaml": HUZHOU_FACTS})
    (root / "facts" / "real").rename(root / "elsewhere")
    (root / "facts" / "huzhou-2024.yaml").symlink_to(root / "elsewhere" / "huzhou-2024.yaml")
    code, output = check(root)
    assert code == 0, output


def test_an_unreadable_sub_folder_is_a_load_error(make_base: MakeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS, "sub/more.yaml": "source: huzhou-2024\nfacts: {}\n"})
    real_scandir = os.scandir

    def scandir(path: object) -> object:  # root can read anything: refuse the folder as a chmod 000 would
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(LoadFailed) as caught:
        load(root)
    assert [(p.code, str(p.location)) for p in caught.value.problems] == [("L021", "facts/sub:1")]
    assert "Permission denied" in caught.value.problems[0].message


def test_an_unreadable_source_is_a_load_error(make_base: MakeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    real_open = os.open

    def refusing(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing)
    code, output = check(root)
    assert code == 2 and "facts/sources.yaml:2: L021 unreadable" in output and "Permission denied" in output


def test_a_source_that_is_a_folder_or_a_fifo_is_a_load_error(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    seed = root / "seeds" / "000_ef14d01db3a9c97a.txt"
    seed.unlink()
    os.mkfifo(seed)
    code, output = run("check", "--root", str(root))
    assert code == 2 and "L020" in output and "FIFO" in output
    seed.unlink()
    seed.mkdir()
    code, output = check(root)
    assert code == 2 and "L020" in output and "directory" in output


def test_seeds_folder_unreadable(make_base: MakeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    (root / "seeds").rename(root / "gone")
    (root / "seeds").mkdir(mode=0)  # unreadable for everyone but root; for root the file is simply not there
    try:
        code, output = check(root)
    finally:
        (root / "seeds").chmod(0o755)
    assert code == 2 and ("L008" in output or "L021" in output)


def test_reviews_yaml_a_folder_or_a_fifo(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    (root / "facts" / "reviews.yaml").mkdir()
    for args in (["check", "--root", str(root)], ["check", "--root", str(root), "--no-cache"],
                 ["report", "--root", str(root), "--city", "湖州"], ["review", "--list", "--root", str(root)]):
        code, output = run(*args)
        assert code == 2 and "facts/reviews.yaml:1: L020" in output, (args, output)
    (root / "facts" / "reviews.yaml").rmdir()
    os.mkfifo(root / "facts" / "reviews.yaml")
    code, output = run("check", "--root", str(root))
    assert code == 2 and "FIFO" in output


def test_a_run_cache_entry_of_the_wrong_shape_is_not_used(make_base: MakeBase) -> None:
    import json

    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    code, clean = run("check", "--root", str(root), "--format", "json")
    [last] = (root / ".ipfacts-cache").glob("last-run-*.json")
    data = json.loads(last.read_text(encoding="utf-8"))
    for broken in ({"code": "X999"}, {"details": 5}, {"where": ["f", "x"]}, {"details": {"excerpts": 5}}):
        data["report"]["findings"] = [{**{"code": "C004", "severity": "error", "message": "m", "where": None,
                                          "facts": [], "citations": [], "reported": None, "expected": None,
                                          "details": {}, "review": None}, **broken}]
        last.write_text(json.dumps(data), encoding="utf-8")
        for fmt in ("text", "json", "html", "junit", "github"):
            code, output = run("check", "--root", str(root), "--format", fmt)
            assert code == 0, (broken, fmt, output)


def test_the_loader_reads_only_regular_files(tmp_path: Path) -> None:
    from ipfacts.infra.safefiles import UnsafeFile, read_regular

    with pytest.raises(UnsafeFile, match="device"):
        read_regular(Path("/dev/zero"), 100)
    (tmp_path / "f").write_bytes(b"x" * 101)
    with pytest.raises(UnsafeFile, match="larger"):
        read_regular(tmp_path / "f", 100)
    assert read_regular(tmp_path / "f", 101) == b"x" * 101


def test_fact_file_walk_reports_a_folder_link_out_of_the_root(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    (root / "facts" / "etc").symlink_to("/etc")
    paths, problems = loader.fact_files_found(root)
    assert [p.name for p in paths] == ["huzhou-2024.yaml"]
    assert [(code, path.name) for path, code, _ in problems] == [("L020", "etc")]


def test_link_loops_are_messages(make_base: MakeBase, tmp_path: Path) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    (root / "facts" / "loop.yaml").symlink_to("loop.yaml")
    for args in ([], ["--no-cache"]):
        code, output = check(root, *args) if args else run("check", "--root", str(root))
        assert code == 2 and "facts/loop.yaml:1: L021" in output and "symbolic links" in output
    (root / "facts" / "loop.yaml").unlink()
    sources = root / "facts" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("seeds/000_ef14d01db3a9c97a.txt", "seeds/l.txt"),
                       encoding="utf-8")
    (root / "seeds" / "l.txt").symlink_to("l.txt")
    code, output = run("check", "--root", str(root))
    assert code == 2 and "facts/sources.yaml:2:" in output
    (tmp_path / "t.j2").symlink_to("t.j2")
    code, output = run("report", "--root", str(root), "--city", "湖州", "--template", str(tmp_path / "t.j2"))
    assert code == 2
    (tmp_path / "a.json").symlink_to("b.json")
    (tmp_path / "b.json").symlink_to("a.json")
    code, output = run("check", "--root", str(root), "--format", "json", "-o", str(tmp_path / "a.json"))
    assert code == 2 and "cannot write" in output


def test_a_fact_file_name_that_is_not_utf8_is_a_message(make_base: MakeBase, tmp_path: Path) -> None:
    import subprocess
    import sys

    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    bad = os.fsencode(root / "facts") + b"/\xffbad.yaml"
    with open(bad, "wb") as handle:
        handle.write(b"source: huzhou-2024\nfacts: {}\n")
    for fmt in ("text", "json", "junit"):
        result = subprocess.run([sys.executable, "-m", "ipfacts", "check", "--root", str(root), "--format", fmt],
                                capture_output=True)
        assert result.returncode == 2, result.stderr
        assert b"facts/\\xffbad.yaml:1: L023 bad-text" in result.stderr and b"internal error" not in result.stderr


def test_a_huge_quote_or_value_is_refused_and_never_repeated_in_full(make_base: MakeBase) -> None:
    """A 5 MB quote (L026) and a 5 MB value (L010): the error lines show their start and length only."""
    huge_quote = one_fact(quote="'" + "全" * 5_000_000 + "'")
    huge_value = one_fact(value="'1件" + "x" * 5_000_000 + "'")
    for text, code in ((huge_quote, "L026 text-too-long"), (huge_value, "L010 bad-value")):
        root = make_base({"x.yaml": text})
        status, output = check(root)
        assert status == 2
        line = next(line for line in output.splitlines() if code in line)
        assert line.startswith("facts/x.yaml:")
        assert len(line) < 1000 and "5,000,00" in line and "…" in line
    status, output = check(make_base({"x.yaml": one_fact(quote="'" + "全" * 2001 + "'")}))
    assert status == 2 and "quote is 2,001 characters long" in output and "at most 2,000 are read" in output


def test_a_long_message_is_cut_with_its_length() -> None:
    from ipfacts.findings import MAX_MESSAGE, bounded, make

    value = "7" * 3_000_000
    finding = make("L010", f"fact 'a': cannot read {value!r} as a number")
    assert len(finding.message) <= MAX_MESSAGE
    assert finding.message.startswith("fact 'a': cannot read '7777") and "…[3,000,002 characters]" in finding.message
    assert bounded("short message") == "short message"


def test_the_hang_guard_fails_a_block_that_never_ends() -> None:
    """The guard the FIFO and alias-bomb tests rely on: a read of a pipe nobody writes is stopped, and fails."""
    reader, writer = os.pipe()
    try:
        with pytest.raises(AssertionError, match="still running after 1 s"), hang_guard(1):
            os.read(reader, 1)
    finally:
        os.close(reader)
        os.close(writer)
