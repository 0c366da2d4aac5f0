"""The review core as the web layer sees it: the ONLY module of ipfacts.web that touches verdicts.

The web layer shows and submits; every rule (what is reviewable or held back, what conflicts, what is
stale) is decided in the review core (`ipfacts.review.rules`, `ipfacts.review.verdicts`), re-exported
here under the names the pages use:

    reviewable(finding) -> bool            why_not_reviewable(finding) -> str | None
    why_not_now(finding, report) -> str | None   (also held back: unverified numbers)
    Verdict(fingerprint, status, note, reviewer, at)
    history(root, fp) -> list[Verdict]     (oldest first)
    current(root, fp) -> Verdict | None    version_of(root, fp) -> str ("" when none)
    record(root, finding_or_fp, *, status, note, reviewer, expected_version, force, live, report) -> Verdict
        raises VerdictConflict (.current, .proposed), NotReviewable, FingerprintError, ValueError
    undo(root, fp, *, reviewer)            reviews_lock(root)
"""

from __future__ import annotations

from ipfacts.review.rules import reviewable, why_not_now, why_not_reviewable
from ipfacts.review.verdicts import (
    MAX_NOTE,
    STATUSES,
    FingerprintError,
    NotReviewable,
    Verdict,
    VerdictConflict,
    current,
    history,
    record,
    reviews_lock,
    undo,
    version_of,
)

__all__ = [
    "MAX_NOTE", "STATUSES", "FingerprintError", "NotReviewable", "Verdict", "VerdictConflict", "current", "history",
    "record", "reviewable", "reviews_lock", "undo", "version_of", "why_not_now", "why_not_reviewable",
]
