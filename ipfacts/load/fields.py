"""Reading the fields of one YAML mapping against its table in schema.py: the one place where
unknown fields, missing fields and wrongly typed scalars are reported (L003, L005, L004).

Every reader in the loader (sources, metrics, fact files, groups, facts, tables, ignore
entries) goes through `read_fields`, so a field type's accepted YAML tags are written
once, in `schema.SCALAR_TAGS`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, overload

from ipfacts import findings
from ipfacts.findings import Finding
from ipfacts.load.schema import SCALAR_TAGS, FieldSpec
from ipfacts.load.yamlnodes import (
    Mapping as NodeMap,
)
from ipfacts.load.yamlnodes import (
    Node,
    Where,
    is_map,
    is_scalar,
    is_seq,
    key_line,
    kind_of,
    line_of,
    scalar_tag,
    scalar_text,
    seq_items,
)

LINE_RE = re.compile(r"^\s*([0-9]{1,9})\s*(?:-\s*([0-9]{1,9})\s*)?$")  # ASCII digits, a bounded count
PERIOD_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/-]{0,31}$")


class Problems:
    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, code: str, where: Where, message: str) -> None:
        self.items.append(findings.make(code, message, where=where))


@dataclass
class File:
    """One YAML file being read: its name as shown, to turn node lines into locations."""

    shown: str
    problems: Problems

    def at(self, node: Node) -> Where:
        return Where(self.shown, line_of(node))

    def key_at(self, mapping: NodeMap, key: str) -> Where:
        return Where(self.shown, key_line(mapping, key))

    def add(self, code: str, where: Where | Node, message: str) -> None:
        self.problems.add(code, where if isinstance(where, Where) else self.at(where), message)


@dataclass(slots=True)
class Fields:
    """A mapping's fields once checked: scalar fields as text, the others as nodes."""

    texts: dict[str, str]
    nodes: dict[str, Node]  # every field present, scalar or not

    def node(self, name: str) -> Node | None:
        return self.nodes.get(name)


@overload
def read_fields(file: File, node: NodeMap, spec: Mapping[str, FieldSpec], what: str) -> Fields | None: ...
@overload
def read_fields(file: File, node: NodeMap, spec: Mapping[str, FieldSpec], what: str, partial: Literal[True]) -> Fields: ...


def read_fields(file: File, node: NodeMap, spec: Mapping[str, FieldSpec], what: str, partial: bool = False) -> Fields | None:
    """One pass over a mapping: names known, scalars of the right type, required fields present.
    None (with every problem reported) when any is not — or, `partial`, the fields that are fine."""
    texts: dict[str, str] = {}
    nodes: dict[str, Node] = {}
    ok = True
    tags_of, periods, required = _plan(spec)
    for name, pair in node.items():
        if name[0] == "\x00":
            continue
        name_line, value = pair
        tags = tags_of.get(name, _UNKNOWN)
        if tags is _UNKNOWN:
            close = closest(name, spec)
            hint = f" (did you mean {close!r}?)" if close else f"; allowed: {', '.join(spec)}"
            file.add("L003", Where(file.shown, name_line), f"unknown field {name!r} in {what}{hint}")
            ok = False
            continue
        nodes[name] = value
        if tags is None:
            continue
        if type(value) is tuple and value[1] in tags:
            if name in periods and not PERIOD_RE.match(value[2]):
                file.add("L022", value, f"period {value[2][:40]!r} is not a period like 2024 or 2024H1 "
                                        "(ASCII letters and digits)")
                ok = False
                continue
            texts[name] = value[2]
        else:
            wanted = "true or false" if spec[name].type == "bool" else "text"
            file.add("L004", value, f"{name!r} must be {wanted}, not {kind_of(value)}")
            ok = False
    for name in required:
        if name not in nodes and name not in node:
            file.add("L005", node, f"{what} has no {name!r}")
            ok = False
    return Fields(texts, nodes) if ok or partial else None


_UNKNOWN: tuple[str, ...] = ("\x00unknown",)
_Plan = tuple[dict[str, tuple[str, ...] | None], frozenset[str], tuple[str, ...]]
_PLANS: dict[int, tuple[Mapping[str, FieldSpec], _Plan]] = {}


def _plan(spec: Mapping[str, FieldSpec]) -> _Plan:
    """Per field table, once: each field's accepted scalar tags (None: not a scalar field), the period
    fields and the required fields, in table order. Keyed by the table's identity; the table itself is kept in the
    entry, so its id cannot be reused by another while the entry lives."""
    found = _PLANS.get(id(spec))
    if found is None or found[0] is not spec:
        found = _PLANS[id(spec)] = (spec, ({name: SCALAR_TAGS.get(f.type) for name, f in spec.items()},
                                           frozenset(name for name, f in spec.items() if f.type == "period"),
                                           tuple(name for name, f in spec.items() if f.required)))
    return found[1]


def closest(name: str, known: Mapping[str, object]) -> str | None:
    matches = difflib.get_close_matches(name.replace("-", "_"), list(known), n=1, cutoff=0.7)
    return matches[0] if matches else None


def unknown(what: str, name: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {name!r}{hint}"


def enum(file: File, fields: Fields, name: str, allowed: tuple[str, ...]) -> str | None:
    value = fields.texts.get(name)
    if value is not None and value not in allowed:
        file.add("L004", fields.nodes[name], f"{name!r} must be one of {', '.join(allowed)}, not {value!r}")
        return None
    return value


def text_list(file: File, node: Node | None, name: str) -> list[str]:
    if node is None:
        return []
    if not is_seq(node):
        file.add("L004", node, f"{name!r} must be a list")
        return []
    values = []
    for item in seq_items(node):
        if is_scalar(item) and scalar_tag(item) in SCALAR_TAGS["text"]:
            values.append(scalar_text(item))
        else:
            file.add("L004", item, f"{name!r} must be a list of texts, not of {kind_of(item)}")
    return values


def parse_lines(file: File, text: str, node: Node) -> tuple[int, int] | None:
    """A `line` field: 56 or 56-57."""
    if text.isascii() and text.isdigit() and text[0] != "0" and len(text) <= 9:
        return int(text), int(text)
    match = LINE_RE.match(text)
    if not match:
        shown = repr(text) if len(text) <= 40 else repr(text[:40]) + f"… ({len(text):,} characters)"
        file.add("L011", node, f"line {shown} is not a line number or range like 56-57")
        return None
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if start < 1 or end < start:
        file.add("L011", node, f"line {text!r}: lines count from 1 and a range runs forward")
        return None
    return start, end


def mapping_list(file: File, node: Node, spec: Mapping[str, FieldSpec], label: str, name: str, entry: str,
                 shape: str) -> Iterator[tuple[Node, Fields]]:
    """A list of mappings (`groups:`, `ignore:`), each read with `spec`: every valid entry and its
    fields; the list is `name` in messages, an entry `entry` (and `label` in its field messages)."""
    if not is_seq(node):
        file.add("L004", node, f"{name!r} must be a list of {shape}")
        return
    for item in seq_items(node):
        if not is_map(item):
            file.add("L004", item, f"each {entry} must be a mapping {shape}")
            continue
        fields = read_fields(file, item, spec, label)
        if fields is not None:
            yield item, fields
