"""Units: ipfacts' own reading of data/units.txt must agree with pint's, pair by pair."""

from __future__ import annotations

import itertools
import subprocess
import sys
from decimal import Decimal

import pytest

from ipfacts.load import units
from tests.conftest import REPO


def _canonical_units() -> list[str]:
    return sorted(set(units.spellings().values()))


def test_every_defined_unit_is_read_without_pint() -> None:
    missing = [u for u in _canonical_units() if u not in units._simple_forms()]
    assert missing == []


@pytest.mark.parametrize("source", _canonical_units())
def test_conversions_agree_with_pint(source: str) -> None:
    for target in _canonical_units():
        if source == target:
            continue
        try:
            expected: Decimal | None = units._pint_factor(source, target)
        except units.UnitMismatch:
            expected = None
        try:
            got: Decimal | None = units.factor(source, target)
        except units.UnitMismatch:
            got = None
        if expected is None or got is None:
            assert got == expected, f"{source} → {target}"
        else:
            assert abs(got - expected) <= abs(expected) * Decimal("1e-12"), f"{source} → {target}: {got} ≠ {expected}"


@pytest.mark.parametrize(("source", "target", "size"), [
    ("万平方米", "平方米", Decimal(10000)),
    ("吨", "斤", Decimal(2000)),
    ("年", "周", Decimal(365) / Decimal(7)),
    ("percent", "倍", Decimal("0.01")),
])
def test_scaled_units_convert(source: str, target: str, size: Decimal) -> None:
    assert units.factor(source, target) == size


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(["件", "家", "元", "美元", "天", "公斤", "percentage_point"], 2)))
def test_different_dimensions_never_convert(a: str, b: str) -> None:
    with pytest.raises(units.UnitMismatch):
        units.factor(a, b)
    assert not units.compatible(a, b)


def test_weights_and_areas_are_measured_not_counted() -> None:
    assert units.is_count("件") and units.is_count("家")
    assert not any(units.is_count(u) for u in ("公斤", "吨", "亩", "平方米", "元", "天"))


def test_checking_the_shipped_base_does_not_import_pint() -> None:
    script = ("import sys; from ipfacts.review.checked import check_root; "
              "base, report = check_root('.'); "
              "print(len(base.facts), 'pint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
                         env={"IPFACTS_NO_CACHE": "1", "PATH": ""})
    count, imported = out.stdout.split()
    assert int(count) > 900
    assert imported == "False"
