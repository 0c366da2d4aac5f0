"""YAML read into plain nodes that remember their line.

PyYAML's composer (libyaml's when available) gives nodes with marks; we turn
them into plain data — tuples, lists and dicts of strings and ints — that
`marshal` stores and loads at C speed, so a cached file costs no parsing and
no object rebuilding. Scalars keep the exact text written (`93.30` stays
"93.30", `2024` stays "2024"); duplicate keys are recorded, not overwritten;
no arbitrary Python object is ever constructed.

The plain form:
    scalar   (line, tag, text)                 tag: str | int | float | bool | null
    sequence [line, [node, …]]
    mapping  {LINE: line, key: (key_line, node), …}
    the top-level mapping also holds DUPLICATES: [(key, line, first line), …] for the whole file
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple, TypeAlias, TypeGuard, cast

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN = "!plain"


class Loader(_Base):  # type: ignore[misc,valid-type]
    """libyaml's composer, without PyYAML's per-scalar path resolution: plain scalars are
    tagged "!plain" and typed by `_implicit_tag` — the same YAML 1.1 rules, a third faster."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)


def _implicit_tag(value: str, _resolvers: dict[str, Any] = yaml.resolver.Resolver.yaml_implicit_resolvers) -> str:
    resolvers = _resolvers.get(value[:1] or "")
    if resolvers:
        for tag, pattern in resolvers:
            if pattern.match(value):
                return _TAGS.get(tag, "str")
    return "str"

LINE = "\x00line"
DUPLICATES = "\x00duplicates"
# The plain node form (module docstring), as types: a scalar is exactly typed; a sequence and a mapping hold
# their line beside their members, which a list or dict type cannot say, so their members are `Any` and the
# accessors below (seq_items, items, get, key_line) give them back as nodes.
Scalar: TypeAlias = tuple[int, str, str]  # (line, tag, text)
Sequence: TypeAlias = list[Any]  # [line, [node, …]]
Mapping: TypeAlias = dict[str, Any]  # {LINE: line, key: (key line, node), …, DUPLICATES: […] at the top}
Node: TypeAlias = Scalar | Sequence | Mapping


class Where(NamedTuple):
    """A place in a file, as shown to the user (a tuple: thousands are made per run)."""

    file: str  # relative to the fact base root
    line: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class YamlSyntaxError(Exception):
    """A file that cannot be read as a fact-base YAML file; `code` is the finding code to report (L001 …)."""

    def __init__(self, where: Where, message: str, code: str = "L001") -> None:
        super().__init__(where, message, code)  # all three in args: the error crosses process boundaries (pickle)
        self.where = where
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


# Bounds on what one file may ask of the parser (each breach is a load error with file and line):
MAX_DEPTH = 64  # nested lists/mappings; fact files need 4
MAX_ALIAS_NODES = 10_000  # nodes produced by expanding aliases (`*name`), over the whole file
MAX_FILE_BYTES = 16 * 1024 * 1024  # one YAML file (a fact file of 100,000 facts: some 15 MB)
ALLOWED_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq",
                "tag:yaml.org,2002:map", _PLAIN}


_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
}


def is_map(node: object) -> TypeGuard[Mapping]:
    return type(node) is dict


def is_seq(node: object) -> TypeGuard[Sequence]:
    return type(node) is list


def is_scalar(node: object) -> TypeGuard[Scalar]:
    return type(node) is tuple


def line_of(node: Node) -> int:
    return int(node[LINE]) if is_map(node) else int(cast("Scalar | Sequence", node)[0])


def items(node: Mapping) -> Iterator[tuple[str, Node]]:
    """A mapping's (key, value) pairs in file order."""
    for key, value in node.items():
        if key[0] != "\x00":
            yield key, value[1]


def get(node: Mapping, key: str) -> Node | None:
    entry = node.get(key)
    return None if entry is None else cast(Node, entry[1])


def key_line(node: Mapping, key: str) -> int:
    return int(node[key][0])


def seq_items(node: Sequence) -> list[Node]:
    return list(node[1])


def scalar_text(node: Scalar) -> str:
    return node[2]


def scalar_tag(node: Scalar) -> str:
    return node[1]


def kind_of(node: Node) -> str:
    if is_scalar(node):
        return "empty" if scalar_tag(node) == "null" else f"a {scalar_tag(node)}"
    return "a mapping" if is_map(node) else "a list"


def decode_text(data: bytes, shown_as: str) -> str:
    """A YAML file's bytes as text; YamlSyntaxError at the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(Where(shown_as, line), "not UTF-8 text") from exc


def parse_nodes(text: str, shown_as: str) -> Node | None:
    """Parse YAML text into plain nodes; None for an empty document."""
    if len(text) > MAX_FILE_BYTES:
        raise YamlSyntaxError(Where(shown_as, 1), f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB", "L017")
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlSyntaxError(Where(shown_as, line), f"invalid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Where(shown_as, 1), f"invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise YamlSyntaxError(Where(shown_as, 1), f"nested more than {MAX_DEPTH} levels deep", "L016") from exc
    if root is None:
        return None
    duplicates: list[tuple[str, int, int]] = []
    plain = _Plain(shown_as, duplicates).node(root, 0)
    if type(plain) is dict:
        plain[DUPLICATES] = duplicates
    return plain


class _Plain:
    """yaml nodes → plain nodes, within the bounds: depth, alias expansion, tags, keys."""

    def __init__(self, shown_as: str, duplicates: list[tuple[str, int, int]]) -> None:
        self.shown_as = shown_as
        self.duplicates = duplicates
        self.seen: set[int] = set()  # collection nodes already expanded once: a second time is an alias
        self.open: set[int] = set()  # collection nodes being expanded now: meeting one again is a recursive alias
        self.alias_nodes = 0

    def fail(self, line: int, message: str, code: str) -> YamlSyntaxError:
        return YamlSyntaxError(Where(self.shown_as, line), message, code)

    def node(self, node: yaml.Node, depth: int) -> Node:
        line = node.start_mark.line + 1
        tag = node.tag
        if tag not in ALLOWED_TAGS:
            raise self.fail(line, f"YAML tags such as {tag!r} are refused in fact-base files "
                                  "(write plain values)", "L019")
        kind = type(node)
        if kind is _SCALAR or isinstance(node, yaml.ScalarNode):
            value = node.value
            return (line, _implicit_tag(value) if tag == _PLAIN else _TAGS.get(tag, "str"), value)
        if depth >= MAX_DEPTH:
            raise self.fail(line, f"nested more than {MAX_DEPTH} levels deep", "L016")
        key = id(node)
        if key in self.open:
            raise self.fail(line, "a recursive alias (an anchor used inside itself)", "L015")
        if key in self.seen:
            self.alias_nodes += _size(node)
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise self.fail(line, f"aliases (*name) expand to more than {MAX_ALIAS_NODES:,} nodes", "L015")
        self.seen.add(key)
        self.open.add(key)
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, line, depth)
            if isinstance(node, yaml.SequenceNode):
                return [line, [self.node(item, depth + 1) for item in node.value]]
            raise self.fail(line, f"unsupported YAML node {type(node).__name__}", "L001")
        finally:
            self.open.discard(key)

    def mapping(self, node: yaml.MappingNode, line: int, depth: int) -> Node:
        result: dict[str, Any] = {LINE: line}
        duplicates = self.duplicates
        allowed, tags, plain, implicit, scalar = ALLOWED_TAGS, _TAGS, _PLAIN, _implicit_tag, _SCALAR
        for key_node, value_node in node.value:
            key_at = key_node.start_mark.line + 1
            if type(key_node) is not scalar and not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_at, "a mapping key must be a plain word", "L001")
            key = key_node.value
            if not key:
                raise self.fail(key_at, "an empty mapping key (\"\": …); name the field or fact", "L001")
            if key[0] == "\x00":
                raise self.fail(key_at, "a mapping key must be a plain word", "L001")
            if key_node.tag not in allowed:
                raise self.fail(key_at, f"YAML tags such as {key_node.tag!r} are refused in fact-base files "
                                        "(write plain values)", "L019")
            if key == "<<":
                raise self.fail(key_at, "merge keys (<<) are not supported in fact files", "L001")
            if key in result:
                duplicates.append((key, key_at, result[key][0]))
                continue
            if type(value_node) is scalar:  # the common case, inline: same checks as `node`
                tag = value_node.tag
                if tag not in allowed:
                    raise self.fail(value_node.start_mark.line + 1, f"YAML tags such as {tag!r} are refused in "
                                    "fact-base files (write plain values)", "L019")
                value = value_node.value
                result[key] = (key_at, (value_node.start_mark.line + 1,
                                        implicit(value) if tag == plain else tags.get(tag, "str"), value))
            else:
                result[key] = (key_at, self.node(value_node, depth + 1))
        return result


_SCALAR = yaml.ScalarNode


def _size(node: yaml.Node, limit: int = MAX_ALIAS_NODES + 1) -> int:
    """How many nodes expanding `node` yields, counted up to `limit` (iteratively: no recursion to exhaust)."""
    count, stack = 0, [node]
    while stack and count <= limit:
        current = stack.pop()
        count += 1
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for pair in current.value:
                stack.extend(pair)
    return count
