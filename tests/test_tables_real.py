"""Three real yearbook tables, as scraped (tests/fixtures/tables/docs, copied from shared/fixtures/tables
with their README), curated as table blocks (tests/fixtures/tables/facts): what their README says holds
passes, and what it says fails is reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ipfacts.findings import Finding
from ipfacts.load.loader import LoadFailed, load
from ipfacts.review.checked import check_root

FIXTURE = Path(__file__).parent / "fixtures" / "tables"
Y2023 = "facts/cnipa-2023-designs-by-region.yaml"
Y2019 = "facts/cnipa-2019-designs-by-service.yaml"
Y2003 = "facts/cnipa-2003-patents-by-service.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "yearbooks"
    shutil.copytree(FIXTURE, target)
    return target


def findings_in(root: Path, fact_file: str) -> list[Finding]:
    _, report = check_root(root)
    return [f for f in report.findings
            if (f.facts and f.facts[0].file == fact_file) or (f.where and f.where.file == fact_file)]


def edit_source(root: Path, name: str, old: str, new: str) -> None:
    """Change a source document as a different scrape would have it, and record its new hash."""
    import hashlib

    path = root / "docs" / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    edit(root, "facts/sources.yaml", before, hashlib.sha256(path.read_bytes()).hexdigest())


def edit(root: Path, fact_file: str, old: str, new: str) -> None:
    path = root / fact_file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_cell_of_the_three_tables_is_a_fact_at_its_place(root: Path) -> None:
    base = load(root)
    cells = [f for f in base.facts.values() if f.cell]
    assert len(cells) == len(base.facts)
    by_table = {t: sum(1 for f in cells if f.cell and f.cell.table == t) for t in base.tables}
    # 2023: 34 rows × 6 columns, less 香港's lost 科研机构 cell; 2019: 25 count rows and 25 share rows × 5;
    # 2003: 全国总计, 34 regions and (广州) × 6
    assert by_table == {
        "cnipa-2003-patents-by-service/patents": 36 * 6,
        "cnipa-2019-designs-by-service/designs": 25 * 5,
        "cnipa-2019-designs-by-service/shares": 25 * 5,
        "cnipa-2023-designs-by-region/designs": 34 * 6 - 1,
    }
    hong_kong = base.facts["cnipa-2023-designs-by-region/designs/hong_kong/enterprises"]
    assert (hong_kong.value.text, hong_kong.region, hong_kong.period, hong_kong.line_from) == ("5758", "香港", "2023", 52)
    assert "cnipa-2023-designs-by-region/designs/hong_kong/institutes" not in base.facts
    share = base.facts["cnipa-2019-designs-by-service/shares/beijing/enterprises"]
    assert (share.value.text, share.value.unit, share.region, share.line_from) == ("97.2%", "percent", "北京", 31)
    cumulative = base.facts["cnipa-2003-patents-by-service/patents/guangzhou/cumulative_total"]
    assert (cumulative.value.text, cumulative.period, cumulative.line_from) == ("30787", "1985-2003", 258)


def test_2019_holds_row_sums_and_every_share_row(root: Path) -> None:
    assert findings_in(root, Y2019) == []


def test_2003_holds_in_every_column_without_the_city_listed_among_provinces(root: Path) -> None:
    assert findings_in(root, Y2003) == []


def test_2023_the_cut_off_row_makes_the_total_fail_and_nothing_else(root: Path) -> None:
    found = findings_in(root, Y2023)
    assert [(f.code, f.severity, f.facts[0].id) for f in found] == [
        ("T006", "error", "cnipa-2023-designs-by-region/designs/domestic/total")]
    message = found[0].message
    assert "total row 国内总计 is not the sum of its rows in 5 columns" in message
    # 澳门 (287 designs: 5 universities, 210 enterprises, 4 public institutions, 68 individuals) is missing
    for column, gap in (("合计", "287"), ("高等院校", "5"), ("企业", "210"), ("事业单位", "4"), ("个人", "68")):
        assert f"column {column}: 国内总计" in message and f"{gap} more than its parts" in message
    assert "科研机构" not in message  # 澳门 has none: that column adds up


def test_2023_hong_kong_without_its_lost_cell_is_a_load_problem(root: Path) -> None:
    edit(root, Y2023, '["6683", "10", "", "5758", "5", "910"]', '["6683", "10", "5758", "5", "910"]')
    with pytest.raises(LoadFailed) as failed:
        load(root)
    assert [p.code for p in failed.value.problems] == ["L031"]


def test_2023_cells_after_the_lost_cell_are_placed_by_position(root: Path) -> None:
    # 香港's 企业 and 事业单位 swapped: the digits are all on the row, the places are not
    edit(root, Y2023, '["6683", "10", "", "5758", "5", "910"]', '["6683", "10", "", "5", "5758", "910"]')
    found = findings_in(root, Y2023)
    wrong = sorted(f.facts[0].id.rsplit("/", 1)[-1] for f in found if f.code == "T001")
    assert wrong == ["enterprises", "public"]
    t001 = next(f for f in found if f.code == "T001" and f.facts[0].id.endswith("/public"))
    assert "row 香港 · column 事业单位 (5758)" in t001.message and "in the place of column 企业" in t001.message


def test_2003_the_city_counted_among_the_provinces_breaks_the_national_sum(root: Path) -> None:
    edit(root, Y2003, "taiwan]}", "taiwan, guangzhou]}")
    found = findings_in(root, Y2003)
    assert [(f.code, f.severity) for f in found] == [("T006", "error")]
    assert "in 6 columns" in found[0].message and "30,787 less than its parts" in found[0].message


def test_2019_a_share_row_read_from_the_wrong_count_row_is_an_error(root: Path) -> None:
    # 天津's shares declared against 北京's line: every cell is off its row, and the shares do not match
    edit(root, Y2019, "tianjin: {region: 天津, header: \"Tianjin\", line: 33", "tianjin: {region: 天津, header: \"Tianjin\", line: 31")
    found = findings_in(root, Y2019)
    codes = {f.code for f in found}
    assert {"T003", "T002"} <= codes


def test_2019_a_wrong_share_is_reported_at_its_cell(root: Path) -> None:
    # a scrape with 98.4 % for 浙江's 企业: 174654 ÷ 177928 = 98.16 %, so 98.2 % is right and 98.4 % is not;
    # the row's shares still add up to 100.0 % within their rounding, so only the share identity fails
    edit_source(root, "cnipa-2019-design-patents-in-force-by-service.txt",
                "Zhejiang 100.0% 1.6% 0.1% 98.2% 0.1%", "Zhejiang 100.0% 1.6% 0.1% 98.4% 0.1%")
    edit(root, Y2019, '"1.6%", "0.1%", "98.2%", "0.1%"]', '"1.6%", "0.1%", "98.4%", "0.1%"]')
    found = findings_in(root, Y2019)
    assert [(f.code, f.severity, f.facts[0].id) for f in found] == [
        ("T010", "error", "cnipa-2019-designs-by-service/shares/zhejiang/enterprises")]
    assert "row Zhejiang · column 企业 (98.4%)" in found[0].message and "174654 ÷ 177928" in found[0].message


def test_2019_a_wrong_count_breaks_its_row_sum_and_every_share_of_its_row_once(root: Path) -> None:
    # 浙江's 合计 printed one too large: its row sum and the five shares of its row all pass through that cell
    edit_source(root, "cnipa-2019-design-patents-in-force-by-service.txt", "浙江 177928 2803", "浙江 187928 2803")
    edit(root, Y2019, 'cells: ["177928", "2803"', 'cells: ["187928", "2803"')
    found = findings_in(root, Y2019)
    assert [(f.code, f.facts[0].id) for f in found] == [("T007", "cnipa-2019-designs-by-service/designs/zhejiang/total")]
    assert "row 浙江 · column 合计 (187928)" in found[0].message


def test_the_schema_accepts_the_table_fact_files_and_refuses_a_malformed_table(root: Path) -> None:
    import json

    import jsonschema
    import yaml

    from ipfacts.load.jsonschema import shipped_text

    validator = jsonschema.Draft7Validator(json.loads(shipped_text("fact-file")))
    for path in sorted((root / "facts").glob("cnipa-*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(document)) == [], path.name
    broken = yaml.safe_load((root / Y2003).read_text(encoding="utf-8"))
    broken["tables"]["patents"]["identities"].append({"sum": {"total": ["service"]}, "rank": {}})
    assert list(validator.iter_errors(broken))
    del broken["tables"]["patents"]["columns"]["total"]["header"]
    assert any("header" in e.message for e in validator.iter_errors(broken))


def test_the_table_of_the_format_docs_loads_and_holds(tmp_path: Path) -> None:
    import hashlib
    import re

    docs = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    example = next(block for block in re.findall(r"```yaml\n(.*?)```", docs, re.S) if "tables:" in block)
    source = "浙江省知识产权统计\n2023年浙江省专利授权量（件）\n地区 合计 发明 实用新型 外观设计\n全省 58120 13234 30066 14820\n" \
             "杭州市 31459 9876 15021 6562\n宁波市 20004 2735 11510 5759\n其他 6657 623 3535 2499\n"
    root = tmp_path / "docs-example"
    (root / "facts").mkdir(parents=True)
    (root / "zj.txt").write_text(source, encoding="utf-8")
    sha = hashlib.sha256(source.encode()).hexdigest()
    (root / "facts" / "sources.yaml").write_text(f"zhejiang-2023:\n  file: zj.txt\n  sha256: {sha}\n", encoding="utf-8")
    (root / "facts" / "metrics.yaml").write_text("".join(
        f"{k}: {{zh: {k}, en: {k}, unit: 件, kind: flow}}\n"
        for k in ("patent.grants", "patent.invention.grants", "patent.utility.grants", "patent.design.grants")),
        encoding="utf-8")
    (root / "facts" / "zj.yaml").write_text(example, encoding="utf-8")
    base, report = check_root(root)
    assert len(base.facts) == 16 and report.findings == []
