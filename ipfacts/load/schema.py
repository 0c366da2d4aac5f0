"""The fields of every file in a fact base: one table that the loader validates
with, the JSON Schema is generated from, and the docs describe."""

from __future__ import annotations

from dataclasses import dataclass

from ipfacts.load.relationfields import FIELDS, MODIFIERS

# Field types:
#   text       a string (a YAML number is accepted and kept as written)
#   value      a number as written: string or YAML number, kept as written
#   period     a year (int) or a label
#   line       a 1-based line number or a range "A-B"
#   lang       zh | en | zh+en (sources) / zh | en (facts)
#   kind       flow | stock | rate
#   bool       true | false
#   date       a date YYYY-MM-DD
#   pages      a mapping of page number → the line or lines of the text it holds (1: 1-40)
#   base       year-on-year | year-end (the base of a growth or change; ipfacts/load/periods.py)
#   ref        a reference to a fact (bare key or full id)
#   ref_pair   a list of exactly two fact references
#   ref_list   a list of two or more fact references
#   ref_some   one fact reference, or a list of them
#   ref_groups a list of lists of two or more fact references (breakdowns)
#   ref_roles  a mapping of role → a fact reference or a list of them (balance_of)
#   text_list  a list of texts
#   order      asc | desc
#   facts      a mapping of fact key → fact fields
#   groups     a list of groups: defaults + facts
#   tables     a mapping of table key → table fields
#   columns    a mapping of column key → column fields (in the source's column order)
#   rows       a mapping of row key → row fields (in the source's row order)
#   cells      a list of the cells as written, in column order
#   identities a list of one-key mappings: sum, sum_rows, density, rank, share
#   ignores    a list of ignore entries


@dataclass(frozen=True)
class FieldSpec:
    type: str
    required: bool
    doc: str


# The YAML scalar tags each scalar field type accepts (a YAML number is kept as written).
SCALAR_TAGS: dict[str, tuple[str, ...]] = {
    "text": ("str", "int", "float"),
    "value": ("str", "int", "float"),
    "line": ("str", "int"),
    "period": ("str", "int"),
    "lang": ("str",),
    "kind": ("str",),
    "order": ("str",),
    "bool": ("bool",),
    "base": ("str",),
    "date": ("str",),
}


SOURCE_FIELDS: dict[str, FieldSpec] = {
    "file": FieldSpec("text", True, "Path of the document, relative to the fact base root (never outside it)."),
    "title": FieldSpec("text", False, "The document's title as published."),
    "region": FieldSpec("text", False, "The region the document reports on (default for its facts)."),
    "period": FieldSpec("period", False, "The period it reports on, usually a year (default for its facts)."),
    "lang": FieldSpec("lang", False, "zh, en, or zh+en for a bilingual document."),
    "sha256": FieldSpec("text", True, "SHA-256 of the file's bytes; citations are verified against exactly these bytes."),
    "url": FieldSpec("text", False, "Where the document was published."),
    "retrieved": FieldSpec("date", False, "The date the document was fetched from its url (YYYY-MM-DD)."),
    "pages": FieldSpec("pages", False, "Which lines of the file each page of the original (a PDF) holds: "
                                       "{1: 1-40, 2: 41-77}; `show` and corrections cite p. N."),
    "title_en": FieldSpec("text", False, "The title in English for English briefs: the publication's own English title where it has one, else a translation."),
    "publisher": FieldSpec("text", False, "Who published the document, as it names itself (无锡市知识产权局); briefs and corrections cite it."),
    "publisher_en": FieldSpec("text", False, "The publisher in English, for English briefs."),
    "published": FieldSpec("text", False, "When the document was published: a date (2025-04-25) or a month (2025-04); briefs cite it."),
    "note": FieldSpec("text", False, "Free text for curators."),
}

METRIC_FIELDS: dict[str, FieldSpec] = {
    "zh": FieldSpec("text", True, "Chinese name (专利授权量)."),
    "en": FieldSpec("text", True, "English name (Patents granted)."),
    "unit": FieldSpec("text", True, "Canonical unit (件, 亿元, 万人, %)."),
    "kind": FieldSpec("kind", True, "flow (during the period), stock (at its end) or rate."),
    "accepts": FieldSpec("text_list", False, "Other classifiers the sources use for this indicator (案件 in 件 or 起)."),
    "counts_zh": FieldSpec("text", False, "What it counts, in Chinese, precisely enough to tell whether two figures may be "
                           "compared (who counts, which cases, which amount)."),
    "counts_en": FieldSpec("text", False, "The same definition in English."),
    "scope": FieldSpec("text", False, "The scope a figure must have to carry this key (court level and instance, an "
                       "agency's district or the whole region, rulings or all concluded cases …)."),
    "per_10k": FieldSpec("bool", False, "Whether a per-10,000-residents figure means anything for it (default false: "
                         "a brief derives none)."),
    "headline": FieldSpec("bool", False, "A headline indicator: a brief leads with it (its lede, table, charts and "
                          "notable differences)."),
    "note": FieldSpec("text", False, "Definition notes for curators."),
}

# Defaults a fact file, a group or a table gives the facts (or cells) inside it; the innermost wins.
DEFAULT_FIELDS: dict[str, FieldSpec] = {
    "source": FieldSpec("text", False, "Default source id for every fact inside."),
    "region": FieldSpec("text", False, "Default region (else the enclosing default, else the source's region)."),
    "period": FieldSpec("period", False, "Default period (else the enclosing default, else the source's period)."),
    "unit": FieldSpec("text", False, "Default unit of the values that carry none (a value's own unit wins)."),
    "lang": FieldSpec("lang", False, "Default language of the quotes (else the source's first language)."),
}

FACT_FILE_FIELDS: dict[str, FieldSpec] = {
    **DEFAULT_FIELDS,
    "facts": FieldSpec("facts", False, "The facts, keyed by a name of lower-case letters, digits and _ "
                                       "(a file holds facts, groups or tables, or several of them)."),
    "groups": FieldSpec("groups", False, "Groups of facts sharing defaults: a list of {region, period, unit, source, lang, facts}."),
    "tables": FieldSpec("tables", False, "Statistical tables: each declared once, every cell a fact (id file/table/row/column)."),
    "ignore": FieldSpec("ignores", False, "Numbers in the source that are deliberately not facts (page numbers, debris)."),
}

GROUP_FIELDS: dict[str, FieldSpec] = {
    **DEFAULT_FIELDS,
    "facts": FieldSpec("facts", True, "The facts of the group; keys are unique in the whole file."),
    "note": FieldSpec("text", False, "Free text for curators."),
}

TABLE_FIELDS: dict[str, FieldSpec] = {
    **DEFAULT_FIELDS,
    "line": FieldSpec("line", True, "The line, or range A-B, of the column headers."),
    "columns": FieldSpec("columns", True, "The columns in the source's order: key → {header, metric, unit}."),
    "rows": FieldSpec("rows", True, "The rows: key → {region, header, line, cells}."),
    "identities": FieldSpec("identities", False, "What holds between cells: sum, sum_rows, equal, difference, density, rank, share, percent."),
    "note": FieldSpec("text", False, "Free text for curators."),
}

COLUMN_FIELDS: dict[str, FieldSpec] = {
    "header": FieldSpec("text", True, "The column's header as the source writes it (合计, 发明)."),
    "metric": FieldSpec("text", False, "A key of metrics.yaml for the column's cells."),
    "unit": FieldSpec("text", False, "The unit of the column's cells (else the table's or the file's)."),
    "period": FieldSpec("period", False, "The period of the column's cells (a column of 2003 beside a cumulative one)."),
    "group": FieldSpec("text", False, "The group header above the column's header (总累计 over 合计), as written."),
}

ROW_FIELDS: dict[str, FieldSpec] = {
    "region": FieldSpec("text", False, "The region of the row's cells (else the table's default)."),
    "header": FieldSpec("text", False, "The row's label as the source writes it, when it is not the region (Beijing)."),
    "line": FieldSpec("line", True, "The line where the row starts (its label, or its first cell)."),
    "cells": FieldSpec("cells", True, "The cells as written, in column order; \"\" for a cell the source leaves empty."),
    "period": FieldSpec("period", False, "The period of the row's cells (a row of a time series: 2019)."),
    "note": FieldSpec("text", False, "Free text for curators."),
}

# Identities of a table, each a one-key mapping in `identities:`.
IDENTITY_DOCS: dict[str, str] = {
    "sum": "{total: [part, …]}: in every row the total column is the sum of the part columns (several entries allowed).",
    "sum_rows": "{total_row: [row, …]}: in every additive column the total row is the sum of the part rows.",
    "density": "{column, count, population}: column = count ÷ population × 10,000 in every row.",
    "rank": "{column, by, order, rows}: the rank column ranks the rows by `by` (order desc: 1 = largest).",
    "share": "{of, whole}: every cell is the same cell of table `of` ÷ that row's `whole` column, in percent.",
    "percent": "{column, part, whole}: column = part ÷ whole × 100 in every row (a share column: 占比 of 发明 in 合计).",
    "equal": "{column: [other, …]}: in every row each other column equals the column (个人 = 非职务).",
    "difference": "{column: [minuend, subtrahend, …]}: in every row column = minuend − the others (职务 = 合计 − 个人).",
}
IDENTITY_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "density": {"column": FieldSpec("text", True, "The density column."),
                "count": FieldSpec("text", True, "The count column."),
                "population": FieldSpec("text", True, "The population column (in 人 or 万人).")},
    "rank": {"column": FieldSpec("text", True, "The rank column."),
             "by": FieldSpec("text", True, "The column ranked."),
             "order": FieldSpec("order", False, "desc (1 = largest, the default) or asc."),
             "rows": FieldSpec("text_list", False, "The rows ranked (default: every row that is no sum_rows total).")},
    "share": {"of": FieldSpec("text", True, "The table of counts, by key (same file) or id, with the same row and column keys."),
              "whole": FieldSpec("text", True, "The column of that table the shares are of (合计).")},
    "percent": {"column": FieldSpec("text", True, "The column of percents (占比)."),
                "part": FieldSpec("text", True, "The column it is the share of (发明)."),
                "whole": FieldSpec("text", True, "The column of the whole (合计).")},
}

def _relation_fields() -> dict[str, FieldSpec]:
    """The relation fields, from the one table of them (ipfacts/load/relationfields.py)."""
    fields = {name: FieldSpec(kind.shape, False, kind.doc) for name, kind in FIELDS.items()}
    fields.update({name: FieldSpec(m.shape, False, m.doc) for name, m in MODIFIERS.items()})
    return fields


RELATION_FIELDS: dict[str, FieldSpec] = _relation_fields()

FACT_FIELDS: dict[str, FieldSpec] = {
    "value": FieldSpec("value", True, "The number as the source writes it, with multiplier, qualifier and unit: 71425件, 24.8%, 1.2亿余元, 超1100人, -19.48%."),
    "unit": FieldSpec("text", False, "The unit, where value carries none (value `921 thousand`, unit 件)."),
    "line": FieldSpec("line", True, "1-based line, or range A-B, of the source that holds the quote."),
    "quote": FieldSpec("text", True, "Text copied from those lines (whitespace and line breaks are ignored); must contain the value's digits."),
    "metric": FieldSpec("text", False, "A key of metrics.yaml; needed for facts a report compares."),
    "source": FieldSpec("text", False, "Source id, overriding the file's default."),
    "region": FieldSpec("text", False, "Region, overriding the file's default."),
    "period": FieldSpec("period", False, "Period, overriding the file's default: 2023, 2023-06, 2023-01/10 (January to October), 2023-Q3, 2023-H1."),
    "lang": FieldSpec("lang", False, "zh or en; default the source's first language."),
    "note": FieldSpec("text", False, "Free text for editors."),
    "caveat_zh": FieldSpec("text", False, "What a reader must know to read the figure right (its scope, a source defect), in Chinese: briefs show it beside the figure."),
    "caveat_en": FieldSpec("text", False, "The caveat in English, for English briefs."),
    "rank_order": FieldSpec("order", False, "With rank_among: desc (1 = largest, the default) or asc (1 = smallest)."),
    "rank_scope": FieldSpec("text", False, "With rank_among: whom the source ranks the figure among (全省, 全国, 全国海关) when the base holds only some of them; the stated rank is then checked as a lower bound."),
    **RELATION_FIELDS,
    "base": FieldSpec("base", False, "With growth_of/change_of: what the change is measured against: year-on-year (同比, the default) or year-end (比去年底: since the end of last year)."),
}

IGNORE_FIELDS: dict[str, FieldSpec] = {
    "line": FieldSpec("line", True, "The line where the number stands."),
    "text": FieldSpec("text", True, "The number as it appears."),
    "reason": FieldSpec("text", True, "Why it is not a claim (page number, extraction debris …)."),
    "source": FieldSpec("text", False, "Source id, overriding the file's default."),
}

FACT_KEY_PATTERN = r"^[a-z0-9_]+$"
LANGS_SOURCE = ("zh", "en", "zh+en")
LANGS_FACT = ("zh", "en")
KINDS = ("flow", "stock", "rate")
ORDERS = ("desc", "asc")
