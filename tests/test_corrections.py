"""`ipfacts corrections`: the correction request to the publisher, from the findings marked source-error."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.review.verdicts import load_reviews

from conftest import REPO

runner = CliRunner()


def corrections(*args: str) -> str:
    result = runner.invoke(app, ["corrections", "--root", str(REPO), *args])
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_the_shipped_source_errors_in_chinese_markdown() -> None:
    text = corrections()
    assert text.startswith("# 数据更正请求\n")
    sections = text.split("\n## ")[1:]
    by_title = {s.splitlines()[0]: s for s in sections}
    huzhou = by_title["湖州市知识产权发展和保护状况白皮书（2024年度）"]
    ningbo = by_title["宁波市2024年知识产权发展与保护状况"]
    assert "### 1. 原文行 57-59" in huzhou
    assert "- 原文 (原文行 58-59): 「占比93.4%」" in huzhou and "- 原文 (原文行 58): 「其中企业15829件」" in huzhou
    assert "- 不一致之处: 93.4% 与 15829件 / 16966件 = 93.30% 不符" in huzhou
    # 15838/16966 = 93.351% … 15854/16966 = 93.446%: the enterprise grants a printed 93.4% needs
    assert "- 一致的数值: 按所列数字计算的占比为 93.30%；若占比 93.4% 无误，其中部分应为 15838件–15854件" in huzhou
    assert "- 编辑说明: The white paper prints 93.4% for the enterprise share" in huzhou
    assert "- 不一致之处: 1356件 的 93.38% 不是整数" in ningbo
    assert "- 一致的数值: 1266件 对应 93.36%，1267件 对应 93.44%" in ningbo
    assert "340%" not in huzhou  # the explained +340% (an `explained` verdict) is not a correction request


def test_figures_that_fit_really_fit() -> None:
    """The bounds printed are the first and last whole numbers that round to the printed share."""
    for part in (15838, 15854):
        assert round(part / 16966 * 100, 1) == 93.4
    for part in (15837, 15855):
        assert round(part / 16966 * 100, 1) != 93.4
    assert round(1266 / 1356 * 100, 2) == 93.36 and round(1267 / 1356 * 100, 2) == 93.44


def test_english_one_source_csv_and_html(tmp_path: Path) -> None:
    english = corrections("--lang", "en", "--source", "ningbo-2024")
    assert english.startswith("# Correction requests\n") and "湖州" not in english
    assert "- inconsistent: 93.38% of 1356件 is not a whole number" in english
    assert "- consistent figures: 1266件 would be 93.36%, 1267件 would be 93.44%" in english

    target = tmp_path / "requests.csv"
    assert corrections("-o", str(target)) == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    found = [(r["source"], r["line"], r["code"]) for r in rows]
    assert ("huzhou-2024", "57-59", "R101") in found and ("ningbo-2024", "101-102", "R104") in found
    # one row per finding an editor marked source-error, and no other
    source_errors = [e for e in load_reviews(REPO).values() if e.stack() and e.stack()[-1].status == "source-error"]
    assert sorted(r["code"] for r in rows) == sorted(e.code for e in source_errors)
    r104 = next(r for r in rows if r["code"] == "R104")
    assert r104["quote"] == "101-102: 一审占比 93.38% / 101: 宁波知识产权法庭共收案 1356 件"

    page = tmp_path / "requests.html"
    corrections("-o", str(page), "--lang", "en")
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<h2>湖州市知识产权发展和保护状况白皮书（2024年度）</h2>" in html
    assert "<dd>「占比93.4%」</dd>" in html


def test_bad_options_are_refused() -> None:
    for args, message in ((["--lang", "fr"], "unknown language 'fr'"), (["--format", "pdf"], "unknown format 'pdf'"),
                          (["--source", "nowhere"], "no source 'nowhere'")):
        result = runner.invoke(app, ["corrections", "--root", str(REPO), *args])
        assert result.exit_code == 2 and message in result.output


def test_a_request_names_the_publication_where_sources_yaml_says_who_and_when(tmp_path: Path) -> None:
    # a copy of the shipped base whose huzhou-2024 entry is given a publisher and a date made up for this test
    import shutil

    root = tmp_path / "base"
    shutil.copytree(REPO / "facts", root / "facts")
    shutil.copytree(REPO / "seeds", root / "seeds")
    sources = root / "facts" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    entry = text.index("huzhou-2024:")
    end = text.index("\n", text.index("  sha256:", entry))
    sources.write_text(text[:end + 1] + "  publisher: 某出版单位\n  publisher_en: A Publisher\n  published: 2025-04\n"
                       + text[end + 1:], encoding="utf-8")
    zh = runner.invoke(app, ["corrections", "--root", str(root)])
    assert zh.exit_code == 0, zh.output
    assert "\n## 湖州市知识产权发展和保护状况白皮书（2024年度）（某出版单位，2025-04）\n" in zh.output
    assert "\n## 宁波市2024年知识产权发展与保护状况\n" in zh.output  # none given: the title alone
    en = runner.invoke(app, ["corrections", "--root", str(root), "--lang", "en", "--format", "html"])
    assert en.exit_code == 0 and "（2024年度） (A Publisher, 2025-04)</h2>" in en.output
