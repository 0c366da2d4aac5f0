"""`ipfacts locate`: where a number or phrase stands in a source, and a fact skeleton that verifies as pasted."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.curate.locate import UnknownSource, locate
from ipfacts.load.loader import load

from conftest import MakeBase

runner = CliRunner()


@pytest.fixture
def root(make_base: MakeBase) -> Path:
    return make_base({}, sources=["huzhou-2024", "ningbo-2024"])


def test_a_number_split_across_lines_with_its_unit(root: Path) -> None:
    result = runner.invoke(app, ["locate", "huzhou-2024", "20134件", "--root", str(root)])
    assert result.exit_code == 0
    assert result.output == (
        "seeds/000_ef14d01db3a9c97a.txt:56\n"
        "      55 | \n"
        "  >   56 | 全市有效发明21579件（其中企业20134\n"
        "  >   57 | 件，占比93.3%），同比增长11.55%。全年授\n"
        "      58 | 权专利16966件（其中企业15829件，占比\n"
        "  enterprise:\n"
        "    value: 20134件\n"
        "    line: 56-57\n"
        "    quote: 其中企业20134件\n")


def test_bare_digits_get_the_unit_the_source_writes(root: Path) -> None:
    base = load(root)
    [place] = locate(base, "huzhou-2024", "16966")
    assert (place.first, place.last) == (57, 58)  # the clause 全年授/权专利 starts on line 57
    assert place.skeleton == "  patent_grants:\n    value: 16966件\n    line: 57-58\n    quote: 全年授权专利16966件\n"


def test_full_width_input_and_qualifiers(root: Path) -> None:
    base = load(root)
    [place] = locate(base, "huzhou-2024", "２１５７９")
    assert "    value: 21579件\n    line: 56\n" in place.skeleton
    [place] = locate(base, "huzhou-2024", "4亿元")
    assert "    value: 超4亿元\n" in place.skeleton and "    quote: 实现转化运用金额超4亿元\n" in place.skeleton


def test_a_decline_is_written_negative_for_a_person_to_confirm(root: Path) -> None:
    [place] = locate(load(root), "ningbo-2024", "19.48%")
    assert place.skeleton == ("  growth:\n    value: -19.48%\n    line: 102-103\n    quote: 同比下降 19.48%\n"
                              '    note: "TODO confirm: a decline (下降/减少), written negative"\n')


def test_a_phrase_finds_the_number_after_it(root: Path) -> None:
    places = locate(load(root), "huzhou-2024", "同比增长")
    assert len(places) > 1
    assert places[0].skeleton == "  growth:\n    value: 26.38%\n    line: 51\n    quote: 同比增长26.38%\n"


def test_every_skeleton_pasted_into_a_fact_file_verifies(root: Path) -> None:
    from ipfacts.review.checked import check_root

    base = load(root)
    needles = ["20134件", "16966", "93.3%", "２１５７９", "4亿元", "同比增长", "240.29"]
    skeletons = []
    for n, needle in enumerate(needles):
        place = locate(base, "huzhou-2024", needle)[0]
        key, rest = place.skeleton.split(":\n", 1)
        skeletons.append(f"  f{n}_{key.strip()}:\n{rest}")
    (root / "facts" / "pasted.yaml").write_text("source: huzhou-2024\nfacts:\n" + "".join(skeletons),
                                                 encoding="utf-8")
    base, report = check_root(root)
    assert len(base.facts) == len(needles)
    assert [f.code for f in report.findings] == []


def test_every_occurrence_is_listed(root: Path) -> None:
    places = locate(load(root), "huzhou-2024", "占比")
    assert len(places) >= 3
    assert [p.first for p in places] == sorted(p.first for p in places)


def test_unknown_source_and_missing_text(root: Path) -> None:
    with pytest.raises(UnknownSource):
        locate(load(root), "nope", "1")
    assert locate(load(root), "huzhou-2024", "   ") == []
    result = runner.invoke(app, ["locate", "nope", "1", "--root", str(root)])
    assert result.exit_code == 2 and "unknown source 'nope'; known: huzhou-2024, ningbo-2024" in result.output
    result = runner.invoke(app, ["locate", "huzhou-2024", "987654321", "--root", str(root)])
    assert result.exit_code == 1 and "'987654321' is not in seeds/000_ef14d01db3a9c97a.txt" in result.output
