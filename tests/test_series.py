"""A city's series over the years in a brief (render/brief/series.py), on bases of MADE-UP documents
(tests/madeup.py: invented places, titles and figures): three years of one city from three sources."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.render.brief.series import series_for
from ipfacts.review.checked import check_root

import madeup

runner = CliRunner()


def three_years(tmp_path: Path, **changes: str) -> Path:
    docs, facts = madeup.chain(region_2022="青川", **changes)
    return madeup.write_base(tmp_path, docs, facts)


def test_three_years_of_a_headline_metric_make_a_series_each_point_cited_from_its_own_source(tmp_path: Path) -> None:
    base, _ = check_root(three_years(tmp_path))
    [series] = series_for(base, "青川", "zh")
    assert series.metric == "patent.invention.valid"
    assert [(p.period, p.text, p.implied) for p in series.points] == [
        ("2021", "≈30546–30570件", True), ("2022", "38289件", False), ("2023", "45450件", False),
        ("2024", "53949件", False)]
    assert [p.source for p in series.points] == ["qingchuan-release-2022", "qingchuan-release-2022",
                                                 "qingchuan-paper-2023", "qingchuan-paper-2024"]
    assert series.points[1].citation == "《青川市2022年知识产权新闻发布稿（虚构）》第1行：“全市有效发明专利38289件”"
    assert series.points[0].citation.startswith("据增长率推算")
    assert series.svg.count("<circle") == 4 and 'stroke-dasharray="5 4"' in series.svg  # the implied segment dashed


def test_one_year_makes_no_series(tmp_path: Path) -> None:
    docs, facts = madeup.chain(region_2022="青川")
    for source_id in ("qingchuan-release-2022", "qingchuan-paper-2023"):
        del docs[source_id], facts[f"{source_id}.yaml"]
    base, _ = check_root(madeup.write_base(tmp_path, docs, facts))
    assert series_for(base, "青川", "zh") == []


def test_the_brief_shows_the_series_in_markdown_and_html_escaped(tmp_path: Path) -> None:
    docs, facts = madeup.chain(region_2022="青川")
    title, region, period, lines = docs["qingchuan-paper-2023"]
    docs["qingchuan-paper-2023"] = ("白皮书<b>&2023</b>", region, period, lines)
    root = madeup.write_base(tmp_path, docs, facts)
    md = tmp_path / "brief.md"
    result = runner.invoke(app, ["report", "--city", "青川", "--root", str(root), "-o", str(md)])
    assert result.exit_code == 0, result.output
    text = md.read_text(encoding="utf-8")
    assert "## 历年数据" in text and "2021年 ≈30546–30570件 (推算)" in text and "2024年 53949件" in text
    assert "&lt;b&gt;&amp;2023&lt;/b&gt;" in text and "<b>" not in text
    html = tmp_path / "brief.html"
    result = runner.invoke(app, ["report", "--city", "青川", "--root", str(root), "-o", str(html), "--lang", "en"])
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert "<h2>Over the years</h2>" in page and page.count("<circle") == 4 and "(implied)" in page
    assert "<b>&2023</b>" not in page and "&lt;b&gt;&amp;2023&lt;/b&gt;" in page


def test_a_province_tables_row_joins_the_citys_series_and_the_second_brief_reads_the_same(tmp_path: Path) -> None:
    """甲城's 2023 figure stands in its own paper and as the row 甲城市 of the province's table; 2022 in a paper of
    its own. The first brief reads the whole base, the next one the brief extract: both show the same series."""
    docs, facts, regions = madeup.province_and_cities()
    docs["jia-2022"] = ("甲城市知识产权白皮书（2022年，虚构）", "甲城", "2022", ["全市专利授权量11876件。"])
    facts["jia-2022.yaml"] = """\
        source: jia-2022
        facts:
          grants:
            metric: patent.grants
            value: 11876件
            line: 1
            quote: 全市专利授权量11876件
        """
    root = madeup.write_base(tmp_path, docs, facts, regions=regions)
    briefs = []
    for n in (1, 2):
        out = tmp_path / str(n) / "brief.md"
        out.parent.mkdir()
        result = runner.invoke(app, ["report", "--city", "甲城", "--root", str(root), "-o", str(out)])
        assert result.exit_code == 0, result.output
        briefs.append(out.read_text(encoding="utf-8"))
    assert briefs[0] == briefs[1]
    series = briefs[0].split("## 历年数据", 1)[1].split("\n## ", 1)[0]
    assert "2022年 11876件" in series and "2023年 12431件" in series
    assert "《丰省2023年知识产权统计年报（虚构）》第4行：“12431”" in series
    assert "《甲城市知识产权白皮书（2023年，虚构）》第1行：“全市专利授权量12431件”" in series


def test_the_json_brief_carries_the_series_only_where_there_is_one(tmp_path: Path) -> None:
    import json

    from conftest import REPO

    root = three_years(tmp_path)
    out = tmp_path / "brief.json"
    result = runner.invoke(app, ["report", "--city", "青川", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    [series] = json.loads(out.read_text(encoding="utf-8"))["series"]
    assert [(p["period"], p["text"], p["implied"]) for p in series["points"]][-2:] == [
        ("2023", "45450件", False), ("2024", "53949件", False)]
    golden = json.loads((REPO / "tests" / "golden" / "briefs" / "huzhou.json").read_text(encoding="utf-8"))
    assert "series" not in golden  # one period per city in the shipped base
