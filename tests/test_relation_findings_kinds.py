"""What each relation kind's findings say, in full: code, severity, message, reported, expected, the facts
involved, the details and the --explain notes (issue 26's mutation testing of balance, growth, per10k,
outcome, percent, ratio, mean, breakdowns, same, part, subset and the wording they share).

Every fact base here is made up, in memory (tests/memory.py), with figures chosen so the arithmetic can be
done by hand; the comment on each case does it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ipfacts.check import relations
from ipfacts.check.relations import granularity
from ipfacts.check.relations.base import Context
from ipfacts.check.relations.granularity import describe_integers, integers_in
from ipfacts.check.relations.wording import (
    by,
    in_terms,
    neighbours,
    pct,
    rounded,
    span,
    unit_of,
    whole_numbers,
)
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.intervals import INF, NEG_INF, Interval
from ipfacts.load.model import FactBase, Source
from ipfacts.load.numbers import parse_value
from ipfacts.load.units import Units
from ipfacts.load.yamlnodes import Where

from memory import mem_base

Facts = dict[str, dict[str, Any]]


def whole(f: Finding) -> dict[str, Any]:
    """A finding as the user reads it."""
    return {"code": f.code, "severity": f.severity, "message": f.message, "reported": f.reported,
            "expected": f.expected, "facts": [x.id for x in f.facts], "details": f.details.as_dict()}


def judged_base(base: FactBase) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    ctx = Context(base, explain=True)
    found = [whole(f) for f in relations.run(ctx)]
    assert ctx.relations_checked >= len(ctx.evaluations)
    return found, ctx.evaluations


Metrics = tuple[str, ...] | dict[str, tuple[str, tuple[str, ...]]]


def judged(facts: Facts, metrics: Metrics = ()) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return judged_base(mem_base(facts, metrics))


def codes(facts: Facts, metrics: Metrics = ()) -> list[tuple[str, str]]:
    return [(f["code"], f["severity"]) for f in judged(facts, metrics)[0]]


# --- balance_of --------------------------------------------------------------------------------------


def flows(stock: str, inflow: str | list[str], outflow: str | list[str], **more: Any) -> Facts:
    """A closing stock with its inflows and outflows (and whatever else the case adds)."""
    ins, outs = (inflow if isinstance(inflow, list) else [inflow]), (outflow if isinstance(outflow, list) else [outflow])
    facts: Facts = {f"in{n}": {"value": v} for n, v in enumerate(ins, start=1)}
    facts.update({f"out{n}": {"value": v} for n, v in enumerate(outs, start=1)})
    roles: dict[str, Any] = {"inflow": [f"in{n}" for n in range(1, len(ins) + 1)],
                             "outflow": [f"out{n}" for n in range(1, len(outs) + 1)]}
    if "opening" in more:
        facts["open"] = {"value": more.pop("opening")}
        roles = {"opening": "open", **roles}
    facts["close"] = {"value": stock, "balance_of": roles, **more.pop("close", {})}
    facts.update(more)
    return facts


def test_a_balance_without_an_opening_needs_a_stock_at_least_zero() -> None:
    # 100 at the end after 150 + 50 in and 30 + 20 out: the start would be 100 − 200 + 50 = −50. 100 may be a
    # round figure (50–150), so a lenient reading reaches an opening of 20: a warning.
    found, notes = judged(flows("100件", ["150件", "50件"], ["30件", "20件"]))
    assert found == [{
        "code": "R120", "severity": WARNING,
        "message": "f/close: 100件 at the end after 150件 + 50件 in and 30件 − 20件 out would need a negative stock "
                   "at the start (-50件)",
        "reported": "100件", "expected": "opening [-50, -50] ≥ 0",
        "facts": ["f/close", "f/in1", "f/in2", "f/out1", "f/out2"], "details": {"opening_needed": "[-50, -50]"}}]
    assert notes == [{"fact": "f/close", "relation": "balance_of", "verdict": WARNING, "reported": "100件",
                      "reported_interval": "[100, 100]", "recomputed": "[-50, -50]", "recomputed_lenient": "[-120, 20]",
                      "opening": "none stated: opening needed"}]
    # 100 − 157 + 3 = −54, and no reading reaches 0 (−104 to −4): an error.
    found, notes = judged(flows("100件", "157件", "3件"))
    assert [(f["code"], f["severity"], f["message"]) for f in found] == [(
        "R120", ERROR, "f/close: 100件 at the end after 157件 in and 3件 out would need a negative stock at the start "
                       "(-54件)")]
    assert notes[0]["verdict"] == ERROR and notes[0]["recomputed_lenient"] == "[-104, -4]"
    # 100 − 100 + 0 = 0: an opening of nothing balances, which is fine.
    found, notes = judged(flows("100件", "100件", "0件"))
    assert found == [] and notes[0]["verdict"] == "ok" and notes[0]["recomputed"] == "[0, 0]"


def test_a_balance_with_a_stated_opening_says_what_it_adds_up_to() -> None:
    # 50 + 30 − 20 = 60, not 70; an opening of 70 − 30 + 20 = 60 would balance. 70 may be a round 65–75: a warning.
    facts = flows("70件", "30件", "20件", opening="50件")
    found, notes = judged(facts)
    assert found == [{
        "code": "R120", "severity": WARNING,
        "message": "f/close: 50件 + 30件 − 20件 = 60件 at the end, but 70件 is printed (10件 apart); an opening of 60件 "
                   "would balance",
        "reported": "70件", "expected": "[60, 60]件", "facts": ["f/close", "f/open", "f/in1", "f/out1"],
        "details": {"opening_used": "[50, 50]", "opening_needed": "[60, 60]", "gap": "10"}}]
    assert notes == [{"fact": "f/close", "relation": "balance_of", "verdict": WARNING, "reported": "70件",
                      "reported_interval": "[70, 70]", "recomputed": "[60, 60]", "recomputed_lenient": "[45, 75]",
                      "opening": "f/open"}]
    facts["close"]["value"] = "60件"
    assert judged(facts)[0] == []
    # Rounded figures: 5.0 + 3.0 − 0.5万 is 7.35–7.65万 (open ends), 0.3万 from the printed 7.0万 even leniently.
    found, _ = judged(flows("7.0万件", "3.0万件", "0.5万件", opening="5.0万件"))
    assert found == [{
        "code": "R120", "severity": ERROR,
        "message": "f/close: 5.0万件 + 3.0万件 − 0.5万件 = 7.35–7.65万件 at the end, but 7.0万件 is printed (0.3万件 "
                   "apart); an opening of 4.35–4.65万件 would balance",
        "reported": "7.0万件", "expected": "(7.35, 7.65)万件", "facts": ["f/close", "f/open", "f/in1", "f/out1"],
        "details": {"opening_used": "[49500, 50500)", "opening_needed": "(43500, 46500)", "gap": "3000.0"}}]


def test_a_balance_finds_the_opening_in_the_prior_period_or_a_growth_rates_previous() -> None:
    # The same metric a year earlier is the opening: 50 + 30 − 20 = 60, not 70.
    found, notes = judged(flows("70件", "30件", "20件", close={"metric": "m", "period": "2024"},
                                open={"value": "50件", "metric": "m", "period": "2023"}), ("m",))
    assert [(f["code"], f["message"], f["facts"]) for f in found] == [(
        "R120", "f/close: 50件 + 30件 − 20件 = 60件 at the end, but 70件 is printed (10件 apart); an opening of 60件 "
                "would balance", ["f/close", "f/open", "f/in1", "f/out1"])]
    assert notes[0]["opening"] == "f/open"
    # A growth rate that names its previous figure gives the opening: 51 + 33 − 20 = 64, not 70; the rate is
    # judged too (51 → 70 is +37.25 %, not 40 %).
    facts = flows("70件", "33件", "20件", g={"value": "40%", "growth_of": "close", "previous": "prev"},
                  prev={"value": "51件"})
    found, notes = judged(facts)
    assert [(f["code"], f["message"], f["facts"], f["details"]) for f in found][0] == (
        "R120", "f/close: 51件 + 33件 − 20件 = 64件 at the end, but 70件 is printed (6件 apart); an opening of 57件 "
                "would balance", ["f/close", "f/prev", "f/in1", "f/out1"],
        {"opening_used": "[51, 51]", "opening_needed": "[57, 57]", "gap": "6"})
    assert [f["code"] for f in found] == ["R120", "R105"]
    assert notes[0]["opening"] == "f/prev"


def test_a_balance_implies_the_opening_from_a_growth_rate_of_the_closing_stock() -> None:
    # 375 after −31.69 % means 375 ÷ 0.6831 = 548.97 → 549 at the start (a whole number: exact counts);
    # 549 + 300 − 400 = 449, not 375; 375 − 300 + 400 = 475 would balance, a change of 375/475 − 1 = −21.05 %.
    found, notes = judged(flows("375件", "300件", "400件", g={"value": "-31.69%", "growth_of": "close"}))
    assert found == [{
        "code": "R121", "severity": WARNING,
        "message": "f/close: a change of -31.69% to 375件 means 549件 at the start; 549件 + 300件 − 400件 = 449件, not "
                   "the printed 375件 (74件 apart); an opening of 475件 would balance, a change of -21.05%",
        "reported": "375件", "expected": "[449, 449]件", "facts": ["f/close", "f/g", "f/in1", "f/out1"],
        "details": {"opening_used": "[549, 549]", "opening_needed": "[475, 475]", "gap": "74"}}]
    assert notes[0] == {"fact": "f/close", "relation": "balance_of", "verdict": WARNING, "reported": "375件",
                        "reported_interval": "[375, 375]", "recomputed": "[449, 449]",
                        "recomputed_lenient": "[348.89, 549.05]", "opening": "implied by f/g"}
    # 2倍 is +200 %: 300 ÷ 3.5 to 300 ÷ 2.5 is 85.7–120, whole numbers 86–120; 86–120 + 100 − 10 = 176–210.
    found, _ = judged(flows("300件", "100件", "10件", g={"value": "2倍", "growth_of": "close"}))
    assert [(f["message"], f["expected"], f["details"]) for f in found] == [(
        "f/close: a change of 2倍 to 300件 means 86–120件 at the start; 86–120件 + 100件 − 10件 = 176–210件, not the "
        "printed 300件 (90件 apart); an opening of 210件 would balance, a change of 42.86%",
        "[176, 210]件", {"opening_used": "[86, 120]", "opening_needed": "[210, 210]", "gap": "90"})]
    # An opening of 0 would balance: no rate leads from nothing to 100, so none is offered.
    found, _ = judged(flows("100件", "150件", "50件", g={"value": "25%", "growth_of": "close"}))
    assert [f["message"] for f in found] == [
        "f/close: a change of 25% to 100件 means 80件 at the start; 80件 + 150件 − 50件 = 180件, not the printed 100件 "
        "(80件 apart); an opening of 0件 would balance"]
    # Not an exact count: 1.2万 ÷ 1.2 is a range, shown as one; 2,500–5,500 would balance (+109.1 % to +400 %).
    found, _ = judged(flows("1.2万件", "0.9万件", "0.1万件", g={"value": "20%", "growth_of": "close"}))
    assert [(f["severity"], f["message"], f["expected"]) for f in found] == [(
        ERROR, "f/close: a change of 20% to 1.2万件 means 0.9544–1.046万件 at the start; 0.9544–1.046万件 + 0.9万件 − "
               "0.1万件 = 1.654–1.946万件, not the printed 1.2万件 (0.4万件 apart); an opening of 0.25–0.55万件 would "
               "balance, a change of 109.1–400%",
        "(1.654, 1.946)万件")]


def test_a_balance_ignores_rates_that_imply_no_opening() -> None:
    # A change in percentage points, one in 件, and −100 % (the start could be anything) imply no opening:
    # the balance falls back to needing 100 − 157 + 3 = −54 ≥ 0.
    facts = flows("100件", "157件", "3件", g1={"value": "1.2个百分点", "growth_of": "close"},
                  g2={"value": "-100%", "growth_of": "close"})
    found, notes = judged(facts)
    assert [(f["code"], f["severity"], f["details"]) for f in found] == [("R120", ERROR, {"opening_needed": "[-54, -54]"})]
    assert notes[0]["opening"] == "none stated: opening needed"
    facts["g3"] = {"value": "12件", "growth_of": "close"}
    assert [f["code"] for f in judged(facts)[0]] == ["R120", "R114"]


def test_a_balance_takes_every_rate_that_implies_an_opening() -> None:
    # A rate in points or of −100 % before a usable one does not stop the search: −31.69 % still gives 549.
    for first in ({"value": "1.2个百分点", "growth_of": "close"}, {"value": "-100%", "growth_of": "close"}):
        found, notes = judged(flows("375件", "300件", "400件", g0=first, g={"value": "-31.69%", "growth_of": "close"}))
        assert [(f["code"], f["facts"][1], f["details"]["opening_used"]) for f in found] == [("R121", "f/g", "[549, 549]")]
    # A rate naming its previous figure and one implying the opening are both judged: 51 + 33 − 20 = 64, and
    # 70 ÷ 0.6831 = 102.47–102.48 (no whole number: shown as it is) + 33 − 20 = 115.5; 57 would balance
    # (70 ÷ 57 − 1 = +22.81 %).
    found, notes = judged(flows("70件", "33件", "20件", g0={"value": "40%", "growth_of": "close", "previous": "prev"},
                                prev={"value": "51件"}, g={"value": "-31.69%", "growth_of": "close"}))
    assert [(f["code"], f["severity"]) for f in found] == [("R120", WARNING), ("R121", ERROR), ("R105", WARNING),
                                                           ("R106", WARNING)]
    assert found[1]["message"] == (
        "f/close: a change of -31.69% to 70件 means 102.5件 at the start; 102.5件 + 33件 − 20件 = 115.5件, not the "
        "printed 70件 (45件 apart); an opening of 57件 would balance, a change of 22.81%")
    assert found[1]["expected"] == "[115.47, 115.48)件"
    assert [n["opening"] for n in notes if n["relation"] == "balance_of"] == ["f/prev", "implied by f/g"]


def test_a_balance_whose_opening_reaches_zero_only_leniently_warns() -> None:
    # 10 − 16 + 1 = −5; 10 read as a round 5–15 gives at most 15 − 16 + 1 = 0, an empty stock: possible.
    found, notes = judged(flows("10件", "16件", "1件"))
    assert [(f["severity"], f["message"]) for f in found] == [(
        WARNING, "f/close: 10件 at the end after 16件 in and 1件 out would need a negative stock at the start (-5件)")]
    assert notes[0]["recomputed_lenient"] == "[-10, 0]"
    assert [f["severity"] for f in judged(flows("10件", "17件", "1件"))[0]] == [ERROR]


@settings(max_examples=40, deadline=None)
@given(opening=st.integers(0, 10**5), inflow=st.integers(0, 10**5), outflow=st.integers(0, 10**5),
       off=st.integers(1, 10**3))
def test_a_balance_that_adds_up_passes_and_one_off_fails(opening: int, inflow: int, outflow: int, off: int) -> None:
    closing = opening + inflow - outflow
    if closing < 0:
        closing, opening = 0, outflow - inflow
    assert codes(flows(f"{closing}件", f"{inflow}件", f"{outflow}件", opening=f"{opening}件")) == []
    wrong = codes(flows(f"{closing + off}件", f"{inflow}件", f"{outflow}件", opening=f"{opening}件"))
    assert [code for code, _ in wrong] == ["R120"]


# --- growth_of ---------------------------------------------------------------------------------------


def test_a_growth_rate_against_the_previous_figure_says_what_the_rate_would_need() -> None:
    # 1000 → 1100 is +10.0 %, not 12 %; 12 % of 1000 more is 1115–1125 (1125 excluded): whole numbers 1115–1124.
    found, notes = judged({"cur": {"value": "1100件"}, "prev": {"value": "1000件"},
                           "g": {"value": "12%", "growth_of": "cur", "previous": "prev"}})
    assert found == [{
        "code": "R105", "severity": WARNING,
        "message": "1000件 → 1100件 is a change of 10.0%, but 12% is printed; 12% from 1000件 would be 1115–1124件",
        "reported": "12%", "expected": "[10, 10]%", "facts": ["f/g", "f/cur", "f/prev"], "details": {"gross": False}}]
    assert notes == [{"fact": "f/g", "relation": "growth_of", "verdict": WARNING, "reported": "12%",
                      "reported_interval": "[11.5, 12.5)", "recomputed": "[10, 10]", "recomputed_lenient": "[-30, 130]",
                      "previous": "f/prev"}]
    # Amounts: 240.29 ÷ 200.5 − 1 is 19.81–19.88 %; 21.5 % of 200.5亿 more is 243.447–243.769亿.
    found, _ = judged({"cur": {"value": "240.29亿元"}, "prev": {"value": "200.5亿元"},
                       "g": {"value": "21.5%", "growth_of": "cur", "previous": "prev"}})
    assert [(f["severity"], f["message"], f["expected"]) for f in found] == [(
        ERROR, "200.5亿元 → 240.29亿元 is a change of 19.81–19.88%, but 21.5% is printed; 21.5% from 200.5亿元 would be "
               "243.447–243.769亿元", "(19.813, 19.878)%")]
    # The right rate passes: 200.5 → 240.29 is +19.85 %.
    assert codes({"cur": {"value": "240.29亿元"}, "prev": {"value": "200.5亿元"},
                  "g": {"value": "19.85%", "growth_of": "cur", "previous": "prev"}}) == []


def test_a_growth_rate_of_the_wrong_sign_from_another_source() -> None:
    # 80 → 74 is −7.5 %, printed +8.1 %: the sign is wrong (gross). The previous figure is from another report,
    # which the message names with its lines. 8.1 % more than 80 is 86.48, no whole number: 86 (+7.5 %), 87 (+8.8 %).
    base = mem_base({"cur": {"value": "74件", "metric": "m", "period": "2024"},
                     "prev": {"value": "80件", "metric": "m", "period": "2023"},
                     "g": {"value": "8.1%", "growth_of": "cur"}}, ("m",))
    base.sources["o"] = Source("o", "seeds/o.txt", Path("/nonexistent"), "另一份报告", "R", "2023", "zh", "0" * 64,
                               Where("facts/sources.yaml", 2))
    prev = base.facts["f/prev"]
    prev.source, prev.line_from, prev.line_to = "o", 12, 14
    found, notes = judged_base(base)
    assert found == [{
        "code": "R105", "severity": ERROR,
        "message": "80件 (《另一份报告》, line 12-14) → 74件 is a change of -7.50%, but 8.1% is printed (the sign is "
                   "wrong); 8.1% from 80件 would be 86.4–86.5件, not a whole number (86件 would be 7.5%, 87件 would be "
                   "8.8%)",
        "reported": "8.1%", "expected": "[-7.5, -7.5]%", "facts": ["f/g", "f/cur", "f/prev"], "details": {"gross": True}}]
    assert notes[0]["previous"] == "f/prev"
    # A fall printed as a rise the other way round: 74 → 80 is +8.1 %, printed −8.1 %.
    found, _ = judged({"cur": {"value": "80件"}, "prev": {"value": "74件"},
                       "g": {"value": "-8.1%", "growth_of": "cur", "previous": "prev"}})
    assert "(the sign is wrong)" in found[0]["message"] and found[0]["details"] == {"gross": True}
    # −7.5 % is right; −7.6 % is off but of the right sign.
    base.facts["f/g"].value = mem_base({"g": {"value": "-7.5%"}}).facts["f/g"].value
    assert judged_base(base)[0] == []
    found, _ = judged({"cur": {"value": "74件"}, "prev": {"value": "80件"},
                       "g": {"value": "-7.9%", "growth_of": "cur", "previous": "prev"}})
    assert found[0]["details"] == {"gross": False} and "sign" not in found[0]["message"]


def test_the_sign_is_wrong_only_when_the_change_surely_has_the_other_sign() -> None:
    def flipped(current: str, previous: str, rate: str) -> tuple[bool, bool]:
        (found,), _ = judged({"cur": {"value": current}, "prev": {"value": previous},
                              "g": {"value": rate, "growth_of": "cur", "previous": "prev"}})
        return found["details"]["gross"], "(the sign is wrong)" in found["message"]

    assert flipped("1005件", "1000件", "-0.5%") == (True, True)  # +0.5 % printed as −0.5 %
    assert flipped("995件", "1000件", "0.5%") == (True, True)
    for current, previous, rate in (("74件", "80件", "0%"), ("80件", "74件", "0%"),  # no change printed: no sign
                                    ("1件", "1件", "5%"), ("1件", "1件", "-5%"),  # no change at all: no sign
                                    ("1005件", "1000件", "2%"), ("995件", "1000件", "-2%")):  # right sign, wrong size
        assert flipped(current, previous, rate) == (False, False), (current, previous, rate)


def test_grim_counts_a_previous_figure_from_one() -> None:
    # 2 ÷ 1.5 is 1.33: 1 (+100 %) or 2 (0 %) either side; 2 after +100 % was 1, a whole number.
    found, _ = judged({"cur": {"value": "2件"}, "g": {"value": "50%", "growth_of": "cur"}})
    assert [f["message"] for f in found] == [
        "f/g: no whole number in the previous period gives 50% growth to 2件: 1件 would give 100%, 2件 would give 0%"]
    found, notes = judged({"cur": {"value": "2件"}, "g": {"value": "100%", "growth_of": "cur"}})
    assert found == [] and notes[0]["implied_previous"] == "1"
    # Nothing grows by 12 % to nothing: a previous count of 0 does not count, strictly or loosely.
    found, notes = judged({"cur": {"value": "0件"}, "g": {"value": "12%", "growth_of": "cur"}})
    assert [(f["code"], f["severity"], f["expected"], f["details"]) for f in found] == [
        ("R106", ERROR, "[0, 0]", {"implied_previous": None})]


def test_what_a_rate_would_need_is_in_the_current_figures_unit() -> None:
    # 1500公斤 → 2.000吨 is +33.3 %; 10 % (9.5–10.5 %) more than 1500公斤 is 1642–1658公斤, i.e. 1.642–1.658吨 (it was
    # shown as "1641.9525–1658.0525吨": kilograms labelled as tonnes).
    found, _ = judged({"cur": {"value": "2.000吨"}, "prev": {"value": "1500公斤"},
                       "g": {"value": "10%", "growth_of": "cur", "previous": "prev"}})
    assert [f["message"] for f in found] == [
        "1500公斤 → 2.000吨 is a change of 33.3–33.4%, but 10% is printed; 10% from 1500公斤 would be 1.6420–1.6581吨"]
    found, _ = judged({"cur": {"value": "2000公斤"}, "prev": {"value": "1.500吨"},
                       "g": {"value": "10%", "growth_of": "cur", "previous": "prev"}})
    assert [f["message"] for f in found] == [
        "1.500吨 → 2000公斤 is a change of 33.3–33.4%, but 10% is printed; 10% from 1.500吨 would be 1642.0–1658.1公斤"]


def test_a_growth_rate_in_times_is_a_hundredfold_percentage() -> None:
    # 增长1.5倍 is +150 %: 100 → 300 is +200 %, and 1.5倍 of 100 more is 245–255 (exclusive): 245–254.
    found, _ = judged({"cur": {"value": "300件"}, "prev": {"value": "100件"},
                       "g": {"value": "1.5倍", "growth_of": "cur", "previous": "prev"}})
    assert found == [{
        "code": "R105", "severity": WARNING,
        "message": "100件 → 300件 is a change of 200.00%, but 1.5倍 is printed; 1.5倍 from 100件 would be 245–254件",
        "reported": "1.5倍", "expected": "[2, 2]倍", "facts": ["f/g", "f/cur", "f/prev"], "details": {"gross": False}}]
    assert codes({"cur": {"value": "300件"}, "prev": {"value": "100件"},
                  "g": {"value": "2倍", "growth_of": "cur", "previous": "prev"}}) == []


def test_a_growth_rate_in_percentage_points_is_a_difference() -> None:
    # 35.2 % − 33.1 % is 2.0–2.2 points (ends excluded), not 1.2.
    found, notes = judged({"cur": {"value": "35.2%"}, "prev": {"value": "33.1%"},
                           "g": {"value": "1.2个百分点", "growth_of": "cur", "previous": "prev"}})
    assert found == [{
        "code": "R105", "severity": ERROR,
        "message": "35.2% − 33.1% is 2.00–2.20 percentage points, but 1.2个百分点 is printed",
        "reported": "1.2个百分点", "expected": "(2, 2.2)个百分点", "facts": ["f/g", "f/cur", "f/prev"], "details": {}}]
    assert notes == [{"fact": "f/g", "relation": "growth_of", "verdict": ERROR, "reported": "1.2个百分点",
                      "reported_interval": "[1.15, 1.25)", "recomputed": "(2, 2.2)", "recomputed_lenient": "[1.9, 2.3]",
                      "previous": "f/prev"}]
    assert codes({"cur": {"value": "35.2%"}, "prev": {"value": "33.1%"},
                  "g": {"value": "2.1个百分点", "growth_of": "cur", "previous": "prev"}}) == []
    # Without the previous figure a change in points cannot be tested.
    found, notes = judged({"cur": {"value": "35.2%"}, "g": {"value": "1.2个百分点", "growth_of": "cur"}})
    assert found == [] and notes == [{"fact": "f/g", "relation": "growth_of", "verdict": "ok",
                                      "reported": "1.2个百分点", "reported_interval": "[1.15, 1.25)", "testable": False}]


def test_a_growth_rate_in_a_unit_that_is_no_rate_is_a_unit_problem() -> None:
    found, _ = judged({"cur": {"value": "35件"}, "g": {"value": "12件", "growth_of": "cur"}})
    assert found == [{
        "code": "R114", "severity": ERROR,
        "message": "f/g: growth_of combines 件 with percent, which cannot be compared; fix the relation or a unit in the "
                   "fact base", "reported": "12件", "expected": None, "facts": ["f/g", "f/cur"], "details": {}}]


def test_grim_for_a_growth_rate_without_the_previous_figure() -> None:
    # 1001 ÷ 1.0005 is 1000.45–1000.55: no whole number; 1000 gives +0.10 %, 1001 gives 0.00 %.
    found, notes = judged({"cur": {"value": "1001件"}, "g": {"value": "0.05%", "growth_of": "cur"}})
    assert found == [{
        "code": "R106", "severity": ERROR,
        "message": "f/g: no whole number in the previous period gives 0.05% growth to 1001件: 1000件 would give 0.10%, "
                   "1001件 would give 0.00%",
        "reported": "0.05%", "expected": "(1000.45, 1000.55]", "facts": ["f/g", "f/cur"],
        "details": {"implied_previous": None}}]
    assert notes == [{"fact": "f/g", "relation": "growth_of", "verdict": ERROR, "reported": "0.05%",
                      "reported_interval": "[0.045, 0.055)", "implied_previous": None,
                      "previous_interval": "(1000.45, 1000.55]"}]
    # 5 ÷ 0.4 = 12.5: no whole number strictly (12.35–12.66), but a looser −60 % fits 12, 13 or 14.
    found, notes = judged({"cur": {"value": "5件"}, "g": {"value": "-60%", "growth_of": "cur"}})
    assert [(f["severity"], f["message"], f["details"]) for f in found] == [(
        WARNING, "f/g: no whole number in the previous period gives -60% growth to 5件: 12件 would give -58%, 13件 would "
                 "give -62%; only a looser reading of -60% fits, with 12, 13, 14件", {"implied_previous": "12, 13, 14"})]
    assert notes[0]["implied_previous"] == "12, 13, 14" and notes[0]["previous_interval"] == "[12.35, 12.66)"
    # 375 after −31.69 % was 549: a whole number, so nothing to say.
    found, notes = judged({"cur": {"value": "375件"}, "g": {"value": "-31.69%", "growth_of": "cur"}})
    assert found == [] and notes[0]["implied_previous"] == "549" and notes[0]["verdict"] == "ok"
    # 7 ÷ 1.15 is 6.06–6.11: none; 6 gives +17 %, 7 gives 0 %.
    found, _ = judged({"cur": {"value": "7件"}, "g": {"value": "15%", "growth_of": "cur"}})
    assert [f["message"] for f in found] == [
        "f/g: no whole number in the previous period gives 15% growth to 7件: 6件 would give 17%, 7件 would give 0%"]


def test_a_growth_rate_that_grim_cannot_test() -> None:
    for current, rate in (("1.2万件", "15%"), ("12件", "-100%")):  # not an exact count; any previous count fits
        found, notes = judged({"cur": {"value": current}, "g": {"value": rate, "growth_of": "cur"}})
        assert found == [] and len(notes) == 1 and notes[0]["testable"] is False and "recomputed" not in notes[0]


@settings(max_examples=40, deadline=None)
@given(previous=st.integers(1, 10**5), current=st.integers(0, 10**5))
def test_a_change_in_points_passes_when_right_and_fails_when_a_point_off(previous: int, current: int) -> None:
    a, b = Decimal(current) / 1000, Decimal(previous) / 1000  # percentages with three decimals
    facts: Facts = {"cur": {"value": f"{a:.3f}%"}, "prev": {"value": f"{b:.3f}%"},
                    "g": {"value": f"{a - b:.3f}个百分点", "growth_of": "cur", "previous": "prev"}}
    assert codes(facts) == []
    facts["g"]["value"] = f"{a - b + 1:.3f}个百分点"
    assert [code for code, _ in codes(facts)] == ["R105"]


# --- per_10k_of --------------------------------------------------------------------------------------


def test_a_per_10k_figure_against_the_population() -> None:
    # 21579 ÷ 341.2万 (341.15–341.25万) is 63.235–63.254 per 10,000, not 64.5; 21579 ÷ 64.5 (64.45–64.55) is
    # 334.30–334.82万 residents. The same population written in 亿人 reads the same.
    for population in ("341.2万人", "0.03412亿人"):
        found, notes = judged({"stock": {"value": "21579件"}, "pop": {"value": population, "metric": "population"},
                               "d": {"value": "64.5件", "per_10k_of": "stock"}})
        assert found == [{
            "code": "R111", "severity": ERROR,
            "message": f"21579件 ÷ {population} = 63.24–63.25 per 10,000 residents, but 64.5件 is printed; 64.5件 would "
                       "mean a population of 334.3–334.8万",
            "reported": "64.5件", "expected": "(63.235, 63.254]件", "facts": ["f/d", "f/stock", "f/pop"], "details": {}}]
        assert notes == [
            {"fact": "f/d", "relation": "per_10k_of", "verdict": ERROR, "reported": "64.5件",
             "reported_interval": "[64.45, 64.55)", "recomputed": "(63.235, 63.254]",
             "recomputed_lenient": "[63.226, 63.263]", "population": "f/pop"},
            {"fact": "f/d", "relation": "population", "verdict": "ok", "reported": "64.5件",
             "reported_interval": "[64.45, 64.55)", "recomputed": "(334.299, 334.818]",
             "recomputed_lenient": "[334.04, 335.078]"}]
    assert codes({"stock": {"value": "21579件"}, "pop": {"value": "341.2万人", "metric": "population"},
                  "d": {"value": "63.2件", "per_10k_of": "stock"}}) == []
    # A population in 件 is no population: a unit problem.
    found, _ = judged({"stock": {"value": "21579件"}, "pop": {"value": "341.2万件", "metric": "population"},
                       "d": {"value": "63.2件", "per_10k_of": "stock"}})
    assert found == [{"code": "R114", "severity": ERROR,
                      "message": "f/d: per_10k_of combines 件 with 人, which cannot be compared; fix the relation or a "
                                 "unit in the fact base",
                      "reported": "63.2件", "expected": None, "facts": ["f/d", "f/stock"], "details": {}}]


def per_10k(*pairs: tuple[str, str], region: str | None = "R") -> Facts:
    """Stocks and their per-10k figures, all of one region and period."""
    facts: Facts = {}
    for n, (stock, density) in enumerate(pairs, start=1):
        facts[f"s{n}"] = {"value": stock, "region": region}
        facts[f"d{n}"] = {"value": density, "per_10k_of": f"s{n}", "region": region}
    return facts


def test_per_10k_figures_that_imply_different_populations() -> None:
    # 21579 ÷ 63.2 is 341.2–341.7万; 3325 ÷ 11.0 is 300.9–303.7万: no common population, and no majority.
    found, notes = judged(per_10k(("21579件", "63.2件"), ("3325件", "11.0件")))
    assert found == [{
        "code": "R112", "severity": ERROR,
        "message": "the per-10,000 figures of R 2024 imply different populations; they do not overlap: f/d1 (21579件 ÷ "
                   "63.2件) → 341.2–341.7万; f/d2 (3325件 ÷ 11.0件) → 300.9–303.7万",
        "reported": None, "expected": None, "facts": ["f/d1", "f/s1", "f/d2", "f/s2"],
        "details": {"implied_populations": {"f/d1": "(341.17, 341.71]", "f/d2": "(300.9, 303.65]"}}}]
    assert notes == [
        {"fact": "f/d1", "relation": "population", "verdict": ERROR, "reported": "63.2件",
         "reported_interval": "[63.15, 63.25)", "recomputed": "(341.17, 341.71]", "recomputed_lenient": "[340.9, 341.981]"},
        {"fact": "f/d2", "relation": "population", "verdict": ERROR, "reported": "11.0件",
         "reported_interval": "[10.95, 11.05)", "recomputed": "(300.905, 303.653]",
         "recomputed_lenient": "[299.55, 305.046]"}]
    # A third figure (6820 ÷ 20.0: 340.2–341.9万) agrees with the first: two of three, and only the odd one is listed.
    found, _ = judged(per_10k(("21579件", "63.2件"), ("3325件", "11.0件"), ("6820件", "20.0件")))
    assert [(f["severity"], f["message"]) for f in found] == [(
        ERROR, "the per-10,000 figures of R 2024 imply different populations; 2 of 3 agree on 341.2–341.7万, but f/d2 "
               "(3325件 ÷ 11.0件) → 300.9–303.7万")]
    # Only leniently: 21579 ÷ 63.2 and 21579 ÷ 63.4 (340.1–340.6万) meet only when 63.2, 63.4 are read loosely
    # (63.1–63.3 and 63.3–63.5 share 63.3).
    found, notes = judged(per_10k(("21579件", "63.2件"), ("21579件", "63.4件")))
    assert [(f["code"], f["severity"]) for f in found] == [("R112", WARNING)]
    assert found[0]["message"].endswith("they do not overlap: f/d1 (21579件 ÷ 63.2件) → 341.2–341.7万; f/d2 (21579件 ÷ "
                                        "63.4件) → 340.1–340.6万")
    assert [n["verdict"] for n in notes] == [WARNING, WARNING]
    # Agreeing figures pass, with an "ok" note each.
    found, notes = judged(per_10k(("21579件", "63.2件"), ("6820件", "20.0件")))
    assert found == [] and [n["verdict"] for n in notes] == ["ok", "ok"]


def test_per_10k_figures_of_no_region_are_not_compared() -> None:
    found, notes = judged(per_10k(("21579件", "63.2件"), ("3325件", "11.0件"), region=None))
    assert found == [] and [(n["fact"], n["relation"], n["verdict"]) for n in notes] == [
        ("f/d1", "population", "ok"), ("f/d2", "population", "ok")]
    # One figure alone has nothing to agree with either.
    found, notes = judged(per_10k(("3325件", "11.0件")))
    assert found == [] and [n["recomputed"] for n in notes] == ["(300.905, 303.653]"]


def test_many_disagreeing_per_10k_figures_list_six_and_count_the_rest() -> None:
    # Eight figures, each 1,000 residents' worth apart (1000 × k ÷ 10.0 = 100k万): none agree.
    found, _ = judged(per_10k(*((f"{1000 * k}件", "10.0件") for k in range(1, 9))))
    message = found[0]["message"]
    assert message.startswith("the per-10,000 figures of R 2024 imply different populations; they do not overlap: "
                              "f/d1 (1000件 ÷ 10.0件) → 99.5–100.5万; f/d2 (2000件 ÷ 10.0件) → 199.0–201.0万; ")
    assert message.endswith("; f/d6 (6000件 ÷ 10.0件) → 597.0–603.0万 and 2 more")
    assert "f/d7" not in message
    # Five of the eight agree (1000k ÷ 10k.0 all hold 100万; 5000 ÷ 50.0, 99.9–100.1万, is the narrowest): only the
    # three others are listed.
    found, _ = judged(per_10k(*((f"{1000 * k}件", f"{10 * k}.0件") for k in range(1, 6)),
                              *((f"{1000 * k}件", "10.0件") for k in range(6, 9))))
    assert found[0]["message"] == (
        "the per-10,000 figures of R 2024 imply different populations; 5 of 8 agree on 99.9–100.1万, but f/d6 (6000件 ÷ "
        "10.0件) → 597.0–603.0万; f/d7 (7000件 ÷ 10.0件) → 696.5–703.5万; f/d8 (8000件 ÷ 10.0件) → 796.0–804.0万")


def test_the_listing_of_disagreeing_figures_stops_at_six() -> None:
    def listing(count: int) -> str:
        (found,), _ = judged(per_10k(*((f"{1000 * k}件", "10.0件") for k in range(1, count + 1))))
        return str(found["message"]).split("they do not overlap: ")[1]

    six = listing(6)
    assert six.endswith("f/d6 (6000件 ÷ 10.0件) → 597.0–603.0万") and six.count("; ") == 5
    assert listing(7) == six + " and 1 more"


def test_of_two_equally_large_agreements_the_first_found_stands() -> None:
    # 960 ÷ 10.0 (95.5–96.5万) and 1040 ÷ 10.0 (103.5–104.5万) each agree with 0.1万 ÷ 10.0 (50–150万), not with each
    # other: two pairs of two; the first, and the figure left out of it, are named.
    found, _ = judged(per_10k(("960件", "10.0件"), ("0.1万件", "10.0件"), ("1040件", "10.0件")))
    assert [f["message"] for f in found] == [
        "the per-10,000 figures of R 2024 imply different populations; 2 of 3 agree on 95.5–96.5万, but f/d3 (1040件 ÷ "
        "10.0件) → 103.5–104.5万"]


# --- outcome_of --------------------------------------------------------------------------------------


def test_exclusive_outcomes_beyond_the_intake_say_so_in_full() -> None:
    # 60 + 50 judged and mediated of 100 received: 10 more than the intake; 99 withdrawn, alone, is within it.
    found, notes = judged({"intake": {"value": "100件"}, "a": {"value": "60件", "outcome_of": "intake"},
                           "b": {"value": "50件", "outcome_of": "intake", "exclusive_with": "a"},
                           "c": {"value": "99件", "outcome_of": "intake"}})
    assert found == [{
        "code": "R118", "severity": WARNING,
        "message": "the outcomes f/a, f/b: 60件 + 50件 is 10件 more than the intake f/intake (100件); that holds only if "
                   "at least 10件 were pending at the start, which the base does not state",
        "reported": "60件 + 50件", "expected": "≤ 100件 + pending at the start", "facts": ["f/a", "f/b", "f/intake"],
        "details": {"excess": "[10, 10]", "pending": None, "intake": "100件"}}]
    assert notes == [
        {"fact": "f/a", "relation": "outcome_of", "verdict": WARNING, "reported": "60件", "reported_interval": "[60, 60]",
         "recomputed": "[110, 110]", "recomputed_lenient": "[100, 120]", "intake": "f/intake", "pending": "unknown"},
        {"fact": "f/c", "relation": "outcome_of", "verdict": "ok", "reported": "99件", "reported_interval": "[99, 99]",
         "recomputed": "[99, 99]", "recomputed_lenient": "[99, 99]", "intake": "f/intake"}]
    # Exactly the intake is fine.
    assert codes({"intake": {"value": "100件"}, "a": {"value": "60件", "outcome_of": "intake"},
                  "b": {"value": "40件", "outcome_of": "intake", "exclusive_with": ["a"]}}) == []


def test_an_outcome_beyond_the_pending_cases_is_an_error_or_a_warning() -> None:
    # 207 concluded of 196 received is 11 more; 10 pending explain all but 1 — and 10 may be a round 5–15: a warning.
    found, notes = judged({"intake": {"value": "196件"}, "p": {"value": "10件"},
                           "done": {"value": "207件", "outcome_of": "intake", "pending_before": "p"}})
    assert found == [{
        "code": "R119", "severity": WARNING,
        "message": "f/done: 207件 is 11件 more than the intake f/intake (196件), but at most 10件 were pending at the "
                   "start: 1件 more than the backlog can explain",
        "reported": "207件", "expected": "≤ 196件 + 10件", "facts": ["f/done", "f/intake", "f/p"],
        "details": {"excess": "[11, 11]", "pending": "[10, 10]", "gross": False, "intake": "196件"}}]
    assert notes == [{"fact": "f/done", "relation": "outcome_of", "verdict": WARNING, "reported": "207件",
                      "reported_interval": "[207, 207]", "recomputed": "[207, 207]", "recomputed_lenient": "[207, 207]",
                      "intake": "f/intake", "pending": "[10, 10]"}]
    # 15 more than the intake: 10 pending, read loosely as 5–15, just explain it.
    found, _ = judged({"intake": {"value": "196件"}, "p": {"value": "10件"},
                       "done": {"value": "211件", "outcome_of": "intake", "pending_before": "p"}})
    assert [(f["severity"], f["message"]) for f in found] == [(
        WARNING, "f/done: 211件 is 15件 more than the intake f/intake (196件), but at most 10件 were pending at the "
                 "start: 5件 more than the backlog can explain")]
    # 不到5件 pending: at most 5, 6 too many.
    found, _ = judged({"intake": {"value": "196件"}, "p": {"value": "不到5件"},
                       "done": {"value": "207件", "outcome_of": "intake", "pending_before": "p"}})
    assert [(f["severity"], f["message"], f["expected"], f["details"]["pending"]) for f in found] == [(
        ERROR, "f/done: 207件 is 11件 more than the intake f/intake (196件), but at most 5件 were pending at the start: "
               "6件 more than the backlog can explain", "≤ 196件 + 5件", "(-∞, 5]")]


def test_the_pending_cases_come_from_a_balance_whose_inflow_is_the_intake() -> None:
    # The closing stock 80 has opening 9, inflow 196 (the intake), outflow 207: 9 pending explain 9 of the 11.
    found, notes = judged({"intake": {"value": "196件"}, "done": {"value": "207件", "outcome_of": "intake"},
                           "close": {"value": "80件", "balance_of": {"opening": "open", "inflow": "intake",
                                                                    "outflow": "done"}},
                           "open": {"value": "9件"}})
    assert [(f["code"], f["severity"]) for f in found] == [("R120", ERROR), ("R119", ERROR)]
    assert found[1] == {
        "code": "R119", "severity": ERROR,
        "message": "f/done: 207件 is 11件 more than the intake f/intake (196件), but at most 9件 were pending at the "
                   "start: 2件 more than the backlog can explain",
        "reported": "207件", "expected": "≤ 196件 + 9件", "facts": ["f/done", "f/intake", "f/close", "f/open"],
        "details": {"excess": "[11, 11]", "pending": "[9, 9]", "gross": True, "intake": "196件"}}
    assert notes[1]["pending"] == "[9, 9]"
    # Openings implied by two growth rates of the closing stock (5 after −50 %: 10; after −60 %: 12.35–12.66)
    # are taken together, 10 to 12.66: enough for the 11.
    found, notes = judged({"intake": {"value": "196件"}, "done": {"value": "207件", "outcome_of": "intake"},
                           "close": {"value": "5件", "balance_of": {"inflow": "intake", "outflow": "done"}},
                           "g1": {"value": "-50%", "growth_of": "close"}, "g2": {"value": "-60%", "growth_of": "close"}})
    assert "R118" not in [f["code"] for f in found] and "R119" not in [f["code"] for f in found]
    outcome = [n for n in notes if n["relation"] == "outcome_of"]
    assert outcome == [{"fact": "f/done", "relation": "outcome_of", "verdict": "ok", "reported": "207件",
                        "reported_interval": "[207, 207]", "recomputed": "[207, 207]", "recomputed_lenient": "[207, 207]",
                        "intake": "f/intake", "pending": "[10, 12.65822784810126582278481012658228)"}]
    # Only the −60 % rate: at most 12.66 pending (said as the count it rounds to), 9.34 short of 22 extra; the
    # basis names the closing stock and the rate.
    found, _ = judged({"intake": {"value": "196件"}, "done": {"value": "218件", "outcome_of": "intake"},
                       "close": {"value": "5件", "balance_of": {"inflow": "intake", "outflow": "done"}},
                       "g2": {"value": "-60%", "growth_of": "close"}})
    r119 = [f for f in found if f["code"] == "R119"]
    assert [(f["message"], f["facts"]) for f in r119] == [(
        "f/done: 218件 is 22件 more than the intake f/intake (196件), but at most 13件 were pending at the start: "
        "9件 more than the backlog can explain", ["f/done", "f/intake", "f/close", "f/g2"])]
    # A balance in which the intake is an outflow says nothing about what was pending before it.
    found, _ = judged({"intake": {"value": "196件"}, "done": {"value": "207件", "outcome_of": "intake"},
                       "close": {"value": "80件", "balance_of": {"opening": "open", "inflow": "x", "outflow": "intake"}},
                       "open": {"value": "300件"}, "x": {"value": "1件"}})
    assert [f["code"] for f in found] == ["R120", "R118"]
    assert found[1]["facts"] == ["f/done", "f/intake"]


# --- percent_of --------------------------------------------------------------------------------------


def test_a_percentage_of_a_whole_in_full() -> None:
    found, notes = judged({"w": {"value": "3190件"}, "p": {"value": "101.2%", "percent_of": "w"}})
    assert found == [{"code": "R102", "severity": ERROR,
                      "message": "f/p: a part cannot be 101.2% of its whole 3190件; a share is at most 100%",
                      "reported": "101.2%", "expected": "≤ 100%", "facts": ["f/p", "f/w"], "details": {"gross": True}}]
    assert notes == []
    assert codes({"w": {"value": "3190件"}, "p": {"value": "100%", "percent_of": "w"}}) == []
    found, _ = judged({"w": {"value": "0件"}, "p": {"value": "12%", "percent_of": "w"}})
    assert found == [{"code": "R115", "severity": ERROR,
                      "message": "f/p: percent_of divides by a value that may be zero (f/w = 0件)",
                      "reported": "12%", "expected": None, "facts": ["f/p", "f/w"], "details": {}}]
    # 24.8 % of 200 is 49.5–49.7: no whole number; 49 is 24.5 %, 50 is 25.0 %.
    found, notes = judged({"w": {"value": "200件"}, "p": {"value": "24.8%", "percent_of": "w"}})
    assert found == [{"code": "R104", "severity": ERROR,
                      "message": "f/p: no whole number of 200件 is 24.8%: 49件 would be 24.5%, 50件 would be 25.0%",
                      "reported": "24.8%", "expected": "[49.5, 49.7)", "facts": ["f/p", "f/w"],
                      "details": {"implied_part": None, "testable": True}}]
    assert notes == [{"fact": "f/p", "relation": "percent_of", "verdict": ERROR, "reported": "24.8%",
                      "reported_interval": "[24.75, 24.85)", "implied_part": None, "testable": True}]
    # 15 % of 7 is 1.015–1.085: none strictly; a looser 15 % fits 1.
    found, _ = judged({"w": {"value": "7件"}, "p": {"value": "15%", "percent_of": "w"}})
    assert [(f["severity"], f["message"], f["details"]) for f in found] == [(
        WARNING, "f/p: no whole number of 7件 is 15%: 1件 would be 14%, 2件 would be 29%; only a looser reading of 15% "
                 "fits, with 1件", {"implied_part": "1", "testable": True})]
    # 35 % of 196 is 67.62–69.58: 68 or 69; a whole of 1001 at one decimal cannot catch anything (not testable).
    for whole_count, rate, implied, testable in (("196件", "35%", "68, 69", False), ("1001件", "24.8%", "248", False),
                                                 ("40件", "25%", "10", True)):
        found, notes = judged({"w": {"value": whole_count}, "p": {"value": rate, "percent_of": "w"}})
        assert found == [] and notes == [{"fact": "f/p", "relation": "percent_of", "verdict": "ok", "reported": rate,
                                          "reported_interval": notes[0]["reported_interval"], "implied_part": implied,
                                          "testable": testable}]
    found, notes = judged({"w": {"value": "1.2万件"}, "p": {"value": "12%", "percent_of": "w"}})
    assert found == [] and notes == [{"fact": "f/p", "relation": "percent_of", "verdict": "ok", "reported": "12%",
                                      "reported_interval": "[11.5, 12.5)", "testable": False}]


# --- ratio_of and mean_of ----------------------------------------------------------------------------


def test_a_ratio_in_percent_times_or_plain() -> None:
    # 3076 ÷ 3190 = 96.4263 %, printed 96.53 %; 96.525–96.535 % of 3190 is 3079.1–3079.5.
    found, notes = judged({"n": {"value": "3076件"}, "d": {"value": "3190件"}, "r": {"value": "96.53%", "ratio_of": ["n", "d"]}})
    assert found == [{
        "code": "R103", "severity": WARNING,
        "message": "3076件 ÷ 3190件 = 96.426%, but 96.53% is printed; 96.53% of 3190件 would be 3079.1–3079.5件",
        "reported": "96.53%", "expected": "[96.4263, 96.4263]%", "facts": ["f/r", "f/n", "f/d"], "details": {}}]
    assert notes == [{"fact": "f/r", "relation": "ratio_of", "verdict": WARNING, "reported": "96.53%",
                      "reported_interval": "[96.525, 96.535)", "recomputed": "[96.4263, 96.4263]",
                      "recomputed_lenient": "[96.2754, 96.5777]"}]
    # 300 ÷ 100 is 3倍, not 2.5倍 (2.45–2.55倍 of 100 is 245–255).
    found, _ = judged({"n": {"value": "300件"}, "d": {"value": "100件"}, "r": {"value": "2.5倍", "ratio_of": ["n", "d"]}})
    assert [(f["message"], f["expected"]) for f in found] == [(
        "300件 ÷ 100件 = 3.00倍, but 2.5倍 is printed; 2.5倍 of 100件 would be 245.0–255.0件", "[3, 3]倍")]
    # A plain ratio of amounts (299.5–300.5 ÷ 99.5–100.5).
    found, _ = judged({"n": {"value": "300亿元"}, "d": {"value": "100亿元"}, "r": {"value": "2.5", "ratio_of": ["n", "d"]}})
    assert [(f["message"], f["expected"]) for f in found] == [(
        "300亿元 ÷ 100亿元 = 2.98–3.02, but 2.5 is printed; 2.5 of 100亿元 would be 243.8–256.3亿元", "(2.98, 3.02)")]
    for ratio in ("96.43%", "3倍", "3.0"):
        n, d = ("3076件", "3190件") if ratio.endswith("%") else ("300件", "100件")
        assert codes({"n": {"value": n}, "d": {"value": d}, "r": {"value": ratio, "ratio_of": ["n", "d"]}}) == []


def test_a_ratio_of_money_to_a_count_is_a_mean() -> None:
    # 528亿 ÷ 100 items is 5.275–5.285亿 each, not 5.38亿; 528亿 ÷ 5.38亿 is 97.96–98.33 items: 98 would do.
    for relation in ("ratio_of", "mean_of"):
        found, notes = judged({"n": {"value": "528亿元"}, "d": {"value": "100件"},
                               "r": {"value": "5.38亿元", relation: ["n", "d"]}})
        assert found == [{
            "code": "R122", "severity": WARNING,
            "message": "528亿元 ÷ 100件 = 5.275–5.285亿元 each, but 5.38亿元 is printed; 98 items would give the printed "
                       "5.38亿元 (the printed total needs 97.96–98.33)",
            "reported": "5.38亿元", "expected": "[5.275, 5.285)亿元", "facts": ["f/r", "f/n", "f/d"],
            "details": {"count_needed": "(97.96, 98.33)"}}]
        assert notes == [{"fact": "f/r", "relation": relation, "verdict": WARNING, "reported": "5.38亿元",
                          "reported_interval": "[537500000, 538500000)", "recomputed": "[527500000, 528500000)",
                          "recomputed_lenient": "[351333333.3333, 1058000000]"}]
    # A money ratio over people is no per-item figure: a unit problem.
    found, _ = judged({"n": {"value": "528亿元"}, "d": {"value": "100人"}, "r": {"value": "5.38件", "ratio_of": ["n", "d"]}})
    assert [(f["code"], f["message"]) for f in found] == [(
        "R114", "f/r: ratio_of combines 元 with 人, which cannot be compared; fix the relation or a unit in the fact base")]
    found, _ = judged({"n": {"value": "528亿元"}, "d": {"value": "100件"}, "r": {"value": "5.38", "ratio_of": ["n", "d"]}})
    assert [f["code"] for f in found] == ["R114"]


def test_a_mean_in_full() -> None:
    # 528亿 ÷ 5.15–5.25亿 is 100.48–102.62 items: 101 or 102 would give 5.2亿.
    found, _ = judged({"t": {"value": "528亿元"}, "c": {"value": "100件"}, "m": {"value": "5.2亿元", "mean_of": ["t", "c"]}})
    assert [(f["message"], f["details"]) for f in found] == [(
        "528亿元 ÷ 100件 = 5.275–5.285亿元 each, but 5.2亿元 is printed; 101, 102 items would give the printed 5.2亿元 "
        "(the printed total needs 100.5–102.6)", {"count_needed": "(100.48, 102.62)"})]
    # 103 ÷ 3 = 34.33…; 31.0 each would need 3.32–3.33 items: no whole number.
    found, _ = judged({"t": {"value": "103件"}, "c": {"value": "3人"}, "m": {"value": "31.0件", "mean_of": ["t", "c"]}})
    assert [(f["severity"], f["message"]) for f in found] == [(
        ERROR, "103件 ÷ 3人 = 34.333件 each, but 31.0件 is printed; no whole number of items gives the printed 31.0件 "
               "(the printed total needs 3.317–3.328)")]
    assert codes({"t": {"value": "528亿元"}, "c": {"value": "100件"}, "m": {"value": "5.28亿元", "mean_of": ["t", "c"]}}) == []
    for value, count, other in (("5.28件", "100件", "元"), ("5.28亿元", "100亿元", "a count")):
        found, _ = judged({"t": {"value": "528亿元"}, "c": {"value": count}, "m": {"value": value, "mean_of": ["t", "c"]}})
        first, second = ("件", "元") if other == "元" else ("元", other)
        assert [(f["code"], f["message"]) for f in found] == [(
            "R114", f"f/m: mean_of combines {first} with {second}, which cannot be compared; fix the relation or a unit "
                    "in the fact base")]
    found, _ = judged({"t": {"value": "528亿元"}, "c": {"value": "0件"}, "m": {"value": "5.28亿元", "mean_of": ["t", "c"]}})
    assert [(f["code"], f["message"]) for f in found] == [
        ("R115", "f/m: mean_of divides by a value that may be zero (f/t = 528亿元, f/c = 0件)")]


# --- breakdowns, part_of, subset_of ------------------------------------------------------------------


def test_each_breakdown_says_how_far_it_is_from_the_whole() -> None:
    # 24327 + 474 + 32 = 24833 and 20000 + 4900 = 24900, printed 24830: 3 and 70 more. The whole may be a round
    # figure (24825–24835 leniently) and 20000, 4900 too: warnings.
    found, notes = judged({"a": {"value": "24327件"}, "b": {"value": "474件"}, "c": {"value": "32件"},
                           "x": {"value": "20000件"}, "y": {"value": "4900件"},
                           "w": {"value": "24830件", "breakdowns": [["a", "b", "c"], ["x", "y"]]}})
    assert found == [
        {"code": "R117", "severity": WARNING,
         "message": "f/w: breakdown 1 of 2 (24327件 + 474件 + 32件) adds up to 24833件, 3件 more than the printed whole "
                    "24830件",
         "reported": "24830件", "expected": "[24833, 24833]件", "facts": ["f/w", "f/a", "f/b", "f/c"],
         "details": {"breakdown": 1, "gross": False}},
        {"code": "R117", "severity": WARNING,
         "message": "f/w: breakdown 2 of 2 (20000件 + 4900件) adds up to 24900件, 70件 more than the printed whole 24830件",
         "reported": "24830件", "expected": "[24900, 24900]件", "facts": ["f/w", "f/x", "f/y"],
         "details": {"breakdown": 2, "gross": False}}]
    assert [(n["breakdown"], n["verdict"], n["recomputed_lenient"]) for n in notes] == [
        (1, WARNING, "[24833, 24833]"), (2, WARNING, "[19850, 29950]")]
    # One short of an exact whole: an error, and gross (no reading closes the gap).
    found, _ = judged({"a": {"value": "24327件"}, "b": {"value": "474件"}, "c": {"value": "32件"},
                       "w": {"value": "24834件", "breakdowns": [["a", "b", "c"]]}})
    assert [(f["severity"], f["message"], f["details"]) for f in found] == [(
        ERROR, "f/w: the breakdown (24327件 + 474件 + 32件) adds up to 24833件, 1件 short of the printed whole 24834件",
        {"breakdown": 1, "gross": True})]
    # Amounts: 120.15 + 120.14 = 240.28–240.30亿, 0.03亿 more than 240.2亿 (at most 240.25).
    found, _ = judged({"a": {"value": "120.15亿元"}, "b": {"value": "120.14亿元"},
                       "w": {"value": "240.2亿元", "breakdowns": [["a", "b"]]}})
    assert [(f["message"], f["expected"]) for f in found] == [(
        "f/w: the breakdown (120.15亿元 + 120.14亿元) adds up to 240.3亿元, 0.03亿元 more than the printed whole 240.2亿元",
        "[240.28, 240.3)亿元")]


def test_parts_larger_than_their_whole_in_full() -> None:
    found, notes = judged({"w": {"value": "21579件"}, "a": {"value": "21580件", "part_of": "w"}})
    assert found == [{"code": "R102", "severity": WARNING,
                      "message": "f/a (21580件) is larger than the whole it is part of, f/w (21579件), by 1件",
                      "reported": "21580件", "expected": "≤ 21579件", "facts": ["f/a", "f/w"],
                      "details": {"gross": False}}]
    # --explain says the same as the finding (it said "ok" for every part, however large).
    assert notes == [{"fact": "f/a", "relation": "part_of", "verdict": WARNING, "reported": "21580件",
                      "reported_interval": "[21580, 21580]", "recomputed": "[21580, 21580]",
                      "recomputed_lenient": "[21575, 21585]"}]
    found, _ = judged({"w": {"value": "21579件"}, "a": {"value": "21581件", "part_of": "w"}})
    assert [(f["severity"], f["details"]) for f in found] == [(ERROR, {"gross": True})]
    # 20134 + 1500 = 21634, 55 more than 21579 (1500 may be 1450–1550: still more; an error).
    found, notes = judged({"w": {"value": "21579件"}, "a": {"value": "20134件", "part_of": "w"},
                           "b": {"value": "1500件", "part_of": "w"}})
    assert found == [{"code": "R110", "severity": ERROR,
                      "message": "the parts of f/w add up to 20134件 + 1500件 = 21634件, 55件 more than the whole, 21579件",
                      "reported": "21579件", "expected": "≥ 21634件", "facts": ["f/w", "f/a", "f/b"], "details": {}}]
    assert [(n["fact"], n["verdict"], n["recomputed"]) for n in notes] == [("f/a", "ok", "[20134, 20134]"),
                                                                          ("f/b", "ok", "[1500, 1500]")]
    # 20100 + 1500 is 21600, 21 more; both may be round figures, and 20050 + 1450 fits: a warning.
    found, _ = judged({"w": {"value": "21579件"}, "a": {"value": "20100件", "part_of": "w"},
                       "b": {"value": "1500件", "part_of": "w"}})
    assert [(f["severity"], f["message"]) for f in found] == [(
        WARNING, "the parts of f/w add up to 20100件 + 1500件 = 21600件, 21件 more than the whole, 21579件")]
    assert codes({"w": {"value": "21579件"}, "a": {"value": "20079件", "part_of": "w"},
                  "b": {"value": "1500件", "part_of": "w"}}) == []
    # Amounts: the expected sum is in the whole's terms (it was in 元: "≥ 24028000000–24030000000").
    found, _ = judged({"w": {"value": "240.2亿元"}, "a": {"value": "120.15亿元", "part_of": "w"},
                       "b": {"value": "120.14亿元", "part_of": "w"}})
    assert [(f["message"], f["expected"]) for f in found] == [(
        "the parts of f/w add up to 120.15亿元 + 120.14亿元 = 240.3亿元, 0.03亿元 more than the whole, 240.2亿元",
        "≥ 240.3亿元")]


def test_a_subset_larger_than_its_whole_in_full() -> None:
    found, notes = judged({"w": {"value": "3325件"}, "s": {"value": "3326件", "subset_of": "w"}})
    assert found == [{"code": "R116", "severity": ERROR,
                      "message": "f/s (3326件) is a subset of f/w (3325件) but larger, by at least 1件; as printed, the "
                                 "subset can be at most 3325件",
                      "reported": "3326件", "expected": "≤ 3325件", "facts": ["f/s", "f/w"],
                      "details": {"excess": "[1, 1]", "gross": True}}]
    assert notes == [{"fact": "f/s", "relation": "subset_of", "verdict": ERROR, "reported": "3326件",
                      "reported_interval": "[3326, 3326]", "recomputed": "[3325, 3325]",
                      "recomputed_lenient": "[3325, 3325]", "whole": "f/w"}]
    # 1.26万 (12550–12650) and 1.2万 (11500–12500): at least 50 more, i.e. 0.01万 at the written precision.
    found, _ = judged({"w": {"value": "1.2万件"}, "s": {"value": "1.26万件", "subset_of": "w"}})
    assert [(f["severity"], f["message"], f["details"]) for f in found] == [(
        WARNING, "f/s (1.26万件) is a subset of f/w (1.2万件) but larger, by at least 0.01万件; as printed, the subset can "
                 "be at most 1.2万件", {"excess": "(50, 1150)", "gross": False})]
    # 1.3万 (12500–13500) and 1.2万 (11500–12500, upper end open) meet only at an open end: larger, by no least gap
    found, _ = judged({"w": {"value": "1.2万件"}, "s": {"value": "1.3万件", "subset_of": "w"}})
    assert [f["message"] for f in found] == ["f/s (1.3万件) is a subset of f/w (1.2万件) but larger, by more than 0万件; "
                                             "as printed, the subset can be at most 1.2万件"]
    # 1.25万 (12450–12550) can be 12500 at most only where both ends are closed: 1.2万's upper end is open.
    assert codes({"w": {"value": "1.2万件"}, "s": {"value": "1.25万件", "subset_of": "w"}}) == []
    assert codes({"w": {"value": "12500件"}, "s": {"value": "1.25万件", "subset_of": "w"}}) == []
    assert codes({"w": {"value": "3325件"}, "s": {"value": "3325件", "subset_of": "w"}}) == []


# --- same_as and classifiers -------------------------------------------------------------------------


def test_the_same_figure_stated_twice_in_full() -> None:
    found, notes = judged({"a": {"value": "4件", "same_as": "b"}, "b": {"value": "5件", "same_as": "a"}})
    assert found == [{"code": "R113", "severity": ERROR,
                      "message": "f/a = 4件 and f/b = 5件 should be the same figure, but they differ by at least 1件",
                      "reported": "4件", "expected": "5件", "facts": ["f/a", "f/b"], "details": {}}]
    assert notes == [{"fact": "f/a", "relation": "same_as", "verdict": ERROR, "reported": "4件",
                      "reported_interval": "[4, 4]", "recomputed": "[5, 5]", "recomputed_lenient": "[5, 5]",
                      "other": "f/b"}]
    # 24.1 billion (24.05–24.15) and 240.29亿元 (24.0285–24.0295 billion): 0.0205 billion apart; 24.1 may be 24.0–24.2.
    found, _ = judged({"a": {"value": "240.29亿元"}, "b": {"value": "24.1 billion", "unit": "元", "same_as": "a"}})
    assert [(f["severity"], f["message"]) for f in found] == [(
        WARNING, "f/b = 24.1 billion and f/a = 240.29亿元 should be the same figure, but they differ by at least "
                 "0.0205 billion 元")]
    assert codes({"a": {"value": "240.29亿元"}, "b": {"value": "24.03 billion", "unit": "元", "same_as": "a"}}) == []


def test_counts_under_two_classifiers() -> None:
    # The metric of f/a accepts 项 too: 4件 and 5项 are compared one for one.
    found, _ = judged({"a": {"value": "4件", "metric": "m"}, "b": {"value": "5项", "same_as": "a"}},
                      {"m": ("件", ("项",))})
    assert found == [{"code": "R113", "severity": ERROR,
                      "message": "f/b = 5项 and f/a = 4件 should be the same figure, but they differ by at least 1项",
                      "reported": "5项", "expected": "4件", "facts": ["f/b", "f/a"], "details": {}}]
    assert codes({"a": {"value": "4件", "metric": "m"}, "b": {"value": "4项", "same_as": "a"}},
                 {"m": ("件", ("项",))}) == []
    assert codes({"a": {"value": "4件"}, "b": {"value": "4项", "metric": "m", "same_as": "a"}},
                 {"m": ("项", ("件",))}) == []
    # Not accepted: R123 says which classifier to add to which metric — the one that metric lacks (it used to name
    # the other fact's classifier, even when that was the metric's own unit: "add 件" to a metric of 件).
    lead = "f/b (4项) and f/a (4件) are declared same_as but count in different classifiers (项, 件); if they count the " \
           "same things, "
    for facts, metrics, fix in (
            ({"a": {"value": "4件", "metric": "m"}, "b": {"value": "4项", "same_as": "a"}}, {"m": ("件", ())},
             "add 项 to `accepts:` of metric m"),
            ({"a": {"value": "4件"}, "b": {"value": "4项", "metric": "m", "same_as": "a"}}, {"m": ("项", ())},
             "add 件 to `accepts:` of metric m"),
            ({"a": {"value": "4件", "metric": "n"}, "b": {"value": "4项", "metric": "m", "same_as": "a"}},
             {"m": ("项", ()), "n": ("件", ())}, "add 件 to `accepts:` of metric m"),
            ({"a": {"value": "4件", "metric": "m"}, "b": {"value": "4项", "metric": "z", "same_as": "a"}},
             {"m": ("件", ()), "z": ("项", ())}, "add 项 to `accepts:` of metric m"),
            ({"a": {"value": "4件", "metric": "m"}, "b": {"value": "4项", "metric": "m", "same_as": "a"}},
             {"m": ("件", ())}, "add 项 to `accepts:` of metric m"),
            ({"a": {"value": "4件", "metric": "m"}, "b": {"value": "4项", "metric": "m", "same_as": "a"}},
             {"m": ("项", ())}, "add 件 to `accepts:` of metric m"),
            ({"a": {"value": "4件", "metric": "m"}, "b": {"value": "4项", "metric": "m", "same_as": "a"}},
             {"m": ("个", ())}, "add 项 and 件 to `accepts:` of metric m"),
            ({"a": {"value": "4件", "metric": "q"}, "b": {"value": "4项", "same_as": "a"}}, {},
             "add 项 to `accepts:` of metric q"),  # a metric the base does not declare: the other fact's classifier
            ({"a": {"value": "4件"}, "b": {"value": "4项", "same_as": "a"}}, {},
             "give both facts a metric whose `accepts:` lists both classifiers")):
        found, _ = judged(facts, metrics)
        assert found == [{"code": "R123", "severity": ERROR, "message": lead + fix, "reported": "4项", "expected": "4件",
                          "facts": ["f/b", "f/a"], "details": {}}]
    # A count and an amount are no classifiers: a unit problem.
    found, _ = judged({"a": {"value": "4件", "metric": "m"}, "b": {"value": "4亿元", "same_as": "a"}},
                      {"m": ("件", ("亿元",))})
    assert [(f["code"], f["message"]) for f in found] == [(
        "R114", "f/b: same_as combines 元 with 件, which cannot be compared; fix the relation or a unit in the fact base")]


# --- the words of every message (wording.py) and GRIM's whole numbers (granularity.py) ----------------


def test_numbers_in_words() -> None:
    five, amount = parse_value("5件"), parse_value("1.5亿元")
    assert [rounded(Decimal(x), 0) for x in ("-0.4", "2.5", "-2.5", "1234567890123456789012345678.5")] == [
        "0", "3", "-3", "1234567890123456789012345679"]  # half up, never "-0", wide enough for 28 digits
    assert rounded(INF, 2) == "∞" and rounded(Decimal("1.25"), -1) == "1" and pct(Decimal("93.355"), 2) == "93.36%"
    # A difference is never rounded away to nothing: four significant digits instead.
    assert [by(Decimal(x), five) for x in ("0.000012345", "0", "0.4", "0.6")] == ["0.00001234件", "0件", "0.4件", "1件"]
    assert by(Decimal("26000000"), amount) == "0.3亿元"
    assert (whole_numbers((3, 3)), whole_numbers((3, 4), "件"), whole_numbers((3, 5), "件")) == ("3", "3件 or 4件", "3–5件")
    assert unit_of(parse_value("24.1 billion", "元")) == " billion 元" and unit_of(parse_value("3 thousand")) == " thousand"
    assert unit_of(parse_value("1.2个百分点")) == "个百分点" and unit_of(amount) == "亿元" and unit_of(parse_value("3")) == ""
    assert in_terms(Interval(Decimal(24055000000), Decimal(24057000000)), parse_value("240.5亿元")) == "240.6亿元"
    assert in_terms(Interval(Decimal("93.34"), Decimal("93.36")), parse_value("93%"), 1) == "93.3–93.4%"


def test_ranges_in_words() -> None:
    d = Decimal
    assert span(Interval(NEG_INF, INF), 1) == "any value"
    assert span(Interval(d("1.23"), INF), 1) == "at least 1.2" and span(Interval(NEG_INF, d("1.27")), 1) == "at most 1.3"
    assert span(Interval(d("-1.26"), d("1.24")), 1) == "-1.3 to 1.2"  # "to", not a dash, once a minus sign is in it
    assert span(Interval(d("1.26"), d("1.34")), 1) == "1.3" and span(Interval(d("0.96"), d("1.14")), 1) == "1.0–1.1"
    assert span(Interval(d("0"), d("1.14")), 1) == "0.0–1.1"


def test_the_whole_numbers_either_side() -> None:
    d = Decimal
    assert neighbours(Interval(d("0.2"), d("0.8"))) == [0, 1] and neighbours(Interval(d("0.2"), d("0.8")), 1) == [1]
    assert neighbours(Interval(d("1.7"), d("1.8"))) == [1, 2] and neighbours(Interval(d("-1.2"), d("-0.8"))) == [0]
    assert neighbours(Interval(NEG_INF, d("0.5"))) == [1] and neighbours(Interval(d("1.2"), INF)) == [1]


def test_grim_whole_numbers_and_how_they_are_listed() -> None:
    d = Decimal
    assert integers_in(Interval(d(1), d(3), False, False)) == (2, 2) and integers_in(Interval(d(1), d(3))) == (1, 3)
    assert integers_in(Interval(NEG_INF, d("2.5"))) == (0, 2) and integers_in(Interval(d(-5), d("2.5")), 1) == (1, 2)
    assert integers_in(Interval(d(1), INF)) is None and integers_in(Interval(d("1.2"), d("1.8"))) is None
    assert integers_in(Interval(d("-3.5"), d("-1.5"))) is None and integers_in(Interval(d("-3.5"), d("-1.5")), -5) == (-3, -2)
    assert [describe_integers(r) for r in ((3, 3), (3, 7), (3, 8))] == ["3", "3, 4, 5, 6, 7", "3–8"]
    # A percentage with D decimals tests a count below 10^(D+2); a plain rate, below 10^D.
    assert [granularity.testable(d(n), 0) for n in (99, 100, 110)] == [True, False, False]
    assert granularity.testable(d(999), 1)
    assert [granularity.testable(d(n), 1, percent=False) for n in (0, 9, 10)] == [True, True, False]


@settings(max_examples=200, deadline=None)
@given(lo=st.integers(-10**4, 10**4), width=st.integers(0, 3000), lo_closed=st.booleans(), hi_closed=st.booleans())
def test_integers_in_finds_exactly_the_whole_numbers_inside(lo: int, width: int, lo_closed: bool, hi_closed: bool) -> None:
    interval = Interval(Decimal(lo) / 100, Decimal(lo + width) / 100, lo_closed, hi_closed)
    inside = [n for n in range(lo // 100 - 1, (lo + width) // 100 + 2) if n >= 0 and interval.contains(Decimal(n))]
    found = integers_in(interval)
    assert found == ((inside[0], inside[-1]) if inside else None)
    if not inside:
        assert all(not interval.contains(Decimal(n)) for n in neighbours(interval))


# --- units are converted before any arithmetic -------------------------------------------------------


def test_every_kind_converts_units_before_comparing() -> None:
    """Figures written in 吨 and 公斤 (1吨 = 1000公斤) that agree once converted pass; one that does not fails.
    2.000吨 is 1999.5–2000.5公斤: near enough to 2000 for every sum here."""
    cases: list[tuple[Facts, str, str]] = [
        # (facts, the figure to spoil, its spoilt value) — 1500 + 400 kg within 2 t; 2100 kg is not
        ({"w": {"value": "2.000吨"}, "a": {"value": "1500公斤", "part_of": "w"}, "b": {"value": "400公斤", "part_of": "w"}},
         "b", "600公斤"),
        ({"w": {"value": "2.000吨"}, "s": {"value": "1500公斤", "subset_of": "w"}}, "s", "2100公斤"),
        ({"w": {"value": "2.000吨"}, "s": {"value": "2000公斤", "same_as": "w"}}, "s", "2100公斤"),
        ({"a": {"value": "1500公斤"}, "b": {"value": "0.5吨"}, "w": {"value": "2.000吨", "breakdowns": [["a", "b"]]}},
         "a", "1400公斤"),
        ({"n": {"value": "1.000吨"}, "d": {"value": "500公斤"}, "r": {"value": "2.00", "ratio_of": ["n", "d"]}}, "r", "3"),
        ({"t": {"value": "2.000吨"}, "c": {"value": "4件"}, "m": {"value": "500公斤", "mean_of": ["t", "c"]}}, "m", "600公斤"),
        ({"cur": {"value": "2.000吨"}, "prev": {"value": "1600公斤"}, "g": {"value": "25.0%", "growth_of": "cur",
                                                                     "previous": "prev"}}, "g", "20%"),
        ({"close": {"value": "2.000吨", "balance_of": {"opening": "o", "inflow": "i", "outflow": "x"}},
          "o": {"value": "1500公斤"}, "i": {"value": "1.000吨"}, "x": {"value": "500公斤"}}, "o", "1400公斤"),
        ({"intake": {"value": "2.000吨"}, "done": {"value": "1500公斤", "outcome_of": "intake"}}, "done", "2100公斤"),
        ({"intake": {"value": "2.000吨"}, "p": {"value": "100公斤"},
          "done": {"value": "2100公斤", "outcome_of": "intake", "pending_before": "p"}}, "p", "0.09吨"),
    ]
    for facts, spoilt, value in cases:
        assert codes(facts) == [], facts
        facts[spoilt]["value"] = value
        assert len(codes(facts)) == 1, facts
    # Per-10k figures: 2.000吨 ÷ 10.0公斤 and 3000公斤 ÷ 15.0公斤 both mean 200万 residents.
    facts = per_10k(("2.000吨", "10.0公斤"), ("3000公斤", "15.0公斤"))
    assert codes(facts) == []
    facts["pop"] = {"value": "200万人", "metric": "population"}
    assert codes(facts) == []
    facts["d2"]["value"] = "16.0公斤"
    assert [code for code, _ in codes(facts)] == ["R111", "R112"]


# --- edges: equal ends, open ends, unbounded readings, several targets --------------------------------


def test_a_percentage_with_no_upper_bound_is_met_by_every_part_up_to_the_whole() -> None:
    # 超过50% of 300 is 150 or more — any part from 150 to 300; it used to be "no whole number" (an error).
    for rate, implied in (("超过50%", "150–300"), ("50%以上", "150–300"), ("100%以上", "300"), ("不到5%", "0–15")):
        found, notes = judged({"w": {"value": "300件"}, "p": {"value": rate, "percent_of": "w"}})
        assert found == [] and [(n["verdict"], n["implied_part"]) for n in notes] == [("ok", implied)], rate


def test_a_breakdown_that_only_touches_the_whole_from_below_falls_short() -> None:
    # 1.2万 + 100 is 11600 up to 12600 (excluded): below the printed 12600, if by nothing one can name.
    found, _ = judged({"a": {"value": "1.2万件"}, "b": {"value": "100件"},
                       "w": {"value": "12600件", "breakdowns": [["a", "b"]]}})
    assert [(f["severity"], f["message"], f["expected"], f["details"]) for f in found] == [(
        WARNING, "f/w: the breakdown (1.2万件 + 100件) adds up to 11600–12600件, 0件 short of the printed whole 12600件",
        "[11600, 12600)件", {"breakdown": 1, "gross": False})]


def test_parts_and_subsets_at_the_edge_of_their_whole() -> None:
    # Equal to the whole is not larger; parts adding up to exactly the whole are fine.
    assert codes({"w": {"value": "21579件"}, "a": {"value": "21579件", "part_of": "w"}}) == []
    assert codes({"w": {"value": "21579件"}, "a": {"value": "21000件", "part_of": "w"},
                  "b": {"value": "579件", "part_of": "w"}}) == []
    # 21580 read loosely (21575–21585) reaches 21575 exactly: a warning, as is 20010 + 1500 (21455 at the least) over
    # 21455.
    assert codes({"w": {"value": "21575件"}, "a": {"value": "21580件", "part_of": "w"}}) == [("R102", WARNING)]
    found, _ = judged({"w": {"value": "21455件"}, "a": {"value": "20010件", "part_of": "w"},
                       "b": {"value": "1500件", "part_of": "w"}})
    assert [(f["code"], f["severity"], f["message"], f["expected"]) for f in found] == [(
        "R110", WARNING, "the parts of f/w add up to 20010件 + 1500件 = 21510件, 55件 more than the whole, 21455件",
        "≥ 21510件")]
    # 1.2万 stands for 11500 up to 12500, excluded: a subset of exactly 12500 is too large, by more than nothing.
    found, _ = judged({"w": {"value": "1.2万件"}, "s": {"value": "12500件", "subset_of": "w"}})
    assert [(f["code"], f["severity"], f["details"]) for f in found] == [
        ("R116", WARNING, {"excess": "(0, 1000]", "gross": False})]
    assert codes({"w": {"value": "12500件"}, "s": {"value": "12500件", "subset_of": "w"}}) == []


def test_same_as_with_several_targets_judges_every_pair_once() -> None:
    # f/b names f/a (already judged from f/a's side) and f/c: the pair b–c is still judged.
    found, notes = judged({"a": {"value": "4件", "same_as": "b"}, "b": {"value": "4件", "same_as": ["a", "c"]},
                           "c": {"value": "5件"}})
    assert [(f["code"], f["facts"]) for f in found] == [("R113", ["f/b", "f/c"])]
    assert [(n["fact"], n["other"]) for n in notes] == [("f/a", "f/b"), ("f/b", "f/c")]
    # Classifiers not accepted for the first target do not stop the second.
    found, _ = judged({"a": {"value": "4项", "same_as": ["b", "c"]}, "b": {"value": "4件"}, "c": {"value": "5项"}})
    assert [(f["code"], f["facts"]) for f in found] == [("R123", ["f/a", "f/b"]), ("R113", ["f/a", "f/c"])]


def test_a_mean_at_the_edges_of_counting() -> None:
    # Nothing divided among 3 is 0 each; no number of items (0 does not count) gives 5 each.
    found, _ = judged({"t": {"value": "0件"}, "c": {"value": "3人"}, "m": {"value": "5件", "mean_of": ["t", "c"]}})
    assert [(f["severity"], f["message"], f["details"]) for f in found] == [(
        ERROR, "0件 ÷ 3人 = 0件 each, but 5件 is printed; no whole number of items gives the printed 5件 (the printed "
               "total needs 0)", {"count_needed": "[0, 0]"})]
    # 5 ÷ 2 = 2.5 each; 5.0 each needs 0.99–1.01 items: one.
    found, _ = judged({"t": {"value": "5件"}, "c": {"value": "2人"}, "m": {"value": "5.0件", "mean_of": ["t", "c"]}})
    assert [f["message"] for f in found] == [
        "5件 ÷ 2人 = 2.5件 each, but 5.0件 is printed; 1 item would give the printed 5.0件 (the printed total needs "
        "0.9901–1.01)"]
    # A large count is shown to one decimal more than the count's own: 123456789 ÷ 12000 = 10288.07.
    found, _ = judged({"t": {"value": "123456789件"}, "c": {"value": "10000人"},
                       "m": {"value": "12000件", "mean_of": ["t", "c"]}})
    assert [f["message"] for f in found] == [
        "123456789件 ÷ 10000人 = 12345.68件 each, but 12000件 is printed; no whole number of items gives the printed "
        "12000件 (the printed total needs 10288.1)"]
    # The mean's own unit is checked before the count: 件 against 元 (the count in 吨 is wrong too).
    found, _ = judged({"t": {"value": "528亿元"}, "c": {"value": "100吨"}, "m": {"value": "5.28件", "mean_of": ["t", "c"]}})
    assert [f["message"] for f in found] == [
        "f/m: mean_of combines 件 with 元, which cannot be compared; fix the relation or a unit in the fact base"]


def test_a_ratio_is_a_per_item_figure_only_in_the_numerators_unit_over_a_count() -> None:
    for ratio, denominator, message in (
            ("5.38亿元", "100吨", "f/r: ratio_of combines 元 with 吨"),  # not over a count
            ("5.38件", "100件", "f/r: ratio_of combines 元 with 件")):  # not in the numerator's unit
        found, _ = judged({"n": {"value": "528亿元"}, "d": {"value": denominator},
                           "r": {"value": ratio, "ratio_of": ["n", "d"]}})
        assert [f["message"] for f in found] == [
            message + ", which cannot be compared; fix the relation or a unit in the fact base"]


def test_classifiers_of_the_base_own_units_are_accepted_too() -> None:
    # A base that defines 幅 (pictures) in facts/units.txt; its metric counts in 幅 and accepts 件.
    registry = Units("幅 = [fu] = pictures = picture\n")

    def base(other: str, accepts: tuple[str, ...]) -> FactBase:
        made = mem_base({"a": {"value": "4件", "metric": "m"}, "b": {"value": "4件", "same_as": "a"}},
                        {"m": ("幅", accepts)})
        made.units = registry
        made.facts["f/a"].value = parse_value("4幅", None, registry)
        made.facts["f/b"].value = parse_value(other, None, registry)
        return made

    assert judged_base(base("4件", ("件",)))[0] == []
    assert [(f["code"], f["message"]) for f in judged_base(base("5件", ("件",)))[0]] == [
        ("R113", "f/b = 5件 and f/a = 4幅 should be the same figure, but they differ by at least 1件")]
    assert [f["message"] for f in judged_base(base("4件", ()))[0]] == [
        "f/b (4件) and f/a (4幅) are declared same_as but count in different classifiers (件, 幅); if they count the "
        "same things, add 件 to `accepts:` of metric m"]


# --- the cases the mutation run found untested (issue 26) ---------------------------------------------


def test_balance_openings_in_other_units_and_the_order_of_rates() -> None:
    # An opening in 亿元 cannot balance a stock in 吨: a unit problem named in the stock's terms first.
    found, _ = judged(flows("2.000吨", "1.000吨", "500公斤", opening="1.5亿元"))
    assert [(f["code"], f["message"]) for f in found] == [(
        "R114", "f/close: balance_of combines 吨 with 元, which cannot be compared; fix the relation or a unit in the "
                "fact base")]
    # The previous figure a rate names, the inflow and the outflow are converted: 1500公斤 + 1000公斤 − 500公斤 = 2吨.
    found, notes = judged(flows("2.000吨", "1000公斤", "500公斤", prev={"value": "1500公斤"},
                                g={"value": "33.3%", "growth_of": "close", "previous": "prev"}))
    assert found == [] and [(n["relation"], n["verdict"]) for n in notes] == [("balance_of", "ok"), ("growth_of", "ok")]
    # A first rate that balances (−21.05 %: 375 ÷ 0.7895 = 475, + 300 − 400 = 375) does not stop the second from
    # being judged (−31.69 %: 549, which does not).
    found, notes = judged(flows("375件", "300件", "400件", g0={"value": "-21.05%", "growth_of": "close"},
                                g={"value": "-31.69%", "growth_of": "close"}))
    assert [(f["code"], f["facts"][1]) for f in found] == [("R121", "f/g")]
    assert [(n["verdict"], n["opening"]) for n in notes if n["relation"] == "balance_of"] == [
        ("ok", "implied by f/g0"), (WARNING, "implied by f/g")]
    # A range is shown to the closing stock's own decimals: 37500.5 ÷ 0.6831 is 54893.4–54901.6.
    found, _ = judged(flows("37500.5件", "100件", "200件", g={"value": "-31.69%", "growth_of": "close"}))
    assert [f["message"] for f in found] == [
        "f/close: a change of -31.69% to 37500.5件 means 54893.4–54901.6件 at the start; 54893.4–54901.6件 + 100件 − "
        "200件 = 54793.4–54801.6件, not the printed 37500.5件 (17292.9件 apart); an opening of 37600.4–37600.6件 would "
        "balance, a change of -0.2662 to -0.2657%"]


def test_growth_rates_at_the_edges_of_grim() -> None:
    # 1 after +0.1 % (0.05–0.15 %) would be 0.9985–0.9995 before: no whole number; read loosely (0–0.2 %), 1 fits.
    found, _ = judged({"cur": {"value": "1件"}, "g": {"value": "0.1%", "growth_of": "cur"}})
    assert [(f["severity"], f["message"], f["details"]) for f in found] == [(
        WARNING, "f/g: no whole number in the previous period gives 0.1% growth to 1件: 1件 would give 0.0%; only a "
                 "looser reading of 0.1% fits, with 1件", {"implied_previous": "1"})]
    # 约−96.5 % read loosely reaches −100 %: any previous count fits that reading, none the strict one (28.17–28.99).
    found, _ = judged({"cur": {"value": "1件"}, "g": {"value": "约-96.5%", "growth_of": "cur"}})
    assert [(f["severity"], f["message"], f["expected"]) for f in found] == [(
        WARNING, "f/g: no whole number in the previous period gives 约-96.5% growth to 1件: 28件 would give -96.4%, 29件 "
                 "would give -96.6%; only a looser reading fits", "[28.17, 28.99)")]
    # The implied previous interval at two decimals: 1234 ÷ 1.00065–1.00075 is 1233.075–1233.198.
    found, _ = judged({"cur": {"value": "1234件"}, "g": {"value": "0.07%", "growth_of": "cur"}})
    assert [(f["message"], f["expected"]) for f in found] == [(
        "f/g: no whole number in the previous period gives 0.07% growth to 1234件: 1233件 would give 0.08%, 1234件 "
        "would give 0.00%", "(1233.08, 1233.2]")]
    for current, rate in (("1.2万件", "15%"), ("12件", "-100%")):  # not an exact count; any previous count fits
        found, notes = judged({"cur": {"value": current}, "g": {"value": rate, "growth_of": "cur"}})
        assert found == [] and notes == [{"fact": "f/g", "relation": "growth_of", "verdict": "ok", "reported": rate,
                                          "reported_interval": notes[0]["reported_interval"], "testable": False}]
    # −150.5 % of 10 is about −5: no whole number of things, and none either side to name.
    found, _ = judged({"cur": {"value": "3件"}, "prev": {"value": "10件"},
                       "g": {"value": "-150.5%", "growth_of": "cur", "previous": "prev"}})
    assert [f["message"] for f in found] == [
        "10件 → 3件 is a change of -70.00%, but -150.5% is printed; -150.5% from 10件 would be -5.1 to -5.0件, not a "
        "whole number"]


def test_a_change_in_points_converts_its_figures_to_percent() -> None:
    # 1.2倍 is 120 %: 120 % − 100 % = 20 points, and 100 % − 1.0倍 = 0.
    assert codes({"cur": {"value": "1.2倍"}, "prev": {"value": "100%"},
                  "g": {"value": "20个百分点", "growth_of": "cur", "previous": "prev"}}) == []
    assert codes({"cur": {"value": "120%"}, "prev": {"value": "1.0倍"},
                  "g": {"value": "20个百分点", "growth_of": "cur", "previous": "prev"}}) == []
    # 2.0–2.2 points, printed 2.3 (2.25–2.35; loosely 2.2–2.4): a warning.
    found, _ = judged({"cur": {"value": "35.2%"}, "prev": {"value": "33.1%"},
                       "g": {"value": "2.3个百分点", "growth_of": "cur", "previous": "prev"}})
    assert [(f["code"], f["severity"], f["message"]) for f in found] == [(
        "R105", WARNING, "35.2% − 33.1% is 2.00–2.20 percentage points, but 2.3个百分点 is printed")]


def test_per_10k_unit_problems_warnings_and_agreement_from_a_closed_end() -> None:
    # A per-10k figure in 亿元 of a stock in 件: a unit problem for that figure; the other is still judged.
    found, notes = judged(per_10k(("21579件", "63.2亿元"), ("3325件", "11.0件")))
    assert found == [{"code": "R114", "severity": ERROR,
                      "message": "f/d1: per_10k_of combines 元 with 件, which cannot be compared; fix the relation or a "
                                 "unit in the fact base",
                      "reported": "63.2亿元", "expected": None, "facts": ["f/d1", "f/s1"], "details": {}}]
    assert [(n["fact"], n["relation"]) for n in notes] == [("f/d2", "population")]
    # 21579 ÷ 341万 (340.5–341.5万) is 63.19–63.37; 63.5 is off, but not by more than a loose reading.
    found, _ = judged({"stock": {"value": "21579件"}, "pop": {"value": "341万人", "metric": "population"},
                       "d": {"value": "63.5件", "per_10k_of": "stock"}})
    assert [(f["code"], f["severity"], f["message"]) for f in found] == [(
        "R111", WARNING, "21579件 ÷ 341万人 = 63.19–63.37 per 10,000 residents, but 63.5件 is printed; 63.5件 would mean "
                         "a population of 339.6–340.1万")]
    # 1.5万 ÷ 100 is 145 up to 155万, 145 included: from that end it meets 173.5 ÷ 1.20 (143.9–145.2万) and 174.7 ÷
    # 1.20 (144.9–146.2万), though neither's middle meets the others. 3000 ÷ 10 = 300万 is the odd one out.
    found, _ = judged(per_10k(("1.5万件", "100件"), ("173.5件", "1.20件"), ("174.7件", "1.20件"), ("3000件", "10件")))
    assert [f["message"] for f in found] == [
        "the per-10,000 figures of R 2024 imply different populations; 3 of 4 agree on 145.0–145.2万, but f/d4 (3000件 "
        "÷ 10件) → 300.0万"]


def test_the_backlog_in_other_units_and_from_other_balances() -> None:
    # 2100公斤 concluded of 2000公斤 received: 99–101 more; 0.10吨 (95–105公斤) pending explains it, named or as a
    # balance's opening.
    found, notes = judged({"intake": {"value": "2000公斤"}, "p": {"value": "0.10吨"},
                           "done": {"value": "2100公斤", "outcome_of": "intake", "pending_before": "p"}})
    assert found == [] and notes[0]["pending"] == "[95, 105)"
    found, notes = judged({"intake": {"value": "2000公斤"}, "done": {"value": "2100公斤", "outcome_of": "intake"},
                           "close": {"value": "0.05吨", "balance_of": {"opening": "open", "inflow": "intake",
                                                                      "outflow": "done"}},
                           "open": {"value": "0.10吨"}})
    assert [f["code"] for f in found] == ["R120"]
    assert [n["pending"] for n in notes if n["relation"] == "outcome_of"] == ["[95, 105)"]
    # The first balance has the intake as an outflow; the second, as an inflow, gives 11 pending.
    found, notes = judged({"intake": {"value": "196件"}, "done": {"value": "207件", "outcome_of": "intake"},
                           "c1": {"value": "80件", "balance_of": {"opening": "o1", "inflow": "x", "outflow": "intake"}},
                           "o1": {"value": "300件"}, "x": {"value": "1件"},
                           "c2": {"value": "0件", "balance_of": {"opening": "o2", "inflow": "intake", "outflow": "done"}},
                           "o2": {"value": "11件"}})
    assert [f["code"] for f in found] == ["R120"]
    assert [n["pending"] for n in notes if n["relation"] == "outcome_of"] == ["[11, 11]"]
    # Two growth rates give 10 or 12.35–12.66 pending: not the 22 extra, even read loosely.
    found, _ = judged({"intake": {"value": "196件"}, "done": {"value": "218件", "outcome_of": "intake"},
                       "close": {"value": "5件", "balance_of": {"inflow": "intake", "outflow": "done"}},
                       "g1": {"value": "-50%", "growth_of": "close"}, "g2": {"value": "-60%", "growth_of": "close"}})
    assert [(f["severity"], f["message"], f["facts"]) for f in found if f["code"] == "R119"] == [(
        ERROR, "f/done: 218件 is 22件 more than the intake f/intake (196件), but at most 13件 were pending at the start: "
               "9件 more than the backlog can explain", ["f/done", "f/intake", "f/close", "f/g1", "f/g2"])]
    # An outcome within the intake before linked ones beyond it: both judged.
    found, notes = judged({"intake": {"value": "100件"}, "c": {"value": "99件", "outcome_of": "intake"},
                           "a": {"value": "60件", "outcome_of": "intake"},
                           "b": {"value": "50件", "outcome_of": "intake", "exclusive_with": "a"}})
    assert [(f["code"], f["facts"]) for f in found] == [("R118", ["f/a", "f/b", "f/intake"])]
    assert [(n["fact"], n["verdict"]) for n in notes] == [("f/c", "ok"), ("f/a", WARNING)]


def test_numbers_too_large_or_too_small_for_a_plain_context() -> None:
    d = Decimal
    assert rounded(d("12345678901234567890123456789.5"), 0) == "12345678901234567890123456790"  # 29 digits
    assert rounded(d("123456789012345678901234567.891"), 2) == "123456789012345678901234567.89"
    assert rounded(d("0.0000001"), 7) == "0.0000001"  # never 1E-7


def test_notes_name_their_relation_and_excesses_keep_their_decimals() -> None:
    _, notes = judged({"a": {"value": "24327件"}, "b": {"value": "474件"}, "w": {"value": "24801件",
                                                                             "breakdowns": [["a", "b"]]}})
    assert notes == [{"fact": "f/w", "relation": "breakdowns", "verdict": "ok", "reported": "24801件",
                      "reported_interval": "[24801, 24801]", "recomputed": "[24801, 24801]",
                      "recomputed_lenient": "[24801, 24801]", "breakdown": 1}]
    # 1.3456 (4 decimals) over 1.2: the excess at the subset's own precision.
    found, _ = judged({"w": {"value": "1.2"}, "s": {"value": "1.3456", "subset_of": "w"}})
    assert [(f["message"], f["details"]) for f in found] == [(
        "f/s (1.3456) is a subset of f/w (1.2) but larger, by at least 0.0956; as printed, the subset can be at most 1.2",
        {"excess": "(0.09555, 0.1956)", "gross": True})]


def test_a_classifier_for_a_metric_the_base_does_not_declare() -> None:
    # The declaring fact's metric q is not declared: the advice names the other fact's classifier.
    found, _ = judged({"a": {"value": "4件"}, "b": {"value": "4项", "metric": "q", "same_as": "a"}})
    assert [f["message"] for f in found] == [
        "f/b (4项) and f/a (4件) are declared same_as but count in different classifiers (项, 件); if they count the "
        "same things, add 件 to `accepts:` of metric q"]


def test_a_mean_of_a_total_with_one_open_side_names_the_counts_that_fit() -> None:
    # Fewer than 100 in all at 50.0 each: one or two items (it said no whole number did).
    found, _ = judged({"t": {"value": "不到100件"}, "c": {"value": "3人"}, "m": {"value": "50.0件", "mean_of": ["t", "c"]}})
    assert [(f["message"], f["details"]) for f in found] == [(
        "不到100件 ÷ 3人 = ≤ 33.333件 each, but 50.0件 is printed; 1, 2 items would give the printed 50.0件 (the printed "
        "total needs ≤ 2.002)", {"count_needed": "(-∞, 2.002]"})]
    # 100 or more in all at 20.0 each: 5 items or more.
    found, _ = judged({"t": {"value": "超过100件"}, "c": {"value": "3人"}, "m": {"value": "20.0件", "mean_of": ["t", "c"]}})
    assert [f["message"] for f in found] == [
        "超过100件 ÷ 3人 = ≥ 33.333件 each, but 20.0件 is printed; 5 or more items would give the printed 20.0件 (the "
        "printed total needs > 4.988)"]
    # Exactly 20 each from 100 or more: 5 items or more, 5 included; 0.15 up to 0.25 (excluded) each from 25 or more:
    # more than 100 items.
    for total, mean, counts in (("超过100件", "20件", "5 or more"), ("超过25件", "0.2件", "101 or more")):
        found, _ = judged({"t": {"value": total}, "c": {"value": "3人"}, "m": {"value": mean, "mean_of": ["t", "c"]}})
        assert [f["message"].split("; ")[1].split(" items")[0] for f in found] == [counts]


def test_a_previous_figure_in_a_multiple_of_the_current_unit() -> None:
    # A base that defines 打 = 12件: 2.00打 (23.94–24.06件) → 30件 is +24.7–25.3 %; 20 % more is 28.6–29.0件, and the
    # counts either side are judged against 24件 (28: +17 %, 29: +21 %).
    registry = Units("打 = 12 * 件 = dozen\n")
    base = mem_base({"cur": {"value": "30件"}, "prev": {"value": "2件"},
                     "g": {"value": "20%", "growth_of": "cur", "previous": "prev"}})
    base.units = registry
    for key, text in (("f/cur", "30件"), ("f/prev", "2.00打"), ("f/g", "20%")):
        base.facts[key].value = parse_value(text, None, registry)
    found, _ = judged_base(base)
    assert [f["message"] for f in found] == [
        "2.00打 → 30件 is a change of 24.7–25.3%, but 20% is printed; 20% from 2.00打 would be 28.6–29.0件, not a whole "
        "number (28件 would be 17%, 29件 would be 21%)"]
