"""The last run's report, reused when not one input byte has changed.

The key is a hash over the tool version, every fact file, sources.yaml,
metrics.yaml, reviews.yaml and every source document's bytes, and the
options that shape the report. It is stored as JSON (never pickle: a cache
directory must not be a way to run code). Any doubt — unreadable files, a
broken sources.yaml, a damaged entry — means no reuse, never a wrong answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any

from ipfacts import __version__
from ipfacts.findings import CitationRef, FactRef, Finding, Report
from ipfacts.infra.parsecache import ParseCache
from ipfacts.load.yamlnodes import Where, get, is_map, is_scalar, items, scalar_text

FORMAT = 1


def run_key(root: Path, cache: ParseCache, fact_paths: list[tuple[Path, str]], options: str) -> str | None:
    """Hash every input's bytes (reading, not parsing: only sources.yaml is parsed, for its file list)."""
    digest = hashlib.sha256(f"{FORMAT}\x1f{__version__}\x1f{options}".encode())
    for path, shown in sorted(fact_paths, key=lambda item: item[1]):
        try:
            digest.update(f"\x1e{shown}\x1f{cache.read(path)[1]}".encode())
        except OSError:
            return None
    sources = cache.parse_many([(root / "facts" / "sources.yaml", "facts/sources.yaml")]).get("facts/sources.yaml")
    if sources is None or not is_map(sources):
        return None
    for _, entry in items(sources):
        file_node = get(entry, "file") if is_map(entry) else None
        if file_node is None or not is_scalar(file_node):
            return None
        path = (root / scalar_text(file_node)).resolve()
        try:
            path.relative_to(root)
            data = path.read_bytes()
        except (OSError, ValueError):
            return None  # let the full run report it
        digest.update(b"\x1e" + hashlib.sha256(data).digest())
    reviews = root / "facts" / "reviews.yaml"
    digest.update(b"\x1e" + (hashlib.sha256(reviews.read_bytes()).digest() if reviews.exists() else b"-"))
    return digest.hexdigest()


def _entry(cache: ParseCache) -> Path | None:
    return None if cache.directory is None else cache.directory.parent / f"last-run-v{FORMAT}.json"


def load_report(cache: ParseCache, key: str) -> Report | None:
    entry = _entry(cache)
    if entry is None:
        return None
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        return _report(data["report"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_report(cache: ParseCache, key: str, report: Report) -> None:
    entry = _entry(cache)
    if entry is None:
        return
    from ipfacts.infra.atomic import write_atomic

    with contextlib.suppress(OSError, TypeError, ValueError):  # not cached: the next run is merely slower
        write_atomic(entry, json.dumps({"key": key, "report": _plain(report)}, ensure_ascii=False, default=str),
                     durable=False)


def _plain(report: Report) -> dict[str, Any]:
    return {
        "facts_checked": report.facts_checked,
        "relations_checked": report.relations_checked,
        "sources_checked": report.sources_checked,
        "stats": report.stats,
        "findings": [{
            "code": f.code, "severity": f.severity, "message": f.message,
            "where": [f.where.file, f.where.line] if f.where else None,
            "facts": [[r.id, r.file, r.line, r.value, r.note] for r in f.facts],
            "citations": [[c.source, c.file, c.line, c.sha256, c.end_line] for c in f.citations],
            "reported": f.reported, "expected": f.expected, "details": f.details, "review": f.review,
        } for f in report.findings],
    }


def _report(data: dict[str, Any]) -> Report:
    found = [Finding(
        code=f["code"], severity=f["severity"], message=f["message"],
        where=Where(*f["where"]) if f["where"] else None,
        facts=[FactRef(*r) for r in f["facts"]],
        citations=[CitationRef(*c) for c in f["citations"]],
        reported=f["reported"], expected=f["expected"], details=f["details"], review=f["review"],
    ) for f in data["findings"]]
    return Report(found, facts_checked=data["facts_checked"], relations_checked=data["relations_checked"],
                  sources_checked=data["sources_checked"], stats=data["stats"])
