"""Fact bases built in memory, for relation tests that need no files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ipfacts.check.engine import check_base
from ipfacts.check.relations.base import Context
from ipfacts.findings import Finding
from ipfacts.load.model import Fact, FactBase, Metric, Ref, Source
from ipfacts.load.numbers import parse_value
from ipfacts.load.schema import RELATION_FIELDS
from ipfacts.load.yamlnodes import Where

SOURCE = Source("s", "seeds/s.txt", Path("/nonexistent"), "test", "R", "2024", "zh", "0" * 64, Where("facts/sources.yaml", 1))


def mem_base(facts: dict[str, dict[str, Any]], metrics: tuple[str, ...] = ()) -> FactBase:
    base = FactBase(root=Path("/nonexistent"), sources={"s": SOURCE})
    for key in metrics:
        base.metrics[key] = Metric(key, key, key, "件", "stock", Where("facts/metrics.yaml", 1))
    for n, (key, spec) in enumerate(facts.items(), start=1):
        fact = Fact(
            id=f"f/{key}", key=key, file="facts/f.yaml", where=Where("facts/f.yaml", n), source="s",
            region=spec.get("region", "R"), period=str(spec.get("period", "2024")), lang="zh",
            value=parse_value(str(spec["value"]), spec.get("unit")), line_from=1, line_to=1, quote="",
            metric=spec.get("metric"),
        )
        for kind in RELATION_FIELDS:
            if kind in spec:
                targets = spec[kind] if isinstance(spec[kind], list) else [spec[kind]]
                fact.relations[kind] = [Ref(t, Where("facts/f.yaml", n), f"f/{t}") for t in targets]
        base.facts[fact.id] = fact
    return base


def relation_findings(facts: dict[str, dict[str, Any]], metrics: tuple[str, ...] = ()) -> list[Finding]:
    from ipfacts.check import relations

    return list(relations.run(Context(mem_base(facts, metrics))))


__all__ = ["mem_base", "relation_findings", "check_base"]
