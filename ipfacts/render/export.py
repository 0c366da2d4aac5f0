"""The fact base as a tidy table: one row per fact, for pandas, R or a spreadsheet.

Columns:
    id          the fact's id (file/key)
    region, period, metric, source
    label_zh, label_en  the indicator's name: the metric's, or for a derived figure without one (a growth rate,
                a share, a rank) its parent's name and what it is of it (有效发明专利量·同比增长)
    relation, parent  how the figure derives from another fact, and that fact's id (growth_of, share_of …)
    value       the value exactly as the fact file writes it (71425件, 超1100人, -19.48%)
    value_unit  the fact's separate `unit:` field, where the value carries none (`921 thousand` + 件)
    number      the value as a plain number in `unit`, multiplier applied (240.29亿元 → 24029000000)
    unit        the canonical unit of `number` (件, 元, percent …); empty for a bare count
    lower, upper  what the value stands for under half-up rounding and its qualifier
                (24.8% → 24.75 and 24.85; 超1100人 → 1100 and empty); empty means unbounded
    qualifier   at_least, at_most or approx (超, 近, 约 …); empty when the value is exact
    line, quote the citation (in CSV a range is written 9–10 with an en dash: Excel would read 9-10 as a date)

`value` and `value_unit` parse back to exactly the fact's value (`parse_value(value, value_unit)`);
the other columns are derived from them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ipfacts.load.model import Fact, FactBase
from ipfacts.load.numbers import Written, parse_value
from ipfacts.render.safetext import for_csv, json_for_terminal

COLUMNS = ("id", "region", "period", "metric", "label_zh", "label_en", "relation", "parent", "value", "value_unit",
           "number", "unit", "lower", "upper", "qualifier", "source", "line", "quote")
# How a derived figure relates to its parent, in the order a figure is described by (a growth rate of X …),
# with what it is of its parent in Chinese and English.
DERIVED = {
    "growth_of": ("同比增长", "year-on-year growth"), "change_of": ("增加量", "change"),
    "share_of": ("占比", "share"), "percent_of": ("占比", "share"), "ratio_of": ("比值", "ratio"),
    "per_10k_of": ("每万人", "per 10,000 residents"), "mean_of": ("平均每项", "per item"),
    "rank_among": ("排名", "rank"), "outcome_of": ("办结", "concluded"), "balance_of": ("未结", "pending"),
    "part_of": ("其中", "of which"), "subset_of": ("其中", "of which"), "sum_of": ("合计", "total"),
    "same_as": ("同一数字", "the same figure"),
}
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


def _parent(fact: Fact) -> tuple[str, str]:
    """(relation, parent id): the fact this one is derived from or describes, by the first relation it declares
    in DERIVED's order; ("", "") for a figure of its own."""
    for kind in DERIVED:
        refs = fact.relations.get(kind) if fact.relations else None
        if refs:
            if kind == "balance_of":  # a stock pending: of the cases received
                return kind, next((r.target for r in refs if r.role == "inflow"), refs[0].target)
            return kind, refs[0].target
    return "", ""


def labels(fact: Fact, base: FactBase | None, depth: int = 0) -> tuple[str, str]:
    """The figure's name in Chinese and English: its metric's, else its parent's with what it is of it."""
    if base is None or depth > 3:  # a growth of a share of …: a few steps, never a cycle
        return "", ""
    metric = base.metrics.get(fact.metric or "")
    if metric is not None:
        return metric.zh, metric.en
    kind, parent_id = _parent(fact)
    parent = base.facts.get(parent_id)
    if parent is None or parent is fact:
        return "", ""
    zh, en = labels(parent, base, depth + 1)
    if not zh and not en:
        return "", ""
    what_zh, what_en = DERIVED[kind]
    return f"{zh}·{what_zh}", f"{en}: {what_en}"


def row(fact: Fact, base: FactBase | None = None) -> dict[str, str]:
    value = fact.value
    interval = value.strict()
    relation, parent = _parent(fact)
    label_zh, label_en = labels(fact, base)
    if base is not None and not label_zh:  # a figure of its own without a metric: what its quote and key say
        label_zh, label_en = " ".join(fact.quote.split()), fact.key.replace("_", " ")
    return {
        "id": fact.id,
        "region": fact.region or "",
        "period": fact.period or "",
        "metric": fact.metric or "",
        "label_zh": label_zh,
        "label_en": label_en,
        "relation": relation,
        "parent": parent,
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
    return [row(base.facts[fact_id], base) for fact_id in sorted(base.facts)]


def to_csv(table: Iterable[dict[str, str]], bom: bool = False) -> str:
    """CSV; a cell a spreadsheet would run as a formula (=, +, -, @ first) gets a leading ' (OWASP), plain
    numbers such as -19.48% excepted (see ipfacts.render.safetext.for_csv; `written` strips it again)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: for_csv(_excel_text(k, v)) if isinstance(v, str) else v for k, v in item.items()}
                     for item in table)
    return ("\ufeff" if bom else "") + out.getvalue()


def _excel_text(column: str, value: str) -> str:
    """A line range as text Excel keeps (9–10, with an en dash: 9-10 would become 10 September)."""
    return value.replace("-", "\u2013") if column == "line" else value


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
    return json_for_terminal("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n")


def to_parquet(table: Iterable[dict[str, str]]) -> bytes:
    """Parquet bytes (needs pyarrow): number, lower and upper as float64, the rest as strings."""
    try:
        # lazy: pyarrow is an extra (ipfacts[parquet]) and costs 50 ms to import; only -o *.parquet needs it
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
    value = str(record["value"])
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r", "\n"):  # neutralised for spreadsheets
        value = value[1:]
    return parse_value(value, record.get("value_unit") or None)


# --- SQLite, for data desks ------------------------------------------------------------------------------

SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
SQLITE_VIEWS = {
    # one row per region × metric × period: the figure a data journalist queries first
    "figures": """
        SELECT f.region, f.metric, m.zh AS indicator, m.en AS indicator_en, f.period, f.value, f.number, f.unit,
               f.qualifier, m.counts_zh AS counts, m.headline, s.title AS source_title, f.line, f.quote, f.id AS fact
        FROM facts f JOIN metrics m ON m.key = f.metric JOIN sources s ON s.id = f.source
        WHERE f.id IN (SELECT min(id) FROM facts WHERE metric IS NOT NULL GROUP BY region, metric, period)
        ORDER BY f.metric, f.region, f.period""",
    "open_findings": """
        SELECT g.fingerprint, g.code, g.severity, g.message, ff.fact, f.region, f.period, f.value, f.quote
        FROM findings g JOIN finding_facts ff ON ff.finding = g.fingerprint JOIN facts f ON f.id = ff.fact
        WHERE g.status IS NULL""",
    "reviewed_findings": """
        SELECT g.fingerprint, g.code, g.status, g.reviewer, g.date, g.verdict_note, g.message
        FROM findings g WHERE g.status IS NOT NULL""",
}


class SqliteUnavailable(RuntimeError):
    """SQLite output needs sqlite-utils, an optional dependency (`pip install 'ipfacts[sqlite]'`)."""


def _real(text: str) -> float | None:
    return float(Decimal(text)) if text else None


def to_sqlite(base: FactBase, report: Any) -> bytes:
    """The base as a SQLite database (through sqlite-utils): sources, metrics, facts with their citations,
    relations, findings with their verdicts, and the views `figures`, `open_findings`, `reviewed_findings`.
    `datasette facts.db` opens it as it is."""
    try:
        import sqlite_utils  # lazy: an extra (ipfacts[sqlite]), 50 ms to import; only -o *.db needs it
    except ImportError as exc:
        raise SqliteUnavailable("SQLite output needs sqlite-utils: pip install 'ipfacts[sqlite]'") from exc
    handle, name = tempfile.mkstemp(suffix=".db")
    os.close(handle)
    try:
        db = sqlite_utils.Database(name)
        try:  # closed on every path: an open connection warns (ResourceWarning) on 3.13
            db.table("sources").insert_all(
                ({"id": s.id, "title": s.title, "file": s.file, "region": s.region, "period": s.period, "lang": s.lang,
                  "url": s.url, "sha256": s.sha256} for s in base.sources.values()), pk="id")
            db.table("metrics").insert_all(
                ({"key": m.key, "zh": m.zh, "en": m.en, "unit": m.unit, "kind": m.kind, "counts_zh": m.counts_zh,
                  "counts_en": m.counts_en, "scope": m.scope, "per_10k": m.per_10k, "headline": m.headline}
                 for m in base.metrics.values()), pk="key")
            facts = []
            for record in rows(base):
                fact = base.facts[record["id"]]
                facts.append({**record, "number": _real(record["number"]), "lower": _real(record["lower"]),
                              "upper": _real(record["upper"]), "line_from": fact.line_from, "line_to": fact.line_to,
                              "lang": fact.lang, "note": fact.note, "caveat_zh": fact.caveat_zh,
                              "caveat_en": fact.caveat_en, "metric": fact.metric})
            db.table("facts").insert_all(facts, pk="id", foreign_keys=[("source", "sources", "id"), ("metric", "metrics", "key")],
                                   columns={"number": float, "lower": float, "upper": float, "metric": str, "note": str,
                                            "caveat_zh": str, "caveat_en": str})
            db.table("relations").insert_all(
                ({"fact": fact.id, "kind": kind, "position": n, "target": ref.target}
                 for fact in base.facts.values() for kind, refs in fact.relations.items() for n, ref in enumerate(refs)),
                foreign_keys=[("fact", "facts", "id"), ("target", "facts", "id")],
                columns={"fact": str, "kind": str, "position": int, "target": str})
            findings, links = [], []
            for finding in report.findings:
                review = report.review_of(finding) or {}
                findings.append({"fingerprint": finding.fingerprint, "code": finding.code, "severity": finding.severity,
                                 "name": finding.name, "message": finding.message, "reported": finding.reported,
                                 "expected": finding.expected, "status": review.get("status"),
                                 "reviewer": review.get("reviewer"), "date": review.get("date"),
                                 "verdict_note": review.get("note")})
                links += [{"finding": finding.fingerprint, "fact": ref.id} for ref in finding.facts]
            db.table("findings").insert_all(findings, pk="fingerprint", replace=True,
                                      columns={"fingerprint": str, "code": str, "severity": str, "name": str,
                                               "message": str, "reported": str, "expected": str, "status": str,
                                               "reviewer": str, "date": str, "verdict_note": str})
            db.table("finding_facts").insert_all(links, foreign_keys=[("finding", "findings", "fingerprint")],
                                           columns={"finding": str, "fact": str})
            for view, sql in SQLITE_VIEWS.items():
                db.create_view(view, sql.strip(), replace=True)
        finally:
            db.close()
        with open(name, "rb") as handle_in:
            return handle_in.read()
    finally:
        os.unlink(name)
