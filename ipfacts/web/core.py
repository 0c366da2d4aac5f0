"""The review core as the web layer sees it: the ONLY module of ipfacts.web that touches verdicts.

The web layer shows and submits; every rule (what is reviewable, what conflicts, what is stale) is
decided here, in the review core. The names below are the review core's API (issue 17):

    reviewable(finding) -> bool            why_not_reviewable(finding) -> str | None
    Verdict(fingerprint, status, note, reviewer, at)
    history(root, fp) -> list[Verdict]     current(root, fp) -> Verdict | None
    version_of(root, fp) -> str            ("" when there is no verdict)
    record(root, finding_or_fp, *, status, note, reviewer, expected_version, force) -> Verdict
        raises VerdictConflict (.current, .proposed), NotReviewable, FingerprintError
    undo(root, fp, *, reviewer)            reviews_lock(root)

For now they are a thin adapter over today's `ipfacts.review.verdicts` (one verdict per
fingerprint, dated by day, no history beyond the current verdict); when the rewritten core lands,
this module becomes a plain re-export of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ipfacts.findings import Finding
from ipfacts.review import verdicts as _v
from ipfacts.review.verdicts import STATUSES, FingerprintError

__all__ = [
    "STATUSES", "FingerprintError", "NotReviewable", "Verdict", "VerdictConflict", "current", "history",
    "record", "reviewable", "reviews_lock", "undo", "version_of", "why_not_reviewable",
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
    code = finding.code
    if code.startswith("L"):
        return "the fact base cannot be read here: fix the file, then check again"
    if code.startswith("C"):
        return (_v.UNREVIEWABLE.get(code) or
                "a citation finding is resolved by fixing the fact (its value, quote or lines), not by a verdict")
    if code.startswith("V"):
        return _v.UNREVIEWABLE.get(code) or "a finding about a review is resolved by reviewing again"
    if finding.details.get("suspended_review"):
        return ("a source it cites changed since it was hashed (C001): re-check the citation and update its "
                "sha256 in facts/sources.yaml first")
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


def _finding(root: Path | str, fp: str) -> tuple[Finding, set[str], set[str]]:
    """The finding with this exact fingerprint as the fact base stands now, the sources changed since
    they were hashed, and the live fingerprints."""
    from ipfacts.check.engine import check_root
    from ipfacts.infra.parsecache import ParseCache

    if not _v.FINGERPRINT_RE.match(fp) or len(fp) < 8:
        raise FingerprintError(f"{fp!r} is not a full finding fingerprint")
    _, report = check_root(root, cache=ParseCache.for_root(Path(root).resolve()))
    live = {f.fingerprint for f in report.findings}
    for finding in report.findings:
        if finding.fingerprint == fp:
            return finding, _v.changed_sources(report), live
    raise FingerprintError(f"no finding has the fingerprint {fp} now: the fact base changed since the page was "
                           "shown")


def record(root: Path | str, finding_or_fp: Finding | str, *, status: str, note: str, reviewer: str,
           expected_version: str | None, force: bool = False) -> Verdict:
    """Record one verdict. `expected_version` is the version the caller showed ("" for none); a
    different version now raises VerdictConflict, and so does replacing a verdict without `force`."""
    fp = finding_or_fp if isinstance(finding_or_fp, str) else finding_or_fp.fingerprint
    finding, changed, live = _finding(root, fp)
    reason = why_not_reviewable(finding)
    moved = sorted({c.source for c in finding.citations} & changed)
    if reason is None and moved:
        reason = (f"source {', '.join(moved)} changed since it was hashed (C001): re-check the citation and update "
                  "its sha256 in facts/sources.yaml first")
    if reason is not None:
        raise NotReviewable(f"{finding.code} cannot be reviewed: {reason}")
    try:
        review = _v.new_review(finding, status, note, reviewer)
    except ValueError as exc:
        if "cannot be reviewed" in str(exc):
            raise NotReviewable(str(exc)) from exc
        raise
    proposed = _verdict(review)
    with reviews_lock(root):
        reviews = _v.load_reviews(root)
        now = _verdict(reviews[fp]) if fp in reviews else None
        if (expected_version is not None and _version(now) != expected_version) or (now is not None and not force):
            raise VerdictConflict(now, proposed)
        for old in _v.renewed_by(review, reviews, live):
            del reviews[old]
        reviews[fp] = review
        from ipfacts.infra.atomic import write_atomic

        write_atomic(_v.reviews_path(root), _v.dump_reviews(reviews))
    return proposed


def undo(root: Path | str, fp: str, *, reviewer: str) -> Verdict | None:
    """Restore the previous verdict (today: none, so the finding is open again). Returns it."""
    _v.remove(root, [fp])
    return None
