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
from test_review import misprint_base, open_errors
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.review.verdicts import Entry, Verdict, load_reviews, merge, parse_reviews

from conftest import REPO, MakeBase

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


# -- item 4: reviews.yaml bounded before writing, and repairable ------------------------------------------


def test_a_note_over_the_limit_is_refused_with_a_code_and_nothing_is_written(make_base: MakeBase) -> None:
    from ipfacts.review.verdicts import MAX_NOTE

    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    result = review(root, fingerprint, "explained", "x" * (MAX_NOTE + 1), "Li")
    assert result.exit_code == 2
    assert "L026" in result.output and f"at most {MAX_NOTE:,}" in result.output
    assert len(result.output) < 1000  # the note is not repeated
    assert not (root / "facts" / "reviews.yaml").exists()
    assert review(root, fingerprint, "explained", "x" * MAX_NOTE, "Li").exit_code == 0


def test_a_note_over_the_limit_is_refused_on_the_web(tmp_path: Path) -> None:
    from test_serve import R101, client, copy_base, form_of, post_verdict

    from ipfacts.review.verdicts import MAX_NOTE

    root = copy_base(tmp_path, reviews=False)
    with client(root) as c:
        page = c.get(f"/findings/{R101}")
        assert f'maxlength="{MAX_NOTE}"' in page.text
        answer = post_verdict(c, R101, form_of(page.text), status="explained", note="n" * (MAX_NOTE + 1),
                              reviewer="Li")
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "L026" in answer.text  # type: ignore[attr-defined]
    assert not (root / "facts" / "reviews.yaml").exists()


def test_a_write_past_what_the_loader_reads_is_refused_before_writing(make_base: MakeBase,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from ipfacts.load import yamlnodes

    monkeypatch.setattr(yamlnodes, "MAX_FILE_BYTES", 20_000)  # the loader's bound, made small for the test
    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    path = root / "facts" / "reviews.yaml"
    refused = None
    for n in range(8):
        result = review(root, fingerprint, "explained", f"{n} " + "y" * 3900, "Li", "--force")
        if result.exit_code != 0:
            refused = result
            break
        before = path.read_bytes()
    assert refused is not None and refused.exit_code == 2
    assert "L026" in refused.output and "not written" in refused.output
    assert path.read_bytes() == before and len(before) <= 20_000
    assert invoke("check", "--root", str(root), "--no-cache").exit_code in (0, 1)  # still readable


def _oversized(root: Path, fingerprint: str) -> int:
    """A reviews.yaml over 16 MiB, as an older version could write it: 66 stale entries and the live one,
    each with a 260,000-character note."""
    from ipfacts.review.verdicts import dump_reviews

    entries = {f"{n:016x}": Entry(f"{n:016x}", "R101", facts={"huzhou-2024/gone": "1件"},
                                  verdicts=[Verdict(f"{n:016x}", "explained", f"{n}" + "z" * 260_000, "Old",
                                                    "2026-12-01T10:00:00Z")]) for n in range(66)}
    entries[fingerprint] = Entry(fingerprint, "R101", verdicts=[
        Verdict(fingerprint, "explained", "short", "Old", "2026-12-01T09:00:00Z", id="0123456789ab"),
        Verdict(fingerprint, "source-error", "long" + "w" * 260_000, "Old", "2026-12-01T10:00:00Z",
                id="ba9876543210")])
    text = dump_reviews(entries).encode("utf-8")
    (root / "facts" / "reviews.yaml").write_bytes(text)
    return len(text)


def test_review_repairs_a_file_over_the_read_limit(make_base: MakeBase) -> None:
    from ipfacts.load.yamlnodes import MAX_FILE_BYTES

    root = misprint_base(make_base, 1)
    fingerprint = open_errors(root)[0]["fingerprint"]
    path = root / "facts" / "reviews.yaml"
    size = _oversized(root, fingerprint)
    assert size > MAX_FILE_BYTES
    checked = invoke("check", "--root", str(root), "--no-cache")
    assert checked.exit_code == 2 and "L017" in checked.output and "review --undo" in checked.output
    listed = invoke("review", "--list", "--root", str(root))
    assert listed.exit_code == 0, listed.output
    # --force replaces the long line (it leaves the file instead of staying beside the new one)
    assert review(root, fingerprint, "false-positive", "short again", "Me", "--force").exit_code == 0
    assert path.stat().st_size < size - 250_000
    lines = parse_reviews_bytes(path)[fingerprint].verdicts
    assert [v.note for v in lines] == ["short", "short again"]
    # --undo takes back the new line (removed too, while the file is over the limit): "short" decides again
    taken = undo(root, fingerprint, "Me")
    assert taken.exit_code == 0 and "now: explained by Old" in taken.output
    # --prune drops the 66 stale entries: the file is readable again, and nothing of the live entry is lost
    pruned = invoke("review", "--prune", "--root", str(root))
    assert pruned.exit_code == 0 and "pruned 66" in pruned.output
    assert path.stat().st_size < MAX_FILE_BYTES
    assert invoke("check", "--root", str(root), "--no-cache").exit_code in (0, 1)
    now = current(root, fingerprint)
    assert now is not None and now.note == "short"


def parse_reviews_bytes(path: Path) -> dict[str, Entry]:
    from ipfacts.review.reviewfile import REPAIR_BYTES

    data = path.read_bytes()
    assert len(data) <= REPAIR_BYTES
    return parse_reviews(data)
