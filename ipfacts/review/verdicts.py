"""Editors' verdicts on findings, kept in facts/reviews.yaml (written by the tool only).

An *entry* is keyed by the finding's fingerprint (`Finding.fingerprint`: its code, the ids of the
facts involved with their values as written, and the recorded sha256 of every source they cite).
It keeps what the finding was about (code, message, facts, sources) and its *history*: every line
ever recorded on it, in the order recorded — who, when (ISO date-time, UTC), status, note, a stable
id. A withdrawal and an undo (which names the line it takes back) are lines of the history too; the
*current* verdict is what the history leaves standing (`Entry.current`).

The store is split by concern, and this module gathers its names (the import path of earlier versions):

    ipfacts.review.model       Verdict, Entry, what stands; statuses, bounds, errors
    ipfacts.review.reviewfile  the file: reading (every problem with its line), writing
    ipfacts.review.store       the lock, record / undo / withdraw / prune, the merge driver, who reviews
    ipfacts.review.apply       verdicts applied to a report (reviewed, suspended, stale: V001)
"""

from __future__ import annotations

from ipfacts.review.apply import apply_reviews, stale_reasons
from ipfacts.review.model import (
    ACTIONS,
    HASH_SHOWN,
    LOCK,
    MAX_NAME,
    MAX_NOTE,
    MIN_WRITE,
    REVIEWS,
    STATUSES,
    WITHDRAWN,
    Entry,
    FingerprintError,
    NothingToUndo,
    NotReviewable,
    ReviewsTooLarge,
    Verdict,
    VerdictConflict,
    check_text,
    entry_for,
    now_iso,
    resolve,
    valid_at,
    valid_date,
)
from ipfacts.review.reviewfile import (
    dump_reviews,
    load_reviews,
    parse_reviews,
    repairing,
    reviews_path,
)
from ipfacts.review.store import (
    current,
    decided_on_both,
    default_reviewer,
    git_user,
    history,
    merge,
    migrate,
    prune,
    record,
    renewals,
    reviews_lock,
    undo,
    version_of,
    withdraw,
)

__all__ = [
    "ACTIONS", "HASH_SHOWN", "LOCK", "MAX_NAME", "MAX_NOTE", "MIN_WRITE", "REVIEWS", "STATUSES", "WITHDRAWN",
    "Entry", "FingerprintError", "NotReviewable", "NothingToUndo", "ReviewsTooLarge", "Verdict", "VerdictConflict",
    "apply_reviews", "check_text", "current", "decided_on_both", "default_reviewer", "dump_reviews", "entry_for",
    "git_user", "history", "load_reviews", "merge", "migrate", "now_iso", "parse_reviews", "prune", "record",
    "renewals", "repairing", "resolve", "reviews_lock", "reviews_path", "stale_reasons", "undo", "valid_at",
    "valid_date", "version_of", "withdraw",
]
