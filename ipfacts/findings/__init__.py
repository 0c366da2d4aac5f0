"""Findings: problems as data. Checks yield them; renderers format them; the exit code comes from them.

A Finding is what a check found: code, severity, message, the facts and citations involved, and
the typed fields of its family (`details.py`). What is decided or attached later — an editor's
verdict, a review suspended by a changed source, source excerpts for a page — lives beside it, in
the Report, keyed by the finding's fingerprint.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ipfacts.findings.codes import code as lookup_code
from ipfacts.findings.details import Details, details_for
from ipfacts.load.yamlnodes import Where

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class FactRef:
    id: str
    file: str
    line: int
    value: str  # as written: part of the fingerprint
    note: str | None = None  # the curator's note on the fact: shown to editors, not part of the fingerprint


@dataclass(frozen=True, slots=True)
class CitationRef:
    source: str
    file: str
    line: int  # first cited line
    sha256: str  # the recorded hash: part of the fingerprint
    end_line: int | None = None  # last cited line (None: the citation is one line)


@dataclass(slots=True)
class Finding:
    code: str
    severity: str
    message: str
    where: Where | None = None
    facts: list[FactRef] = field(default_factory=list)
    citations: list[CitationRef] = field(default_factory=list)
    reported: str | None = None
    expected: str | None = None
    details: Details = field(default_factory=Details)

    @property
    def name(self) -> str:
        return lookup_code(self.code).name

    @property
    def title(self) -> str:
        return lookup_code(self.code).title

    @property
    def location(self) -> Where | None:
        if self.where is not None:
            return self.where
        if self.facts:
            return Where(self.facts[0].file, self.facts[0].line)
        return None

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line moves; changes when a value or source behind it changes."""
        parts = [self.code]
        parts += sorted(f"{f.id}={f.value}" for f in self.facts)
        parts += sorted({f"{c.source}#{c.sha256}" for c in self.citations})
        if not self.facts and self.where is not None:
            parts.append(str(self.where))
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
        return digest[:16]

    def sort_key(self) -> tuple[str, int, str, str]:
        loc = self.location
        return (loc.file if loc else "", loc.line if loc else 0, self.code, self.message)


@dataclass(frozen=True, slots=True)
class ReviewedFinding:
    """A finding together with what is kept beside it: its verdict, a verdict suspended because a
    source changed, and source excerpts (plain data from review.excerpts) — what `Report.view` gives
    a renderer that shows one finding in full."""

    finding: Finding
    review: dict[str, Any] | None = None
    suspended: dict[str, Any] | None = None
    excerpts: list[dict[str, Any]] = field(default_factory=list)


MAX_MESSAGE = 2000  # characters of a finding's message: a long value or quote in it is shown cut
_LONG_RUN = re.compile(r"\S{200,}")


def clip(text: str, keep: int = 60) -> str:
    """Text for a message: as it is when short, else its start, an ellipsis and its length."""
    return text if len(text) <= 2 * keep else f"{text[:keep]}…[{len(text):,} characters]"


def bounded(message: str) -> str:
    """A message of at most about MAX_MESSAGE characters: every long run of text in it cut (`clip`)."""
    if len(message) <= MAX_MESSAGE:
        return message
    message = _LONG_RUN.sub(lambda m: clip(m.group(0)), message)
    return message if len(message) <= MAX_MESSAGE else clip(message, MAX_MESSAGE // 2)


def make(code: str, message: str, *, severity: str | None = None, details: Any = None, **kwargs: Any) -> Finding:
    """A finding of `code`, its details typed by the code's family (raises details.BadDetails if they do not fit).
    A message that would repeat a huge value in full is cut (`bounded`)."""
    return Finding(code=code, severity=severity or lookup_code(code).severity, message=bounded(message),
                   details=details_for(code, details), **kwargs)


@dataclass
class Report:
    """Everything one run found. The exit code is derived from it, never decided elsewhere."""

    findings: list[Finding]
    facts_checked: int = 0
    relations_checked: int = 0
    sources_checked: int = 0
    load_failed: bool = False
    stats: dict[str, Any] = field(default_factory=dict)
    # Beside the findings, by fingerprint: editors' verdicts, reviews suspended by a changed source,
    # source excerpts attached for a page (review.excerpts).
    reviews: dict[str, dict[str, Any]] = field(default_factory=dict)
    suspended: dict[str, dict[str, Any]] = field(default_factory=dict)
    excerpts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.findings.sort(key=Finding.sort_key)

    def review_of(self, finding: Finding) -> dict[str, Any] | None:
        """The editor's verdict that covers this finding, if any (the JSON `review` object)."""
        return self.reviews.get(finding.fingerprint) if self.reviews else None

    def suspended_of(self, finding: Finding) -> dict[str, Any] | None:
        return self.suspended.get(finding.fingerprint) if self.suspended else None

    def excerpts_of(self, finding: Finding) -> list[dict[str, Any]]:
        return self.excerpts.get(finding.fingerprint, []) if self.excerpts else []

    def view(self, finding: Finding) -> ReviewedFinding:
        return ReviewedFinding(finding, self.review_of(finding), self.suspended_of(finding), self.excerpts_of(finding))

    @property
    def open(self) -> list[Finding]:
        return [f for f in self.findings if self.review_of(f) is None]

    @property
    def reviewed(self) -> list[Finding]:
        return [f for f in self.findings if self.review_of(f) is not None]

    def exit_code(self, fail_on_reviewed: bool = False) -> int:
        if self.load_failed:
            return 2
        failing: Iterable[Finding] = self.findings if fail_on_reviewed else self.open
        return 1 if any(f.severity == ERROR for f in failing) else 0

    def summary(self) -> dict[str, Any]:
        def count(items: Iterable[Finding], severity: str) -> int:
            return sum(1 for f in items if f.severity == severity)

        return {
            "facts": self.facts_checked,
            "relations": self.relations_checked,
            "sources": self.sources_checked,
            "errors": count(self.open, ERROR),
            "warnings": count(self.open, WARNING),
            "reviewed": len(self.reviewed),
            "load_failed": self.load_failed,
            **self.stats,
        }
