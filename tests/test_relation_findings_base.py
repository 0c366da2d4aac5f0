"""What the findings of share_of, rank_among, change_of, sum_of and the tables' identities say, in full:
code, severity, message, reported, expected, the facts involved and the `--explain` notes (issue 26's
mutation run of base, change, rank, share, total, table and the registry).

Every figure here is made up (bases built in memory, tests/memory.py) unless a test names a seed.
"""

from __future__ import annotations

from typing import Any

from ipfacts.check import relations
from ipfacts.check.relations.base import Context
from ipfacts.findings import ERROR, WARNING, Finding

from memory import mem_base


def run(facts: dict[str, dict[str, Any]], explain: bool = True) -> tuple[list[Finding], list[dict[str, Any]]]:
    ctx = Context(mem_base(facts), explain=explain)
    return list(relations.run(ctx)), ctx.evaluations


def ids(finding: Finding) -> list[str]:
    return [f.id for f in finding.facts]


# --- sum_of ------------------------------------------------------------------------------------------


def test_a_total_short_of_its_parts_says_by_how_much() -> None:
    (found,), notes = run({"a": {"value": "123件"}, "b": {"value": "35件"},
                           "t": {"value": "152件", "sum_of": ["a", "b"]}})
    assert (found.code, found.severity) == ("R109", ERROR)
    assert found.message == "123件 + 35件 = 158件, 6件 more than the printed total 152件"
    assert (found.reported, found.expected) == ("152件", "[158, 158]件")
    assert ids(found) == ["f/t", "f/a", "f/b"] and found.details.as_dict() == {"gross": True}
    assert notes == [{"fact": "f/t", "relation": "sum_of", "verdict": "error", "reported": "152件",
                      "reported_interval": "[152, 152]", "recomputed": "[158, 158]", "recomputed_lenient": "[158, 158]"}]
