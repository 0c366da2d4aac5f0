"""Building in a forked child while the parent warms up: results, exceptions and output cross intact,
and a PDF brief comes out the same whether or not the work was split."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from ipfacts.infra.forked import ChildFailed, build_while_warming, can_fork
from ipfacts.render.brief.errors import BriefError

from conftest import REPO, MakeBase

pytestmark = pytest.mark.skipif(not can_fork(), reason="forking is used on Linux only")


def test_the_child_builds_while_the_parent_warms_up() -> None:
    warmed: list[int] = []
    built_in = build_while_warming(os.getpid, lambda: warmed.append(os.getpid()))
    assert warmed == [os.getpid()] and built_in != os.getpid()


def test_exceptions_cross_with_their_type_and_exit_codes_with_their_code() -> None:
    def unknown_city() -> None:
        raise BriefError("unknown city '不存在'")

    with pytest.raises(BriefError, match="unknown city '不存在'"):
        build_while_warming(unknown_city, lambda: None)

    def exits() -> None:
        raise typer.Exit(2)

    with pytest.raises(typer.Exit) as caught:
        build_while_warming(exits, lambda: None)
    assert caught.value.exit_code == 2


def test_an_exception_that_cannot_be_pickled_still_reports_its_text() -> None:
    class Local(Exception):  # defined in a function: pickle cannot find it again
        pass

    def fails() -> None:
        raise Local("the cause")

    with pytest.raises(RuntimeError, match="the cause"):
        build_while_warming(fails, lambda: None)


def test_a_child_that_dies_is_reported_not_waited_for_forever() -> None:
    with pytest.raises(ChildFailed, match="ended without a result"):
        build_while_warming(lambda: os._exit(9), lambda: None)


def test_without_real_output_streams_the_work_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # as under click's CliRunner: no file descriptor
    assert not can_fork()
    assert build_while_warming(os.getpid, lambda: None) == os.getpid()


def _report(root: Path, out: Path, *extra: str, fork: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "IPFACTS_NO_FORK"}
    if not fork:
        env["IPFACTS_NO_FORK"] = "1"
    return subprocess.run([sys.executable, "-m", "ipfacts", "report", "--root", str(root), "-o", str(out), *extra],
                          capture_output=True, text=True, env=env, cwd=root)


def test_pdf_brief_is_the_same_split_or_not(tmp_path: Path) -> None:
    split, serial = tmp_path / "split.pdf", tmp_path / "serial.pdf"
    for out, fork in ((split, True), (serial, False)):
        result = _report(REPO, out, "--city", "宁波", fork=fork)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "" and "Traceback" not in result.stderr
    texts = [subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True, check=True).stdout
             for p in (split, serial)]
    assert texts[0] == texts[1] and "宁波知识产权对比简报" in texts[0]


def test_errors_in_the_child_read_exactly_as_without_it(make_base: MakeBase, tmp_path: Path) -> None:
    unknown = [_report(REPO, tmp_path / "x.pdf", "--city", "不存在", fork=f) for f in (True, False)]
    assert unknown[0].returncode == unknown[1].returncode == 2
    assert unknown[0].stderr == unknown[1].stderr
    assert unknown[0].stderr.count("ipfacts: unknown city '不存在'") == 1

    broken = make_base({"broken.yaml": "source: huzhou-2024\nfacts:\n  - id: a\n    value: [1\n"},
                       sources=["huzhou-2024"])
    failed = [_report(broken, tmp_path / "y.pdf", "--city", "湖州", fork=f) for f in (True, False)]
    assert failed[0].returncode == failed[1].returncode == 2
    assert (failed[0].stdout, failed[0].stderr) == (failed[1].stdout, failed[1].stderr)
    assert "broken.yaml:" in failed[0].stderr and "Traceback" not in failed[0].stderr
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()
