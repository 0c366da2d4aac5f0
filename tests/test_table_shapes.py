"""Tables in every shape a scrape takes, drafted by `scaffold` and checked untouched.

The tables of this file are MADE UP (their numbers are invented so that their identities hold); the
shapes are those of real scraped pages (see ../shared/fixtures/tables/README.md). Each is taken as a
new curator would: an empty base, `add-source`, `scaffold`, `check`. The untouched draft must load
(exit 0 or 1, never 2), declare the identities its numbers hold, and — with one cell off by one in its
last digit — report an error naming that cell.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.review.checked import check_root

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO.parent / "shared" / "fixtures" / "tables"
runner = CliRunner()

# Made up. One row a line, spaces; labels spaced out; a `-` cell; the total row last, after 其他.
SPACES = """\
表1 2023年各区县专利授权量
单位：件
地区 合计 发明 实用新型 外观设计
甲 区 600 200 300 100
乙 县 400 100 200 100
其 他 50 - 30 20
全 市 1050 300 530 220
"""

# Made up. Tabs; the total row first; a density (÷ population in 万人) and a rank column, the total unranked.
TABS = """\
2023年各市有效发明专利
地区\t有效发明专利\t常住人口(万人)\t每万人有效发明专利拥有量(件/万人)\t排名
全省\t223000\t4339.3\t51.39\t-
A市\t120000\t1252.2\t95.83\t1
B市\t50000\t969.7\t51.56\t2
C市\t15000\t976.8\t15.36\t4
D市\t8000\t540.1\t14.81\t5
E市\t30000\t600.5\t49.96\t3
"""

# Made up. A Markdown pipe table; its total column is headed 专利授权量, not 合计: the numbers say it is the total.
PIPES = """\
| 区县 | 专利授权量 | 发明 | 实用新型 | 外观设计 |
|---|---|---|---|---|
| 合计 | 2000 | 500 | 1000 | 500 |
| 甲县 | 700 | 200 | 350 | 150 |
| 乙县 | 500 | 100 | 250 | 150 |
| 丙县 | 400 | 100 | 200 | 100 |
| 丁县 | 250 | 60 | 120 | 70 |
| 戊县 | 150 | 40 | 80 | 30 |
"""

# Made up. One cell a line with ` |`; the header puts 合计 first while its values stand last in every row;
# a row label split over two lines (杭州 / 市本级).
CELLS = "2024年1月各地专利授权量 |\n地区 |\n合计 |\n发明 |\n实用新型 |\n外观设计 |\n" + "".join(
    f"{label} |\n" + "".join(f"{v} |\n" for v in values) for label, values in [
        ("全市", (610, 990, 400, 2000)), ("杭州 |\n市本级", (310, 480, 210, 1000)), ("宁波", (190, 320, 90, 600)),
        ("温州", (110, 190, 100, 400))])

# Made up. One cell a line with blank lines between; the page's timestamp above; 个人 = 非职务.
BLANKS = "\n\n".join(["浙江省2023年专利授权", "2024- 02- 27 16: 41", "地区", "合计", "职务", "非职务", "个人",
                      "全省", "1000", "600", "400", "400", "甲市", "700", "450", "250", "250",
                      "乙市", "300", "150", "150", "150"]) + "\n"

# Made up. A share row under each count row, the region repeated in English.
SHARES = """\
单位：件
地区 合计 企业 个人
全省 1000 800 200
Total 100.0% 80.0% 20.0%
甲市 600 500 100
Jia 100.0% 83.3% 16.7%
乙市 400 300 100
Yi 100.0% 75.0% 25.0%
"""

# Made up. Two panels of one table side by side.
PANELS = """\
地区 合计 发明 实用新型 地区 合计 发明 实用新型
全省 1100 420 680 丙市 200 50 150
甲市 500 250 250 丁市 100 20 80
乙市 200 80 120 戊市 100 20 80
"""

# Made up. Several small tables, each with its own header row; `#` marks a subset row.
BLOCKS = """\
发布日期:
2024-08-12
14:46
阅读次数:
| 专利情况 | 1-2季度 | 同比±% |
| 授权专利数(件) | 34439 | 9.2 |
| #发明 | 6713 | 59.0 |
| 实用新型 | 17610 | 3.7 |
| 外观设计 | 10116 | -2.1 |
| 商标情况 | 1-2季度 | 同比±% |
| 商标注册量(件) | 30000 | 5.0 |
| 集体商标 | 100 | 1.0 |
"""


# Made up. Units on a line of their own under the headers; the last column (a rank) has none.
UNITS = """\
2023年各市有效发明专利
地区 有效发明专利 常住人口 每万人发明专利拥有量 排名
     (件)        (万人)      (件/万人)
A市 120000 1252.2 95.83 1
B市 50000 969.7 51.56 2
C市 15000 976.8 15.36 4
D市 8000 540.1 14.81 5
E市 30000 600.5 49.96 3
"""

# Made up. A 序号 column before the labels: row numbers, not figures.
INDEXED = """\
序号 地区 合计 发明 实用新型
1 甲县 100 40 60
2 乙县 200 50 150
3 丙县 300 100 200
4 丁县 50 20 30
"""


# Made up. A column of shares in the table (发明占比 = 发明 ÷ 合计 × 100).
PERCENT = """\
地区 合计 发明 发明占比(%) 实用新型
全省 1300 370 28.5 930
甲市 600 200 33.3 400
乙市 400 100 25.0 300
丙市 300 70 23.3 230
"""


def _province() -> str:
    """Made up: a province of 14 cities, an 其 他 row with dashes and a 全 省 total, 10 columns, scraped one cell
    a line under a header of two rows read one after the other (group headers, then sub-headers)."""
    rows = []
    totals = [0] * 7
    population = Decimal(0)
    for i in range(14):
        invention, utility, design = 1000 + 137 * i * (i % 5 + 1), 2000 + 91 * i, 700 + 53 * (i % 7)
        service = invention + utility + design
        individual = 300 + 29 * i
        people = Decimal(100) + Decimal("23.7") * i + Decimal(i % 3) / 10
        density = (Decimal(invention) / people).quantize(Decimal("0.01"), ROUND_HALF_UP)
        values = [service + individual, service, invention, utility, design, individual, individual]
        rows.append((f"{'ABCDEFGHIJKLMN'[i]}市", values, people, density))
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        population += people
    ranked = sorted(rows, key=lambda r: -r[3])
    other = [900, 600, 100, 300, 200, 300, 300]
    totals = [a + b for a, b in zip(totals, other, strict=True)]
    density = (Decimal(totals[2]) / population).quantize(Decimal("0.01"), ROUND_HALF_UP)
    header = ["2023年各市专利授权情况", "地 区", "合计", "职务", "非职务", "个人", "常住人口", "(万人)",
              "每万人发明专利拥有量", "(件/万人)", "排名", "小计", "发明", "实用新型", "外观设计"]
    lines = header[:]
    for name, values, people, dens in rows:
        lines += [name, *map(str, values), f"{people:.1f}", f"{dens:.2f}", str(ranked.index(
            next(r for r in ranked if r[0] == name)) + 1)]
    lines += ["其 他", *map(str, other), "-", "-", "-"]
    lines += ["全 省", *map(str, totals), f"{population:.1f}", f"{density:.2f}", "-"]
    return "\n".join(lines) + "\n"


PROVINCE = _province()


def _province_rows() -> str:
    """The same made-up province, one row a line under a header of two lines (sub-headers under their group,
    spaced apart by two spaces) and a line of units: `地 区` spaced out, (万人) two lines under 常住人口."""
    lines = PROVINCE.split("\n")
    header = ["2023年各市专利授权情况", "地 区  合计  职务  非职务  个人  常住人口  每万人发明专利拥有量  排名",
              "                小计  发明  实用新型  外观设计", "             (万人)  (件/万人)"]
    start = lines.index("A市")
    body = [" ".join(lines[i:i + 11]) for i in range(start, len(lines) - 1, 11)]
    return "\n".join(header + body) + "\n"


PROVINCE_ROWS = _province_rows()


def draft(tmp_path: Path, text: str, name: str = "doc") -> tuple[Path, dict, int]:
    """An empty base, `add-source`, `scaffold`, `check`: the base, the draft as YAML, check's exit code."""
    root = tmp_path / "base"
    (root / "facts").mkdir(parents=True, exist_ok=True)
    (root / "facts" / "metrics.yaml").write_text((REPO / "facts" / "metrics.yaml").read_text(encoding="utf-8"),
                                                 encoding="utf-8")
    (root / "facts" / "sources.yaml").write_text("", encoding="utf-8")
    document = tmp_path / f"{name}.txt"
    document.write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["add-source", str(document), "--id", name, "--root", str(root)]).exit_code == 0
    out = root / "facts" / f"{name}.yaml"
    result = runner.invoke(app, ["scaffold", name, "--root", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    checked = runner.invoke(app, ["check", "--root", str(root), "-q"])
    return root, yaml.safe_load(out.read_text(encoding="utf-8")), checked.exit_code


def identities(data: dict) -> list[dict]:
    return [i for table in data["tables"].values() for i in table.get("identities", [])]


def errors(root: Path) -> list:
    _, report = check_root(root)
    return [f for f in report.findings if f.severity == "error"]


SHAPES = {  # text, identities expected, the text with one cell off by one in its last digit, its row and value
    "spaces": (SPACES, [{"sum": {"total": ["invention", "utility", "design"]}},
                        {"sum_rows": {"total": ["jiaqu", "yixian", "qita"]}}],
               SPACES.replace("乙 县 400 100 200", "乙 县 400 100 201"), "乙县", "201"),
    "tabs": (TABS, [{"density": {"column": "per_10k_valid_invention_patent", "count": "valid_invention_patent",
                                 "population": "population"}}],
             TABS.replace("15.36", "15.37"), "C市", "15.37"),
    "pipes": (PIPES, [{"sum": {"patent_grants": ["invention", "utility", "design"]}},
                      {"sum_rows": {"total": ["jiaxian", "yixian", "bingxian", "dingxian", "wuxian"]}}],
              PIPES.replace("| 250 | 60 |", "| 251 | 60 |"), "丁县", "251"),
    "cells": (CELLS, [{"sum": {"total": ["invention", "utility", "design"]}},
                      {"sum_rows": {"total": ["hangzhoushibenji", "ningbo", "wenzhou"]}}],
              CELLS.replace("宁波 |\n190 |", "宁波 |\n191 |"), "宁波", "191"),
    "blanks": (BLANKS, [{"sum": {"total": ["service", "non_service"]}}, {"equal": {"non_service": ["individual"]}},
                        {"sum_rows": {"total": ["jiashi", "yishi"]}}],
               BLANKS.replace("乙市\n\n300\n\n150", "乙市\n\n300\n\n151"), "乙市", "151"),
    "units": (UNITS, [{"density": {"column": "per_10k_invention_patent", "count": "valid_invention_patent",
                                   "population": "population"}}, {"rank": {"column": "rank", "by":
                                                                           "valid_invention_patent", "order": "desc"}}],
              UNITS.replace("15.36", "15.37"), "C市", "15.37"),
    "index": (INDEXED, [{"sum": {"total": ["invention", "utility"]}}], INDEXED.replace("丙县 300 100", "丙县 300 101"),
              "丙县", "101"),
    "percent": (PERCENT, [{"percent": {"column": "invention_share", "part": "invention", "whole": "total"}},
                          {"sum_rows": {"total": ["jiashi", "yishi", "bingshi"]}}],
                PERCENT.replace("25.0", "25.1"), "乙市", "25.1"),
    "panels": (PANELS, [{"sum": {"total": ["invention", "utility"]}}],
               PANELS.replace("甲市 500 250 250", "甲市 500 251 250"), "甲市", "251"),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_shape_is_drafted_with_its_identities_and_loads_untouched(tmp_path: Path, shape: str) -> None:
    text, wanted, _, _, _ = SHAPES[shape]
    root, data, code = draft(tmp_path, text)
    assert code == 0, [f.message for f in errors(root)]
    found = identities(data)
    for identity in wanted:
        assert identity in found, (identity, found)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_misprint_is_an_error_on_the_untouched_draft_naming_its_cell(tmp_path: Path, shape: str) -> None:
    _, _, bad, row, value = SHAPES[shape]
    root, _, code = draft(tmp_path, bad)
    assert code == 1
    found = errors(root)
    assert found and any(row in f.message and value in f.message for f in found), [f.message for f in found]


@pytest.mark.parametrize("shape", ["cells", "rows"])
def test_the_province_table_of_ten_columns_under_a_two_row_header(tmp_path: Path, shape: str) -> None:
    root, data, code = draft(tmp_path, PROVINCE if shape == "cells" else PROVINCE_ROWS)
    assert code == 0, [f.message for f in errors(root)]
    [table] = data["tables"].values()
    columns = [(c.get("group"), c["header"]) for c in table["columns"].values()]
    assert columns == [(None, "合计"), ("职务", "小计"), ("职务", "发明"), ("职务", "实用新型"), ("职务", "外观设计"),
                       (None, "非职务"), (None, "个人"), (None, "常住人口"), (None, "每万人发明专利拥有量"), (None, "排名")]
    keys = list(table["columns"])
    assert table["columns"][keys[7]]["unit"] == "万人", "(万人) on its own line under 常住人口"
    assert table["rows"]["qita"]["cells"][-3:] == ["-", "-", "-"], "the 其 他 row keeps its dashes"
    assert table["rows"]["total"]["region"] == "全省"
    kinds = [next(iter(i)) for i in table["identities"]]
    assert sorted(kinds) == ["density", "equal", "rank", "sum", "sum", "sum_rows"]
    assert {"sum": {keys[1]: keys[2:5]}} in table["identities"]
    rank = next(i["rank"] for i in table["identities"] if "rank" in i)
    assert rank["column"] == keys[9] and len(rank["rows"]) == 14


@pytest.mark.parametrize("shape", ["cells", "rows"])
def test_a_province_cell_off_by_one_is_an_error_at_that_cell(tmp_path: Path, shape: str) -> None:
    lines = PROVINCE.split("\n")
    at = lines.index("A市") + 3  # its 发明: in 职务小计's sum and 发明's column total (its density 10.00 holds: 100.0万 is ±0.05)
    assert lines[at] == "1000"
    text = "\n".join(lines[:at] + ["1001"] + lines[at + 1:]) if shape == "cells" else \
        PROVINCE_ROWS.replace("A市 4000 3700 1000 ", "A市 4000 3700 1001 ")
    root, _, code = draft(tmp_path, text)
    assert code == 1
    found = errors(root)
    assert [f.code for f in found] == ["T007"] and "row A市 · column 职务 发明 (1001) breaks 2 identities" in \
        found[0].message, [f.message for f in found]


def test_share_rows_under_count_rows_become_a_share_table(tmp_path: Path) -> None:
    root, data, code = draft(tmp_path, SHARES)
    assert code == 0, [f.message for f in errors(root)]
    counts, shares = data["tables"]
    assert data["tables"][shares]["rows"]["jiashi"] == {"region": "甲市", "header": "Jia", "line": 6,
                                                        "cells": ["100.0%", "83.3%", "16.7%"]}
    assert {"share": {"of": counts, "whole": "total"}} in data["tables"][shares]["identities"]
    root, _, code = draft(tmp_path / "bad", SHARES.replace("83.3%", "83.4%"))
    assert code == 1 and any(f.code == "T010" and "83.4" in f.message for f in errors(root))


def test_several_small_tables_and_the_page_furniture(tmp_path: Path) -> None:
    root, data, code = draft(tmp_path, BLOCKS)
    assert code == 0, [f.message for f in errors(root)]
    assert len(data["tables"]) == 2
    first = next(iter(data["tables"].values()))
    assert {"sum_rows": {"shouquanzhuanlishu": ["faming", "shiyongxinxing", "waiguansheji"]}} in first["identities"]
    assert first["columns"]["growth"]["unit"] == "%"
    assert data["facts"] == {}, "the page's date and time are not drafted as facts"
    assert {(i["line"], i["text"]) for i in data["ignore"]} == {(2, "12"), (3, "14"), (3, "46")}
    assert all("date" in i["reason"] or "time" in i["reason"] for i in data["ignore"])
    root, _, code = draft(tmp_path / "bad", BLOCKS.replace("17610", "17611"))
    assert code == 1 and any("17611" in f.message for f in errors(root))


def test_coverage_counts_every_cell_of_a_drafted_table(tmp_path: Path) -> None:
    for shape in ("cells", "blanks", "panels"):
        root, _, _ = draft(tmp_path / shape, SHAPES[shape][0])
        result = runner.invoke(app, ["coverage", "--root", str(root), "--format", "json"])
        [source] = json.loads(result.output)
        [table] = source["tables"]
        assert table["numbers"] == table["cited"] == table["declared_cells"] > 0, (shape, table)
        assert source["ratio"] == 1.0


# --- the six real scrapes -------------------------------------------------------------------------------------

HEADERS = {  # every column under its header (group, header), as the page prints them
    "cnipa-2023-design-patents-in-force-by-region": [(None, h) for h in ("合计", "高等院校", "科研机构", "企业", "事业单位",
                                                                          "个人")],
    "cnipa-2019-design-patents-in-force-by-service": [("2019", h) for h in ("合计", "大专院校", "科研单位", "企业",
                                                                             "机关团体")] * 2,
    "cnipa-2003-patents-by-service-cumulative": [(g, h) for g in ("总累计", "2003年") for h in ("合计", "非职务", "职务")],
    "cnipa-2016-12-invention-applications-two-panels": [(None, h) for h in (
        "Monthly Total", "Yearly Total", "Year-on-year Growth Rate", "Total")],
    "cnipa-2022-utility-models-in-force-by-region": [(None, h) for h in ("2017", "2021", "2022")],
    "ningbo-2024h1-indicators-pipe": [(None, h) for h in ("1-2季度", "同比±%", "1-6月", "同比±%", "1-5月增速(%)")],
}

REAL = {  # the identities their README names; the broken ones must be reported
    "cnipa-2023-design-patents-in-force-by-region": (
        [{"sum": {"total": ["university", "research", "enterprise", "public_institution", "individual"]}}],
        "T006"),
    "cnipa-2019-design-patents-in-force-by-service": (
        [{"sum": {"y2019_total": ["y2019_university", "y2019_research", "y2019_enterprise", "y2019_organization"]}},
         {"share": {"of": "table1", "whole": "y2019_total"}}], "T006"),
    "cnipa-2003-patents-by-service-cumulative": (
        [{"sum": {"cumulative_total": ["cumulative_non_service", "cumulative_service"]}},
         {"sum": {"y2003_total": ["y2003_non_service", "y2003_service"]}}], None),
    "cnipa-2016-12-invention-applications-two-panels": ([], "T006"),
    "cnipa-2022-utility-models-in-force-by-region": ([], None),
    "ningbo-2024h1-indicators-pipe": ([{"sum_rows": {"shouquanzhuanlishu": ["faming", "shiyongxinxing",
                                                                             "waiguansheji"]}}], None),
}


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures/tables is not beside the repository")
@pytest.mark.parametrize("name", sorted(REAL))
def test_the_real_scrapes_are_drafted_with_every_identity_and_the_broken_ones_reported(tmp_path: Path,
                                                                                      name: str) -> None:
    wanted, error = REAL[name]
    root, data, code = draft(tmp_path, (FIXTURES / f"{name}.txt").read_text(encoding="utf-8"), "src")
    assert code == (1 if error else 0), [f.message for f in errors(root)]
    found = identities(data)
    for identity in wanted:
        assert identity in found, (identity, found)
    assert [(c.get("group"), c["header"]) for t in data["tables"].values() for c in t["columns"].values()] == \
        HEADERS[name]
    rows = [i["sum_rows"] for i in found if "sum_rows" in i]
    if "by-region" in name or "two-panels" in name or "2003" in name:
        [parts] = rows
        [listed] = parts.values()
        assert not {"guangzhou", "ningbo", "shenzhen", "xinjiang_bingtua"} & set(listed), "cities are inside provinces"
    if error:
        assert [f.code for f in errors(root)] == [error], "the cut-off rows: the total does not add up, and says so"


def test_the_search_is_bounded_and_finds_sums_among_thirty_columns() -> None:
    """Made up: 30 columns, two sums of ten columns each, the rest unrelated; one misprinted row kept."""
    from ipfacts.tables import arith

    rows = []
    for i in range(60):
        parts = [(i * 7919 + k * 104729) % 997 + 1 for k in range(28)]
        rows.append([str(sum(parts[:10]))] + [str(p) for p in parts] + [str(sum(parts[10:20]))])
    rows[17][0] = str(int(rows[17][0]) + 1)
    found = arith.column_sums(arith.grid(rows, 30), list(range(60)))
    assert [(f.total, f.parts, f.holds, f.broken) for f in found] == [
        (0, tuple(range(1, 11)), 59, (17,)), (29, tuple(range(11, 21)), 60, ())]


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures/tables is not beside the repository")
def test_a_draft_loads_however_the_scrape_is_mangled(tmp_path: Path) -> None:
    """The real scrapes and the made-up shapes with lines dropped, joined, blanked, a 0 made a dash (a fixed
    seed): every untouched draft loads (check exits 0 or 1)."""
    import random

    chance = random.Random(11)
    texts = [SPACES, CELLS, PANELS, BLOCKS, PROVINCE] + [f.read_text(encoding="utf-8") for f in sorted(FIXTURES.glob("*.txt"))]
    for n in range(8):
        lines = chance.choice(texts).split("\n")
        for _ in range(chance.randint(1, 4)):
            op, i = chance.random(), chance.randrange(len(lines))
            if op < 0.4:
                del lines[i]
            elif op < 0.6 and i + 1 < len(lines):
                lines[i] = lines[i] + " " + lines.pop(i + 1)
            elif op < 0.8:
                lines.insert(i, "")
            else:
                lines[i] = lines[i].replace("0", "-", 1)
        _, _, code = draft(tmp_path / str(n), "\n".join(lines) + "\n")
        assert code in (0, 1), n


def test_a_time_series_is_labelled_by_its_years_each_row_its_period(tmp_path: Path) -> None:
    """Made up: rows labelled by a year (年份), every cell of a row of that year."""
    text = ("表3 历年专利授权量\n年份 合计 发明 实用新型 外观设计\n2019 1000 200 500 300\n2020 1200 250 600 350\n"
            "2021 1500 300 800 400\n2022 1600 350 850 400\n")
    root, data, code = draft(tmp_path, text)
    assert code == 0, [f.message for f in errors(root)]
    [table] = data["tables"].values()
    assert table["rows"]["y2020"] == {"header": "2020", "period": "2020", "line": 4,
                                      "cells": ["1200", "250", "600", "350"]}
    from ipfacts.load.loader import load

    assert load(root).facts["doc/table1/y2020/invention"].period == "2020"
    root, _, code = draft(tmp_path / "bad", text.replace("1500 300 800", "1500 301 800"))
    assert code == 1 and any("2021" in f.message and "301" in f.message for f in errors(root))
