"""Table blocks of a fact file: a statistical table declared once, every cell a fact.

    tables:
      grants:                       # cell ids: <file>/grants/<row>/<column>
        line: 3                     # the header line(s)
        period: 2023                # defaults: source, region, period, unit, lang
        columns:
          total: {header: 合计, metric: patent.grants, unit: 件}
        rows:
          hangzhou: {region: 杭州市, line: 5, cells: ["31459"]}
        identities:
          - sum: {total: [invention, utility, design]}

Each non-empty cell becomes a Fact (metric, unit and period from its column, region from its
row, line from its row, quote = the cell as written) with `Fact.cell` naming its place; the
identities are kept on the Table for `ipfacts.check.relations.table`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ipfacts.load.fields import Fields, File, parse_lines, read_fields, text_list, unknown
from ipfacts.load.model import Cell, Column, Fact, Identity, Row, Table
from ipfacts.load.numbers import ValueError_, parse_unit
from ipfacts.load.schema import (
    COLUMN_FIELDS,
    IDENTITY_DOCS,
    IDENTITY_FIELDS,
    ORDERS,
    ROW_FIELDS,
    SCALAR_TAGS,
    TABLE_FIELDS,
)
from ipfacts.load.values import fact_value
from ipfacts.load.yamlnodes import (
    Node,
    Where,
    is_map,
    is_scalar,
    is_seq,
    items,
    kind_of,
    scalar_tag,
    scalar_text,
    seq_items,
)
from ipfacts.tables.reader import is_empty_cell  # one reader of tables: what an empty cell is

if TYPE_CHECKING:
    from ipfacts.load.loader import Defaults, _Run

TABLE_KEY_RE = re.compile(r"^[a-z0-9_]+$")


def load_tables(run: _Run, file: File, node: Node, prefix: str, defaults: Defaults) -> None:
    if not is_map(node):
        file.add("L030", node, "'tables' must be a mapping of table key → {line, columns, rows, identities}")
        return
    for key, entry in items(node):
        table = _load_table(run, file, key, entry, file.key_at(node, key), prefix, defaults)
        if table is not None:
            run.base.tables[table.id] = table


def _key_ok(file: File, key: str, where: Where, what: str) -> bool:
    if TABLE_KEY_RE.match(key):
        return True
    file.add("L034", where, f"{what} key {key!r} must be lower-case letters, digits and _ (it becomes part of cell ids)")
    return False


def _load_table(run: _Run, file: File, key: str, entry: Node, where: Where, prefix: str,
                defaults: Defaults) -> Table | None:
    if not _key_ok(file, key, where, "table"):
        return None
    if not is_map(entry):
        file.add("L030", entry, f"table {key!r} must be a mapping {{line, columns, rows, identities}}")
        return None
    fields = read_fields(file, entry, TABLE_FIELDS, f"table {key!r}")
    if fields is None:
        return None
    inner = defaults.inside(file, fields, run.base, run.root)
    source = _table_source(run, file, key, where, inner)
    lines = parse_lines(file, fields.texts["line"], fields.nodes["line"])
    columns = _columns(run, file, key, fields.nodes["columns"])
    rows = _rows(file, key, fields.nodes["rows"], len(columns) if columns else 0, inner.region)
    if source is None or lines is None or columns is None or rows is None:
        return None
    table = Table(f"{prefix}/{key}", key, file.shown, where, source, lines[0], lines[1], columns, rows)
    _cells(run, file, table, inner)
    if fields.node("identities") is not None:
        table.identities = _identities(file, table, fields.nodes["identities"], prefix)
    return table


def _table_source(run: _Run, file: File, key: str, where: Where, defaults: Defaults) -> str | None:
    if defaults.source == "":
        return None  # reported where the unknown source is named
    if defaults.source is None:
        file.add("L005", where, f"table {key!r} has no source (set `source:` at the top of the file or on the table)")
        return None
    return defaults.source


def _columns(run: _Run, file: File, table: str, node: Node) -> list[Column] | None:
    if not is_map(node) or not list(items(node)):
        file.add("L030", node, f"table {table!r}: 'columns' must be a mapping of column key → {{header, metric, unit}}")
        return None
    columns: list[Column] = []
    ok = True
    for key, entry in items(node):
        where = file.key_at(node, key)
        if not _key_ok(file, key, where, "column"):
            ok = False
            continue
        if not is_map(entry):
            file.add("L030", entry, f"column {key!r} of table {table!r} must be a mapping {{header, metric, unit}}")
            ok = False
            continue
        fields = read_fields(file, entry, COLUMN_FIELDS, f"column {key!r} of table {table!r}")
        if fields is None or not _column_fits(run, file, key, fields):
            ok = False
            continue
        texts = fields.texts
        columns.append(Column(key, texts["header"], texts.get("metric"), texts.get("unit"), where, texts.get("period"),
                              texts.get("group")))
    return columns if ok else None


def _column_fits(run: _Run, file: File, key: str, fields: Fields) -> bool:
    metric = fields.texts.get("metric")
    if metric is not None and metric not in run.base.metrics:
        file.add("L006", fields.nodes["metric"], unknown("metric", metric, run.base.metrics))
        return False
    unit = fields.texts.get("unit")
    if unit is not None:
        try:
            parse_unit(unit, run.base.units)
        except ValueError_ as exc:
            file.add("L010", fields.nodes["unit"], f"column {key!r}: {exc}")
            return False
    return True


def _rows(file: File, table: str, node: Node, width: int, region: str | None) -> list[Row] | None:
    if not is_map(node) or not list(items(node)):
        file.add("L030", node, f"table {table!r}: 'rows' must be a mapping of row key → {{region, line, cells}}")
        return None
    rows: list[Row] = []
    ok = True
    for key, entry in items(node):
        where = file.key_at(node, key)
        row = _row(file, table, key, entry, where, width, region) if _key_ok(file, key, where, "row") else None
        if row is None:
            ok = False
        else:
            rows.append(row)
    return rows if ok else None


def _row(file: File, table: str, key: str, entry: Node, where: Where, width: int, region: str | None) -> Row | None:
    if not is_map(entry):
        file.add("L030", entry, f"row {key!r} of table {table!r} must be a mapping {{region, line, cells}}")
        return None
    fields = read_fields(file, entry, ROW_FIELDS, f"row {key!r} of table {table!r}")
    if fields is None:
        return None
    lines = parse_lines(file, fields.texts["line"], fields.nodes["line"])
    cells = _cell_texts(file, key, fields.nodes["cells"])
    if lines is None or cells is None:
        return None
    if width and len(cells) != width:
        file.add("L031", fields.nodes["cells"],
                 f"row {key!r} of table {table!r} has {len(cells)} cells for {width} columns "
                 "(write \"\" for a cell the source leaves empty)")
        return None
    row_region = fields.texts.get("region") or region
    header = fields.texts.get("header") or row_region or key
    return Row(key, header, row_region, lines[0], cells, where, fields.texts.get("period"))


def _cell_texts(file: File, row: str, node: Node) -> list[str] | None:
    if not is_seq(node):
        file.add("L030", node, f"'cells' of row {row!r} must be a list of the cells as written")
        return None
    cells: list[str] = []
    for item in seq_items(node):
        if is_scalar(item) and scalar_tag(item) == "null":
            cells.append("")
        elif is_scalar(item) and scalar_tag(item) in SCALAR_TAGS["value"]:
            cells.append(scalar_text(item))
        else:
            file.add("L030", item, f"a cell of row {row!r} must be text as written, not {kind_of(item)}")
            return None
    return cells


def _cells(run: _Run, file: File, table: Table, defaults: Defaults) -> None:
    source = run.base.sources[table.source]
    for row in table.rows:
        for position, (column, text) in enumerate(zip(table.columns, row.cells, strict=True)):
            fact_id = table.cell_id(row.key, column.key)
            if is_empty_cell(text):
                continue
            cell_fields = Fields({"value": text, **({"metric": column.metric} if column.metric else {})},
                                 {"value": _where_node(row.where), "metric": _where_node(column.where)})
            value = fact_value(run.base, file, f"{table.key}/{row.key}/{column.key}", cell_fields,
                               column.unit or defaults.unit)
            if value is None:
                run.failed.add(fact_id)
                continue
            run.base.facts[fact_id] = Fact(
                id=fact_id,
                key=f"{table.key}/{row.key}/{column.key}",
                file=file.shown,
                where=row.where,
                source=table.source,
                region=row.region or source.region,
                period=row.period or column.period or defaults.period or source.period,
                lang=defaults.lang or source.first_lang,
                value=value,
                line_from=row.line,
                line_to=row.line,
                quote=text,
                metric=column.metric,
                cell=Cell(table.id, row.key, column.key, row.header, column.shown, position),
            )


def _where_node(where: Where) -> Node:
    """A scalar node standing at `where`, for a problem reported at a row or column's line."""
    return (where.line, "str", "")


def _identities(file: File, table: Table, node: Node, prefix: str) -> list[Identity]:
    if not is_seq(node):
        file.add("L033", node, f"table {table.key!r}: 'identities' must be a list of "
                               "{sum|sum_rows|equal|difference|density|rank|share|percent: …}")
        return []
    found: list[Identity] = []
    for item in seq_items(node):
        pairs = list(items(item)) if is_map(item) else []
        if len(pairs) != 1 or pairs[0][0] not in IDENTITY_DOCS:
            file.add("L033", item, f"table {table.key!r}: an identity is one of {', '.join(IDENTITY_DOCS)}, "
                                   "written `- sum: {total: [part, …]}`")
            continue
        kind, body = pairs[0]
        where = file.at(item)
        if kind in ("sum", "sum_rows", "equal", "difference"):
            found.extend(_sums(file, table, kind, body, where))
        else:
            identity = _keyed_identity(file, table, kind, body, where, prefix)
            if identity is not None:
                found.append(identity)
    return found


def _sums(file: File, table: Table, kind: str, body: Node, where: Where) -> list[Identity]:
    what, known = ("row", {r.key for r in table.rows}) if kind == "sum_rows" else ("column", {c.key for c in table.columns})
    if not is_map(body):
        file.add("L033", body, f"table {table.key!r}: `{kind}` maps a total {what} to the {what}s that make it up")
        return []
    found = []
    for total, parts_node in items(body):
        parts = [scalar_text(parts_node)] if kind == "equal" and is_scalar(parts_node) else text_list(file, parts_node, kind)
        named = [total, *parts]
        missing = [n for n in named if n not in known]
        if missing:
            file.add("L033", file.key_at(body, total),
                     f"table {table.key!r}: {kind} names no {what} {', '.join(map(repr, missing))}; "
                     f"its {what}s are {', '.join(sorted(known))}")
        elif len(parts) < (1 if kind == "equal" else 2) or total in parts:
            file.add("L033", file.key_at(body, total),
                     f"table {table.key!r}: {kind} of {total!r} needs "
                     f"{'one or more' if kind == 'equal' else 'two or more'} other {what}s")
        else:
            found.append(Identity(kind, Where(file.shown, file.key_at(body, total).line), total=total, parts=tuple(parts)))
    return found


def _keyed_identity(file: File, table: Table, kind: str, body: Node, where: Where, prefix: str) -> Identity | None:
    if not is_map(body):
        file.add("L033", body, f"table {table.key!r}: `{kind}` takes a mapping {{{', '.join(IDENTITY_FIELDS[kind])}}}")
        return None
    fields = read_fields(file, body, IDENTITY_FIELDS[kind], f"{kind} of table {table.key!r}")
    if fields is None:
        return None
    texts = fields.texts
    columns = {c.key for c in table.columns}
    rows = {r.key for r in table.rows}
    if kind == "percent":
        missing = [n for n in (texts["column"], texts["part"], texts["whole"]) if n not in columns]
        if missing:
            file.add("L033", body, f"table {table.key!r}: percent names no column {', '.join(map(repr, missing))}")
            return None
        return Identity(kind, where, total=texts["column"], parts=(texts["part"],), count=texts["whole"])
    if kind == "share":
        of = texts["of"]
        of_id = of if "/" in of else f"{prefix}/{of}"
        return Identity(kind, where, total="", count=texts["whole"], of_table=of_id)
    named = [texts["column"], texts["count" if kind == "density" else "by"]]
    if kind == "density":
        named.append(texts["population"])
    ranked = text_list(file, fields.node("rows"), "rows")
    missing = [n for n in named if n not in columns] + [r for r in ranked if r not in rows]
    order = texts.get("order", "desc")
    if missing or order not in ORDERS:
        problem = (f"names no column or row {', '.join(map(repr, missing))}" if missing
                   else f"order must be one of {', '.join(ORDERS)}, not {order!r}")
        file.add("L033", body, f"table {table.key!r}: {kind} {problem}")
        return None
    if kind == "density":
        return Identity(kind, where, total=texts["column"], count=texts["count"], population=texts["population"])
    return Identity(kind, where, total=texts["column"], count=texts["by"], order=order, parts=tuple(ranked))
