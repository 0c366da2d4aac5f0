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

from ipfacts.load.hierarchy import (
    PROVINCE_SUFFIXES,
    REGIONS_FILE,
    Hierarchy,
    RegionsFileError,
    load_hierarchy,
)
from ipfacts.load.model import FactBase

COUNTRY = "country"
PROVINCE = "province"
CITY = "city"
COUNTY = "county"

COUNTRY_NAMES = ("全国", "中国")
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


# The hierarchy a base declares (facts/regions.yaml) is read in load/hierarchy.py, where the checker reads it too.
__all__ = ["PROVINCE_SUFFIXES", "REGIONS_FILE", "Hierarchy", "Regions", "RegionsFileError", "classify", "load_hierarchy"]
