"""The fact base as a tidy table: one row per fact, for pandas, R or a spreadsheet.

Columns:
    id          the fact's id (file/key)
    region, period, metric, source
    value       the value exactly as the fact file writes it (71425件, 超1100人, -19.48%)
    value_unit  the fact's separate `unit:` field, where the value carries none (`921 thousand` + 件)
    number      the value as a plain number in `unit`, multiplier applied (240.29亿元 → 24029000000)
    unit        the canonical unit of `number` (件, 元, percent …); empty for a bare count
    lower, upper  what the value stands for under half-up rounding and its qualifier
                (24.8% → 24.75 and 24.85; 超1100人 → 1100 and empty); empty means unbounded
    qualifier   at_least, at_most or approx (超, 近, 约 …); empty when the value is exact
    line, quote the citation

`value` and `value_unit` parse back to exactly the fact's value (`parse_value(value, value_unit)`);
the other columns are derived from them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ipfacts.load.model import Fact, FactBase
from ipfacts.load.numbers import Written, parse_value

COLUMNS = ("id", "region", "period", "metric", "value", "value_unit", "number", "unit", "lower", "upper",
           "qualifier", "source", "line", "quote")
NUMERIC = ("number", "lower", "upper")
FORMATS = ("csv", "json", "parquet")


class ParquetUnavailable(RuntimeError):
    """Parquet output needs pyarrow, an optional dependency (`pip install 'ipfacts[parquet]'`)."""


def plain(x: Decimal) -> str:
    """A Decimal in plain notation without trailing zeros: 24029000000, 24.75, -19.485."""
    if not x.is_finite():
        return ""
    text = format(x.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def row(fact: Fact) -> dict[str, str]:
    value = fact.value
    interval = value.strict()
    return {
        "id": fact.id,
        "region": fact.region or "",
        "period": fact.period or "",
        "metric": fact.metric or "",
        "value": value.text,
        "value_unit": fact.unit or "",
        "number": plain(value.value),
        "unit": value.unit or "",
        "lower": plain(interval.lo),
        "upper": plain(interval.hi),
        "qualifier": value.qualifier or "",
        "source": fact.source,
        "line": fact.lines,
        "quote": fact.quote,
    }


def rows(base: FactBase) -> list[dict[str, str]]:
    """One row per fact, in id order."""
    return [row(base.facts[fact_id]) for fact_id in sorted(base.facts)]


def to_csv(table: Iterable[dict[str, str]], bom: bool = False) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return ("\ufeff" if bom else "") + out.getvalue()


def _json_number(text: str) -> int | float | None:
    if not text:
        return None
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() else float(number)


def to_json(table: Iterable[dict[str, str]]) -> str:
    """A JSON list of records (pandas: `pd.read_json(path)`): number, lower and upper as JSON numbers
    (null when unbounded), every other column as text; `value` keeps the exact digits."""
    records: list[dict[str, Any]] = []
    for item in table:
        record: dict[str, Any] = dict(item)
        for column in NUMERIC:
            record[column] = _json_number(item[column])
        records.append(record)
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def to_parquet(table: Iterable[dict[str, str]]) -> bytes:
    """Parquet bytes (needs pyarrow): number, lower and upper as float64, the rest as strings."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ParquetUnavailable("parquet output needs pyarrow: pip install 'ipfacts[parquet]'") from exc
    items = list(table)
    columns = {}
    for column in COLUMNS:
        if column in NUMERIC:
            columns[column] = pa.array([float(Decimal(i[column])) if i[column] else None for i in items],
                                       type=pa.float64())
        else:
            columns[column] = pa.array([i[column] for i in items], type=pa.string())
    sink = io.BytesIO()
    pq.write_table(pa.table(columns), sink)
    return sink.getvalue()


def written(record: dict[str, Any]) -> Written:
    """A row read back (from CSV, JSON or parquet) as the value it records."""
    return parse_value(str(record["value"]), record.get("value_unit") or None)
