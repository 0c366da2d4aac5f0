"""The vocabulary around numbers (multipliers, qualifiers, count nouns), read from data/words.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from importlib import resources

import yaml

AT_LEAST = "at_least"
AT_MOST = "at_most"
APPROX = "approx"


@dataclass
class Words:
    multipliers: dict[str, Decimal]
    qualifiers_before: dict[str, str]  # word -> qualifier kind
    qualifiers_after: dict[str, str]
    count_nouns: frozenset[str]
    approx_tolerance: Decimal

    @cached_property
    def before_longest_first(self) -> list[tuple[str, str]]:
        return sorted(((w.lower(), k) for w, k in self.qualifiers_before.items()), key=lambda p: -len(p[0]))

    @cached_property
    def after_longest_first(self) -> list[tuple[str, str]]:
        return sorted(((w.lower(), k) for w, k in self.qualifiers_after.items()), key=lambda p: -len(p[0]))

    @cached_property
    def multipliers_longest_first(self) -> list[str]:
        return sorted(self.multipliers, key=len, reverse=True)


@cache
def words() -> Words:
    text = resources.files("ipfacts").joinpath("data/words.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for kind, places in data["qualifiers"].items():
        for word in places.get("before", []):
            before[str(word)] = kind
        for word in places.get("after", []):
            after[str(word)] = kind
    return Words(
        multipliers={str(k): Decimal(str(v)) for k, v in data["multipliers"].items()},
        qualifiers_before=before,
        qualifiers_after=after,
        count_nouns=frozenset(str(n) for n in data["count_nouns"]),
        approx_tolerance=Decimal(str(data["approx_tolerance"])),
    )
