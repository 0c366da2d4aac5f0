"""Editors' verdicts on findings, kept in facts/reviews.yaml (written by the tool only)."""

from __future__ import annotations

from ipfacts.findings import Report
from ipfacts.model import FactBase


def apply_reviews(base: FactBase, report: Report) -> None:
    """Attach recorded verdicts to the findings they match (the review workflow is its own issue)."""
    path = base.root / "facts" / "reviews.yaml"
    if not path.exists():
        return
