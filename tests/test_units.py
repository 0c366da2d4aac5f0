"""Units: ipfacts' own reading of data/units.txt must agree with pint's, pair by pair."""

from __future__ import annotations

import itertools
import subprocess
import sys
from decimal import Decimal

import pytest

from ipfacts.load import units

from conftest import REPO

SHIPPED = units.shipped()


def _canonical_units() -> list[str]:
    return sorted(set(SHIPPED.spellings.values()))


def test_every_defined_unit_is_read_without_pint() -> None:
    missing = [u for u in _canonical_units() if u not in SHIPPED.forms]
    assert missing == []


@pytest.mark.parametrize("source", _canonical_units())
def test_conversions_agree_with_pint(source: str) -> None:
    for target in _canonical_units():
        if source == target:
            continue
        try:
            expected: Decimal | None = SHIPPED._pint_factor(source, target)
        except units.UnitMismatch:
            expected = None
        try:
            got: Decimal | None = SHIPPED.factor(source, target)
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
    assert SHIPPED.factor(source, target) == size


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(["件", "家", "元", "美元", "天", "公斤", "percentage_point"], 2)))
def test_different_dimensions_never_convert(a: str, b: str) -> None:
    with pytest.raises(units.UnitMismatch):
        SHIPPED.factor(a, b)
    assert not SHIPPED.compatible(a, b)


def test_weights_and_areas_are_measured_not_counted() -> None:
    assert SHIPPED.is_count("件") and SHIPPED.is_count("家")
    assert not any(SHIPPED.is_count(u) for u in ("公斤", "吨", "亩", "平方米", "元", "天"))


def test_checking_the_shipped_base_does_not_import_pint() -> None:
    script = ("import sys; from ipfacts.review.checked import check_root; "
              "base, report = check_root('.'); "
              "print(len(base.facts), 'pint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
                         env={"IPFACTS_NO_CACHE": "1", "PATH": ""})
    count, imported = out.stdout.split()
    assert int(count) > 900
    assert imported == "False"


def test_a_base_registry_is_its_own_and_leaves_the_shipped_one_alone() -> None:
    """No process-wide unit state: a base's units are an object; the shipped registry never learns them."""
    valid, problems = units.check_base_units("千件 = 1000 * 件\n分 = [score]\n")
    assert problems == []
    base = SHIPPED.with_base(valid)
    assert base.canonical("千件") == "千件" and SHIPPED.canonical("千件") is None
    assert base.factor("千件", "件") == 1000 and base.is_count("分") and not SHIPPED.is_count("分")
    with pytest.raises(units.UnitMismatch):
        base.factor("分", "件")
    assert SHIPPED.with_base("") is SHIPPED and base == SHIPPED.with_base(valid) and base != SHIPPED
