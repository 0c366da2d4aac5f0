"""What the findings of share_of, rank_among, change_of, sum_of and the tables' identities say, in full:
code, severity, message, reported, expected, the facts involved and the `--explain` notes (issue 26's
mutation run of base, change, rank, share, total, table and the registry).

Every figure here is made up: fact bases built in memory (tests/memory.py) and tables built in memory the way
the loader builds them (`with_table`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ipfacts.check import relations
from ipfacts.check.relations.base import Context
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.model import Cell, Column, Fact, FactBase, Identity, Row, Table
from ipfacts.load.numbers import parse_value
from ipfacts.load.yamlnodes import Where
from ipfacts.tables.reader import is_empty_cell

from memory import SOURCE, mem_base


def run(facts: dict[str, dict[str, Any]]) -> tuple[list[Finding], list[dict[str, Any]]]:
    """The relation findings of a made-up base, and its `--explain` notes."""
    ctx = Context(mem_base(facts), explain=True)
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


# --- share_of ----------------------------------------------------------------------------------------


def test_a_part_larger_than_its_whole_in_another_unit() -> None:
    # 3.4吨 (3350–3450公斤) is larger than 2900公斤 (2899.5–2900.5) by 0.4495吨; the share is 115.5–119 %
    found, notes = run({"p": {"value": "3.4吨"}, "w": {"value": "2900公斤"},
                        "s": {"value": "95%", "share_of": ["p", "w"]}})
    over, share = found
    assert (over.code, over.severity) == ("R102", ERROR)
    assert over.message == "f/p (3.4吨) is larger than its whole f/w (2900公斤), by 0.4吨: a share cannot exceed 100%"
    assert (over.reported, over.expected, ids(over)) == ("3.4吨", "≤ 2900公斤", ["f/s", "f/p", "f/w"])
    assert over.details.as_dict() == {"gross": True}
    assert (share.code, share.severity) == ("R101", ERROR)
    assert share.message == ("3.4吨 of 2900公斤 is 115.5–119.0%, but 95% is printed (a share above 100%); "
                             "95% of 2900公斤 would need 2.74–2.77吨")  # 94.5 % of 2899.5 to 95.5 % of 2900.5 公斤
    assert (share.reported, share.expected) == ("95%", "(115.5, 118.99)%")
    assert share.details.as_dict() == {"reported_interval": "[94.5, 95.5)", "gross": True}
    assert [n["verdict"] for n in notes] == ["error"]


def test_a_share_across_units_converts_both_part_and_whole() -> None:
    for part, whole in (("1.5吨", "3000公斤"), ("1500公斤", "3吨")):
        assert run({"p": {"value": part}, "w": {"value": whole}, "s": {"value": "50%", "share_of": ["p", "w"]}})[0] == []


def test_a_share_printed_as_100_percent_or_of_exactly_all_is_not_gross() -> None:
    (found,), _ = run({"p": {"value": "47件"}, "w": {"value": "53件"}, "s": {"value": "100%", "share_of": ["p", "w"]}})
    assert (found.code, found.severity, found.details.as_dict()["gross"]) == ("R101", WARNING, False)
    assert found.message == "47件 of 53件 is 88.7%, but 100% is printed; 100% of 53件 would need 53件"
    (found,), _ = run({"p": {"value": "53件"}, "w": {"value": "53件"}, "s": {"value": "90%", "share_of": ["p", "w"]}})
    assert (found.severity, found.details.as_dict()["gross"]) == (ERROR, False)
    assert found.message == "53件 of 53件 is 100.0%, but 90% is printed; no whole number gives 90% of 53件"
    assert found.expected == "[100, 100]%"
    (found,), _ = run({"p": {"value": "50件"}, "w": {"value": "50件"}, "s": {"value": "90%", "share_of": ["p", "w"]}})
    assert (found.expected, found.details.as_dict()["gross"]) == ("[100, 100]%", False)  # exactly 100 %: not above it


def test_a_share_above_100_percent_printed_or_computed_is_gross() -> None:
    (found,), _ = run({"p": {"value": "47件"}, "w": {"value": "53件"}, "s": {"value": "100.5%", "share_of": ["p", "w"]}})
    assert found.details.as_dict()["gross"] is True
    assert found.message == ("47件 of 53件 is 88.68%, but 100.5% is printed (a share above 100%); "
                             "no whole number gives 100.5% of 53件")
    over, share = run({"p": {"value": "201件"}, "w": {"value": "200件"}, "s": {"value": "90%", "share_of": ["p", "w"]}})[0]
    assert over.code == "R102" and (share.code, share.severity) == ("R101", WARNING)
    assert share.details.as_dict() == {"reported_interval": "[89.5, 90.5)", "gross": True}  # 100.5 %
    assert share.message == ("201件 of 200件 is 100.5%, but 90% is printed (a share above 100%); "
                             "90% of 200件 would need 179件 or 180件")


def test_a_share_in_times_is_expected_in_times() -> None:
    (found,), notes = run({"p": {"value": "49件"}, "w": {"value": "196件"},
                           "s": {"value": "0.35倍", "share_of": ["p", "w"]}})
    assert (found.code, found.severity) == ("R101", ERROR)
    assert found.message == "49件 of 196件 is 25.000%, but 0.35倍 is printed; 0.35倍 of 196件 would need 68件 or 69件"
    assert (found.reported, found.expected) == ("0.35倍", "[0.25, 0.25]倍")  # 25 %, not 25倍
    assert found.details.as_dict() == {"reported_interval": "[0.345, 0.355)", "gross": False}
    # --explain shows the recomputed share in the terms printed, beside the reported interval (0.25倍, not 25)
    [note] = [n for n in notes if n["relation"] == "share_of"]
    assert (note["reported_interval"], note["recomputed"], note["recomputed_lenient"]) == \
        ("[0.345, 0.355)", "[0.25, 0.25]", "[0.25, 0.25]")


def test_a_share_in_points_is_read_as_a_percentage() -> None:
    share = {"p": {"value": "49件"}, "w": {"value": "196件"}}
    assert run({**share, "s": {"value": "25个百分点", "share_of": ["p", "w"]}})[0] == []
    (found,), _ = run({**share, "s": {"value": "26个百分点", "share_of": ["p", "w"]}})
    assert (found.code, found.severity) == ("R101", WARNING)
    assert found.message == ("49件 of 196件 is 25.0%, but 26个百分点 is printed; "
                             "26个百分点 of 196件 would need 50件 or 51件")
    assert (found.reported, found.expected) == ("26个百分点", "[25, 25]个百分点")


def test_the_part_a_share_needs_in_the_parts_own_terms() -> None:
    # an exact part of a rounded whole: the part needed as a range, not whole numbers
    (found,), _ = run({"p": {"value": "49件"}, "w": {"value": "1.96万件"}, "s": {"value": "0.35%", "share_of": ["p", "w"]}})
    assert found.message == ("49件 of 1.96万件 is 0.249–0.251%, but 0.35% is printed; "
                             "0.35% of 1.96万件 would need 67.4–69.8件")
    # a part in 万: the part needed in 万 too, to one more decimal than the part is printed with
    (found,), _ = run({"p": {"value": "1.2万件"}, "w": {"value": "5万件"}, "s": {"value": "30%", "share_of": ["p", "w"]}})
    assert (found.severity, found.message) == (WARNING, "1.2万件 of 5万件 is 20.9–27.8%, but 30% is printed; "
                                                        "30% of 5万件 would need 1.33–1.68万件")
    assert found.expected == "(20.91, 27.78)%"


# --- change_of ---------------------------------------------------------------------------------------


def test_a_change_against_its_previous_figure_in_full() -> None:
    facts = {"now": {"value": "74件"}, "before": {"value": "27件", "period": "2023"},
             "c": {"value": "45件", "change_of": "now", "previous": "before"}}
    (found,), notes = run(facts)
    assert (found.code, found.severity) == ("R107", ERROR)
    assert found.message == "74件 − 27件 is 47件, but a change of 45件 is printed (2件 apart)"
    assert (found.reported, found.expected, ids(found)) == ("45件", "[47, 47]件", ["f/c", "f/now", "f/before"])
    assert notes == [{"fact": "f/c", "relation": "change_of", "verdict": "error", "reported": "45件",
                      "reported_interval": "[45, 45]", "recomputed": "[47, 47]", "recomputed_lenient": "[47, 47]",
                      "previous": "f/before"}]
    # the previous figure found by metric, region and the year before, in another source: named with its place
    facts = {"now": {"value": "74件", "metric": "m"}, "before": {"value": "27件", "period": "2023", "metric": "m"},
             "c": {"value": "50件", "change_of": "now"}}
    base = mem_base(facts, ("m",))
    base.sources["t"] = replace(SOURCE, id="t", title="嘉兴")
    base.facts["f/before"].source = "t"
    ctx = Context(base, explain=True)
    (found,) = relations.run(ctx)
    assert (found.code, found.severity) == ("R107", WARNING)  # 50 read to its trailing zero: 45–55
    assert found.message == "74件 − 27件 (《嘉兴》, line 1) is 47件, but a change of 50件 is printed (3件 apart)"


def test_a_change_across_units_is_worked_in_one_unit() -> None:
    facts = {"now": {"value": "7.4吨"}, "before": {"value": "5200公斤"}}
    assert run({**facts, "c": {"value": "2.2吨", "change_of": "now", "previous": "before"}})[0] == []
    (found,), _ = run({**facts, "c": {"value": "2300公斤", "change_of": "now", "previous": "before"}})
    assert (found.severity, found.message) == (
        WARNING, "7.4吨 − 5200公斤 is 2150–2251公斤, but a change of 2300公斤 is printed (49公斤 apart)")
    assert found.expected == "(2149.5, 2250.5)公斤"
    (found,), _ = run({"now": {"value": "74件"}, "before": {"value": "27家"},
                       "c": {"value": "45件", "change_of": "now", "previous": "before"}})
    assert (found.code, found.severity, found.reported, ids(found)) == ("R114", ERROR, "45件", ["f/c", "f/now"])
    assert found.message == ("f/c: change_of combines 件 with 家, which cannot be compared; "
                             "fix the relation or a unit in the fact base")


def test_a_change_larger_than_the_figure_means_a_negative_previous_figure() -> None:
    (found,), notes = run({"now": {"value": "74件"}, "c": {"value": "81件", "change_of": "now"}})
    assert (found.code, found.severity) == ("R124", ERROR)
    assert found.message == ("74件 after a change of 81件 means -7件 in the previous period: a figure cannot be "
                             "negative (is the change of another figure?)")
    assert (found.reported, found.expected, ids(found)) == ("81件", "at most 74件", ["f/c", "f/now"])
    assert notes == []  # nothing to recompute against
    assert run({"now": {"value": "74件"}, "c": {"value": "74件", "change_of": "now"}})[0] == []  # from nothing
    # 74.3 − 74.5 is −0.3 to −0.1 as written, but reaches 0 when both are read one step coarser: a warning
    (found,), _ = run({"now": {"value": "74.3件"}, "c": {"value": "74.5件", "change_of": "now"}})
    assert (found.code, found.severity) == ("R124", WARNING)
    assert found.message == ("74.3件 after a change of 74.5件 means -0.3 to -0.1件 in the previous period: "
                             "a figure cannot be negative (is the change of another figure?)")
    (found,), _ = run({"now": {"value": "7.4吨"}, "c": {"value": "8100公斤", "change_of": "now"}})
    assert (found.code, found.severity) == ("R124", ERROR)
    assert found.message.startswith("7.4吨 after a change of 8100公斤 means -751 to -650公斤 in the previous period")


def test_a_change_and_a_growth_rate_of_the_same_figure_in_full() -> None:
    change = {"now": {"value": "74件"}, "c": {"value": "45件", "change_of": "now"}}
    found, notes = run({**change, "g": {"value": "170%", "growth_of": "now"}})
    cross = next(f for f in found if f.code == "R108")
    assert cross.severity == ERROR
    assert cross.message == ("74件 after a change of 45件 means 29件 in the previous period, a growth of 155.2%, "
                             "but f/g prints 170%; 170% would need a change of 46.5–46.6件")
    assert (cross.reported, cross.expected, ids(cross)) == ("170%", "[155.17, 155.17]%", ["f/g", "f/c", "f/now"])
    assert notes[0] == {"fact": "f/g", "relation": "change_of×growth_of", "verdict": "error", "reported": "170%",
                        "reported_interval": "[169.5, 170.5)", "recomputed": "[155.17, 155.17]",
                        "recomputed_lenient": "[155.17, 155.17]", "change": "f/c"}
    # a fall of 100 % needs a current figure of 0: no change fits, and none is suggested
    cross = next(f for f in run({**change, "g": {"value": "-100%", "growth_of": "now"}})[0] if f.code == "R108")
    assert cross.message == ("74件 after a change of 45件 means 29件 in the previous period, a growth of 155.2%, "
                             "but f/g prints -100%")


def test_a_growth_rate_in_times_against_a_change() -> None:
    change = {"now": {"value": "74件"}, "c": {"value": "45件", "change_of": "now"}}
    assert [f.code for f in run({**change, "g": {"value": "1.55倍", "growth_of": "now"}})[0]] == []  # 155.17 %
    cross = next(f for f in run({**change, "g": {"value": "1.7倍", "growth_of": "now"}})[0] if f.code == "R108")
    assert cross.message == ("74件 after a change of 45件 means 29件 in the previous period, a growth of 155.17%, "
                             "but f/g prints 1.7倍; 1.7倍 would need a change of 46.1–47.1件")
    assert (cross.reported, cross.expected) == ("1.7倍", "[1.552, 1.552]倍")  # 1.5517倍, not 155.17倍
    _, notes = run({"now": {"value": "74件"}, "before": {"value": "29件"}, "c": {"value": "45件", "change_of": "now"},
                    "g": {"value": "1.6倍", "growth_of": "now", "previous": "before"}})
    [note] = [n for n in notes if n["relation"] == "growth_of"]
    assert (note["reported_interval"], note["recomputed"]) == ("[1.55, 1.65)", "[1.552, 1.552]")  # in 倍, not [155.172, 155.172]


def test_a_change_across_units_against_a_growth_rate() -> None:
    # 7.4吨 after 2300公斤 means 5.05–5.15吨 before: +42.7 % to +47.5 %
    change = {"now": {"value": "7.4吨"}, "c": {"value": "2300公斤", "change_of": "now"}}
    assert [f.code for f in run({**change, "g": {"value": "45%", "growth_of": "now"}})[0]] == []
    assert [f.code for f in run({**change, "g": {"value": "55%", "growth_of": "now"}})[0]] == ["R108"]


def test_every_growth_rate_without_its_own_previous_is_cross_checked() -> None:
    # the first growth names its own previous figure and is not cross-checked; the second is
    found, notes = run({"now": {"value": "74件"}, "c": {"value": "45件", "change_of": "now"},
                        "g1": {"value": "10%", "growth_of": "now", "previous": "o"}, "o": {"value": "70件"},
                        "g2": {"value": "170%", "growth_of": "now"}})
    assert [(f.code, ids(f)[0]) for f in found if f.code == "R108"] == [("R108", "f/g2")]
    assert [n["relation"] for n in notes if n["fact"] == "f/g2"] == ["change_of×growth_of", "growth_of"]


# --- rank_among --------------------------------------------------------------------------------------

PEERS = {"hz": {"value": "4869件"}, "nb": {"value": "71425件"}, "jx": {"value": "16966件"}}  # hz the smallest


def ranked(rank: str, peers: dict[str, dict[str, Any]] = PEERS, order: str | None = None,
           scope: str | None = None) -> tuple[list[Finding], list[dict[str, Any]]]:
    base = mem_base({**peers, "r": {"value": rank, "rank_among": list(peers)}})
    if order:
        base.facts["f/r"].rank_order = order
    base.facts["f/r"].rank_scope = scope
    ctx = Context(base, explain=True)
    return list(relations.run(ctx)), ctx.evaluations


def test_a_rank_from_either_end_in_full() -> None:
    assert ranked("3")[0] == [] and ranked("1", order="asc")[0] == []
    (found,), notes = ranked("1")
    assert (found.code, found.severity) == ("R140", ERROR)
    assert found.message == ("f/r: rank 1 stated, but f/hz (4869件) ranks 3 of 3 (1 = largest) among "
                             "f/nb = 71425件, f/jx = 16966件")
    assert (found.reported, found.expected, ids(found)) == ("1", "3", ["f/r", "f/hz", "f/nb", "f/jx"])
    assert notes == [{"fact": "f/r", "relation": "rank_among", "verdict": "error", "reported": "1",
                      "reported_interval": "[1, 1]"}]
    (found,), _ = ranked("3", order="asc")
    assert found.message == ("f/r: rank 3 stated, but f/hz (4869件) ranks 1 of 3 (1 = smallest) among "
                             "f/nb = 71425件, f/jx = 16966件")
    assert found.expected == "1"


def test_a_rank_among_more_figures_than_listed_is_bounded_only_from_below() -> None:
    assert ranked("5", scope="全省")[0] == []  # third of those listed: fifth of the province can hold
    (found,), _ = ranked("2", scope="全省")  # two of those listed are surely larger
    assert (found.code, found.severity, found.expected) == ("R140", ERROR, "3")
    assert ranked("5")[0][0].expected == "3"  # without a scope, fifth of three cannot hold


def test_tied_and_rounded_figures_allow_a_range_of_ranks() -> None:
    peers = {"hz": {"value": "1.2万件"}, "nb": {"value": "12100件"}, "jx": {"value": "11900件"}, "wz": {"value": "20000件"}}
    (found,), _ = ranked("1", peers)
    assert found.message == ("f/r: rank 1 stated, but f/hz (1.2万件) ranks 2–4 of 4 (1 = largest) among "
                             "f/nb = 12100件, f/jx = 11900件, f/wz = 20000件")
    assert found.expected == "2–4"


def test_a_rank_only_a_lenient_reading_allows_is_a_warning_at_either_end() -> None:
    # 1.2万件 as written is 11500–12500; read one step coarser, 11000–13000: 12700 may be below it, 11200 above
    peers = {"hz": {"value": "1.2万件"}, "a": {"value": "12700件"}, "b": {"value": "11200件"}}
    assert ranked("2", peers)[0] == []
    for rank in ("1", "3"):
        (found,), _ = ranked(rank, peers)
        assert (found.code, found.severity, found.expected) == ("R140", WARNING, "2"), rank
    assert ranked("4", peers)[0][0].severity == ERROR
    # from the small end: 11200 surely first, 12700 surely last as written; leniently either may pass 1.2万
    assert ranked("2", peers, order="asc")[0] == []
    assert [f.severity for f in ranked("3", peers, order="asc")[0]] == [WARNING]
    assert [f.severity for f in ranked("1", peers, order="asc")[0]] == [WARNING]


def test_ranked_figures_in_different_units_are_compared_in_one() -> None:
    peers = {"hz": {"value": "1.5吨"}, "nb": {"value": "1600公斤"}, "jx": {"value": "1400公斤"}}
    assert ranked("2", peers)[0] == []
    (found,), _ = ranked("1", peers)
    assert (found.severity, found.message) == (WARNING, "f/r: rank 1 stated, but f/hz (1.5吨) ranks 2 of 3 "
                                                        "(1 = largest) among f/nb = 1600公斤, f/jx = 1400公斤")


def test_a_rank_among_many_lists_eight_peers() -> None:
    def among(n: int) -> str:
        peers = {"hz": {"value": "5件"}} | {f"p{i}": {"value": f"{10 + i}件"} for i in range(n)}
        (found,), _ = ranked("1", peers)
        return found.message

    eight = ", ".join(f"f/p{i} = {10 + i}件" for i in range(8))
    assert among(8) == f"f/r: rank 1 stated, but f/hz (5件) ranks 9 of 9 (1 = largest) among {eight}"
    assert among(9) == f"f/r: rank 1 stated, but f/hz (5件) ranks 10 of 10 (1 = largest) among {eight} …"


def test_rank_ranges_count_from_the_largest_unless_told() -> None:
    from ipfacts.check.relations.base import pair
    from ipfacts.check.relations.rank import lenient_range, rank_range
    from ipfacts.load.numbers import parse_value

    peers = [pair(parse_value("234件")), pair(parse_value("56件"))]
    top = pair(parse_value("345件"))
    assert rank_range(top, peers) == rank_range(top, peers, "desc") == (1, 1)
    assert lenient_range(top, peers) == lenient_range(top, peers, "desc") == (1, 1)
    assert rank_range(top, peers, "asc") == lenient_range(top, peers, "asc") == (3, 3)


# --- what every check shares (base) ------------------------------------------------------------------


def test_a_whole_that_only_a_lenient_reading_takes_to_zero_bounds_nothing_leniently() -> None:
    # 0.1万件 is 500–1500 as written, but 0–2000 read one step coarser: the lenient share is unbounded
    (found,), notes = run({"p": {"value": "100件"}, "w": {"value": "0.1万件"}, "s": {"value": "50%", "share_of": ["p", "w"]}})
    assert (found.code, found.severity) == ("R101", WARNING)
    assert found.message == ("100件 of 0.1万件 is 6.7–20.0%, but 50% is printed; "
                             "50% of 0.1万件 would need 247.5–757.5件")
    assert notes == [{"fact": "f/s", "relation": "share_of", "verdict": "warning", "reported": "50%",
                      "reported_interval": "[49.5, 50.5)", "recomputed": "(6.667, 20]", "recomputed_lenient": "(-∞, ∞)"}]


def test_every_evaluation_is_counted_and_explained_passed_or_not() -> None:
    ctx = Context(mem_base({"p": {"value": "3.4吨"}, "w": {"value": "2900公斤"}, "s": {"value": "95%", "share_of": ["p", "w"]},
                            "a": {"value": "123件"}, "b": {"value": "35件"}, "t": {"value": "158件", "sum_of": ["a", "b"]}}),
                  explain=True)
    list(relations.run(ctx))
    assert ctx.relations_checked == 2
    assert ctx.evaluations == [
        {"fact": "f/s", "relation": "share_of", "verdict": "error", "reported": "95%", "reported_interval": "[94.5, 95.5)",
         "recomputed": "(115.5, 118.99)", "recomputed_lenient": "[111.86, 122.81]"},
        {"fact": "f/t", "relation": "sum_of", "verdict": "ok", "reported": "158件", "reported_interval": "[158, 158]",
         "recomputed": "[158, 158]", "recomputed_lenient": "[158, 158]"}]
    quiet = Context(ctx.base)
    assert len(list(relations.run(quiet))) == 2 and quiet.relations_checked == 2 and quiet.evaluations == []


def test_values_in_units_that_convert_are_compared_in_the_first_unit_given() -> None:
    # 1公斤 is 2斤: 1公斤 + 0.5公斤 = 3斤 (a factor of 2 is a conversion like any other)
    assert run({"a": {"value": "1公斤"}, "b": {"value": "0.5公斤"}, "t": {"value": "3斤", "sum_of": ["a", "b"]}})[0] == []
    assert [f.code for f in run({"a": {"value": "1公斤"}, "b": {"value": "0.5公斤"},
                                 "t": {"value": "5斤", "sum_of": ["a", "b"]}})[0]] == ["R109"]
    # a bare number takes the unit of the others: and the others must still agree with each other
    (found,), _ = run({"a": {"value": "123件"}, "b": {"value": "35家"}, "t": {"value": "158", "sum_of": ["a", "b"]}})
    assert (found.code, found.severity, found.reported, ids(found)) == ("R114", ERROR, "158", ["f/t", "f/a", "f/b"])
    assert found.message == ("f/t: sum_of combines 件 with 家, which cannot be compared; "
                             "fix the relation or a unit in the fact base")
    (found,), _ = run({"a": {"value": "123"}, "b": {"value": "35"}, "t": {"value": "152", "sum_of": ["a", "b"]}})
    assert (found.message, found.expected) == ("123 + 35 = 158, 6 more than the printed total 152", "[158, 158]")


def test_a_change_in_points_of_a_percentage_is_arithmetic_in_percent() -> None:
    rates = {"now": {"value": "25.3%"}, "before": {"value": "23.1%"}}
    assert run({**rates, "c": {"value": "2.2个百分点", "change_of": "now", "previous": "before"}})[0] == []
    (found,), _ = run({**rates, "c": {"value": "2.5个百分点", "change_of": "now", "previous": "before"}})
    assert (found.code, found.severity) == ("R107", WARNING)
    assert found.message == "25.3% − 23.1% is 2.1–2.3个百分点, but a change of 2.5个百分点 is printed (0.2个百分点 apart)"
    assert found.expected == "(2.1, 2.3)个百分点"


def test_a_divisor_that_may_be_zero_names_the_values_divided() -> None:
    over, zero = run({"a": {"value": "5件"}, "b": {"value": "0件"}, "s": {"value": "50%", "share_of": ["a", "b"]}})[0]
    assert over.code == "R102"
    assert (zero.code, zero.severity, zero.reported, ids(zero)) == ("R115", ERROR, "50%", ["f/s", "f/a", "f/b"])
    assert zero.message == "f/s: share_of divides by a value that may be zero (f/a = 5件, f/b = 0件)"


def test_the_previous_figure_is_the_same_metric_and_region_a_year_earlier_first_by_id() -> None:
    def change_of(facts: dict[str, dict[str, Any]]) -> list[Finding]:
        return run({"now": {"value": "74件", "metric": "m"}, "c": {"value": "45件", "change_of": "now"}, **facts})[0]

    # two candidates for 2023: f/a_before (27 → a change of 47) is taken before f/b_before (29 → 45)
    found = change_of({"b_before": {"value": "29件", "period": "2023", "metric": "m"},
                       "a_before": {"value": "27件", "period": "2023", "metric": "m"}})
    assert [(f.code, f.message) for f in found] == [("R107", "74件 − 27件 is 47件, but a change of 45件 is printed (2件 apart)")]
    assert change_of({"other": {"value": "27件", "period": "2023", "metric": "n"},  # another metric, region, year
                      "elsewhere": {"value": "27件", "period": "2023", "metric": "m", "region": "Q"},
                      "earlier": {"value": "27件", "period": "2022", "metric": "m"}}) == []
    # a period that is not a year has no year before it
    assert run({"now": {"value": "74件", "metric": "m", "period": "2024H1"}, "c": {"value": "45件", "change_of": "now"},
                "before": {"value": "27件", "period": "2023", "metric": "m"}})[0] == []


# --- the identities of tables (table.py) -------------------------------------------------------------
# Tables built in memory as the loader builds them (ipfacts/load/tables.py): every non-empty cell a fact
# of its column's unit, else the table's; made-up figures.

Spec = dict[str, Any]


def with_table(base: FactBase, key: str, columns: dict[str, str | tuple[str, str]], rows: dict[str, tuple[str, list[str]]],
               identities: list[Identity], unit: str | None = "件") -> FactBase:
    """`columns`: key → header, or (header, unit); `rows`: key → (header, cells in column order)."""
    where = Where("facts/t.yaml", 1)
    cols = [Column(k, h if isinstance(h, str) else h[0], None, None if isinstance(h, str) else h[1], where)
            for k, h in columns.items()]
    table = Table(f"t/{key}", key, "facts/t.yaml", where, "s", 1, 1, cols,
                  [Row(k, header, header, n, cells, where) for n, (k, (header, cells)) in enumerate(rows.items(), start=2)],
                  identities)
    base.tables[table.id] = table
    for row in table.rows:
        for position, (column, text) in enumerate(zip(table.columns, row.cells, strict=True)):  # as the loader
            if is_empty_cell(text):
                continue
            fact_id = table.cell_id(row.key, column.key)
            base.facts[fact_id] = Fact(
                id=fact_id, key=fact_id[2:], file="facts/t.yaml", where=where, source="s", region=row.region,
                period="2023", lang="zh", value=parse_value(text, column.unit or unit), line_from=row.line,
                line_to=row.line, quote=text,
                cell=Cell(table.id, row.key, column.key, row.header, column.shown, position))
    return base


def identity(kind: str, **fields: Any) -> Identity:
    return Identity(kind, Where("facts/t.yaml", 1), **fields)


def checked(base: FactBase) -> tuple[list[Finding], Context]:
    ctx = Context(base, explain=True)
    return list(relations.run(ctx)), ctx


GRANTS_COLUMNS: dict[str, str | tuple[str, str]] = {"total": "合计", "invention": "发明", "utility": "实用新型",
                                                     "design": "外观设计"}
GRANTS = {"province": ("浙江省", ["100", "30", "50", "20"]), "hangzhou": ("杭州市", ["60", "20", "30", "10"]),
          "ningbo": ("宁波市", ["30", "8", "15", "7"]), "other": ("其他", ["10", "2", "5", "3"])}
GRANT_SUMS = [identity("sum", total="total", parts=("invention", "utility", "design")),
              identity("sum_rows", total="province", parts=("hangzhou", "ningbo", "other"))]


def grants(**rows: list[str]) -> FactBase:
    return with_table(mem_base({}), "grants", GRANTS_COLUMNS,
                      {k: (h, rows.get(k, cells)) for k, (h, cells) in GRANTS.items()}, GRANT_SUMS)


def test_a_consistent_table_passes_every_identity() -> None:
    found, ctx = checked(grants())
    assert found == [] and ctx.relations_checked == 8  # four row sums, four column sums
    assert ctx.evaluations[0] == {"fact": "t/grants/province/total", "relation": "table sum", "verdict": "ok",
                                  "reported": "100", "reported_interval": "[100, 100]", "recomputed": "[100, 100]",
                                  "recomputed_lenient": "[100, 100]"}


def test_a_cell_that_breaks_its_row_and_its_column_is_reported_once_at_it() -> None:
    (found,), _ = checked(grants(hangzhou=["60", "21", "30", "10"]))
    assert (found.code, found.severity, found.reported, found.expected) == ("T007", ERROR, "21", None)
    assert found.message == ("t/grants: row 杭州市 · column 发明 (21) breaks 2 identities: "
                             "row 杭州市: 合计 60 ≠ 21 + 30 + 10 = 61件, 1 less than its parts; "
                             "column 发明: 浙江省 30 ≠ 21 + 8 + 2 = 31件, 1 less than its parts")
    assert ids(found) == ["t/grants/hangzhou/invention", "t/grants/hangzhou/total", "t/grants/hangzhou/utility",
                          "t/grants/hangzhou/design", "t/grants/province/invention", "t/grants/ningbo/invention",
                          "t/grants/other/invention"]
    assert found.details.as_dict() == {"table": "t/grants", "row": "杭州市", "column": "发明"}


def test_a_wrong_total_is_reported_at_the_total_with_what_the_parts_give() -> None:
    (found,), _ = checked(grants(other=["12", "2", "5", "3"]))  # 12 in the total column: its row and column fail
    assert found.code == "T007" and ids(found)[0] == "t/grants/other/total"
    base = grants()
    base.tables["t/grants"].identities = GRANT_SUMS[:1]  # rows only: one failure, reported at the total it computes
    base.facts["t/grants/other/total"].value = parse_value("12", "件")
    (found,), _ = checked(base)
    assert (found.code, found.severity, found.reported, found.expected) == ("T005", ERROR, "12", "[10, 10]件")
    assert found.message == "t/grants: row 其他 · column 合计 (12): row 其他: 合计 12 ≠ 2 + 5 + 3 = 10件, 2 more than its parts"
    assert ids(found) == ["t/grants/other/total", "t/grants/other/invention", "t/grants/other/utility",
                          "t/grants/other/design"]


DENSITY_COLUMNS: dict[str, str | tuple[str, str]] = {
    "valid": ("有效发明专利", "件"), "pop": ("常住人口", "万人"), "density": ("每万人有效发明专利拥有量", "件"), "rank": "排名"}


def densities(hz: str = "95.83", ranks: tuple[str, str, str] = ("1", "2", "3"), order: str = "desc",
              population: str = "万人") -> FactBase:
    """120000 ÷ 1252.2万 × 10,000 is 95.8275–95.8352; 50000 ÷ 969.7万, 51.56; 15000 ÷ 976.8万, 15.36."""
    columns = {**DENSITY_COLUMNS, "pop": ("常住人口", population)}
    return with_table(mem_base({}), "valid", columns,
                      {"hangzhou": ("杭州市", ["120000", "1252.2", hz, ranks[0]]),
                       "ningbo": ("宁波市", ["50000", "969.7", "51.56", ranks[1]]),
                       "wenzhou": ("温州市", ["15000", "976.8", "15.36", ranks[2]])},
                      [identity("density", total="density", count="valid", population="pop"),
                       identity("rank", total="rank", count="density", order=order)], unit=None)


def test_a_density_column_and_its_rank_column_in_full() -> None:
    found, ctx = checked(densities())
    assert found == [] and ctx.relations_checked == 6
    assert ctx.evaluations[0] == {"fact": "t/valid/hangzhou/density", "relation": "table density", "verdict": "ok",
                                  "reported": "95.83", "reported_interval": "[95.825, 95.835)",
                                  "recomputed": "(95.8275, 95.8352]", "recomputed_lenient": "(95.8275, 95.8352]"}
    assert ctx.evaluations[3] == {"fact": "t/valid/hangzhou/rank", "relation": "table rank", "verdict": "ok",
                                  "reported": "1", "reported_interval": "[1, 1]"}
    # the population column prints one decimal in every row: its cells are read as printed, no lenient reading
    # (1252.2 is not 1252.15–1252.3), so a density that only a lenient population reaches is an error
    (found,), ctx = checked(densities(hz="95.82"))
    assert (found.code, found.severity, ctx.evaluations[0]["verdict"]) == ("T008", ERROR, "error")
    (found,), ctx = checked(densities(hz="96.83"))
    assert ctx.evaluations[0]["verdict"] == "error"
    assert (found.code, found.severity, found.reported, found.expected) == ("T008", ERROR, "96.83", "(95.8275, 95.8352]件")
    assert found.message == ("t/valid: row 杭州市 · column 每万人有效发明专利拥有量 (96.83): row 杭州市: 每万人有效发明专利拥有量 "
                             "96.83 ≠ 120000 ÷ 1252.2万人 × 10,000 = 95.8275–95.8352")
    assert ids(found) == ["t/valid/hangzhou/density", "t/valid/hangzhou/valid", "t/valid/hangzhou/pop"]
    assert found.details.as_dict() == {"table": "t/valid", "row": "杭州市", "column": "每万人有效发明专利拥有量"}


def test_a_wrong_rank_cell_is_reported_at_each_rank_from_either_end() -> None:
    swapped, ctx = checked(densities(ranks=("2", "1", "3")))
    assert [(f.code, f.severity, f.reported, f.expected) for f in swapped] == [("T009", ERROR, "2", "1"),
                                                                                ("T009", ERROR, "1", "2")]
    assert swapped[0].message == ("t/valid: row 杭州市 · column 排名 (2): row 杭州市: 排名 2, but 95.83 "
                                  "(每万人有效发明专利拥有量) ranks 1 of 3 (1 = largest)")
    assert ids(swapped[1]) == ["t/valid/ningbo/rank", "t/valid/ningbo/density"]
    assert [n["verdict"] for n in ctx.evaluations[3:]] == ["error", "error", "ok"]
    assert checked(densities(ranks=("3", "2", "1"), order="asc"))[0] == []
    (found,), _ = checked(densities(ranks=("3", "2", "3"), order="asc"))
    assert found.message == ("t/valid: row 温州市 · column 排名 (3): row 温州市: 排名 3, but 15.36 "
                             "(每万人有效发明专利拥有量) ranks 1 of 3 (1 = smallest)")
    (found,), _ = checked(densities(ranks=("1", "2", "3.0")))  # a rank is a whole number
    assert (found.code, found.severity, found.reported, found.expected) == ("T009", ERROR, "3.0", "3")


def test_a_density_over_a_population_not_in_persons_is_a_unit_problem() -> None:
    (found,), ctx = checked(densities(population="件"))
    assert (found.code, found.severity, found.reported, ids(found)) == ("R114", ERROR, None, ["t/valid/hangzhou/valid"])
    assert found.message == "t/valid: its density identity combines 件 with 人"
    assert ctx.relations_checked == 3  # the rank column is still checked


def shares(cells: tuple[str, str, str] = ("30.0", "50.0", "20.0"), of: str = "t/grants", whole: str = "total",
           column: bool = False, row: bool = False) -> FactBase:
    """A table of shares of the grants table's province row: 30 ÷ 100, 50 ÷ 100, 20 ÷ 100."""
    columns: dict[str, str | tuple[str, str]] = {"invention": "发明", "utility": "实用新型", "design": "外观设计"}
    if column:
        columns["x"] = "其它"
    rows = {"province": ("浙江省", [*cells, *(["1"] if column else [])])}
    if row:
        rows["zz"] = ("无", ["1"] * len(columns))  # a row has a cell for every column (the loader refuses others)
    return with_table(grants(), "shares", columns, rows, [identity("share", count=whole, of_table=of)], unit="%")


def test_a_share_table_is_each_count_over_its_rows_whole() -> None:
    found, ctx = checked(shares())
    assert found == [] and ctx.relations_checked == 11
    assert ctx.evaluations[8] == {"fact": "t/shares/province/invention", "relation": "table share", "verdict": "ok",
                                  "reported": "30.0", "reported_interval": "[29.95, 30.05)", "recomputed": "[30, 30]",
                                  "recomputed_lenient": "[30, 30]"}
    (found,), ctx = checked(shares(("30.0", "52.0", "20.0")))
    assert ctx.evaluations[9]["verdict"] == "error"
    assert (found.code, found.severity, found.reported, found.expected) == ("T010", ERROR, "52.0", "[50, 50]%")
    assert found.message == "t/shares: row 浙江省 · column 实用新型 (52.0): row 浙江省: 实用新型 52.0 ≠ 50 ÷ 100 = 50%"
    assert ids(found) == ["t/shares/province/utility", "t/grants/province/utility", "t/grants/province/total"]


def test_a_share_table_naming_what_is_not_there() -> None:
    for base, says in ((shares(of="t/nope"), "no table 't/nope'"),
                       (shares(whole="nope"), "table 't/grants' has no column 'nope'"),
                       (shares(column=True), "table 't/grants' has no row or column 'x'"),
                       (shares(row=True), "table 't/grants' has no row or column 'zz'")):
        (found,), ctx = checked(base)
        assert (found.code, found.severity, found.reported) == ("T011", ERROR, None)
        assert found.message == f"t/shares: share identity: {says}"
        assert ids(found) == ["t/shares/province/invention"] and ctx.relations_checked == 8


def percents(ningbo: str, hangzhou: str = "33.3") -> FactBase:
    """占比 = 发明 ÷ 合计 × 100 in each row: 20 ÷ 60 is 33.33 %, 8 ÷ 30 is 26.67 %."""
    return with_table(mem_base({}), "pc", {"whole": ("合计", "件"), "part": ("发明", "件"), "pct": ("占比", "%")},
                      {"a": ("杭州市", ["60", "20", hangzhou]), "b": ("宁波市", ["30", "8", ningbo])},
                      [identity("percent", total="pct", parts=("part",), count="whole")])


def test_a_percent_column_in_full_and_its_fixed_decimals() -> None:
    assert checked(percents("26.7"))[0] == []
    (found,), ctx = checked(percents("30.0"))
    assert (found.code, found.severity, found.reported, found.expected) == ("T010", ERROR, "30.0", "[26.667, 26.667]%")
    assert found.message == "t/pc: row 宁波市 · column 占比 (30.0): row 宁波市: 占比 30.0 ≠ 8 ÷ 30 = 26.667%"
    assert ids(found) == ["t/pc/b/pct", "t/pc/b/part", "t/pc/b/whole"]
    assert ctx.evaluations[1] == {"fact": "t/pc/b/pct", "relation": "table percent", "verdict": "error", "reported": "30.0",
                                  "reported_interval": "[29.95, 30.05)", "recomputed": "[26.667, 26.667]",
                                  "recomputed_lenient": "[26.667, 26.667]"}
    # 26.6 for 26.667 is a truncation: a lenient reading, a warning, unless the column prints a fixed number of
    # decimals in every cell (then each cell is as exact as its printed digits)
    assert [f.severity for f in checked(percents("26.6"))[0]] == [ERROR]
    assert [f.severity for f in checked(percents("26.6", hangzhou="33"))[0]] == [WARNING]


def test_a_total_row_cut_off_fails_every_column_as_one_finding() -> None:
    (found,), ctx = checked(grants(province=["90", "27", "45", "18"]))
    assert (found.code, found.severity, found.reported, found.expected) == ("T006", ERROR, "90", None)
    assert found.message == ("t/grants: total row 浙江省 is not the sum of its rows in 4 columns: "
                             "column 合计: 浙江省 90 ≠ 60 + 30 + 10 = 100件, 10 less than its parts; "
                             "column 发明: 浙江省 27 ≠ 20 + 8 + 2 = 30件, 3 less than its parts; "
                             "column 实用新型: 浙江省 45 ≠ 30 + 15 + 5 = 50件, 5 less than its parts; "
                             "column 外观设计: 浙江省 18 ≠ 10 + 7 + 3 = 20件, 2 less than its parts")
    assert ids(found) == ["t/grants/province/total", "t/grants/province/invention", "t/grants/province/utility",
                          "t/grants/province/design"]  # its total cells, not every part
    assert found.details.as_dict() == {"table": "t/grants", "row": "浙江省", "column": "合计"}
    assert [n["relation"] for n in ctx.evaluations] == ["table sum"] * 4 + ["table sum_rows"] * 4


def test_a_sum_of_many_columns_names_how_many() -> None:
    columns: dict[str, str | tuple[str, str]] = {"total": "合计"} | {f"c{i}": f"类{i}" for i in range(7)}
    base = with_table(mem_base({}), "many", columns, {"a": ("甲", ["30"] + ["4"] * 7)},
                      [identity("sum", total="total", parts=tuple(f"c{i}" for i in range(7)))])
    (found,), _ = checked(base)
    assert found.message == "t/many: row 甲 · column 合计 (30): row 甲: 合计 30 ≠ the 7 columns = 28件, 2 more than its parts"
    assert len(found.facts) == 8
    base.facts["t/many/a/total"].value = parse_value("28", "件")
    assert checked(base)[0] == []


def test_equal_and_difference_identities() -> None:
    base = with_table(mem_base({}), "eq", {"x": "本年", "y": "累计", "z": "其中"}, {"a": ("甲", ["30", "30", "31"])},
                      [identity("equal", total="x", parts=("y", "z"))])
    (found,), ctx = checked(base)  # 本年 = 累计 holds; 本年 = 其中 does not
    assert found.message == "t/eq: row 甲 · column 本年 (30): row 甲: 本年 30 ≠ 31 = 31件, 1 less than its parts"
    assert ids(found) == ["t/eq/a/x", "t/eq/a/z"] and ctx.relations_checked == 2
    assert ctx.evaluations[0]["relation"] == "table equal"
    base = with_table(mem_base({}), "df", {"d": "净增", "a": "新增", "b": "减少"}, {"r": ("甲", ["12", "30", "17"])},
                      [identity("difference", total="d", parts=("a", "b"))])
    (found,), ctx = checked(base)  # 净增 = 新增 − 减少: 新增 = 净增 + 减少
    assert found.message == "t/df: row 甲 · column 新增 (30): row 甲: 新增 30 ≠ 12 + 17 = 29件, 1 more than its parts"
    assert (found.expected, ids(found)) == ("[29, 29]件", ["t/df/r/a", "t/df/r/d", "t/df/r/b"])
    assert ctx.evaluations[0]["relation"] == "table difference"


def test_a_total_row_of_rounded_cells_and_a_percent_column_that_does_not_add() -> None:
    base = with_table(mem_base({}), "wan", {"total": "合计", "pct": ("占比", "%")},
                      {"p": ("全省", ["7.05", "100"]), "a": ("甲市", ["1.23", "20"]), "b": ("乙市", ["2.34", "30"]),
                       "c": ("丙市", ["3.45", "40"])},
                      [identity("sum_rows", total="p", parts=("a", "b", "c"))], unit="万件")
    (found,), ctx = checked(base)  # the percentages are not summed
    assert (found.code, found.severity, found.expected) == ("T006", ERROR, "[7.005, 7.035)万件")
    assert found.message == ("t/wan: row 全省 · column 合计 (7.05): column 合计: 全省 7.05 ≠ 1.23 + 2.34 + 3.45 = "
                             "7.005–7.035万件")  # not exact: no "more than its parts"
    assert ctx.relations_checked == 1


def test_a_density_over_a_population_of_zero_is_a_finding() -> None:
    base = with_table(mem_base({}), "z", {"v": ("有效", "件"), "pop": ("人口", "万人"), "d": ("密度", "件")},
                      {"a": ("甲", ["5", "0", "1.0"])}, [identity("density", total="d", count="v", population="pop")], unit=None)
    (found,), _ = checked(base)
    assert (found.code, found.severity, found.reported, ids(found)) == ("R115", ERROR, None, ["t/z/a/v"])
    assert found.message == "t/z: its density identity divides by a value that may be zero"


def test_a_growth_rate_only_a_lenient_reading_fits_to_a_change_is_a_warning() -> None:
    found, _ = run({"now": {"value": "74件"}, "c": {"value": "45件", "change_of": "now"},
                    "g": {"value": "156%", "growth_of": "now"}})
    cross = next(f for f in found if f.code == "R108")  # 155.17 % is not 155.5–156.5 %, but is 155–157 %
    assert cross.severity == WARNING
    assert cross.message == ("74件 after a change of 45件 means 29件 in the previous period, a growth of 155.2%, "
                             "but f/g prints 156%; 156% would need a change of 45.0–45.2件")


def test_a_rank_from_the_small_end_read_leniently_counts_from_the_small_end() -> None:
    # 1.2万件 (11500–12500; leniently 11000–13000) against 20000, 30000 and 12700: from the small end first as
    # written, first or second leniently; from the large end fourth as written, third or fourth leniently
    peers = {"hz": {"value": "1.2万件"}, "a": {"value": "20000件"}, "b": {"value": "30000件"}, "c": {"value": "12700件"}}
    assert ranked("1", peers, order="asc")[0] == [] and ranked("4", peers)[0] == []
    assert [(f.severity, f.expected) for f in ranked("2", peers, order="asc")[0]] == [(WARNING, "1")]
    assert [(f.severity, f.expected) for f in ranked("3", peers)[0]] == [(WARNING, "4")]
    assert [f.severity for f in ranked("3", peers, order="asc")[0]] == [ERROR]


# --- the registry and its dispatch (relations/__init__.py) -------------------------------------------


def test_a_field_that_is_not_a_kind_does_not_stop_the_kinds_after_it() -> None:
    # a fact file may write `previous:` before `change_of:`; the relation after it is still judged
    base = mem_base({"now": {"value": "74件"}, "before": {"value": "27件"},
                     "c": {"value": "45件", "change_of": "now", "previous": "before"}})
    fact = base.facts["f/c"]
    fact.relations = {"previous": fact.relations["previous"], "change_of": fact.relations["change_of"]}
    ctx = Context(base)
    assert [f.code for f in relations.run(ctx)] == ["R107"] and ctx.relations_checked == 1


def test_a_unit_problem_in_a_group_of_parts_is_a_finding_at_the_first_part() -> None:
    (found,), _ = run({"w": {"value": "30件"}, "a": {"value": "20件", "part_of": "w"}, "b": {"value": "5家", "part_of": "w"}})
    assert (found.code, found.severity, found.reported, ids(found)) == ("R114", ERROR, "20件", ["f/a", "f/w"])
    assert found.message == ("f/a: part_of combines 件 with 家, which cannot be compared; "
                             "fix the relation or a unit in the fact base")


def test_table_cells_in_different_units_are_converted() -> None:
    def kilos(total: str) -> list[Finding]:
        return checked(with_table(mem_base({}), "kg", {"total": ("合计", "吨"), "a": ("甲", "公斤"), "b": ("乙", "公斤")},
                                  {"r": ("全省", [total, "1523", "1577"])},
                                  [identity("sum", total="total", parts=("a", "b"))], unit=None))[0]

    assert kilos("3.1") == []
    (found,) = kilos("3.3")
    assert found.message == "t/kg: row 全省 · column 合计 (3.3): row 全省: 合计 3.3 ≠ 1523 + 1577 = 3.099–3.101吨"
    assert found.expected == "[3.099, 3.101)吨"
    # a percent column of a part in 公斤 of a whole in 吨: 1523 of 3100 is 49.1 %, 500 of 2000 is 25 %
    percent = with_table(mem_base({}), "pk", {"whole": ("合计", "吨"), "part": ("其中", "公斤"), "pct": ("占比", "%")},
                         {"r": ("全省", ["3.1", "1523", "49.1"]), "s": ("甲市", ["2.0", "500", "25.0"])},
                         [identity("percent", total="pct", parts=("part",), count="whole")], unit=None)
    assert checked(percent)[0] == []


def test_an_exact_total_against_rounded_parts_says_no_difference_in_units() -> None:
    base = with_table(mem_base({}), "ob", {"total": ("合计", "件"), "a": ("甲", "万件"), "b": ("乙", "万件")},
                      {"r": ("全省", ["30500", "1.2", "1.3"])}, [identity("sum", total="total", parts=("a", "b"))], unit=None)
    (found,), _ = checked(base)
    assert found.message == "t/ob: row 全省 · column 合计 (30500): row 全省: 合计 30500 ≠ 1.2 + 1.3 = 24000–26000件"


def test_a_cut_off_row_with_one_error_among_warnings_is_an_error() -> None:
    # 合计 printed to mixed decimals: 7.1 read as 7.0–7.2 reaches the parts (a warning); 3.9 does not (an error)
    base = with_table(mem_base({}), "cw", {"total": "合计", "inv": "发明"},
                      {"p": ("全省", ["7.1", "3.9"]), "a": ("甲市", ["1.23", "1.2"]), "b": ("乙市", ["2.34", "1.1"]),
                       "c": ("丙市", ["3.45", "1.0"])}, [identity("sum_rows", total="p", parts=("a", "b", "c"))], unit="万件")
    (found,), ctx = checked(base)
    assert (found.code, found.severity, found.reported, found.expected) == ("T006", ERROR, "7.1", None)
    assert found.message == ("t/cw: total row 全省 is not the sum of its rows in 2 columns: column 合计: 全省 7.1 ≠ "
                             "1.23 + 2.34 + 3.45 = 7.005–7.035万件; column 发明: 全省 3.9 ≠ 1.2 + 1.1 + 1.0 = 3.15–3.45万件")
    assert [n["verdict"] for n in ctx.evaluations] == ["warning", "error"]
    assert ids(found) == ["t/cw/p/total", "t/cw/p/inv"]  # the total cells, not every part
    base.facts["t/cw/p/inv"].value = parse_value("3.3", "万件")
    (found,), ctx = checked(base)
    assert (found.code, found.severity, found.expected) == ("T006", WARNING, "[7.005, 7.035)万件")


def test_a_density_printed_to_fixed_decimals_has_no_lenient_reading() -> None:
    # populations in persons (exact): 120000 ÷ 12522000 × 10,000 = 95.8313…; 95.84 is its ceiling, not its rounding
    def density(hz: str, nb: str = "51.56") -> list[Finding]:
        base = with_table(mem_base({}), "d", {"v": ("有效", "件"), "pop": ("常住人口", "人"), "d": ("密度", "件")},
                          {"hz": ("杭州市", ["120000", "12522000", hz]), "nb": ("宁波市", ["50000", "9697000", nb]),
                           "wz": ("温州市", ["15000", "9768000", "15.36"])},
                          [identity("density", total="d", count="v", population="pop")], unit=None)
        return checked(base)[0]

    assert density("95.83") == []
    assert [(f.code, f.severity) for f in density("95.84")] == [("T008", ERROR)]  # every cell to two decimals
    (found,) = density("95.9")  # one decimal beside two: 95.9 may be 95.83 rounded coarsely
    assert (found.code, found.severity) == ("T008", WARNING)
    assert found.message == ("t/d: row 杭州市 · column 密度 (95.9): row 杭州市: 密度 95.9 ≠ 120000 ÷ 12522000人 × 10,000 = "
                             "95.831")


def test_rows_with_empty_cells_are_skipped_not_the_rows_after_them() -> None:
    def table(hz: list[str], wenzhou: list[str]) -> list[Finding]:
        return checked(with_table(mem_base({}), "valid", DENSITY_COLUMNS,
                                  {"hangzhou": ("杭州市", hz), "ningbo": ("宁波市", ["50000", "969.7", "51.56", "-"]),
                                   "wenzhou": ("温州市", ["15000", "976.8", *wenzhou])},
                                  [identity("density", total="density", count="valid", population="pop"),
                                   identity("rank", total="rank", count="valid", order="desc")], unit=None))[0]

    for hz in (["120000", "1252.2", "", ""], ["", "1252.2", "95.83", "1"], ["120000", "", "95.83", "1"]):
        assert [(f.code, ids(f)[0]) for f in table(hz, ["16.36", "3"])] == [("T008", "t/valid/wenzhou/density")], hz
    assert [(f.code, ids(f)[0]) for f in table(["120000", "1252.2", "95.83", "1"], ["15.36", "2"])] == [
        ("T009", "t/valid/wenzhou/rank")]  # 宁波市 has no rank printed; 温州市 is still ranked


def test_only_columns_that_add_are_summed_down_the_rows() -> None:
    # counts and populations add up to the province's; its density, its percentage and its rank (among
    # provinces) do not
    columns: dict[str, str | tuple[str, str]] = {"all": ("有效专利", "件"), "valid": ("有效发明专利", "件"),
                                                 "pop": ("常住人口", "万人"), "density": ("每万人有效发明专利拥有量", "件"),
                                                 "pct": "发明占比（%）", "rank": "排名"}
    base = with_table(mem_base({}), "sum", columns,
                      {"province": ("全省", ["340000", "170000", "2221.9", "76.51", "50.0", "4"]),
                       "hangzhou": ("杭州市", ["200000", "120000", "1252.2", "95.83", "60.0", "1"]),
                       "ningbo": ("宁波市", ["140000", "50000", "969.7", "51.56", "35.7", "2"])},
                      [identity("sum_rows", total="province", parts=("hangzhou", "ningbo")),
                       identity("density", total="density", count="valid", population="pop"),
                       identity("percent", total="pct", parts=("valid",), count="all"),
                       identity("rank", total="rank", count="density", order="desc", parts=("hangzhou", "ningbo"))],
                      unit=None)
    found, ctx = checked(base)
    assert found == []
    assert [n["fact"] for n in ctx.evaluations if n["relation"] == "table sum_rows"] == [
        "t/sum/province/all", "t/sum/province/valid", "t/sum/province/pop"]


SHARES_OF_GRANTS = {"province": ("浙江省", ["30.0", "50.0", "20.0"]), "hangzhou": ("杭州市", ["33.3", "50.0", "16.7"]),
                    "ningbo": ("宁波市", ["26.7", "50.0", "23.3"]), "other": ("其他", ["20.0", "50.0", "30.0"])}


def test_a_share_table_is_not_summed_down_its_rows() -> None:
    base = with_table(grants(), "shares", {"invention": "发明", "utility": "实用新型", "design": "外观设计"},
                      SHARES_OF_GRANTS, [identity("share", count="total", of_table="t/grants"),
                                         identity("sum_rows", total="province", parts=("hangzhou", "ningbo", "other"))],
                      unit=None)
    assert checked(base)[0] == []


def test_a_share_cell_printed_to_fixed_decimals_has_no_lenient_reading() -> None:
    def hangzhou_utility(cell: str, province: str = "50.0") -> list[Finding]:  # 30 of 60 is exactly 50 %
        rows = {**SHARES_OF_GRANTS, "hangzhou": ("杭州市", ["33.3", cell, "16.7"]),
                "province": ("浙江省", ["30.0", province, "20.0"])}
        return checked(with_table(grants(), "shares", {"invention": "发明", "utility": "实用新型", "design": "外观设计"},
                                  rows, [identity("share", count="total", of_table="t/grants")], unit="%"))[0]

    assert hangzhou_utility("50.0") == []
    assert [(f.code, f.severity) for f in hangzhou_utility("50.1")] == [("T010", ERROR)]
    assert [(f.code, f.severity) for f in hangzhou_utility("50.1", province="50")] == [("T010", WARNING)]


def test_sums_of_six_and_of_many_rows_and_a_row_without_its_total() -> None:
    columns: dict[str, str | tuple[str, str]] = {"total": "合计"} | {f"c{i}": f"类{i}" for i in range(6)}
    base = with_table(mem_base({}), "six", columns, {"a": ("甲", ["30", "1", "2", "3", "4", "5", "6"]),
                                                    "b": ("乙", ["-", "1", "2", "3", "4", "5", "6"])},
                      [identity("sum", total="total", parts=tuple(f"c{i}" for i in range(6)))])
    (found,), ctx = checked(base)  # six parts are still listed; 乙 prints no total: nothing to check
    assert found.message == ("t/six: row 甲 · column 合计 (30): row 甲: 合计 30 ≠ 1 + 2 + 3 + 4 + 5 + 6 = 21件, "
                             "9 more than its parts")
    assert ctx.relations_checked == 1
    rows = {"p": ("全省", ["30"])} | {f"r{i}": (f"市{i}", ["4"]) for i in range(7)}
    base = with_table(mem_base({}), "seven", {"total": "合计"}, rows,
                      [identity("sum_rows", total="p", parts=tuple(f"r{i}" for i in range(7)))])
    (found,), _ = checked(base)
    assert found.message == "t/seven: row 全省 · column 合计 (30): column 合计: 全省 30 ≠ the 7 rows = 28件, 2 more than its parts"


def test_a_sum_of_amounts_is_shown_to_the_totals_own_precision() -> None:
    base = with_table(mem_base({}), "amt", {"total": "合计", "a": "甲", "b": "乙"}, {"r": ("全省", ["1234", "620.1", "620.4"])},
                      [identity("sum", total="total", parts=("a", "b"))], unit="亿元")
    (found,), _ = checked(base)
    assert found.message == "t/amt: row 全省 · column 合计 (1234): row 全省: 合计 1234 ≠ 620.1 + 620.4 = 1240–1241亿元"
    assert found.expected == "[1240.4, 1240.6)亿元"


def test_equal_and_difference_identities_read_fixed_decimals_strictly() -> None:
    def equal(cumulative: str) -> list[Finding]:
        return checked(with_table(mem_base({}), "eq", {"x": ("本年", "亿元"), "y": ("累计", "亿元")},
                                  {"a": ("甲", ["12.30", cumulative]), "b": ("乙", ["5.60", "5.60"])},
                                  [identity("equal", total="x", parts=("y",))], unit=None))[0]

    assert equal("12.30") == []
    assert [f.severity for f in equal("12.31")] == [ERROR]  # 12.30 and 12.31 to two decimals in every cell
    assert [f.severity for f in equal("12.3")] == []
    def difference(added: str) -> list[Finding]:
        return checked(with_table(mem_base({}), "df", {"d": ("净增", "亿元"), "a": ("新增", "亿元"), "b": ("减少", "亿元")},
                                  {"r": ("甲", ["1.20", added, "2.10"]), "s": ("乙", ["0.50", "1.00", "0.50"])},
                                  [identity("difference", total="d", parts=("a", "b"))], unit=None))[0]

    assert difference("3.30") == [] and difference("3.31") == []  # 1.20 + 2.10 is 3.29–3.31
    assert [f.severity for f in difference("3.32")] == [ERROR]


def test_failures_that_share_no_cell_are_reported_apart() -> None:
    # 杭州市's 发明 breaks its row and its column of one table; a row of another table fails on its own
    base = grants(hangzhou=["60", "21", "30", "10"])
    with_table(base, "again", GRANTS_COLUMNS, {"other": ("其他", ["11", "2", "5", "3"])}, GRANT_SUMS[:1])
    found, _ = checked(base)
    assert [(f.code, ids(f)[0]) for f in found] == [("T007", "t/grants/hangzhou/invention"), ("T005", "t/again/other/total")]
    # two total rows of two tables, each off in one column: two findings, not one
    first = grants(province=["100", "30", "50", "21"])
    first.tables["t/grants"].identities = [GRANT_SUMS[1]]
    with_table(first, "again", GRANTS_COLUMNS, {k: (h, cells) for k, (h, cells) in GRANTS.items()},
               [identity("sum_rows", total="province", parts=("hangzhou", "ningbo", "other"))])
    first.facts["t/again/province/invention"].value = parse_value("31", "件")
    found, _ = checked(first)
    assert [(f.code, f.message) for f in found] == [
        ("T006", "t/grants: row 浙江省 · column 外观设计 (21): column 外观设计: 浙江省 21 ≠ 10 + 7 + 3 = 20件, "
                 "1 more than its parts"),
        ("T006", "t/again: row 浙江省 · column 发明 (31): column 发明: 浙江省 31 ≠ 20 + 8 + 2 = 30件, 1 more than its parts")]


def test_a_rank_column_ranks_the_rows_below_a_total_row() -> None:
    base = with_table(mem_base({}), "rk", {"n": ("授权量", "件"), "rank": "排名"},
                      {"p": ("全省", ["100", "-"]), "a": ("甲市", ["60", "1"]), "b": ("乙市", ["30", "2"]),
                       "c": ("丙市", ["10", "3"])},
                      [identity("sum_rows", total="p", parts=("a", "b", "c")),
                       identity("rank", total="rank", count="n", order="desc")], unit=None)
    found, ctx = checked(base)
    assert found == [] and [n["fact"] for n in ctx.evaluations if n["relation"] == "table rank"] == [
        "t/rk/a/rank", "t/rk/b/rank", "t/rk/c/rank"]


def test_a_rank_column_compares_figures_in_one_unit() -> None:
    # a column without a unit whose cells carry their own: 1.5吨 is second to 1600公斤
    base = with_table(mem_base({}), "mx", {"n": "产量", "rank": "排名"},
                      {"a": ("甲市", ["1.5吨", "2"]), "b": ("乙市", ["1600公斤", "1"]), "c": ("丙市", ["1400公斤", "3"])},
                      [identity("rank", total="rank", count="n", order="desc")], unit=None)
    assert checked(base)[0] == []


def test_a_rank_only_a_lenient_reading_allows_in_a_table_is_a_warning() -> None:
    # 1.2亿元 (1.15–1.25) is below 1.27 as written, but read one step coarser (1.1–1.3) it may be first
    base = with_table(mem_base({}), "rw", {"n": ("金额", "亿元"), "rank": "排名"},
                      {"a": ("甲市", ["1.2", "1"]), "b": ("乙市", ["1.27", "1"]), "c": ("丙市", ["0.9", "3"])},
                      [identity("rank", total="rank", count="n", order="desc")], unit=None)
    (found,), _ = checked(base)
    assert (found.code, found.severity, found.reported, found.expected) == ("T009", WARNING, "1", "2")
    assert found.message == "t/rw: row 甲市 · column 排名 (1): row 甲市: 排名 1, but 1.2 (金额) ranks 2 of 3 (1 = largest)"


def test_a_share_table_of_counts_in_other_units_and_with_empty_cells() -> None:
    # counts: 全省 3.1吨 of which 1523公斤 and 1577公斤; 甲市 2.0吨 of which 500公斤 and an empty cell
    def shares_of(p: list[str], x: list[str]) -> list[Finding]:
        base = with_table(mem_base({}), "kg", {"total": ("合计", "吨"), "a": ("甲", "公斤"), "b": ("乙", "公斤")},
                          {"p": ("全省", ["3.1", "1523", "1577"]), "x": ("甲市", ["2.0", "500", "-"])}, [], unit=None)
        return checked(with_table(base, "pct", {"a": "甲", "b": "乙"}, {"p": ("全省", p), "x": ("甲市", x)},
                                  [identity("share", count="total", of_table="t/kg")], unit="%"))[0]

    assert shares_of(["49.1", "50.9"], ["25.0", "75.0"]) == []  # 甲市's 乙 has no count: its share is not judged
    assert [ids(f)[0] for f in shares_of(["-", "52.9"], ["26.0", "75.0"])] == ["t/pct/p/b", "t/pct/x/a"]  # "-": skipped
    assert [ids(f)[0] for f in shares_of(["49.1", "52.9"], ["26.0", "75.0"])] == ["t/pct/p/b", "t/pct/x/a"]


def test_a_share_table_naming_several_rows_and_columns_that_are_not_there() -> None:
    (found,), _ = checked(shares(column=True, row=True))
    assert found.message == "t/shares: share identity: table 't/grants' has no row or column 'zz', 'x'"


def test_a_percent_row_with_an_empty_cell_is_skipped_not_the_rows_after_it() -> None:
    def percent(first: list[str]) -> list[Finding]:
        return checked(with_table(mem_base({}), "pc", {"whole": ("合计", "件"), "part": ("发明", "件"), "pct": ("占比", "%")},
                                  {"a": ("杭州市", first), "b": ("宁波市", ["30", "8", "30.0"])},
                                  [identity("percent", total="pct", parts=("part",), count="whole")]))[0]

    for first in (["60", "20", "-"], ["60", "-", "33.3"], ["-", "20", "33.3"]):
        assert [ids(f)[0] for f in percent(first)] == ["t/pc/b/pct"], first


# --- properties: right tables pass, one wrong cell is found at that cell ------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 10**6), min_size=2, max_size=3), min_size=2, max_size=4),
       st.data())
def test_property_a_table_of_sums_passes_and_one_wrong_part_is_found_at_its_cell(
        parts: list[list[int]], data: st.DataObject) -> None:
    width = min(len(r) for r in parts)
    parts = [r[:width] for r in parts]
    columns: dict[str, str | tuple[str, str]] = {"total": "合计"} | {f"c{j}": f"类{j}" for j in range(width)}

    def table(cells: list[list[int]]) -> FactBase:
        rows = {f"r{i}": (f"市{i}", [str(sum(r)), *map(str, r)]) for i, r in enumerate(cells)}
        column_sums = [sum(r[j] for r in parts) for j in range(width)]  # the province row from the right parts
        rows = {"p": ("全省", [str(sum(column_sums)), *map(str, column_sums)])} | rows
        return with_table(mem_base({}), "g", columns, rows,
                          [identity("sum", total="total", parts=tuple(f"c{j}" for j in range(width))),
                           identity("sum_rows", total="p", parts=tuple(f"r{i}" for i in range(len(cells))))])

    assert checked(table(parts))[0] == []
    i, j = data.draw(st.integers(0, len(parts) - 1)), data.draw(st.integers(0, width - 1))
    wrong = [list(r) for r in parts]
    wrong[i][j] += data.draw(st.integers(1, 1000))
    wrong_base = table(wrong)
    wrong_base.facts[f"t/g/r{i}/total"].value = parse_value(str(sum(parts[i])), "件")  # the row total as it was
    (found,) = checked(wrong_base)[0]
    assert (found.code, found.severity, ids(found)[0]) == ("T007", ERROR, f"t/g/r{i}/c{j}")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=2, max_size=6, unique=True), st.data())
def test_property_a_rank_column_passes_and_two_ranks_swapped_are_both_found(figures: list[int],
                                                                             data: st.DataObject) -> None:
    order = data.draw(st.sampled_from(["desc", "asc"]))
    ranked = sorted(figures, reverse=order == "desc")
    right = [ranked.index(f) + 1 for f in figures]

    def table(ranks: list[int]) -> FactBase:
        return with_table(mem_base({}), "rk", {"n": ("授权量", "件"), "rank": "排名"},
                          {f"r{i}": (f"市{i}", [str(f), str(r)]) for i, (f, r) in enumerate(zip(figures, ranks, strict=True))},
                          [identity("rank", total="rank", count="n", order=order)], unit=None)

    assert checked(table(right))[0] == []
    a, b = data.draw(st.lists(st.integers(0, len(figures) - 1), min_size=2, max_size=2, unique=True))
    wrong = list(right)
    wrong[a], wrong[b] = wrong[b], wrong[a]
    found = checked(table(wrong))[0]
    assert sorted((f.code, ids(f)[0], f.expected) for f in found) == sorted(
        [("T009", f"t/rk/r{a}/rank", str(right[a])), ("T009", f"t/rk/r{b}/rank", str(right[b]))])


def test_a_growth_to_zero_that_no_previous_figure_gives_says_so_without_a_dangling_colon() -> None:
    """Made up: 0件 after a fall of 50% would need 0件 before, and no count of one or more falls by half to 0."""
    (found,), _ = run({"now": {"value": "0件"}, "g": {"value": "-50%", "growth_of": "now"}})
    assert (found.code, found.message) == ("R106", "f/g: no whole number in the previous period gives -50% growth to 0件")
    assert run({"now": {"value": "0件"}, "g": {"value": "-100%", "growth_of": "now"}})[0] == []  # any count falls to 0


# --- inputs in a column printed with fixed decimals (read as printed, like the cell they compute) -------------
# Made up: counts in 万件 printed to two decimals, so "12.00" is 11.995–12.005万 — not the lenient 11.99–12.01万
# (one off in the last place) that "12.00" in prose is allowed.

def test_a_density_from_counts_printed_to_fixed_decimals_reads_them_as_printed() -> None:
    def density(hz: str) -> list[Finding]:
        return checked(with_table(mem_base({}), "valid", {**DENSITY_COLUMNS, "valid": ("有效发明专利", "万件")},
                                  {"hangzhou": ("杭州市", ["12.00", "1252.2", hz, "1"]),
                                   "ningbo": ("宁波市", ["5.00", "969.7", "51.56", "2"]),
                                   "wenzhou": ("温州市", ["1.50", "976.8", "15.36", "3"])},
                                  [identity("density", total="density", count="valid", population="pop")],
                                  unit=None))[0]
    assert density("95.83") == []
    # as printed, 12.00万 ÷ 1252.2万 is 95.787–95.876; only the lenient 12.01万 reaches 95.90
    [found] = density("95.90")
    assert (found.code, found.severity) == ("T008", ERROR)


def test_a_percent_of_parts_printed_to_fixed_decimals_reads_them_as_printed() -> None:
    def percent(a: str) -> list[Finding]:
        return checked(with_table(mem_base({}), "pc", {"whole": ("合计", "万件"), "part": ("发明", "万件"),
                                                       "pct": ("占比", "%")},
                                  {"a": ("杭州市", ["6.00", "2.00", a]), "b": ("宁波市", ["3.00", "0.80", "26.7"])},
                                  [identity("percent", total="pct", parts=("part",), count="whole")]))[0]
    assert percent("33.3") == []
    # 2.00 ÷ 6.00 as printed is 33.22–33.45 %; 33.5 % needs the part (2.01) or the whole (5.99) read leniently
    [found] = percent("33.5")
    assert (found.code, found.severity) == ("T010", ERROR)


def test_a_share_table_of_counts_printed_to_fixed_decimals_reads_them_as_printed() -> None:
    def share(invention: str) -> list[Finding]:
        counts = with_table(mem_base({}), "g", {"total": ("合计", "万件"), "invention": ("发明", "万件")},
                            {"province": ("浙江省", ["6.00", "2.00"]), "city": ("杭州市", ["3.00", "0.80"])}, [])
        return checked(with_table(counts, "sh", {"invention": ("发明", "%")},
                                  {"province": ("浙江省", [invention]), "city": ("杭州市", ["26.7"])},
                                  [identity("share", count="total", of_table="t/g")], unit="%"))[0]
    assert share("33.3") == []
    [found] = share("33.5")  # as above: 2.00万 of 6.00万, both printed to two decimals
    assert (found.code, found.severity) == ("T010", ERROR)
