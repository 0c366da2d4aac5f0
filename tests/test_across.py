"""Checks across documents (check/across/) on bases of MADE-UP documents (tests/madeup.py: invented places,
titles and figures in the shapes of real press releases, white papers and yearbook tables): each case consistent,
and inconsistent one step past the rounding."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from ipfacts.check.across import readings, reconcile
from ipfacts.cli import app
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.numbers import parse_value
from ipfacts.review.checked import check_root

import madeup

runner = CliRunner()


def findings_of(root: Path, *codes: str) -> list[Finding]:
    _, report = check_root(root)
    return [f for f in report.findings if f.code in codes]


def no_other_problems(root: Path) -> None:
    _, report = check_root(root)
    assert not [f for f in report.findings if f.code[0] in "CLT"], [f.message for f in report.findings]


# --- a press release and a white paper of the same year ---------------------------------------------------------

def test_a_share_truncated_in_the_release_and_rounded_in_the_paper_is_a_warning_naming_truncation(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.release_and_paper("24.74%"))
    no_other_problems(root)
    found = findings_of(root, "R150")
    assert len(found) == 1
    finding = found[0]
    assert finding.severity == WARNING
    assert "24.74% truncated ([24.74, 24.75))" in finding.message
    assert {c.source for c in finding.citations} == {"qingchuan-release-2023", "qingchuan-paper-2023"}
    assert finding.details.get("reading") == "24.74% truncated ([24.74, 24.75))"
    assert finding.message.endswith("; exactly 13823件 / 55853件 = 24.7489%")


def test_a_share_one_step_past_any_reading_is_an_error_naming_both_sources(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.release_and_paper("24.73%"))
    [finding] = findings_of(root, "R150")
    assert finding.severity == ERROR
    assert "青川市2023年知识产权新闻发布稿（虚构）" in finding.message
    assert "青川市知识产权发展与保护状况白皮书（2023年，虚构）" in finding.message
    assert "line 2" in finding.message and "24.73%" in finding.message and "24.75%" in finding.message


def test_a_restatement_at_a_coarser_precision_agrees(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.release_and_paper("24.7%"))
    assert findings_of(root, "R150") == []


def test_a_count_restated_one_off_is_an_error(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.release_and_paper("24.75%", count_in_release="13824"))
    [finding] = findings_of(root, "R150")
    assert finding.severity == ERROR and "13824件" in finding.message and "13823件" in finding.message
    same = madeup.write_base(tmp_path / "same", *madeup.release_and_paper("24.75%"))
    assert findings_of(same, "R150") == []


def test_a_restatement_is_reviewed_like_any_finding_and_its_fingerprint_is_stable(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.release_and_paper("24.73%"))
    first = findings_of(root, "R150")[0].fingerprint
    assert findings_of(root, "R150")[0].fingerprint == first
    result = runner.invoke(app, ["check", "--root", str(root), "--no-cache"])
    assert result.exit_code == 1
    result = runner.invoke(app, ["review", first, "--status", "source-error", "--note", "the release misprints the share",
                                 "--root", str(root)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["check", "--root", str(root), "--no-cache"])
    assert result.exit_code == 0, result.output


def test_readings_are_named_and_half_open() -> None:
    names = [name for name, _ in readings(parse_value("24.74%"))]
    assert names == ["", "truncated", "rounded up"]
    assert [name for name, _ in readings(parse_value("1400家"))][-1].startswith("read at the coarser precision")
    assert readings(parse_value("21579件")) == [("", readings(parse_value("21579件"))[0][1])]


def test_units_are_converted_before_a_restatement_is_judged(tmp_path: Path) -> None:
    from ipfacts.load.loader import load

    docs, facts = madeup.release_and_paper("24.75%")
    root = madeup.write_base(tmp_path, docs, facts)
    base = load(root)
    a = base.facts["qingchuan-paper-2023/invention_grants"]
    b = base.facts["qingchuan-release-2023/invention_grants"]
    assert reconcile(a, b, "件") == (None, "")


# --- previous years across sources: a chain of three years --------------------------------------------------------

def test_a_consistent_chain_of_three_years_raises_nothing(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.chain())
    no_other_problems(root)
    _, report = check_root(root)
    assert [f for f in report.findings if f.code.startswith("R")] == []


def test_a_growth_against_last_years_figure_under_another_spelling_of_the_city(tmp_path: Path) -> None:
    """2022's release names the city 青川市, 2023's paper 青川: growth_of alone finds no previous figure (GRIM only);
    across documents, 38289件 of the release is found and judged."""
    root = madeup.write_base(tmp_path, *madeup.chain(growth_2023="18.73%"))
    [finding] = findings_of(root, "R151")
    assert finding.severity == ERROR
    assert "青川市2022年知识产权新闻发布稿（虚构）" in finding.message and "only implies" in finding.message
    assert {f.id for f in finding.facts} == {"qingchuan-paper-2023/valid_invention_growth",
                                             "qingchuan-paper-2023/valid_invention",
                                             "qingchuan-release-2022/valid_invention"}
    assert finding.details.get("previous_source") == "qingchuan-release-2022"


def test_one_step_past_the_rounding_of_a_growth_is_a_warning(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.chain(growth_2023="18.71%"))
    [finding] = findings_of(root, "R151")
    assert finding.severity == WARNING


def test_a_link_of_the_same_spelling_is_judged_once_and_names_the_other_source(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.chain(growth_2024="18.72%"))
    assert findings_of(root, "R151") == []  # growth_of found 2023's figure itself: R105, not twice
    [finding] = findings_of(root, "R105")
    assert "《青川市知识产权发展与保护状况白皮书（2023年，虚构）》, line 1" in finding.message


def test_a_chain_is_checked_link_by_link(tmp_path: Path) -> None:
    """2023's figure off by 100: both links through it break, each reported with the source of last year's figure."""
    root = madeup.write_base(tmp_path, *madeup.chain(valid_2023="45550"))
    codes = sorted(f.code for f in findings_of(root, "R105", "R151"))
    assert codes == ["R105", "R151"]


# --- a province's table beside three city papers ------------------------------------------------------------------

def test_a_province_table_and_its_cities_papers_agree(tmp_path: Path) -> None:
    docs, facts, regions = madeup.province_and_cities()
    root = madeup.write_base(tmp_path, docs, facts, regions=regions)
    no_other_problems(root)
    assert findings_of(root, "R150", "R152") == []
    _, report = check_root(root, explain=True)
    judged = [e for e in report.stats["evaluations"] if e["relation"] in ("restated", "sum of parts")]
    assert len([e for e in judged if e["relation"] == "restated"]) == 3
    assert [e["verdict"] for e in judged if e["relation"] == "sum of parts"] == ["ok"]


def test_a_city_row_of_the_province_table_that_differs_from_the_citys_paper(tmp_path: Path) -> None:
    docs, facts, regions = madeup.province_and_cities(yi_in_paper="10276")
    root = madeup.write_base(tmp_path, docs, facts, regions=regions)
    found = findings_of(root, "R150")
    assert len(found) == 1 and found[0].severity == ERROR
    assert "row 乙城市 · column 专利授权量" in found[0].message


def test_a_province_total_that_is_not_the_sum_of_its_cities(tmp_path: Path) -> None:
    docs, facts, regions = madeup.province_and_cities(province_total="30815")
    root = madeup.write_base(tmp_path, docs, facts, regions=regions)
    [finding] = findings_of(root, "R152")
    assert finding.severity == ERROR and "30815件" in finding.message and "30814件" in finding.message


def test_a_missing_city_is_named_and_nothing_is_compared(tmp_path: Path) -> None:
    regions = madeup.REGIONS.replace("[甲城, 乙城, 丙城]", "[甲城, 乙城, 丙城, 丁城]")
    docs, facts, regions = madeup.province_and_cities(province_total="30815", regions=regions)
    root = madeup.write_base(tmp_path, docs, facts, regions=regions)
    assert findings_of(root, "R152") == []
    result = runner.invoke(app, ["check", "--root", str(root), "--no-cache", "--explain", "--format", "json"])
    notes = [e for e in json.loads(result.output)["evaluations"] if e["verdict"] == "not compared"]
    assert any("丁城 missing" in e["why"] for e in notes)


def test_an_unreadable_regions_file_is_a_finding_at_its_line(tmp_path: Path) -> None:
    docs, facts, _ = madeup.province_and_cities()
    root = madeup.write_base(tmp_path, docs, facts, regions="regions:\n  丰省: {inside: 全国}\n")
    [finding] = findings_of(root, "L040")
    assert finding.location is not None and finding.location.line == 2 and "inside" in finding.message


# --- one word, two definitions ------------------------------------------------------------------------------------

def test_two_definitions_under_one_word_are_not_compared_and_explain_says_why(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.two_definitions())
    assert findings_of(root, "R150") == []
    result = runner.invoke(app, ["check", "--root", str(root), "--no-cache", "--explain"])
    assert result.exit_code == 0, result.output
    assert "not compared" in result.output and "another definition" in result.output
    assert "mainland applicants only" in result.output


def test_the_same_definition_under_one_word_is_compared(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.two_definitions("patent.grants.domestic"))
    [finding] = findings_of(root, "R150")
    assert finding.severity == ERROR and "401.5万件" in finding.message and "409.0万件" in finding.message


def test_a_growth_rate_restated_by_another_source_is_judged_as_one_rate(tmp_path: Path) -> None:
    def with_release(rate: str, where: Path) -> Path:
        docs, facts = madeup.chain()
        docs["qingchuan-release-2024"] = ("青川市2024年知识产权新闻发布稿（虚构）", "青川", "2024",
                                          [f"全市有效发明专利53949件，增长{rate}。"])
        facts["qingchuan-release-2024.yaml"] = f"""\
            source: qingchuan-release-2024
            facts:
              valid_invention:
                metric: patent.invention.valid
                value: 53949件
                line: 1
                quote: 全市有效发明专利53949件
              valid_invention_growth:
                value: {rate}
                line: 1
                quote: 增长{rate}
                growth_of: valid_invention
            """
        return madeup.write_base(where, docs, facts)

    assert findings_of(with_release("18.7%", tmp_path / "a"), "R150") == []
    [finding] = findings_of(with_release("18.9%", tmp_path / "b"), "R150")
    assert finding.severity == ERROR and finding.message.startswith("the growth of")
    assert {f.id for f in finding.facts} == {"qingchuan-paper-2024/valid_invention_growth",
                                             "qingchuan-release-2024/valid_invention_growth"}


def test_a_restatement_that_is_another_years_figure_says_so(tmp_path: Path) -> None:
    """A release headed 2023 prints 79.8万件 invention grants: the yearbook's 2022 figure (798347件); 2023 was 92.1万."""
    docs = {
        "nation-release-2023": ("2023年全国专利授权情况新闻稿（虚构）", "全国", "2023", ["全年授权发明专利79.8万件。"]),
        "nation-yearbook": ("专利统计年报（虚构）", "全国", "2023", ["发明专利授权 2022年 798347件", "发明专利授权 2023年 921000件"]),
    }
    facts = {
        "nation-release-2023.yaml": """\
            source: nation-release-2023
            facts:
              invention_grants: {metric: patent.invention.grants, value: 79.8万件, line: 1, quote: 全年授权发明专利79.8万件}
            """,
        "nation-yearbook.yaml": """\
            source: nation-yearbook
            facts:
              invention_grants_2022: {metric: patent.invention.grants, value: 798347件, line: 1, quote: 2022年 798347件, period: '2022'}
              invention_grants_2023: {metric: patent.invention.grants, value: 921000件, line: 2, quote: 2023年 921000件}
            """,
    }
    root = madeup.write_base(tmp_path, docs, facts)
    [finding] = findings_of(root, "R150")
    assert finding.severity == ERROR
    assert "79.8万件 agrees with 798347件, the figure for 2022 in 《专利统计年报（虚构）》 (line 1)" in finding.message


def test_a_changed_regions_file_is_never_answered_from_the_run_cache(tmp_path: Path) -> None:
    docs, facts, regions = madeup.province_and_cities(province_total="30815")
    root = madeup.write_base(tmp_path, docs, facts, regions=regions)
    first = runner.invoke(app, ["check", "--root", str(root), "--format", "json"])
    assert [f["code"] for f in json.loads(first.output)["findings"]] == ["R152"]
    (root / "facts" / "regions.yaml").write_text(
        textwrap.dedent(madeup.REGIONS.replace("[甲城, 乙城, 丙城]", "[甲城, 乙城, 丙城, 丁城]")), encoding="utf-8")
    second = runner.invoke(app, ["check", "--root", str(root), "--format", "json"])
    assert json.loads(second.output)["findings"] == []


def test_a_change_restated_by_another_source_is_judged_as_one_change(tmp_path: Path) -> None:
    def with_changes(release: str, paper: str, where: Path) -> Path:
        docs = {
            "qingchuan-release-2024": ("青川市2024年知识产权新闻发布稿（虚构）", "青川", "2024",
                                       [f"全市有效发明专利53949件，比上年增加{release}。"]),
            "qingchuan-paper-2024": ("青川市知识产权发展与保护状况白皮书（2024年，虚构）", "青川", "2024",
                                     [f"全市有效发明专利53949件，较上年新增{paper}。"]),
        }
        facts = {f"{sid}.yaml": f"""\
            source: {sid}
            facts:
              valid_invention: {{metric: patent.invention.valid, value: 53949件, line: 1, quote: 全市有效发明专利53949件}}
              valid_invention_change: {{value: {change}, line: 1, quote: {change}, change_of: valid_invention}}
            """ for sid, change in (("qingchuan-release-2024", release), ("qingchuan-paper-2024", paper))}
        return madeup.write_base(where, docs, facts)

    assert findings_of(with_changes("0.85万件", "8499件", tmp_path / "a"), "R150") == []
    [finding] = findings_of(with_changes("0.86万件", "8499件", tmp_path / "b"), "R150")
    assert finding.severity == ERROR and finding.message.startswith("the change of")


def test_parts_named_with_in_alone_bound_the_whole_from_below(tmp_path: Path) -> None:
    """Without `parts:` the list of cities may be incomplete: their sum may fall short of the province, never exceed it."""
    regions = madeup.REGIONS.replace(", parts: [甲城, 乙城, 丙城]", "")
    docs, facts, regions = madeup.province_and_cities(province_total="31000", regions=regions)
    root = madeup.write_base(tmp_path / "short", docs, facts, regions=regions)
    assert findings_of(root, "R152") == []
    docs, facts, regions = madeup.province_and_cities(province_total="30813", regions=regions)
    root = madeup.write_base(tmp_path / "over", docs, facts, regions=regions)
    [finding] = findings_of(root, "R152")
    assert finding.severity == ERROR and "3 of its parts (facts/regions.yaml) alone add up to more, 30814件" in finding.message


def test_with_a_part_missing_the_others_may_still_not_exceed_the_whole(tmp_path: Path) -> None:
    regions = madeup.REGIONS.replace("[甲城, 乙城, 丙城]", "[甲城, 乙城, 丙城, 丁城]")
    docs, facts, regions = madeup.province_and_cities(province_total="30457", regions=regions)
    root = madeup.write_base(tmp_path, docs, facts, regions=regions)
    [finding] = findings_of(root, "R152")
    assert finding.severity == ERROR and "30457件" in finding.message


def test_a_share_that_fits_the_other_definitions_total_is_explained(tmp_path: Path) -> None:
    """A release prints 130.8 + 70.3 + 67.2 = 268.3万 as 65.6% of a domestic total of 401.5万 (it is 66.8%):
    65.6% fits the yearbook's 409.0万, which counts Hong Kong, Macao and Taiwan — the other definition."""
    docs, facts = madeup.two_definitions()
    docs["nation-release-2023"] = (docs["nation-release-2023"][0], "全国", "2023", [
        "全年授权国内专利401.5万件。",
        "其中北京130.8万件、上海70.3万件、深圳67.2万件，合计268.3万件，占国内总量的65.6%。",
    ])
    facts["nation-release-2023.yaml"] = """\
        source: nation-release-2023
        facts:
          domestic_grants: {metric: patent.grants.domestic, value: 401.5万件, line: 1, quote: 全年授权国内专利401.5万件}
          a: {value: 130.8万件, line: 2, quote: 北京130.8万件}
          b: {value: 70.3万件, line: 2, quote: 上海70.3万件}
          c: {value: 67.2万件, line: 2, quote: 深圳67.2万件}
          three: {value: 268.3万件, line: 2, quote: 合计268.3万件, sum_of: [a, b, c]}
          three_share: {value: 65.6%, line: 2, quote: 占国内总量的65.6%, share_of: [three, domestic_grants]}
        """
    root = madeup.write_base(tmp_path, docs, facts)
    assert [f.code for f in findings_of(root, "R101", "R150")] == ["R101"]
    result = runner.invoke(app, ["check", "--root", str(root), "--no-cache", "--explain", "--format", "json"])
    notes = [e["why"] for e in json.loads(result.output)["evaluations"] if e["verdict"] == "not compared"]
    assert any("65.6% of 268.3万件 does not fit 401.5万件" in why and "but fits 409.0万件" in why and
               "Hong Kong, Macao and Taiwan" in why for why in notes), notes
