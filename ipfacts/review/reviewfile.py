"""facts/reviews.yaml, the file: reading it into entries (every problem with its line) and writing
entries back as text that merges well in git.

Entries are sorted by fingerprint, a blank line apart; each history line is one YAML flow mapping
(`{at, status, reviewer, note[, action][, for][, undoes], id}`), appended to its entry's list in the
order it was recorded. The first format (one verdict per fingerprint with `date:`) and lines written
before ids are read, and written in the current format on the next write.

A file over the loader's bound (`MAX_FILE_BYTES`) is refused by `check` (L017). The store's writers
read it with a larger bound (`REPAIR_BYTES`, entry by entry) so that `review --undo`, `--force` and
`--prune` can repair what was written (see `store`).
"""

from __future__ import annotations

import contextvars
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ipfacts import findings
from ipfacts.findings import Finding
from ipfacts.infra.safefiles import UnsafeFile, read_regular, real_path
from ipfacts.load import yamlnodes as yn
from ipfacts.load.loader import LoadFailed
from ipfacts.load.yamlnodes import Where, YamlSyntaxError
from ipfacts.review.model import (
    ACTIONS,
    FINGERPRINT_RE,
    LINE_ID_RE,
    REVIEWS,
    STATUSES,
    WITHDRAWN,
    Entry,
    Verdict,
    valid_at,
    valid_date,
)

ENTRY_FIELDS = ("code", "message", "facts", "sources", "verdicts")
OLD_FIELDS = ("code", "status", "reviewer", "date", "note", "message", "facts", "sources")
VERDICT_FIELDS = ("at", "status", "reviewer", "note", "action", "for", "undoes", "id")
REPAIR_BYTES = 4 * yn.MAX_FILE_BYTES  # what the store's writers still read, to repair an oversized file
HEADER = ("# Editors' verdicts on `ipfacts check` findings, keyed by fingerprint: what each finding was about\n"
          "# and every verdict ever recorded on it, oldest first (one line each, append-only).\n"
          "# Written by `ipfacts review`; do not edit by hand (see docs/reviews.md).\n")
REPAIR_HINT = ("over what `ipfacts check` reads: `ipfacts review --undo FINGERPRINT`, `--force` or `--prune` "
               "repair it (they drop the lines they take back; git keeps the history)")

_repairing: contextvars.ContextVar[bool] = contextvars.ContextVar("ipfacts_reviews_repairing", default=False)


@contextmanager
def repairing() -> Iterator[None]:
    """Within: reviews.yaml is read up to REPAIR_BYTES (for commands that can repair an oversized file)."""
    token = _repairing.set(True)
    try:
        yield
    finally:
        _repairing.reset(token)


def reviews_path(root: Path | str) -> Path:
    return Path(root) / REVIEWS


# -- reading ----------------------------------------------------------------------------------------------


def read_bytes(root: Path | str, limit: int | None = None) -> bytes | None:
    """The file's bytes (None when there is none). Raises loader.LoadFailed (L017, L020, L021)."""
    path = reviews_path(root)
    if not os.path.lexists(path):
        return None
    if limit is None:
        limit = REPAIR_BYTES if _repairing.get() else yn.MAX_FILE_BYTES
    try:
        return read_regular(path, limit, real_path(root))
    except UnsafeFile as exc:
        message = f"{exc.message}; {REPAIR_HINT}" if exc.code == "L017" and limit < REPAIR_BYTES else exc.message
        raise LoadFailed([findings.make(exc.code, message, where=Where(REVIEWS, 1))]) from exc
    except OSError as exc:
        raise LoadFailed([findings.make("L001", f"cannot read: {exc.strerror or exc}", where=Where(REVIEWS, 1))]) from exc


def load_reviews(root: Path | str, limit: int | None = None) -> dict[str, Entry]:
    """facts/reviews.yaml as entries by fingerprint ({} when there is none); the old format is migrated.

    Raises loader.LoadFailed with every problem (file:line) when the file cannot be read."""
    data = read_bytes(root, limit)
    return {} if data is None else parse_reviews(data)


def parse_reviews(data: bytes) -> dict[str, Entry]:
    """The entries of reviews.yaml's bytes. Raises loader.LoadFailed with every problem (file:line)."""
    problems: list[Finding] = []
    try:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlSyntaxError(Where(REVIEWS, data[: exc.start].count(b"\n") + 1), "not UTF-8 text") from exc
        node = yn.parse_nodes(text, REVIEWS) if len(data) <= yn.MAX_FILE_BYTES else _parse_large(text)
    except YamlSyntaxError as exc:
        raise LoadFailed([findings.make(exc.code, exc.message, where=exc.where)]) from exc
    entries = _entries(node, problems)
    if problems:
        raise LoadFailed(problems)
    return entries


def _shift(node: Any, by: int) -> Any:
    """A node parsed from a piece of the file, its lines moved to where the piece is in the file."""
    if yn.is_scalar(node):
        return (node[0] + by, node[1], node[2])
    if yn.is_seq(node):
        return [node[0] + by, [_shift(item, by) for item in node[1]]]
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == yn.LINE:
            out[key] = value + by
        elif key == yn.DUPLICATES:
            out[key] = [(name, line + by, first + by) for name, line, first in value]
        else:
            out[key] = (value[0] + by, _shift(value[1], by))
    return out


def _piece(lines: list[str], start: int) -> Any:
    return _shift(yn.parse_nodes("\n".join(lines), REVIEWS), start)


def _parse_large(text: str) -> Any:
    """A file over the parser's bound, in the format this module writes, parsed entry by entry and
    history line by history line (each piece within the bound)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line[:1] not in ("", " ", "#", "-")] + [len(lines)]
    top: dict[str, Any] = {yn.LINE: starts[0] + 1 if len(starts) > 1 else 1, yn.DUPLICATES: []}
    for begin, end in zip(starts, starts[1:], strict=False):
        block = lines[begin:end]
        head = [line for line in block if not line.startswith("  - ")]
        node = _piece(head, begin) if len(head) == len(block) else None
        if node is None:  # the header as one piece (its verdict lines left out), then each verdict line
            cut = next(i for i, line in enumerate(block) if line.startswith("  - "))
            node = _piece(block[:cut], begin)
            rows = [i for i, line in enumerate(block) if line.startswith("  - ")]
            if any(not block[i].startswith("  - ") and block[i].strip() for i in range(cut, len(block))):
                raise YamlSyntaxError(Where(REVIEWS, begin + cut + 1), "invalid YAML: not the format "
                                      "`ipfacts review` writes")
            items = [_piece([block[i][2:]], begin + i)[1][0] for i in rows]
            if not yn.is_map(node) or len(node) != 3:
                raise YamlSyntaxError(Where(REVIEWS, begin + 1), "invalid YAML: not the format `ipfacts review` writes")
            fingerprint = next(k for k in node if k[0] != "\x00")
            entry = yn.get(node, fingerprint)
            verdicts = entry.get("verdicts") if entry is not None and yn.is_map(entry) else None
            if entry is None or not yn.is_map(entry) or verdicts is None:
                raise YamlSyntaxError(Where(REVIEWS, begin + 1), "invalid YAML: not the format `ipfacts review` writes")
            entry["verdicts"] = (verdicts[0], [verdicts[0], items])
        for key, value in node.items():
            if key == yn.DUPLICATES:
                top[key].extend(value)
            elif key != yn.LINE:
                if key in top:
                    top[yn.DUPLICATES].append((key, value[0], top[key][0]))
                else:
                    top[key] = value
    return top


def _pairs(node: Any) -> Iterator[tuple[str, int, Any]]:
    for key, value in yn.items(node):
        yield key, yn.key_line(node, key), value


def _text(node: Any) -> str:
    return "" if yn.scalar_tag(node) == "null" else yn.scalar_text(node)


class _Problems:
    def __init__(self, problems: list[Finding]) -> None:
        self.problems = problems

    def __call__(self, code: str, line: int, message: str) -> None:
        self.problems.append(findings.make(code, message, where=Where(REVIEWS, line)))

    def duplicates(self, mapping: Any) -> None:
        for key, line, *_ in mapping.get(yn.DUPLICATES, []):
            self("L002", int(line), f"{key!r} appears twice; reviews.yaml is written by `ipfacts review`, not by hand")


def _entries(node: Any, problems: list[Finding]) -> dict[str, Entry]:
    if node is None:
        return {}
    problem = _Problems(problems)
    if not yn.is_map(node):
        problem("L004", yn.line_of(node), f"reviews.yaml must be a mapping of fingerprints to reviews, not {yn.kind_of(node)}")
        return {}
    problem.duplicates(node)
    entries: dict[str, Entry] = {}
    for fingerprint, line, value in _pairs(node):
        if not FINGERPRINT_RE.match(fingerprint):
            problem("L004", line, f"{fingerprint[:80]!r} is not a finding fingerprint (hex digits)")
        elif not yn.is_map(value):
            problem("L004", line, f"review {fingerprint} must be a mapping, not {yn.kind_of(value)}")
        else:
            problem.duplicates(value)
            old = yn.get(value, "verdicts") is None and yn.get(value, "status") is not None
            entry = (_old_entry if old else _entry)(fingerprint, line, value, problem)
            if entry is not None:
                entries[fingerprint] = entry
    return entries


def _fields(fingerprint: str, node: Any, allowed: tuple[str, ...], problem: _Problems) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, at, value in _pairs(node):
        if name not in allowed:
            problem("L003", at, f"unknown field {name[:80]!r} in review {fingerprint}; allowed: {', '.join(allowed)}")
        elif name in ("facts", "sources"):
            values[name] = _text_map(value, name, fingerprint, at, problem)
        elif name == "verdicts":
            values[name] = (value, at)
        elif not yn.is_scalar(value):
            problem("L004", at, f"{name} of review {fingerprint} must be text, not {yn.kind_of(value)}")
        else:
            values[name] = _text(value)
    return values


def _old_entry(fingerprint: str, line: int, node: Any, problem: _Problems) -> Entry | None:
    """One entry of the first format (a single verdict with a `date:`): one line of history."""
    values = _fields(fingerprint, node, OLD_FIELDS, problem)
    missing = [name for name in ("code", "status", "reviewer", "date", "note") if not str(values.get(name, "")).strip()]
    if missing:
        problem("L005", line, f"review {fingerprint} lacks {', '.join(missing)}")
        return None
    if values["status"] not in STATUSES:
        problem("L004", line, f"review {fingerprint}: status {values['status'][:80]!r} is not one of {', '.join(STATUSES)}")
        return None
    if not valid_date(values["date"]):
        problem("L004", yn.key_line(node, "date"), f"review {fingerprint}: date {values['date'][:80]!r} is not a date "
                                                   "(YYYY-MM-DD, a real day)")
        return None
    verdict = Verdict(fingerprint, values["status"], values["note"], values["reviewer"], f"{values['date']}T00:00:00Z",
                      line=line)
    return Entry(fingerprint, values["code"], values.get("message", ""), values.get("facts") or {},
                 values.get("sources") or {}, [verdict], line)


def _entry(fingerprint: str, line: int, node: Any, problem: _Problems) -> Entry | None:
    values = _fields(fingerprint, node, ENTRY_FIELDS, problem)
    missing = [name for name in ("code", "verdicts") if not values.get(name)]
    if missing:
        problem("L005", line, f"review {fingerprint} lacks {', '.join(missing)}")
        return None
    seq, at = values["verdicts"]
    if not yn.is_seq(seq):
        problem("L004", at, f"verdicts of review {fingerprint} must be a list, not {yn.kind_of(seq)}")
        return None
    history = [v for v in (_verdict(fingerprint, item, problem) for item in yn.seq_items(seq)) if v is not None]
    entry = Entry(fingerprint, values["code"], values.get("message", ""), values.get("facts") or {},
                  values.get("sources") or {}, history, line)
    _check_links(entry, problem)
    return entry


def _check_links(entry: Entry, problem: _Problems) -> None:
    """Ids unique within the history; an undo names a verdict or withdrawal recorded before it."""
    seen: dict[str, Verdict] = {}
    for verdict in entry.verdicts:
        if verdict.id and verdict.key in seen:  # (two old lines alike are one line said twice: harmless)
            problem("L002", verdict.line, f"review {entry.fingerprint}: the id {verdict.key} is given to two lines "
                                          f"(first at line {seen[verdict.key].line})")
        if verdict.undoes:
            target = seen.get(verdict.undoes)
            if target is None or target.action not in ("verdict", "withdraw"):
                problem("L004", verdict.line, f"review {entry.fingerprint}: the undo takes back {verdict.undoes}, "
                                              "which is no verdict or withdrawal recorded before it")
        seen.setdefault(verdict.key, verdict)


def _verdict(fingerprint: str, node: Any, problem: _Problems) -> Verdict | None:
    line = yn.line_of(node)
    if not yn.is_map(node):
        problem("L004", line, f"a verdict of review {fingerprint} must be a mapping, not {yn.kind_of(node)}")
        return None
    values = _fields(fingerprint, node, VERDICT_FIELDS, problem)
    action = values.get("action", "verdict")
    missing = [name for name in ("at", "status", "reviewer") + (("note",) if action == "verdict" else ())
               if not str(values.get(name, "")).strip()]
    if missing:
        problem("L005", line, f"a verdict of review {fingerprint} lacks {', '.join(missing)}")
        return None
    if action not in ACTIONS:
        problem("L004", line, f"review {fingerprint}: action {action[:80]!r} is not one of {', '.join(ACTIONS)}")
        return None
    if values["status"] not in STATUSES and values["status"] != WITHDRAWN:
        problem("L004", line, f"review {fingerprint}: status {values['status'][:80]!r} is not one of "
                              f"{', '.join(STATUSES)}")
        return None
    if not valid_at(values["at"]):
        problem("L004", line, f"review {fingerprint}: at {values['at'][:80]!r} is not an ISO date and time "
                              "(2026-11-21T09:30:00Z, a real day and hour)")
        return None
    for name in ("id", "undoes"):
        if name in values and not LINE_ID_RE.match(values[name]):
            problem("L004", line, f"review {fingerprint}: {name} {values[name][:80]!r} is not a line id (8-32 hex "
                                  "digits)")
            return None
    if "undoes" in values and action != "undo":
        problem("L004", line, f"review {fingerprint}: `undoes` belongs to an undo (action: undo) only")
        return None
    return Verdict(values.get("for") or fingerprint, values["status"], values.get("note", ""), values["reviewer"],
                   values["at"], action, line, values.get("id", ""), values.get("undoes", ""))


def _text_map(node: Any, name: str, fingerprint: str, line: int, problem: _Problems) -> dict[str, str]:
    if not yn.is_map(node):
        problem("L004", line, f"{name} of review {fingerprint} must be a mapping of ids to text, not {yn.kind_of(node)}")
        return {}
    out: dict[str, str] = {}
    for key, at, value in _pairs(node):
        if yn.is_scalar(value):
            out[key] = _text(value)
        else:
            problem("L004", at, f"{name}.{key[:80]} of review {fingerprint} must be text, not {yn.kind_of(value)}")
    return out


# -- writing ----------------------------------------------------------------------------------------------


_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar on one line (JSON's escapes are YAML's; a few more characters escaped)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _plain_or_quoted(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_./+-]*", text) and text not in ("null", "true", "false", "yes", "no", "on", "off", "y", "n") else _quoted(text)


def verdict_line(verdict: Verdict, fingerprint: str | None = None) -> str:
    parts = [f"at: {_quoted(verdict.at)}", f"status: {verdict.status}", f"reviewer: {_quoted(verdict.reviewer)}",
             f"note: {_quoted(verdict.note)}"]
    if verdict.action != "verdict":
        parts.append(f"action: {verdict.action}")
    if fingerprint is not None and verdict.fingerprint != fingerprint:
        parts.append(f"for: {_quoted(verdict.fingerprint)}")
    if verdict.action == "undo" and verdict.undoes:
        parts.append(f'undoes: "{verdict.undoes}"')
    if verdict.id:  # a line written before ids has one derived from its content, the same on every branch
        parts.append(f'id: "{verdict.id}"')
    return "{" + ", ".join(parts) + "}"


def dump_reviews(entries: dict[str, Entry]) -> str:
    """The file's text: a header, then one entry per fingerprint in sorted order, a blank line apart."""
    chunks = [HEADER]
    for fingerprint in sorted(entries):
        entry = entries[fingerprint].with_links()
        lines = ["", f"{fingerprint}:", f"  code: {_plain_or_quoted(entry.code)}"]
        if entry.message:
            lines.append(f"  message: {_quoted(entry.message)}")
        for name, mapping in (("facts", entry.facts), ("sources", entry.sources)):
            if mapping:
                lines.append(f"  {name}:")
                lines += [f"    {_quoted(key)}: {_quoted(value)}" for key, value in sorted(mapping.items())]
        lines.append("  verdicts:")
        lines += [f"  - {verdict_line(v, fingerprint)}" for v in entry.verdicts]
        chunks.append("\n".join(lines) + "\n")
    return "".join(chunks)
