"""`-o` never replaces a hand-written file, a device or a folder; atomic writes leave nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.infra.atomic import TMP_MARK, remove_stale, write_atomic
from ipfacts.infra.outputs import OutputRefused, check_output

from conftest import REPO, MakeBase, interruptible

runner = CliRunner()


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(app, list(args))
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".ipfacts-cache" not in p.parts}


@pytest.mark.parametrize("args", [
    ["check", "--format", "json", "-o", "facts/huzhou-2024.yaml"],
    ["report", "--city", "湖州", "--format", "md", "-o", "facts/huzhou-2024.yaml"],
    ["export", "-o", "seeds/000_ef14d01db3a9c97a.csv"],
    ["export", "-o", "seeds/000_ef14d01db3a9c97a.txt"],
    ["check", "--format", "junit", "-o", "facts/reviews.yaml"],
    ["check", "--format", "json", "-o", "facts/sources.yaml"],
    ["check", "--format", "html", "-o", "facts/new-report.html"],
    ["check", "--format", "json", "-o", "seeds/000_ef14d01db3a9c97a.txt"],
    ["scaffold", "huzhou-2024", "-o", "facts/huzhou-2024.yaml"],
    ["schema", "-o", "facts/metrics.yaml"],
])
def test_output_never_replaces_a_hand_written_file(huzhou_base: Path, args: list[str]) -> None:
    (huzhou_base / "facts" / "reviews.yaml").write_text("{}\n", encoding="utf-8")
    before = snapshot(huzhou_base)
    code, output = invoke(*args, "--root", str(huzhou_base), cwd=huzhou_base) if args[0] != "schema" else \
        invoke(*args, cwd=huzhou_base)
    assert code == 2, output
    assert "cannot write" in output or "exists" in output or "does not write" in output
    assert snapshot(huzhou_base) == before


def test_output_refuses_a_source_document_outside_seeds(make_base: MakeBase) -> None:
    root = make_base({})
    (root / "docs").mkdir()
    (root / "seeds" / "000_ef14d01db3a9c97a.txt").rename(root / "docs" / "huzhou.txt")
    sources = root / "facts" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("seeds/000_ef14d01db3a9c97a.txt", "docs/huzhou.txt"),
                       encoding="utf-8")
    before = (root / "docs" / "huzhou.txt").read_bytes()
    with pytest.raises(OutputRefused, match="source document"):
        check_output(root / "docs" / "huzhou.txt", root)
    code, output = invoke("check", "--root", str(root), "--format", "json", "-o", str(root / "docs" / "huzhou.txt"))
    assert code == 2 and "source document" in output
    assert (root / "docs" / "huzhou.txt").read_bytes() == before
    # the same file by another name (a hard link), and a named document not there yet, are refused as well
    os.link(root / "docs" / "huzhou.txt", root / "docs" / "alias.txt")
    with pytest.raises(OutputRefused, match="source document"):
        check_output(root / "docs" / "alias.txt", root)
    (root / "docs" / "huzhou.txt").unlink()
    (root / "docs" / "alias.txt").unlink()
    with pytest.raises(OutputRefused, match="source document"):
        check_output(root / "docs" / "huzhou.txt", root)
    assert check_output(root / "docs" / "other.txt", root).real == root / "docs" / "other.txt"


@pytest.mark.parametrize("target", ["/dev/stdout", "/dev/null", "/dev/full"])
def test_output_refuses_devices_and_stdout_links(huzhou_base: Path, target: str) -> None:
    if not os.path.lexists(target):
        pytest.skip(f"no {target} here")
    kind = os.lstat(target).st_mode
    code, output = invoke("check", "--root", str(huzhou_base), "--format", "json", "-o", target)
    assert code == 2 and "cannot write" in output and "leave out -o" in output
    assert os.lstat(target).st_mode == kind  # the device node or link is still what it was


def test_output_refuses_a_fifo_and_a_directory(huzhou_base: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, output = invoke("check", "--root", str(huzhou_base), "--format", "json", "-o", str(fifo))
    assert code == 2 and "FIFO" in output
    assert fifo.is_fifo()
    folder = tmp_path / "folder.json"
    folder.mkdir()
    code, output = invoke("export", "--root", str(huzhou_base), "-o", str(folder), "--format", "json")
    assert code == 2 and "directory" in output and folder.is_dir()


def test_output_writes_through_a_link_only_to_an_allowed_target(huzhou_base: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    code, _ = invoke("check", "--root", str(huzhou_base), "--format", "json", "-o", str(link))
    assert code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)  # the link stays a link
    assert target.read_text(encoding="utf-8").startswith("{")
    fact_file = huzhou_base / "facts" / "huzhou-2024.yaml"
    before = fact_file.read_bytes()
    sneaky = tmp_path / "sneaky.json"
    sneaky.symlink_to(fact_file)
    code, output = invoke("check", "--root", str(huzhou_base), "--format", "json", "-o", str(sneaky))
    assert code == 2 and "a link to" in output
    assert fact_file.read_bytes() == before and sneaky.is_symlink()
    into_facts = tmp_path / "into-facts.json"
    into_facts.symlink_to(huzhou_base / "facts" / "new.json")  # dangling, but its target is inside facts/
    code, output = invoke("check", "--root", str(huzhou_base), "--format", "json", "-o", str(into_facts))
    assert code == 2 and not (huzhou_base / "facts" / "new.json").exists()


def test_scaffold_may_draft_a_new_file_in_facts_but_never_replace_one(huzhou_base: Path) -> None:
    draft = huzhou_base / "facts" / "draft.yaml"
    code, output = invoke("scaffold", "huzhou-2024", "--root", str(huzhou_base), "-o", str(draft))
    assert code == 0, output
    written = draft.read_bytes()
    code, output = invoke("scaffold", "huzhou-2024", "--root", str(huzhou_base), "-o", str(draft))
    assert code == 2 and "exists" in output and draft.read_bytes() == written


@pytest.mark.parametrize("args", [["check", "--format", "json"], ["check", "--format", "junit"],
                                  ["check", "--format", "github"], ["check", "--format", "html"], ["check"],
                                  ["export"], ["export", "--format", "json"], ["report", "--city", "湖州", "--format", "md"],
                                  ["export", "--format", "sqlite"]])
def test_an_earlier_output_of_ours_is_replaced(huzhou_base: Path, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / ("out.csv" if args == ["export"] else "out.db" if "sqlite" in args
                      else "out.json" if args[0] == "export" else "out.txt")
    for _ in range(2):  # the second run replaces what the first wrote
        code, output = invoke(*args, "--root", str(huzhou_base), "-o", str(out))
        assert code == 0, output


@pytest.mark.parametrize("name", ["README.md", "notes.txt", "pyproject.toml", "report.json", "cli.py"])
def test_a_file_that_is_not_ours_is_never_replaced(huzhou_base: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    out.write_text('# hand-written notes on ipfacts\n{"mine": true}\n', encoding="utf-8")
    for args in (["check", "--format", "json"], ["report", "--city", "湖州", "--format", "md"], ["export"]):
        code, output = invoke(*args, "--root", str(huzhou_base), "-o", str(out))
        assert code == 2 and ("not an earlier ipfacts output" in output or "does not write" in output), output
    assert out.read_text(encoding="utf-8") == '# hand-written notes on ipfacts\n{"mine": true}\n'
    readme = REPO / "README.md"
    before = readme.read_bytes()
    code, output = invoke("check", "--root", str(huzhou_base), "--format", "json", "-o", str(readme))
    assert code == 2 and readme.read_bytes() == before


def test_a_database_that_is_not_ours_is_never_replaced(huzhou_base: Path, tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    pytest.importorskip("sqlite_utils")
    out = tmp_path / "mine.db"
    with closing(sqlite3.connect(out)) as db, db:  # closing: a connection's own `with` only commits
        db.execute("CREATE TABLE notes (text TEXT)")
        db.execute("INSERT INTO notes VALUES ('hand-made')")
    before = out.read_bytes()
    code, output = invoke("export", "--root", str(huzhou_base), "-o", str(out))
    assert code == 2 and "not an earlier ipfacts output" in output, output
    assert out.read_bytes() == before
    code, output = invoke("export", "--root", str(huzhou_base), "-o", str(tmp_path / "new.sqlite3"))
    assert code == 0 and (tmp_path / "new.sqlite3").read_bytes().startswith(b"SQLite format 3\x00"), output
    code, output = invoke("export", "--root", str(huzhou_base), "--format", "csv", "-o", str(tmp_path / "x.db"))
    assert code == 2 and "does not fit" in output, output


def test_atomic_write_leaves_no_temporary_file_on_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("before", encoding="utf-8")

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        write_atomic(target, "after")
    assert target.read_text(encoding="utf-8") == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_atomic_write_removes_its_temporary_file_on_a_signal(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "out.json"
    target.write_text("before", encoding="utf-8")
    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(REPO)!r})
        from ipfacts.infra import atomic
        def slow(fd):
            print("writing", flush=True)
            time.sleep(30)
        os.fsync = slow
        atomic.write_atomic({str(target)!r}, "after")
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          preexec_fn=interruptible) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"writing"
        assert any(TMP_MARK in p.name for p in tmp_path.iterdir())  # the temporary file is there while writing
        proc.send_signal(signum)
        status = proc.wait(timeout=20)
    assert status != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert target.read_text(encoding="utf-8") == "before"


def test_a_killed_runs_temporary_file_is_ignored_by_git_and_removed_next_time(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    target = tmp_path / "out.json"
    stale = tmp_path / f".out.json{TMP_MARK}{dead.pid}.abcd1234"
    stale.write_text("partial", encoding="utf-8")
    alive = tmp_path / f".out.json{TMP_MARK}{os.getpid()}.ffff0000"  # a run still writing: left alone
    alive.write_text("partial", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    reused = tmp_path / f".out.json{TMP_MARK}1.0000aaaa"  # pid 1 is alive, but the file is two days old
    reused.write_text("partial", encoding="utf-8")
    os.utime(reused, (old - 2 * 86400, old - 2 * 86400))
    write_atomic(target, "new")
    assert not stale.exists() and not reused.exists()
    assert alive.exists() and target.read_text(encoding="utf-8") == "new"
    remove_stale(target)
    assert alive.exists()
    ignored = subprocess.run(["git", "check-ignore", "-q", f"facts/.huzhou-2024.yaml{TMP_MARK}123.abcd"], cwd=REPO)
    assert ignored.returncode == 0, ".gitignore must ignore the temporary files of a killed run"


def test_writing_many_files_into_one_folder_lists_it_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Linear in the number of files: a cache of thousands of entries is not swept once per entry."""
    from ipfacts.infra import atomic

    listed: list[str] = []
    real = os.listdir

    def counting(path: Any) -> list[str]:
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(atomic.os, "listdir", counting)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".other.json{TMP_MARK}{dead.pid}.abcd1234"  # a killed run's, beside another target
    stale.write_text("partial", encoding="utf-8")
    for n in range(500):
        write_atomic(tmp_path / f"entry-{n}.json", str(n), durable=False)
    assert listed.count(str(tmp_path)) == 1
    assert not stale.exists()  # the one sweep removed it
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"entry-{n}.json" for n in range(500))
