"""The identities of table blocks: sums across columns and down rows, densities, rank columns and
share tables, checked rounding-aware over the cells as written, like every relation.

A wrong cell breaks every identity through it: its row's sum and its column's sum. The failures
are therefore located before they are reported: a cell that every failing identity of a group
passes through is reported once, at that cell, with its row and column named (T007); a failure
no other failure shares is reported at the cell it computes (the total, the density, the rank),
and the failures of one `sum_rows` identity (a cut-off row fails every column) as one finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import add

from ipfacts.check.relations import rank as ranks
from ipfacts.check.relations.base import (
    PERCENT_100,
    Context,
    Pair,
    common_unit,
    expected,
    judge_pair,
    pair,
    shown,
    suffix,
    value_in,
)
from ipfacts.findings import ERROR, Finding
from ipfacts.load import units
from ipfacts.load.intervals import ZeroDivisor
from ipfacts.load.model import Column, Fact, Identity, Table
from ipfacts.load.units import UnitMismatch
from ipfacts.tables.arith import fixed_decimals

TEN_THOUSAND = Pair.point(Decimal(10000))


def cell_value(fact: Fact, unit: str | None = None, fixed: frozenset[str] = frozenset()) -> Pair:
    """A cell's value in `unit`. A whole count in a statistical table is exact: it has no lenient
    "rounded to its trailing zeros" reading (a yearbook's 120000 is not about 120,000); nor has a cell
    of a column printed with a fixed number of decimals (`fixed`: such columns' keys): 6918.40 in a
    column of 839.45, 288.20 … is 6918.395–6918.405, its trailing zero significant."""
    found = value_in(fact, unit) if unit is not None else pair(fact.value)
    strict = fact.value.is_exact_count or (fact.cell is not None and fact.cell.column in fixed)
    return Pair(found.strict, found.strict) if strict else found


def fixed_columns(table: Table) -> frozenset[str]:
    """The columns of a table printed with a fixed number of decimals in every cell."""
    return frozenset(c.key for i, c in enumerate(table.columns)
                     if fixed_decimals([r.cells[i] for r in table.rows if i < len(r.cells)]) is not None)
CODES = {"sum": "T005", "equal": "T005", "difference": "T005", "percent": "T010", "sum_rows": "T006", "density": "T008", "rank": "T009", "share": "T010"}


@dataclass
class Failure:
    identity: Identity
    at: Fact  # the cell the identity computes: a total, a density, a rank, a share
    cells: list[Fact]  # every cell it involves, `at` first
    severity: str
    says: str  # what fails, in the table's own words
    expected: str | None = None


def run(ctx: Context) -> Iterator[Finding]:
    """Every table's identities; the failures of all tables located together (a share table's
    failures pass through the cells of the table of counts it is computed from)."""
    failures: list[Failure] = []
    for table in ctx.base.tables.values():
        for identity in table.identities:
            try:
                failures.extend(_evaluate(ctx, table, identity))
            except (UnitMismatch, ZeroDivisor) as exc:
                yield _identity_problem(ctx, table, identity, exc)
            except _MissingTable as exc:
                yield ctx.finding("T011", ERROR, f"{table.id}: share identity: {exc}", _first_cell(ctx, table))
    yield from _located(ctx, failures)


class _MissingTable(Exception):
    pass


def _cell(ctx: Context, table: Table, row: str, column: str) -> Fact | None:
    return ctx.base.facts.get(table.cell_id(row, column))


def _first_cell(ctx: Context, table: Table) -> list[Fact]:
    return [f for r in table.rows for c in table.columns if (f := _cell(ctx, table, r.key, c.key))][:1]


def _evaluate(ctx: Context, table: Table, identity: Identity) -> Iterator[Failure]:
    fixed = fixed_columns(table)
    if identity.kind == "sum":
        for row in table.rows:
            yield from _sum(ctx, table, identity, [(row.key, identity.total)], [(row.key, p) for p in identity.parts],
                            f"row {row.header}", fixed)
    elif identity.kind == "equal":  # each other column is a sum of one part: the column itself
        for row in table.rows:
            for part in identity.parts:
                yield from _sum(ctx, table, identity, [(row.key, identity.total)], [(row.key, part)],
                                f"row {row.header}", fixed)
    elif identity.kind == "difference":  # d = a − b − …: a = d + b + …
        minuend, *rest = identity.parts
        for row in table.rows:
            yield from _sum(ctx, table, identity, [(row.key, minuend)],
                            [(row.key, identity.total), *((row.key, p) for p in rest)], f"row {row.header}", fixed)
    elif identity.kind == "sum_rows":
        for column in _additive_columns(ctx, table):
            yield from _sum(ctx, table, identity, [(identity.total, column.key)],
                            [(r, column.key) for r in identity.parts], f"column {column.shown}", fixed)
    elif identity.kind == "density":
        yield from _density(ctx, table, identity)
    elif identity.kind == "rank":
        yield from _rank(ctx, table, identity)
    elif identity.kind == "share":
        yield from _share(ctx, table, identity)
    elif identity.kind == "percent":
        yield from _percent(ctx, table, identity)


def _additive_columns(ctx: Context, table: Table) -> list[Column]:
    """Columns whose cells add down the rows: not densities, ranks, shares or percentages."""
    computed = {i.total for i in table.identities if i.kind in ("density", "rank", "percent")}
    if any(i.kind == "share" for i in table.identities):
        return []
    return [c for c in table.columns if c.key not in computed and not any(
        (f := _cell(ctx, table, r.key, c.key)) is not None and f.value.unit == units.PERCENT for r in table.rows)]


def _sum(ctx: Context, table: Table, identity: Identity, total_at: list[tuple[str, str]],
         parts_at: list[tuple[str, str]], where: str, fixed: frozenset[str]) -> Iterator[Failure]:
    total = _cell(ctx, table, *total_at[0])
    parts = [f for at in parts_at if (f := _cell(ctx, table, *at)) is not None]  # an empty cell adds nothing
    if total is None or not parts:
        return
    unit = common_unit([total, *parts])
    computed = reduce(add, (cell_value(p, unit, fixed) for p in parts))
    reported = cell_value(total, unit, fixed)
    verdict = judge_pair(reported, computed)
    ctx.note(total, f"table {identity.kind}", verdict, total.value, computed)
    if verdict:
        assert total.cell is not None
        named = total.cell.row_header if identity.kind == "sum_rows" else total.cell.column_header
        what = " + ".join(p.value.text for p in parts) if len(parts) <= 6 else f"the {len(parts)} {_parts_word(identity)}"
        yield Failure(identity, total, [total, *parts], verdict,
                      f"{where}: {named} {total.value.text} ≠ {what} = "
                      f"{shown(computed.strict, total.value, 0)}{suffix(total.value)}{_off_by(reported, computed)}",
                      expected(computed.strict, total.value))


def _parts_word(identity: Identity) -> str:
    return "rows" if identity.kind == "sum_rows" else "columns"


def _off_by(reported: Pair, computed: Pair) -> str:
    """`, 287 more than the parts` when both sides are exact."""
    if not (reported.strict.is_point and computed.strict.is_point):
        return ""
    gap = reported.strict.lo - computed.strict.lo
    return f", {abs(gap):,} {'more' if gap > 0 else 'less'} than its parts"


def _density(ctx: Context, table: Table, identity: Identity) -> Iterator[Failure]:
    fixed = fixed_columns(table)
    for row in table.rows:
        density = _cell(ctx, table, row.key, identity.total)
        count = _cell(ctx, table, row.key, identity.count)
        population = _cell(ctx, table, row.key, identity.population)
        if density is None or count is None or population is None:
            continue
        if population.value.unit is not None and not population.value.compatible("人"):
            raise UnitMismatch(population.value.unit, "人")
        computed = cell_value(count, None, fixed) / cell_value(population, None, fixed) * TEN_THOUSAND
        verdict = judge_pair(cell_value(density, None, fixed), computed)
        ctx.note(density, "table density", verdict, density.value, computed)
        if verdict:
            yield Failure(identity, density, [density, count, population], verdict,
                          f"row {row.header}: {_header(table, identity.total)} {density.value.text} ≠ "
                          f"{count.value.text} ÷ {population.value.text}{suffix(population.value)} × 10,000 = "
                          f"{shown(computed.strict, density.value)}",
                          expected(computed.strict, density.value))


def _header(table: Table, column: str) -> str:
    found = table.column(column)
    return found.shown if found else column


def _rank(ctx: Context, table: Table, identity: Identity) -> Iterator[Failure]:
    totals = {i.total for i in table.identities if i.kind == "sum_rows"}
    rows = list(identity.parts) or [r.key for r in table.rows if r.key not in totals]
    by = {r: _cell(ctx, table, r, identity.count) for r in rows}
    if any(f is None for f in by.values()):
        return  # not every figure ranked is in the table: nothing to check against
    figures = [f for f in by.values() if f is not None]
    unit = common_unit(figures)
    values = {r: cell_value(f, unit) for r, f in by.items() if f is not None}
    for row_key in rows:
        cell = _cell(ctx, table, row_key, identity.total)
        if cell is None:
            continue
        rank = ranks.stated_rank(cell.value)
        peers = [v for r, v in values.items() if r != row_key]
        verdict = ERROR if rank is None else ranks.judge_rank(rank, values[row_key], peers, identity.order)
        ctx.note(cell, "table rank", verdict, cell.value, None)
        if verdict:
            lo, hi = ranks.rank_range(values[row_key], peers, identity.order)
            figure = by[row_key]
            assert figure is not None and cell.cell is not None
            yield Failure(identity, cell, [cell, figure], verdict,
                          f"row {cell.cell.row_header}: {cell.cell.column_header} {cell.value.text}, but "
                          f"{figure.value.text} ({_header(table, identity.count)}) ranks {ranks.described(lo, hi)} "
                          f"of {len(rows)} ({'1 = largest' if identity.order == 'desc' else '1 = smallest'})",
                          ranks.described(lo, hi))


def _share(ctx: Context, table: Table, identity: Identity) -> Iterator[Failure]:
    counts = ctx.base.tables.get(identity.of_table)
    if counts is None:
        raise _MissingTable(f"no table {identity.of_table!r}")
    if counts.column(identity.count) is None:
        raise _MissingTable(f"table {identity.of_table!r} has no column {identity.count!r}")
    missing = [r.key for r in table.rows if counts.row(r.key) is None] + \
              [c.key for c in table.columns if counts.column(c.key) is None]
    if missing:
        raise _MissingTable(f"table {identity.of_table!r} has no row or column {', '.join(map(repr, missing))}")
    fixed, counted = fixed_columns(table), fixed_columns(counts)  # the counts stand in the other table
    for row in table.rows:
        whole = _cell(ctx, counts, row.key, identity.count)
        for column in table.columns:
            cell = _cell(ctx, table, row.key, column.key)
            part = _cell(ctx, counts, row.key, column.key)
            if cell is None or part is None or whole is None:
                continue
            unit = common_unit([part, whole])
            computed = cell_value(part, unit, counted) / cell_value(whole, unit, counted) * PERCENT_100
            verdict = judge_pair(cell_value(cell, None, fixed), computed)
            ctx.note(cell, "table share", verdict, cell.value, computed)
            if verdict:
                yield Failure(identity, cell, [cell, part, whole], verdict,
                              f"row {row.header}: {column.shown} {cell.value.text} ≠ {part.value.text} ÷ "
                              f"{whole.value.text} = {shown(computed.strict, cell.value)}%",
                              expected(computed.strict, cell.value))


def _percent(ctx: Context, table: Table, identity: Identity) -> Iterator[Failure]:
    """A column of percents: in every row, part ÷ whole × 100, to the column's printed precision."""
    fixed = fixed_columns(table)
    for row in table.rows:
        cell = _cell(ctx, table, row.key, identity.total)
        part = _cell(ctx, table, row.key, identity.parts[0])
        whole = _cell(ctx, table, row.key, identity.count)
        if cell is None or part is None or whole is None:
            continue
        unit = common_unit([part, whole])
        computed = cell_value(part, unit, fixed) / cell_value(whole, unit, fixed) * PERCENT_100
        verdict = judge_pair(cell_value(cell, None, fixed), computed)
        ctx.note(cell, "table percent", verdict, cell.value, computed)
        if verdict:
            yield Failure(identity, cell, [cell, part, whole], verdict,
                          f"row {row.header}: {_header(table, identity.total)} {cell.value.text} ≠ {part.value.text} ÷ "
                          f"{whole.value.text} = {shown(computed.strict, cell.value)}%",
                          expected(computed.strict, cell.value))


def _identity_problem(ctx: Context, table: Table, identity: Identity, exc: Exception) -> Finding:
    if isinstance(exc, UnitMismatch):
        a, b = exc.units
        return ctx.finding("R114", ERROR, f"{table.id}: its {identity.kind} identity combines {a} with {b}",
                           _first_cell(ctx, table))
    return ctx.finding("R115", ERROR, f"{table.id}: its {identity.kind} identity divides by a value that may be zero",
                       _first_cell(ctx, table))


def _located(ctx: Context, failures: list[Failure]) -> Iterator[Finding]:
    """Each wrong cell once: a cell shared by several failures first, then the rest by identity."""
    remaining = list(failures)
    while remaining:
        counts = Counter(c.id for f in remaining for c in f.cells)
        cell_id, count = counts.most_common(1)[0]
        if count < 2:
            break
        through = [f for f in remaining if any(c.id == cell_id for c in f.cells)]
        remaining = [f for f in remaining if f not in through]
        cell = ctx.fact(cell_id)
        yield _finding(ctx, "T007", cell, through,
                       f"{_table_of(cell)}: {_label(cell)} ({cell.value.text}) breaks {len(through)} identities: "
                       + "; ".join(f.says for f in through))
    by_identity: dict[int, list[Failure]] = {}
    for failure in remaining:
        key = id(failure.identity) if failure.identity.kind == "sum_rows" else id(failure)
        by_identity.setdefault(key, []).append(failure)
    for group in by_identity.values():
        first = group[0].at
        involved = [f.at for f in group] if len(group) > 1 else None  # a cut-off row: its total cells, not every part
        lead = f"{_table_of(first)}: {_label(first)} ({first.value.text}): " if len(group) == 1 else \
            f"{_table_of(first)}: total row {_row_header(first)} is not the sum of its rows in {len(group)} columns: "
        yield _finding(ctx, CODES[group[0].identity.kind], first, group, lead + "; ".join(f.says for f in group),
                       involved)


def _table_of(cell: Fact) -> str:
    return cell.cell.table if cell.cell else cell.id


def _label(cell: Fact) -> str:
    return cell.cell.label if cell.cell else cell.id


def _row_header(cell: Fact) -> str:
    return cell.cell.row_header if cell.cell else cell.id


def _finding(ctx: Context, code: str, at: Fact, failures: list[Failure], message: str,
             involved: list[Fact] | None = None) -> Finding:
    involved = involved or [at, *(c for f in failures for c in f.cells)]
    severity = ERROR if any(f.severity == ERROR for f in failures) else failures[0].severity
    assert at.cell is not None
    return ctx.finding(code, severity, message, involved, reported=at.value.text,
                       expected=failures[0].expected if len(failures) == 1 else None,
                       table=at.cell.table, row=at.cell.row_header, column=at.cell.column_header)
