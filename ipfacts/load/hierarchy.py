"""facts/regions.yaml: where each region sits, the names people type for it, named peer groups, and
the complete list of a region's parts where the base declares one.

Read here, below the checker and the briefs, because both need it: the briefs choose peers from it,
the checker (check/across/) finds one figure under two spellings of its region (宁波, 宁波市) and
adds a province's cities up to its total.

```yaml
regions:
  浙江省: {in: 全国, parts: [杭州, 宁波, 温州, 嘉兴, 湖州, 绍兴, 金华, 衢州, 舟山, 台州, 丽水]}
  宁波: {in: 浙江省, aliases: [宁波市, Ningbo City]}
groups:
  副省级城市: [宁波]
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ipfacts.infra.safefiles import UnsafeFile, read_regular, real_path
from ipfacts.load import yamlnodes as yn

REGIONS_FILE = "facts/regions.yaml"
PROVINCE_SUFFIXES = ("省", "自治区")
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
REGION_FIELDS = ("in", "aliases", "parts")


@dataclass(frozen=True)
class Hierarchy:
    """What facts/regions.yaml declares: each region's parent (宁波 ∈ 浙江省), aliases, named peer groups and,
    where declared, the complete list of a region's parts (`parts:`: every city of a province)."""

    parent: dict[str, str]
    aliases: dict[str, str]  # alias as typed (casefolded) → the base's name
    groups: dict[str, list[str]]  # group name → member regions, in declared order
    declared: bool = False
    parts: dict[str, list[str]] = field(default_factory=dict)  # region → all its parts, in declared order

    def province_of(self, region: str) -> str | None:
        seen = set()
        current = self.parent.get(region)
        while current is not None and current not in seen:
            if current.endswith(PROVINCE_SUFFIXES) or current in MUNICIPALITIES:
                return current
            seen.add(current)
            current = self.parent.get(current)
        return None

    def groups_of(self, region: str) -> list[str]:
        return [name for name, members in self.groups.items() if region in members]

    def names(self) -> set[str]:
        """Every region the file names."""
        found = set(self.parent) | set(self.parent.values()) | set(self.aliases.values()) | set(self.parts)
        for members in (*self.parts.values(), *self.groups.values()):
            found.update(members)
        return found

    def canonical(self, known: set[str]) -> dict[str, str]:
        """Each spelling of a region (a declared alias, the name with or without 市) → one name for it, over the
        declared regions and `known` (the regions facts name). A name no other spelling maps to maps to itself."""
        names = self.names() | known
        table = {name: name for name in names}
        for name in names:
            if name.endswith("市") and name[:-1] in names and name not in MUNICIPALITIES:
                table[name] = name[:-1]
        for name in names:
            target = self.aliases.get(name.strip().casefold())
            if target is not None:
                table[name] = table.get(target, target)
        return table


class RegionsFileError(ValueError):
    """facts/regions.yaml cannot be read; the message starts with `path:line:`."""


def load_hierarchy(root: Path) -> Hierarchy:
    """facts/regions.yaml of the base at `root`; an empty hierarchy when the base declares none."""
    path = root / REGIONS_FILE
    if not os.path.lexists(path):
        return Hierarchy({}, {}, {})
    try:  # like every file of the base: a regular file inside the root, bounded, never blocking
        data = read_regular(path, yn.MAX_FILE_BYTES, real_path(root))
    except UnsafeFile as exc:
        raise RegionsFileError(f"{REGIONS_FILE}:1: {exc.message}") from exc
    try:  # the fact files' reader: the same bounds on depth, aliases and tags, duplicate keys recorded
        node = yn.parse_nodes(data.decode("utf-8"), REGIONS_FILE)
    except UnicodeDecodeError as exc:
        raise RegionsFileError(f"{REGIONS_FILE}:1: not UTF-8 text") from exc
    except yn.YamlSyntaxError as exc:
        raise RegionsFileError(f"{REGIONS_FILE}:{exc.where.line}: {exc.message}") from exc
    parent: dict[str, str] = {}
    aliases: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    parts: dict[str, list[str]] = {}
    if node is None:
        return Hierarchy(parent, aliases, groups, True, parts)

    def bad(n: yn.Node, message: str) -> RegionsFileError:
        return RegionsFileError(f"{REGIONS_FILE}:{yn.line_of(n)}: {message}")

    if yn.is_map(node):
        for key, line, first in node.get(yn.DUPLICATES, ()):
            raise RegionsFileError(f"{REGIONS_FILE}:{line}: {key!r} is given twice (first at line {first}); "
                                   "YAML would silently keep only one")

    def mapping(n: yn.Node, what: str) -> tuple[yn.Mapping, list[tuple[str, yn.Node]]]:
        if not yn.is_map(n):
            raise bad(n, f"{what} must be a mapping")
        return n, list(yn.items(n))

    def texts(n: yn.Node, what: str) -> list[str]:
        names = [i for i in yn.seq_items(n) if yn.is_scalar(i)] if yn.is_seq(n) else []
        if not yn.is_seq(n) or len(names) != len(yn.seq_items(n)):
            raise bad(n, f"{what} must be a list of names")
        return [yn.scalar_text(i) for i in names]

    top, entries = mapping(node, "regions.yaml")
    for key, value in entries:
        if key == "regions":
            for name, entry in mapping(value, "regions")[1]:
                fields, pairs = mapping(entry, f"region {name!r}")
                for field_name, field_value in pairs:
                    if field_name == "in":
                        if not yn.is_scalar(field_value):
                            raise bad(field_value, f"region {name!r}: `in` must be a region name")
                        parent[name] = yn.scalar_text(field_value)
                    elif field_name == "aliases":
                        for alias in texts(field_value, f"region {name!r}: aliases"):
                            aliases[alias.strip().casefold()] = name
                    elif field_name == "parts":
                        parts[name] = texts(field_value, f"region {name!r}: parts")
                    else:
                        raise RegionsFileError(f"{REGIONS_FILE}:{yn.key_line(fields, field_name)}: region {name!r}: "
                                               f"unknown field {field_name!r} (allowed: {', '.join(REGION_FIELDS)})")
        elif key == "groups":
            for name, members in mapping(value, "groups")[1]:
                groups[name] = texts(members, f"group {name!r}")
        else:
            raise RegionsFileError(f"{REGIONS_FILE}:{yn.key_line(top, key)}: unknown section {key!r} "
                                   "(allowed: regions, groups)")
    return Hierarchy(parent, aliases, groups, True, parts)
