"""Comparison briefs: data assembly, Markdown/HTML/PDF rendering, charts, safety, fonts, and the CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.check.engine import check_base
from ipfacts.cli import app
from ipfacts.load.loader import load
from ipfacts.render.brief.assemble import MAX_PEERS, BriefContext, Row, assemble, choose_peers, latest_period
from ipfacts.render.brief.charts import bar_panel, chart_svg
from ipfacts.render.brief.errors import BriefError, FontMissing
from ipfacts.render.brief.labels import labels
from ipfacts.render.brief.pdf import make_url_fetcher, render_pdf
from ipfacts.render.brief.places import english_name
from ipfacts.render.brief.regions import Hierarchy, Regions, RegionsFileError, classify, load_hierarchy
from ipfacts.render.brief.render import (
    choose_template,
    md_escape,
    print_job,
    render_html,
    render_markdown,
    shipped_template_dirs,
)
from ipfacts.render.brief.tojson import brief_json, render_csv
from ipfacts.review.checked import check_root
from ipfacts.review.verdicts import apply_reviews

from conftest import METRICS, REPO, SEED_SOURCES, MakeBase

runner = CliRunner()

EXTRA_METRICS = """\
patent.intensive.products:
  zh: 专利密集型产品备案数
  en: Registered patent-intensive products
  unit: 件
  kind: stock
"""
# The conftest vocabulary with what a brief needs to know: the headline indicators, and where a
# per-10,000 figure means something.
BRIEF_METRICS = (METRICS.replace("  kind: stock\npatent.invention.valid.enterprise:",
                                 "  kind: stock\n  per_10k: true\n  headline: true\npatent.invention.valid.enterprise:")
                 .replace("  en: Invention patents granted\n  unit: 件\n  kind: flow\n",
                          "  en: Invention patents granted\n  unit: 件\n  kind: flow\n  per_10k: true\n  headline: true\n")
                 .replace("  en: IP pledge financing\n  unit: 亿元\n  kind: flow\n",
                          "  en: IP pledge financing\n  unit: 亿元\n  kind: flow\n  headline: true\n")
                 + EXTRA_METRICS)

# Real figures from the five seeds: four cities, one city that only appears as a fact-file region (绍兴),
# a county override (新昌县), a county-level city inside 绍兴 (诸暨市) and the province.
FACTS = {
    "huzhou-2024.yaml": """\
        source: huzhou-2024
        facts:
          valid_invention:
            metric: patent.invention.valid
            value: 21579件
            line: 56
            quote: 全市有效发明21579件
          valid_invention_growth:
            value: 11.55%
            line: 57
            quote: 同比增长11.55%
            growth_of: valid_invention
          valid_invention_per_10k:
            metric: patent.invention.valid.per_10k
            value: 62.75件
            line: 49-50
            quote: 全市每万人有效发明专利拥有量62.75件
            per_10k_of: valid_invention
          invention_grants:
            metric: patent.invention.grants
            value: 3325件
            line: 59
            quote: 授权发明专利3325件
          pledge:
            metric: pledge.amount
            value: 240.29亿元
            line: 127-128
            quote: 全年新增知识产权质押额240.29亿元
        """,
    "jiaxing-2023.yaml": """\
        source: jiaxing-shaoxing-2023
        facts:
          invention_grants:
            metric: patent.invention.grants
            value: 4869件
            line: 11
            quote: 发明 专利授权 4869件
          invention_grants_growth:
            value: 23.8%
            line: 11
            quote: 同比增长 23.8%
            growth_of: invention_grants
          valid_invention:
            metric: patent.invention.valid
            value: 30584件
            line: 11
            quote: 有效发明专利30584件
          valid_invention_per_10k:
            metric: patent.invention.valid.per_10k
            value: 55.1件
            line: 11
            quote: 每万人有效发明专 利拥有量达55.1件
            per_10k_of: valid_invention
        """,
    "shaoxing-2023.yaml": """\
        source: jiaxing-shaoxing-2023
        region: 绍兴
        facts:
          intensive_products:
            metric: patent.intensive.products
            value: 879件
            line: 85
            quote: 全市专利密集型产品备 案数879件
          xinchang_pledge:
            region: 新昌县
            metric: pledge.amount
            value: 超60亿元
            line: 107
            quote: 全县实现知识产权质押融资超 60亿元
          zhuji_pledge:
            region: 诸暨市
            metric: pledge.amount
            value: 超260亿元
            line: 115
            quote: 融资规模超260亿元
        """,
    "ningbo-2024.yaml": """\
        source: ningbo-2024
        facts:
          invention_grants:
            metric: patent.invention.grants
            value: 12593件
            line: 33
            quote: 发明专利授权量12593件
          invention_grants_growth:
            value: 34.4%
            line: 33
            quote: 同比增长34.4%
            growth_of: invention_grants
          valid_invention:
            metric: patent.invention.valid
            value: 66211件
            line: 34-35
            quote: 全市有效发明专利拥有量 66211件
          pledge:
            metric: pledge.amount
            value: 610.93亿元
            line: 177-178
            quote: 全市实现知识产权质押融资 610.93 亿元
        """,
    "wuxi-2024.yaml": """\
        source: wuxi-2024
        facts:
          invention_grants:
            metric: patent.invention.grants
            value: 13823件
            line: 67-68
            quote: 其中发明专利授权量13823件
          valid_invention:
            metric: patent.invention.valid
            value: 67676件
            line: 68-69
            quote: 有效发明专利拥有量67676件
          valid_invention_per_10k:
            metric: patent.invention.valid.per_10k
            value: 90.35件
            line: 71-72
            quote: 万人发明专利拥有量90.35件
            per_10k_of: valid_invention
          pledge:
            metric: pledge.amount
            value: 178.29亿元
            line: 49
            quote: 备案金额178.29亿元
        """,
    "zhejiang-2020.yaml": """\
        source: zhejiang-2020
        facts:
          valid_invention:
            metric: patent.invention.valid
            value: 20万件
            line: 84
            quote: 全省有效发明专利总量达 20 万件
          pledge:
            metric: pledge.amount
            value: 401.07亿元
            line: 221
            quote: 专利质押融资金额达 401.07 亿元
        """,
}


@pytest.fixture
def cities_base(make_base: MakeBase) -> Path:
    return make_base(FACTS, sources=list(SEED_SOURCES), metrics=BRIEF_METRICS)


def brief_of(root: Path, city: str, **kwargs: object) -> BriefContext:
    base = load(root)
    report = check_base(base)
    apply_reviews(base, report)
    return assemble(base, report, city, **kwargs)  # type: ignore[arg-type]


def row(brief: BriefContext, metric: str) -> Row:
    return next(r for r in brief.rows if r.metric == metric)


# --- regions, names and peers ---------------------------------------------------------------------------


def test_regions_are_levelled_from_the_data(cities_base: Path) -> None:
    regions = classify(load(cities_base))
    assert regions.cities == ["嘉兴", "宁波", "无锡", "湖州", "绍兴"]  # 绍兴: a fact file's region only
    assert regions.provinces == ["浙江省"]
    assert regions.levels["新昌县"] == "county" and regions.levels["诸暨市"] == "county"


REGIONS_YAML = """\
regions:
  浙江省: {in: 全国}
  江苏省: {in: 全国}
  宁波: {in: 浙江省, aliases: [Ningbo City]}
  湖州: {in: 浙江省}
  嘉兴: {in: 浙江省}
  绍兴: {in: 浙江省}
  无锡: {in: 江苏省}
groups:
  副省级城市: [宁波]
  长三角: [宁波, 湖州, 嘉兴, 绍兴, 无锡]
"""


@pytest.fixture
def declared_base(cities_base: Path) -> Path:
    (cities_base / "facts" / "regions.yaml").write_text(REGIONS_YAML, encoding="utf-8")
    return cities_base


def test_default_peers_are_the_cities_of_the_province_and_the_province_is_context(declared_base: Path) -> None:
    brief = brief_of(declared_base, "湖州")
    assert brief.peers == ["嘉兴", "宁波"] and brief.peer_rule == "浙江省的其他城市"
    assert brief.context == ["浙江省"]  # beside the figures, never ranked
    assert all(c.rank is None and c.unranked_reason and "参照" in c.unranked_reason
               for r in brief.rows for c in r.context if c.figure)
    # 无锡 has no other city of 江苏省 in the base (fewer than three): every city of the base, years flagged
    wuxi = brief_of(declared_base, "无锡")
    assert wuxi.peers == ["嘉兴", "宁波", "湖州"] and "不足三个城市" in wuxi.peer_rule and wuxi.context == []
    assert brief_of(declared_base, "湖州", peers=["all"]).peers == ["嘉兴", "宁波", "无锡"]
    group = brief_of(declared_base, "湖州", peers=["group:长三角"])
    assert group.peers == ["宁波", "嘉兴", "无锡"]
    with pytest.raises(BriefError, match=r"unknown peer group '长江'; known groups: 副省级城市, 长三角"):
        brief_of(declared_base, "湖州", peers=["group:长江"])


def test_peers_are_bounded_at_any_scale() -> None:
    cities = [f"城{n:03d}" for n in range(250)]
    regions = Regions({**{c: "city" for c in cities}, "某省": "province"})
    hierarchy = Hierarchy({c: "某省" for c in cities}, {}, {}, True)
    choice = choose_peers(regions, hierarchy, "城000", None, labels("zh"), "zh")
    assert len(choice.peers) == MAX_PEERS and choice.left_out == 249 - MAX_PEERS and "城000" not in choice.peers
    assert choice.context == ["某省"]
    undeclared = choose_peers(regions, Hierarchy({}, {}, {}), "城000", None, labels("zh"), "zh")
    assert len(undeclared.peers) == MAX_PEERS


def test_regions_file_errors_name_the_line(cities_base: Path) -> None:
    path = cities_base / "facts" / "regions.yaml"
    path.write_text("regions:\n  宁波: {in: 浙江省}\n  湖州: {inside: 浙江省}\n", encoding="utf-8")
    with pytest.raises(RegionsFileError, match=r"^facts/regions.yaml:3: region '湖州': unknown field 'inside'"):
        load_hierarchy(cities_base)
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base)])
    assert result.exit_code == 2 and "facts/regions.yaml:3:" in result.output and "Traceback" not in result.output
    path.write_text("regions: [\n", encoding="utf-8")
    with pytest.raises(RegionsFileError, match=r"^facts/regions.yaml:2: invalid YAML"):
        load_hierarchy(cities_base)
    # read as the fact files are: a duplicate key is an error, not a silent override; no YAML tags
    path.write_text("regions:\n  宁波: {in: 浙江省}\n  宁波: {in: 江苏省}\n", encoding="utf-8")
    with pytest.raises(RegionsFileError, match=r"^facts/regions.yaml:3: '宁波' is given twice \(first at line 2\)"):
        load_hierarchy(cities_base)
    path.write_text("regions:\n  宁波: {in: !!python/name:os.system x}\n", encoding="utf-8")
    with pytest.raises(RegionsFileError, match=r"^facts/regions.yaml:2: YAML tags"):
        load_hierarchy(cities_base)


@pytest.mark.parametrize("typed", ["宁波", "宁波市", "Ningbo", "ningbo", "Ningbo City", " NINGBO "])
def test_city_names_as_people_type_them(declared_base: Path, typed: str) -> None:
    assert brief_of(declared_base, typed).city == "宁波"


def test_a_typo_gets_did_you_mean_and_the_known_cities_in_the_asked_language(cities_base: Path) -> None:
    base = load(cities_base)
    with pytest.raises(BriefError, match=r"unknown city 'Nignbo' — did you mean 宁波 \(Ningbo\)\?"):
        assemble(base, None, "Nignbo")
    with pytest.raises(BriefError, match=r"unknown city 'Nignbo' — did you mean Ningbo\?; known cities: Jiaxing, "
                                         r"Ningbo, Wuxi, Huzhou, Shaoxing"):
        assemble(base, None, "Nignbo", lang="en")
    with pytest.raises(BriefError, match=r"unknown city '杭州'; known cities: 嘉兴, 宁波, 无锡, 湖州, 绍兴"):
        assemble(base, None, "杭州")
    with pytest.raises(BriefError, match=r"新昌县 is a county, not a city"):
        assemble(base, None, "新昌县")
    with pytest.raises(BriefError, match=r"湖州 has no facts for period '2023'; its periods: 2024"):
        assemble(base, None, "湖州", period="2023")
    with pytest.raises(BriefError, match=r"unknown peer '杭州'"):
        assemble(base, None, "湖州", peers=["杭州"])
    # --peers takes the same spellings as --city
    assert assemble(base, None, "湖州", peers=["ningbo", "无锡市", "Zhejiang Province"]).peers == ["宁波", "无锡"]


# --- rows, ranks, per 10,000 -----------------------------------------------------------------------------


def test_headline_rows_first_ranks_with_another_years_figure_flagged(cities_base: Path) -> None:
    brief = brief_of(cities_base, "湖州")
    assert brief.period == "2024" and brief.peers == ["嘉兴", "宁波", "无锡"]
    assert brief.peers_without_figures == ["绍兴"]
    assert [r.metric for r in brief.headline_rows] == ["patent.invention.valid", "patent.invention.grants",
                                                       "pledge.amount"]
    assert [r.metric for r in brief.appendix_rows] == ["patent.invention.valid.per_10k"]
    valid = row(brief, "patent.invention.valid")
    assert valid.city.figure is not None and valid.city.figure.value == "21579件"
    assert valid.city.growth is not None and valid.city.growth.text == "+11.55%"
    assert valid.city.per10k is not None and valid.city.per10k.text == "62.75件" and valid.city.per10k.basis == "stated"
    by_region = {c.region: c for c in valid.cells}
    # 嘉兴's latest figure is for 2023: ranked beside the others, its year flagged in its cell and in the rank
    assert by_region["嘉兴"].period == "2023" and by_region["嘉兴"].rank == 3  # 30584件 (2023) before 21579件
    assert (by_region["湖州"].rank, by_region["宁波"].rank, by_region["无锡"].rank, valid.ranked) == (4, 2, 1, 4)
    assert valid.other_years == 1 and valid.rank_text == "第4/4，含1个其他年份数据"
    assert by_region["浙江省"].rank is None and "参照" in (by_region["浙江省"].unranked_reason or "")
    pledge = row(brief, "pledge.amount")
    assert (pledge.rank, pledge.ranked) == (2, 3)


def test_per10k_is_derived_only_where_the_metric_allows_with_the_population_shown(cities_base: Path) -> None:
    brief = brief_of(cities_base, "湖州")
    derived = row(brief, "patent.invention.grants").city.per10k
    # 21579件 ÷ 62.75件 per 10,000 → 343.9万 residents (4 significant digits); 3325件 ÷ 343.9万 = 9.669
    assert derived is not None and derived.basis == "derived" and derived.text == "≈9.669"
    assert derived.population is not None and derived.population.text == "约343.9万人"
    assert derived.population.how == "implied" and "62.75件" in derived.population.explanation
    assert len(derived.citations) == 3  # the grants figure, the per-10k figure and the stock it divides
    assert [p.region for p in brief.populations].count("湖州") == 1  # printed once per region
    assert row(brief, "pledge.amount").city.per10k is None  # per_10k not declared: none derived


def test_every_figure_is_cited_with_title_line_and_quote(cities_base: Path) -> None:
    brief = brief_of(cities_base, "湖州")
    numbers = {c.number for c in brief.citations}
    for r in brief.rows:
        for cell in r.cells:
            for figure in (cell.figure, cell.growth, cell.per10k):
                if figure is not None:
                    assert figure.citations and set(figure.citations) <= numbers
    figure = row(brief, "patent.invention.valid").city.figure
    assert figure is not None
    first = brief.citation(figure.citations[0])
    assert (first.file, first.line, first.end_line, first.quote) == ("000_ef14d01db3a9c97a.txt", 56, 56,
                                                                     "全市有效发明21579件")
    assert first.text == "《湖州》第56行：“全市有效发明21579件”"  # the publication's title, not the file name


def test_an_english_brief_is_in_english(cities_base: Path) -> None:
    english = brief_of(cities_base, "湖州", lang="en")
    assert english.title.startswith("Huzhou") and english.city == "Huzhou"
    assert english.peers == ["Jiaxing", "Ningbo", "Wuxi"] and english.context == ["Zhejiang Province"]
    texts = [c.figure.text for r in english.rows for c in r.cells if c.figure]
    assert "21,579" in texts and "RMB 24.03 billion" in texts and "200,000" in texts  # 20万件
    shown = texts + [s.text for s in english.lede] + [d.text for d in english.differences]
    shown += [r.unit for r in english.rows] + [p.text for p in english.populations]
    assert not [t for t in shown if re.search(r"[万亿]", t)]
    assert english.citation(1).text.startswith("“湖州”, line ")


@pytest.mark.parametrize(("chinese", "english"), [
    ("宁波", "Ningbo"), ("浙江省", "Zhejiang Province"), ("全国", "China"), ("新昌县", "Xinchang County"),
    ("诸暨市", "Zhuji"), ("南太湖新区", "Nantaihu New Area"), ("梁溪区", "Liangxi District"),
    ("西安市", "Xi'an"), ("乐清市", "Yueqing"), ("六安市", "Lu'an"), ("湖州", "Huzhou"), ("陕西省", "Shaanxi Province"),
    ("内蒙古自治区", "Inner Mongolia Autonomous Region"), ("吕梁市", "Lüliang"), ("Ningbo", "Ningbo"),
])
def test_region_names_in_english(chinese: str, english: str) -> None:
    assert english_name(chinese) == english


@pytest.mark.parametrize(("written", "english"), [
    ("610.93亿元", "RMB 61.09 billion"), ("39.2万件", "392,000"), ("超193%", "more than 193%"),
    ("2064.18万元", "RMB 20.64 million"), ("1.1万件次", "11,000 transactions"), ("近1/10", "nearly 1/10"),
    ("约1319万件", "about 13.19 million"), ("-19.48%", "-19.48%"), ("160余名", "more than 160"),
])
def test_numbers_in_english(written: str, english: str) -> None:
    from ipfacts.load.numbers import parse_value
    from ipfacts.render.brief.wording import english_value

    assert english_value(parse_value(written)) == english


def test_notable_differences_are_headline_like_for_like_sentences_with_both_citations(cities_base: Path) -> None:
    brief = brief_of(cities_base, "湖州")
    first = next(d for d in brief.differences if d.metric == "patent.invention.grants")
    assert first.other_figure.region == "无锡"
    assert first.text == ("2024年发明专利授权量，无锡为13823件，是湖州（3325件）的4.16倍；按每万人计为1.91倍"
                          "（无锡≈18.45，湖州≈9.669）（湖州在4个同口径数据中排第4位，含1个其他年份数据）")
    assert len(first.citations) == 2 and first.citations == [*first.city_figure.citations,
                                                             *first.other_figure.citations]
    assert all(d.metric in {r.metric for r in brief.headline_rows} for d in brief.differences)


def test_lede_sentences_each_carry_a_citation_and_key_numbers_are_cited(cities_base: Path) -> None:
    brief = brief_of(cities_base, "湖州")
    assert brief.lede and all(s.citations for s in brief.lede)
    assert brief.key_numbers and all(k.figure.citations for k in brief.key_numbers)
    assert any("21579件" in s.text for s in brief.lede)


def test_previous_year_inferred_from_growth_is_marked_inferred(cities_base: Path) -> None:
    valid = row(brief_of(cities_base, "湖州"), "patent.invention.valid")
    previous = valid.city.previous
    # 21579 / 1.1155 = 19344.7 → 4 significant digits (11.55% carries four)
    assert previous is not None and previous.inferred and previous.period == "2023" and previous.text == "约19340件"
    assert len(previous.citations) == 2


# --- unlike figures are never ranked, charted or contrasted together ------------------------------------

UNLIKE_METRICS = """\
population:
  zh: 常住人口
  en: Resident population
  unit: 万人
  kind: stock
{a}:
  zh: 指标甲
  en: Indicator A
  unit: 件
  kind: flow
  headline: true
  per_10k: {per10k}
{b}:
  zh: 指标乙
  en: Indicator B
  unit: 件
  kind: flow
  headline: true
"""

# Pairs of real figures that count different things: (what differs, city A's fact, city B's fact).
UNLIKE_PAIRS = {
    "ruling count beside concluded count": (
        ("huzhou-2024", "10件", "213-214", "其中做出行政裁决决定10件", None),
        ("ningbo-2024", "207件", "117-119", "办结 207 件", None)),
    "first-instance beside all-instance": (
        ("zhejiang-2020", "24833件", "120", "全省法院共新收知识产权一审案件 24833 件", "2024"),
        ("ningbo-2024", "4013件", "97", "全市两级法院共受理知识产权案件 4013 件", None)),
    "an agency beside its region": (
        ("huzhou-2024", "53件", "198-199", "市检察院办理知识产权刑事案件53件175人", None),
        ("ningbo-2024", "186件", "104", "全市检察机关共办理涉知识产权刑事案件 186 件", None)),
}


def _pair_base(make_base: MakeBase, a: tuple[str, str, str, str, str | None], b: tuple[str, str, str, str, str | None],
               same_key: bool, per10k: str = "false") -> Path:
    def file(region: str, spec: tuple[str, str, str, str, str | None], metric: str) -> str:
        source, value, line, quote, period = spec
        extra = f"period: {period}\n" if period else ""
        return (f"source: {source}\nregion: {region}\n{extra}facts:\n  figure:\n    metric: {metric}\n"
                f"    value: {value}\n    line: {line}\n    quote: {quote}\n")

    files = {"a.yaml": file("甲城", a, "m.a"), "b.yaml": file("乙城", b, "m.a" if same_key else "m.b"),
             "c.yaml": file("丙城", b, "m.a" if same_key else "m.b")}
    return make_base(files, sources=list(SEED_SOURCES), metrics=UNLIKE_METRICS.format(a="m.a", b="m.b", per10k=per10k))


@pytest.mark.parametrize("kind", list(UNLIKE_PAIRS))
def test_unlike_figures_carry_different_keys_and_are_never_compared(make_base: MakeBase, kind: str) -> None:
    a, b = UNLIKE_PAIRS[kind]
    unlike = brief_json(brief_of(_pair_base(make_base, a, b, same_key=False), "甲城"))
    row_a = unlike["rows"][0]
    assert [f["region"] for f in row_a["figures"]] == ["甲城"]  # the other city's figure is not in its row
    assert row_a["figures"][0]["rank"] is None and row_a["figures"][0]["unranked_reason"]
    assert unlike["differences"] == [] and unlike["charts"] == []
    # the control: the same figures under one key would be ranked, charted and contrasted
    like = brief_json(brief_of(_pair_base(make_base, a, b, same_key=True), "甲城"))
    ranked = [f["rank"] for f in like["rows"][0]["figures"]]
    assert None not in ranked and len(ranked) == 3 and like["charts"] and like["differences"]


def test_no_per_capita_figure_for_a_metric_that_forbids_it(make_base: MakeBase) -> None:
    stock = ("huzhou-2024", "21579件", "56", "全市有效发明21579件", None)
    facts = {"a.yaml": "source: huzhou-2024\nregion: 甲城\nfacts:\n  figure:\n    metric: m.a\n    value: 21579件\n"
                       "    line: 56\n    quote: 全市有效发明21579件\n  rate:\n    value: 62.75件\n    line: 49-50\n"
                       "    quote: 全市每万人有效发明专利拥有量62.75件\n    per_10k_of: figure\n"
                       "  other:\n    metric: m.b\n    value: 3325件\n    line: 59\n    quote: 授权发明专利3325件\n"}
    del stock
    forbids = make_base(facts, sources=list(SEED_SOURCES), metrics=UNLIKE_METRICS.format(a="m.a", b="m.b",
                                                                                         per10k="true"))
    brief = brief_of(forbids, "甲城")
    assert row(brief, "m.b").city.per10k is None  # m.b does not declare per_10k
    assert row(brief, "m.a").city.per10k is not None and row(brief, "m.a").city.per10k.basis == "stated"


def test_a_derived_value_from_a_three_figure_input_keeps_three_figures(make_base: MakeBase) -> None:
    facts = {"jiaxing-2023.yaml": """\
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
            quote: 每万人有效发明专 利拥有量达55.1件
            per_10k_of: valid_invention
          valid_trademarks:
            metric: trademark.valid
            value: 26.3万件
            line: 11
            quote: 拥有有效注册商标26.3万件
        """}
    metrics = BRIEF_METRICS + "trademark.valid:\n  zh: 有效注册商标量\n  en: Valid trademarks\n  unit: 件\n" \
                              "  kind: stock\n  per_10k: true\n"
    brief = brief_of(make_base(facts, sources=list(SEED_SOURCES), metrics=metrics), "嘉兴")
    derived = row(brief, "trademark.valid").city.per10k
    # 30584 ÷ 55.1 = 555万 (3 figures); 263000 ÷ 555.06 = 473.8 → 474, not 473.63
    assert derived is not None and derived.basis == "derived" and derived.text == "≈474"
    assert brief.populations[0].text == "约555万人"


def test_a_bound_or_another_classifier_is_shown_but_not_ranked(make_base: MakeBase) -> None:
    metrics = UNLIKE_METRICS.format(a="m.a", b="m.b", per10k="false")
    facts = {
        "a.yaml": "source: huzhou-2024\nregion: 甲城\nfacts:\n  x:\n    metric: m.a\n    value: 1.1万件次\n"
                  "    line: 142-143\n    quote: 全年专利转让许可达1.1万件次\n",
        "b.yaml": "source: wuxi-2024\nregion: 乙城\nfacts:\n  x:\n    metric: m.a\n    value: 11391件\n"
                  "    line: 107-108\n    quote: 全年实现转让许可专利数11391件\n",
    }
    metrics = metrics.replace("  unit: 件\n  kind: flow\n  headline: true\n  per_10k: false",
                              "  unit: 件\n  accepts: [件次]\n  kind: flow\n  headline: true\n  per_10k: false", 1)
    brief = brief_of(make_base(facts, sources=list(SEED_SOURCES), metrics=metrics), "乙城")
    cells = {c.region: c for c in row(brief, "m.a").cells}
    assert cells["乙城"].rank is not None and cells["甲城"].rank is not None  # 件次 accepted: one count
    strict = metrics.replace("  accepts: [件次]\n", "")
    brief = brief_of(make_base(facts, sources=list(SEED_SOURCES), metrics=strict.replace(
        "  unit: 件\n  kind: flow\n  headline: true\n  per_10k: false", "  unit: 件次\n  accepts: [件]\n  kind: flow"
        "\n  headline: true\n  per_10k: false", 1)), "乙城")
    assert all(c.rank is not None for c in row(brief, "m.a").cells if c.figure)


def test_findings_touching_the_city_in_plain_words_with_the_verdict(make_base: MakeBase) -> None:
    facts = dict(FACTS)
    facts["huzhou-2024.yaml"] = FACTS["huzhou-2024.yaml"].replace("value: 11.55%", "value: 12.55%")
    root = make_base(facts, sources=list(SEED_SOURCES), metrics=BRIEF_METRICS)
    brief = brief_of(root, "湖州")
    assert [f.code for f in brief.findings_open] == ["C005"]
    assert brief.findings_open[0].text == "12.55%：引文中没有这个数字" and "C005" not in brief.findings_open[0].text
    assert brief_of(root, "宁波").findings_open == []  # another city's brief does not list it
    fingerprint = next(iter(_fingerprints(root)))
    refused = runner.invoke(app, ["review", fingerprint, "--status", "source-error", "--note", "<i>typo</i>",
                                  "--reviewer", "ed", "--root", str(root)])
    assert refused.exit_code == 2 and "the fact must be fixed" in refused.output  # a citation is fixed, not reviewed
    facts["huzhou-2024.yaml"] = FACTS["huzhou-2024.yaml"].rstrip(" ") + SOURCE_ERROR  # the white paper's own misprint
    (root / "facts" / "huzhou-2024.yaml").write_text(textwrap.dedent(facts["huzhou-2024.yaml"]), encoding="utf-8")
    _, report = check_root(root)
    fingerprint = next(f.fingerprint for f in report.findings if f.code == "R101")
    result = runner.invoke(app, ["review", fingerprint, "--status", "source-error", "--note", "<i>typo</i>",
                                 "--reviewer", "ed", "--root", str(root)])
    assert result.exit_code == 0, result.output
    brief = brief_of(root, "湖州")
    reviewed = brief.findings_reviewed[0]
    # the editors' conclusion attributed, the finding stated as what is known: the figures do not agree
    assert reviewed.verdict == "编辑认为原文有误，保留原文数值" and reviewed.verdict_note == "<i>typo</i>"
    assert reviewed.text.startswith("数字之间对不上：")
    html = render_html(brief, choose_template("html", root))
    assert "&lt;i&gt;typo&lt;/i&gt;" in html and "<i>typo" not in html
    english = brief_of(root, "湖州", lang="en")
    assert english.findings_reviewed[0].text == ("The figures do not agree: 93.4%, 15,829, 16,966 — the share does "
                                                 "not match its part and whole")
    assert english.findings_reviewed[0].verdict.startswith("In the editors' view the source is wrong")


SOURCE_ERROR = """\
          patent_grants:
            value: 16966件
            line: 57-58
            quote: 全年授权专利16966件
          patent_grants_enterprise:
            value: 15829件
            line: 58
            quote: 其中企业15829件
          patent_grants_enterprise_share:
            value: 93.4%
            line: 58-59
            quote: 占比93.4%
            share_of: [patent_grants_enterprise, patent_grants]
"""


def _fingerprints(root: Path) -> list[str]:
    base = load(root)
    return [f.fingerprint for f in check_base(base).findings]


# --- rendering -------------------------------------------------------------------------------------------


def test_markdown_brief_with_charts_written_beside_it(cities_base: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "huzhou.md"
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"ipfacts: wrote {out} (Markdown, 3 charts beside it)" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 湖州知识产权对比简报（2024年）\n")
    charts = sorted(p.name for p in out.parent.glob("*.svg"))
    assert charts == ["huzhou-01-patent-invention-valid.svg", "huzhou-02-patent-invention-grants.svg",
                      "huzhou-03-pledge-amount.svg"]
    for name in charts:
        assert f"]({name})" in text
        svg = ET.parse(out.parent / name).getroot()  # well-formed XML
        labels_ = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        assert "湖州" in labels_ and "嘉兴" not in labels_  # 嘉兴's figures are for 2023: drawn with their year
        assert "嘉兴 (2023)" in labels_ or name.endswith("pledge-amount.svg")
        assert "Noto Sans CJK SC" in svg.get("font-family", "")
    assert not list(out.parent.glob(".*.tmp"))  # atomic writes leave no temporary files
    marks = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    defined = set(re.findall(r"^\[\^(\d+)\]:", text, flags=re.M))
    assert marks == defined
    assert "[^" in text and "：“全市有效发明21579件”" in text
    assert "000\\_ef14d01db3a9c97a.txt" in text.split("## 资料来源")[1].split("[^1]")[0]  # file names: sources only
    assert "000\\_ef14d01db3a9c97a.txt" not in text.split("## 资料来源")[0]
    assert "≈9.669 *(推算)*" in text and "湖州（2024年）：约343.9万人" in text


def test_markdown_to_stdout_says_where_the_charts_went(cities_base: Path) -> None:
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base)])
    assert result.exit_code == 0
    assert "# 湖州知识产权对比简报（2024年）" in result.output and ".svg)" not in result.output
    assert "图表未输出" in result.output and "charts left out of Markdown on standard output" in result.output


def test_html_brief_embeds_svg_charts_and_quotes_on_hover(cities_base: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-o", str(out),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "<h2>Headline indicators</h2>" in html
    assert html.count("<svg ") == 3 and 'font-family="&apos;Noto Sans CJK SC&apos;' in html
    assert re.search(r'21,579<a class="fn" href="#fn-\d+" title="“湖州”, line 56: “全市有效发明21579件”">', html)


def test_json_brief_has_the_documented_fields(cities_base: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    figure = data["rows"][0]["figures"][0]
    assert data["rows"][0]["metric"] == "patent.invention.valid"
    assert {"region", "value", "period", "citation", "rank", "unranked_reason", "per_10k", "notes"} <= set(figure)
    assert figure["citation"] == {"fact": "huzhou-2024/valid_invention", "source": "huzhou-2024", "title": "湖州", "file": "000_ef14d01db3a9c97a.txt",
                                  "line": 56, "end_line": 56, "quote": "全市有效发明21579件",
                                  "text": "《湖州》第56行：“全市有效发明21579件”"}
    assert (figure["region"], figure["value"], figure["period"], figure["rank"]) == ("湖州", "21579件", "2024", 4)
    assert figure["per_10k"]["basis"] == "stated" and figure["per_10k"]["value"] == "62.75件"
    jiaxing = next(f for f in data["rows"][0]["figures"] if f["region"] == "嘉兴")
    assert jiaxing["rank"] == 3 and jiaxing["period"] == "2023"  # another year: ranked, its year beside it
    grants = next(r for r in data["rows"] if r["metric"] == "patent.invention.grants")
    derived = grants["figures"][0]["per_10k"]
    assert derived["basis"] == "derived" and derived["population"]["value"] == "约343.9万人"
    assert {"text", "figures"} <= set(data["differences"][0]) and len(data["differences"][0]["figures"]) == 2
    assert data["charts"][0]["metric"] == "patent.invention.valid"
    assert data["charts"][0]["regions"] == ["湖州", "嘉兴 (2023)", "宁波", "无锡"]


def test_csv_brief_one_row_per_region_and_metric(cities_base: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.csv"
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-o", str(out)])
    assert result.exit_code == 0 and f"wrote {out} (CSV" in result.output
    import csv

    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    first = rows[0]
    assert (first["metric"], first["region"], first["value"], first["line"], first["quote"]) == (
        "patent.invention.valid", "湖州", "21579件", "56", "全市有效发明21579件")
    assert len(rows) == sum(1 for r in brief_of(cities_base, "湖州").rows for c in r.cells if c.figure)
    assert "\ufeff" + render_csv(brief_of(cities_base, "湖州")) == out.read_text(encoding="utf-8")  # with a BOM


@pytest.mark.parametrize("name", ["brief.docx", "brief.txt", "brief"])
def test_an_unknown_suffix_is_refused_with_the_formats(cities_base: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-o", str(out)])
    assert result.exit_code == 2 and "unknown suffix" in result.output and ".md, .markdown, .html" in result.output
    assert not out.exists()


HOSTILE = '<script>alert(1)</script> *x* [l](http://e.com) |'


def test_titles_and_notes_cannot_inject_markup(cities_base: Path) -> None:
    sources = cities_base / "facts" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("title: 湖州", f"title: '{HOSTILE}'"),
                       encoding="utf-8")
    brief = brief_of(cities_base, "湖州")
    html = render_html(brief, choose_template("html", cities_base))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = render_markdown(brief, choose_template("md", cities_base), None).text
    assert "<script>" not in md and "&lt;script&gt;" in md and "\\*x\\* \\[l\\](http://e.com) \\|" in md


def test_md_escape() -> None:
    assert md_escape("a*b_c [x](y) <b>&") == "a\\*b\\_c \\[x\\](y) &lt;b&gt;&amp;"
    assert md_escape("# heading") == "\\# heading" and md_escape("- item") == "\\- item"
    assert md_escape("-19.48%") == "-19.48%" and md_escape("12.5%") == "12.5%"
    assert md_escape("two\nlines") == "two lines"


def test_no_chart_for_two_values_and_the_city_is_in_its_own_chart(cities_base: Path) -> None:
    full = brief_of(cities_base, "湖州")
    assert full.charts and all(brief_city_in(c, "湖州") for c in full.charts)
    for r in full.headline_rows:
        ranked = [c for c in r.cells if c.rank is not None]
        assert (r.chart is not None) == (len(ranked) >= 3)
    pair = brief_of(cities_base, "湖州", peers=["无锡"])  # two numbers: the table says it, no chart
    assert pair.charts == [] and any(r.chart_reason for r in pair.headline_rows)


def brief_city_in(chart: object, city: str) -> bool:
    return city in getattr(chart, "regions", [])


def test_chart_labels_are_escaped_and_valid_svg() -> None:
    from decimal import Decimal

    from ipfacts.render.brief.assemble import Bar

    svg = bar_panel('a<b>&"c"', [Bar("<x>&y", Decimal(3), "3件", True), Bar("z", Decimal("-1.5"), "-1.5%", False)])
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[0] == 'a<b>&"c"' and "<x>&y" in texts
    assert chart_svg  # imported for the render path


def test_user_template_and_template_errors(cities_base: Path, tmp_path: Path) -> None:
    shipped = choose_template("md", cities_base)
    mine = tmp_path / "tpl" / "mine.md.j2"
    mine.parent.mkdir()
    mine.write_text((shipped.folder / shipped.name).read_text(encoding="utf-8").replace(
        "## {{ t.headline }}", "## Custom: {{ brief.city }} has {{ brief.rows|length }} rows"), encoding="utf-8")
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "--template", str(mine)])
    assert result.exit_code == 0, result.output
    assert "## Custom: 湖州 has 4 rows" in result.output
    bad = tmp_path / "tpl" / "bad.md.j2"
    bad.write_text("line one\n{% if %}\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "--template", str(bad)])
    assert result.exit_code == 2 and "bad.md.j2:2: template syntax error" in result.output
    typo = tmp_path / "tpl" / "typo.md.j2"
    typo.write_text("{{ brief.citty }}\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "--template", str(typo)])
    assert result.exit_code == 2 and "has no attribute 'citty'" in result.output and "docs/templates.md" in result.output
    sneaky = tmp_path / "tpl" / "sneaky.md.j2"
    sneaky.write_text("{{ brief.__class__.__init__.__globals__ }}\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "--template", str(sneaky)])
    assert result.exit_code == 2 and "__globals__" not in result.output.split("ipfacts:")[0]


def test_cli_refuses_unknown_city_and_format(cities_base: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--city", "杭州", "--root", str(cities_base)])
    assert result.exit_code == 2
    assert "ipfacts: unknown city '杭州'; known cities: 嘉兴, 宁波, 无锡, 湖州, 绍兴" in result.output
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-f", "docx"])
    assert result.exit_code == 2 and "unknown format 'docx'" in result.output
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-f", "pdf"])
    assert result.exit_code == 2 and "needs an output file" in result.output


def test_shipped_templates_are_found_from_the_package() -> None:
    folders = shipped_template_dirs()
    assert folders == [REPO / "ipfacts" / "templates"]
    for name in ("brief.md.j2", "brief.html.j2"):  # in a checkout: links to the one place they are written
        assert (folders[0] / name).read_bytes() == (REPO / "templates" / name).read_bytes()


# --- PDF -------------------------------------------------------------------------------------------------


def test_pdf_has_chinese_text_an_embedded_cjk_font_and_renders_a_page(cities_base: Path, tmp_path: Path) -> None:
    out = tmp_path / "pdf" / "huzhou.pdf"
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    squashed = re.sub(r"\s+", "", text)
    for expected in ("湖州知识产权对比简报（2024年）", "21579件", "240.29亿元", "66211件", "全市有效发明21579件"):
        assert expected in squashed, expected
    lede = squashed.split("关键数字")[0]  # the first page leads with the lede's figures
    for sentence in brief_of(cities_base, "湖州").lede:
        assert re.sub(r"\s+", "", sentence.text) in lede
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded (and subset)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
                   check=True)
    png = next(tmp_path.glob("page*.png")).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_missing_chinese_font_fails_clearly(cities_base: Path, tmp_path: Path) -> None:
    conf = tmp_path / "empty-fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    f"<cachedir>{tmp_path / 'fc-cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    out = tmp_path / "nofont.pdf"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    result = subprocess.run([sys.executable, "-m", "ipfacts", "report", "--city", "湖州", "--root", str(cities_base),
                             "-o", str(out)], capture_output=True, text=True, env=env)
    assert result.returncode == 2, result.stderr
    assert "no Chinese font is installed" in result.stderr and "apt-get install fonts-noto-cjk" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_a_glyph_no_font_has_fails_during_rendering(cities_base: Path, tmp_path: Path) -> None:
    # Fonts are installed, but none has this private-use character: WeasyPrint would draw a box and exit 0.
    template = tmp_path / "tofu.html.j2"
    template.write_text('<html lang="zh-CN"><body><p>{{ brief.city }} \ue000</p></body></html>\n', encoding="utf-8")
    brief = brief_of(cities_base, "湖州")
    with pytest.raises(FontMissing, match=r"no installed font has a glyph for U\+E000.*fonts-noto-cjk"):
        render_pdf(print_job(brief, choose_template("pdf", cities_base, template), tmp_path))


def test_url_fetcher_reads_only_template_and_output_folders(cities_base: Path, tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8")
    fetcher = make_url_fetcher([tpl])
    assert fetcher.fetch((tpl / "logo.svg").as_uri()).read().startswith(b"<svg")
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    for url in ("file:///etc/passwd", (tpl / ".." / "tpl" / ".." / "secret.txt").as_uri(), "http://example.com/x.css",
                "https://example.com/x.png", "ftp://example.com/f"):
        with pytest.raises(ValueError, match="only files under the template and output folders"):
            fetcher.fetch(url)
    page = tpl / "page.html.j2"
    page.write_text('<html lang="zh-CN"><body><p>{{ brief.city }}</p><img src="logo.svg">'
                    '<img src="file:///etc/hostname"><link rel="stylesheet" href="http://example.com/a.css">'
                    "</body></html>\n", encoding="utf-8")
    out = tmp_path / "o" / "b.pdf"
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-o", str(out),
                                 "--template", str(page)])
    assert result.exit_code == 0, result.output
    assert "the template asked for file:///etc/hostname; not fetched" in result.output
    assert "http://example.com/a.css; not fetched" in result.output
    assert "logo.svg" not in result.output


# --- the shipped fact base ------------------------------------------------------------------------------


def test_every_city_of_the_shipped_base_renders_in_all_formats(tmp_path: Path) -> None:
    base = load(REPO)
    report = check_base(base)
    apply_reviews(base, report)
    cities = [c for c in classify(base).cities if latest_period(base, c)]
    assert cities, "the shipped base has no city with figures"
    for city in cities:
        brief = assemble(base, report, city)
        md = render_markdown(brief, choose_template("md", REPO), "brief")
        assert md.text.startswith(f"# {city}") and len(md.charts) == len(brief.charts)
        html = render_html(brief, choose_template("html", REPO))
        assert html.count("<svg ") == sum(2 if c.per10k else 1 for c in brief.charts)
        pdf = render_pdf(print_job(brief, choose_template("pdf", REPO), tmp_path))
        out = tmp_path / "brief.pdf"
        out.write_bytes(pdf.data)
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        first = next(r.city.figure for r in brief.rows if r.city.figure is not None)
        assert city in text and re.sub(r"\s+", "", first.text) in re.sub(r"\s+", "", text)
        assert brief.lede and all(s.citations for s in brief.lede)  # every lede sentence is cited


def test_a_brief_after_a_check_reads_the_extract_and_an_edit_rebuilds_it(cities_base: Path, tmp_path: Path) -> None:
    from ipfacts.render.brief.extract import brief_inputs

    out = tmp_path / "first.json"
    args = ["report", "--city", "湖州", "--root", str(cities_base)]
    assert runner.invoke(app, [*args, "-o", str(out)]).exit_code == 0
    extract = next((cities_base / ".ipfacts-cache").glob("brief-extract-v*.json"))
    full = out.read_text(encoding="utf-8")
    again = tmp_path / "again.json"
    assert runner.invoke(app, [*args, "-o", str(again)]).exit_code == 0
    assert again.read_text(encoding="utf-8") == full  # read from the extract: the same brief
    base, _, _ = brief_inputs(cities_base)
    assert "shaoxing-2023/zhuji_pledge" not in base.facts  # a county's figure: never in a brief, not kept
    assert "huzhou-2024/valid_invention" in base.facts
    facts = cities_base / "facts" / "huzhou-2024.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "quote: 授权发明专利3325件", "quote: 授权发明专利3325件\n    caveat_zh: 编辑后加的说明"), encoding="utf-8")
    changed = tmp_path / "changed.json"
    assert runner.invoke(app, [*args, "-o", str(changed)]).exit_code == 0
    assert "编辑后加的说明" in changed.read_text(encoding="utf-8")  # the edit reached the brief
    extract.write_text("{not json", encoding="utf-8")  # a damaged entry is rebuilt, never trusted
    assert runner.invoke(app, [*args, "-o", str(again)]).exit_code == 0
    assert "编辑后加的说明" in again.read_text(encoding="utf-8")


def test_the_nationwide_figure_is_labelled_as_such(make_base: MakeBase) -> None:
    facts = dict(FACTS)
    facts["national.yaml"] = ("source: zhejiang-2020\nregion: 全国\nfacts:\n  valid:\n    metric: patent.invention.valid\n"
                              "    value: 20万件\n    line: 84\n    quote: 全省有效发明专利总量达 20 万件\n")
    root = make_base(facts, sources=list(SEED_SOURCES), metrics=BRIEF_METRICS)
    english = brief_of(root, "湖州", lang="en")
    assert english.context == ["Nationwide", "Zhejiang Province"] and "China" not in english.context
    cell = next(c for c in row(english, "patent.invention.valid").context if c.region == "Nationwide")
    assert cell.rank is None and cell.figure is not None and cell.figure.text == "200,000"
    assert brief_of(root, "湖州").context == ["全国", "浙江省"]


def test_a_growth_since_last_year_end_is_not_printed_as_year_on_year(make_base: MakeBase) -> None:
    facts = dict(FACTS)
    facts["huzhou-2024.yaml"] = FACTS["huzhou-2024.yaml"].replace(
        "            growth_of: valid_invention\n", "            growth_of: valid_invention\n            base: year-end\n", 1)
    assert facts["huzhou-2024.yaml"] != FACTS["huzhou-2024.yaml"]
    root = make_base(facts, sources=list(SEED_SOURCES), metrics=BRIEF_METRICS)
    zh = row(brief_of(root, "湖州"), "patent.invention.valid").city.growth
    en = row(brief_of(root, "湖州", lang="en"), "patent.invention.valid").city.growth
    assert zh is not None and zh.text == "比上年末 +11.55%"
    assert en is not None and en.text.startswith("vs. end of last year +11.55")
    plain = row(brief_of(make_base(FACTS, sources=list(SEED_SOURCES), metrics=BRIEF_METRICS), "湖州"),
                "patent.invention.valid").city.growth
    assert plain is not None and plain.text == "+11.55%"  # year on year: the column's 同比 says it


# --- the appendix and the findings, as a writer reads them ---------------------------------------------------------

def test_every_finding_of_the_checker_has_words_in_both_languages() -> None:
    from ipfacts.findings.codes import CODES
    from ipfacts.render.brief.wording import FINDING_WORDS

    checker = {code for code in CODES if code[0] in "CRT"}
    assert checker and checker <= FINDING_WORDS.keys()
    assert all(zh and en and not re.search(r"[A-Za-z]", zh) for zh, en in FINDING_WORDS.values())


def test_findings_in_a_chinese_brief_are_in_chinese_and_in_english_ones_in_english() -> None:
    chinese, english = brief_of(REPO, "无锡"), brief_of(REPO, "无锡", lang="en")
    backlog = [f for f in chinese.findings_open if f.code == "R118"]
    assert backlog, "the shipped base keeps two open R118 warnings for Wuxi"
    for item in chinese.findings_open + chinese.findings_reviewed:
        assert not re.search(r"[A-Za-z]{3,}", item.text + item.detail), item  # no checker English
    assert "期初积存数" in backlog[0].detail and "≤ 77件" in backlog[0].detail
    assert any("pending at the start" in f.detail for f in english.findings_open if f.code == "R118")


def test_the_appendix_tables_only_what_can_be_compared_and_says_a_shared_reason_once() -> None:
    brief = brief_of(REPO, "无锡")
    alone, compared = brief.appendix_alone, brief.appendix_compared
    assert alone and compared and len(alone) + len(compared) == len(brief.appendix_rows)
    assert all(r.city.figure and not any(c.figure for c in r.peers + r.context) for r in alone)
    assert all(any(c.figure for c in r.peers + r.context) for r in compared)
    notes = brief.unranked_notes(compared)
    for u in notes.shared:  # a reason that holds on several rows is said once, naming its rows
        assert len(u.labels) >= 2
        assert not [c for r in compared for c in notes.of(r) if (c.region, c.period, c.unranked_reason) ==
                    (u.region, u.period, u.reason)]  # and not again on those rows
    said = [(c.region, c.unranked_reason) for r in compared for c in notes.of(r)]
    said += [(u.region, u.reason) for u in notes.shared for _ in u.labels]
    assert sorted(said) == sorted((c.region, c.unranked_reason) for r in compared for c in r.unranked)  # none lost
    text = (REPO / "tests" / "golden" / "briefs" / "wuxi.md").read_text(encoding="utf-8")
    appendix = text[text.index("## 附表"):text.index("## 数据核查")]
    table = appendix[:appendix.index("**仅有无锡数据的指标")]
    assert all(f"| {r.label} (" not in table for r in alone)
    assert all(f"- {r.label}：" in appendix for r in alone)


def test_a_derived_per_10k_figure_is_marked_derived_and_its_inputs_cited_where_they_stand() -> None:
    brief = brief_of(REPO, "无锡")
    text = (REPO / "tests" / "golden" / "briefs" / "wuxi.md").read_text(encoding="utf-8")
    assert "*(推算)*" in text and "*(推算)*[^" not in text  # no marks of its own in the tables
    derived = [c for r in brief.rows for c in r.cells if c.per10k and c.per10k.basis == "derived"]
    assert derived
    listed = {n for p in brief.populations for n in p.citations}
    for cell in derived:
        assert cell.per10k is not None and cell.per10k.population is not None and cell.figure is not None
        assert set(cell.per10k.population.citations) <= listed  # the population, cited in its list
        assert cell.figure.citations[0] in cell.per10k.citations  # the total, cited beside it (and in the JSON)


def _figures(brief: BriefContext) -> dict[str, list[str]]:
    return {c.figure.fact_id: c.figure.notes for r in brief.rows for c in r.cells if c.figure is not None}


def test_a_brief_prints_the_readers_caveat_in_its_language_and_never_the_editors_note(tmp_path: Path) -> None:
    base = load(REPO)
    fact = base.facts["jiaxing-2023/gi_products"]
    assert fact.caveat_zh and fact.caveat_en and fact.note
    chinese, english = _figures(brief_of(REPO, "嘉兴")), _figures(brief_of(REPO, "嘉兴", lang="en"))
    assert chinese[fact.id] == [fact.caveat_zh] and english[fact.id] == [fact.caveat_en]
    noted = [f for f in base.facts.values() if f.note and not (f.caveat_zh or f.caveat_en)]
    shown = [n for notes in (*chinese.values(), *english.values()) for n in notes]
    assert noted and not {f.note for f in noted} & set(shown)  # editors' notes stay out of briefs
    # given in one language only, the caveat is printed rather than dropped
    copy = tmp_path / "base"
    shutil.copytree(REPO / "facts", copy / "facts")
    shutil.copytree(REPO / "seeds", copy / "seeds")
    path = copy / "facts" / "jiaxing-2023.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.strip().startswith("caveat_zh:") and "14" in x)
    path.write_text(text.replace(line + "\n", ""), encoding="utf-8")
    assert _figures(brief_of(copy, "嘉兴"))[fact.id] == [fact.caveat_en]
