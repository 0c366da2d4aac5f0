"""YAML read into nodes that remember their file and line.

PyYAML's composer (libyaml's when available) gives nodes with marks; we keep
scalars as the exact text written (`93.30` stays "93.30", `2024` stays
"2024"), reject duplicate keys instead of overwriting, and never construct
arbitrary Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Where:
    file: str  # as shown to the user: relative to the fact base root
    line: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(slots=True)
class Scalar:
    text: str
    tag: str  # "str" | "int" | "float" | "bool" | "null"
    where: Where


@dataclass(slots=True)
class Seq:
    items: list[Node]
    where: Where


@dataclass(slots=True)
class Map:
    items: dict[str, Node]
    key_where: dict[str, Where]
    where: Where
    duplicates: list[tuple[str, Where]] = field(default_factory=list)


Node = Scalar | Seq | Map

_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
}


class YamlSyntaxError(Exception):
    def __init__(self, where: Where, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def load_nodes(path: Path, shown_as: str) -> Node | None:
    """Parse one YAML file into nodes; None for an empty file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise YamlSyntaxError(Where(shown_as, 1), f"cannot read: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(Where(shown_as, line), "not UTF-8 text") from exc
    return parse_nodes(text, shown_as)


def parse_nodes(text: str, shown_as: str) -> Node | None:
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(Where(shown_as, line), f"invalid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Where(shown_as, 1), f"invalid YAML: {exc}") from exc
    return None if root is None else _convert(root, shown_as)


def _convert(node: yaml.Node, shown_as: str) -> Node:
    where = Where(shown_as, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, _TAGS.get(node.tag, "str"), where)
    if isinstance(node, yaml.SequenceNode):
        return Seq([_convert(item, shown_as) for item in node.value], where)
    if isinstance(node, yaml.MappingNode):
        result = Map({}, {}, where)
        for key_node, value_node in node.value:
            key_where = Where(shown_as, key_node.start_mark.line + 1)
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSyntaxError(key_where, "a mapping key must be a plain word")
            key = key_node.value
            if key == "<<":
                raise YamlSyntaxError(key_where, "merge keys (<<) are not supported in fact files")
            if key in result.items:
                result.duplicates.append((key, key_where))
                continue
            result.items[key] = _convert(value_node, shown_as)
            result.key_where[key] = key_where
        return result
    raise YamlSyntaxError(where, f"unsupported YAML node {node!r}")
