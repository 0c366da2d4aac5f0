"""The review core as the web layer sees it: the ONLY module of ipfacts.web that touches verdicts.

The web layer shows and submits; every rule (what is reviewable, what conflicts, what is stale) is
decided here, in the review core. The names below are the review core's API (issue 17):

    reviewable(finding) -> bool            why_not_reviewable(finding) -> str | None
    why_not_now(finding, report) -> str | None   (also held back: unverified numbers)
    Verdict(fingerprint, status, note, reviewer, at)
    history(root, fp) -> list[Verdict]     current(root, fp) -> Verdict | None
    version_of(root, fp) -> str            ("" when there is no verdict)
    record(root, finding_or_fp, *, status, note, reviewer, expected_version, force, live, report) -> Verdict
        raises VerdictConflict (.current, .proposed), NotReviewable, FingerprintError
    undo(root, fp, *, reviewer)            reviews_lock(root)

For now they are a thin adapter over today's `ipfacts.review.verdicts` (one verdict per
fingerprint, dated by day, no history beyond the current verdict); when the rewritten core lands,
this module becomes a plain re-export of it (checked against the `review` branch: every serve test
passes with it):

    from ipfacts.review.rules import reviewable, why_not_now, why_not_reviewable
    from ipfacts.review.verdicts import (STATUSES, FingerprintError, NotReviewable, Verdict, VerdictConflict,
                                         current, history, record, reviews_lock, undo, version_of)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ipfacts.findings import Finding, Report
from ipfacts.infra.atomic import write_atomic
from ipfacts.review import verdicts as _v
from ipfacts.review.verdicts import STATUSES, FingerprintError

__all__ = [
    "STATUSES", "FingerprintError", "NotReviewable", "Verdict", "VerdictConflict", "current", "history",
    "record", "reviewable", "reviews_lock", "undo", "version_of", "why_not_now", "why_not_reviewable",
]


@dataclass(frozen=True)
class Verdict:
    fingerprint: str
    status: str
    note: str
    reviewer: str
    at: str  # ISO 8601 date (and time, once the core records it)


class NotReviewable(Exception):
    """The finding cannot carry a verdict (the message says why and what to do instead)."""


class VerdictConflict(Exception):
    """The verdict changed since the caller saw it (or one exists and `force` was not given)."""

    def __init__(self, current: Verdict | None, proposed: Verdict) -> None:
        super().__init__(f"the verdict on {proposed.fingerprint} changed since it was shown")
        self.current = current
        self.proposed = proposed


def why_not_reviewable(finding: Finding) -> str | None:
    """Why this finding can never take a verdict (None: it can)."""
    code = finding.code
    if code.startswith("C"):
        return (f"{code} is a citation or source finding: the fact must be fixed (its quote, line or value, or the "
                "source's sha256 after re-checking), not reviewed")
    if code.startswith("L"):
        return f"{code} is a load error: the fact must be fixed so that the base can be read, not reviewed"
    if code.startswith("V"):
        return _v.UNREVIEWABLE.get(code) or "a finding about a review is resolved by reviewing again"
    return None


def why_not_now(finding: Finding, report: Report) -> str | None:
    """Why this finding cannot take a verdict now: never reviewable, or held back while its numbers are
    unverified (a source it cites changed since it was hashed, or a fact involved fails its citation)."""
    reason = why_not_reviewable(finding)
    if reason is not None:
        return reason
    moved = sorted({c.source for c in finding.citations} & _v.changed_sources(report))
    if moved:
        return (f"source {', '.join(moved)} changed since it was hashed (C001): re-check the citations and update "
                "its sha256 in facts/sources.yaml before reviewing findings that cite it")
    broken = sorted({(fact.id, f.code) for f in report.findings if f.code.startswith("C") and f.code != "C001"
                     for fact in f.facts} & {(fact.id, code) for fact in finding.facts
                                             for code in ("C002", "C003", "C004", "C005")})
    if broken:
        listed = ", ".join(f"{fact_id} ({code})" for fact_id, code in broken)
        return (f"the citation of {listed} fails: the numbers are not verified against the source; the fact must "
                "be fixed before this finding can be reviewed")
    return None


def reviewable(finding: Finding) -> bool:
    return why_not_reviewable(finding) is None


def _verdict(review: _v.Review) -> Verdict:
    return Verdict(review.fingerprint, review.status, review.note, review.reviewer, review.date)


def current(root: Path | str, fp: str) -> Verdict | None:
    review = _v.load_reviews(root).get(fp)
    return _verdict(review) if review is not None else None


def history(root: Path | str, fp: str) -> list[Verdict]:
    """Oldest first. Today's store keeps only the current verdict."""
    found = current(root, fp)
    return [found] if found is not None else []


def _version(verdict: Verdict | None) -> str:
    if verdict is None:
        return ""
    text = "\x1f".join((verdict.fingerprint, verdict.status, verdict.note, verdict.reviewer, verdict.at))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def version_of(root: Path | str, fp: str) -> str:
    return _version(current(root, fp))


@contextmanager
def reviews_lock(root: Path | str) -> Iterator[None]:
    """The lock `ipfacts review` takes on facts/reviews.yaml."""
    with _v.locked(_v.reviews_path(root)):
        yield


def record(root: Path | str, finding_or_fp: Finding | str, *, status: str, note: str, reviewer: str,
           expected_version: str | None = None, force: bool = False, live: set[str] | None = None,
           report: Report | None = None) -> Verdict:
    """Record one verdict and return it.

    `expected_version` is the version the caller showed ("" for none): a different version now raises
    VerdictConflict. Without it, replacing an existing verdict needs `force`. With `report` (the check the
    finding comes from), a finding held back by it raises NotReviewable. With `live` (the fingerprints
    reported now), stale verdicts of the same code and facts are renewed by this one. A string names a
    finding that already has a verdict (FingerprintError otherwise); ValueError for a bad status or an
    empty field."""
    if isinstance(finding_or_fp, Finding):
        reason = why_not_now(finding_or_fp, report) if report is not None else why_not_reviewable(finding_or_fp)
        if reason is not None:
            raise NotReviewable(reason)
    with reviews_lock(root):
        reviews = _v.load_reviews(root)
        if isinstance(finding_or_fp, Finding):
            try:
                review = _v.new_review(finding_or_fp, status, note, reviewer)
            except ValueError as exc:
                if "cannot be reviewed" in str(exc):
                    raise NotReviewable(str(exc)) from exc
                raise
        else:
            if len(finding_or_fp.strip()) < 8:
                raise FingerprintError(f"{finding_or_fp!r}: writing needs at least 8 digits of a fingerprint")
            fp = _v.resolve(finding_or_fp, reviews)
            old = reviews[fp]
            status, note, reviewer = _checked(status, note, reviewer)
            review = _v.Review(fp, old.code, status, note, reviewer, _today(), old.message, old.facts, old.sources)
        proposed = _verdict(review)
        fp = review.fingerprint
        now = _verdict(reviews[fp]) if fp in reviews else None
        if expected_version is not None and _version(now) != expected_version:
            raise VerdictConflict(now, proposed)
        if expected_version is None and now is not None and not force:
            raise VerdictConflict(now, proposed)
        if live is not None:
            for old_fp in _v.renewed_by(review, reviews, live):
                del reviews[old_fp]
        reviews[fp] = review
        write_atomic(_v.reviews_path(root), _v.dump_reviews(reviews))
    return proposed


def _checked(status: str, note: str, reviewer: str) -> tuple[str, str, str]:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
    if not note.strip():
        raise ValueError("a review needs a note saying why")
    if not reviewer.strip():
        raise ValueError("a review needs a reviewer")
    return status, note.strip(), reviewer.strip()


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()


def undo(root: Path | str, fp: str, *, reviewer: str) -> Verdict | None:
    """Restore the previous verdict (today: none, so the finding is open again). Returns it."""
    _v.remove(root, [fp])
    return None
