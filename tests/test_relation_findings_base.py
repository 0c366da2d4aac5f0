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


def test_a_total_above_its_parts_and_one_within_a_lenient_reading() -> None:
    (found,), notes = run({"a": {"value": "123件"}, "b": {"value": "35件"},
                           "t": {"value": "170件", "sum_of": ["a", "b"]}})
    assert (found.code, found.severity) == ("R109", ERROR)
    assert found.message == "123件 + 35件 = 158件, 12件 short of the printed total 170件"
    assert found.details.as_dict() == {"gross": True}
    # 160 read to its trailing zero (155–165) holds 158: a warning, not gross
    (found,), notes = run({"a": {"value": "123件"}, "b": {"value": "35件"},
                           "t": {"value": "160件", "sum_of": ["a", "b"]}})
    assert (found.code, found.severity, found.message) == (
        "R109", WARNING, "123件 + 35件 = 158件, 2件 short of the printed total 160件")
    assert (found.reported, found.expected, found.details.as_dict()) == ("160件", "[158, 158]件", {"gross": False})
    assert notes[0]["verdict"] == "warning"


def test_parts_at_the_open_end_of_a_rounded_total_are_more_than_it() -> None:
    # 0.5万件 stands for 4500–5500 (5500 excluded); 2123 + 3377 is exactly 5500: more than the total, by nothing
    (found,), _ = run({"a": {"value": "2123件"}, "b": {"value": "3377件"},
                       "t": {"value": "0.5万件", "sum_of": ["a", "b"]}})
    assert (found.code, found.severity) == ("R109", WARNING)
    assert found.message == "2123件 + 3377件 = 0.6万件, 0.0万件 more than the printed total 0.5万件"
    assert (found.reported, found.expected) == ("0.5万件", "[0.55, 0.55]万件")
    (found,), _ = run({"a": {"value": "2123件"}, "b": {"value": "2376件"},  # 4499, just below 4500
                       "t": {"value": "0.5万件", "sum_of": ["a", "b"]}})
    assert found.message == "2123件 + 2376件 = 0.4万件, 0.0001万件 short of the printed total 0.5万件"


def test_a_total_in_another_unit_is_summed_in_the_totals_unit() -> None:
    # 1523公斤 + 1577公斤 = 3.1吨: 3.1吨 agrees, 3.3吨 does not (in 公斤 the parts would be 3100, not 3.1)
    parts = {"a": {"value": "1523公斤"}, "b": {"value": "1577公斤"}}
    assert run({**parts, "t": {"value": "3.1吨", "sum_of": ["a", "b"]}})[0] == []
    (found,), _ = run({**parts, "t": {"value": "3.3吨", "sum_of": ["a", "b"]}})
    assert (found.code, found.severity) == ("R109", ERROR)
    assert found.message == "1523公斤 + 1577公斤 = 3.1吨, 0.1吨 short of the printed total 3.3吨"
    assert found.expected == "[3.099, 3.101)吨"


def test_a_total_off_by_less_than_one_unit_is_still_gross() -> None:
    (found,), _ = run({"a": {"value": "1.23件"}, "b": {"value": "2.34件"},
                       "t": {"value": "3.71件", "sum_of": ["a", "b"]}})
    assert (found.code, found.severity, found.details.as_dict()) == ("R109", ERROR, {"gross": True})
    assert found.message == "1.23件 + 2.34件 = 3.56–3.58件, 0.13件 short of the printed total 3.71件"
