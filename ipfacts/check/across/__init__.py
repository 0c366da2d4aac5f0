"""Across documents: one figure stated by several sources, last year's figure from another source, a province and
its cities — found without being declared.

Every fact with a metric, a region and a period is indexed once by (metric, region, period), the region under
one name for all its spellings (宁波, 宁波市, and the aliases of facts/regions.yaml). Then, group by group:

* **restated figures** (R150): facts of two sources in one group are one figure stated twice (a table cell counts).
  They must agree within their rounding. When only a named reading reconciles them — one side truncated or rounded
  up at its last digit, the coarser precision of trailing zeros, the tolerance of 约 — it is a warning naming the
  reading; otherwise an error naming both sources. A pair already declared `same_as` is left to R113.
* **previous years across sources** (R151): each `growth_of`/`change_of` is also judged against every figure of
  the previous period that another source states (the one `growth_of` itself found is R105/R107's). Where the
  previous figure is only implied — by the growth rate and the current figure (GRIM) — the implied range is what
  the other source's figure is compared with. A chain of years is so checked link by link.
* **a region and its parts** (R152): where facts/regions.yaml lists every part of a region (`parts:`), a figure of
  the region that adds up (a flow or stock metric, not a rate) is compared with the sum of its parts' figures of
  the same metric and period — when every part has one; otherwise `--explain` names the parts missing.

Nothing is compared across definitions: two metrics that share a name (国内发明专利授权量) but not their `scope` or
`counts_zh`/`counts_en` in metrics.yaml are different figures; `check --explain` lists each such pair as "not
compared" and says why, as it does for two figures in units that cannot be compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts import findings
from ipfacts.check.across.common import NOT_COMPARED, Index, build_index, hierarchy_of
from ipfacts.check.across.parts import judge_parts
from ipfacts.check.across.previous import judge_previous_years
from ipfacts.check.across.readings import readings, reconcile
from ipfacts.check.across.restated import explain_definitions, judge_restated
from ipfacts.check.relations.base import Context
from ipfacts.findings import Finding
from ipfacts.load.yamlnodes import Where


def run(ctx: Context) -> Iterator[Finding]:
    hierarchy, problem = hierarchy_of(ctx.base)
    if problem is not None:
        yield _regions_problem(problem)
    index = build_index(ctx.base, hierarchy, ctx.by_metric)
    for key, members in index.groups.items():
        if len(members) > 1 and any(f.source != members[0].source for f in members):
            yield from judge_restated(ctx, index, key, members)
    yield from judge_previous_years(ctx, index)
    yield from judge_parts(ctx, index)
    if ctx.explain:
        explain_definitions(ctx, index)


def _regions_problem(problem: str) -> Finding:
    place, _, message = problem.partition(": ")
    file, _, line = place.rpartition(":")
    return findings.make("L040", message, where=Where(file or place, int(line) if line.isdigit() else 1))


__all__ = ["NOT_COMPARED", "Index", "build_index", "hierarchy_of", "readings", "reconcile", "run"]
