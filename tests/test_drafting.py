"""scaffold as a curator meets it on new documents: long tables in linear time, bare numbers, prose
relations, traditional characters, metric suggestions; and its drafts of the seeds scored against the
shipped facts."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import pytest

from ipfacts.curate.scaffold import scaffold
from ipfacts.load.loader import load


def base_with(root: Path, text: str, source_id: str = "doc", metrics: str = "{}\n") -> Path:
    """A base of one source document with the given text, and no fact file."""
    (root / "facts").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    (root / "seeds" / f"{source_id}.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    (root / "facts" / "sources.yaml").write_text(
        f"{source_id}:\n  file: seeds/{source_id}.txt\n  region: 某市\n  period: 2024\n  sha256: {sha}\n",
        encoding="utf-8")
    (root / "facts" / "metrics.yaml").write_text(metrics, encoding="utf-8")
    return root


def long_table(rows: int) -> str:
    return "".join(f"地区{i} {1000 + i}件 {i % 97}.{i % 10}% {200 + i}件\n" for i in range(rows))


def drafting_seconds(root: Path) -> float:
    base = load(root)
    start = time.process_time()  # CPU time: a busy machine does not make a linear scaffold look quadratic
    drafts = scaffold(base, "doc")
    elapsed = time.process_time() - start
    assert drafts
    return elapsed


def test_scaffold_is_linear_in_a_table_without_sentence_ends(tmp_path: Path) -> None:
    # 3 numbers a row and not one 。: the whole table is one sentence. Quadruple the rows: a linear
    # scaffold takes about 4× as long, the cubic one it replaces took 64×, a quadratic one 16×.
    small = min(drafting_seconds(base_with(tmp_path / f"s{i}", long_table(300))) for i in range(2))
    large = drafting_seconds(base_with(tmp_path / "l", long_table(1200)))
    assert large / max(small, 0.01) < 9, (small, large)


def test_scaffold_finishes_3000_numbers_one_cell_a_line(tmp_path: Path) -> None:
    text = "".join(f"{1000 + i}件\n" for i in range(3000))  # was over 300 s
    assert drafting_seconds(base_with(tmp_path, text)) < 30


# --- the seeds, drafted afresh and scored against the shipped facts -------------------------------------

REPO = Path(__file__).resolve().parent.parent


def test_drafts_of_the_seeds_match_the_shipped_facts_and_relations() -> None:
    from ipfacts.curate.measure import measure

    scores = measure(REPO)
    facts = sum(s.facts for s in scores)
    relations = sum(s.relations for s in scores)
    facts_right = sum(s.facts_right for s in scores)
    relations_right = sum(s.relations_right for s in scores)
    assert facts > 900 and relations > 350
    # Stated ranks (居全省第三 → a fact with rank_among, issue 27) are curated by hand: the scaffold does not
    # draft ranks yet, so they are left out of the share it must draft.
    ranks = {f.id for f in load(REPO).facts.values() if "rank_among" in f.relations}
    missed = [m for s in scores for m in s.missed_facts if m.split(" ", 1)[0] not in ranks]
    missed_ranks = sum(1 for s in scores for m in s.missed_facts if m.split(" ", 1)[0] in ranks)
    assert facts_right / (facts - missed_ranks) >= 0.95, missed
    assert relations_right / relations >= 0.60
    ratios = [(s.source, s.facts_right / (s.facts - sum(1 for m in s.missed_facts if m.split(" ", 1)[0] in ranks)))
              for s in scores]
    assert all(ratio >= 0.9 for _, ratio in ratios), ratios
    bilingual = next(s for s in scores if s.source == "zhejiang-2020")
    assert bilingual.relation_ratio >= 0.6, "English restatements paired with their Chinese figures"


def test_the_score_counts_only_what_is_right(tmp_path: Path) -> None:
    from ipfacts.curate.measure import blank_copy, score

    curated = load(REPO)
    blank = load(blank_copy(REPO, tmp_path / "blank"))
    drafts = scaffold(blank, "huzhou-2024")
    good = score(curated, "huzhou-2024", drafts)
    for draft in drafts:  # the same drafts with every relation pointing one fact further on: none is right
        draft.relations = {kind: [t + "_x" for t in targets] for kind, targets in draft.relations.items()}
    shifted = score(curated, "huzhou-2024", drafts)
    assert good.relations_right > 10 and shifted.relations_right == 0
    assert shifted.facts_right == good.facts_right
    for draft in drafts:
        draft.value = "1" + draft.value
    assert score(curated, "huzhou-2024", drafts).facts_right == 0


# --- a statistics note: the patterns Chinese statistical prose uses -----------------------------------

NOTE = """\
截至2024年10月底，全市有效发明专利拥有量42300件，比去年底增长4710件，比去年底增幅12.41%；每万人口发明专利拥有量55.18件。
全年专利授权量16966件，同比增长8.2%，其中发明专利3325件、实用新型9800件、外观设计3841件。
发明专利授权量、实用新型授权量分别为3325件、9800件，同比分别增长12.5%、6.3%。
全市新增省级农业品牌11个，累计27个。
商标注册量累计136474件，其中新增12349件。
"""

METRICS = """\
patent.invention.valid:
  zh: 有效发明专利量
  en: Valid invention patents
  unit: 件
  kind: stock
patent.invention.valid.per_10k:
  zh: 每万人口发明专利拥有量
  en: Invention patents per 10,000 residents
  unit: 件
  kind: rate
patent.grants:
  zh: 专利授权量
  en: Patents granted
  unit: 件
  kind: flow
"""


def drafted(root: Path, source_id: str = "doc") -> dict[str, object]:
    return {d.key: d for d in scaffold(load(root), source_id) if d.problem is None}


def test_a_statistics_note_drafts_changes_bases_per_10k_and_lists(tmp_path: Path) -> None:
    from ipfacts.curate.scaffold import render
    from ipfacts.review.checked import check_root

    root = base_with(tmp_path, NOTE, metrics=METRICS)
    drafts = scaffold(load(root), "doc")
    by_value = {d.value: d for d in drafts}
    key_of = {d.value: d.key for d in drafts}
    valid = key_of["42300件"]
    assert by_value["4710件"].relations == {"change_of": [valid]} and by_value["4710件"].base == "year-end"
    assert by_value["12.41%"].relations == {"growth_of": [valid]} and by_value["12.41%"].base == "year-end"
    assert by_value["55.18件"].relations == {"per_10k_of": [valid]}
    assert by_value["8.2%"].relations == {"growth_of": [key_of["16966件"]]} and by_value["8.2%"].base is None
    line2 = [d for d in drafts if d.claim.line == 2 and d.value in ("3325件", "9800件", "3841件")]
    assert [d.relations for d in line2] == [{}] * 3  # 其中 the standard set: a complete breakdown of the whole
    assert by_value["16966件"].relations == {"sum_of": [d.key for d in line2]}
    line3 = {d.value: d for d in drafts if d.claim.line == 3}
    assert line3["12.5%"].relations == {"growth_of": [line3["3325件"].key]}  # 分别: first with first
    assert line3["6.3%"].relations == {"growth_of": [line3["9800件"].key]}
    assert line3["3325件"].relations == {"same_as": [[d for d in drafts if d.claim.line == 2 and d.value == "3325件"][0].key]}
    assert by_value["11个"].relations == {"change_of": [key_of["27个"]]}  # 新增 … 累计
    assert by_value["12349件"].relations == {"change_of": [key_of["136474件"]]}  # 累计 … 其中新增
    assert by_value["42300件"].metric == "patent.invention.valid"
    assert by_value["55.18件"].metric == "patent.invention.valid.per_10k"
    assert by_value["16966件"].metric == "patent.grants"
    assert by_value["4710件"].metric is None  # a change is not the stock
    assert all(n.startswith("TODO") for d in drafts for n in d.notes)
    text = render(load(root), "doc", drafts)
    assert "    change_of: " + valid + "\n    base: year-end\n" in text
    (root / "facts" / "doc.yaml").write_text(text, encoding="utf-8")
    _, report = check_root(root)
    assert not [f for f in report.findings if f.code.startswith(("C", "L"))], "the draft loads and every quote verifies"


def test_traditional_characters_match_and_quotes_stay_as_written(tmp_path: Path) -> None:
    from ipfacts.curate.scaffold import render
    from ipfacts.review.checked import check_root

    text = "全市有效發明專利擁有量42300件，比去年底增長4710件；每萬人口發明專利擁有量55.18件，同比增長12.3%。\n"
    root = base_with(tmp_path, text, metrics=METRICS)
    drafts = {d.value: d for d in scaffold(load(root), "doc")}
    assert set(drafts) == {"42300件", "4710件", "55.18件", "12.3%"}
    valid = drafts["42300件"]
    assert valid.key == "valid_invention_patent" and valid.quote == "全市有效發明專利擁有量42300件"
    assert drafts["4710件"].relations == {"change_of": [valid.key]} and drafts["4710件"].base == "year-end"
    assert drafts["55.18件"].relations == {"per_10k_of": [valid.key]}
    assert drafts["55.18件"].quote == "每萬人口發明專利擁有量55.18件"
    assert drafts["12.3%"].relations == {"growth_of": [drafts["55.18件"].key]}
    assert valid.metric == "patent.invention.valid"
    (root / "facts" / "doc.yaml").write_text(render(load(root), "doc", list(drafts.values())), encoding="utf-8")
    _, report = check_root(root)
    assert not [f for f in report.findings if f.code.startswith(("C", "L"))]
    traditional_units = base_with(tmp_path / "units", "質押融資3.5億元，惠及企業1200家。\n")
    assert {d.value for d in scaffold(load(traditional_units), "doc")} == {"3.5亿元", "1200家"}


BILINGUAL = """\
全年授权专利39.2万件，同比增长12.5%；有效发明专利20万件。
A total of 392,000 patents were granted in the year, up 12.5% year on year; valid invention patents reached 200,000.
全年新增注册商标56.6万件。
The number of newly registered trademarks was 566,000.
"""


def test_a_bilingual_document_pairs_each_english_figure_with_its_chinese_twin(tmp_path: Path) -> None:
    from ipfacts.curate.scaffold import render
    from ipfacts.review.checked import check_root

    root = base_with(tmp_path, BILINGUAL)
    sources = root / "facts" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + "  lang: zh+en\n", encoding="utf-8")
    drafts = scaffold(load(root), "doc")
    english = {d.value: d for d in drafts if d.lang == "en"}
    chinese = {d.value: d for d in drafts if d.lang is None}
    assert english["392,000 patents"].relations == {"same_as": [chinese["39.2万件"].key]}
    assert english["392,000 patents"].unit is None and english["392,000 patents"].key == chinese["39.2万件"].key + "_en"
    assert english["12.5%"].relations == {"same_as": [chinese["12.5%"].key]}
    assert english["200,000"].relations == {"same_as": [chinese["20万件"].key]}
    assert english["566,000"].relations == {"same_as": [chinese["56.6万件"].key]}
    (root / "facts" / "doc.yaml").write_text(render(load(root), "doc", drafts), encoding="utf-8")
    _, report = check_root(root)
    assert [f.code for f in report.findings] == []


# --- bare numbers: counted; dates, ordinals, page numbers listed apart --------------------------------

PAGES = """\
附件:1.2023年杭州市专利授权统计表
一、总体情况
2023年4月26日，全市举办“4·26”知识产权宣传周活动。
1
地区 合计 发明 排名
杭州市本级 31459 1234 1
4 张家界 567 89
- 2 -
根据《浙江省知识产权保护条例（2.0版）》，第3位的企业得分83.25分。
（以下为各县情况）
3
表2 各县情况
甲县
9000
乙县
7966
"""


def test_bare_numbers_are_counted_and_dates_ordinals_pages_listed_apart(tmp_path: Path) -> None:
    from ipfacts.curate.coverage import coverage

    root = base_with(tmp_path, PAGES)
    [result] = coverage(load(root))
    counted = [(c.line, c.text) for c in result.claims]
    apart = [(c.line, c.text, c.kind) for c in result.apart]
    assert counted == [(6, "31459"), (6, "1234"), (6, "1"), (7, "4"), (7, "567"), (7, "89"), (9, "83.25"),
                       (14, "9000"), (16, "7966")]
    assert (1, "1.2023年", "ordinal") in apart and (3, "2023年", "date") in apart
    assert {(3, "4", "date"), (3, "26", "date")} <= set(apart)  # 4月26日, 4·26
    assert {(4, "1", "page"), (8, "2", "page"), (11, "3", "page")} <= set(apart)
    assert (9, "3位", "ordinal") in apart and (9, "2.0", "name") in apart and (12, "2", "name") in apart
    assert result.ratio == 0.0 and len(result.uncited) == 9
    from ipfacts.curate.scaffold import tables_of

    drafts = {(d.claim.line, d.value): d for d in scaffold(load(root), "doc")}
    [table] = tables_of(load(root), "doc")
    assert [(r.line, r.cells) for r in table.rows] == [(6, ["31459", "1234", "1"]), (7, ["4", "567", "89"])]
    assert set(drafts) == {(line, text) for line, text in counted if line not in (6, 7)}, \
        "scaffold drafts what coverage counts, the table's cells in its table block"
    assert drafts[(14, "9000")].quote == "9000", "a cell is quoted alone, not glued to the label above it"


def test_locate_does_not_glue_header_cells_onto_a_number(tmp_path: Path) -> None:
    from ipfacts.curate.locate import locate

    root = base_with(tmp_path, "地区 机关团体 个人 职务 非职务\n杭州市本级 31459 571 30888 571\n")
    [place] = locate(load(root), "doc", "31459")
    assert '    quote: "31459"\n' in place.skeleton
    places = locate(load(root), "doc", "571")
    assert len(places) == 2 and all('    quote: "571"\n' in p.skeleton for p in places)


# --- periods and bases in the format ----------------------------------------------------------------

def test_sub_annual_periods_and_year_end_bases_load_and_print() -> None:
    from ipfacts.load import periods

    assert [periods.label(p) for p in ("2023", "2023-06", "2023-01/10", "2023-Q3", "2023-H1", "十三五")] == \
        ["2023年", "2023年6月", "2023年1—10月", "2023年第三季度", "2023年上半年", "十三五"]
    assert [periods.label(p, "en") for p in ("2023", "2023-01/10", "2023-Q3")] == ["2023", "Jan–Oct 2023", "Q3 2023"]
    assert periods.previous("2023-01/10") == "2022-01/10" and periods.previous("2023-01/10", "year-end") == "2022"
    assert periods.previous("2024") == "2023" and periods.previous("十三五") is None
    assert periods.parse("2023-10/01") is None and periods.parse("2023-13") is None
    assert periods.growth_label("year-end") == "比上年末" and periods.growth_label(None) == "同比"
    assert periods.growth_label("year-end", "en") == "vs. end of last year"


def test_a_year_end_change_in_a_jan_oct_note_loads(tmp_path: Path) -> None:
    from ipfacts.review.checked import check_root

    root = base_with(tmp_path, "截至10月底，全市有效发明专利42300件，比去年底增长4710件，增幅12.53%。\n")
    (root / "facts" / "doc.yaml").write_text(
        "source: doc\nperiod: 2024-01/10\nfacts:\n"
        "  valid:\n    value: 42300件\n    line: 1\n    quote: 全市有效发明专利42300件\n"
        "  valid_new:\n    value: 4710件\n    line: 1\n    quote: 比去年底增长4710件\n    change_of: valid\n"
        "    base: year-end\n"
        "  valid_growth:\n    value: 12.53%\n    line: 1\n    quote: 增幅12.53%\n    growth_of: valid\n"
        "    base: year-end\n", encoding="utf-8")
    base, report = check_root(root)
    assert base.facts["doc/valid_new"].base == "year-end" and base.facts["doc/valid"].base is None
    assert base.facts["doc/valid"].period == "2024-01/10"
    assert not [f for f in report.findings if f.code.startswith(("L", "C"))]


# --- tables: drafted as the table block, with the identities the layout implies -------------------------

WHITESPACE_TABLE = """\
表1 2023年各区县专利授权量
单位：件
地区 合计 发明 实用新型 外观设计
全市 1000 300 500 200
甲区 600 200 300 100
乙县 400 100 200 99
正文：全市授权专利1000件。
"""

PIPE_TABLE = """\
| 城市 | 有效发明专利 | 常住人口 | 专利密度 | 排名 |
|---|---|---|---|---|
| 长沙 | 50000 | 1000 | 50.0 | 1 |
| 株洲 | 8000 | 400 | 20.0 | 2 |
"""

CELL_TABLE = "地区 |\n合计 |\n职务 |\n非职务 |\n全国总计 |\n300 |\n200 |\n100 |\n北京 |\n120 |\n80 |\n40 |\n" \
             "上海 |\n180 |\n120 |\n60 |\n"


def table_block(root: Path) -> dict[str, Any]:
    import yaml

    from ipfacts.curate.scaffold import render
    from ipfacts.curate.tables import loader_reads_tables

    base = load(root)
    text = render(base, "doc", scaffold(base, "doc"))
    if not loader_reads_tables():  # the block is drafted commented out, so that the draft loads
        (root / "facts" / "doc.yaml").write_text(text, encoding="utf-8")
        load(root)
        head, _, block = text.partition("tables:")
        text = head + "tables:" + "\n".join(line[2:] if line.startswith("# ") else line
                                            for line in block.split("\n"))
        text = text.replace("\n# tables:", "\ntables:")
    return dict(yaml.safe_load(text)["tables"])


def test_a_whitespace_table_with_a_total_row_and_a_total_column(tmp_path: Path) -> None:
    tables = table_block(base_with(tmp_path, WHITESPACE_TABLE))
    [table] = tables.values()
    assert table["line"] == 3
    assert table["columns"] == {"total": {"header": "合计", "unit": "件"}, "invention": {"header": "发明", "unit": "件"},
                                "utility": {"header": "实用新型", "unit": "件"}, "design": {"header": "外观设计", "unit": "件"}}
    assert table["rows"]["total"] == {"region": "全市", "line": 4, "cells": ["1000", "300", "500", "200"]}
    assert table["rows"]["jiaqu"] == {"region": "甲区", "line": 5, "cells": ["600", "200", "300", "100"]}
    assert table["identities"] == [{"sum": {"total": ["invention", "utility", "design"]}},
                                   {"sum_rows": {"total": ["jiaqu", "yixian"]}}]
    draft = scaffold(load(base_with(tmp_path / "again", WHITESPACE_TABLE)), "doc")
    assert [(d.claim.line, d.value) for d in draft] == [(7, "1000件")], "cells are in the table, not drafted twice"


def test_the_identity_notes_say_how_many_rows_hold(tmp_path: Path) -> None:
    from ipfacts.curate.tables import find_tables

    [table] = find_tables(WHITESPACE_TABLE.splitlines())
    notes = [note for _, _, note in table.identities]
    assert notes[0] == ("TODO confirm: sum 发明 + 实用新型 + 外观设计 = 合计 holds in 2 of 3 rows; "
                        "not in 乙县 (a misprint? the check reports it)")  # 乙县: 100+200+99 ≠ 400
    assert notes[1] == ("TODO confirm: 全市 = the 2 rows listed holds in 3 of 4 columns; "
                        "not in 外观设计 (a misprint? the check reports it)")  # 外观设计: 100+99 ≠ 200


def test_a_pipe_table_with_density_and_rank_columns(tmp_path: Path) -> None:
    [table] = table_block(base_with(tmp_path, PIPE_TABLE)).values()
    assert list(table["columns"]) == ["valid_invention_patent", "population", "patent_density", "rank"]
    assert table["rows"]["changsha"]["cells"] == ["50000", "1000", "50.0", "1"]
    assert {"density": {"column": "patent_density", "count": "valid_invention_patent", "population": "population"}} \
        in table["identities"]
    assert {"rank": {"column": "rank", "by": "valid_invention_patent", "order": "desc"}} in table["identities"]


def test_a_table_of_one_cell_a_line(tmp_path: Path) -> None:
    [table] = table_block(base_with(tmp_path, CELL_TABLE)).values()
    assert list(table["columns"]) == ["total", "service", "non_service"]
    assert table["rows"] == {"total": {"region": "全国总计", "line": 5, "cells": ["300", "200", "100"]},
                             "beijing": {"region": "北京", "line": 9, "cells": ["120", "80", "40"]},
                             "shanghai": {"region": "上海", "line": 13, "cells": ["180", "120", "60"]}}
    assert {"sum": {"total": ["service", "non_service"]}} in table["identities"]
    assert {"sum_rows": {"total": ["beijing", "shanghai"]}} in table["identities"]


FIXTURES = REPO.parent / "shared" / "fixtures" / "tables"


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures/tables is not beside the repository")
def test_the_scraped_yearbook_tables_are_drafted_cell_by_cell(tmp_path: Path) -> None:
    from ipfacts.curate.tables import find_tables

    by_region = FIXTURES / "cnipa-2023-design-patents-in-force-by-region.txt"
    lines = by_region.read_text(encoding="utf-8").splitlines()
    [table] = find_tables(lines)
    assert [c.header for c in table.columns] == ["合计", "高等院校", "科研机构", "企业", "事业单位", "个人"]
    assert len(table.rows) == 34 and table.rows[1].region == "北京" and table.rows[1].key == "beijing"
    for row in table.rows:  # every cell with its value and line, as written (香港 lost a cell: one left empty)
        assert lines[row.line - 1].split()[-len([c for c in row.cells if c]):] == [c for c in row.cells if c]
    # the sum 合计 = the five holds wherever the empty cell goes; 国内总计 leaves 0 for 科研机构 (and 15 for 高等院校)
    # once the 32 complete regions are counted: 香港's 10 is 高等院校's, its lost cell 科研机构's (the README says so)
    assert table.rows[-1].cells == ["6683", "10", "", "5758", "5", "910"]
    assert any("香港" in note and "5 cells for 6 columns" in note for note in table.notes)
    notes = dict((kind, note) for kind, _, note in table.identities)
    assert notes["sum"].endswith("holds in 34 of 34 rows")
    assert "NOT the sum of the 33 rows in 5 of 6 columns" in notes["sum_rows"], \
        "the cut-off 澳门 row: the total fails, and is said to"
    cumulative = find_tables((FIXTURES / "cnipa-2003-patents-by-service-cumulative.txt")
                             .read_text(encoding="utf-8").splitlines())
    [table] = cumulative
    assert [(c.group, c.header) for c in table.columns] == [
        ("总累计", "合计"), ("总累计", "非职务"), ("总累计", "职务"), ("2003年", "合计"), ("2003年", "非职务"), ("2003年", "职务")]
    sums = [note for kind, _, note in table.identities if kind == "sum"]
    assert sums == ["TODO confirm: sum 总累计 非职务 + 总累计 职务 = 总累计 合计 holds in 36 of 36 rows",
                    "TODO confirm: sum 2003年 非职务 + 2003年 职务 = 2003年 合计 holds in 36 of 36 rows"]
    rows_note = next(note for kind, _, note in table.identities if kind == "sum_rows")
    assert "holds in 6 of 6 columns" in rows_note and "(广州)" in rows_note


def test_shares_of_a_named_whole_and_a_list_of_shares(tmp_path: Path) -> None:
    text = ("全年授权专利55855件。全市企业专利授权量达51967件，占全市专利授权总量的93.04%。\n"
            "2024年一般作品登记量40406件。登记作品中美术作品占63.53%，文字作品占24%，摄影作品占3.17%。\n")
    drafts = {d.value: d for d in scaffold(load(base_with(tmp_path, text)), "doc")}
    grants, enterprise, works = (drafts[v].key for v in ("55855件", "51967件", "40406件"))
    assert drafts["93.04%"].relations == {"share_of": [enterprise, grants]}, "the whole it names, not the part"
    assert [drafts[v].relations for v in ("63.53%", "24%", "3.17%")] == [{"percent_of": [works]}] * 3
