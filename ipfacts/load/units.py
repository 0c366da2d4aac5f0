"""Units: which spellings exist, their canonical names, dimensions and conversions.

The definitions live in data/units.txt (pint's format), and a fact base may add its own
in facts/units.txt (same format, simple definitions only: a new dimension or a number
times a known unit). A `Units` registry holds one set of definitions: `shipped()` the shipped
ones, `shipped().with_base(text)` a fact base's (the loader keeps it as `FactBase.units`), and
is passed to whoever parses or converts — there is no process-wide unit state. The spelling table is
read from it directly, which is cheap, and so are conversions between units
defined as a number times another unit (万平方米 = 10000 * 平方米); pint is
imported only for a definition more elaborate than that, since importing it
costs more than checking a city's whole fact base.
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


@cache
def _shipped_text() -> str:
    return resources.files("ipfacts").joinpath("data/units.txt").read_text(encoding="utf-8")


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
        if not spelling or spelling.startswith("[") or re.search(r"[0-9*/\s]", spelling):
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
            if alias and not alias.startswith("[") and not re.search(r"[0-9*/]", alias):
                table[normalise_spelling(alias)] = canonical
    return table


# Money, time, rates and measured quantities (weights, areas): not whole-number counts.
NON_COUNT_DIMENSIONS = ("[cny]", "[usd]", "[time]", "[pp]", "[mass]", "[mu]", "[area]")


def _count_units_in(text: str) -> frozenset[str]:
    found = set()
    for raw in text.splitlines():
        names = [part.strip() for part in raw.split("#", 1)[0].split("=")]
        if len(names) > 1 and names[1].startswith("[") and names[1] not in NON_COUNT_DIMENSIONS:
            found.add(names[0])
    return frozenset(found)


_NUMBER = r"[0-9]+(?:\.[0-9]+)?"  # pint's definition syntax (1000 * 件), not a number as a source writes it
_SCALED = re.compile(rf"^(?:(?P<n1>{_NUMBER})\s*\*\s*(?P<u1>\S+)|(?P<u2>\S+)\s*(?P<op>[*/])\s*(?P<n2>{_NUMBER}))$")


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


class Units:
    """One set of unit definitions — the shipped ones, and a fact base's own after them — and what is read
    from it: spellings, canonical names, count units and conversion factors. Immutable once made."""

    def __init__(self, base_text: str = "") -> None:
        self.base_text = base_text  # the valid lines of a fact base's facts/units.txt ("" for none)
        self.text = _shipped_text() + "\n" + base_text if base_text else _shipped_text()
        self.spellings = _spellings_in(self.text)  # every accepted spelling (normalised) → canonical name
        # canonical unit → (its size in its base unit, its dimension), for every definition simple enough to
        # read without pint (importing pint costs more than a whole small check; a test holds this to pint)
        self.forms = _forms_in(self.text)
        self.count_units = _count_units_in(self.text)
        self._pint: Any = None

    def __eq__(self, other: object) -> bool:  # the same definitions: the same registry (a cache key)
        return isinstance(other, Units) and other.base_text == self.base_text

    def __hash__(self) -> int:
        return hash(self.base_text)

    def with_base(self, base_text: str) -> Units:
        """The shipped definitions and a fact base's own (the valid lines check_base_units returns)."""
        return shipped() if not base_text else Units(base_text)

    def canonical(self, spelling: str) -> str | None:
        """The canonical name of a unit as written, or None when no unit has that spelling. A spelling already
        in normal form (件, %, 亿元: most of them) is looked up as it is: normalising is idempotent."""
        found = self.spellings.get(spelling)
        return found if found is not None else self.spellings.get(normalise_spelling(spelling))

    def is_count(self, unit: str | None) -> bool:
        """Classifiers: units of things counted in whole numbers (件, 家, 人 …), not money, time or rates."""
        return unit is None or unit in self.count_units

    def factor(self, source: str, target: str) -> Decimal:
        """How many `target` one `source` is; raises UnitMismatch across dimensions."""
        if source == target:
            return Decimal(1)
        if source in self.forms and target in self.forms:
            (source_size, source_dimension), (target_size, target_dimension) = self.forms[source], self.forms[target]
            if source_dimension != target_dimension:
                raise UnitMismatch(source, target)
            return source_size / target_size
        return self._pint_factor(source, target)

    def compatible(self, a: str | None, b: str | None) -> bool:
        """A missing unit (a bare count) is compatible with any unit."""
        if a is None or b is None or a == b:
            return True
        try:
            self.factor(a, b)
        except UnitMismatch:
            return False
        return True

    def _pint_factor(self, source: str, target: str) -> Decimal:
        import pint  # lazy: 0.1 s to import; only a definition more elaborate than a number times a unit needs it

        if self._pint is None:
            registry: Any = pint.UnitRegistry(None, cache_folder=None)
            registry.load_definitions([line for line in self.text.splitlines() if not re.match(r"percent\s*=", line)])
            registry.define("percent = 0.01")
            self._pint = registry
        try:
            magnitude = self._pint.Quantity(1, source).to(target).magnitude
        except pint.DimensionalityError as exc:
            raise UnitMismatch(source, target) from exc
        return Decimal(str(magnitude))


@cache
def shipped() -> Units:
    """The shipped definitions alone (data/units.txt), made once: they never change within a run."""
    return Units()
