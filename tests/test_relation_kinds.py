"""The relation kinds of issue #14 — subset_of, breakdowns, outcome_of (+ pending_before,
exclusive_with), balance_of, mean_of and same_as across accepted classifiers — on hand-made bases
and on the seeds' own figures: consistent numbers pass, one step past the rounding interval fails,
the backlog case warns with the right figures."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.loader import LoadFailed, load
from ipfacts.review.checked import check_root

from conftest import MakeBase
from memory import relation_findings


def codes(found: list[Finding]) -> list[tuple[str, str]]:
    return sorted((f.code, f.severity) for f in found)


def only(found: list[Finding], code: str) -> Finding:
    assert [f.code for f in found] == [code], [(f.code, f.message) for f in found]
    return found[0]


# --- subset_of ---------------------------------------------------------------------------------------


def huzhou_grants(relation: str) -> dict[str, dict[str, Any]]:
    """湖州 2024: 授权专利16966件, 其中企业15829件; 授权发明专利3325件 — both subsets of all grants."""
    return {
        "grants": {"value": "16966件"},
        "grants_enterprise": {"value": "15829件", relation: "grants"},
        "invention_grants": {"value": "3325件", relation: "grants"},
    }


def test_overlapping_subsets_are_not_summed() -> None:
    assert codes(relation_findings(huzhou_grants("part_of"))) == [("R110", ERROR)]  # why part_of cannot say it
    assert relation_findings(huzhou_grants("subset_of")) == []


def test_subset_one_past_the_whole_is_an_error() -> None:
    assert relation_findings({"w": {"value": "3325件"}, "s": {"value": "3325件", "subset_of": "w"}}) == []
    finding = only(relation_findings({"w": {"value": "3325件"}, "s": {"value": "3326件", "subset_of": "w"}}), "R116")
    assert finding.severity == ERROR
    assert "by at least 1件" in finding.message
    assert [f.id for f in finding.facts] == ["f/s", "f/w"]


def test_subset_of_a_rounded_whole_uses_its_interval() -> None:
    # 1.2万件 stands for 11500–12500 (exclusive): 1.25万件 (from 12450) can fit, 1.26万件 (from 12550) cannot.
    assert relation_findings({"w": {"value": "1.2万件"}, "s": {"value": "1.25万件", "subset_of": "w"}}) == []
    found = relation_findings({"w": {"value": "1.2万件"}, "s": {"value": "1.26万件", "subset_of": "w"}})
    assert [f.code for f in found] == ["R116"]


def test_subset_of_a_list_of_wholes() -> None:
    found = relation_findings({"a": {"value": "10件"}, "b": {"value": "5件"}, "s": {"value": "8件", "subset_of": ["a", "b"]}})
    assert [(f.code, f.facts[1].id) for f in found] == [("R116", "f/b")]


@settings(max_examples=60, deadline=None)
@given(whole=st.integers(0, 10**7), k=st.integers(0, 10**5))
def test_subset_property(whole: int, k: int) -> None:
    fine = relation_findings({"w": {"value": f"{whole}件"}, "s": {"value": f"{max(whole - k, 0)}件", "subset_of": "w"}})
    assert fine == []
    wrong = relation_findings({"w": {"value": f"{whole}件"}, "s": {"value": f"{whole + k + 1}件", "subset_of": "w"}})
    assert [f.code for f in wrong] == ["R116"]  # a warning when a coarser reading of trailing zeros (90件) fits


# --- breakdowns --------------------------------------------------------------------------------------


def zhejiang_courts(whole: str, extra: list[list[str]] | None = None) -> dict[str, dict[str, Any]]:
    """浙江 2020: 新收知识产权一审案件24833件 — 民事24327件, 刑事474件, 行政32件."""
    facts: dict[str, dict[str, Any]] = {
        "civil": {"value": "24327件"}, "criminal": {"value": "474件"}, "admin": {"value": "32件"},
        "local": {"value": "20000件"}, "foreign": {"value": "4833件"},
    }
    facts["cases"] = {"value": whole, "breakdowns": [["civil", "criminal", "admin"], *(extra or [])]}
    return facts


def test_breakdown_from_the_zhejiang_seed_adds_up() -> None:
    assert relation_findings(zhejiang_courts("24833件")) == []
    assert relation_findings(zhejiang_courts("24833件", [["local", "foreign"]])) == []


def test_breakdown_one_off_is_an_error_that_says_by_how_much() -> None:
    finding = only(relation_findings(zhejiang_courts("24834件")), "R117")
    assert finding.severity == ERROR
    assert finding.message == ("f/cases: the breakdown (24327件 + 474件 + 32件) adds up to 24833件, 1件 short of the "
                               "printed whole 24834件")
    assert finding.expected == "[24833, 24833]件"


def test_each_breakdown_is_judged_alone() -> None:
    facts = zhejiang_courts("24833件", [["local", "foreign"]])
    facts["foreign"]["value"] = "4832件"
    finding = only(relation_findings(facts), "R117")
    assert "breakdown 2 of 2 (20000件 + 4832件)" in finding.message
    assert finding.details["breakdown"] == 2


def test_breakdown_of_rounded_amounts() -> None:
    parts = {"a": {"value": "120.15亿元"}, "b": {"value": "120.14亿元"}}
    assert relation_findings({**parts, "w": {"value": "240.29亿元", "breakdowns": [["a", "b"]]}}) == []
    assert relation_findings({**parts, "w": {"value": "240.3亿元", "breakdowns": [["a", "b"]]}}) == []
    assert [f.code for f in relation_findings({**parts, "w": {"value": "240.31亿元", "breakdowns": [["a", "b"]]}})] \
        == ["R117"]


@settings(max_examples=60, deadline=None)
@given(first=st.lists(st.integers(0, 10**6), min_size=2, max_size=5), second=st.lists(st.integers(0, 10**6), min_size=1,
                                                                                      max_size=4))
def test_breakdowns_property(first: list[int], second: list[int]) -> None:
    total = sum(first)
    rest = total - sum(second)
    if rest < 0:
        second, rest = [total], 0
    facts: dict[str, dict[str, Any]] = {f"a{n}": {"value": f"{v}件"} for n, v in enumerate(first)}
    facts.update({f"b{n}": {"value": f"{v}件"} for n, v in enumerate([*second, rest])})
    groups = [[f"a{n}" for n in range(len(first))], [f"b{n}" for n in range(len(second) + 1)]]
    assert relation_findings({**facts, "w": {"value": f"{total}件", "breakdowns": groups}}) == []
    wrong = relation_findings({**facts, "w": {"value": f"{total + 1}件", "breakdowns": groups}})
    assert [f.code for f in wrong] == ["R117", "R117"]


# --- outcome_of --------------------------------------------------------------------------------------


def ningbo_admin(pending: str | None = None) -> dict[str, dict[str, Any]]:
    """宁波 2024: 受理线下专利纠纷行政裁决案件196件，办结207件."""
    facts: dict[str, dict[str, Any]] = {
        "accepted": {"value": "196件"},
        "concluded": {"value": "207件", "outcome_of": "accepted"},
    }
    if pending is not None:
        facts["pending"] = {"value": pending}
        facts["concluded"]["pending_before"] = "pending"
    return facts


def test_more_concluded_than_accepted_warns_with_the_excess() -> None:
    finding = only(relation_findings(ningbo_admin()), "R118")
    assert finding.severity == WARNING
    assert finding.message == ("f/concluded: 207件 is 11件 more than the intake f/accepted (196件); that holds only if "
                               "at least 11件 were pending at the start, which the base does not state")
    assert finding.details["excess"] == "[11, 11]"


def test_an_outcome_within_the_intake_passes() -> None:
    facts = ningbo_admin()
    facts["concluded"]["value"] = "196件"
    assert relation_findings(facts) == []


def test_the_backlog_explains_the_excess_or_not() -> None:
    assert relation_findings(ningbo_admin("11件")) == []
    finding = only(relation_findings(ningbo_admin("9件")), "R119")
    assert finding.severity == ERROR
    assert finding.message == ("f/concluded: 207件 is 11件 more than the intake f/accepted (196件), but at most 9件 "
                               "were pending at the start: 2件 more than the backlog can explain")
    assert finding.details["pending"] == "[9, 9]"
    assert {f.id for f in finding.facts} == {"f/concluded", "f/accepted", "f/pending"}


def test_exclusive_outcomes_are_summed() -> None:
    facts: dict[str, dict[str, Any]] = {
        "intake": {"value": "100件"},
        "judgment": {"value": "60件", "outcome_of": "intake"},
        "mediated": {"value": "30件", "outcome_of": "intake", "exclusive_with": "judgment"},
        "withdrawn": {"value": "20件", "outcome_of": "intake", "exclusive_with": ["mediated"]},
    }
    finding = only(relation_findings(facts), "R118")
    assert "60件 + 30件 + 20件 is 10件 more than the intake" in finding.message
    del facts["withdrawn"]["exclusive_with"]
    assert relation_findings(facts) == []  # judged alone, each outcome is within the intake


@settings(max_examples=60, deadline=None)
@given(intake=st.integers(0, 10**6), pending=st.integers(0, 10**5), below=st.integers(0, 10**5))
def test_outcome_property(intake: int, pending: int, below: int) -> None:
    def found(outcome: int, with_pending: bool) -> list[str]:
        facts: dict[str, dict[str, Any]] = {"i": {"value": f"{intake}件"}, "o": {"value": f"{outcome}件", "outcome_of": "i"}}
        if with_pending:
            facts["p"] = {"value": f"{pending}件"}
            facts["o"]["pending_before"] = "p"
        return [f.code for f in relation_findings(facts)]

    assert found(max(intake - below, 0), False) == []
    assert found(intake + pending, True) == []
    assert found(intake + pending + 1, True) == ["R119"]
    assert found(intake + below + 1, False) == ["R118"]


def ningbo_tribunal(pending: str = "375件", growth: str = "-31.69%", opening: str | None = None) -> dict[str, dict[str, Any]]:
    """宁波知识产权法庭 2024: 收案1356件, 结案1533件, 未结案375件，同比下降31.69%."""
    facts: dict[str, dict[str, Any]] = {
        "received": {"value": "1356件"},
        "concluded": {"value": "1533件", "outcome_of": "received"},
        "pending": {"value": pending, "balance_of": {"inflow": "received", "outflow": "concluded"}},
        "pending_growth": {"value": growth, "growth_of": "pending"},
    }
    if opening is not None:
        facts["opening"] = {"value": opening}
        facts["pending"]["balance_of"]["opening"] = "opening"
    return facts


def test_the_tribunal_balance_implied_from_growth_does_not_close() -> None:
    # 375 ÷ (1 − 31.69%) → 549 at the start; 549 + 1356 − 1533 = 372, not 375.
    finding = only(relation_findings(ningbo_tribunal()), "R121")
    assert finding.severity == ERROR
    assert finding.message == (
        "f/pending: a change of -31.69% to 375件 means 549件 at the start; 549件 + 1356件 − 1533件 = 372件, "
        "not the printed 375件 (3件 apart); an opening of 552件 would balance, a change of -32.07%")
    assert finding.details["opening_used"] == "[549, 549]"
    # The 177 more concluded than received are within the 549 pending: no outcome finding.


def test_the_tribunal_balance_with_a_consistent_growth_passes() -> None:
    assert relation_findings(ningbo_tribunal(growth="-32.07%")) == []


def test_the_backlog_from_the_balance_bounds_the_outcomes() -> None:
    facts = ningbo_tribunal(pending="50件", growth="-50%")  # 50 ÷ (1 − 50%) → 100 or 101 at the start
    found = relation_findings(facts)
    assert codes(found) == [("R119", ERROR), ("R121", ERROR)]
    outcome = next(f for f in found if f.code == "R119")
    assert outcome.message == ("f/concluded: 1533件 is 177件 more than the intake f/received (1356件), but at most "
                               "101件 were pending at the start: 76件 more than the backlog can explain")
    assert {f.id for f in outcome.facts} >= {"f/pending", "f/pending_growth"}


# --- balance_of --------------------------------------------------------------------------------------


def test_a_stated_opening_balances_or_is_off_by_so_much() -> None:
    assert relation_findings(ningbo_tribunal(opening="552件", growth="-32.07%")) == []
    finding = only(relation_findings(ningbo_tribunal(opening="553件", growth="-32.07%")), "R120")
    assert finding.message == ("f/pending: 553件 + 1356件 − 1533件 = 376件 at the end, but 375件 is printed (1件 apart); "
                               "an opening of 552件 would balance")


def test_without_an_opening_the_balance_needs_a_non_negative_one() -> None:
    base = {"in": {"value": "50件"}, "out": {"value": "10件"}}
    assert relation_findings({**base, "end": {"value": "40件", "balance_of": {"inflow": "in", "outflow": "out"}}}) == []
    finding = only(relation_findings({**base, "end": {"value": "39件", "balance_of": {"inflow": "in", "outflow": "out"}}}),
                   "R120")
    assert "negative stock at the start (-1件)" in finding.message


def test_the_prior_period_figure_is_the_opening() -> None:
    facts: dict[str, dict[str, Any]] = {
        "last": {"value": "103件", "metric": "pending", "period": "2023"},
        "in": {"value": "51件"}, "out": {"value": "31件"},
        "end": {"value": "123件", "metric": "pending", "balance_of": {"inflow": "in", "outflow": ["out"]}},
    }
    assert relation_findings(facts, ("pending",)) == []
    facts["end"]["value"] = "124件"
    assert codes(relation_findings(facts, ("pending",))) == [("R120", ERROR)]


@settings(max_examples=60, deadline=None)
@given(opening=st.integers(0, 10**6), inflow=st.lists(st.integers(0, 10**5), min_size=1, max_size=3),
       outflow=st.integers(0, 10**5))
def test_balance_property(opening: int, inflow: list[int], outflow: int) -> None:
    outflow = min(outflow, opening + sum(inflow))
    closing = opening + sum(inflow) - outflow
    facts: dict[str, dict[str, Any]] = {f"i{n}": {"value": f"{v}件"} for n, v in enumerate(inflow)}
    facts.update({"o": {"value": f"{opening}件"}, "x": {"value": f"{outflow}件"}})
    shape = {"opening": "o", "inflow": [f"i{n}" for n in range(len(inflow))], "outflow": "x"}
    assert relation_findings({**facts, "c": {"value": f"{closing}件", "balance_of": shape}}) == []
    assert [f.code for f in relation_findings({**facts, "c": {"value": f"{closing + 1}件", "balance_of": shape}})] == ["R120"]


def percent(x: Decimal, places: int = 2) -> str:
    return str(x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)) + "%"


@settings(max_examples=60, deadline=None)
@given(opening=st.integers(50, 10**5), inflow=st.integers(0, 10**5), outflow=st.integers(0, 10**5))
def test_balance_with_growth_implied_opening_property(opening: int, inflow: int, outflow: int) -> None:
    outflow = min(outflow, opening + inflow - 1)
    closing = opening + inflow - outflow
    rate = percent((Decimal(closing) / Decimal(opening) - 1) * 100)
    facts: dict[str, dict[str, Any]] = {
        "in": {"value": f"{inflow}件"}, "out": {"value": f"{outflow}件"},
        "c": {"value": f"{closing}件", "balance_of": {"inflow": "in", "outflow": "out"}},
        "g": {"value": rate, "growth_of": "c"},
    }
    assert [f for f in relation_findings(facts) if f.severity == ERROR] == []


# --- mean_of -----------------------------------------------------------------------------------------


def shaoxing(mean: str, total: str = "248亿元", count: str = "879件") -> dict[str, dict[str, Any]]:
    """绍兴 2023: 专利密集型产品备案数879件; 销售额达248亿元; 单个专利密集型产品的销售额5.28亿元."""
    return {"count": {"value": count}, "sales": {"value": total}, "each": {"value": mean, "mean_of": ["sales", "count"]}}


def test_mean_of_on_the_shaoxing_seed_does_not_divide() -> None:
    finding = only(relation_findings(shaoxing("5.28亿元")), "R122")
    assert finding.severity == ERROR
    assert finding.message == ("248亿元 ÷ 879件 = 0.2816–0.2827亿元 each, but 5.28亿元 is printed; 47 items would give "
                               "the printed 5.28亿元 (the printed total needs 46.83–47.11)")
    assert relation_findings(shaoxing("5.28亿元", count="47件")) == []
    assert relation_findings(shaoxing("0.28亿元")) == []


def test_mean_of_one_step_past_fails() -> None:
    # 24813万元 ÷ 47件 = 527.936…万元: 527.9 fits; 528.0 only under a lenient reading; 528.1 not at all.
    assert relation_findings(shaoxing("527.9万元", total="24813万元", count="47件")) == []
    assert codes(relation_findings(shaoxing("528.0万元", total="24813万元", count="47件"))) == [("R122", WARNING)]
    assert codes(relation_findings(shaoxing("528.1万元", total="24813万元", count="47件"))) == [("R122", ERROR)]


def test_mean_of_converts_the_total_unit() -> None:
    assert relation_findings(shaoxing("2821万元")) == []


def test_mean_of_needs_a_count_and_a_matching_unit() -> None:
    assert [f.code for f in relation_findings(shaoxing("5.28件"))] == ["R114"]
    assert [f.code for f in relation_findings(shaoxing("5.28亿元", count="879亿元"))] == ["R114"]


def test_ratio_of_with_a_compound_unit_is_a_per_item_figure() -> None:
    facts = shaoxing("5.28亿元")
    facts["each"] = {"value": "5.28亿元", "ratio_of": ["sales", "count"]}
    assert [f.code for f in relation_findings(facts)] == ["R122"]
    facts["each"]["value"] = "0.28亿元"
    assert relation_findings(facts) == []
    facts["each"]["value"] = "28%"  # a percentage of money over a count means nothing: a fact-base error
    assert [f.code for f in relation_findings(facts)] == ["R114"]


@settings(max_examples=80, deadline=None)
@given(cents=st.integers(1, 10**11), count=st.integers(1, 10**5))
def test_mean_property(cents: int, count: int) -> None:
    total = Decimal(cents) / 100
    printed = (total / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert relation_findings(shaoxing(f"{printed}元", f"{total:.2f}元", f"{count}件")) == []
    wrong = relation_findings(shaoxing(f"{printed + Decimal('0.03')}元", f"{total:.2f}元", f"{count}件"))
    assert [f.code for f in wrong] == ["R122"]


# --- same_as across classifiers ----------------------------------------------------------------------


AWARDS = {"patent.china_award": ("项", ("件",))}


def huzhou_awards(patents: str, metrics: dict[str, tuple[str, tuple[str, ...]]]) -> list[Finding]:
    """湖州 2024: 中国专利奖优秀奖4项 (line 10) and 4件专利获第二十五届中国专利奖 (line 54)."""
    return relation_findings({
        "awards": {"value": "4项", "metric": "patent.china_award"},
        "patents": {"value": patents, "same_as": "awards"},
    }, metrics)


def test_same_as_across_accepted_classifiers() -> None:
    assert huzhou_awards("4件", AWARDS) == []
    finding = only(huzhou_awards("5件", AWARDS), "R113")
    assert finding.severity == ERROR


def test_same_as_across_classifiers_no_metric_accepts() -> None:
    finding = only(huzhou_awards("4件", {"patent.china_award": ("项", ())}), "R123")
    assert "add 件 to `accepts:` of metric patent.china_award" in finding.message


def test_same_as_still_refuses_money_against_a_count() -> None:
    found = relation_findings({"a": {"value": "4亿元"}, "b": {"value": "4件", "same_as": "a"}})
    assert [f.code for f in found] == ["R114"]


# --- the fact-file shapes, through the loader --------------------------------------------------------


NINGBO = """\
source: ningbo-2024
facts:
  received:
    value: 1356件
    line: 101
    quote: 宁波知识产权法庭共收案 1356 件
  concluded:
    value: 1533件
    line: 103
    quote: 结案 1533 件
    outcome_of: received
  pending:
    value: 375件
    line: 103
    quote: 未结案 375 件
    balance_of: {inflow: received, outflow: [concluded]}
  pending_growth:
    value: -31.69%
    line: 103-104
    quote: 同比下 降 31.69%
    growth_of: pending
  admin_accepted:
    value: 196件
    line: 117
    quote: 共受理线下专利纠纷行政裁决案件 196 件
  admin_concluded:
    value: 207件
    line: 117-119
    quote: 办结 207 件
    outcome_of: admin_accepted
  courts:
    value: 4013件
    line: 97
    quote: 全市两级法院共受理知识产权案件 4013 件
    breakdowns: [[civil, criminal, administrative]]
  civil:
    value: 3856件
    line: 99
    quote: 民事案件 3856 件
  criminal:
    value: 122件
    line: 99
    quote: 刑事案件 122 件
  administrative:
    value: 26件
    line: 99-100
    quote: 行政案件 26 件
  tribunal_administrative:
    value: 29件
    line: 102
    quote: 行政 29 件
    subset_of: administrative
"""


def test_the_ningbo_seed_through_the_loader(make_base: MakeBase) -> None:
    _, report = check_root(make_base({"n.yaml": NINGBO}, sources=["ningbo-2024"]))
    assert [f.code for f in report.findings if not f.code.startswith("R")] == []
    found = {(f.code, f.severity, f.facts[0].id) for f in report.findings}
    assert found == {
        ("R121", ERROR, "n/pending"),  # 549 + 1356 − 1533 = 372 ≠ 375
        ("R118", WARNING, "n/admin_concluded"),  # 207 concluded of 196 accepted, no backlog stated
        ("R117", ERROR, "n/courts"),  # 3856 + 122 + 26 = 4004 ≠ 4013
        ("R116", ERROR, "n/tribunal_administrative"),  # the tribunal's 29 within the courts' 26
    }


def load_errors(make_base: MakeBase, relation_yaml: str) -> list[str]:
    text = NINGBO.replace("    outcome_of: received\n", relation_yaml)
    try:
        load(make_base({"n.yaml": text}, sources=["ningbo-2024"]))
    except LoadFailed as exc:
        return [f"{p.code} {p.message}" for p in exc.problems]
    return []


def test_shapes_are_refused_with_a_message(make_base: MakeBase) -> None:
    assert load_errors(make_base, "    breakdowns: [received, pending]\n")[0].startswith("L014 'breakdowns' takes a list of breakdowns")
    assert load_errors(make_base, "    breakdowns: received\n")[0].startswith("L004 'breakdowns' takes a list of breakdowns")
    assert load_errors(make_base, "    balance_of: [received, pending]\n")[0].startswith("L004 'balance_of' takes a mapping")
    assert load_errors(make_base, "    balance_of: {inflow: received, stock: pending}\n")[0] == \
        "L014 'balance_of' takes a mapping of opening, inflow, outflow to facts, not 'stock'"
    assert load_errors(make_base, "    balance_of: {inflow: received}\n") == ["L014 'balance_of' needs outflow"]
    assert load_errors(make_base, "    pending_before: pending\n") == ["L014 fact 'concluded': `pending_before` goes with outcome_of"]
    assert load_errors(make_base, "    balance_of: {inflow: received, outflow: nothing}\n")[0].startswith("L006")


def test_roles_survive_the_loader(make_base: MakeBase) -> None:
    base = load(make_base({"n.yaml": NINGBO}, sources=["ningbo-2024"]))
    assert base.facts["n/pending"].roles("balance_of") == {"inflow": ["n/received"], "outflow": ["n/concluded"]}
    assert base.facts["n/courts"].roles("breakdowns") == {"0": ["n/civil", "n/criminal", "n/administrative"]}


def test_the_json_schema_accepts_the_new_shapes_and_refuses_wrong_ones() -> None:
    import jsonschema
    import yaml

    from ipfacts.load.jsonschema import schema

    document = yaml.safe_load(NINGBO)
    jsonschema.validate(document, schema("fact-file"))
    document["facts"]["courts"]["breakdowns"] = ["civil", "criminal"]
    assert not jsonschema.Draft7Validator(schema("fact-file")).is_valid(document)


def test_every_relation_field_has_its_check_and_every_check_its_field() -> None:
    """The loader's table of relation fields (load/relationfields.py) and the checker's kinds name the same
    fields: a field without a check would be read and never judged, a check without a field never run."""
    from ipfacts.check.relations import KINDS
    from ipfacts.load.relationfields import FIELDS

    assert list(KINDS) == list(FIELDS)
    assert all(kind.spec is FIELDS[name] and (kind.check or kind.check_group) for name, kind in KINDS.items())
