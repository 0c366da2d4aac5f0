"""JSON Schemas of the fact base files, generated from the field tables the loader validates with.

`ipfacts/load/schema.py` is the one source of truth: the fields, whether they are
required, their types and their documentation. This module turns those tables
into JSON Schema (draft 7, the dialect editors' YAML plug-ins understand best),
so that VS Code (with the YAML extension) completes and validates a fact file
as it is typed. The shipped copies in `ipfacts/data/*.schema.json` are this
module's output (`python -m ipfacts.jsonschema` rewrites them; a test keeps
them in step).

What a schema cannot say — a value's grammar beyond "has digits", a quote
found at its line, a reference that resolves, a unit that fits its metric —
stays with the loader and the checker.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from ipfacts.infra.atomic import write_atomic
from ipfacts.load.fields import LINE_RE  # the loader's own pattern: both agree on what a line is
from ipfacts.load.periods import BASES
from ipfacts.load.schema import (
    COLUMN_FIELDS,
    FACT_FIELDS,
    FACT_FILE_FIELDS,
    FACT_KEY_PATTERN,
    GROUP_FIELDS,
    IDENTITY_DOCS,
    IDENTITY_FIELDS,
    IGNORE_FIELDS,
    KINDS,
    LANGS_FACT,
    LANGS_SOURCE,
    METRIC_FIELDS,
    ORDERS,
    ROW_FIELDS,
    SOURCE_FIELDS,
    TABLE_FIELDS,
    FieldSpec,
)

DRAFT = "http://json-schema.org/draft-07/schema#"
Schema = dict[str, Any]

# A source path the loader refuses (L007): absolute, a drive letter, or a `..` part.
UNSAFE_PATH_PATTERN = r"^[/\\]|^[A-Za-z]:|(^|[/\\])\.\.([/\\]|$)"

NAMES = ("fact-file", "sources", "metrics")


def _ref() -> Schema:
    return {"type": ["string", "integer"], "minLength": 1,
            "description": "A fact: its bare key (same file) or its full id (file/key)."}


def _type(spec: FieldSpec, name: str) -> Schema:
    """One field type of schema.py as JSON Schema."""
    kind = spec.type
    if kind == "text":
        schema: Schema = {"type": ["string", "number"]}
        if name in ("file",):
            schema = {"type": "string", "not": {"pattern": UNSAFE_PATH_PATTERN}}
    elif kind == "value":
        schema = {"type": ["string", "number"], "pattern": r"[0-9]"}
    elif kind == "period":
        schema = {"type": ["integer", "string"]}
    elif kind == "line":
        schema = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": LINE_RE.pattern}]}
    elif kind == "lang":
        schema = {"enum": list(LANGS_FACT)}  # sources.yaml allows zh+en too: see sources_schema
    elif kind == "kind":
        schema = {"enum": list(KINDS)}
    elif kind == "bool":
        schema = {"type": "boolean"}
    elif kind == "date":
        schema = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    elif kind == "pages":
        schema = {"type": "object", "propertyNames": {"pattern": r"^[1-9][0-9]*$"},
                  "additionalProperties": {"anyOf": [{"type": "integer", "minimum": 1},
                                                     {"type": "string", "pattern": LINE_RE.pattern}]}}
    elif kind == "base":

        schema = {"enum": list(BASES)}
    elif kind == "text_list":
        schema = {"type": "array", "items": {"type": ["string", "number"]}}
    elif kind == "ref":
        schema = _ref()
    elif kind == "ref_pair":
        schema = {"type": "array", "items": _ref(), "minItems": 2, "maxItems": 2}
    elif kind == "ref_list":
        schema = {"type": "array", "items": _ref(), "minItems": 2}
    elif kind == "ref_some":
        schema = {"anyOf": [_ref(), {"type": "array", "items": _ref()}]}
    elif kind == "ref_groups":
        schema = {"type": "array", "minItems": 1, "items": {"type": "array", "items": _ref(), "minItems": 2}}
    elif kind == "ref_roles":
        schema = {"type": "object", "additionalProperties": {"anyOf": [_ref(), {"type": "array", "items": _ref()}]}}
    elif kind == "facts":
        schema = {"type": ["object", "null"], "propertyNames": {"pattern": FACT_KEY_PATTERN},
                  "additionalProperties": {"$ref": "#/definitions/fact"}}
    elif kind == "ignores":
        schema = {"type": "array", "items": {"$ref": "#/definitions/ignore"}}
    elif kind == "order":
        schema = {"enum": list(ORDERS)}
    elif kind == "groups":
        schema = {"type": "array", "items": {"$ref": "#/definitions/group"}}
    elif kind == "tables":
        schema = {"type": "object", "propertyNames": {"pattern": FACT_KEY_PATTERN},
                  "additionalProperties": {"$ref": "#/definitions/table"}}
    elif kind in ("columns", "rows"):
        schema = {"type": "object", "propertyNames": {"pattern": FACT_KEY_PATTERN},
                  "additionalProperties": {"$ref": f"#/definitions/{kind[:-1]}"}}
    elif kind == "cells":
        schema = {"type": "array", "items": {"type": ["string", "number", "null"]}}
    elif kind == "identities":
        schema = {"type": "array", "items": {"$ref": "#/definitions/identity"}}
    else:  # a new field type in schema.py must be taught here; the test of every type fails first
        raise KeyError(f"no JSON Schema for field type {kind!r}")
    return {**schema, "description": spec.doc}


def _object(fields: dict[str, FieldSpec], title: str) -> Schema:
    return {
        "type": "object",
        "title": title,
        "properties": {name: _type(spec, name) for name, spec in fields.items()},
        "required": [name for name, spec in fields.items() if spec.required],
        "additionalProperties": False,
    }


def fact_file_schema() -> Schema:
    fact = _object(FACT_FIELDS, "A fact")
    # `previous` goes with growth_of or change_of (the loader's L014)
    fact["dependencies"] = {"previous": {"anyOf": [{"required": ["growth_of"]}, {"required": ["change_of"]}]},
                            "base": {"anyOf": [{"required": ["growth_of"]}, {"required": ["change_of"]}]}}
    top = _object(FACT_FILE_FIELDS, "An ipfacts fact file")
    # without a file-level `source:`, every fact and every ignore entry names its own (the loader's L005/L006)
    top["if"] = {"not": {"required": ["source"]}}
    top["then"] = {"properties": {
        "facts": {"additionalProperties": {"required": ["source"]}},
        "ignore": {"items": {"required": ["source"]}},
        "tables": {"additionalProperties": {"required": ["source"]}},
    }}
    return {
        "$schema": DRAFT,
        "$comment": "Generated from ipfacts/load/schema.py by ipfacts.load.jsonschema; print it with `ipfacts schema fact-file`.",
        **top,
        "definitions": {
            "fact": fact,
            "ignore": _object(IGNORE_FIELDS, "A number that is deliberately not a fact"),
            "group": _object(GROUP_FIELDS, "Facts sharing defaults"),
            "table": _object(TABLE_FIELDS, "A statistical table: every cell a fact"),
            "column": _object(COLUMN_FIELDS, "A column of a table"),
            "row": _object(ROW_FIELDS, "A row of a table"),
            "identity": _identity_schema(),
        },
    }


def _identity_schema() -> Schema:
    """One identity: a mapping with exactly one of sum, sum_rows, equal, difference, density, rank, share."""
    names = {"type": "array", "items": {"type": "string"}, "minItems": 2}
    bodies: dict[str, Schema] = {
        "sum": {"type": "object", "additionalProperties": names},
        "sum_rows": {"type": "object", "additionalProperties": names},
        "equal": {"type": "object", "additionalProperties": {"anyOf": [{"type": "string"}, {**names, "minItems": 1}]}},
        "difference": {"type": "object", "additionalProperties": names},
        **{kind: _object(fields, kind) for kind, fields in IDENTITY_FIELDS.items()},
    }
    return {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
            "properties": {kind: {**bodies[kind], "description": doc} for kind, doc in IDENTITY_DOCS.items()}}


def _keyed(fields: dict[str, FieldSpec], title: str, entry_title: str) -> Schema:
    return {
        "$schema": DRAFT,
        "$comment": "Generated from ipfacts/load/schema.py by ipfacts.load.jsonschema.",
        "title": title,
        "type": "object",
        "additionalProperties": _object(fields, entry_title),
    }


def sources_schema() -> Schema:
    schema = _keyed(SOURCE_FIELDS, "ipfacts facts/sources.yaml: the source documents, by id", "A source document")
    schema["additionalProperties"]["properties"]["lang"]["enum"] = list(LANGS_SOURCE)
    return schema


def metrics_schema() -> Schema:
    return _keyed(METRIC_FIELDS, "ipfacts facts/metrics.yaml: the metric vocabulary, by key", "A metric")


def schema(name: str) -> Schema:
    """The schema called `name`: fact-file, sources or metrics."""
    makers = {"fact-file": fact_file_schema, "sources": sources_schema, "metrics": metrics_schema}
    if name not in makers:
        raise KeyError(name)
    return makers[name]()


def dumps(schema_: Schema) -> str:
    return json.dumps(schema_, ensure_ascii=False, indent=2) + "\n"


def shipped_path(name: str) -> Path:
    return Path(__file__).parent.parent / "data" / f"{name}.schema.json"


def shipped_text(name: str) -> str:
    """The schema as shipped with the package (what `ipfacts schema NAME` prints)."""

    if name not in NAMES:
        raise KeyError(name)
    return resources.files("ipfacts").joinpath(f"data/{name}.schema.json").read_text(encoding="utf-8")


def write_shipped() -> list[Path]:

    written = []
    for name in NAMES:
        write_atomic(shipped_path(name), dumps(schema(name)))
        written.append(shipped_path(name))
    return written


if __name__ == "__main__":  # python -m ipfacts.load.jsonschema: regenerate the shipped schemas
    for path in write_shipped():
        print(path)
