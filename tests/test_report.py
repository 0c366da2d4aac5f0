"""Comparison briefs: data assembly, Markdown/HTML/PDF rendering, charts, safety, fonts, and the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.check.engine import check_base, check_root
from ipfacts.cli import app
from ipfacts.load.loader import load
from ipfacts.render.brief.assemble import BriefContext, Row, assemble, latest_period
from ipfacts.render.brief.charts import bar_chart
from ipfacts.render.brief.errors import BriefError, FontMissing
from ipfacts.render.brief.pdf import make_url_fetcher, render_pdf
from ipfacts.render.brief.places import english_name
from ipfacts.render.brief.regions import classify
from ipfacts.render.brief.render import (
    choose_template,
    md_escape,
    print_job,
    render_html,
    render_markdown,
    shipped_template_dirs,
)
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
    return make_base(FACTS, sources=list(SEED_SOURCES), metrics=METRICS + EXTRA_METRICS)


def brief_of(root: Path, city: str, **kwargs: object) -> BriefContext:
    base = load(root)
    report = check_base(base)
    apply_reviews(base, report)
    return assemble(base, report, city, **kwargs)  # type: ignore[arg-type]


def row(brief: BriefContext, metric: str) -> Row:
    return next(r for r in brief.rows if r.metric == metric)


# --- regions and data assembly ---------------------------------------------------------------------------


def test_regions_are_levelled_from_the_data(cities_base: Path) -> None:
    regions = classify(load(cities_base))
    assert regions.cities == ["嘉兴", "宁波", "无锡", "湖州", "绍兴"]  # 绍兴: a fact file's region only
    assert regions.provinces == ["浙江省"]
    assert regions.levels["新昌县"] == "county" and regions.levels["诸暨市"] == "county"


def test_headline_rows_peers_growth_per10k_and_rank(cities_base: Path) -> None:
    brief = brief_of(cities_base, "湖州")
    assert brief.period == "2024"
    assert brief.peers == ["嘉兴", "宁波", "无锡"]  # 绍兴 reports none of 湖州's metrics
    assert brief.peers_without_figures == ["绍兴"] and brief.context == ["浙江省"]
    assert [r.metric for r in brief.rows] == ["patent.invention.valid", "patent.invention.valid.per_10k",
                                              "patent.invention.grants", "pledge.amount"]
    valid = row(brief, "patent.invention.valid")
    assert valid.city.figure is not None and valid.city.figure.text == "21579件"
    assert valid.city.growth is not None and valid.city.growth.text == "+11.55%"
    assert valid.city.per10k is not None and valid.city.per10k.text == "62.75件" and not valid.city.per10k.derived
    assert [(c.region, c.figure.text if c.figure else None, c.period) for c in valid.peers] == [
        ("嘉兴", "30584件", "2023"), ("宁波", "66211件", "2024"), ("无锡", "67676件", "2024")]
    assert (valid.rank, valid.ranked, valid.rank_mixed_periods) == (4, 4, True)
    assert valid.context[0].figure is not None and valid.context[0].figure.text == "20万件"
    pledge = row(brief, "pledge.amount")
    assert (pledge.rank, pledge.ranked, pledge.rank_mixed_periods) == (2, 3, False)


def test_per10k_is_derived_from_the_implied_population_and_marked(cities_base: Path) -> None:
    grants = row(brief_of(cities_base, "湖州"), "patent.invention.grants")
    derived = grants.city.per10k
    # 21579件 ÷ 62.75件 per 10,000 → 343.9万 residents; 3325件 ÷ 343.9万 = 9.67 per 10,000
    assert derived is not None and derived.derived and derived.text == "≈9.67件"
    assert len(derived.notes) == 3  # the grants figure, the per-10k figure and the stock it divides


def test_every_figure_has_a_footnote_with_file_line_and_quote(cities_base: Path) -> None:
    brief = brief_of(cities_base, "湖州")
    notes = {n.number: n for n in brief.notes}
    for r in brief.rows:
        for cell in r.cells:
            for figure in (cell.figure, cell.growth, cell.per10k):
                if figure is not None:
                    assert figure.notes and all(n in notes for n in figure.notes)
    figure = row(brief, "patent.invention.valid").city.figure
    assert figure is not None
    first = notes[figure.notes[0]]
    assert (first.file, first.lines, first.quote) == ("000_ef14d01db3a9c97a.txt", "56", "全市有效发明21579件")


def test_periods_that_differ_are_flagged_in_the_text(cities_base: Path) -> None:
    brief = brief_of(cities_base, "湖州")
    flags = {f.region: f for f in brief.period_flags}
    assert set(flags) == {"嘉兴", "浙江省"}
    assert flags["嘉兴"].periods == ["2023"] and "2023年数据" in flags["嘉兴"].text and "湖州的2024年" in flags["嘉兴"].text
    english = brief_of(cities_base, "湖州", lang="en")
    flags_en = {f.region: f for f in english.period_flags}
    assert set(flags_en) == {"Jiaxing", "Zhejiang Province"}
    assert "2023 figures, shown beside Huzhou's 2024 figures" in flags_en["Jiaxing"].text


def test_an_english_brief_names_regions_in_english(cities_base: Path) -> None:
    english = brief_of(cities_base, "湖州", lang="en")
    assert english.title.startswith("Huzhou") and english.city == "Huzhou"
    assert english.peers == ["Jiaxing", "Ningbo", "Wuxi"] and english.context == ["Zhejiang Province"]
    assert english.peers_without_figures == ["Shaoxing"]
    assert {c.region for r in english.rows for c in r.cells} == {"Huzhou", "Jiaxing", "Ningbo", "Wuxi",
                                                                 "Zhejiang Province"}
    assert all("湖州" not in c.svg and "Huzhou" in c.svg for c in english.charts)
    # the same brief asked for by its English names, and the Chinese one unchanged
    by_english = brief_of(cities_base, "Huzhou", lang="en", peers=["ningbo", "Zhejiang Province"])
    assert by_english.city == "Huzhou" and by_english.peers == ["Ningbo"] and by_english.context == ["Zhejiang Province"]
    assert brief_of(cities_base, "Huzhou").city == "湖州"


@pytest.mark.parametrize(("chinese", "english"), [
    ("宁波", "Ningbo"), ("浙江省", "Zhejiang Province"), ("全国", "China"), ("新昌县", "Xinchang County"),
    ("诸暨市", "Zhuji"), ("南太湖新区", "Nantaihu New Area"), ("梁溪区", "Liangxi District"),
    ("西安市", "Xi'an"), ("乐清市", "Yueqing"), ("六安市", "Lu'an"), ("湖州", "Huzhou"), ("陕西省", "Shaanxi Province"),
    ("内蒙古自治区", "Inner Mongolia Autonomous Region"), ("吕梁市", "Lüliang"), ("Ningbo", "Ningbo"),
])
def test_region_names_in_english(chinese: str, english: str) -> None:
    assert english_name(chinese) == english


def test_notable_differences_compare_with_the_leader(cities_base: Path) -> None:
    brief = brief_of(cities_base, "湖州")
    first = brief.differences[0]
    assert (first.metric, first.other, first.ratio) == ("patent.invention.grants", "无锡", "0.24")
    assert "为无锡13823件的0.24倍" in first.text and "居末" in first.text


def test_unknown_city_period_and_peer_say_what_is_known(cities_base: Path) -> None:
    base = load(cities_base)
    with pytest.raises(BriefError, match=r"unknown city '杭州'; known cities: 嘉兴, 宁波, 无锡, 湖州, 绍兴"):
        assemble(base, None, "杭州")
    with pytest.raises(BriefError, match=r"新昌县 is a county, not a city"):
        assemble(base, None, "新昌县")
    with pytest.raises(BriefError, match=r"湖州 has no facts for period '2023'; its periods: 2024"):
        assemble(base, None, "湖州", period="2023")
    with pytest.raises(BriefError, match=r"unknown peer '杭州'"):
        assemble(base, None, "湖州", peers=["杭州"])


def test_explicit_peers_keep_their_order_and_provinces_become_context(cities_base: Path) -> None:
    brief = assemble(load(cities_base), None, "宁波", peers=["浙江省", "无锡"])
    assert brief.peers == ["无锡"] and brief.context == ["浙江省"]
    assert latest_period(load(cities_base), "嘉兴") == "2023"


def test_findings_touching_the_city_are_listed_open_and_reviewed(make_base: MakeBase) -> None:
    facts = dict(FACTS)
    facts["huzhou-2024.yaml"] = FACTS["huzhou-2024.yaml"].replace("value: 11.55%", "value: 12.55%")
    root = make_base(facts, sources=list(SEED_SOURCES), metrics=METRICS + EXTRA_METRICS)
    brief = brief_of(root, "湖州")
    assert [f.code for f in brief.findings_open] == ["C005"]
    assert brief.findings_open[0].notes == [2]  # the growth figure's footnote
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
    assert brief.findings_reviewed and brief.findings_reviewed[0].review["note"] == "<i>typo</i>"  # type: ignore[index]
    html = render_html(brief, choose_template("html", root))
    assert "&lt;i&gt;typo&lt;/i&gt;" in html and "<i>typo" not in html


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
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 湖州知识产权对比简报（2024年）\n")
    charts = sorted(p.name for p in out.parent.glob("*.svg"))
    assert charts == ["huzhou-01-patent-invention-valid.svg", "huzhou-02-patent-invention-valid-per-10k.svg",
                      "huzhou-03-patent-invention-grants.svg", "huzhou-04-pledge-amount.svg"]
    for name in charts:
        assert f"]({name})" in text
        svg = ET.parse(out.parent / name).getroot()  # well-formed XML
        labels = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        assert "湖州" in labels and "Noto Sans CJK SC" in svg.get("font-family", "")
    assert not list(out.parent.glob(".*.tmp"))  # atomic writes leave no temporary files
    # every number in the headline table carries a footnote mark, and every mark has its note
    table = [line for line in text.splitlines() if line.startswith("| ") and "[^" in line]
    assert len(table) == 4
    for line in table:
        for cell in line.strip("|").split("|")[1:]:
            if re.search(r"\d", cell) and not re.match(r"\s*第\d+/\d+", cell):
                assert "[^" in cell, cell
    marks = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    defined = set(re.findall(r"^\[\^(\d+)\]:", text, flags=re.M))
    assert marks == defined
    assert "[^1]: 000\\_ef14d01db3a9c97a.txt, 第56行: “全市有效发明21579件”" in text
    assert "每万人 ≈9.67件 *(推算)*" in text
    assert "⚠ 嘉兴的有效发明专利量、每万人有效发明专利拥有量、发明专利授权量为2023年数据" in text


def test_markdown_to_stdout_has_no_chart_links(cities_base: Path) -> None:
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base)])
    assert result.exit_code == 0
    assert "# 湖州知识产权对比简报（2024年）" in result.output and ".svg)" not in result.output


def test_html_brief_embeds_svg_charts_and_english_labels(cities_base: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    result = runner.invoke(app, ["report", "--city", "湖州", "--root", str(cities_base), "-o", str(out),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "<h2>Headline figures</h2>" in html
    assert html.count("<svg ") == 4 and 'font-family="&apos;Noto Sans CJK SC&apos;' in html
    assert '21579件<a class="fn" href="#fn-1">1</a>' in html
    assert '<li id="fn-1" value="1">000_ef14d01db3a9c97a.txt, line 56:' in html


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


def test_a_chart_only_where_at_least_three_regions_report_the_metric(cities_base: Path) -> None:
    def values(r: Row) -> int:
        return sum(1 for c in r.compared if c.figure is not None and c.figure.value is not None)

    full = brief_of(cities_base, "湖州")
    assert full.charts and all((r.chart is not None) == (values(r) >= 3) for r in full.rows)
    pair = brief_of(cities_base, "湖州", peers=["嘉兴"])  # two numbers: the table says it, no chart
    assert any(values(r) == 2 for r in pair.rows) and pair.charts == []


def test_chart_labels_are_escaped_and_valid_svg() -> None:
    svg = bar_chart('a<b>&"c"', [("<x>&y", 3.0, "3件", True), ("z", -1.5, "-1.5%", False)])
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[0] == 'a<b>&"c"' and "<x>&y" in texts


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
    assert folders[0] == REPO / "templates"
    assert (folders[0] / "brief.md.j2").is_file() and (folders[0] / "brief.html.j2").is_file()


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
        assert html.count("<svg ") == len(brief.charts)
        pdf = render_pdf(print_job(brief, choose_template("pdf", REPO), tmp_path))
        out = tmp_path / "brief.pdf"
        out.write_bytes(pdf.data)
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert city in text and brief.rows[0].city.figure is not None
        assert re.sub(r"\s+", "", brief.rows[0].city.figure.text) in re.sub(r"\s+", "", text)


def test_weasyprint_loads_its_libraries_without_running_a_compiler() -> None:
    # In a fresh interpreter: WeasyPrint's import asks ctypes for Windows/macOS library names first, and each
    # miss would run gcc and ld. The warm-up answers from the linker cache and still finds harfbuzz-subset.
    script = (
        "import subprocess, ctypes.util\n"
        "ran = []\n"
        "real = subprocess.Popen.__init__\n"
        "def record(self, args, *a, **k):\n"
        "    ran.append(str(args[0] if isinstance(args, (list, tuple)) else args))\n"
        "    real(self, args, *a, **k)\n"
        "subprocess.Popen.__init__ = record\n"
        "before = ctypes.util.find_library\n"
        "from ipfacts.render.brief.pdf import pdf_warm_up\n"
        "pdf_warm_up()\n"
        "import weasyprint.text.ffi as ffi\n"
        "print(ffi.harfbuzz_subset is not None, ctypes.util.find_library is before, sorted(set(ran)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env).stdout
    subset_found, restored, ran = out.split(" ", 2)
    assert subset_found == "True" and restored == "True"
    assert "gcc" not in ran and "'ld'" not in ran and "ldconfig" in ran
