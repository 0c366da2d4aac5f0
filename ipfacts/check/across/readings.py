"""What a figure as written may stand for — as written, truncated, rounded up, at the coarser precision of its
trailing zeros, about (约) — and which reading, if any, reconciles two statements of one figure."""

from __future__ import annotations

from decimal import Decimal

from ipfacts.check.across.common import (
    in_unit,
)
from ipfacts.findings import ERROR, WARNING
from ipfacts.load.intervals import Interval
from ipfacts.load.model import Fact
from ipfacts.load.numbers import Written
from ipfacts.load.words import APPROX


def readings(written: Written, cell: bool = False) -> list[tuple[str, Interval]]:
    """The interval a figure stands for as written (half-up rounding), then each other reading an editor accepts
    with a warning, named: truncated or rounded up at the last digit, its trailing zeros as coarser precision (not
    in a table cell: a yearbook's 120000 is exact), the tolerance of 约."""
    found = [("", written.strict())]
    v, step = written.value, written.step
    if written.qualifier is None and not written.is_exact_count:
        if written.negative:
            found.append(("truncated", Interval(v - step, v, False, True)))
            found.append(("rounded away from zero", Interval(v, v + step, True, False)))
        else:
            found.append(("truncated", Interval(v, v + step, True, False)))
            found.append(("rounded up", Interval(v - step, v, False, True)))
    coarse = None if cell and written.is_exact_count else written.coarse()
    if coarse is not None:
        found.append(("read at the coarser precision of its trailing zeros", coarse))
    if written.qualifier == APPROX:
        found.append(("read as approximate (约)", written.lenient()))
    return found


def reconcile(a: Fact, b: Fact, unit: str | None) -> tuple[str | None, str]:
    """(None, "") when the figures agree as written; (WARNING, the reading) when only a named reading of one (or
    both) reconciles them; (ERROR, "") when none does."""
    fa, fb = in_unit(a, unit), in_unit(b, unit)
    ra = [(name, iv.scale(fa)) for name, iv in readings(a.value, a.cell is not None)]
    rb = [(name, iv.scale(fb)) for name, iv in readings(b.value, b.cell is not None)]
    if ra[0][1].overlaps(rb[0][1]):
        return None, ""
    tries = sorted(((na, ia, nb, ib) for na, ia in ra for nb, ib in rb if na or nb),
                   key=lambda t: (bool(t[0]) and bool(t[2])))
    for na, ia, nb, ib in tries:
        if ia.overlaps(ib):
            parts = [f"{fact.value.text} {name} ({_shown(iv, fact, f)})"
                     for fact, name, iv, f in ((a, na, ia, fa), (b, nb, ib, fb)) if name]
            return WARNING, " and ".join(parts)
    return ERROR, ""


def _shown(interval: Interval, fact: Fact, factor: Decimal) -> str:
    back = interval.scale(1 / factor) if factor != 1 else interval
    return back.bracket(fact.value.decimals + 1)
