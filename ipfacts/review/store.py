"""The verdict store: facts/reviews.yaml read, changed and written under one lock.

Every writer (`record`, `undo`, `withdraw`, `prune`, `migrate`) takes `reviews_lock` (a lock file,
facts/.reviews.lock), re-reads the file under it, changes the entries and replaces the file atomically,
so concurrent writers (the command line, the web interface) never lose each other's verdicts;
`expected_version` lets a writer that showed a verdict refuse to replace one that changed since.

Bounds: no write makes the file larger than the loader reads (`ReviewsTooLarge`, nothing written).
A file already over that bound (an older version, a merge of two large branches) is still read by the
writers (up to `reviewfile.REPAIR_BYTES`), and then each write must shrink it: an undo removes the line
it takes back, a replacing verdict or a withdrawal replaces the line it supersedes, a prune drops
entries (git keeps the history).

`merge` is git's merge driver for the file: every line of both branches, by id, in the order recorded.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ipfacts.findings import Finding, Report
from ipfacts.infra.atomic import write_atomic
from ipfacts.infra.filelock import exclusive
from ipfacts.load import yamlnodes as yn
from ipfacts.review.model import (
    LOCK,
    TOO_LONG,
    WITHDRAWN,
    Entry,
    FingerprintError,
    NothingToUndo,
    NotReviewable,
    ReviewsTooLarge,
    Verdict,
    VerdictConflict,
    check_text,
    checked,
    entry_for,
    new_id,
    now_iso,
    resolve,
)
from ipfacts.review.reviewfile import (
    REPAIR_BYTES,
    dump_reviews,
    load_reviews,
    parse_reviews,
    read_bytes,
    reviews_path,
)
from ipfacts.review.rules import Holds, stale_of, why_not_reviewable

__all__ = ["FingerprintError", "current", "history", "merge", "migrate", "prune", "record", "renewals",
           "reviews_lock", "undo", "version_of", "withdraw"]


# -- the lock ---------------------------------------------------------------------------------------------

@contextmanager
def reviews_lock(root: Path | str) -> Iterator[None]:
    """Hold the exclusive lock of facts/reviews.yaml (facts/.reviews.lock; blocking until it is free).

    Every writer takes it: `record`, `undo`, `withdraw`, `prune` take it themselves, and a caller may
    hold it around several of them (it is re-entrant within a thread). Under it, temporary files a
    killed writer left beside reviews.yaml are removed."""
    lock = Path(root) / LOCK
    with exclusive(lock):
        _remove_orphans(lock.resolve().parent)
        yield


def _remove_orphans(directory: Path) -> None:
    """Temporary files of an interrupted write of reviews.yaml (we hold the lock: nobody is writing)."""
    for orphan in directory.glob(".reviews.yaml.*.tmp"):
        orphan.unlink(missing_ok=True)


# -- read, change, write ----------------------------------------------------------------------------------


class _Session:
    """The file as read under the lock: its entries and its size (over the loader's bound: repairing)."""

    def __init__(self, root: Path | str) -> None:
        self.root = root
        data = read_bytes(root, REPAIR_BYTES)
        self.size = 0 if data is None else len(data)
        self.entries = {} if data is None else parse_reviews(data)

    @property
    def repairing(self) -> bool:
        return self.size > yn.MAX_FILE_BYTES

    def write(self) -> None:
        text = dump_reviews(self.entries).encode("utf-8")
        limit = yn.MAX_FILE_BYTES
        if len(text) > limit and (not self.repairing or len(text) >= self.size):
            raise ReviewsTooLarge(
                f"{TOO_LONG}: not written: facts/reviews.yaml would be {len(text):,} bytes, more than the "
                f"{limit:,} `ipfacts check` reads" + (
                    f" (it is {self.size:,} now: take back or replace long verdicts with `ipfacts review --undo`, "
                    "`--force` with a shorter note, or `--prune`)" if self.repairing else
                    "; prune stale reviews (`ipfacts review --prune`) or write shorter notes"))
        write_atomic(reviews_path(self.root), text)


def _find(entries: dict[str, Entry], fingerprint: str, writing: bool) -> Entry:
    return entries[resolve(fingerprint, entries, writing=writing, what="recorded review")]


def history(root: Path | str, fingerprint: str) -> list[Verdict]:
    """Every line recorded on this finding, in the order recorded ([] when none)."""
    entries = load_reviews(root)
    entry = entries.get(fingerprint.lower())
    return list(entry.verdicts) if entry else []


def current(root: Path | str, fingerprint: str) -> Verdict | None:
    entry = load_reviews(root).get(fingerprint.lower())
    return entry.current() if entry else None


def version_of(root: Path | str, fingerprint: str) -> str:
    """An opaque token for the verdict state of this finding ("" when nothing was ever recorded)."""
    entry = load_reviews(root).get(fingerprint.lower())
    return entry.version() if entry else ""


def _drop(entry: Entry, line: Verdict) -> None:
    """Repairing an oversized file: the line taken back or superseded leaves the file (and every undo of it)."""
    entry.verdicts = [v for v in entry.verdicts if v.key != line.key and v.undoes != line.key]


def record(root: Path | str, finding_or_fingerprint: Finding | str, *, status: str, note: str, reviewer: str,
           expected_version: str | None = None, force: bool = False, live: set[str] | None = None,
           report: Report | None = None) -> Verdict:
    """Append a verdict to the finding's history and return it.

    Raises NotReviewable (never reviewable; or held back, when `report` is given), ValueError (status,
    empty or over-long note or reviewer; ReviewsTooLarge), FingerprintError (a string fingerprint: fewer
    than 8 digits, unknown, ambiguous), VerdictConflict (a verdict exists and neither `force` nor a matching
    `expected_version` was given; or the state changed since `expected_version`). With `live` (the
    fingerprints reported now), stale entries of the same code and facts are renewed: their history moves
    into this one."""
    status, note, reviewer = checked(status, note, reviewer)
    finding = finding_or_fingerprint if isinstance(finding_or_fingerprint, Finding) else None
    if finding is not None:
        reason = why_not_reviewable(finding) or (Holds(report).why(finding) if report is not None else None)
        if reason:
            raise NotReviewable(reason)
    with reviews_lock(root):
        session = _Session(root)
        entries = session.entries
        if finding is not None:
            fingerprint = finding.fingerprint
            entry = entries.get(fingerprint) or entry_for(finding)
        else:
            entry = _find(entries, str(finding_or_fingerprint), writing=True)
            fingerprint = entry.fingerprint
        proposed = Verdict(fingerprint, status, note, reviewer, now_iso(), id=new_id())
        existing = entry.current()
        if expected_version is not None and expected_version != entry.version():
            raise VerdictConflict(existing, proposed, changed=True)
        if expected_version is None and existing is not None and not force:
            raise VerdictConflict(existing, proposed, changed=False)
        if finding is not None and live is not None:
            for old in stale_of(entry.code, entry.facts, entries, live):
                if old == fingerprint:
                    continue
                earlier = [replace(v, action="earlier", line=0, undoes="")
                           for v in entries.pop(old).with_links().verdicts if v.action != "earlier"]
                entry.verdicts = earlier + entry.verdicts  # lines of the earlier question come first
        head = entry.head()
        if session.repairing and head is not None:
            _drop(entry, head)
        entry.verdicts.append(proposed)
        entries[fingerprint] = entry
        session.write()
    return proposed


def renewals(root: Path | str, finding: Finding, live: set[str]) -> list[str]:
    """The stale entries a verdict on this finding would renew."""
    entries = load_reviews(root)
    return [fp for fp in stale_of(finding.code, (f.id for f in finding.facts), entries, live) if fp != finding.fingerprint]


def undo(root: Path | str, fingerprint: str, *, reviewer: str) -> Verdict | None:
    """Take back the line that decides now (a verdict or a withdrawal), naming it by id in a new line of
    the history: the line standing before it decides again (its verdict returned, or None). Raises
    FingerprintError, NothingToUndo."""
    reviewer = reviewer.strip()
    check_text("--reviewer", reviewer)
    if not reviewer:
        raise ValueError("an undo needs a reviewer")
    with reviews_lock(root):
        session = _Session(root)
        entry = _find(session.entries, fingerprint, writing=True)
        undone = entry.head()
        if undone is None:
            raise NothingToUndo(f"nothing to undo on {entry.fingerprint}: its history has no verdict left standing")
        if session.repairing:
            _drop(entry, undone)
        else:
            standing = entry.standing()
            restored = standing[-2] if len(standing) > 1 else None
            entry.verdicts.append(Verdict(
                entry.fingerprint, restored.status if restored and restored.action == "verdict" else WITHDRAWN,
                f"undid {undone.status} by {undone.reviewer} ({undone.at})", reviewer, now_iso(), "undo",
                id=new_id(), undoes=undone.key))
        session.write()
    return entry.current()


def withdraw(root: Path | str, fingerprint: str, *, reviewer: str, note: str = "") -> Verdict:
    """Withdraw the current verdict (recorded in the history: `undo` brings it back)."""
    reviewer = reviewer.strip()
    check_text("--reviewer", reviewer)
    check_text("--note", note)
    if not reviewer:
        raise ValueError("a withdrawal needs a reviewer")
    with reviews_lock(root):
        session = _Session(root)
        entry = _find(session.entries, fingerprint, writing=True)
        existing = entry.current()
        if existing is None:
            raise NothingToUndo(f"{entry.fingerprint} has no verdict to withdraw")
        line = Verdict(entry.fingerprint, WITHDRAWN, note.strip() or f"withdrew {existing.status} by {existing.reviewer}",
                       reviewer, now_iso(), "withdraw", id=new_id())
        if session.repairing:
            _drop(entry, existing)
        entry.verdicts.append(line)
        session.write()
    return line


def prune(root: Path | str, fingerprints: Iterable[str]) -> list[str]:
    """Drop these entries (history included: git keeps it); returns the fingerprints that were there."""
    wanted = set(fingerprints)
    with reviews_lock(root):
        session = _Session(root)
        gone = sorted(wanted & set(session.entries))
        if gone:
            for fingerprint in gone:
                del session.entries[fingerprint]
            session.write()
    return gone


def migrate(root: Path | str) -> bool:
    """Rewrite reviews.yaml in the current format (True when that changed its bytes)."""
    path = reviews_path(root)
    with reviews_lock(root):
        data = read_bytes(root)
        if data is None:
            return False
        text = dump_reviews(parse_reviews(data))
        if data == text.encode("utf-8"):
            return False
        write_atomic(path, text)
    return True


# -- merging two branches ---------------------------------------------------------------------------------


def merge(base: dict[str, Entry], ours: dict[str, Entry], theirs: dict[str, Entry]) -> dict[str, Entry]:
    """Three-way merge of two branches' reviews (git's merge driver, `ipfacts merge-reviews`): every
    history line of either side is kept once (by id), in the order recorded — the common ancestor's lines,
    then ours, then theirs; an undo keeps taking back the very line it named. An entry dropped on one side
    (pruned, renewed) stays dropped unless the other side added lines to it."""
    merged: dict[str, Entry] = {}
    for fingerprint in sorted(set(ours) | set(theirs)):
        mine, other, before = ours.get(fingerprint), theirs.get(fingerprint), base.get(fingerprint)
        known = {v.key for v in before.verdicts} if before else set()
        if before is not None and (mine is None or other is None):
            kept = mine or other
            if kept is None or not {v.key for v in kept.verdicts} - known:
                continue  # dropped on one side, untouched on the other
        sides = [side.with_links() for side in (mine, other) if side is not None]
        lines: dict[str, Verdict] = {}
        for side in sides:
            for verdict in side.verdicts:
                lines.setdefault(verdict.key, replace(verdict, line=0))
        merged[fingerprint] = replace(sides[0], verdicts=list(lines.values()), line=0)
    return merged


def decided_on_both(base: dict[str, Entry], ours: dict[str, Entry], theirs: dict[str, Entry]) -> list[str]:
    """Findings on which both branches recorded a verdict or withdrawal since the common ancestor: the
    merge keeps both in the history, and the one recorded later in the merged file decides."""
    both = []
    for fingerprint in sorted(set(ours) & set(theirs)):
        known = {v.key for v in base[fingerprint].verdicts} if fingerprint in base else set()
        new = [{v.key for v in side[fingerprint].verdicts if v.action in ("verdict", "withdraw", "undo")} - known
               for side in (ours, theirs)]
        if new[0] and new[1] and new[0] != new[1]:
            both.append(fingerprint)
    return both


# -- who --------------------------------------------------------------------------------------------------


def git_user(root: Path | str) -> str | None:
    """`git config user.name` as seen from the fact base (None without git or a configured name)."""
    try:
        result = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True,
                                timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    name = result.stdout.strip()
    return name if result.returncode == 0 and name else None


def default_reviewer(root: Path | str, given: str | None = None) -> tuple[str, str] | None:
    """Who reviews, and where the name came from: --reviewer, IPFACTS_REVIEWER, git's user.name."""
    if given and given.strip():
        return given.strip(), "--reviewer"
    env = os.environ.get("IPFACTS_REVIEWER", "").strip()
    if env:
        return env, "IPFACTS_REVIEWER"
    name = git_user(root)
    return (name, "git config user.name") if name else None
