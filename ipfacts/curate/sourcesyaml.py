"""facts/sources.yaml edited in place: one locked read-modify-write for every command that writes it.

    with editing(root) as doc:          # holds facts/.sources.lock; reads the file under it
        doc.add("hangzhou-2024", {"file": "seeds/hangzhou-2024.txt", "sha256": "…"})
    # on leaving without an exception: written atomically (infra/atomic.py), if anything changed

The file is never re-dumped: an edit changes the text at the positions PyYAML's composer gives for the
nodes, so comments, quoting, key order and style stay as the curator wrote them. A new entry goes at
the end of a block mapping (indented like its keys), or into a flow mapping (`{}` included) as a flow
entry; a changed value replaces that scalar only. Every edit is then proved: the new text is parsed
again and must mean exactly the old data plus the change — else `SourcesEditError` says which line
could not be edited safely, and the file is left as it was. PyYAML's composer was enough for this; a
round-trip library (ruamel.yaml) would re-emit whole mappings in its own layout.

`add-source` and `reanchor --write` go through here; the lock is what keeps two of them (two processes)
from losing each other's edit.
"""

from __future__ import annotations

import copy
import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from ipfacts.curate.yamltext import yaml_scalar
from ipfacts.infra.atomic import write_atomic
from ipfacts.infra.filelock import exclusive

SOURCES = "facts/sources.yaml"
LOCK = "facts/.sources.lock"


class SourcesEditError(Exception):
    """sources.yaml cannot be edited safely (the message has file and line); nothing was written."""


def _scalar(text: str, flow: bool) -> str:
    """A YAML scalar reading back as `text`: plain where that is safe, else double-quoted (JSON)."""
    if not flow:
        return yaml_scalar(text)
    if text and all(c.isalnum() or c in "._-/:" for c in text) and text.isascii() and text[0] not in "-:":
        try:
            if yaml.safe_load(f"{{k: {text}}}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _value(value: object, flow: bool) -> str:
    """A field's value: text, a whole number (a period like 2024 stays a number), or a mapping (pages:)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()  # plain: YAML reads it as a date, ipfacts as its text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_value(k, True)}: {_value(v, True)}" for k, v in value.items()) + "}"
    return _scalar(str(value), flow)


def entry_block(source_id: str, fields: dict[str, object], indent: int = 0) -> str:
    """The entry as block YAML (what a curator would write), one field a line."""
    pad = " " * indent
    out = [f"{pad}{_scalar(source_id, False)}:"]
    out += [f"{pad}  {name}: {_value(value, False)}" for name, value in fields.items() if value is not None]
    return "\n".join(out) + "\n"


def entry_flow(source_id: str, fields: dict[str, object]) -> str:
    inner = ", ".join(f"{name}: {_value(value, True)}" for name, value in fields.items() if value is not None)
    return f"{_scalar(source_id, True)}: {{{inner}}}"


class SourcesDoc:
    """The text of sources.yaml while the lock is held, and edits to it."""

    def __init__(self, path: Path, shown: str, text: str) -> None:
        self.path, self.shown, self.original, self.text = path, shown, text, text

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def _fail(self, line: int, why: str) -> SourcesEditError:
        return SourcesEditError(f"{self.shown}:{line}: {why}; nothing was written")

    def _compose(self) -> yaml.Node | None:
        try:
            return yaml.compose(self.text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            raise self._fail(line, f"not valid YAML, fix it first ({exc.problem or exc})") from exc
        except yaml.YAMLError as exc:
            raise self._fail(1, f"not valid YAML, fix it first ({exc})") from exc

    def _data(self, text: str) -> dict[Any, Any]:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise self._fail(1, f"not valid YAML, fix it first ({exc})") from exc
        return {} if data is None else data

    def _top(self) -> yaml.MappingNode | None:
        node = self._compose()
        if node is not None and not isinstance(node, yaml.MappingNode):
            raise self._fail(node.start_mark.line + 1, "must be a mapping of source ids at its top level")
        return node

    def ids(self) -> set[str]:
        """The ids declared (top-level keys)."""
        node = self._top()
        return set() if node is None else {str(k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)}

    def _prove(self, new: str, expected: dict[Any, Any], line: int, what: str) -> None:
        try:
            got = yaml.safe_load(new)
        except yaml.YAMLError:
            got = None
        if (got or {}) != expected:
            raise self._fail(line, f"cannot {what} safely in this layout (the edit would change what the file "
                                   "means); edit it by hand")
        self.text = new

    def add(self, source_id: str, fields: dict[str, object]) -> str:
        """Add the entry; returns the text inserted. Raises SourcesEditError."""
        node = self._top()
        before = self._data(self.text)
        if source_id in before or (node is not None and source_id in self.ids()):
            line = next((k.start_mark.line + 1 for k, _ in (node.value if node else []) if k.value == source_id), 1)
            raise self._fail(line, f"source {source_id!r} is already declared; choose another id")
        expected = copy.deepcopy(before)
        expected.update(yaml.safe_load(entry_block(source_id, fields)))
        text = self.text
        if node is None or not node.flow_style:
            column = node.value[0][0].start_mark.column if node is not None and node.value else 0
            if node is not None and not node.value:  # `{}` – an empty flow mapping is flow_style
                column = 0
            inserted = entry_block(source_id, fields, column)
            lead = "" if not text or text.endswith("\n") else "\n"
            new = text + lead + inserted
            line = text.count("\n") + 1
        elif not node.value and node.start_mark.column == 0:  # `{}` alone: the block entry in its place
            inserted = entry_block(source_id, fields)
            start, end = node.start_mark.index, node.end_mark.index
            rest = text[end:]
            new = text[:start] + inserted + (rest[1:] if rest.startswith("\n") else rest)
            line = node.start_mark.line + 1
        else:  # a flow mapping: one more flow entry after the last
            inserted = entry_flow(source_id, fields)
            if node.value:
                at = node.value[-1][1].end_mark.index
                many_lines = node.start_mark.line != node.end_mark.line
                inserted = (",\n" + " " * node.value[0][0].start_mark.column if many_lines else ", ") + inserted
            else:
                at = node.end_mark.index - 1
            new = text[:at] + inserted + text[at:]
            line = node.end_mark.line + 1
        self._prove(new, expected, line, f"add {source_id!r}")
        return inserted

    def set(self, source_id: str, name: str, old: str, new_value: str) -> None:
        """Replace the value of `name` in `source_id`'s entry, which must be `old`. Raises SourcesEditError."""
        node = self._top()
        entry = _value_node(node, source_id)
        if not isinstance(entry, yaml.MappingNode):
            raise self._fail(1, f"no source {source_id!r} any more; run again")
        scalar = _value_node(entry, name)
        if not isinstance(scalar, yaml.ScalarNode):
            raise self._fail(entry.start_mark.line + 1, f"source {source_id} has no {name} to change; run again")
        written_value = str(scalar.value).strip()
        if (written_value.lower() != old.strip().lower()) if name == "sha256" else (scalar.value != old):
            raise self._fail(scalar.start_mark.line + 1, f"the {name} of {source_id} is not {old[:16]!r} any more; "
                                                         "run again")
        expected = copy.deepcopy(self._data(self.text))
        expected[source_id][name] = yaml.safe_load(f"k: {_scalar(new_value, False)}")["k"]
        start, end = scalar.start_mark.index, scalar.end_mark.index
        written = self.text[start:end]
        if (written[:1] in ("'", '"') and written[-1:] == written[:1] and len(written) > 1
                and all(c.isalnum() for c in new_value)):
            start, end = start + 1, end - 1
            replacement = new_value
        else:
            replacement = _scalar(new_value, bool(entry.flow_style))
        self._prove(self.text[:start] + replacement + self.text[end:], expected, scalar.start_mark.line + 1,
                    f"change the {name} of {source_id!r}")


def _value_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    found = None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            found = v  # the last of duplicate keys: the one YAML keeps
    return found


def read(root: Path | str) -> SourcesDoc:
    """sources.yaml as it is now (empty text when the file does not exist)."""
    path = Path(root) / SOURCES
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    except OSError as exc:
        raise SourcesEditError(f"{SOURCES}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourcesEditError(f"{SOURCES}: not UTF-8 (byte {exc.start}); nothing was written") from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    return SourcesDoc(path, SOURCES, text)


@contextmanager
def editing(root: Path | str) -> Iterator[SourcesDoc]:
    """Hold the lock, read sources.yaml, let the caller edit it, write it atomically if it changed."""
    root = Path(root)
    with exclusive(root / LOCK):
        doc = read(root)
        yield doc
        if doc.changed:
            try:
                write_atomic(doc.path, doc.text.encode("utf-8"))
            except OSError as exc:
                raise SourcesEditError(f"{SOURCES}: cannot write: {exc.strerror or exc}; nothing was written") from exc
