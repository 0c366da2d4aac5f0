"""Editors' verdicts on findings, kept in facts/reviews.yaml (written by the tool only).

A review is keyed by the finding's fingerprint (`Finding.fingerprint`: its
code, the ids of the facts involved with their values as written, and the
recorded sha256 of every source they cite). A review applies while a finding
with that fingerprint exists; change a value, a fact's id, or a source's
recorded hash and it no longer applies: the finding is open again and the
review is reported as stale (V001) until it is renewed or pruned.

A review of a finding whose source's bytes no longer match their hash (C001)
is *suspended*: the finding counts as open and the review is reported (V001),
because nobody has re-checked the numbers against the changed text.

The file is rewritten whole, sorted by fingerprint, under a lock file and by
atomic replace, re-read under the lock, so concurrent `ipfacts review` runs
never lose each other's verdicts. Nothing else in the fact base is ever
written.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from ipfacts import findings
from ipfacts.findings import Finding, Report
from ipfacts.infra.atomic import write_atomic
from ipfacts.load import yamlnodes as yn
from ipfacts.load.model import FactBase
from ipfacts.load.yamlnodes import Where, YamlSyntaxError

REVIEWS = "facts/reviews.yaml"  # relative to the root, as shown to users
STATUSES: dict[str, str] = {
    "source-error": "the source itself is wrong; the fact keeps the published value",
    "explained": "the numbers are right, and the note says why",
    "false-positive": "the check is wrong for this case",
}
# C001 is resolved by re-checking the citations and updating the hash, never by a verdict;
# V001 by renewing or pruning the review it is about.
UNREVIEWABLE: dict[str, str] = {
    "C001": "a changed source is resolved by re-checking its citations and updating its sha256 in "
            "facts/sources.yaml, not by a review",
    "V001": "a stale review is resolved by reviewing the finding again or by `ipfacts review --prune`",
}
FIELDS = ("code", "status", "reviewer", "date", "note", "message", "facts", "sources")
REQUIRED = ("code", "status", "reviewer", "date", "note")
HASH_SHOWN = 12  # digits of a source's sha256 kept in an entry, for people reading why a review went stale
FINGERPRINT_RE = re.compile(r"^[0-9a-f]{4,64}$")
HEADER = ("# Editors' verdicts on `ipfacts check` findings, keyed by fingerprint.\n"
          "# Written by `ipfacts review`; do not edit by hand (see docs/reviews.md).\n")

T = TypeVar("T")


@dataclass
class Review:
    fingerprint: str
    code: str
    status: str
    note: str
    reviewer: str
    date: str  # ISO 8601 (YYYY-MM-DD)
    message: str = ""  # the finding's message when it was reviewed
    facts: dict[str, str] = field(default_factory=dict)  # fact id -> value as written then
    sources: dict[str, str] = field(default_factory=dict)  # source id -> first digits of its recorded sha256 then
    line: int = 0  # where the entry starts in reviews.yaml (0: not written yet)

    def verdict(self) -> dict[str, Any]:
        """What a reviewed finding carries (`Report.reviews`; the JSON `review` object)."""
        return {"status": self.status, "note": self.note, "reviewer": self.reviewer, "date": self.date,
                "fingerprint": self.fingerprint}

    def entry(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "status": self.status, "reviewer": self.reviewer,
                               "date": self.date, "note": self.note}
        if self.message:
            out["message"] = self.message
        if self.facts:
            out["facts"] = dict(sorted(self.facts.items()))
        if self.sources:
            out["sources"] = dict(sorted(self.sources.items()))
        return out

    @property
    def where(self) -> Where:
        return Where(REVIEWS, self.line or 1)

    def label(self) -> str:
        return f"review {self.fingerprint} ({self.code} {self.status}, {self.reviewer}, {self.date})"


class FingerprintError(Exception):
    """A fingerprint (prefix) that names no finding, or more than one."""


def reviews_path(root: Path | str) -> Path:
    return Path(root) / REVIEWS


def reviewable(finding: Finding) -> bool:
    return finding.code not in UNREVIEWABLE and not finding.code.startswith("L")


def new_review(finding: Finding, status: str, note: str, reviewer: str, date: str | None = None) -> Review:
    """The review of one finding as it stands now. Raises ValueError for a bad status or an empty field."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
    if not reviewable(finding):
        raise ValueError(f"{finding.code} cannot be reviewed: {UNREVIEWABLE.get(finding.code, 'fix the fact base')}")
    note, reviewer = note.strip(), reviewer.strip()
    if not note:
        raise ValueError("a review needs a note saying why")
    if not reviewer:
        raise ValueError("a review needs a reviewer")
    return Review(
        fingerprint=finding.fingerprint, code=finding.code, status=status, note=note, reviewer=reviewer,
        date=date or datetime.date.today().isoformat(), message=finding.message,
        facts={f.id: f.value for f in finding.facts},
        sources={c.source: c.sha256[:HASH_SHOWN] for c in finding.citations},
    )


# -- reading ----------------------------------------------------------------------------------------------


def load_reviews(root: Path | str) -> dict[str, Review]:
    """facts/reviews.yaml as reviews by fingerprint ({} when there is none).

    Raises loader.LoadFailed with every problem (file:line) when the file cannot be read."""
    from ipfacts.load.loader import LoadFailed

    path = reviews_path(root)
    if not path.exists():
        return {}
    problems: list[Finding] = []
    try:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlSyntaxError(Where(REVIEWS, data[: exc.start].count(b"\n") + 1), "not UTF-8 text") from exc
        node = _parse(text)
    except OSError as exc:
        raise LoadFailed([findings.make("L001", f"cannot read: {exc.strerror or exc}", where=Where(REVIEWS, 1))]) from exc
    except YamlSyntaxError as exc:
        raise LoadFailed([findings.make("L001", exc.message, where=exc.where)]) from exc
    reviews = _reviews(node, problems)
    if problems:
        raise LoadFailed(problems)
    return reviews


def _parse(text: str) -> Any:
    return yn.parse_nodes(text, REVIEWS)


def _entries(node: Any) -> Iterator[tuple[str, int, Any]]:
    for key, value in yn.items(node):
        yield key, yn.key_line(node, key), value


def _duplicates(node: Any) -> list[tuple[str, int]]:
    # the parser lists every duplicate of the file on its top-level mapping: (key, line, first line)
    return [(entry[0], int(entry[1])) for entry in node.get(yn.DUPLICATES, [])]


def _text(node: Any) -> str:
    return "" if yn.scalar_tag(node) == "null" else yn.scalar_text(node)


def _reviews(node: Any, problems: list[Finding]) -> dict[str, Review]:
    if node is None:
        return {}

    def problem(code: str, line: int, message: str) -> None:
        problems.append(findings.make(code, message, where=Where(REVIEWS, line)))

    def duplicates(mapping: Any) -> None:
        for key, line in _duplicates(mapping):
            problem("L002", line, f"{key!r} appears twice; reviews.yaml is written by `ipfacts review`, "
                                  "not by hand")

    if not yn.is_map(node):
        problem("L004", yn.line_of(node), f"reviews.yaml must be a mapping of fingerprints to reviews, not {yn.kind_of(node)}")
        return {}
    duplicates(node)
    reviews: dict[str, Review] = {}
    for fingerprint, line, entry in _entries(node):
        if not FINGERPRINT_RE.match(fingerprint):
            problem("L004", line, f"{fingerprint!r} is not a finding fingerprint (hex digits)")
            continue
        if not yn.is_map(entry):
            problem("L004", line, f"review {fingerprint} must be a mapping, not {yn.kind_of(entry)}")
            continue
        duplicates(entry)
        values: dict[str, Any] = {}
        for name, at, value in _entries(entry):
            if name not in FIELDS:
                problem("L003", at, f"unknown field {name!r} in review {fingerprint}; allowed: {', '.join(FIELDS)}")
            elif name in ("facts", "sources"):
                values[name] = _text_map(value, name, fingerprint, at, problem)
            elif not yn.is_scalar(value):
                problem("L004", at, f"{name} of review {fingerprint} must be text, not {yn.kind_of(value)}")
            else:
                values[name] = _text(value)
        missing = [name for name in REQUIRED if not values.get(name, "").strip()]
        if missing:
            problem("L005", line, f"review {fingerprint} lacks {', '.join(missing)}")
            continue
        if values["status"] not in STATUSES:
            problem("L004", line, f"review {fingerprint}: status {values['status']!r} is not one of "
                                  f"{', '.join(STATUSES)}")
            continue
        reviews[fingerprint] = Review(
            fingerprint=fingerprint, code=values["code"], status=values["status"], note=values["note"],
            reviewer=values["reviewer"], date=values["date"], message=values.get("message", ""),
            facts=values.get("facts") or {}, sources=values.get("sources") or {}, line=line)
    return reviews


def _text_map(node: Any, name: str, fingerprint: str, line: int,
              problem: Callable[[str, int, str], None]) -> dict[str, str]:
    if not yn.is_map(node):
        problem("L004", line, f"{name} of review {fingerprint} must be a mapping of ids to text, not {yn.kind_of(node)}")
        return {}
    out: dict[str, str] = {}
    for key, at, value in _entries(node):
        if yn.is_scalar(value):
            out[key] = _text(value)
        else:
            problem("L004", at, f"{name}.{key} of review {fingerprint} must be text, not {yn.kind_of(value)}")
    return out


# -- writing ----------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_reviews(reviews: dict[str, Review]) -> str:
    """The file's text: a header, then one entry per fingerprint in sorted order, a blank line apart."""
    chunks = [HEADER]
    for fingerprint in sorted(reviews):
        chunks.append("\n" + yaml.dump({fingerprint: reviews[fingerprint].entry()}, Dumper=_Dumper,
                                       allow_unicode=True, sort_keys=False, default_flow_style=False,
                                       width=1_000_000))
    return "".join(chunks)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `.NAME.lock` beside `path` (blocking until it is free)."""
    lock = path.with_name(f".{path.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows
        fcntl = None  # type: ignore[assignment]
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            else:  # pragma: no cover - Windows only
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                break
            # The holder before us removes the lock file on release: lock the file that is there now.
            try:
                if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                    break
            except FileNotFoundError:
                pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        if fcntl is not None:
            lock.unlink(missing_ok=True)
        os.close(fd)


def update_reviews(root: Path | str, change: Callable[[dict[str, Review]], T]) -> T:
    """Re-read reviews.yaml under the lock, let `change` edit the reviews, write them back atomically."""
    path = reviews_path(root)
    with locked(path):
        reviews = load_reviews(root)
        before = dump_reviews(reviews)
        result = change(reviews)
        after = dump_reviews(reviews)
        if after != before or not path.exists():
            write_atomic(path, after)
    return result


def record(root: Path | str, review: Review, live: set[str] | None = None) -> list[str]:
    """Write one review, replacing any under the same fingerprint.

    With `live` (the fingerprints of the findings reported now), stale reviews of the same code and
    the same facts are dropped too: the new review renews them. Returns the fingerprints it replaced."""

    def change(reviews: dict[str, Review]) -> list[str]:
        renewed = renewed_by(review, reviews, live) if live is not None else []
        for old in renewed:
            del reviews[old]
        reviews[review.fingerprint] = review
        return renewed

    return update_reviews(root, change)


def remove(root: Path | str, fingerprints: Iterable[str]) -> list[str]:
    """Drop these reviews; returns the fingerprints that were there."""
    wanted = set(fingerprints)

    def change(reviews: dict[str, Review]) -> list[str]:
        gone = sorted(wanted & set(reviews))
        for fingerprint in gone:
            del reviews[fingerprint]
        return gone

    return update_reviews(root, change)


# -- applying ---------------------------------------------------------------------------------------------


def changed_sources(report: Report) -> set[str]:
    return {c.source for f in report.findings if f.code == "C001" for c in f.citations}


def apply_reviews(base: FactBase, report: Report) -> None:
    """Attach recorded verdicts to the findings they match; report stale and suspended reviews (V001)."""
    reviews = load_reviews(base.root)
    if not reviews:
        return
    changed = changed_sources(report)
    used: set[str] = set()
    added: list[Finding] = []
    for finding in report.findings:
        review = reviews.get(finding.fingerprint)
        if review is None or not reviewable(finding):
            continue
        used.add(review.fingerprint)
        moved = sorted({c.source for c in finding.citations} & changed)
        if moved:
            report.suspended[finding.fingerprint] = review.verdict()
            added.append(findings.make(
                "V001",
                f"{review.label()} is suspended: source {', '.join(moved)} changed since it was hashed (C001); "
                f"re-check the citation, update the sha256 in facts/sources.yaml, then review the finding again",
                where=review.where, details={"review": review.fingerprint, "changed_sources": moved}))
            continue
        report.reviews[finding.fingerprint] = review.verdict()
    for fingerprint, review in sorted(reviews.items()):
        if fingerprint in used:
            continue
        changes = stale_reasons(base, review)
        added.append(findings.make(
            "V001",
            f"{review.label()} matches no finding: {'; '.join(changes)}; review the finding again if it is still "
            f"reported, or drop the entry with `ipfacts review --prune`",
            where=review.where, details={"review": fingerprint, "changes": changes}))
    if added:
        report.findings.extend(added)
        report.findings.sort(key=Finding.sort_key)


def stale_reasons(base: FactBase, review: Review) -> list[str]:
    """Why a review no longer matches: what changed in the values and sources it recorded."""
    reasons: list[str] = []
    for fact_id, value in sorted(review.facts.items()):
        fact = base.facts.get(fact_id)
        if fact is None:
            reasons.append(f"fact {fact_id} no longer exists")
        elif fact.value.text != value:
            reasons.append(f"{fact_id} was {value}, is now {fact.value.text}")
    for source_id, digits in sorted(review.sources.items()):
        source = base.sources.get(source_id)
        if source is None:
            reasons.append(f"source {source_id} no longer exists")
        elif digits and not source.sha256.startswith(digits):
            reasons.append(f"the recorded sha256 of {source_id} changed ({digits}… → {source.sha256[:len(digits)]}…)")
    return reasons or ["its values and sources are unchanged, so the finding itself is gone (fixed, or no longer raised)"]


# -- helpers for the command line -------------------------------------------------------------------------


def resolve(prefix: str, fingerprints: Iterable[str]) -> str:
    """The one fingerprint that starts with `prefix` (case-insensitive). Raises FingerprintError."""
    wanted = prefix.strip().lower()
    if not re.fullmatch(r"[0-9a-f]+", wanted):
        raise FingerprintError(f"{prefix!r} is not a fingerprint: hex digits, as `ipfacts review --list` or "
                               "`ipfacts check --format json` show them")
    matches = sorted({f for f in fingerprints if f.startswith(wanted)})
    if not matches:
        raise FingerprintError(f"no finding has a fingerprint starting with {wanted!r} (`ipfacts review --list` "
                               "shows the open ones)")
    if len(matches) > 1:
        shown = ", ".join(matches[:8]) + (" …" if len(matches) > 8 else "")
        raise FingerprintError(f"{wanted!r} matches {len(matches)} findings ({shown}); give more digits")
    return matches[0]


def git_user(root: Path | str) -> str | None:
    """`git config user.name` as seen from the fact base (None without git or a configured name)."""
    try:
        result = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True,
                                timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    name = result.stdout.strip()
    return name if result.returncode == 0 and name else None


def stale_of(code: str, fact_ids: Iterable[str], reviews: dict[str, Review], live: set[str]) -> list[str]:
    """Reviews of this code and these facts that match no live finding (newest first): earlier verdicts
    on the same question, made before a value or source changed."""
    ids = set(fact_ids)
    found = [fp for fp, old in reviews.items() if fp not in live and old.code == code and set(old.facts) == ids]
    return sorted(found, key=lambda fp: (reviews[fp].date, fp), reverse=True)


def renewed_by(review: Review, reviews: dict[str, Review], live: set[str]) -> list[str]:
    """The stale reviews a new review replaces: same code, same facts."""
    return sorted(fp for fp in stale_of(review.code, review.facts, reviews, live) if fp != review.fingerprint)
