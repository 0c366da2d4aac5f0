"""Every relation kind, on consistent and inconsistent cases taken from the seeds,
and properties: a value recomputed from exact inputs and rounded as a source
would round it is never flagged as an error."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ipfacts.findings import ERROR, Finding
from ipfacts.review.checked import check_root

from conftest import MakeBase
from memory import relation_findings


def relation_problems(root: Path) -> list[Finding]:
    _, report = check_root(root)
    return [f for f in report.findings if f.code.startswith("R")]


def codes(found: list[Finding]) -> list[tuple[str, str]]:
    return sorted((f.code, f.severity) for f in found)


HUZHOU_GRANTS = """\
source: huzhou-2024
facts:
  grants:
    value: 16966件
    line: 57-58
    quote: 全年授权专利16966件
  grants_enterprise:
    value: 15829件
    line: 58
    quote: 其中企业15829件
    part_of: grants
  grants_enterprise_share:
    value: 93.4%
    line: 58-59
    quote: 占比93.4%
    share_of: [grants_enterprise, grants]
  invention_grants:
    value: 3325件
    line: 59
    quote: 授权发明专利3325件
  invention_grants_enterprise:
    value: 2989件
    line: 59-60
    quote: 其中企业2989件
    part_of: invention_grants
  invention_grants_enterprise_share:
    value: 89.9%
    line: 60
    quote: 占比89.9%
    share_of: [invention_grants_enterprise, invention_grants]
"""


def test_share_of_on_the_huzhou_seed_finds_the_real_misprint(make_base: MakeBase) -> None:
    found = relation_problems(make_base({"h.yaml": HUZHOU_GRANTS}))
    assert codes(found) == [("R101", ERROR)]
    finding = found[0]
    assert finding.facts[0].id == "h/grants_enterprise_share"
    assert finding.message == ("15829件 of 16966件 is 93.30%, but 93.4% is printed; "
                               "93.4% of 16966件 would need 15838–15854件")
    assert [c.line for c in finding.citations] == [58, 58, 57]


def test_share_above_the_whole_is_gross(make_base: MakeBase) -> None:
    found = relation_findings({
        "whole": {"value": "3325件"}, "part": {"value": "3400件"},
        "share": {"value": "102.3%", "share_of": ["part", "whole"]},
    })
    assert {f.code for f in found} == {"R102"}
    assert found[0].details["gross"] is True


HUZHOU_PLEDGE = """\
source: huzhou-2024
facts:
  pledge:
    metric: pledge.amount
    value: 240.29亿元
    line: 127-128
    quote: 全年新增知识产权质押额240.29亿元
    sum_of: [pledge_patent, pledge_trademark]
  pledge_patent:
    value: 202.71亿元
    line: 129
    quote: 其中专利权质押额202.71亿元
  pledge_trademark:
    value: {trademark}
    line: 130
    quote: 标质押额37.58亿元
"""


def test_sum_of_real_pledge_breakdown_is_consistent(make_base: MakeBase) -> None:
    assert relation_problems(make_base({"h.yaml": HUZHOU_PLEDGE.format(trademark="37.58亿元")})) == []


def test_sum_of_with_a_wrong_part_is_an_error(make_base: MakeBase) -> None:
    found = relation_findings({
        "total": {"value": "240.29亿元", "sum_of": ["a", "b"]},
        "a": {"value": "202.71亿元"}, "b": {"value": "37.85亿元"},
    })
    assert codes(found) == [("R109", ERROR)]
    assert found[0].message == "202.71亿元 + 37.85亿元 = 240.55–240.57亿元, 0.26亿元 more than the printed total 240.29亿元"


def test_sum_of_across_units_converts(make_base: MakeBase) -> None:
    found = relation_findings({
        "total": {"value": "240.29亿元", "sum_of": ["a", "b"]},
        "a": {"value": "20,271 million yuan"}, "b": {"value": "3.758 billion yuan"},
    })
    assert found == []


ZHEJIANG_COURTS = """\
source: zhejiang-2020
facts:
  first_instance:
    value: 24833件
    line: 120
    quote: 全省法院共新收知识产权一审案件24833件
    sum_of: [civil, criminal, administrative]
  civil:
    value: 24327件
    line: 120
    quote: 其中民事一审案件24327件
  criminal:
    value: {criminal}
    line: 120
    quote: 刑事一审案件474件
  administrative:
    value: 32件
    line: 120
    quote: 行政一审案件32件
"""


def test_sum_of_real_court_cases(make_base: MakeBase) -> None:
    root = make_base({"z.yaml": ZHEJIANG_COURTS.format(criminal="474件")}, sources=["zhejiang-2020"])
    assert relation_problems(root) == []
    root = make_base({"z.yaml": ZHEJIANG_COURTS.format(criminal="477件")}, sources=["zhejiang-2020"])
    found = relation_problems(root)
    assert codes(found) == [("R109", ERROR)]
    assert found[0].details["gross"] is True


def test_part_of_parts_exceeding_the_whole() -> None:
    found = relation_findings({
        "whole": {"value": "21579件"},
        "a": {"value": "20134件", "part_of": "whole"},
        "b": {"value": "1500件", "part_of": "whole"},
    })
    assert codes(found) == [("R110", ERROR)]
    assert "20134件 + 1500件" in found[0].message


def test_part_of_within_rounding_is_a_warning_not_an_error() -> None:
    found = relation_findings({
        "whole": {"value": "2.1万件"},
        "a": {"value": "1.7万件", "part_of": "whole"},
        "b": {"value": "0.52万件", "part_of": "whole"},
    })
    assert codes(found) == [("R110", "warning")]


def test_percent_of_reports_the_implied_part() -> None:
    from ipfacts.check import relations
    from ipfacts.check.relations.base import Context

    from memory import mem_base

    ctx = Context(mem_base({"whole": {"value": "3325件"}, "share": {"value": "89.9%", "percent_of": "whole"}}),
                  explain=True)
    assert list(relations.run(ctx)) == []
    assert ctx.evaluations[0]["implied_part"] == "2988, 2989, 2990"
    assert ctx.evaluations[0]["testable"] is False  # 0.1% of 3325 is 3.3 parts: every percentage is possible


def test_percent_of_impossible_percentage_is_an_error() -> None:
    found = relation_findings({"whole": {"value": "163件"}, "share": {"value": "12.34%", "percent_of": "whole"}})
    assert codes(found) == [("R104", ERROR)]
    assert found[0].message == "f/share: no whole number of 163件 is 12.34%: 20件 would be 12.27%, 21件 would be 12.88%"
    assert found[0].expected == "[20.11, 20.12)"  # the interval stays in the details


def test_percent_of_untestable_when_whole_is_large() -> None:
    from ipfacts.check.relations.granularity import testable

    assert testable(Decimal(163), 2) and not testable(Decimal(21579), 2)


def test_growth_without_previous_grim_on_real_figures() -> None:
    from ipfacts.check import relations
    from ipfacts.check.relations.base import Context

    from memory import mem_base

    ctx = Context(mem_base({"high_value": {"value": "9288件"},
                            "growth": {"value": "26.38%", "growth_of": "high_value"}}), explain=True)
    assert list(relations.run(ctx)) == []
    assert ctx.evaluations[0]["implied_previous"] == "7349"


def test_growth_impossible_for_a_small_count() -> None:
    found = relation_findings({"pct": {"value": "163件"}, "growth": {"value": "12.34%", "growth_of": "pct"}})
    assert codes(found) == [("R106", ERROR)]


def test_growth_finds_the_previous_period_in_another_file() -> None:
    found = relation_findings({
        "before": {"value": "27件", "metric": "m", "period": "2019"},
        "now": {"value": "74件", "metric": "m", "period": "2020"},
        "growth": {"value": "174.1%", "growth_of": "now"},
        "wrong": {"value": "164.1%", "growth_of": "now"},
    }, metrics=("m",))
    assert codes(found) == [("R105", ERROR)]
    assert found[0].message == ("27件 → 74件 is a change of 174.07%, but 164.1% is printed; 164.1% from 27件 would be "
                                "71.3件, not a whole number (71件 would be 163.0%, 72件 would be 166.7%)")


def test_growth_with_the_wrong_sign_is_gross() -> None:
    found = relation_findings({
        "before": {"value": "27件"}, "now": {"value": "74件"},
        "growth": {"value": "-174.1%", "growth_of": "now", "previous": "before"},
    })
    assert found[0].details["gross"] is True and "(the sign is wrong)" in found[0].message


def test_change_of_against_previous_and_growth() -> None:
    # 2651人参考，比上一年度增加215人 (zhejiang-2020 line 276): previous = 2436, growth 8.83%
    consistent = relation_findings({
        "now": {"value": "2651人"}, "change": {"value": "215人", "change_of": "now"},
        "growth": {"value": "8.8%", "growth_of": "now"},
    })
    assert consistent == []
    found = relation_findings({
        "now": {"value": "2651人"}, "change": {"value": "215人", "change_of": "now"},
        "growth": {"value": "10%", "growth_of": "now"},
    })
    assert "R108" in {f.code for f in found}
    found = relation_findings({
        "before": {"value": "27件"}, "now": {"value": "74件"},
        "change": {"value": "45件", "change_of": "now", "previous": "before"},
    })
    assert codes(found) == [("R107", ERROR)]


def test_ratio_of() -> None:
    assert relation_findings({"a": {"value": "401.07亿元"}, "b": {"value": "200.54亿元"},
                              "r": {"value": "2.0倍", "ratio_of": ["a", "b"]}}) == []
    found = relation_findings({"a": {"value": "401.07亿元"}, "b": {"value": "200.54亿元"},
                               "r": {"value": "210%", "ratio_of": ["a", "b"]}})
    assert codes(found) == [("R103", ERROR)]


JIAXING_PER_10K = """\
source: jiaxing-shaoxing-2023
facts:
  valid_invention:
    metric: patent.invention.valid
    value: 30584件
    line: 11
    quote: 有效发明专利30584件
  valid_invention_per_10k:
    metric: patent.invention.valid.per_10k
    value: 55.1件
    line: 11
    quote: 每万人有效发明专利拥有量达55.1件
    per_10k_of: valid_invention
  high_value:
    value: 9934件
    line: 11
    quote: 高价值发明专利9934件
  high_value_per_10k:
    value: {high_value_per_10k}
    line: 11
    quote: 每万人高价值发明专利拥有量达17.89件
    per_10k_of: high_value
"""


def test_per_10k_figures_of_jiaxing_imply_one_population(make_base: MakeBase) -> None:
    root = make_base({"j.yaml": JIAXING_PER_10K.format(high_value_per_10k="17.89件")},
                     sources=["jiaxing-shaoxing-2023"])
    assert relation_problems(root) == []


def test_per_10k_figures_that_disagree_are_flagged(make_base: MakeBase) -> None:
    root = make_base({"j.yaml": JIAXING_PER_10K.format(high_value_per_10k="18.89件")},
                     sources=["jiaxing-shaoxing-2023"])
    found = relation_problems(root)
    assert codes(found) == [("R112", ERROR)]
    assert "→ 554.6–555.6万" in found[0].message and "→ 525.7–526.0万" in found[0].message


def test_per_10k_against_a_population_fact() -> None:
    found = relation_findings({
        "pop": {"value": "555.1万人", "metric": "population"},
        "stock": {"value": "30584件"}, "per": {"value": "55.1件", "per_10k_of": "stock"},
    }, metrics=("population",))
    assert found == []
    found = relation_findings({
        "pop": {"value": "558.4万人", "metric": "population"},
        "stock": {"value": "30584件"}, "per": {"value": "55.1件", "per_10k_of": "stock"},
    }, metrics=("population",))
    assert codes(found) == [("R111", ERROR)]
    assert found[0].message == ("30584件 ÷ 558.4万人 = 54.77–54.78 per 10,000 residents, but 55.1件 is printed; "
                                "55.1件 would mean a population of 554.6–555.6万")


ZHEJIANG_PLEDGE = """\
source: zhejiang-2020
facts:
  patent_pledge:
    value: 401.07亿元
    line: 221
    quote: 专利质押融资金额达401.07亿元
  patent_pledge_en:
    lang: en
    value: {english}
    line: 223
    quote: patent-pledged financing amounting to 40,107 million Yuan
    same_as: patent_pledge
  patent_pledge_growth:
    value: 132.29%
    line: 221
    quote: 同比增长132.29%
    growth_of: patent_pledge
  patent_pledge_growth_en:
    lang: en
    value: 132.29%
    line: 223
    quote: an increase of 132.29% year on year
    same_as: [patent_pledge_growth]
"""


def test_same_as_the_english_restatement(make_base: MakeBase) -> None:
    root = make_base({"z.yaml": ZHEJIANG_PLEDGE.format(english="40,107 million Yuan")}, sources=["zhejiang-2020"])
    _, report = check_root(root)
    assert report.findings == []


def test_same_as_mismatch_and_cycles_terminate() -> None:
    found = relation_findings({
        "a": {"value": "401.07亿元", "same_as": "b"},
        "b": {"value": "40,170 million yuan", "same_as": "c"},
        "c": {"value": "40.107 billion yuan", "same_as": "a"},
    })
    assert sorted(f.code for f in found) == ["R113", "R113"]


def test_incompatible_units_and_zero_divisors_are_findings_not_crashes() -> None:
    found = relation_findings({"a": {"value": "5件"}, "b": {"value": "7家"}, "s": {"value": "71.4%", "share_of": ["a", "b"]}})
    assert codes(found) == [("R114", ERROR)]
    assert "combines 件 with 家" in found[0].message
    found = relation_findings({"a": {"value": "5件"}, "b": {"value": "0件"}, "s": {"value": "50%", "share_of": ["a", "b"]}})
    assert ("R115", ERROR) in codes(found)
    found = relation_findings({"a": {"value": "5元"}, "b": {"value": "5美元", "same_as": "a"}})
    assert codes(found) == [("R114", ERROR)]


def half_up(x: Decimal, decimals: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


counts = st.integers(min_value=1, max_value=10**7)


@settings(max_examples=300, deadline=None)
@given(counts, counts, st.integers(min_value=0, max_value=3))
def test_property_exact_shares_rounded_half_up_never_fail(a: int, b: int, decimals: int) -> None:
    part, whole = min(a, b), max(a, b)
    share = half_up(Decimal(part) * 100 / Decimal(whole), decimals)
    found = relation_findings({"p": {"value": f"{part}件"}, "w": {"value": f"{whole}件"},
                               "s": {"value": f"{share}%", "share_of": ["p", "w"]},
                               "q": {"value": f"{share}%", "percent_of": "w"}})
    assert [f for f in found if f.severity == ERROR] == []


@settings(max_examples=300, deadline=None)
@given(counts, counts, st.integers(min_value=0, max_value=2))
def test_property_exact_growth_rounded_never_fails(previous: int, current: int, decimals: int) -> None:
    rate = half_up((Decimal(current) / Decimal(previous) - 1) * 100, decimals)
    found = relation_findings({"before": {"value": f"{previous}件"}, "now": {"value": f"{current}件"},
                               "g": {"value": f"{rate}%", "growth_of": "now", "previous": "before"},
                               "grim": {"value": f"{rate}%", "growth_of": "now"},
                               "change": {"value": f"{current - previous}件", "change_of": "now", "previous": "before"}})
    assert [f for f in found if f.severity == ERROR] == []


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=10**5, max_value=10**8), counts, counts, st.integers(min_value=1, max_value=2))
def test_property_per_10k_from_one_population_agree(population: int, s1: int, s2: int, decimals: int) -> None:
    per1 = half_up(Decimal(s1) * 10000 / population, decimals)
    per2 = half_up(Decimal(s2) * 10000 / population, decimals)
    if per1 == 0 or per2 == 0:
        return
    pop_wan = half_up(Decimal(population) / 10000, 2)
    found = relation_findings({
        "s1": {"value": f"{s1}件"}, "s2": {"value": f"{s2}件"},
        "p1": {"value": f"{per1}件", "per_10k_of": "s1"}, "p2": {"value": f"{per2}件", "per_10k_of": "s2"},
        "pop": {"value": f"{pop_wan}万人", "metric": "population"},
    }, metrics=("population",))
    assert [f for f in found if f.severity == ERROR] == []


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=4))
def test_property_translated_amounts_agree(yi: Decimal) -> None:
    chinese = half_up(yi, 2)
    english = half_up(yi * 100, 0)  # 亿元 → million yuan
    found = relation_findings({"zh": {"value": f"{chinese}亿元"}, "en": {"value": f"{english:,} million yuan", "same_as": "zh"}})
    assert [f for f in found if f.severity == ERROR] == []


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=2, max_size=6), st.integers(min_value=0, max_value=2))
def test_property_sums_of_rounded_parts_never_fail(parts: list[int], decimals: int) -> None:
    wan = [half_up(Decimal(p) / 10000, decimals) for p in parts]
    total = half_up(Decimal(sum(parts)) / 10000, decimals)
    facts = {f"p{i}": {"value": f"{w}万件"} for i, w in enumerate(wan)}
    facts["total"] = {"value": f"{total}万件", "sum_of": list(facts)}
    found = relation_findings(facts)
    assert [f for f in found if f.severity == ERROR] == []
