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
from ipfacts.check.relations.base import Context
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.model import FactBase, Source
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


def judged(facts: Facts, metrics: tuple[str, ...] = ()) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return judged_base(mem_base(facts, metrics))


def codes(facts: Facts) -> list[tuple[str, str]]:
    return [(f["code"], f["severity"]) for f in judged(facts)[0]]


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
