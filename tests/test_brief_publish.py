"""A brief a writer can publish from (issue 27): right units, differences per resident, stated ranks, every city,
clean to copy, citations by publication, editors' verdicts attributed, spreadsheets Excel reads.

The documents of the small bases below are made up for these tests (short texts in the shape of the seeds);
the shipped base's briefs are checked as rendered from facts/ and seeds/.
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from ipfacts.check.engine import check_base
from ipfacts.load.loader import load
from ipfacts.render.brief.assemble import BriefContext, Row, assemble
from ipfacts.review.verdicts import apply_reviews

METRICS = """\
population:
  zh: 常住人口
  en: Resident population
  unit: 万人
  kind: stock
patent.grants:
  zh: 专利授权量
  en: Patents granted
  unit: 件
  kind: flow
  per_10k: true
  headline: true
pledge.amount:
  zh: 知识产权质押融资额
  en: IP pledge financing
  unit: 亿元
  kind: flow
  headline: true
"""


def doc_base(root: Path, documents: dict[str, tuple[str, str, str]], facts: dict[str, str],
             metrics: str = METRICS, units: str | None = None, regions: str | None = None,
             extra_source_fields: dict[str, str] | None = None) -> Path:
    """A base of made-up documents: {source id: (region, period, text)}; fact files as YAML text."""
    (root / "facts").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    entries = []
    for n, (sid, (region, period, text)) in enumerate(documents.items()):
        name = f"{n:03d}_{sid}.txt"
        data = textwrap.dedent(text).encode("utf-8")
        (root / "seeds" / name).write_bytes(data)
        extra = "".join(f"  {k}: {v}\n" for k, v in (extra_source_fields or {}).get(sid, {}).items()) \
            if extra_source_fields else ""
        entries.append(f"{sid}:\n  file: seeds/{name}\n  title: {region}知识产权状况（{period}年）\n  region: {region}\n"
                       f"  period: {period}\n  lang: zh\n  sha256: {hashlib.sha256(data).hexdigest()}\n{extra}")
    (root / "facts" / "sources.yaml").write_text("".join(entries), encoding="utf-8")
    (root / "facts" / "metrics.yaml").write_text(metrics, encoding="utf-8")
    if units is not None:
        (root / "facts" / "units.txt").write_text(units, encoding="utf-8")
    if regions is not None:
        (root / "facts" / "regions.yaml").write_text(textwrap.dedent(regions), encoding="utf-8")
    for name, text in facts.items():
        (root / "facts" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def brief(root: Path, city: str, **kwargs: object) -> BriefContext:
    base = load(root)
    report = check_base(base)
    apply_reviews(base, report)
    return assemble(base, report, city, **kwargs)  # type: ignore[arg-type]


def row(b: BriefContext, metric: str) -> Row:
    return next(r for r in b.rows if r.metric == metric)


# --- 1. one unit path -------------------------------------------------------------------------------------

PLEDGE_DOC = """\
甲城知识产权状况
全市专利授权量5952打，常住人口969.8万人。
全市实现知识产权质押融资610.93亿元，同比增长55.02%。
罚没款2229.97万元。
"""


def _pledge_base(root: Path) -> Path:
    return doc_base(root, {"jia-2024": ("甲城", "2024", PLEDGE_DOC)}, {"jia.yaml": """\
        source: jia-2024
        facts:
          grants:
            metric: patent.grants
            value: 5952打
            line: 2
            quote: 全市专利授权量5952打
          population:
            metric: population
            value: 969.8万人
            line: 2
            quote: 常住人口969.8万人
          pledge:
            metric: pledge.amount
            value: 610.93亿元
            line: 3
            quote: 全市实现知识产权质押融资610.93亿元
          pledge_growth:
            value: 55.02%
            line: 3
            quote: 同比增长55.02%
            growth_of: pledge
          fines:
            value: 2229.97万元
            line: 4
            quote: 罚没款2229.97万元
        """}, units="打 = 12 * 件\n")


def test_a_per_10k_figure_is_derived_from_the_figure_in_its_metrics_unit(tmp_path: Path) -> None:
    b = brief(_pledge_base(tmp_path), "甲城")
    cell = row(b, "patent.grants").city
    assert cell.figure is not None and cell.figure.number == 71424  # 5952打: dozens, a made-up unit of facts/units.txt
    assert cell.per10k is not None and cell.per10k.text == "≈73.65"  # 71424 ÷ 969.8万, not 5952 ÷ 969.8万 = 6.137


def test_english_money_has_its_unit_and_a_subeditors_precision(tmp_path: Path) -> None:
    b = brief(_pledge_base(tmp_path), "甲城", lang="en")
    cell = row(b, "pledge.amount").city
    assert cell.figure is not None and cell.figure.text == "RMB 61.09 billion"  # not RMB 61.093 billion
    assert cell.previous is not None and cell.previous.text == "about RMB 39.41 billion"  # not "about 394.1"
    zh = row(brief(tmp_path, "甲城"), "pledge.amount").city.previous
    assert zh is not None and zh.text == "约394.1亿元"


@pytest.mark.parametrize(("written", "english"), [("2229.97万元", "RMB 22.3 million"), ("178.29亿元", "RMB 17.83 billion"),
                                                  ("9亿元", "RMB 900 million"), ("289.73万元", "RMB 2.897 million"),
                                                  ("超5亿元", "more than RMB 500 million")])
def test_english_money_to_four_significant_digits_at_most(written: str, english: str) -> None:
    from ipfacts.load.numbers import parse_value
    from ipfacts.render.brief.wording import english_value

    assert english_value(parse_value(written)) == english


# --- 2. differences per resident ----------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def shipped(city: str, lang: str = "zh", **kwargs: object) -> BriefContext:
    return brief(REPO, city, lang=lang, **kwargs)


def _difference(b: BriefContext, metric: str) -> str:
    return next(d.text for d in b.differences if d.metric == metric)


def test_a_difference_between_cities_of_different_size_states_the_ratio_per_resident() -> None:
    b = shipped("宁波")
    grants = _difference(b, "patent.grants")
    assert "4.21倍" in grants and "按每万人计为1.49倍" in grants  # 71425 ÷ 16966, and ≈73.65 ÷ ≈49.34
    cases = _difference(b, "admin.ip_cases")
    assert "14.85" not in cases and "的15倍" in cases  # 97 carries two digits: the ratio no more
    assert "人均约为5.3倍" in cases  # no per-10,000 figure: by the two populations (969.8万 and 343.9万)
    english = _difference(shipped("宁波", "en"), "patent.grants")
    assert "per 10,000 residents, 1.49 times" in english


def test_a_rate_per_resident_is_not_divided_by_population_again() -> None:
    b = shipped("无锡")
    rate = next((d for d in b.differences if d.metric == "patent.invention.valid.per_10k"), None)
    assert rate is None or rate.per_resident is None


# --- 3. stated ranks -------------------------------------------------------------------------------------------


def _ranks(region: str, period: str, ids: set[str] | None = None) -> set[tuple[str, str, str | None]]:
    """(figure as written, rank, scope) of every rank the base records for the region and period (of `ids`)."""
    base = load(REPO)
    return {(base.facts[f.relations["rank_among"][0].target].value.text, f.value.text, f.rank_scope)
            for f in base.facts.values() if "rank_among" in f.relations and f.region == region
            and f.period == period and (ids is None or f.id in ids)}


@pytest.mark.parametrize("city", ["湖州", "绍兴", "宁波", "无锡"])
def test_every_rank_the_city_s_source_states_is_in_the_lede_cited(city: str) -> None:
    b = shipped(city)
    stated = _ranks(city, b.period)
    assert stated  # the seeds state ranks for each of these cities (居全省第三, 位列全省第二 …)
    cited = _ranks(city, b.period, {b.citation(n).fact_id for s in b.lede for n in s.citations})
    assert stated == cited  # a rank repeated on a repeated figure (无锡, lines 49 and 120) is said once
    sentence = next(s.text for s in b.lede if s.text.startswith("原文所述排名"))
    assert "全" in sentence and "第" in sentence


def test_a_stated_rank_is_printed_as_the_sources_claim_beside_the_computed_rank() -> None:
    b = shipped("无锡")
    per10k = row(b, "patent.invention.valid.per_10k")
    assert [s.short for s in per10k.city.stated_ranks] == ["全省第3"]  # 列全省第三 (Jiangsu), line 72
    assert per10k.city.stated_ranks[0].text == "原文：全省第3"
    assert b.citation(per10k.city.stated_ranks[0].citations[0]).quote == "列全省第三"
    assert per10k.rank_text is not None  # the rank among the base's cities stands beside it
    english = row(shipped("无锡", "en"), "pledge.amount").city.stated_ranks
    assert [s.text for s in english] == ["2nd in Jiangsu Province, as the source states"]


RANK_DOC = """\
甲城知识产权状况
全市专利授权量5000件，居全省第三。
乙城专利授权量9000件。
"""


@pytest.mark.parametrize(("stated", "finding"), [("3", False), ("1", True)])
def test_a_rank_among_more_than_the_base_holds_is_checked_as_a_lower_bound(tmp_path: Path, stated: str,
                                                                           finding: bool) -> None:
    doc = RANK_DOC.replace("第三", "第一") if stated == "1" else RANK_DOC
    quote = "居全省第一" if stated == "1" else "居全省第三"
    root = doc_base(tmp_path, {"jia-2024": ("甲城", "2024", doc)}, {"jia.yaml": f"""\
        source: jia-2024
        facts:
          grants:
            metric: patent.grants
            value: 5000件
            line: 2
            quote: 全市专利授权量5000件
          grants_rank:
            value: "{stated}"
            line: 2
            quote: {quote}
            rank_among: [grants, yi_grants]
            rank_scope: 全省
          yi_grants:
            region: 乙城
            metric: patent.grants
            value: 9000件
            line: 3
            quote: 乙城专利授权量9000件
        """})
    report = check_base(load(root))
    # 9000 stands surely ahead of 5000: third in the province can hold, first cannot
    assert any(f.code == "R140" for f in report.findings) is finding


# --- 4. every city of the base -----------------------------------------------------------------------------


def test_wuxi_is_ranked_among_every_city_of_the_base_with_years_flagged() -> None:
    b = shipped("无锡")
    assert sorted(b.peers) == sorted(["湖州", "嘉兴", "宁波", "绍兴"]) or set(b.peers) | set(b.peers_without_figures) \
        == {"湖州", "嘉兴", "宁波", "绍兴"}
    valid = row(b, "patent.invention.valid")
    assert valid.ranked >= 4 and valid.other_years >= 1 and "其他年份" in (valid.rank_text or "")
    jiaxing = next(c for c in valid.peers if c.region == "嘉兴")
    assert jiaxing.period == "2023" and jiaxing.rank is not None


# --- issue 29, item 10: a figure whose citation is not verified is left out, and stderr says so -------------------


def test_a_figure_with_an_open_citation_error_is_left_out_and_stderr_says_so(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ipfacts.cli import app

    jia = "甲城知识产权状况\n全市专利授权量5000件。\n全年新增知识产权质押融资40.2亿元。\n"
    yi = "乙城知识产权状况\n全市专利授权量9000件。\n"
    root = doc_base(tmp_path, {"jia-2024": ("甲城", "2024", jia), "yi-2024": ("乙城", "2024", yi)}, {
        "jia.yaml": """\
            source: jia-2024
            facts:
              grants:
                metric: patent.grants
                value: 99999件
                line: 2
                quote: 全市专利授权量99999件
              pledge:
                metric: pledge.amount
                value: 40.2亿元
                line: 3
                quote: 全年新增知识产权质押融资40.2亿元
            """,
        "yi.yaml": """\
            source: yi-2024
            facts:
              grants:
                metric: patent.grants
                value: 9000件
                line: 2
                quote: 全市专利授权量9000件
            """})
    b = brief(root, "甲城")
    assert [x.fact_id for x in b.left_out] == ["jia/grants"] and b.left_out[0].code == "C004"
    texts = [c.figure.text for r in b.rows for c in r.cells if c.figure] + [s.text for s in b.lede]
    assert not any("99999" in t for t in texts)  # never leads, never ranks, never printed
    result = CliRunner().invoke(app, ["report", "--city", "甲城", "--root", str(root)])
    assert result.exit_code == 0
    assert "99999" not in result.stdout.split("## 数据核查")[0]  # only the checks section names it
    assert "left out of the brief: facts/jia.yaml:3: 99999件 — C004" in result.stderr


# --- 5. clean to copy ----------------------------------------------------------------------------------------


def _marked_figures(b: BriefContext) -> dict[str, int]:
    """Every figure a brief's tables print with a note mark: its text → its first citation number."""
    out = {}
    for r in b.rows:
        for c in r.cells:
            for f in (c.figure, c.growth):
                if f is not None and f.citations and any(ch.isdigit() for ch in f.text):
                    out[f.text] = f.citations[0]
    return out


def _spread(figure: str) -> str:
    """A pattern for the figure as pdftotext gives it: a table cell may wrap between words or characters, never
    inside the number."""
    import re

    parts = [re.escape(figure[0])]
    for before, ch in zip(figure, figure[1:], strict=False):
        number = (before.isdigit() or before in ".,") and (ch.isdigit() or ch in ".,")
        parts.append(("" if number else r"\s*") + re.escape(ch))
    return "".join(parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdftotext_of_every_shipped_brief_holds_each_printed_figure_as_a_separate_token(tmp_path: Path,
                                                                                        lang: str) -> None:
    import re
    import shutil
    import subprocess

    from ipfacts.render.brief.pdf import render_pdf
    from ipfacts.render.brief.render import choose_template, print_job

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    for city in ("湖州", "嘉兴", "绍兴", "宁波", "无锡"):
        b = shipped(city, lang)
        pdf = render_pdf(print_job(b, choose_template("pdf", REPO), tmp_path))
        out = tmp_path / "brief.pdf"
        out.write_bytes(pdf.data)
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        flat = re.sub(r"\s+", " ", text)
        figures = _marked_figures(b)
        assert figures
        for figure, mark in figures.items():
            # copied, a figure never fuses with its note mark (71,425 [1], not 71,4251 or 71,425[1]) ...
            escaped = _spread(figure)
            fused = re.search(r"(?<![\d.,])" + escaped + r"\[?" + str(mark) + r"(?![\d.,])", flat)
            assert fused is None, (city, lang, figure, flat[fused.start() - 30:fused.end() + 30])
            # ... and its number stands as a token of its own (pdftotext may interleave the words of two cells)
            for number in re.findall(r"\d[\d.,]*\d|\d", figure):
                assert re.search(r"(?<![\d.,])" + re.escape(number) + r"(?![\d.,]*\d)", flat), (city, lang, figure)


def test_quotes_in_briefs_lose_the_line_break_spaces_and_fact_files_keep_them() -> None:
    from ipfacts.render.brief.wording import clean_quote

    assert clean_quote("同比上 升 17.72%") == "同比上升17.72%"
    assert clean_quote("质押融资 610.93 亿元") == "质押融资610.93亿元"
    assert clean_quote("ranking top among 42 customs") == "ranking top among 42 customs"
    b = shipped("宁波")
    quotes = {c.fact_id: c for c in b.citations}
    growth = next(c for c in quotes.values() if c.fact_id == "ningbo-2024/court_cases_accepted_growth")
    assert growth.quote == "同比上 升 17.72%"  # as verified in the fact file
    assert "“同比上升17.72%”" in growth.text  # as a writer pastes it


def test_report_all_writes_one_brief_per_city_and_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ipfacts.cli import app

    runner = CliRunner()
    out = tmp_path / "briefs"
    result = runner.invoke(app, ["report", "--all", "-o", str(out), "-f", "json", "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["huzhou.json", "jiaxing.json", "ningbo.json", "shaoxing.json",
                                                     "wuxi.json"]
    assert '"city": "宁波"' in (out / "ningbo.json").read_text(encoding="utf-8")
    for args in (["--all"], ["--all", "--city", "湖州", "-o", str(out)], []):
        refused = runner.invoke(app, ["report", *args, "--root", str(REPO)])
        assert refused.exit_code == 2 and "--all" in refused.output


# --- 9. spreadsheets ------------------------------------------------------------------------------------------


def test_export_names_every_derived_figure_and_the_fact_it_describes() -> None:
    import csv
    import io

    from ipfacts.render.export import rows, to_csv

    table = list(csv.DictReader(io.StringIO(to_csv(rows(load(REPO)), bom=True).removeprefix("\ufeff"))))
    by_id = {r["id"]: r for r in table}
    growth = by_id["ningbo-2024/court_cases_accepted_growth"]
    assert growth["relation"] == "growth_of" and growth["parent"] == "ningbo-2024/court_cases_accepted"
    assert growth["label_zh"].endswith("·同比增长") and growth["label_en"].endswith(": year-on-year growth")
    assert growth["line"] == "97\u201399"  # an en dash: Excel keeps it as text, 97-99 it would not
    assert all(r["label_zh"] and r["label_en"] for r in table)  # every row says what it counts
    rank = by_id["wuxi-2024/valid_invention_per_10k_rank"]
    assert rank["relation"] == "rank_among" and rank["parent"] == "wuxi-2024/valid_invention_per_10k"


def test_the_report_csv_has_numbers_units_and_bounds_beside_the_text(tmp_path: Path) -> None:
    import csv
    import io

    from typer.testing import CliRunner

    from ipfacts.cli import app

    out = tmp_path / "ningbo.csv"
    result = CliRunner().invoke(app, ["report", "--city", "宁波", "--root", str(REPO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_text(encoding="utf-8")
    assert data.startswith("\ufeff")  # Excel reads it as UTF-8
    table = list(csv.DictReader(io.StringIO(data.removeprefix("\ufeff"))))
    grants = next(r for r in table if r["metric"] == "patent.grants" and r["region"] == "宁波")
    assert (grants["value"], grants["number"], grants["unit"]) == ("71425件", "71425", "件")
    assert (grants["growth"], grants["growth_percent"]) == ("11.4%", "11.4")
    assert (grants["per_10k"], grants["per_10k_number"]) == ("≈73.65", "73.65")
    zhejiang = next(r for r in table if r["metric"] == "patent.grants" and r["region"] == "浙江省")
    assert (zhejiang["number"], zhejiang["lower"], zhejiang["upper"]) == ("392000", "391500", "392500")  # 39.2万件
    assert "  " not in grants["quote"] and grants["quote"] == "全市专利授权量71425件"
    again = CliRunner().invoke(app, ["report", "--city", "宁波", "--root", str(REPO), "-o", str(out)])
    assert again.exit_code == 0, again.output  # an earlier output of ours, BOM and all, is replaced


# --- 8. English a subeditor would pass ------------------------------------------------------------------------------


def test_an_english_brief_cites_the_bilingual_papers_own_english_line_and_glosses_group_names() -> None:
    b = shipped("宁波", "en")
    grants = row(b, "patent.grants")
    zhejiang = next(c for c in grants.context if c.figure is not None)
    cited = b.citation(zhejiang.figure.citations[0])
    assert cited.quote == "annually granted 392,000 patents"  # the Zhejiang paper's own English line
    assert zhejiang.figure.text == "392,000"
    group = shipped("湖州", "en", peers=["group:长三角中心区城市"])
    assert group.peer_rule == "the central-area cities of the Yangtze River Delta (长三角中心区城市)"
    lede = " ".join(s.text for s in shipped("无锡", "en").lede)
    assert "'s " not in lede.replace("editors'", "")  # no "Wuxi's Patents granted is …"


@pytest.mark.parametrize(("written", "english"), [("2319.3万件", "23.193 million"), ("297.5万件", "2.975 million"),
                                                  ("39.2万件", "392,000")])
def test_english_counts_as_the_source_writes_them(written: str, english: str) -> None:
    from ipfacts.load.numbers import parse_value
    from ipfacts.render.brief.wording import english_value

    assert english_value(parse_value(written)) == english


def test_jiaxing_is_ranked_and_shaoxing_compares_its_peers_on_every_headline_indicator() -> None:
    jiaxing = shipped("嘉兴")
    assert any(r.rank_text for r in jiaxing.headline_rows)  # its 2023 figures beside the others' 2024 ones
    shaoxing = shipped("绍兴")
    assert shaoxing.headline_rows  # a table with rows: the peers' figures, 绍兴's cell empty
    assert all(r.city.figure is None for r in shaoxing.headline_rows)
    assert any(c.rank for r in shaoxing.headline_rows for c in r.peers)


def test_the_lede_says_last_only_among_three_or_more() -> None:
    b = shipped("无锡")
    pledge = row(b, "pledge.amount")
    assert pledge.ranked == 2 and pledge.city.rank == 2
    assert not any("末位" in s.text and pledge.label in s.text for s in b.lede)  # "last of two" says too much
    assert any("全省第2" in s.text and pledge.label in s.text for s in b.lede)  # the source's own rank instead


def test_a_citation_names_the_page_where_sources_yaml_records_pages(tmp_path: Path) -> None:
    # made up: the document's lines 1-2 stand on page 1, lines 3-4 on page 2 (a `pages:` map, as add-source
    # records it for a PDF)
    root = doc_base(tmp_path, {"jia-2024": ("甲城", "2024", PLEDGE_DOC)}, {"jia.yaml": """\
        source: jia-2024
        facts:
          pledge:
            metric: pledge.amount
            value: 610.93亿元
            line: 3
            quote: 全市实现知识产权质押融资610.93亿元
        """}, extra_source_fields={"jia-2024": {"pages": "{1: 1-2, 2: 3-4}"}})
    zh = brief(root, "甲城")
    assert [c.text for c in zh.citations] == ["《甲城知识产权状况（2024年）》第2页，第3行：“全市实现知识产权质押融资610.93亿元”"]
    en = brief(root, "甲城", lang="en")
    assert "p. 2, line 3" in en.citations[0].text
    (root / "facts" / "sources.yaml").write_text(
        (root / "facts" / "sources.yaml").read_text(encoding="utf-8").replace("  pages: {1: 1-2, 2: 3-4}\n", ""),
        encoding="utf-8")
    assert "页" not in brief(root, "甲城").citations[0].text  # no pages recorded: the line alone
