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


def _refs(spec: Any, where: Where) -> list[Ref]:
    """A relation as a fact file writes it: a key, a list of keys, a list of lists (breakdowns, each
    list's index its role) or a mapping of role → key(s) (balance_of)."""
    if isinstance(spec, dict):
        return [r for role, targets in spec.items() for r in _with_role(_refs(targets, where), role)]
    if isinstance(spec, list) and spec and all(isinstance(t, list) for t in spec):
        return [r for n, group in enumerate(spec) for r in _with_role(_refs(group, where), str(n))]
    targets = spec if isinstance(spec, list) else [spec]
    return [Ref(t, where, f"f/{t}") for t in targets]


def _with_role(refs: list[Ref], role: str) -> list[Ref]:
    for ref in refs:
        ref.role = role
    return refs


def mem_base(facts: dict[str, dict[str, Any]], metrics: tuple[str, ...] | dict[str, tuple[str, tuple[str, ...]]] = ()
             ) -> FactBase:
    """`metrics`: keys (unit 件), or key → (unit, accepts)."""
    base = FactBase(root=Path("/nonexistent"), sources={"s": SOURCE})
    shaped = metrics if isinstance(metrics, dict) else {key: ("件", ()) for key in metrics}
    for key, (unit, accepts) in shaped.items():
        base.metrics[key] = Metric(key, key, key, unit, "stock", Where("facts/metrics.yaml", 1), accepts=accepts)
    for n, (key, spec) in enumerate(facts.items(), start=1):
        fact = Fact(
            id=f"f/{key}", key=key, file="facts/f.yaml", where=Where("facts/f.yaml", n), source="s",
            region=spec.get("region", "R"), period=str(spec.get("period", "2024")), lang="zh",
            value=parse_value(str(spec["value"]), spec.get("unit")), line_from=1, line_to=1, quote="",
            metric=spec.get("metric"),
        )
        for kind in RELATION_FIELDS:
            if kind in spec:
                fact.relations[kind] = _refs(spec[kind], Where("facts/f.yaml", n))
        base.facts[fact.id] = fact
    return base


def relation_findings(facts: dict[str, dict[str, Any]],
                      metrics: tuple[str, ...] | dict[str, tuple[str, tuple[str, ...]]] = ()) -> list[Finding]:
    from ipfacts.check import relations

    return list(relations.run(Context(mem_base(facts, metrics))))


__all__ = ["mem_base", "relation_findings", "check_base"]
