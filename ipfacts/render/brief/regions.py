"""Which regions of a fact base are cities, provinces or parts of a city — read from the data.

A fact base does not say which level a region is, so the level is derived:

* 全国 or 中国 is the **country**;
* a name ending in 省 or 自治区 is a **province**;
* a name ending in 县, 区 or 旗 is a **county** (a part of a city);
* the *primary* regions — the `region` of a source in sources.yaml, and the
  top-level `region:` of a fact file — are **cities**, except that a name ending
  in 市 whose facts sit inside another city's source or fact file (诸暨市 in a
  绍兴 file) is a county-level city, a part of that city;
* any other name, one that only ever appears as a single fact's `region`
  override (安吉县, 新昌), is a part of a city too.

Cities are compared with cities; provinces (and the country) are shown beside them as context.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ipfacts.load.model import FactBase

COUNTRY = "country"
PROVINCE = "province"
CITY = "city"
COUNTY = "county"

COUNTRY_NAMES = ("全国", "中国")
PROVINCE_SUFFIXES = ("省", "自治区")
COUNTY_SUFFIXES = ("县", "区", "旗")


@dataclass(frozen=True)
class Regions:
    levels: dict[str, str]  # region name → province | city | county

    def of_level(self, level: str) -> list[str]:
        return sorted(name for name, lv in self.levels.items() if lv == level)

    @property
    def cities(self) -> list[str]:
        return self.of_level(CITY)

    @property
    def provinces(self) -> list[str]:
        return self.of_level(PROVINCE)

    @property
    def context(self) -> list[str]:
        """The regions shown beside a city for scale, not ranked: the country, then the provinces."""
        return self.of_level(COUNTRY) + self.of_level(PROVINCE)

    @property
    def all(self) -> list[str]:
        return sorted(self.levels)


def classify(base: FactBase) -> Regions:
    primary = {s.region for s in base.sources.values() if s.region}
    primary |= set(base.file_regions.values())
    # The regions a fact sits "inside": its fact file's default region and its source's region.
    containers: dict[str, set[str]] = {}
    for fact in base.facts.values():
        if not fact.region:
            continue
        around = containers.setdefault(fact.region, set())
        for outer in (base.file_regions.get(fact.file), base.sources[fact.source].region):
            if outer and outer != fact.region:
                around.add(outer)
    levels: dict[str, str] = {}
    for name in primary | set(containers):
        levels[name] = _level(name, name in primary, containers.get(name, set()))
    return Regions(levels)


def _level(name: str, is_primary: bool, containers: set[str]) -> str:
    if name in COUNTRY_NAMES:
        return COUNTRY
    if name.endswith(PROVINCE_SUFFIXES):
        return PROVINCE
    if name.endswith(COUNTY_SUFFIXES):
        return COUNTY
    if not is_primary:
        return COUNTY
    if name.endswith("市") and any(c != name[:-1] and not c.endswith(PROVINCE_SUFFIXES) for c in containers):
        return COUNTY
    return CITY


# --- the hierarchy a base declares (facts/regions.yaml) --------------------------------------------------

REGIONS_FILE = "facts/regions.yaml"


@dataclass(frozen=True)
class Hierarchy:
    """What facts/regions.yaml declares: each region's parent (宁波 ∈ 浙江省), aliases, and named peer groups."""

    parent: dict[str, str]
    aliases: dict[str, str]  # alias as typed (casefolded) → the base's name
    groups: dict[str, list[str]]  # group name → member regions, in declared order
    declared: bool = False

    def province_of(self, region: str) -> str | None:
        seen = set()
        current = self.parent.get(region)
        while current is not None and current not in seen:
            if current.endswith(PROVINCE_SUFFIXES) or current in ("北京市", "天津市", "上海市", "重庆市"):
                return current
            seen.add(current)
            current = self.parent.get(current)
        return None

    def groups_of(self, region: str) -> list[str]:
        return [name for name, members in self.groups.items() if region in members]


class RegionsFileError(ValueError):
    """facts/regions.yaml cannot be read; the message starts with `path:line:`."""


def load_hierarchy(root: Path) -> Hierarchy:
    """facts/regions.yaml of the base at `root`; an empty hierarchy when the base declares none.

    ```yaml
    regions:
      宁波: {in: 浙江省, aliases: [宁波市, Ningbo City]}
    groups:
      副省级城市: [宁波]
    ```
    """
    import os

    from ipfacts.infra.safefiles import UnsafeFile, read_regular, real_path
    from ipfacts.load import yamlnodes as yn

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
    if node is None:
        return Hierarchy(parent, aliases, groups, True)

    def bad(n: yn.Node, message: str) -> RegionsFileError:
        return RegionsFileError(f"{REGIONS_FILE}:{yn.line_of(n)}: {message}")

    if yn.is_map(node):
        for key, line, first in node.get(yn.DUPLICATES, ()):
            raise RegionsFileError(f"{REGIONS_FILE}:{line}: {key!r} is given twice (first at line {first}); "
                                   "YAML would silently keep only one")

    def mapping(n: yn.Node, what: str) -> list[tuple[str, yn.Node]]:
        if not yn.is_map(n):
            raise bad(n, f"{what} must be a mapping")
        return list(yn.items(n))

    def texts(n: yn.Node, what: str) -> list[str]:
        if not yn.is_seq(n) or not all(yn.is_scalar(i) for i in yn.seq_items(n)):
            raise bad(n, f"{what} must be a list of names")
        return [yn.scalar_text(i) for i in yn.seq_items(n)]

    for key, value in mapping(node, "regions.yaml"):
        if key == "regions":
            for name, entry in mapping(value, "regions"):
                for field_name, field_value in mapping(entry, f"region {name!r}"):
                    if field_name == "in":
                        if not yn.is_scalar(field_value):
                            raise bad(field_value, f"region {name!r}: `in` must be a region name")
                        parent[name] = yn.scalar_text(field_value)
                    elif field_name == "aliases":
                        for alias in texts(field_value, f"region {name!r}: aliases"):
                            aliases[alias.strip().casefold()] = name
                    else:
                        raise RegionsFileError(f"{REGIONS_FILE}:{yn.key_line(entry, field_name)}: region {name!r}: "
                                               f"unknown field {field_name!r} (allowed: in, aliases)")
        elif key == "groups":
            for name, members in mapping(value, "groups"):
                groups[name] = texts(members, f"group {name!r}")
        else:
            raise RegionsFileError(f"{REGIONS_FILE}:{yn.key_line(node, key)}: unknown section {key!r} "
                                   "(allowed: regions, groups)")
    return Hierarchy(parent, aliases, groups, True)
