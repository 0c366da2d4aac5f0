"""Prose relations that name the right figure (issue 25, item 4) and numbers read as written (issue 29, item 6).

Every document here is made up for the test (sentences in the style of the white papers, not quoted from
any): each sentence puts a wrong figure nearer than the right one, and the draft must pick the figure the
nouns name."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ipfacts.curate.scaffold import Draft, render, scaffold
from ipfacts.load.loader import load
from ipfacts.review.checked import check_root

REPO = Path(__file__).resolve().parent.parent


def base_of(root: Path, text: str, metrics: str = "{}\n", region: str = "某市") -> Path:
    (root / "facts").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "seeds" / "doc.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    (root / "facts" / "sources.yaml").write_text(
        f"doc:\n  file: seeds/doc.txt\n  region: {region}\n  period: 2024\n  sha256: {sha}\n", encoding="utf-8")
    (root / "facts" / "metrics.yaml").write_text(metrics, encoding="utf-8")
    return root


def drafts_of(root: Path, text: str, metrics: str = "{}\n", region: str = "某市") -> dict[str, Draft]:
    """The drafts by value as written (each value once in a test)."""
    drafts = scaffold(load(base_of(root, text, metrics, region)), "doc")
    return {d.value: d for d in drafts if d.problem is None}


def shipped_metrics() -> str:
    return (REPO / "facts" / "metrics.yaml").read_text(encoding="utf-8")


# --- issue 25: the figure the nouns name ------------------------------------------------------------------


def test_new_trademarks_are_never_the_change_of_patents(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市专利拥有量64131件，新增注册商标81879件，累计有效注册商标503000件。\n")
    assert d["81879件"].relations == {"change_of": [d["503000件"].key]}
    assert d["81879件"].confidence == {"change_of": "stated"}


def test_new_trademarks_with_only_patents_before_them_get_no_change_of(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市专利拥有量达64131件，新增注册商标81879件。\n")
    assert "change_of" not in d["81879件"].relations


def test_per_10k_invention_patents_divide_the_valid_ones_not_the_high_value(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市有效发明专利60608件。高价值发明专利拥有量23713件，每万人口发明专利拥有量46.79件。\n")
    assert d["46.79件"].relations == {"per_10k_of": [d["60608件"].key]}
    assert d["46.79件"].confidence == {"per_10k_of": "stated"}


def test_per_10k_high_value_patents_divide_the_high_value_ones(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市有效发明专利60608件，高价值发明专利拥有量23713件，每万人口高价值发明专利拥有量18.3件。\n")
    assert d["18.3件"].relations == {"per_10k_of": [d["23713件"].key]}


def test_an_international_patent_application_is_pct_in_either_script(tmp_path: Path) -> None:
    simplified = drafts_of(tmp_path / "s", "全年国际专利申请1234件。\n", shipped_metrics())
    assert simplified["1234件"].metric == "patent.pct.applications"
    traditional = drafts_of(tmp_path / "t", "全年國際專利申請1234件。\n", shipped_metrics())
    assert traditional["1234件"].metric == "patent.pct.applications"


def test_a_combined_patent_and_trademark_pledge_is_one_combined_metric(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全年专利商标质押融资金额达120.5亿元。\n", shipped_metrics())
    assert d["120.5亿元"].metric == "pledge.patent_trademark.amount"
    alone = drafts_of(tmp_path / "alone", "全年商标质押融资金额达20.5亿元。\n", shipped_metrics())
    assert alone["20.5亿元"].metric == "pledge.trademark.amount"


def test_a_courts_administrative_cases_are_not_the_regulators(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市法院共受理知识产权案件4013件，其中民事案件3856件、刑事案件122件、行政案件26件。\n",
                  shipped_metrics())
    assert d["26件"].metric is None or not d["26件"].metric.startswith("admin.")
    regulator = drafts_of(tmp_path / "r", "全市市场监管部门查处知识产权行政案件280件。\n", shipped_metrics())
    assert regulator["280件"].metric == "admin.ip_cases"


def test_a_share_pairs_with_the_whole_its_sentence_names(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市发明专利授权量13824件。全市企业专利授权量达51967件，其中企业发明专利授权量达11927件，"
                            "占全市发明专利授权总量86.28%。\n")
    assert d["86.28%"].relations == {"share_of": [d["11927件"].key, d["13824件"].key]}


def test_a_share_of_a_wider_whole_the_document_does_not_state_gets_no_relation(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "新获授权植物新品种42件，累计274件，占全国授权数的10.57%。\n")
    assert d["10.57%"].relations == {}
    assert any("全国" in n for n in d["10.57%"].notes)


def test_a_change_in_billions_is_of_the_total_not_of_a_part_in_ten_thousands(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "归集41.6亿条数据，包含1254.2万条失信数据，较2019年增长19.2亿条，增长率达85.7%。\n")
    assert d["19.2亿条"].relations == {"change_of": [d["41.6亿条"].key]}
    assert d["85.7%"].relations == {"growth_of": [d["41.6亿条"].key]}


def test_rates_listed_after_the_counts_pair_from_the_end(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "Some 27 cases were heard in English.\n共破获案件1033起，抓获犯罪嫌疑人2325人，"
                            "同比分别上升24.6%和13%。\n")
    assert d["24.6%"].relations == {"growth_of": [d["1033起"].key]}
    assert d["13%"].relations == {"growth_of": [d["2325人"].key]}


def test_a_headline_figure_restated_in_the_body_is_same_as(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市专利授权量71425件\n一、专利\n2024年，全市专利授权量71425件，同比增长5.2%。\n")
    restated = [x for x in scaffold(load(tmp_path), "doc") if x.value == "71425件"]
    assert len(restated) == 2 and restated[1].relations == {"same_as": [restated[0].key]}
    assert d["5.2%"].relations == {"growth_of": [restated[1].key]}


def test_the_tribunals_cases_are_a_subset_of_the_courts_type_by_type(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全市两级法院共受理知识产权案件500件，其中民事案件440件、刑事案件35件、行政案件25件。"
                            "知识产权法庭共收案300件（刑事4件，行政20件）。\n")
    assert d["300件"].relations == {"subset_of": [d["500件"].key]}
    assert d["20件"].relations == {"subset_of": [d["25件"].key]}
    assert d["4件"].relations == {"subset_of": [d["35件"].key]}


# --- issue 29, item 6: numbers read as written, quotes that verify -----------------------------------------


def test_signs_footnotes_full_width_and_misgrouped_digits(tmp_path: Path) -> None:
    text = ("全市专利授权量变化为-12.5%，商标注册量增长率为－3.1%。\n"
            "有效商标1,2345件。\n"
            "全市专利申请２，３４５件，同比增长１０．９％。\n"
            "全年授权1234¹件，占比5.2%*。\n"
            "比例为.5%，另有5.件。\n")
    drafts = scaffold(load(base_of(tmp_path, text)), "doc")
    values = {d.value for d in drafts if d.problem is None}
    assert {"-12.5%", "-3.1%", "2,345件", "10.9%", "1234件", "5.2%"} <= values
    assert not {"12.5%", "3.1%", "1,234", "12341件", "5%"} & values, values
    refused = {d.claim.line: d.problem for d in drafts if d.problem}
    assert "grouped wrongly" in str(refused.get(2)) and "leading zero" in str(refused.get(5))
    (tmp_path / "facts" / "doc.yaml").write_text(render(load(tmp_path), "doc", drafts), encoding="utf-8")
    _, report = check_root(tmp_path)
    assert [f.code for f in report.findings if f.code.startswith("C")] == [], \
        [f.message for f in report.findings]
    assert "#   line 2: 1,234 (digits grouped wrongly" in (tmp_path / "facts" / "doc.yaml").read_text(encoding="utf-8")


def test_english_quotes_stop_at_the_sentence_before_them(tmp_path: Path) -> None:
    text = "新注册地理标志证明商标18件，累计253件。\n" \
           "bringing the cumulative total of the applications to 6,535. 18 new marks were registered.\n"
    root = base_of(tmp_path, text)
    (root / "facts" / "sources.yaml").write_text(
        (root / "facts" / "sources.yaml").read_text(encoding="utf-8") + "  lang: zh+en\n", encoding="utf-8")
    drafts = scaffold(load(root), "doc")
    english = [d for d in drafts if d.claim.line == 2 and d.value.startswith("18")]
    assert english and english[0].quote == "18"
    (root / "facts" / "doc.yaml").write_text(render(load(root), "doc", drafts), encoding="utf-8")
    _, report = check_root(root)
    assert not [f for f in report.findings if f.code == "C005"]


def test_date_and_time_stamps_of_a_page_are_not_drafted(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "发布时间：2024-04-25 04:03:30 来源：市知识产权局\n2025-03-12\n"
                            "本月，全市专利授权1200件，同比增长20%。\n")
    assert set(d) == {"1200件", "20%"}


def test_a_standard_set_listed_clause_by_clause_is_a_breakdown_but_not_across_other_clauses(tmp_path: Path) -> None:
    d = drafts_of(tmp_path / "list", "全国法院新收知识产权一审案件21万件，其中民事案件19.6万件，行政案件1.1万件，"
                                     "刑事案件0.3万件。\n")
    assert d["21万件"].relations == {"sum_of": [d["19.6万件"].key, d["1.1万件"].key, d["0.3万件"].key]}
    mixed = drafts_of(tmp_path / "mixed", "全省法院共新收一审案件24833件，审结25540件，其中民事一审案件24327件，"
                                          "审结25053件，刑事一审案件474件，审结463件，行政一审案件32件，审结24件。\n")
    assert "sum_of" not in mixed["25540件"].relations


def test_a_total_adds_the_counts_since_its_qizhong_not_the_whole_sentence(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全年专利申请5000件，同比增长10%；授权3600件，其中发明1000件、实用新型2000件，合计3000件。\n")
    assert d["3000件"].relations == {"sum_of": [d["1000件"].key, d["2000件"].key]}


def test_a_growth_written_in_times_is_drafted_as_a_guess(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "市检察院办理知识产权刑事案件53件，较2022年增长2.6倍。案件是上年的2倍。\n")
    assert d["2.6倍"].relations == {"growth_of": [d["53件"].key]}
    assert d["2.6倍"].confidence == {"growth_of": "guessed"}
    assert d["2倍"].relations == {}


def test_a_share_of_the_documents_own_region_is_of_its_figure_of_the_same_thing(tmp_path: Path) -> None:
    d = drafts_of(tmp_path, "全省有效发明专利拥有量达到32.1万件。杭州市有效发明专利14.1万件，占全省的43.9%；"
                            "宁波市有效发明专利5.6万件，占全省的17.4%。\n", region="浙江省")
    assert d["43.9%"].relations == {"share_of": [d["14.1万件"].key, d["32.1万件"].key]}
    assert d["17.4%"].relations == {"share_of": [d["5.6万件"].key, d["32.1万件"].key]}
    city = drafts_of(tmp_path / "city", "某区专利授权5000件，占全省的2%。\n")
    assert city["2%"].relations == {}  # a city's paper: 全省 is a whole it does not state
