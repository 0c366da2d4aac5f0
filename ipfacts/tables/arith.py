"""Which column is which, from the numbers: the identities that hold across the rows of a table.

Searched (bounded, so that a table of 30 columns or 1,500 rows takes a moment): a column that is
the sum of others (several breakdowns of one total are each found), two equal columns, a density
(count ÷ population × 10,000, or ÷ a population in 万人, to the printed precision), a rank column
(1 = the largest, or the smallest, of another column), and a total row that is the sum of a run of
rows (or of the province-level rows of a table that lists cities too).

An identity is found when it holds in (almost) every row: one or two rows that break it are the
misprints a check must report, so they are kept, and named (`broken`).

Every comparison is exact to the printed precision: a cell printed with d decimals stands for
±half a unit of its last place, and nothing more (6918.40 is 6918.395–6918.405).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import combinations

SEARCH_BUDGET = 20000  # subsets tried per total column and probe row
MAX_DECIMALS = 6


@dataclass(frozen=True)
class Found:
    kind: str  # sum, equal, density, rank, sum_rows
    total: int  # the column (sum_rows: the row) computed
    parts: tuple[int, ...]  # sum: part columns; equal: the equal column; density: (count, population); rank: (by,)
    holds: int
    judged: int  # rows (sum_rows: columns) where every cell involved is present
    broken: tuple[int, ...] = ()  # rows (sum_rows: columns) where it does not hold
    factor: int = 10000  # density: × 10,000 (population in 人) or × 1 (in 万人)
    order: str = "desc"  # rank
    ranked: tuple[int, ...] = ()  # rank: the rows ranked
    decimals: int = 0  # density: the decimals the computed column is printed with


@dataclass
class Grid:
    """A table's cells as numbers: 2 × value in units of 10^-scale (an int), with 2 × half a unit of
    its last printed place, so that sums and their rounding are exact integer arithmetic."""

    values: list[list[int | None]]  # [row][column]
    halves: list[list[int]]
    decimals: list[list[int]]
    percent: list[bool]  # a column of percents
    scale: int
    floats: list[list[float | None]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.percent)

    def column(self, c: int) -> list[int | None]:
        return [r[c] for r in self.values]


def number(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "").replace("，", "").replace("％", "%").replace("−", "-").replace("–", "-")
    cleaned = cleaned.rstrip("%‰")
    try:
        return Decimal(cleaned) if cleaned and cleaned not in ("-", "+") else None
    except InvalidOperation:
        return None


def decimals_of(value: Decimal) -> int:
    """The decimals a number is printed with (6918.40: 2)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def grid(rows: list[list[str]], width: int) -> Grid:
    parsed = [[number(r[c]) if c < len(r) else None for c in range(width)] for r in rows]
    decimals = [[0 if v is None else decimals_of(v) for v in row] for row in parsed]
    scale = min(MAX_DECIMALS, max((d for row in decimals for d in row), default=0))
    values = [[None if v is None else int(v.scaleb(scale).to_integral_value()) * 2 for v in row] for row in parsed]
    halves = [[10 ** (scale - d) if v is not None and d else 0 for v, d in zip(row, drow, strict=True)]
              for row, drow in zip(parsed, decimals, strict=True)]
    percent = [any(c < len(r) and r[c].strip().endswith(("%", "％")) for r in rows) for c in range(width)]
    floats = [[None if v is None else float(v) for v in row] for row in parsed]
    return Grid(values, halves, decimals, percent, scale, floats)


def almost_all(holds: int, judged: int) -> bool:
    """Holds in (almost) every row: one row of a short table, two of a longer one, a twentieth of a long one
    may break it (the misprints the check reports)."""
    return judged >= 2 and holds >= 2 and judged - holds <= max(1, min(judged // 5, max(2, judged // 20)))


def _sum_holds(g: Grid, row: int, total: int, parts: tuple[int, ...]) -> bool | None:
    t = g.values[row][total]
    if t is None:
        return None
    got = 0
    slack = g.halves[row][total]
    present = 0
    for p in parts:
        v = g.values[row][p]
        if v is not None:
            got += v
            slack += g.halves[row][p]
            present += 1
    if present < len(parts):
        return None if present == 0 else abs(got - t) <= slack or None
    return abs(got - t) <= slack


def _judge(g: Grid, rows: list[int], test) -> tuple[int, int, tuple[int, ...]]:  # noqa: ANN001
    holds = judged = 0
    broken = []
    for r in rows:
        verdict = test(r)
        if verdict is None:
            continue
        judged += 1
        if verdict:
            holds += 1
        else:
            broken.append(r)
    return holds, judged, tuple(broken)


def additive(g: Grid, rows: list[int]) -> list[int]:
    """Columns that can add up: not percents, not empty, not all zero."""
    return [c for c in range(g.width) if not g.percent[c] and
            any(g.values[r][c] not in (None, 0) for r in rows)]


def equal_columns(g: Grid, rows: list[int]) -> list[Found]:
    found = []
    columns = additive(g, rows)
    for a, b in combinations(columns, 2):
        holds, judged, broken = _judge(g, rows, lambda r, a=a, b=b: _equal_holds(g, r, a, b))
        if almost_all(holds, judged):
            found.append(Found("equal", a, (b,), holds, judged, broken))
    return found


def _equal_holds(g: Grid, row: int, a: int, b: int) -> bool | None:
    va, vb = g.values[row][a], g.values[row][b]
    if va is None or vb is None:
        return None
    return abs(va - vb) <= g.halves[row][a] + g.halves[row][b]


def _probes(g: Grid, rows: list[int], columns: list[int]) -> list[int]:
    complete = [r for r in rows if all(g.values[r][c] is not None for c in columns)] or rows
    if len(complete) <= 3:
        return complete
    return [complete[0], complete[len(complete) // 2], complete[-1]]


def _runs(g: Grid, row: int, total: int, candidates: list[int]) -> set[frozenset[int]]:
    """Runs of two or more adjacent candidate columns that add up to the total in this row."""
    t = g.values[row][total]
    found: set[frozenset[int]] = set()
    if t is None:
        return found
    for start in range(len(candidates)):
        got = slack = 0
        for end in range(start, len(candidates)):
            v = g.values[row][candidates[end]]
            if v is None:
                break
            got += v
            slack += g.halves[row][candidates[end]]
            if end > start and abs(got - t) <= slack + g.halves[row][total]:
                found.add(frozenset(candidates[start:end + 1]))
            if got - slack > t + g.halves[row][total] and v >= 0:
                break
    return found


def _subsets(g: Grid, row: int, total: int, candidates: list[int]) -> set[frozenset[int]]:
    """Subsets (two or more) of the candidate columns that add up to the total in this row."""
    t = g.values[row][total]
    if t is None or t <= 0:
        return set()
    present = [(c, v, g.halves[row][c]) for c in candidates if (v := g.values[row][c]) is not None]
    items = sorted(((c, v, h) for c, v, h in present if 0 < v <= t + g.halves[row][total]), key=lambda x: -x[1])
    found: set[frozenset[int]] = set()
    budget = [SEARCH_BUDGET]
    suffix = [0] * (len(items) + 1)
    for i in range(len(items) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + items[i][1] + items[i][2]
    top = t + g.halves[row][total]
    bottom = t - g.halves[row][total]

    def walk(i: int, chosen: list[int], got: int, slack: int) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        if len(chosen) >= 2 and bottom - slack <= got <= top + slack:
            found.add(frozenset(chosen))
        if i >= len(items) or got - slack > top or got + slack + suffix[i] < bottom:
            return
        c, v, h = items[i]
        chosen.append(c)
        walk(i + 1, chosen, got + v, slack + h)
        chosen.pop()
        walk(i + 1, chosen, got, slack)

    walk(0, [], 0, 0)
    return found


def column_sums(g: Grid, rows: list[int], skip: set[int] | None = None) -> list[Found]:
    """Each column that is the sum of other columns in (almost) every row; an expansion of a found sum
    (合计 = 非职务 + 发明 + 实用新型 where 职务 = 发明 + 实用新型) is left out."""
    columns = [c for c in additive(g, rows) if c not in (skip or set())]
    found: dict[tuple[int, frozenset[int]], Found] = {}
    for total in columns:
        candidates = [c for c in columns if c != total]
        sets: set[frozenset[int]] = set()
        for probe in _probes(g, rows, [total]):
            sets |= _runs(g, probe, total, candidates)  # side by side first: cheap, and what tables mostly do
            sets |= _subsets(g, probe, total, candidates)
        for parts in sets:
            ordered = tuple(sorted(parts))
            holds, judged, broken = _judge(g, rows, lambda r, o=ordered, t=total: _sum_holds(g, r, t, o))
            if almost_all(holds, judged):
                found[(total, parts)] = Found("sum", total, ordered, holds, judged, broken)
    keys = set(found)
    kept = []
    for (total, parts), item in found.items():
        expanded = any(u != total and u not in parts and inner <= parts and (total, (parts - inner) | {u}) in keys
                       for u, inner in keys)
        if not expanded:
            kept.append(item)
    return sorted(kept, key=lambda f: (f.total, f.parts))


def densities(g: Grid, rows: list[int], skip: set[int] | None = None) -> list[Found]:
    """Columns that are count ÷ population × 10,000 (or ÷ a population in 万人), to their printed precision."""
    columns = [c for c in range(g.width) if not g.percent[c] and c not in (skip or set())]
    found = []
    probes = _probes(g, rows, columns)
    for d in columns:
        if not any(g.decimals[r][d] for r in rows):
            continue  # a density is printed with decimals
        for c in columns:
            for p in columns:
                if len({d, c, p}) < 3:
                    continue
                for factor in (10000, 1):
                    if sum(_density_holds(g, r, d, c, p, factor) is False for r in probes) > 1:
                        continue  # one probe row may be the misprint
                    holds, judged, broken = _judge(g, rows, lambda r, d=d, c=c, p=p, f=factor:
                                                   _density_holds(g, r, d, c, p, f))
                    if almost_all(holds, judged):
                        found.append(Found("density", d, (c, p), holds, judged, broken, factor=factor,
                                           decimals=max(g.decimals[r][d] for r in rows)))
    return found


def _density_holds(g: Grid, row: int, d: int, c: int, p: int, factor: int) -> bool | None:
    dv, cv, pv = g.floats[row][d], g.floats[row][c], g.floats[row][p]
    if dv is None or cv is None or pv is None or pv <= 0:
        return None
    half = lambda col: 0.5 * 10 ** -g.decimals[row][col] if g.decimals[row][col] else 0.0  # noqa: E731
    hc, hp = half(c), half(p)
    lo = (cv - hc) / (pv + hp) * factor
    hi = (cv + hc) / max(pv - hp, 1e-12) * factor
    return lo - half(d) - 1e-9 <= dv <= hi + half(d) + 1e-9


def ranks(g: Grid, rows: list[int], skip: set[int] | None = None) -> list[Found]:
    """A column of whole numbers 1…n that ranks the rows by another column (ties share a rank)."""
    found = []
    for r_col in range(g.width):
        ranked = [r for r in rows if g.values[r][r_col] is not None]
        values = [g.floats[r][r_col] for r in ranked]
        if len(ranked) < 2 or any(v is None or v != int(v) or v < 1 or v > len(ranked) for v in values) or \
                len(set(values)) < len(values) * 0.8 or g.percent[r_col]:
            continue
        for by in range(g.width):
            if by == r_col or by in (skip or set()) or any(g.values[r][by] is None for r in ranked):
                continue
            figures = sorted(v for r in ranked if (v := g.values[r][by]) is not None)
            for order in ("desc", "asc"):
                holds, judged, broken = _judge(g, ranked, lambda r, o=order, f=figures, b=by, k=r_col:
                                               _rank_holds(g, r, k, f, g.values[r][b], o))
                if almost_all(holds, judged) and holds * 10 >= judged * 9:
                    found.append(Found("rank", r_col, (by,), holds, judged, broken, order=order, ranked=tuple(ranked)))
    return found


def _rank_holds(g: Grid, row: int, r_col: int, figures: list[int], mine: int | None, order: str) -> bool:
    """The stated rank of the row is its place among the sorted figures (ties: any place they share)."""
    assert mine is not None
    below, above = bisect_left(figures, mine), bisect_right(figures, mine)
    better = len(figures) - above if order == "desc" else below
    ties = above - below - 1
    stated = g.floats[row][r_col]
    return stated is not None and better + 1 <= stated <= better + 1 + ties


def row_sum(g: Grid, total: int, parts: list[int], columns: list[int]) -> tuple[int, int, tuple[int, ...]]:
    """In how many of the columns the total row is the sum of the part rows: (holds, judged, broken columns)."""
    holds = judged = 0
    broken = []
    for c in columns:
        t = g.values[total][c]
        values = [(v, g.halves[r][c]) for r in parts if (v := g.values[r][c]) is not None]
        if t is None or not values:
            continue
        judged += 1
        if abs(sum(v for v, _ in values) - t) <= sum(h for _, h in values) + g.halves[total][c]:
            holds += 1
        else:
            broken.append(c)
    return holds, judged, tuple(broken)


def run_to_total(g: Grid, total: int, rows: list[int], columns: list[int]) -> list[int] | None:
    """The run of rows right after (or right before) the total row that adds up to it in most columns."""
    for direction in (1, -1):
        run: list[int] = []
        sums = dict.fromkeys(columns, 0)
        slack = dict.fromkeys(columns, 0)
        position = rows.index(total) if total in rows else -1
        at = position + direction
        best: list[int] | None = None
        near: tuple[int, list[int]] | None = None  # a run off by a misprint: one column, a last digit
        while 0 <= at < len(rows):
            r = rows[at]
            run.append(r)
            for c in columns:
                value = g.values[r][c]
                if value is not None:
                    sums[c] += value
                    slack[c] += g.halves[r][c]
            totals = {c: v for c in columns if (v := g.values[total][c]) is not None}
            good = sum(1 for c, v in totals.items() if abs(sums[c] - v) <= slack[c] + g.halves[total][c])
            judged = len(totals)
            if len(run) >= 2 and judged and good * 2 > judged:
                best = list(run)
                break
            gaps = [abs(sums[c] - v) for c, v in totals.items() if v]
            if len(run) >= 3 and gaps and max(gaps) * 10000 <= max(abs(v) for v in totals.values()) and \
                    (near is None or max(gaps) < near[0]):
                near = (max(gaps), list(run))
            at += direction
        if best:
            return best
        if near:
            return near[1]
    return None


def fixed_decimals(texts: list[str]) -> int | None:
    """The number of decimals every number of a column is printed with (two or more cells, one or more
    decimals): then a trailing zero is significant in each (6918.40 means 6918.395–6918.405)."""
    found = set()
    count = 0
    for text in texts:
        value = number(text)
        if value is None:
            continue
        exponent = value.as_tuple().exponent
        found.add(-exponent if isinstance(exponent, int) and exponent < 0 else 0)
        count += 1
    return found.pop() if count >= 2 and len(found) == 1 and min(found) > 0 else None


def percents(g: Grid, rows: list[int], columns: list[int]) -> list[Found]:
    """Which of `columns` (percents) is part ÷ whole × 100 of two other columns, to its printed precision."""
    found = []
    others = [c for c in range(g.width) if not g.percent[c]]
    probes = _probes(g, rows, columns)
    for s in columns:
        for part in others:
            for whole in others:
                if len({s, part, whole}) < 3:
                    continue
                if sum(_percent_holds(g, r, s, part, whole) is False for r in probes) > 1:
                    continue
                holds, judged, broken = _judge(g, rows, lambda r, s=s, a=part, w=whole: _percent_holds(g, r, s, a, w))
                if almost_all(holds, judged):
                    found.append(Found("percent", s, (part, whole), holds, judged, broken))
    chosen: list[Found] = []
    for item in sorted(found, key=lambda f: (-f.holds, f.total)):
        if all(item.total != c.total for c in chosen):
            chosen.append(item)
    return chosen


def _percent_holds(g: Grid, row: int, s: int, part: int, whole: int) -> bool | None:
    sv, pv, wv = g.floats[row][s], g.floats[row][part], g.floats[row][whole]
    if sv is None or pv is None or wv is None or wv <= 0:
        return None
    half = lambda col: 0.5 * 10 ** -g.decimals[row][col] if g.decimals[row][col] else 0.0  # noqa: E731
    lo = (pv - half(part)) / (wv + half(whole)) * 100
    hi = (pv + half(part)) / max(wv - half(whole), 1e-12) * 100
    return lo - half(s) - 1e-9 <= sv <= hi + half(s) + 1e-9
