"""Units: which spellings exist, their canonical names, dimensions and conversions.

The definitions live in data/units.txt (pint's format). The spelling table is
read from it directly, which is cheap; pint itself is imported only when two
*different* canonical units meet in one relation, since importing it costs a
few hundred milliseconds and most relations compare like with like.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

PERCENT = "percent"
PERCENTAGE_POINT = "percentage_point"
TIMES = "倍"


class UnitMismatch(ValueError):
    """Two units of different dimensions (件 and 家, 元 and 美元) met in one relation."""

    def __init__(self, a: str, b: str) -> None:
        super().__init__(f"{a} and {b} are not the same kind of quantity")
        self.units = (a, b)


def _definitions_text() -> str:
    return resources.files("ipfacts").joinpath("data/units.txt").read_text(encoding="utf-8")


def normalise_spelling(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"[\s\-]+", "_", text)
    return text.lower() if text.isascii() else text


@cache
def spellings() -> dict[str, str]:
    """Every accepted spelling (normalised) → the canonical unit name."""
    table: dict[str, str] = {}
    for raw in _definitions_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("@"):
            continue
        names = [part.strip() for part in line.split("=")]
        canonical = names[0]
        table[normalise_spelling(canonical)] = canonical
        for alias in names[1:]:
            if alias and not alias.startswith("[") and not re.search(r"[\d*/]", alias):
                table[normalise_spelling(alias)] = canonical
    return table


@cache
def canonical(spelling: str) -> str | None:
    """The canonical name of a unit as written, or None when no unit has that spelling."""
    return spellings().get(normalise_spelling(spelling))


NON_COUNT_DIMENSIONS = ("[cny]", "[usd]", "[time]", "[pp]")


@cache
def count_units() -> frozenset[str]:
    """Classifiers: units of things counted in whole numbers (件, 家, 人 …), not money, time or rates."""
    found = set()
    for raw in _definitions_text().splitlines():
        names = [part.strip() for part in raw.split("#", 1)[0].split("=")]
        if len(names) > 1 and names[1].startswith("[") and names[1] not in NON_COUNT_DIMENSIONS:
            found.add(names[0])
    return frozenset(found)


def is_count(unit: str | None) -> bool:
    return unit is None or unit in count_units()


@cache
def _registry() -> Any:
    import pint

    registry: Any = pint.UnitRegistry(None, cache_folder=None)
    registry.load_definitions(
        [line for line in _definitions_text().splitlines() if not line.startswith("percent")]
    )
    registry.define("percent = 0.01")
    return registry


@cache
def factor(source: str, target: str) -> Decimal:
    """How many `target` one `source` is; raises UnitMismatch across dimensions."""
    if source == target:
        return Decimal(1)
    import pint

    registry = _registry()
    try:
        magnitude = registry.Quantity(1, source).to(target).magnitude
    except pint.DimensionalityError as exc:
        raise UnitMismatch(source, target) from exc
    return Decimal(str(magnitude))


def compatible(a: str | None, b: str | None) -> bool:
    """A missing unit (a bare count) is compatible with any unit."""
    if a is None or b is None or a == b:
        return True
    try:
        factor(a, b)
    except UnitMismatch:
        return False
    return True
