"""Editors' verdicts on findings, kept in facts/reviews.yaml (written by the tool only).

An *entry* is keyed by the finding's fingerprint (`Finding.fingerprint`: its code, the ids of the
facts involved with their values as written, and the recorded sha256 of every source they cite).
It keeps what the finding was about (code, message, facts, sources) and its *history*: every verdict
ever recorded on it, oldest first, append-only — who, when (ISO date-time, UTC), status, note. A
withdrawal and an undo are entries of the history too; the *current* verdict is what the history
leaves standing (see `Entry.current`).

A verdict applies while a finding with that fingerprint exists; change a value, a fact's id, or a
source's recorded hash and it no longer applies: the finding is open again and the entry is reported
as stale (V001) until it is renewed or pruned. A verdict is *suspended* (the finding counts as open,
V001) while its numbers are unverified: see `ipfacts.review.rules`.

The file merges well in git: entries sorted by fingerprint, a blank line apart, each verdict one line
(a flow mapping) appended to its entry's list. It is rewritten whole under `reviews_lock` (a lock
file, facts/.reviews.lock) by atomic replace, re-read under the lock, so concurrent writers (the
command line, the web interface) never lose each other's verdicts; `expected_version` lets a writer
that showed a verdict refuse to replace one that changed since. The old format (one verdict per
fingerprint, `date:` only) is read and rewritten in the new one on the next write.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ipfacts import findings
from ipfacts.findings import Finding, Report
from ipfacts.infra.atomic import write_atomic
from ipfacts.infra.safefiles import UnsafeFile, read_regular, real_path
from ipfacts.load import yamlnodes as yn
from ipfacts.load.model import FactBase
from ipfacts.load.yamlnodes import Where, YamlSyntaxError
from ipfacts.review.rules import Holds, reviewable, stale_of, why_not_reviewable

REVIEWS = "facts/reviews.yaml"  # relative to the root, as shown to users
LOCK = "facts/.reviews.lock"
STATUSES: dict[str, str] = {
    "source-error": "the source itself is wrong; the fact keeps the published value",
    "explained": "the numbers are right, and the note says why",
    "false-positive": "the check is wrong for this case",
}
WITHDRAWN = "withdrawn"
# what a history line does: a verdict; its withdrawal; an undo of the line before (the stack's top);
# a verdict recorded under an earlier fingerprint of the same question, kept when the entry was renewed
ACTIONS = ("verdict", "withdraw", "undo", "earlier")
ENTRY_FIELDS = ("code", "message", "facts", "sources", "verdicts")
OLD_FIELDS = ("code", "status", "reviewer", "date", "note", "message", "facts", "sources")
VERDICT_FIELDS = ("at", "status", "reviewer", "note", "action", "for")
HASH_SHOWN = 12  # digits of a source's sha256 kept in an entry, for people reading why a review went stale
MIN_WRITE = 8  # digits of a fingerprint needed to write (a shorter prefix may name another finding tomorrow)
FINGERPRINT_RE = re.compile(r"^[0-9a-f]{4,64}$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits: \d also takes ٢٠٢٦
AT_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$")
HEADER = ("# Editors' verdicts on `ipfacts check` findings, keyed by fingerprint: what each finding was about\n"
          "# and every verdict ever recorded on it, oldest first (one line each, append-only).\n"
          "# Written by `ipfacts review`; do not edit by hand (see docs/reviews.md).\n")


# -- the data ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    fingerprint: str  # of the finding it was given for
    status: str  # one of STATUSES, or "withdrawn"
    note: str
    reviewer: str
    at: str  # ISO 8601 date and time, UTC: 2026-11-21T09:30:00Z
    action: str = "verdict"  # see ACTIONS
    line: int = field(default=0, compare=False)  # its line in reviews.yaml (0: not written yet)

    @property
    def date(self) -> str:
        return self.at[:10]

    def as_dict(self) -> dict[str, Any]:
        """What a reviewed finding carries (`Report.reviews`; the JSON `review` object)."""
        return {"status": self.status, "note": self.note, "reviewer": self.reviewer, "date": self.date,
                "at": self.at, "fingerprint": self.fingerprint}

    def label(self) -> str:
        return f"{self.status} by {self.reviewer} on {self.at}"


@dataclass
class Entry:
    """Everything stored under one fingerprint."""

    fingerprint: str
    code: str
    message: str = ""  # the finding's message when it was first reviewed
    facts: dict[str, str] = field(default_factory=dict)  # fact id -> value as written then
    sources: dict[str, str] = field(default_factory=dict)  # source id -> first digits of its recorded sha256 then
    verdicts: list[Verdict] = field(default_factory=list)  # the history, oldest first
    line: int = 0

    def stack(self) -> list[Verdict]:
        """The verdicts still standing: each undo takes back the latest line it has not taken back yet."""
        standing: list[Verdict] = []
        for verdict in self.verdicts:
            if verdict.action in ("verdict", "withdraw"):
                standing.append(verdict)
            elif verdict.action == "undo" and standing:
                standing.pop()
        return standing

    def current(self) -> Verdict | None:
        standing = self.stack()
        return standing[-1] if standing and standing[-1].action == "verdict" else None

    def version(self) -> str:
        if not self.verdicts:
            return ""
        digest = hashlib.sha256("\x1e".join(_verdict_line(v) for v in self.verdicts).encode()).hexdigest()
        return f"{len(self.verdicts)}-{digest[:12]}"

    @property
    def where(self) -> Where:
        return Where(REVIEWS, self.line or 1)

    def label(self) -> str:
        verdict = self.current()
        what = f"{verdict.status}, {verdict.reviewer}, {verdict.at}" if verdict else "withdrawn"
        return f"review {self.fingerprint} ({self.code} {what})"


class FingerprintError(Exception):
    """A fingerprint (prefix) that names no finding, more than one, or is too short to write with."""


class NotReviewable(Exception):
    """The finding cannot take a verdict (now): the message says why and what to do."""


class NothingToUndo(Exception):
    """Undo asked of a finding whose history has nothing left to take back."""


class VerdictConflict(Exception):
    """A verdict exists (or changed since it was shown) and replacing it was not asked for."""

    def __init__(self, current: Verdict | None, proposed: Verdict, changed: bool) -> None:
        self.current, self.proposed, self.changed = current, proposed, changed
        now = current.label() if current else "no verdict (withdrawn)"
        if changed:
            message = (f"the verdict on {proposed.fingerprint} changed since it was shown: it is now {now}; "
                       "not saved (look again, then decide)")
        else:
            message = (f"{proposed.fingerprint} already has a verdict: {now}; replacing it needs --force "
                       "(`ipfacts review --history` shows every verdict)")
        super().__init__(message)


def reviews_path(root: Path | str) -> Path:
    return Path(root) / REVIEWS


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def valid_at(text: str) -> bool:
    if not AT_RE.match(text):
        return False
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _instant(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def valid_date(text: str) -> bool:
    """An ISO 8601 calendar date (YYYY-MM-DD) that exists: not 'yesterday', not 2026-13-01."""
    if not DATE_RE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def entry_for(finding: Finding) -> Entry:
    return Entry(fingerprint=finding.fingerprint, code=finding.code, message=finding.message,
                 facts={f.id: f.value for f in finding.facts},
                 sources={c.source: c.sha256[:HASH_SHOWN] for c in finding.citations})


def _checked(status: str, note: str, reviewer: str) -> tuple[str, str, str]:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
    note, reviewer = note.strip(), reviewer.strip()
    check_text("--note", note)
    check_text("--reviewer", reviewer)
    if not note:
        raise ValueError("a review needs a note saying why")
    if not reviewer:
        raise ValueError("a review needs a reviewer")
    return status, note, reviewer


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_text(field: str, text: str) -> None:
    """Refuse text that cannot be stored as valid UTF-8 or would act on a terminal (ValueError with the reason).

    Bytes a terminal sends in another encoding (GBK, Big5) reach Python as lone surrogates; stored, they would
    make reviews.yaml unreadable."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise ValueError(f"{field} is not valid UTF-8 text: the terminal sent bytes in another encoding (GBK?); "
                         "switch it to UTF-8 (e.g. LANG=C.UTF-8) and type the text again")
    found = _CONTROL.search(text)
    if found:
        raise ValueError(f"{field} holds a control character (U+{ord(found.group(0)):04X}); write plain text")


# -- reading ----------------------------------------------------------------------------------------------


def load_reviews(root: Path | str) -> dict[str, Entry]:
    """facts/reviews.yaml as entries by fingerprint ({} when there is none); the old format is migrated.

    Raises loader.LoadFailed with every problem (file:line) when the file cannot be read."""
    from ipfacts.load.loader import LoadFailed

    path = reviews_path(root)
    if not os.path.lexists(path):
        return {}
    try:
        data = read_regular(path, yn.MAX_FILE_BYTES, real_path(root))
    except UnsafeFile as exc:
        raise LoadFailed([findings.make(exc.code, exc.message, where=Where(REVIEWS, 1))]) from exc
    except OSError as exc:
        raise LoadFailed([findings.make("L001", f"cannot read: {exc.strerror or exc}", where=Where(REVIEWS, 1))]) from exc
    return parse_reviews(data)


def parse_reviews(data: bytes) -> dict[str, Entry]:
    """The entries of reviews.yaml's bytes. Raises loader.LoadFailed with every problem (file:line)."""
    from ipfacts.load.loader import LoadFailed

    problems: list[Finding] = []
    try:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlSyntaxError(Where(REVIEWS, data[: exc.start].count(b"\n") + 1), "not UTF-8 text") from exc
        node = yn.parse_nodes(text, REVIEWS)
    except YamlSyntaxError as exc:
        raise LoadFailed([findings.make(exc.code, exc.message, where=exc.where)]) from exc
    entries = _entries(node, problems)
    if problems:
        raise LoadFailed(problems)
    return entries


def _pairs(node: Any) -> Iterator[tuple[str, int, Any]]:
    for key, value in yn.items(node):
        yield key, yn.key_line(node, key), value


def _text(node: Any) -> str:
    return "" if yn.scalar_tag(node) == "null" else yn.scalar_text(node)


class _Problems:
    def __init__(self, problems: list[Finding]) -> None:
        self.problems = problems

    def __call__(self, code: str, line: int, message: str) -> None:
        self.problems.append(findings.make(code, message, where=Where(REVIEWS, line)))

    def duplicates(self, mapping: Any) -> None:
        for key, line, *_ in mapping.get(yn.DUPLICATES, []):
            self("L002", int(line), f"{key!r} appears twice; reviews.yaml is written by `ipfacts review`, not by hand")


def _entries(node: Any, problems: list[Finding]) -> dict[str, Entry]:
    if node is None:
        return {}
    problem = _Problems(problems)
    if not yn.is_map(node):
        problem("L004", yn.line_of(node), f"reviews.yaml must be a mapping of fingerprints to reviews, not {yn.kind_of(node)}")
        return {}
    problem.duplicates(node)
    entries: dict[str, Entry] = {}
    for fingerprint, line, value in _pairs(node):
        if not FINGERPRINT_RE.match(fingerprint):
            problem("L004", line, f"{fingerprint!r} is not a finding fingerprint (hex digits)")
        elif not yn.is_map(value):
            problem("L004", line, f"review {fingerprint} must be a mapping, not {yn.kind_of(value)}")
        else:
            problem.duplicates(value)
            old = yn.get(value, "verdicts") is None and yn.get(value, "status") is not None
            entry = (_old_entry if old else _entry)(fingerprint, line, value, problem)
            if entry is not None:
                entries[fingerprint] = entry
    return entries


def _fields(fingerprint: str, node: Any, allowed: tuple[str, ...], problem: _Problems) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, at, value in _pairs(node):
        if name not in allowed:
            problem("L003", at, f"unknown field {name!r} in review {fingerprint}; allowed: {', '.join(allowed)}")
        elif name in ("facts", "sources"):
            values[name] = _text_map(value, name, fingerprint, at, problem)
        elif name == "verdicts":
            values[name] = (value, at)
        elif not yn.is_scalar(value):
            problem("L004", at, f"{name} of review {fingerprint} must be text, not {yn.kind_of(value)}")
        else:
            values[name] = _text(value)
    return values


def _old_entry(fingerprint: str, line: int, node: Any, problem: _Problems) -> Entry | None:
    """One entry of the first format (a single verdict with a `date:`): one line of history."""
    values = _fields(fingerprint, node, OLD_FIELDS, problem)
    missing = [name for name in ("code", "status", "reviewer", "date", "note") if not str(values.get(name, "")).strip()]
    if missing:
        problem("L005", line, f"review {fingerprint} lacks {', '.join(missing)}")
        return None
    if values["status"] not in STATUSES:
        problem("L004", line, f"review {fingerprint}: status {values['status']!r} is not one of {', '.join(STATUSES)}")
        return None
    if not valid_date(values["date"]):
        problem("L004", yn.key_line(node, "date"), f"review {fingerprint}: date {values['date']!r} is not a date "
                                                   "(YYYY-MM-DD, a real day)")
        return None
    verdict = Verdict(fingerprint, values["status"], values["note"], values["reviewer"], f"{values['date']}T00:00:00Z",
                      line=line)
    return Entry(fingerprint, values["code"], values.get("message", ""), values.get("facts") or {},
                 values.get("sources") or {}, [verdict], line)


def _entry(fingerprint: str, line: int, node: Any, problem: _Problems) -> Entry | None:
    values = _fields(fingerprint, node, ENTRY_FIELDS, problem)
    missing = [name for name in ("code", "verdicts") if not values.get(name)]
    if missing:
        problem("L005", line, f"review {fingerprint} lacks {', '.join(missing)}")
        return None
    seq, at = values["verdicts"]
    if not yn.is_seq(seq):
        problem("L004", at, f"verdicts of review {fingerprint} must be a list, not {yn.kind_of(seq)}")
        return None
    history = [v for v in (_verdict(fingerprint, item, problem) for item in yn.seq_items(seq)) if v is not None]
    history.sort(key=lambda v: _instant(v.at))  # stable: after a union merge of two branches, in time order
    return Entry(fingerprint, values["code"], values.get("message", ""), values.get("facts") or {},
                 values.get("sources") or {}, history, line)


def _verdict(fingerprint: str, node: Any, problem: _Problems) -> Verdict | None:
    line = yn.line_of(node)
    if not yn.is_map(node):
        problem("L004", line, f"a verdict of review {fingerprint} must be a mapping, not {yn.kind_of(node)}")
        return None
    values = _fields(fingerprint, node, VERDICT_FIELDS, problem)
    action = values.get("action", "verdict")
    missing = [name for name in ("at", "status", "reviewer") + (("note",) if action == "verdict" else ())
               if not str(values.get(name, "")).strip()]
    if missing:
        problem("L005", line, f"a verdict of review {fingerprint} lacks {', '.join(missing)}")
        return None
    if action not in ACTIONS:
        problem("L004", line, f"review {fingerprint}: action {action!r} is not one of {', '.join(ACTIONS)}")
        return None
    if values["status"] not in STATUSES and values["status"] != WITHDRAWN:
        problem("L004", line, f"review {fingerprint}: status {values['status']!r} is not one of "
                              f"{', '.join(STATUSES)}")
        return None
    if not valid_at(values["at"]):
        problem("L004", line, f"review {fingerprint}: at {values['at']!r} is not an ISO date and time "
                              "(2026-11-21T09:30:00Z, a real day and hour)")
        return None
    return Verdict(values.get("for") or fingerprint, values["status"], values.get("note", ""), values["reviewer"],
                   values["at"], action, line)


def _text_map(node: Any, name: str, fingerprint: str, line: int, problem: _Problems) -> dict[str, str]:
    if not yn.is_map(node):
        problem("L004", line, f"{name} of review {fingerprint} must be a mapping of ids to text, not {yn.kind_of(node)}")
        return {}
    out: dict[str, str] = {}
    for key, at, value in _pairs(node):
        if yn.is_scalar(value):
            out[key] = _text(value)
        else:
            problem("L004", at, f"{name}.{key} of review {fingerprint} must be text, not {yn.kind_of(value)}")
    return out


# -- writing ----------------------------------------------------------------------------------------------


_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar on one line (JSON's escapes are YAML's; a few more characters escaped)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _plain_or_quoted(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_./+-]*", text) and text not in ("null", "true", "false", "yes", "no", "on", "off", "y", "n") else _quoted(text)


def _verdict_line(verdict: Verdict, fingerprint: str | None = None) -> str:
    parts = [f"at: {_quoted(verdict.at)}", f"status: {verdict.status}", f"reviewer: {_quoted(verdict.reviewer)}",
             f"note: {_quoted(verdict.note)}"]
    if verdict.action != "verdict":
        parts.append(f"action: {verdict.action}")
    if fingerprint is not None and verdict.fingerprint != fingerprint:
        parts.append(f"for: {_quoted(verdict.fingerprint)}")
    return "{" + ", ".join(parts) + "}"


def dump_reviews(entries: dict[str, Entry]) -> str:
    """The file's text: a header, then one entry per fingerprint in sorted order, a blank line apart."""
    chunks = [HEADER]
    for fingerprint in sorted(entries):
        entry = entries[fingerprint]
        lines = ["", f"{fingerprint}:", f"  code: {_plain_or_quoted(entry.code)}"]
        if entry.message:
            lines.append(f"  message: {_quoted(entry.message)}")
        for name, mapping in (("facts", entry.facts), ("sources", entry.sources)):
            if mapping:
                lines.append(f"  {name}:")
                lines += [f"    {_quoted(key)}: {_quoted(value)}" for key, value in sorted(mapping.items())]
        lines.append("  verdicts:")
        lines += [f"  - {_verdict_line(v, fingerprint)}" for v in entry.verdicts]
        chunks.append("\n".join(lines) + "\n")
    return "".join(chunks)


_held = threading.local()
_process_locks: dict[str, threading.RLock] = {}
_process_locks_guard = threading.Lock()


@contextmanager
def reviews_lock(root: Path | str) -> Iterator[None]:
    """Hold the exclusive lock of facts/reviews.yaml (facts/.reviews.lock; blocking until it is free).

    Every writer takes it: `record`, `undo`, `withdraw`, `prune` take it themselves, and a caller may
    hold it around several of them (it is re-entrant within a thread). Under it, temporary files a
    killed writer left beside reviews.yaml are removed."""
    lock = (Path(root) / LOCK).resolve()
    key = str(lock)
    depth: dict[str, int] = getattr(_held, "depth", None) or {}
    _held.depth = depth
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    with _process_locks_guard:
        thread_lock = _process_locks.setdefault(key, threading.RLock())
    with thread_lock:
        fd = _acquire(lock)
        depth[key] = 1
        try:
            _remove_orphans(lock.parent)
            yield
        finally:
            depth[key] = 0
            _release(lock, fd)


def _acquire(lock: Path) -> int:
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined,unused-ignore]
        return fd
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            # The holder before us removes the lock file on release: lock the file that is there now.
            try:
                if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                    return fd
            except FileNotFoundError:
                pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _release(lock: Path, fd: int) -> None:
    if os.name != "nt":
        lock.unlink(missing_ok=True)
    os.close(fd)


def _remove_orphans(directory: Path) -> None:
    """Temporary files of an interrupted write of reviews.yaml (we hold the lock: nobody is writing)."""
    for orphan in directory.glob(".reviews.yaml.*.tmp"):
        orphan.unlink(missing_ok=True)


def _write(root: Path | str, entries: dict[str, Entry]) -> None:
    write_atomic(reviews_path(root), dump_reviews(entries))


# -- the store's API --------------------------------------------------------------------------------------


def resolve(prefix: str, fingerprints: Iterable[str], *, writing: bool = False, what: str = "finding") -> str:
    """The one fingerprint that starts with `prefix` (case-insensitive). Raises FingerprintError.

    `writing`: at least MIN_WRITE digits are needed, so a short prefix never writes over the wrong one."""
    wanted = prefix.strip().lower()
    if not re.fullmatch(r"[0-9a-f]+", wanted):
        raise FingerprintError(f"{prefix!r} is not a fingerprint: hex digits, as `ipfacts review --list` or "
                               "`ipfacts check --format json` show them")
    if writing and len(wanted) < MIN_WRITE:
        raise FingerprintError(f"{wanted!r} is too short to record with: give at least {MIN_WRITE} digits of the "
                               "fingerprint (`ipfacts review --list` shows them)")
    matches = sorted({f for f in fingerprints if f.startswith(wanted)})
    if not matches:
        raise FingerprintError(f"no {what} has a fingerprint starting with {wanted!r} (`ipfacts review --list` "
                               "shows them)")
    if len(matches) > 1:
        shown = ", ".join(matches[:8]) + (" …" if len(matches) > 8 else "")
        raise FingerprintError(f"{wanted!r} matches {len(matches)} {what}s ({shown}); give more digits")
    return matches[0]


def _find(entries: dict[str, Entry], fingerprint: str, writing: bool) -> Entry:
    return entries[resolve(fingerprint, entries, writing=writing, what="recorded review")]


def history(root: Path | str, fingerprint: str) -> list[Verdict]:
    """Every line recorded on this finding, oldest first ([] when none)."""
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


def record(root: Path | str, finding_or_fingerprint: Finding | str, *, status: str, note: str, reviewer: str,
           expected_version: str | None = None, force: bool = False, live: set[str] | None = None,
           report: Report | None = None) -> Verdict:
    """Append a verdict to the finding's history and return it.

    Raises NotReviewable (never reviewable; or held back, when `report` is given), ValueError (status,
    empty note or reviewer), FingerprintError (a string fingerprint: fewer than 8 digits, unknown,
    ambiguous), VerdictConflict (a verdict exists and neither `force` nor a matching `expected_version`
    was given; or the state changed since `expected_version`). With `live` (the fingerprints reported
    now), stale entries of the same code and facts are renewed: their history moves into this one."""
    status, note, reviewer = _checked(status, note, reviewer)
    finding = finding_or_fingerprint if isinstance(finding_or_fingerprint, Finding) else None
    if finding is not None:
        reason = why_not_reviewable(finding) or (Holds(report).why(finding) if report is not None else None)
        if reason:
            raise NotReviewable(reason)
    with reviews_lock(root):
        entries = load_reviews(root)
        if finding is not None:
            fingerprint = finding.fingerprint
            entry = entries.get(fingerprint) or entry_for(finding)
        else:
            entry = _find(entries, str(finding_or_fingerprint), writing=True)
            fingerprint = entry.fingerprint
        proposed = Verdict(fingerprint, status, note, reviewer, now_iso())
        existing = entry.current()
        if expected_version is not None and expected_version != entry.version():
            raise VerdictConflict(existing, proposed, changed=True)
        if expected_version is None and existing is not None and not force:
            raise VerdictConflict(existing, proposed, changed=False)
        if finding is not None and live is not None:
            for old in stale_of(entry.code, entry.facts, entries, live):
                if old == fingerprint:
                    continue
                earlier = [replace(v, action="earlier", line=0) for v in entries.pop(old).verdicts if v.action != "earlier"]
                entry.verdicts = sorted(entry.verdicts + earlier, key=lambda v: v.at)
        entry.verdicts.append(proposed)
        entries[fingerprint] = entry
        _write(root, entries)
    return proposed


def renewals(root: Path | str, finding: Finding, live: set[str]) -> list[str]:
    """The stale entries a verdict on this finding would renew."""
    entries = load_reviews(root)
    return [fp for fp in stale_of(finding.code, (f.id for f in finding.facts), entries, live) if fp != finding.fingerprint]


def undo(root: Path | str, fingerprint: str, *, reviewer: str) -> Verdict | None:
    """Take back the latest standing line of the finding's history (itself recorded as a line): the
    verdict before it is current again (returned), or none (None). Raises FingerprintError, NothingToUndo."""
    reviewer = reviewer.strip()
    check_text("--reviewer", reviewer)
    if not reviewer:
        raise ValueError("an undo needs a reviewer")
    with reviews_lock(root):
        entries = load_reviews(root)
        entry = _find(entries, fingerprint, writing=True)
        standing = entry.stack()
        if not standing:
            raise NothingToUndo(f"nothing to undo on {entry.fingerprint}: its history has no verdict left standing")
        undone = standing[-1]
        restored = standing[-2] if len(standing) > 1 else None
        entry.verdicts.append(Verdict(
            entry.fingerprint, restored.status if restored else WITHDRAWN,
            f"undid {undone.status} by {undone.reviewer} ({undone.at})", reviewer, now_iso(), "undo"))
        _write(root, entries)
    return entry.current()


def withdraw(root: Path | str, fingerprint: str, *, reviewer: str, note: str = "") -> Verdict:
    """Withdraw the current verdict (recorded in the history: `undo` brings it back)."""
    reviewer = reviewer.strip()
    check_text("--reviewer", reviewer)
    check_text("--note", note)
    if not reviewer:
        raise ValueError("a withdrawal needs a reviewer")
    with reviews_lock(root):
        entries = load_reviews(root)
        entry = _find(entries, fingerprint, writing=True)
        existing = entry.current()
        if existing is None:
            raise NothingToUndo(f"{entry.fingerprint} has no verdict to withdraw")
        line = Verdict(entry.fingerprint, WITHDRAWN, note.strip() or f"withdrew {existing.status} by {existing.reviewer}",
                       reviewer, now_iso(), "withdraw")
        entry.verdicts.append(line)
        _write(root, entries)
    return line


def prune(root: Path | str, fingerprints: Iterable[str]) -> list[str]:
    """Drop these entries (history included: git keeps it); returns the fingerprints that were there."""
    wanted = set(fingerprints)
    with reviews_lock(root):
        entries = load_reviews(root)
        gone = sorted(wanted & set(entries))
        if gone:
            for fingerprint in gone:
                del entries[fingerprint]
            _write(root, entries)
    return gone


def migrate(root: Path | str) -> bool:
    """Rewrite reviews.yaml in the current format (True when that changed its bytes)."""
    path = reviews_path(root)
    with reviews_lock(root):
        if not os.path.lexists(path):
            return False
        text = dump_reviews(load_reviews(root))  # read through the safe path (regular file inside the root)
        if read_regular(path, yn.MAX_FILE_BYTES, real_path(root)) == text.encode("utf-8"):
            return False
        write_atomic(path, text)
    return True


def merge(base: dict[str, Entry], ours: dict[str, Entry], theirs: dict[str, Entry]) -> dict[str, Entry]:
    """Three-way merge of two branches' reviews (git's merge driver, `ipfacts merge-reviews`): every
    verdict line of either side is kept, in time order; an entry dropped on one side (pruned, renewed)
    stays dropped unless the other side added lines to it."""

    def key(verdict: Verdict) -> tuple[str, str, str, str, str, str]:
        return (verdict.at, verdict.status, verdict.reviewer, verdict.note, verdict.action, verdict.fingerprint)

    merged: dict[str, Entry] = {}
    for fingerprint in sorted(set(ours) | set(theirs)):
        mine, other, before = ours.get(fingerprint), theirs.get(fingerprint), base.get(fingerprint)
        known = {key(v) for v in before.verdicts} if before else set()
        if before is not None and (mine is None or other is None):
            kept = mine or other
            if kept is None or not {key(v) for v in kept.verdicts} - known:
                continue  # dropped on one side, untouched on the other
        first = mine or other
        assert first is not None
        lines: dict[tuple[str, str, str, str, str, str], Verdict] = {}
        for entry in (mine, other):
            for verdict in entry.verdicts if entry else []:
                lines.setdefault(key(verdict), replace(verdict, line=0))
        merged[fingerprint] = replace(first, verdicts=sorted(lines.values(), key=lambda v: _instant(v.at)), line=0)
    return merged


# -- applying ---------------------------------------------------------------------------------------------


def apply_reviews(base: FactBase, report: Report) -> None:
    """Attach current verdicts to the findings they match; report stale and suspended reviews (V001)."""
    entries = load_reviews(base.root)
    if not entries:
        return
    holds = Holds(report)
    used: set[str] = set()
    added: list[Finding] = []
    for finding in report.findings:
        entry = entries.get(finding.fingerprint)
        verdict = entry.current() if entry else None
        if entry is None or verdict is None:
            continue
        used.add(entry.fingerprint)
        if not reviewable(finding):
            added.append(findings.make(
                "V001", f"{entry.label()} is on a finding that cannot be reviewed: {why_not_reviewable(finding)}; "
                        "drop it with `ipfacts review --prune`",
                where=entry.where, details={"review": entry.fingerprint, "kind": "unreviewable"}))
            continue
        held = holds.why(finding)
        if held:
            report.suspended[finding.fingerprint] = verdict.as_dict()
            added.append(findings.make(
                "V001", f"{entry.label()} is suspended: {held}; then review the finding again",
                where=entry.where, details={"review": entry.fingerprint, "kind": "suspended",
                                            "changed_sources": sorted({c.source for c in finding.citations}
                                                                      & holds.changed)}))
            continue
        report.reviews[finding.fingerprint] = verdict.as_dict()
    for fingerprint, entry in sorted(entries.items()):
        if fingerprint in used or entry.current() is None:
            continue
        changes = stale_reasons(base, entry)
        added.append(findings.make(
            "V001",
            f"{entry.label()} matches no finding: {'; '.join(changes)}; review the finding again if it is still "
            f"reported, or drop the entry with `ipfacts review --prune`",
            where=entry.where, details={"review": fingerprint, "kind": "stale", "changes": changes}))
    if added:
        report.findings.extend(added)
        from ipfacts.check.engine import report_order

        report.findings.sort(key=report_order)


def stale_reasons(base: FactBase, entry: Entry) -> list[str]:
    """Why an entry no longer matches: what changed in the values and sources it recorded."""
    reasons: list[str] = []
    for fact_id, value in sorted(entry.facts.items()):
        fact = base.facts.get(fact_id)
        if fact is None:
            reasons.append(f"fact {fact_id} no longer exists")
        elif fact.value.text != value:
            reasons.append(f"{fact_id} was {value}, is now {fact.value.text}")
    for source_id, digits in sorted(entry.sources.items()):
        source = base.sources.get(source_id)
        if source is None:
            reasons.append(f"source {source_id} no longer exists")
        elif digits and not source.sha256.startswith(digits):
            reasons.append(f"the recorded sha256 of {source_id} changed ({digits}… → {source.sha256[:len(digits)]}…)")
    return reasons or ["its values and sources are unchanged, so the finding itself is gone (fixed, or no longer raised)"]


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
