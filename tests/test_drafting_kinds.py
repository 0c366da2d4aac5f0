"""scaffold's guesses of the relation kinds of the re-curated bases (subset_of, sum_of of a standard set,
outcome_of with exclusive_with, 移送 among cases handled, （含 N）), each on a made-up sentence, and a
near miss that must not get it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ipfacts.curate.scaffold import Draft, render, scaffold
from ipfacts.load.loader import load


def drafts_of(root: Path, text: str) -> dict[str, Draft]:
    """The drafts of a one-document base holding `text`, by value as written (each value once in a test)."""
    (root / "facts").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "seeds" / "doc.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    (root / "facts" / "sources.yaml").write_text(
        f"doc:\n  file: seeds/doc.txt\n  region: 某市\n  period: 2024\n  sha256: {sha}\n", encoding="utf-8")
    (root / "facts" / "metrics.yaml").write_text("{}\n", encoding="utf-8")
    drafts = [d for d in scaffold(load(root), "doc") if d.problem is None]
    assert all(n.startswith("TODO") for d in drafts for n in d.notes)
    return {d.value: d for d in drafts}


def test_a_qizhong_naming_one_subset_is_subset_of(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市有效注册商标98000件，其中企业81000件。\n")
    assert d["81000件"].relations == {"subset_of": [d["98000件"].key]}
    assert any("subset_of from 其中" in n for n in d["81000件"].notes)


def test_a_qizhong_list_of_parts_stays_part_of(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市有效注册商标98000件，其中企业81000件、个人17000件。\n")
    whole = d["98000件"].key
    assert d["81000件"].relations == {"part_of": [whole]} and d["17000件"].relations == {"part_of": [whole]}
    assert "sum_of" not in d["98000件"].relations


def test_a_qizhong_list_of_the_standard_set_is_a_complete_breakdown(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市法院受理知识产权案件5200件，其中民事案件5000件、刑事案件150件、行政案件50件。\n")
    assert d["5200件"].relations == {"sum_of": [d["5000件"].key, d["150件"].key, d["50件"].key]}
    assert d["5000件"].relations == d["150件"].relations == d["50件"].relations == {}


def test_a_standard_set_not_named_in_full_or_said_partial_is_not_complete(tmp_path: Path) -> None:
    two = drafts_of(tmp_path / "two", "全市法院受理知识产权案件5200件，其中民事案件5000件、刑事案件150件。\n")
    assert "sum_of" not in two["5200件"].relations and two["150件"].relations == {"part_of": [two["5200件"].key]}
    partial = drafts_of(tmp_path / "etc", "全市法院受理知识产权案件5200件，其中民事案件5000件、刑事案件150件、"
                                          "行政案件20件等。\n")
    assert "sum_of" not in partial["5200件"].relations
    assert partial["20件"].relations == {"part_of": [partial["5200件"].key]}


def test_an_outcome_verb_after_an_intake_is_outcome_of(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "某区法院新收知识产权案件800件，同比增长5%；审结760件。\n")
    assert d["760件"].relations == {"outcome_of": [d["800件"].key]}  # past the ；, past the growth rate


def test_no_outcome_without_an_intake_or_with_the_verb_not_before_the_number(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全年授权专利16966件，授权发明专利3325件。全市受理案件120件，审结刑事附带民事诉讼"
                            "案件21件，授权时间缩短至2件次。\n")
    assert "outcome_of" not in d["3325件"].relations  # 授权 of no intake: a subset, for the curator
    assert "outcome_of" not in d["21件"].relations  # a kind of case concluded, not the outcome of the intake
    assert "outcome_of" not in d["2件次"].relations


def test_outcomes_that_exclude_one_another_and_a_later_stage(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "检察机关受理审查起诉77件，起诉70件，不起诉5件。保护中心受理预审案件2200件，"
                            "预审合格1700件，获授权1200件。\n")
    assert d["70件"].relations == {"outcome_of": [d["77件"].key]}
    assert d["5件"].relations == {"outcome_of": [d["77件"].key], "exclusive_with": [d["70件"].key]}
    assert d["1700件"].relations == {"outcome_of": [d["2200件"].key]}
    assert d["1200件"].relations == {"outcome_of": [d["1700件"].key]}  # granted of those that passed


def test_outcomes_of_different_families_are_not_exclusive(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市受理纠纷案件100件，审结90件，起诉8件。\n")
    assert d["90件"].relations == {"outcome_of": [d["100件"].key]}
    assert d["8件"].relations == {"outcome_of": [d["100件"].key]}  # no exclusive_with: 审结 and 起诉 overlap


def test_referred_to_the_police_among_the_cases_handled(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市查处商标侵权案件300件，罚没款120万元，移送公安机关20件。\n")
    assert d["20件"].relations == {"subset_of": [d["300件"].key]}
    near = drafts_of(tmp_path / "near", "全市收到侵权举报300件，移送公安机关20件。\n")
    assert "subset_of" not in near["20件"].relations  # 收到 is not 查处: the curator decides


def test_a_figure_qualified_by_han_in_parentheses(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市新增审定品种52个（含国审品种1个），推广面积（含示范区）8个。\n")
    assert d["1个"].relations == {"subset_of": [d["52个"].key]}
    assert "subset_of" not in d["8个"].relations  # the parenthesis closed before the number


def test_the_drafted_kinds_load_and_every_quote_verifies(tmp_path: Path) -> None:
    from ipfacts.review.checked import check_root

    text = ("某区法院新收知识产权案件800件，审结760件，其中民事案件700件、刑事案件40件、行政案件20件。"
            "检察机关受理审查起诉77件，起诉70件，不起诉5件。全市查处案件300件，移送公安机关25件，"
            "其中涉及商标10件。\n")
    d = drafts_of(tmp_path, text)
    assert d["760件"].relations == {"outcome_of": [d["800件"].key],
                                     "sum_of": [d["700件"].key, d["40件"].key, d["20件"].key]}
    root = tmp_path
    (root / "facts" / "doc.yaml").write_text(render(load(root), "doc", list(d.values())), encoding="utf-8")
    _, report = check_root(root)
    assert not [f for f in report.findings if f.code.startswith(("C", "L"))], report.findings
    assert not [f for f in report.findings if f.code in ("R109", "R116", "R118")]  # the numbers add up
