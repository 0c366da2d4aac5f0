"""Relation messages in words an editor can act on (#17.5): what is wrong, by how much, what would fit.
Interval notation ([1266.16, 1266.3)) stays in `expected` and the details, never in a message."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ipfacts.findings import Finding

from memory import relation_findings

INTERVAL = re.compile(r"[\[(]-?[\d.]+, -?[\d.∞]+[\])]")


def message(facts: dict[str, dict[str, Any]], code: str) -> Finding:
    found = [f for f in relation_findings(facts) if f.code == code]
    assert len(found) == 1, [(f.code, f.message) for f in relation_findings(facts)]
    assert not INTERVAL.search(found[0].message), found[0].message
    return found[0]


def test_share_above_its_whole() -> None:
    found = message({"w": {"value": "3325件"}, "p": {"value": "3400件"},
                     "s": {"value": "102.3%", "share_of": ["p", "w"]}}, "R102")
    assert found.message == "f/p (3400件) is larger than its whole f/w (3325件), by 75件: a share cannot exceed 100%"


def test_ratio_says_what_numerator_would_fit() -> None:
    found = message({"n": {"value": "3076件"}, "d": {"value": "3190件"}, "r": {"value": "96.53%", "ratio_of": ["n", "d"]}},
                    "R103")
    assert found.message == ("3076件 ÷ 3190件 = 96.426%, but 96.53% is printed; 96.53% of 3190件 would be "
                             "3079.1–3079.5件")
    assert found.expected == "[96.4263, 96.4263]%"


def test_change_against_previous_and_growth() -> None:
    found = message({"c": {"value": "74件"}, "p": {"value": "27件", "period": "2023"},
                     "d": {"value": "45件", "change_of": "c", "previous": "p"}}, "R107")
    assert found.message == "74件 − 27件 is 47件, but a change of 45件 is printed (2件 apart)"
    found = message({"c": {"value": "74件"}, "d": {"value": "45件", "change_of": "c"},
                     "g": {"value": "170%", "growth_of": "c"}}, "R108")
    assert found.message == ("74件 after a change of 45件 means 29件 in the previous period, a growth of 155.2%, "
                             "but f/g prints 170%; 170% would need a change of 46.5–46.6件")


def test_parts_over_the_whole_say_by_how_much() -> None:
    found = message({"w": {"value": "21579件"}, "a": {"value": "20134件", "part_of": "w"},
                     "b": {"value": "1500件", "part_of": "w"}}, "R110")
    assert found.message == "the parts of f/w add up to 20134件 + 1500件 = 21634件, 55件 more than the whole, 21579件"
    found = message({"w": {"value": "21579件"}, "a": {"value": "21580件", "part_of": "w"}}, "R102")
    assert found.message == "f/a (21580件) is larger than the whole it is part of, f/w (21579件), by 1件"


def test_same_figure_differs_by() -> None:
    found = message({"a": {"value": "240.29亿元"}, "b": {"value": "24.1 billion", "unit": "元", "same_as": "a"}}, "R113")
    assert found.message == ("f/b = 24.1 billion and f/a = 240.29亿元 should be the same figure, but they differ by "
                             "at least 0.0205 billion 元")  # 24.05–24.15 billion against 24.0285–24.0295 billion


def test_grim_growth_names_the_counts_either_side() -> None:
    found = message({"c": {"value": "1001件"}, "g": {"value": "0.05%", "growth_of": "c"}}, "R106")
    assert found.message == ("f/g: no whole number in the previous period gives 0.05% growth to 1001件: "
                             "1000件 would give 0.10%, 1001件 would give 0.00%")


@settings(max_examples=80, deadline=None)
@given(part=st.integers(1, 5000), extra=st.integers(0, 5000), shown=st.integers(0, 1000), places=st.integers(0, 2))
def test_no_interval_notation_in_any_share_or_percent_message(part: int, extra: int, shown: int, places: int) -> None:
    whole = part + extra
    printed = f"{shown / 10 ** places:.{places}f}%"
    facts = {"w": {"value": f"{whole}件"}, "p": {"value": f"{part}件"},
             "s": {"value": printed, "share_of": ["p", "w"]}, "q": {"value": printed, "percent_of": "w"},
             "g": {"value": printed, "growth_of": "w"}}
    for finding in relation_findings(facts):
        assert not INTERVAL.search(finding.message), finding.message
