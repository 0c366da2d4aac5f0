"""The fields of every file in a fact base: one table that the loader validates
with, the JSON Schema is generated from, and the docs describe."""

from __future__ import annotations

from dataclasses import dataclass

# Field types:
#   text       a string (a YAML number is accepted and kept as written)
#   value      a number as written: string or YAML number, kept as written
#   period     a year (int) or a label
#   line       a 1-based line number or a range "A-B"
#   lang       zh | en | zh+en (sources) / zh | en (facts)
#   kind       flow | stock | rate
#   base       year-on-year | year-end (the base of a growth or change; ipfacts/load/periods.py)
#   ref        a reference to a fact (bare key or full id)
#   ref_pair   a list of exactly two fact references
#   ref_list   a list of two or more fact references
#   ref_some   one fact reference, or a list of them
#   ref_groups a list of lists of two or more fact references (breakdowns)
#   ref_roles  a mapping of role → a fact reference or a list of them (balance_of)


@dataclass(frozen=True)
class FieldSpec:
    type: str
    required: bool
    doc: str


SOURCE_FIELDS: dict[str, FieldSpec] = {
    "file": FieldSpec("text", True, "Path of the document, relative to the fact base root (never outside it)."),
    "title": FieldSpec("text", False, "The document's title as published."),
    "region": FieldSpec("text", False, "The region the document reports on (default for its facts)."),
    "period": FieldSpec("period", False, "The period it reports on, usually a year (default for its facts)."),
    "lang": FieldSpec("lang", False, "zh, en, or zh+en for a bilingual document."),
    "sha256": FieldSpec("text", True, "SHA-256 of the file's bytes; citations are verified against exactly these bytes."),
    "url": FieldSpec("text", False, "Where the document was published."),
    "note": FieldSpec("text", False, "Free text for curators."),
}

METRIC_FIELDS: dict[str, FieldSpec] = {
    "zh": FieldSpec("text", True, "Chinese name (专利授权量)."),
    "en": FieldSpec("text", True, "English name (Patents granted)."),
    "unit": FieldSpec("text", True, "Canonical unit (件, 亿元, 万人, %)."),
    "kind": FieldSpec("kind", True, "flow (during the period), stock (at its end) or rate."),
    "accepts": FieldSpec("text_list", False, "Other classifiers the sources use for this indicator (案件 in 件 or 起)."),
    "note": FieldSpec("text", False, "Definition notes for curators."),
}

FACT_FILE_FIELDS: dict[str, FieldSpec] = {
    "source": FieldSpec("text", False, "Default source id for every fact in the file."),
    "region": FieldSpec("text", False, "Default region (else the source's region)."),
    "period": FieldSpec("period", False, "Default period (else the source's period)."),
    "lang": FieldSpec("lang", False, "Default language of the quotes (else the source's first language)."),
    "facts": FieldSpec("facts", True, "The facts, keyed by a name of lower-case letters, digits and _."),
    "ignore": FieldSpec("ignores", False, "Numbers in the source that are deliberately not facts (page numbers, debris)."),
}

def _relation_fields() -> dict[str, FieldSpec]:
    """The relation fields, from the one registry of relation kinds (ipfacts/check/relations/)."""
    from ipfacts.check.relations import KINDS, MODIFIERS

    fields = {name: FieldSpec(kind.shape, False, kind.doc) for name, kind in KINDS.items()}
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
