"""The last run's report, reused when not one input byte has changed.

The key is a hash over the code's fingerprint (infra.fingerprint: every file of
the installed package), every input file (load/inputs.py: the fact files, sources.yaml,
metrics.yaml, units.txt, regions.yaml, reviews.yaml) and every source document's bytes, and the
options that shape the report. It is stored as JSON (never pickle: a cache
directory must not be a way to run code), sealed with an HMAC under this
user's secret (infra.cachekey): an entry planted in the cache directory, even
with the right key, is not this user's and is not used. Any doubt — unreadable
files, a broken sources.yaml, a damaged or foreign entry, no secret — means no
reuse, never a wrong answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Any, cast

from ipfacts.findings import ERROR, WARNING, CitationRef, FactRef, Finding, Report
from ipfacts.findings.codes import CODES
from ipfacts.findings.details import details_for
from ipfacts.infra import fingerprint as code
from ipfacts.infra.atomic import write_atomic
from ipfacts.infra.cachekey import seal, sealed
from ipfacts.infra.safefiles import read_regular
from ipfacts.load.runfiles import RunFiles
from ipfacts.load.yamlnodes import Where

FORMAT = 3


def run_key(root: Path, files: RunFiles, options: str) -> str | None:
    """The key of a run: the code, the options that shape the result, and every input's bytes
    (`RunFiles.inputs_digest`: the one list of inputs and the source documents, hashed once per run), sealed
    with this user's secret (None: an input cannot be read, or there is no secret)."""
    inputs = files.inputs_digest(root)
    if inputs is None:
        return None
    digest = hashlib.sha256(f"{FORMAT}\x1f{code.code_fingerprint()}\x1f{options}\x1f{inputs}".encode())
    return seal(digest.digest())  # this user's key: an entry planted with a computed key does not match


def _entry(files: RunFiles) -> Path | None:
    return None if files.directory is None else files.directory / f"last-run-v{FORMAT}.json"


def _head(key: str, mac: str) -> bytes:
    """An entry's bytes before its report: `{"key": …, "seal": …, "report": ` (the report's JSON follows,
    then `}`); the seal is over the key and the report's exact bytes, so checking it re-serialises nothing."""
    return f'{{"key": {json.dumps(key)}, "seal": {json.dumps(mac)}, "report": '.encode()


def load_report(files: RunFiles, key: str) -> Report | None:
    entry = _entry(files)
    if entry is None:
        return None
    try:
        blob = read_regular(entry, 1 << 30)  # never a FIFO or device planted there
        data = json.loads(blob.decode("utf-8"))
        if type(data) is not dict or list(data) != ["key", "seal", "report"] or data["key"] != key:
            return None
        head = _head(key, data["seal"])
        if not blob.startswith(head) or not blob.endswith(b"}"):
            return None
        if not sealed(data["seal"], key.encode(), blob[len(head):-1]):
            return None  # not written by this user's ipfacts: planted, or copied from elsewhere
        return _report(data["report"])  # every field's shape checked (_Bad otherwise)
    except Exception:  # noqa: BLE001 - any doubt about an entry (damaged, edited, older shape) means no reuse
        return None


def store_report(files: RunFiles, key: str, report: Report) -> None:
    entry = _entry(files)
    if entry is None:
        return

    with contextlib.suppress(OSError, TypeError, ValueError):  # not cached: the next run is merely slower
        text = json.dumps(_plain(report), ensure_ascii=False, default=str).encode("utf-8")
        mac = seal(key.encode(), text)
        if mac is None:
            return  # no secret: an entry could not be told from a planted one, so none is written
        write_atomic(entry, _head(key, mac) + text + b"}", durable=False)


def _plain(report: Report) -> dict[str, Any]:
    return {
        "facts_checked": report.facts_checked,
        "relations_checked": report.relations_checked,
        "sources_checked": report.sources_checked,
        "stats": report.stats,
        "reviews": report.reviews,
        "suspended": report.suspended,
        "findings": [{
            "code": f.code, "severity": f.severity, "message": f.message,
            "where": [f.where.file, f.where.line] if f.where else None,
            "facts": [[r.id, r.file, r.line, r.value, r.note] for r in f.facts],
            "citations": [[c.source, c.file, c.line, c.sha256, c.end_line] for c in f.citations],
            "reported": f.reported, "expected": f.expected, "details": f.details.as_dict(),
        } for f in report.findings],
    }


class _Bad(ValueError):
    """An entry that is not a report this code wrote: ignored."""


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise _Bad(what)


def _text(value: Any, optional: bool = False) -> Any:
    _check(type(value) is str or (optional and value is None), "text")
    return value


def _int(value: Any) -> int:
    _check(type(value) is int and value >= 0, "a count")
    return int(value)


def _strings(value: Any, n: int, int_at: int) -> list[Any]:
    _check(type(value) is list and len(value) == n, "a reference")
    return [_int(v) if i == int_at else _text(v) for i, v in enumerate(value)]


def _fact_ref(value: Any) -> FactRef:
    _check(type(value) is list and len(value) == 5, "a fact reference")
    return FactRef(_text(value[0]), _text(value[1]), _int(value[2]), _text(value[3]), _text(value[4], optional=True))


def _citation_ref(value: Any) -> CitationRef:
    _check(type(value) is list and len(value) == 5, "a citation")
    end = value[4]
    _check(end is None or (type(end) is int and end >= 0), "a last line")
    return CitationRef(_text(value[0]), _text(value[1]), _int(value[2]), _text(value[3]), end)


def _verdicts(value: Any) -> dict[str, dict[str, Any]]:
    _check(type(value) is dict, "verdicts")
    for fingerprint, verdict in value.items():
        _check(type(verdict) is dict and all(type(k) is str and (v is None or type(v) is str)
                                               for k, v in verdict.items()), f"verdict {fingerprint}")
    return cast(dict[str, dict[str, Any]], value)


def _stats(value: Any) -> dict[str, Any]:
    _check(type(value) is dict, "stats")
    evaluations = value.get("evaluations", [])
    _check(type(evaluations) is list and all(type(e) is dict for e in evaluations), "evaluations")
    return cast(dict[str, Any], value)


def _finding(f: Any) -> Finding:

    _check(type(f) is dict, "a finding")
    code = _text(f["code"])
    _check(code in CODES, "a known code")
    _check(f["severity"] in (ERROR, WARNING), "a severity")
    where = f["where"]
    _check(type(f["facts"]) is list and type(f["citations"]) is list, "references")
    return Finding(
        code=code, severity=f["severity"], message=_text(f["message"]),
        where=None if where is None else Where(*_strings(where, 2, 1)),
        facts=[_fact_ref(r) for r in f["facts"]],
        citations=[_citation_ref(c) for c in f["citations"]],
        reported=_text(f["reported"], optional=True), expected=_text(f["expected"], optional=True),
        details=details_for(code, f["details"]),
    )


def _report(data: Any) -> Report:
    """The report of an entry, every field checked; raises ValueError (or KeyError) for anything else."""
    _check(type(data) is dict and type(data["findings"]) is list, "a report")
    found = [_finding(f) for f in data["findings"]]
    return Report(found, facts_checked=_int(data["facts_checked"]), relations_checked=_int(data["relations_checked"]),
                  sources_checked=_int(data["sources_checked"]), stats=_stats(data["stats"]),
                  reviews=_verdicts(data["reviews"]), suspended=_verdicts(data["suspended"]))
