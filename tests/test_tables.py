"""Table blocks on hand-made tables of each shape real scrapes take (one cell per line,
whitespace-separated rows, Markdown pipe tables): a consistent table passes, one wrong cell is
reported once at its cell with its row and column named, totals and densities are checked
rounding-aware, ranks are checked."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.findings import Finding
from ipfacts.load.loader import LoadFailed, load
from ipfacts.review.checked import check_root

runner = CliRunner()

METRICS = """\
patent.grants: {zh: 专利授权量, en: Patents granted, unit: 件, kind: flow}
patent.invention.grants: {zh: 发明专利授权量, en: Invention patents granted, unit: 件, kind: flow}
patent.utility.grants: {zh: 实用新型专利授权量, en: Utility models granted, unit: 件, kind: flow}
patent.design.grants: {zh: 外观设计专利授权量, en: Designs granted, unit: 件, kind: flow}
patent.invention.valid: {zh: 有效发明专利量, en: Valid invention patents, unit: 件, kind: stock}
patent.invention.valid.per_10k: {zh: 每万人有效发明专利拥有量, en: "Valid invention patents per 10,000 residents", unit: 件, kind: rate}
population: {zh: 常住人口, en: Resident population, unit: 万人, kind: stock}
"""
SCORE_METRIC = "score: {zh: 得分, en: Score, unit: 分, kind: rate}\n"


def make_table_base(tmp_path: Path, texts: dict[str, str], facts: dict[str, str], metrics: str = METRICS,
                    extra: dict[str, str] | None = None) -> Path:
    """A base whose sources are the given texts (source id = name) and whose fact files are given."""
    root = tmp_path / "base"
    (root / "facts").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    sources = []
    for name, text in texts.items():
        data = textwrap.dedent(text).encode("utf-8")
        (root / "docs" / f"{name}.txt").write_bytes(data)
        sources.append(f"{name}:\n  file: docs/{name}.txt\n  region: 浙江省\n  period: 2023\n"
                       f"  sha256: {hashlib.sha256(data).hexdigest()}\n")
    (root / "facts" / "sources.yaml").write_text("".join(sources), encoding="utf-8")
    (root / "facts" / "metrics.yaml").write_text(metrics, encoding="utf-8")
    for name, text in {**facts, **(extra or {})}.items():
        (root / "facts" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def findings_of(root: Path) -> list[Finding]:
    _, report = check_root(root)
    return report.findings


# One table, three shapes. 浙江省 = 杭州市 + 宁波市 + 其他 in every column; 合计 = 发明 + 实用新型 + 外观设计 in every row.
WHITESPACE = """\
    2023年浙江省专利授权量（件）
    地区 合计 发明 实用新型 外观设计
    浙江省 100 30 50 20
    杭州市 60 20 30 10
    宁波市 30 8 15 7
    其他 10 2 5 3
    """

PIPES = """\
    2023年浙江省专利授权量（件）
    | 地区 | 合计 | 发明 | 实用新型 | 外观设计 |
    |---|---|---|---|---|
    | 浙江省 | 100 | 30 | 50 | 20 |
    | 杭州市 | 60 | 20 | 30 | 10 |
    | 宁波市 | 30 | 8 | 15 | 7 |
    | 其他 | 10 | 2 | 5 | 3 |
    """

ONE_PER_LINE = """\
    2023年浙江省专利授权量（件）
    地区
    合计
    发明
    实用新型
    外观设计
    浙江省
    100
    30
    50
    20
    杭州市
    60
    20
    30
    10
    宁波市
    30
    8
    15
    7
    其他
    10
    2
    5
    3
    """

# row → (line in each shape) — the header line(s) too
LINES = {
    "whitespace": {"header": "2", "province": 3, "hangzhou": 4, "ningbo": 5, "other": 6},
    "pipes": {"header": "2", "province": 4, "hangzhou": 5, "ningbo": 6, "other": 7},
    "one_per_line": {"header": "2-6", "province": 7, "hangzhou": 12, "ningbo": 17, "other": 22},
}
SHAPES = {"whitespace": WHITESPACE, "pipes": PIPES, "one_per_line": ONE_PER_LINE}
CELLS = {
    "province": ["100", "30", "50", "20"],
    "hangzhou": ["60", "20", "30", "10"],
    "ningbo": ["30", "8", "15", "7"],
    "other": ["10", "2", "5", "3"],
}
REGIONS = {"province": "浙江省", "hangzhou": "杭州市", "ningbo": "宁波市", "other": "其他"}


def grants_file(shape: str, cells: dict[str, list[str]] | None = None) -> str:
    cells = {**CELLS, **(cells or {})}
    lines = LINES[shape]
    rows = "\n".join(
        f"      {row}: {{region: {REGIONS[row]}, line: {lines[row]}, cells: [{', '.join(repr(c) for c in cells[row])}]}}"
        for row in CELLS)
    return f"""\
source: {shape}
tables:
  grants:
    line: {lines['header']}
    unit: 件
    columns:
      total: {{header: 合计, metric: patent.grants}}
      invention: {{header: 发明, metric: patent.invention.grants}}
      utility: {{header: 实用新型, metric: patent.utility.grants}}
      design: {{header: 外观设计, metric: patent.design.grants}}
    rows:
{rows}
    identities:
      - sum: {{total: [invention, utility, design]}}
      - sum_rows: {{province: [hangzhou, ningbo, other]}}
"""


def grants_base(tmp_path: Path, shape: str, source: str | None = None, cells: dict[str, list[str]] | None = None) -> Path:
    return make_table_base(tmp_path, {shape: source or SHAPES[shape]}, {"zhejiang.yaml": grants_file(shape, cells)})


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_consistent_table_passes_and_every_cell_is_a_fact(tmp_path: Path, shape: str) -> None:
    root = grants_base(tmp_path, shape)
    base = load(root)
    cell = base.facts["zhejiang/grants/hangzhou/invention"]
    assert (cell.value.text, cell.value.unit, cell.region, cell.period, cell.metric) == ("20", "件", "杭州市", "2023",
                                                                                         "patent.invention.grants")
    assert cell.quote == "20" and cell.line_from == LINES[shape]["hangzhou"]
    assert cell.cell is not None and cell.cell.label == "row 杭州市 · column 发明"
    assert len([f for f in base.facts.values() if f.cell]) == 16
    _, report = check_root(root)
    assert report.findings == []
    assert report.relations_checked >= 4 + 4  # four row sums, four column sums


@pytest.mark.parametrize("shape", list(SHAPES))
def test_one_wrong_cell_is_reported_once_at_its_cell(tmp_path: Path, shape: str) -> None:
    # the source itself prints 21 for 杭州市's 发明 (curated as written): its row and its column fail
    source = SHAPES[shape]
    wrong = {"whitespace": ("杭州市 60 20 30 10", "杭州市 60 21 30 10"),
             "pipes": ("| 杭州市 | 60 | 20 |", "| 杭州市 | 60 | 21 |"),
             "one_per_line": ("杭州市\n    60\n    20\n", "杭州市\n    60\n    21\n")}[shape]
    assert wrong[0] in source
    root = grants_base(tmp_path, shape, source.replace(*wrong),
                       {"hangzhou": ["60", "21", "30", "10"]})
    found = findings_of(root)
    assert [f.code for f in found] == ["T007"], [f.message for f in found]
    finding = found[0]
    assert finding.severity == "error"
    assert finding.facts[0].id == "zhejiang/grants/hangzhou/invention"
    assert "row 杭州市 · column 发明 (21)" in finding.message
    assert finding.details["row"] == "杭州市" and finding.details["column"] == "发明"


def test_a_wrong_total_cell_is_reported_at_the_total(tmp_path: Path) -> None:
    root = grants_base(tmp_path, "whitespace", WHITESPACE.replace("宁波市 30 8", "宁波市 31 8"),
                       {"ningbo": ["31", "8", "15", "7"]})
    found = findings_of(root)
    assert [(f.code, f.facts[0].id) for f in found] == [("T007", "zhejiang/grants/ningbo/total")]
    assert "row 宁波市 · column 合计" in found[0].message


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_cell_curated_from_the_wrong_column_is_caught_by_position(tmp_path: Path, shape: str) -> None:
    # 杭州市's 外观设计 is 10, as is 其他's 合计: the digits alone would pass; its place on the row does not
    cells = {"hangzhou": ["60", "20", "10", "30"]}  # 实用新型 and 外观设计 swapped
    found = findings_of(grants_base(tmp_path, shape, cells=cells))
    position = [f for f in found if f.code == "T001"]
    assert sorted(f.facts[0].id for f in position) == ["zhejiang/grants/hangzhou/design", "zhejiang/grants/hangzhou/utility"]
    assert any("in the place of column 外观设计, not of 实用新型" in f.message for f in position)


def test_a_cell_not_on_its_row(tmp_path: Path) -> None:
    found = findings_of(grants_base(tmp_path, "whitespace", cells={"ningbo": ["30", "8", "15", "9"]}))
    codes = {f.code for f in found}
    assert "T002" in codes
    t002 = next(f for f in found if f.code == "T002")
    assert "row 宁波市 · column 外观设计 (9)" in t002.message and "30 8 15 7" in t002.message


def test_a_prose_fact_refers_to_a_cell_by_its_path_in_the_file(tmp_path: Path) -> None:
    text = grants_file("whitespace") + """\
facts:
  hz_total: {value: 60件, line: 4, quote: 杭州市 60, same_as: grants/hangzhou/total}
  hz_design: {value: 11件, line: 4, quote: 10, same_as: grants/hangzhou/design}
"""
    found = findings_of(make_table_base(tmp_path, {"whitespace": WHITESPACE}, {"zhejiang.yaml": text}))
    assert sorted(f.code for f in found) == ["C005", "R113"]
    assert next(f for f in found if f.code == "R113").facts[0].id in ("zhejiang/hz_design", "zhejiang/grants/hangzhou/design")


def test_a_year_as_a_row_label_is_the_label_not_a_cell(tmp_path: Path) -> None:
    source = "专利授权量（件）\n年份 合计 发明\n2022 150 50\n2023 180 60\n"
    facts = """\
    source: years
    tables:
      grants:
        line: 2
        unit: 件
        columns:
          total: {header: 合计}
          invention: {header: 发明}
        rows:
          y2022: {header: "2022", line: 3, cells: ["150", "50"]}
          y2023: {header: "2023", line: 4, cells: ["180", "60"]}
    """
    assert findings_of(make_table_base(tmp_path, {"years": source}, {"years.yaml": facts})) == []


def test_a_row_line_off_by_one_says_so(tmp_path: Path) -> None:
    text = grants_file("whitespace").replace("line: 5, cells: ['30'", "line: 6, cells: ['30'")
    root = make_table_base(tmp_path, {"whitespace": WHITESPACE}, {"zhejiang.yaml": text})
    codes = [f.code for f in findings_of(root)]
    assert "T003" in codes and "T002" in codes


WAN = """\
    各市商标有效注册量（万件）
    地区 合计
    全省 {total}
    甲市 1.23
    乙市 2.34
    丙市 3.45
    """


def wan_base(tmp_path: Path, total: str) -> Path:
    facts = f"""\
    source: wan
    tables:
      marks:
        line: 2
        unit: 万件
        columns:
          total: {{header: 合计}}
        rows:
          province: {{region: 全省, line: 3, cells: ["{total}"]}}
          a: {{region: 甲市, line: 4, cells: ["1.23"]}}
          b: {{region: 乙市, line: 5, cells: ["2.34"]}}
          c: {{region: 丙市, line: 6, cells: ["3.45"]}}
        identities:
          - sum_rows: {{province: [a, b, c]}}
    """
    return make_table_base(tmp_path, {"wan": WAN.format(total=total)}, {"marks.yaml": facts})


@pytest.mark.parametrize(("total", "verdict"), [("7.02", None), ("7.03", None), ("7.01", None),
                                                  ("7.04", "error"), ("7.10", "error"), ("6.90", "error")])
def test_a_total_row_is_good_to_its_parts_rounding(tmp_path: Path, total: str, verdict: str | None) -> None:
    # three parts rounded to 0.01万: their sum is 7.02 ± 0.015万, the total 7.03 means 7.025–7.035; the column
    # is printed to two decimals in every cell, so 7.10's trailing zero is significant (7.095–7.105) and 7.04,
    # off by more than the rounding of its parts, is an error, not a lenient warning
    found = findings_of(wan_base(tmp_path, total))
    assert [f.severity for f in found] == ([verdict] if verdict else []), [f.message for f in found]
    if verdict:
        assert found[0].code == "T006" and found[0].facts[0].id == "marks/marks/province/total"
        assert "row 全省 · column 合计" in found[0].message


DENSITY = """\
    2023年各市每万人有效发明专利拥有量
    | 地区 | 有效发明专利（件） | 常住人口（万人） | 每万人有效发明专利拥有量（件） | 排名 |
    |---|---|---|---|---|
    | 杭州市 | 120000 | 1252.2 | {hz} | {hz_rank} |
    | 宁波市 | 50000 | 969.7 | 51.56 | {nb_rank} |
    | 温州市 | 15000 | 976.8 | 15.36 | 3 |
    """


def density_base(tmp_path: Path, hz: str = "95.83", hz_rank: str = "1", nb_rank: str = "2") -> Path:
    facts = f"""\
    source: density
    tables:
      valid:
        line: 2
        columns:
          valid: {{header: 有效发明专利, metric: patent.invention.valid, unit: 件}}
          pop: {{header: 常住人口, metric: population, unit: 万人}}
          density: {{header: 每万人有效发明专利拥有量, metric: patent.invention.valid.per_10k, unit: 件}}
          rank: {{header: 排名}}
        rows:
          hangzhou: {{region: 杭州市, line: 4, cells: ["120000", "1252.2", "{hz}", "{hz_rank}"]}}
          ningbo: {{region: 宁波市, line: 5, cells: ["50000", "969.7", "51.56", "{nb_rank}"]}}
          wenzhou: {{region: 温州市, line: 6, cells: ["15000", "976.8", "15.36", "3"]}}
        identities:
          - density: {{column: density, count: valid, population: pop}}
          - rank: {{column: rank, by: density, order: desc}}
    """
    text = DENSITY.format(hz=hz, hz_rank=hz_rank, nb_rank=nb_rank)
    return make_table_base(tmp_path, {"density": text}, {"density.yaml": facts})


def test_a_matching_density_and_rank_column_pass(tmp_path: Path) -> None:
    assert findings_of(density_base(tmp_path)) == []


def test_a_density_that_does_not_match_count_and_population_is_an_error(tmp_path: Path) -> None:
    found = findings_of(density_base(tmp_path, hz="96.83"))
    assert [(f.code, f.severity, f.facts[0].id) for f in found] == [("T008", "error", "density/valid/hangzhou/density")]
    assert "row 杭州市" in found[0].message and "120000 ÷ 1252.2万人 × 10,000" in found[0].message


def test_a_density_off_in_its_last_digit_only(tmp_path: Path) -> None:
    # 120000 ÷ 1252.2万 lies in 95.8275–95.8352 under the rounding of 1252.2; 95.84 (95.835–95.845) touches it, 95.85 does not
    assert findings_of(density_base(tmp_path, hz="95.84")) == []
    assert [f.code for f in findings_of(density_base(tmp_path / "next", hz="95.85"))] == ["T008"]


def test_a_wrong_rank_column_is_reported_at_each_rank_cell(tmp_path: Path) -> None:
    found = findings_of(density_base(tmp_path, hz_rank="2", nb_rank="1"))
    assert sorted((f.code, f.facts[0].id) for f in found) == [("T009", "density/valid/hangzhou/rank"),
                                                               ("T009", "density/valid/ningbo/rank")]
    assert all(f.severity == "error" for f in found)
    assert any("row 杭州市 · column 排名 (2)" in f.message and "ranks 1 of 3" in f.message for f in found)


def test_tied_figures_allow_either_rank(tmp_path: Path) -> None:
    # 宁波市 and 温州市 both 51.56: either may be second
    text = DENSITY.format(hz="95.83", hz_rank="1", nb_rank="3").replace("15000 | 976.8 | 15.36 | 3",
                                                                        "50000 | 969.7 | 51.56 | 2")
    root = density_base(tmp_path, nb_rank="3")
    (root / "docs" / "density.txt").write_text(textwrap.dedent(text), encoding="utf-8")
    fact_file = root / "facts" / "density.yaml"
    fact_file.write_text(fact_file.read_text(encoding="utf-8").replace(
        '["15000", "976.8", "15.36", "3"]', '["50000", "969.7", "51.56", "2"]'), encoding="utf-8")
    sources = root / "facts" / "sources.yaml"
    sha = hashlib.sha256((root / "docs" / "density.txt").read_bytes()).hexdigest()
    sources.write_text("density:\n  file: docs/density.txt\n  region: 浙江省\n  period: 2023\n  sha256: " + sha + "\n",
                       encoding="utf-8")
    assert findings_of(root) == []


PROSE = """\
    2023年，杭州市专利授权量60件，居全省第一；宁波市30件，居全省第二；其他地区10件。
    温州市得分83.25分。
    """


def prose_base(tmp_path: Path, rank: str, quote: str, units_txt: str | None = None, score: bool = False) -> Path:
    wz = "\n          wz: {metric: score, value: 83.25分, line: 2, quote: 温州市得分83.25分}" if score else ""
    facts = f"""\
    source: prose
    unit: 件
    groups:
      - region: 杭州市
        facts:
          hz: {{metric: patent.grants, value: "60", line: 1, quote: 杭州市专利授权量60件}}
          hz_rank: {{value: "{rank}", unit: "", line: 1, quote: {quote}, rank_among: [hz, nb, other]}}
      - region: 宁波市
        facts:
          nb: {{metric: patent.grants, value: "30", line: 1, quote: 宁波市30件}}
      - region: 其他
        facts:
          other: {{metric: patent.grants, value: "10", line: 1, quote: 其他地区10件}}{wz}
    """
    extra = {"units.txt": units_txt} if units_txt is not None else None
    metrics = METRICS + (SCORE_METRIC if score else "")
    return make_table_base(tmp_path, {"prose": PROSE}, {"prose.yaml": facts}, metrics=metrics, extra=extra)


def test_a_rank_in_prose_is_checked_against_the_figures_it_ranks(tmp_path: Path) -> None:
    root = prose_base(tmp_path, "1", "居全省第一")
    base = load(root)
    assert base.facts["prose/nb"].region == "宁波市" and base.facts["prose/nb"].value.unit == "件"
    assert findings_of(root) == []


def test_a_wrong_rank_in_prose_is_an_error(tmp_path: Path) -> None:
    found = findings_of(prose_base(tmp_path, "2", "居全省第二"))
    assert [(f.code, f.severity) for f in found] == [("R140", "error")]
    assert "prose/hz (60) ranks 1 of 3" in found[0].message


def test_a_rank_quote_must_hold_the_rank(tmp_path: Path) -> None:
    found = findings_of(prose_base(tmp_path, "3", "居全省第一"))
    assert "C005" in [f.code for f in found]


def test_a_fact_base_adds_its_own_units(tmp_path: Path) -> None:
    with pytest.raises(LoadFailed) as failed:
        load(prose_base(tmp_path, "1", "居全省第一", score=True))  # 分 is unknown without the base's units
    assert any(p.code == "L010" and "分" in p.message for p in failed.value.problems)
    root = prose_base(tmp_path, "1", "居全省第一", units_txt="# our units\n分 = [score] = 分值\n名次 = [place]\n", score=True)
    base = load(root)
    assert base.facts["prose/wz"].value.unit == "分"
    assert findings_of(root) == []
    root = prose_base(tmp_path, "1", "居全省第一", units_txt="")  # the next base has none: the units are gone again
    with pytest.raises(LoadFailed):
        load(prose_base(tmp_path, "1", "居全省第一", score=True, units_txt=""))


def test_a_units_file_cannot_redefine_a_shipped_unit(tmp_path: Path) -> None:
    root = prose_base(tmp_path, "1", "居全省第一", units_txt="分 = [score]\n件 = [thing]\n千分 = 1000 * 分\n坏 = 3 ** 件\n")
    with pytest.raises(LoadFailed) as failed:
        load(root)
    problems = [(p.where.line if p.where else 0, p.code) for p in failed.value.problems if p.code == "L036"]
    assert problems == [(2, "L036"), (4, "L036")]


def test_the_units_file_is_part_of_the_run_cache_key(tmp_path: Path) -> None:
    root = prose_base(tmp_path, "1", "居全省第一", units_txt="分 = [score]\n", score=True)
    first = runner.invoke(app, ["check", "--root", str(root)])
    assert first.exit_code == 0, first.output
    (root / "facts" / "units.txt").write_text("分值 = [score]\n", encoding="utf-8")  # 分 is gone: 83.25分 no longer reads
    second = runner.invoke(app, ["check", "--root", str(root)])
    assert second.exit_code == 2 and "L010" in second.output


def test_an_ignore_entry_that_matches_nothing_is_a_warning_with_its_place(tmp_path: Path) -> None:
    facts = """\
    source: prose
    facts:
      hz: {value: 60件, line: 1, quote: 杭州市专利授权量60件}
    ignore:
      - {line: 1, text: 30件, reason: 另见宁波}
      - {line: 1, text: 10 件, reason: 其他地区}
      - {line: 1, text: "2023", reason: a year not a claim}
      - {line: 1, text: "2024", reason: not there}
    """
    root = make_table_base(tmp_path, {"prose": PROSE}, {"p.yaml": facts})
    found = findings_of(root)
    assert [(f.code, f.severity, str(f.where)) for f in found] == [("L039", "warning", "facts/p.yaml:6"),
                                                                  ("L039", "warning", "facts/p.yaml:8")]
    assert "'10 件' matches nothing at line 1" in found[0].message and "10件" in found[0].message
    assert "'2024' matches nothing at line 1" in found[1].message


def test_defaults_of_file_group_and_table_and_their_problems(tmp_path: Path) -> None:
    facts = """\
    source: prose
    region: 浙江省
    unit: 件
    facts:
      hz: {value: "60", line: 1, quote: 杭州市专利授权量60件, region: 杭州市}
      share: {value: 50%, line: 1, quote: 宁波市30件}
    groups:
      - {period: 2022, facts: {nb: {value: "30", line: 1, quote: 宁波市30件}}}
      - {facts: {hz: {value: "60", line: 1, quote: 杭州市专利授权量60件}}}
    """
    root = make_table_base(tmp_path, {"prose": PROSE}, {"p.yaml": facts})
    with pytest.raises(LoadFailed) as failed:
        load(root)
    assert [(p.code, p.where.line if p.where else 0) for p in failed.value.problems] == [("L002", 9)]
    root = make_table_base(tmp_path, {"prose": PROSE}, {"p.yaml": facts.replace("hz: {value: \"60\", line: 1, quote: 杭州市专利授权量60件}}}", "hz2: {value: \"60\", line: 1, quote: 杭州市专利授权量60件}}}")})
    base = load(root)
    nb, hz, share = base.facts["p/nb"], base.facts["p/hz"], base.facts["p/share"]
    assert (nb.region, nb.period, nb.value.unit) == ("浙江省", "2022", "件")
    assert (hz.region, hz.period) == ("杭州市", "2023")
    assert share.value.unit == "percent"  # a value's own unit wins over the default


@pytest.mark.parametrize(("change", "code"), [
    ("cells: ['60', '20', '30', '10']", "L031"),
    ("invention, utility, design]", "L033"),
    ("hangzhou:", "L034"),
])
def test_table_load_problems(tmp_path: Path, change: str, code: str) -> None:
    replacement = {"L031": "cells: ['60', '20', '30']", "L033": "invention, utility, desing]", "L034": "HangZhou:"}[code]
    text = grants_file("whitespace")
    assert change in text
    root = make_table_base(tmp_path, {"whitespace": WHITESPACE}, {"zhejiang.yaml": text.replace(change, replacement, 1)})
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 2 and code in result.output and "Traceback" not in result.output
    assert "facts/zhejiang.yaml:" in result.output


def test_show_names_a_cells_row_and_column(tmp_path: Path) -> None:
    from ipfacts.render.formats.detail import render
    from ipfacts.review.excerpts import attach

    root = grants_base(tmp_path, "one_per_line", ONE_PER_LINE.replace("宁波市\n    30\n    8\n", "宁波市\n    30\n    9\n"),
                       {"ningbo": ["30", "9", "15", "7"]})
    base, report = check_root(root)
    attach(base, report)
    finding = next(f for f in report.findings if f.code == "T007")
    text = render(report.view(finding))  # the excerpts are kept beside the finding, in the report
    assert "cell zhejiang/grants/ningbo/invention: row 宁波市 · column 发明" in text
    assert " 19 | 9" in text  # the excerpt reaches down to the line the cell stands on


def _render(shape: str, header: list[str], rows: list[tuple[str, list[int]]]) -> tuple[str, dict[str, int], str]:
    """A table's source text in one shape; the line each row starts on; the header line(s)."""
    lines = ["统计表"]
    starts: dict[str, int] = {}
    if shape == "whitespace":
        lines.append(" ".join(["地区", *header]))
        heading = "2"
        for label, cells in rows:
            starts[label] = len(lines) + 1
            lines.append(" ".join([label, *map(str, cells)]))
    elif shape == "pipes":
        lines += ["| " + " | ".join(["地区", *header]) + " |", "|" + "---|" * (len(header) + 1)]
        heading = "2"
        for label, cells in rows:
            starts[label] = len(lines) + 1
            lines.append("| " + " | ".join([label, *map(str, cells)]) + " |")
    else:
        lines += ["地区 |", *(f"{h} |" for h in header)]
        heading = f"2-{len(lines)}"
        for label, cells in rows:
            starts[label] = len(lines) + 1
            lines += [f"{label} |", *(f"{c} |" for c in cells)]
    return "\n".join(lines) + "\n", starts, heading


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.sampled_from(list(SHAPES)),
       parts=st.lists(st.lists(st.integers(0, 99999), min_size=2, max_size=4), min_size=2, max_size=5).filter(
           lambda rows: len({len(r) for r in rows}) == 1),
       where=st.tuples(st.integers(0, 10), st.integers(0, 10)), delta=st.sampled_from([-3, -1, 1, 2, 1000]))
def test_property_a_consistent_table_passes_and_one_wrong_cell_is_found_once(
        shape: str, parts: list[list[int]], where: tuple[int, int], delta: int) -> None:
    import tempfile

    width = len(parts[0])
    body = [[sum(r), *r] for r in parts]
    table = [[sum(col) for col in zip(*body, strict=True)], *body]  # the total row first
    labels = ["全省", *(f"第{n}市" for n in range(1, len(parts) + 1))]
    row_keys = ["total", *(f"c{n}" for n in range(1, len(parts) + 1))]
    col_keys = ["total", *(f"p{n}" for n in range(1, width + 1))]
    header = ["合计", *(f"类{n}" for n in range(1, width + 1))]

    def findings_for(cells: list[list[int]]) -> list[Finding]:
        text, starts, heading = _render(shape, header, list(zip(labels, cells, strict=True)))
        columns = "\n".join(f"      {k}: {{header: {h}}}" for k, h in zip(col_keys, header, strict=True))
        rows = "\n".join(f"      {k}: {{region: {label}, line: {starts[label]}, cells: [{', '.join(repr(str(c)) for c in row)}]}}"
                         for k, label, row in zip(row_keys, labels, cells, strict=True))
        facts = (f"source: t\ntables:\n  t:\n    line: {heading}\n    unit: 件\n    columns:\n{columns}\n    rows:\n{rows}\n"
                 f"    identities:\n      - sum: {{total: [{', '.join(col_keys[1:])}]}}\n"
                 f"      - sum_rows: {{total: [{', '.join(row_keys[1:])}]}}\n")
        with tempfile.TemporaryDirectory() as tmp:
            return findings_of(make_table_base(Path(tmp), {"t": text}, {"t.yaml": facts}, metrics=""))

    assert findings_for(table) == []
    r, c = where[0] % len(table), where[1] % (width + 1)
    if table[r][c] + delta < 0:
        delta = -delta
    wrong = [row[:] for row in table]
    wrong[r][c] += delta
    found = findings_for(wrong)
    assert [(f.code, f.facts[0].id) for f in found] == [("T007", f"t/t/{row_keys[r]}/{col_keys[c]}")]
    assert f"row {labels[r]} · column {header[c]}" in found[0].message


def test_show_and_the_html_page_name_the_cell_from_the_command_line(tmp_path: Path) -> None:
    root = grants_base(tmp_path, "pipes", PIPES.replace("| 宁波市 | 30 | 8 |", "| 宁波市 | 30 | 9 |"),
                       {"ningbo": ["30", "9", "15", "7"]})
    checked = runner.invoke(app, ["check", "--root", str(root), "--format", "json"])
    assert checked.exit_code == 1
    import json

    finding = json.loads(checked.output)["findings"][0]
    assert finding["code"] == "T007"
    shown = runner.invoke(app, ["show", finding["fingerprint"], "--root", str(root)])
    assert shown.exit_code == 0, shown.output
    assert "cell zhejiang/grants/ningbo/invention: row 宁波市 · column 发明 (table zhejiang/grants)" in shown.output
    page = tmp_path / "page.html"
    runner.invoke(app, ["check", "--root", str(root), "--format", "html", "-o", str(page)])
    assert "cell zhejiang/grants/ningbo/invention: row 宁波市 · column 发明" in page.read_text(encoding="utf-8")


def test_a_leading_number_column_the_table_does_not_declare_is_skipped(tmp_path: Path) -> None:
    source = ("专利授权量（件）\n| 序号 | 地区 | 合计 | 发明 |\n|---|---|---|---|\n"
              "| 1 | 杭州市 | 60 | 20 |\n| 2 | 宁波市 | 30 | 8 |\n")
    facts = """\
    source: numbered
    tables:
      grants:
        line: 2
        unit: 件
        columns:
          total: {header: 合计}
          invention: {header: 发明}
        rows:
          hangzhou: {region: 杭州市, line: 4, cells: ["60", "20"]}
          ningbo: {region: 宁波市, line: 5, cells: ["30", "20"]}
    """
    found = findings_of(make_table_base(tmp_path, {"numbered": source}, {"n.yaml": facts}))
    assert [(f.code, f.facts[0].id) for f in found] == [("T002", "n/grants/ningbo/invention")]
    assert "the row reads: 2 30 8" in found[0].message


def test_one_total_with_two_breakdowns_checks_both(tmp_path: Path) -> None:
    source = "授权量（件）\n地区 合计 发明 实用新型 外观设计 职务 非职务\n杭州市 60 20 30 10 45 {non_service}\n"
    facts = """\
    source: two
    tables:
      grants:
        line: 2
        unit: 件
        columns:
          total: {header: 合计}
          invention: {header: 发明}
          utility: {header: 实用新型}
          design: {header: 外观设计}
          service: {header: 职务}
          non_service: {header: 非职务}
        rows:
          hangzhou: {region: 杭州市, line: 3, cells: ["60", "20", "30", "10", "45", "NS"]}
        identities:
          - sum: {total: [invention, utility, design]}
          - sum: {total: [service, non_service]}
    """
    good = make_table_base(tmp_path / "good", {"two": source.format(non_service=15)}, {"t.yaml": facts.replace("NS", "15")})
    assert findings_of(good) == []
    bad = make_table_base(tmp_path / "bad", {"two": source.format(non_service=16)}, {"t.yaml": facts.replace("NS", "16")})
    found = findings_of(bad)
    assert [(f.code, f.facts[0].id) for f in found] == [("T005", "t/grants/hangzhou/total")]
    assert "row 杭州市: 合计 60 ≠ 45 + 16 = 61件" in found[0].message
