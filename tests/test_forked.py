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


# --- split_iter: the later jobs done by a child, the results those of the plain loop ------------------------------

def _with_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under pytest's capture the output streams are not real files; the split itself does not print."""
    from ipfacts.infra import forked

    monkeypatch.setattr(forked, "can_fork", lambda: True)


def test_split_iter_gives_the_plain_loops_results_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from ipfacts.infra.forked import split_iter

    _with_fork(monkeypatch)
    items = list(range(10))
    results = list(split_iter(lambda i: (i * i, os.getpid()), items, [1] * 10, minimum=5, share=0.4))
    assert [square for square, _ in results] == [i * i for i in items]
    workers = [pid for _, pid in results]
    assert workers[:4] == [os.getpid()] * 4  # the first 40 % here
    assert len(set(workers[4:])) == 1 and workers[4] != os.getpid()  # the rest by one child


def test_split_iter_stays_in_one_process_below_the_minimum_or_without_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    from ipfacts.infra import forked

    assert {pid for pid in forked.split_iter(lambda _: os.getpid(), range(6), [1] * 6, minimum=7)} == {os.getpid()}
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert {pid for pid in forked.split_iter(lambda _: os.getpid(), range(6), [1] * 6, minimum=1)} == {os.getpid()}


def test_a_failing_child_only_means_the_parent_does_its_share(monkeypatch: pytest.MonkeyPatch) -> None:
    from ipfacts.infra.forked import split_iter

    _with_fork(monkeypatch)
    parent = os.getpid()

    def fails_in_the_child(i: int) -> int:
        if os.getpid() != parent:
            raise MemoryError("the child ran out")
        return i + 1

    assert list(split_iter(fails_in_the_child, list(range(8)), [1] * 8, minimum=1)) == list(range(1, 9))

    def not_plain_data(i: int) -> object:  # marshal cannot carry it back: done again here
        return {i} if os.getpid() == parent else object()

    assert list(split_iter(not_plain_data, list(range(4)), [1] * 4, minimum=1)) == [{0}, {1}, {2}, {3}]


def test_stopping_early_ends_and_reaps_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from ipfacts.infra.forked import split_iter

    _with_fork(monkeypatch)
    forked: list[int] = []
    fork = os.fork

    def recording_fork() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)
    results = split_iter(lambda i: time.sleep(30) if i else 0, [0, 1], [1, 1], minimum=1)
    assert next(results) == 0
    started = time.monotonic()
    results.close()  # as when the caller raises: the sleeping child is killed, not waited for
    assert time.monotonic() - started < 5 and len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # already reaped: no child left behind


def _check(root: Path, *extra: str, fork: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "IPFACTS_NO_FORK"}
    if not fork:
        env["IPFACTS_NO_FORK"] = "1"
    return subprocess.run([sys.executable, "-m", "ipfacts", "--verbose", "check", "--root", str(root), "--format",
                           "json", *extra], capture_output=True, text=True, env=env, cwd=root)


def test_a_large_base_checks_the_same_split_or_not_cold_or_warm(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    root = tmp_path / "base"
    made = generate(root, 14_000, seed=3)
    last = sorted((root / "facts").glob("s0*.yaml"))[-1]  # parsed by the child: its error must cross intact
    last.write_text(last.read_text(encoding="utf-8") + "  broken: [1\n", encoding="utf-8")
    serial = _check(root, "--no-cache", fork=False)
    assert serial.returncode == 2 and "by a second process" not in serial.stderr
    assert f"facts/{last.name}" in serial.stdout and "L001" in serial.stdout
    split = _check(root, "--no-cache")  # a load failure: the summary of what was read is not printed
    assert (split.returncode, split.stdout) == (serial.returncode, serial.stdout)

    last.write_text(last.read_text(encoding="utf-8").replace("  broken: [1\n", ""), encoding="utf-8")
    reference = _check(root, "--no-cache", fork=False)
    assert reference.returncode == 1 and made["planted"] > 0
    cold = _check(root)  # writes the cache, half of it from the child
    files = len(list((root / "facts").glob("s0*.yaml")))
    assert f"{files + 2} parsed" in cold.stderr and "by a second process" in cold.stderr  # + sources, metrics
    first = sorted((root / "facts").glob("s0*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")  # the run cache misses
    warm = _check(root)  # every other file from the cache, read back by both processes
    assert "1 parsed" in warm.stderr and "by a second process" in warm.stderr
    for run in (split, cold, warm):
        assert "Traceback" not in run.stderr
    for run in (cold, warm):  # the citations and three relation kinds too, by the child
        assert "were checked by a second process" in run.stderr
    assert "were checked by a second process" not in reference.stderr
    assert cold.stdout == warm.stdout == reference.stdout


def test_a_child_that_dies_is_done_again_here_when_asked() -> None:
    parent = os.getpid()

    def dies_in_the_child() -> int:
        if os.getpid() != parent:
            os._exit(9)
        return 7

    from ipfacts.infra.forked import run_beside

    assert run_beside(dies_in_the_child, lambda: 8, redo=True) == (7, 8)
    with pytest.raises(ChildFailed):
        run_beside(dies_in_the_child, lambda: 8)
