"""Review: editors' verdicts on findings (the rules of what is reviewable, held back, stale or open;
the verdict store with its history) and source excerpts shown beside them.

The command line and the web interface both call this API; neither keeps a rule of its own."""

from ipfacts.review.rules import (
    Holds,
    Listed,
    listing,
    prunable,
    reviewable,
    to_review,
    why_not_now,
    why_not_reviewable,
)
from ipfacts.review.verdicts import (
    MIN_WRITE,
    STATUSES,
    Entry,
    FingerprintError,
    NothingToUndo,
    NotReviewable,
    Verdict,
    VerdictConflict,
    apply_reviews,
    current,
    default_reviewer,
    history,
    load_reviews,
    prune,
    record,
    resolve,
    reviews_lock,
    undo,
    version_of,
    withdraw,
)

__all__ = [
    "MIN_WRITE", "STATUSES", "Entry", "FingerprintError", "Holds", "Listed", "NotReviewable", "NothingToUndo", "Verdict",
    "VerdictConflict", "apply_reviews", "current", "default_reviewer", "history", "listing", "load_reviews", "prunable",
    "prune", "record", "resolve", "reviewable", "reviews_lock", "to_review", "undo", "version_of",
    "why_not_now", "why_not_reviewable", "withdraw",
]
