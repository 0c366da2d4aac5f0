"""A fact's value as written (its `unit:`, else the file's default unit) and whether it fits its metric's unit:
what the loader and the table blocks (ipfacts.load.tables) both build facts with, below both."""

from __future__ import annotations

from functools import cache

from ipfacts.load import units
from ipfacts.load.fields import Fields, File, unknown
from ipfacts.load.model import FactBase, Metric
from ipfacts.load.numbers import ValueError_, Written, parse_unit, parse_value


def fact_value(base: FactBase, file: File, key: str, fields: Fields, default_unit: str | None) -> Written | None:
    """The value as written (with its `unit:`, else the default unit when it carries none), fitting its metric."""
    node = fields.nodes["value"]
    try:
        value = written_value(fields.texts["value"], fields.texts.get("unit"), default_unit, base.units)
    except ValueError_ as exc:
        file.add(exc.code, node, f"fact {key!r}: {exc}")
        return None
    metric = fields.texts.get("metric")
    if metric is None:
        return value
    known = base.metrics.get(metric)
    if known is None:
        file.add("L006", fields.nodes["metric"], unknown("metric", metric, base.metrics))
        return None
    if not metric_unit_fits(known, value.unit, base.units):
        file.add("L010", node, f"fact {key!r}: unit {value.unit} does not fit metric {metric!r} (unit {known.unit})")
        return None
    return value


def written_value(text: str, unit: str | None, default_unit: str | None, registry: units.Units) -> Written:
    """A value with its own `unit:`; else, when it carries no unit of its own, with the default unit."""
    if unit or not default_unit:
        return parse_value(text, unit, registry)
    value = parse_value(text, None, registry)
    return value if value.unit is not None else parse_value(text, default_unit, registry)


def metric_unit_fits(metric: Metric, unit: str | None, registry: units.Units) -> bool:
    return _unit_fits(metric.unit, metric.accepts, unit, registry)


@cache  # one answer per metric and unit, asked once per fact
def _unit_fits(metric_unit: str, accepts: tuple[str, ...], unit: str | None, registry: units.Units) -> bool:
    return any(registry.compatible(parse_unit(spec, registry)[1], unit) for spec in (metric_unit, *accepts))
