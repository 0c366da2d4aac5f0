"""The verdict model: one history line (`Verdict`), the history of one finding (`Entry`), and what the
history leaves standing.

A history is read in its *file order* (the order lines were appended, which a merge keeps: the common
ancestor's lines, then this branch's, then the other's). Times (`at`) are for people: a colleague's clock
hours ahead never decides which verdict is current. Every line has a stable `id`; an undo names the line
it takes back by that id (`undoes`), never by position, so a merge cannot make an undo take back a
verdict it never saw. Lines written before ids existed get one derived from their content, and their
undos are resolved by position, as they were written (see `Entry.standing`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

from ipfacts.findings import Finding
from ipfacts.load.yamlnodes import Where

REVIEWS = "facts/reviews.yaml"  # relative to the root, as shown to users
LOCK = "facts/.reviews.lock"
STATUSES: dict[str, str] = {
    "source-error": "the source itself is wrong; the fact keeps the published value",
    "explained": "the numbers are right, and the note says why",
    "false-positive": "the check is wrong for this case",
}
WITHDRAWN = "withdrawn"
# what a history line does: a verdict; its withdrawal; an undo of one line (named by `undoes`);
# a verdict recorded under an earlier fingerprint of the same question, kept when the entry was renewed
ACTIONS = ("verdict", "withdraw", "undo", "earlier")
HASH_SHOWN = 12  # digits of a source's sha256 kept in an entry, for people reading why a review went stale
MIN_WRITE = 8  # digits of a fingerprint needed to write (a shorter prefix may name another finding tomorrow)
MAX_NOTE = 4000  # characters of a verdict's note: a few paragraphs; the file must stay readable
MAX_NAME = 200  # characters of a reviewer's name
FINGERPRINT_RE = re.compile(r"^[0-9a-f]{4,64}$")
LINE_ID_RE = re.compile(r"^[0-9a-f]{8,32}$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits: \d also takes ٢٠٢٦
AT_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$")
TOO_LONG = "L026"  # the code of text longer than ipfacts stores or reads


@dataclass(frozen=True)
class Verdict:
    fingerprint: str  # of the finding it was given for
    status: str  # one of STATUSES, or "withdrawn"
    note: str
    reviewer: str
    at: str  # ISO 8601 date and time, UTC: 2026-11-21T09:30:00Z (for people; never decides the order)
    action: str = "verdict"  # see ACTIONS
    line: int = field(default=0, compare=False)  # its line in reviews.yaml (0: not written yet)
    id: str = ""  # stable id of the line ("" for a line written before ids: `key` derives one)
    undoes: str = ""  # an undo: the id of the line it takes back ("" in old files: the latest standing line)

    @property
    def date(self) -> str:
        return self.at[:10]

    @property
    def key(self) -> str:
        """The line's id: the one written in the file, else one derived from its content (old files)."""
        return self.id or derived_id(self)

    def as_dict(self) -> dict[str, Any]:
        """What a reviewed finding carries (`Report.reviews`; the JSON `review` object)."""
        return {"status": self.status, "note": self.note, "reviewer": self.reviewer, "date": self.date,
                "at": self.at, "fingerprint": self.fingerprint}

    def label(self) -> str:
        return f"{self.status} by {self.reviewer} on {self.at}"


def new_id() -> str:
    return secrets.token_hex(6)


def derived_id(verdict: Verdict) -> str:
    """The id of a line written before ids: the same on every branch that holds the line."""
    text = "\x1f".join((verdict.fingerprint, verdict.at, verdict.status, verdict.reviewer, verdict.note,
                        verdict.action))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


@dataclass
class Entry:
    """Everything stored under one fingerprint."""

    fingerprint: str
    code: str
    message: str = ""  # the finding's message when it was first reviewed
    facts: dict[str, str] = field(default_factory=dict)  # fact id -> value as written then
    sources: dict[str, str] = field(default_factory=dict)  # source id -> first digits of its recorded sha256 then
    verdicts: list[Verdict] = field(default_factory=list)  # the history, in file order
    line: int = 0

    def undone(self) -> dict[str, str]:
        """Which line each undo takes back (undo's key → the line's key). An undo written before ids
        takes back the latest line standing at its place in the file, as it did when it was written."""
        taken: dict[str, str] = {}
        live: list[Verdict] = []
        for verdict in self.verdicts:
            if verdict.action in ("verdict", "withdraw"):
                live.append(verdict)
            elif verdict.action == "undo":
                target = verdict.undoes
                if not target:  # an old undo: the latest line still standing here
                    gone = set(taken.values())
                    target = next((v.key for v in reversed(live) if v.key not in gone), "")
                if target:
                    taken[verdict.key] = target
        return taken

    def standing(self) -> list[Verdict]:
        """The verdicts and withdrawals no undo took back, in file order: the last one decides."""
        gone = set(self.undone().values())
        return [v for v in self.verdicts if v.action in ("verdict", "withdraw") and v.key not in gone]

    stack = standing  # the name of earlier versions

    def head(self) -> Verdict | None:
        """The line that decides now (a verdict or a withdrawal); None when nothing stands."""
        standing = self.standing()
        return standing[-1] if standing else None

    def current(self) -> Verdict | None:
        head = self.head()
        return head if head is not None and head.action == "verdict" else None

    def with_links(self) -> Entry:
        """The same history with every undo's target written out (an old undo, resolved by its place, then
        keeps its meaning wherever a merge puts lines after it). Old lines keep their derived ids unwritten."""
        taken = self.undone()
        lines = []
        for verdict in self.verdicts:
            undoes = taken.get(verdict.key, "") if verdict.action == "undo" else ""
            lines.append(_replace(verdict, undoes=undoes or verdict.undoes))
        return _replace(self, verdicts=lines)

    def version(self) -> str:
        if not self.verdicts:
            return ""
        text = json.dumps([[v.key, v.at, v.status, v.reviewer, v.note, v.action, v.undoes, v.fingerprint]
                           for v in self.verdicts], ensure_ascii=False)
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return f"{len(self.verdicts)}-{digest[:12]}"

    @property
    def where(self) -> Where:
        return Where(REVIEWS, self.line or 1)

    def label(self) -> str:
        verdict = self.current()
        what = f"{verdict.status}, {verdict.reviewer}, {verdict.at}" if verdict else "withdrawn"
        return f"review {self.fingerprint} ({self.code} {what})"


def _replace(obj: Any, **changes: Any) -> Any:
    return replace(obj, **changes)


class FingerprintError(Exception):
    """A fingerprint (prefix) that names no finding, more than one, or is too short to write with."""


class NotReviewable(Exception):
    """The finding cannot take a verdict (now): the message says why and what to do."""


class NothingToUndo(Exception):
    """Undo asked of a finding whose history has nothing left to take back."""


class ReviewsTooLarge(ValueError):
    """A write that would make facts/reviews.yaml larger than the loader reads (nothing was written)."""


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


def checked(status: str, note: str, reviewer: str) -> tuple[str, str, str]:
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
    """Refuse text that cannot be stored as valid UTF-8, would act on a terminal, or is longer than
    ipfacts stores (ValueError with the reason).

    Bytes a terminal sends in another encoding (GBK, Big5) reach Python as lone surrogates; stored, they would
    make reviews.yaml unreadable."""
    limit = MAX_NAME if field == "--reviewer" else MAX_NOTE
    if len(text) > limit:
        raise ValueError(f"{TOO_LONG}: {field} is {len(text):,} characters long; at most {limit:,} are stored "
                         "(say why in a few sentences; a longer text belongs in a document the note names)")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise ValueError(f"{field} is not valid UTF-8 text: the terminal sent bytes in another encoding (GBK?); "
                         "switch it to UTF-8 (e.g. LANG=C.UTF-8) and type the text again")
    found = _CONTROL.search(text)
    if found:
        raise ValueError(f"{field} holds a control character (U+{ord(found.group(0)):04X}); write plain text")


def resolve(prefix: str, fingerprints: Any, *, writing: bool = False, what: str = "finding") -> str:
    """The one fingerprint that starts with `prefix` (case-insensitive). Raises FingerprintError.

    `writing`: at least MIN_WRITE digits are needed, so a short prefix never writes over the wrong one."""
    wanted = prefix.strip().lower()
    if not re.fullmatch(r"[0-9a-f]+", wanted):
        raise FingerprintError(f"{prefix[:80]!r} is not a fingerprint: hex digits, as `ipfacts review --list` or "
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
