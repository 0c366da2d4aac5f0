"""Units: which spellings exist, their canonical names, dimensions and conversions.

The definitions live in data/units.txt (pint's format), and a fact base may add its own
in facts/units.txt (same format, simple definitions only: a new dimension or a number
times a known unit), merged after the shipped ones by `use_base_units`. The spelling table is
read from it directly, which is cheap, and so are conversions between units
defined as a number times another unit (万平方米 = 10000 * 平方米); pint is
imported only for a definition more elaborate than that, since importing it
costs more than checking a city's whole fact base.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
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


@cache
def _shipped_text() -> str:
    return resources.files("ipfacts").joinpath("data/units.txt").read_text(encoding="utf-8")


_base_text = ""  # the fact base's facts/units.txt, as last set by use_base_units
_on_change: list[Callable[[], None]] = []


def _definitions_text() -> str:
    return _shipped_text() + "\n" + _base_text if _base_text else _shipped_text()


def on_change(clear: Callable[[], None]) -> None:
    """Register a cache of something derived from the units (parsed values, a claim pattern) to clear
    when a fact base brings other units."""
    _on_change.append(clear)


def use_base_units(text: str) -> None:
    """Merge a fact base's own definitions (the valid lines of its facts/units.txt; "" for none).
    Every cache that depends on the units is cleared when, and only when, they change."""
    global _base_text
    if text == _base_text:
        return
    _base_text = text
    for derived in (spellings, canonical, count_units, _registry, _simple_forms, factor):
        derived.cache_clear()
    for clear in _on_change:
        clear()


_DIMENSION = re.compile(r"^\[[A-Za-z_][A-Za-z0-9_]*\]$")


def check_base_units(text: str) -> tuple[str, list[tuple[int, str]]]:
    """A fact base's units file: (its valid lines, to merge; [(line number, problem)]).

    A line defines a new unit as a dimension of its own (`分 = [score]`) or as a number times a known
    unit (`千件 = 1000 * 件`), with aliases after further `=`; it may not redefine a spelling or a
    dimension the shipped definitions (or an earlier line) already have, nor use pint's directives.
    """
    known = _spellings_in(_shipped_text())  # the shipped units alone, whatever base was loaded last
    forms = _forms_in(_shipped_text())
    dimensions = {d for _, d in forms.values() if d}
    valid: list[str] = []
    problems: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        names = [part.strip() for part in line.split("=")]
        problem = _base_line_problem(names, known, dimensions, forms)
        if problem:
            problems.append((number, problem))
            continue
        name, definition = names[0], names[1]
        if _DIMENSION.match(definition):
            dimensions.add(definition)
            forms[name] = (Decimal(1), definition)
        else:
            m = _SCALED.match(definition)
            assert m is not None
            size, dimension = forms[m["u1"] or m["u2"]]
            n = Decimal(m["n1"] or m["n2"])
            forms[name] = (size / n if m["op"] == "/" else size * n, dimension)
        for spelling in (name, *names[2:]):
            known[normalise_spelling(spelling)] = name
        valid.append(line)
    return "\n".join(valid), problems


def _base_line_problem(names: list[str], known: dict[str, str], dimensions: set[str],
                       forms: dict[str, tuple[Decimal, str]]) -> str | None:
    if names[0].startswith("@") or len(names) < 2 or not names[0] or not names[1]:
        return "write `name = [dimension]` or `name = number * unit`, aliases after further `=`"
    for spelling in (names[0], *names[2:]):
        if not spelling or spelling.startswith("[") or re.search(r"[\d*/\s]", spelling):
            return f"{spelling!r} is not a unit name (no digits, spaces, * or /)"
        if normalise_spelling(spelling) in known:
            return f"{spelling!r} is already a unit ({known[normalise_spelling(spelling)]}); a fact base adds units, it does not redefine them"
    definition = names[1]
    if _DIMENSION.match(definition):
        if definition in dimensions:
            return f"dimension {definition} already exists; give the new unit a dimension of its own"
        return None
    m = _SCALED.match(definition)
    if m is None:
        return f"{definition!r}: define a unit as [dimension] or as number * unit (no other pint syntax)"
    if (m["u1"] or m["u2"]) not in forms:
        return f"{definition!r} names no known unit (use its first, canonical spelling)"
    return None


def normalise_spelling(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    text = re.sub(r"[\s\-]+", "_", text)
    return text.lower() if text.isascii() else text


@cache
def spellings() -> dict[str, str]:
    """Every accepted spelling (normalised) → the canonical unit name."""
    return _spellings_in(_definitions_text())


def _spellings_in(text: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for raw in text.splitlines():
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


# Money, time, rates and measured quantities (weights, areas): not whole-number counts.
NON_COUNT_DIMENSIONS = ("[cny]", "[usd]", "[time]", "[pp]", "[mass]", "[mu]", "[area]")


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
        [line for line in _definitions_text().splitlines() if not re.match(r"percent\s*=", line)]
    )
    registry.define("percent = 0.01")
    return registry


_NUMBER = r"\d+(?:\.\d+)?"
_SCALED = re.compile(rf"^(?:(?P<n1>{_NUMBER})\s*\*\s*(?P<u1>\S+)|(?P<u2>\S+)\s*(?P<op>[*/])\s*(?P<n2>{_NUMBER}))$")


@cache
def _simple_forms() -> dict[str, tuple[Decimal, str]]:
    """Canonical unit → (its size in its base unit, its dimension), for every definition simple enough to
    read without pint: a base dimension `[x]`, a bare number, or a number times (or over) another unit.

    Importing pint costs more than a whole small check, and units.txt needs nothing more; anything more
    elaborate falls through to pint. A test holds this reading to pint's for every pair of units.
    """
    return _forms_in(_definitions_text())


def _forms_in(text: str) -> dict[str, tuple[Decimal, str]]:
    forms: dict[str, tuple[Decimal, str]] = {}
    for raw in text.splitlines():
        names = [part.strip() for part in raw.split("#", 1)[0].split("=")]
        if len(names) < 2 or not names[0] or names[0].startswith("@"):
            continue
        name, definition = names[0], names[1]
        if definition.startswith("[") and definition.endswith("]"):
            forms[name] = (Decimal(1), definition)
        elif re.fullmatch(_NUMBER, definition):
            forms[name] = (Decimal(definition), "")
        elif (m := _SCALED.match(definition)) and (m["u1"] or m["u2"]) in forms:
            size, dimension = forms[m["u1"] or m["u2"]]
            number = Decimal(m["n1"] or m["n2"])
            forms[name] = (size / number if m["op"] == "/" else size * number, dimension)
    return forms


@cache
def factor(source: str, target: str) -> Decimal:
    """How many `target` one `source` is; raises UnitMismatch across dimensions."""
    if source == target:
        return Decimal(1)
    forms = _simple_forms()
    if source in forms and target in forms:
        (source_size, source_dimension), (target_size, target_dimension) = forms[source], forms[target]
        if source_dimension != target_dimension:
            raise UnitMismatch(source, target)
        return source_size / target_size
    return _pint_factor(source, target)


def _pint_factor(source: str, target: str) -> Decimal:
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
