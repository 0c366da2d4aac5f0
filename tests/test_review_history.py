"""The review history by meaning: an undo names the line it takes back, the order is the file's (never a
clock's), a merge of two branches keeps what each editor decided; reviews.yaml stays within what the
loader reads, and `review` can repair a file that is not.

The fact bases are the real huzhou seed with facts made up for the test (see test_review.py)."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.review.verdicts import Entry, Verdict, load_reviews, merge, parse_reviews

from conftest import REPO, MakeBase
from test_review import misprint_base, open_errors

runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def review(root: Path, fingerprint: str, status: str, note: str, reviewer: str, *extra: str) -> Any:
    return invoke("review", fingerprint, "--root", str(root), "--status", status, "--note", note,
                  "--reviewer", reviewer, *extra)


def undo(root: Path, fingerprint: str, reviewer: str) -> Any:
    return invoke("review", "--undo", fingerprint, "--root", str(root), "--reviewer", reviewer)


def current(root: Path, fingerprint: str) -> Verdict | None:
    return load_reviews(root)[fingerprint].current()


# -- item 1: a merge never makes an undo take back a colleague's verdict ---------------------------------


def _git_base(make_base: MakeBase) -> tuple[Path, str, Any]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = misprint_base(make_base, 1)
    shutil.copy(REPO / ".gitattributes", root / ".gitattributes")
    fingerprint = open_errors(root)[0]["fingerprint"]
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=False)

    assert git("init", "-q", "-b", "main").returncode == 0
    git("config", "merge.ipfacts-reviews.driver", f"{sys.executable} -m ipfacts merge-reviews %O %A %B")
    return root, fingerprint, git


@pytest.mark.parametrize("merged_into", ["b", "a"])
def test_an_undo_merged_with_a_colleagues_verdict_takes_back_only_what_it_named(make_base: MakeBase,
                                                                                merged_into: str) -> None:
    """Base V1; branch b records V2 (--force); branch a undoes V1. The merge (either way) keeps V2: a's undo
    took back V1, never b's verdict."""
    root, fingerprint, git = _git_base(make_base)
    assert review(root, fingerprint, "explained", "V1: the base verdict", "Base").exit_code == 0
    git("add", "-A")
    assert git("commit", "-qm", "base").returncode == 0
    git("checkout", "-qb", "b")
    assert review(root, fingerprint, "source-error", "V2: B decides", "B", "--force").exit_code == 0
    assert git("commit", "-qam", "b").returncode == 0
    git("checkout", "-q", "main")
    git("checkout", "-qb", "a")
    taken = undo(root, fingerprint, "A")
    assert taken.exit_code == 0, taken.output
    assert current(root, fingerprint) is None  # on a, V1 is taken back: no verdict
    assert git("commit", "-qam", "a").returncode == 0
    git("checkout", "-q", merged_into)
    merged = git("merge", "-q", "--no-edit", "a" if merged_into == "b" else "b")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    entry = load_reviews(root)[fingerprint]
    assert [v.note.split(":")[0] for v in entry.verdicts if v.action == "verdict"] == ["V1", "V2"]
    assert [v.action for v in entry.verdicts].count("undo") == 1
    now = entry.current()
    assert now is not None and (now.reviewer, now.status) == ("B", "source-error")
    shown = invoke("review", "--history", fingerprint, "--root", str(root))
    assert "current: source-error by B" in shown.output
    data = invoke("check", "--root", str(root), "--no-cache", "--format", "json")
    assert '"reviewer": "B"' in data.output


def test_both_branches_deciding_keeps_both_and_says_so(make_base: MakeBase) -> None:
    root, fingerprint, git = _git_base(make_base)
    review(root, fingerprint, "explained", "V1", "Base")
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "a")
    review(root, fingerprint, "source-error", "A decides", "A", "--force")
    git("commit", "-qam", "a")
    git("checkout", "-q", "main")
    review(root, fingerprint, "false-positive", "B decides", "B", "--force")
    git("commit", "-qam", "b")
    merged = git("merge", "--no-edit", "a")
    assert merged.returncode == 0
    assert f"both branches recorded a verdict on {fingerprint}" in merged.stdout + merged.stderr
    assert sorted(v.reviewer for v in load_reviews(root)[fingerprint].verdicts) == ["A", "B", "Base"]


def _line(fp: str, who: str, note: str, at: str, action: str = "verdict", **kw: str) -> Verdict:
    return Verdict(fp, "explained" if action == "verdict" else "withdrawn", note, who, at, action, **kw)


def test_the_merge_is_by_id_and_in_the_order_recorded_whatever_the_clocks() -> None:
    fp = "ab" * 8
    v1 = _line(fp, "X", "1", "2026-12-01T10:00:00Z", id="a1a1a1a1a1a1")
    v2 = _line(fp, "B", "2", "2026-12-01T09:00:00Z", id="b2b2b2b2b2b2")  # B's clock is behind
    u = _line(fp, "A", "undo", "2030-01-01T00:00:00Z", "undo", id="c3c3c3c3c3c3", undoes=v1.id)
    base = {fp: Entry(fp, "R101", verdicts=[v1])}
    ours, theirs = {fp: Entry(fp, "R101", verdicts=[v1, v2])}, {fp: Entry(fp, "R101", verdicts=[v1, u])}
    for merged in (merge(base, ours, theirs), merge(base, theirs, ours)):
        assert merged[fp].current() == v2
        assert {v.id for v in merged[fp].verdicts} == {v1.id, v2.id, u.id}


# -- item 2: a verdict stamped in the future decides nothing ----------------------------------------------


def test_a_verdict_stamped_hours_ahead_does_not_block_later_ones(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    assert review(root, fingerprint, "explained", "colleague", "Colleague").exit_code == 0
    path = root / "facts" / "reviews.yaml"
    ahead = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    path.write_text(re.sub(r'at: "[^"]+"', f'at: "{ahead}"', path.read_text(encoding="utf-8")), encoding="utf-8")
    recorded = review(root, fingerprint, "source-error", "mine", "me", "--force")
    assert recorded.exit_code == 0 and "by me" in recorded.output
    now = current(root, fingerprint)
    assert now is not None and (now.reviewer, now.status) == ("me", "source-error")
    taken = undo(root, fingerprint, "me")
    assert taken.exit_code == 0
    assert "now: explained by Colleague" in taken.output
    now = current(root, fingerprint)
    assert now is not None and now.reviewer == "Colleague"  # the history agrees with what was printed
    lines = load_reviews(root)[fingerprint].verdicts
    assert lines[-1].action == "undo" and lines[-1].undoes == lines[1].id


def test_an_old_file_keeps_its_meaning_and_its_undos_are_named_on_the_next_write(make_base: MakeBase) -> None:
    """A file of the previous format (no ids; an undo takes back the latest standing line)."""
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    (root / "facts" / "reviews.yaml").write_text(
        f"{fingerprint}:\n  code: R101\n  verdicts:\n"
        '  - {at: "2026-12-01T10:00:00Z", status: explained, reviewer: "X", note: "first"}\n'
        '  - {at: "2026-12-01T11:00:00Z", status: source-error, reviewer: "Y", note: "second"}\n'
        '  - {at: "2026-12-01T12:00:00Z", status: explained, reviewer: "Z", note: "undid", action: undo}\n',
        encoding="utf-8")
    now = current(root, fingerprint)
    assert now is not None and now.note == "first"
    assert review(root, fingerprint, "false-positive", "third", "W", "--force").exit_code == 0
    text = (root / "facts" / "reviews.yaml").read_text(encoding="utf-8")
    second = load_reviews(root)[fingerprint].verdicts[1]
    assert f'action: undo, undoes: "{second.key}"' in text  # the old undo now names what it took back
    assert current(root, fingerprint).note == "third"  # type: ignore[union-attr]


# -- merge-reviews refuses rather than drops --------------------------------------------------------------


def test_merge_reviews_with_a_missing_path_exits_non_zero_and_drops_nothing(make_base: MakeBase) -> None:
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    review(root, fingerprint, "explained", "kept", "X")
    ours = root / "facts" / "reviews.yaml"
    before = ours.read_bytes()
    base = root / "base.yaml"
    base.write_bytes(before)
    result = invoke("merge-reviews", str(base), str(ours), str(root / "missing.yaml"))
    assert result.exit_code != 0
    assert "no such file" in result.output and "missing.yaml" in result.output
    assert ours.read_bytes() == before
    assert fingerprint in parse_reviews(ours.read_bytes())
