"""Citations verified against the seeds themselves."""

from __future__ import annotations

from pathlib import Path

from ipfacts.check.citations import digits_in
from ipfacts.review.checked import check_root

from conftest import HUZHOU_FACTS, MakeBase


def findings_of(root: Path) -> list[tuple[str, str]]:
    _, report = check_root(root)
    return [(f.code, f.message) for f in report.findings]


def fact_file(line: str, quote: str, value: str = "21579件") -> str:
    return f"source: huzhou-2024\nfacts:\n  valid_invention:\n    value: {value}\n    line: {line}\n    quote: {quote}\n"


def test_the_spec_example_cites_cleanly(huzhou_base: Path) -> None:
    assert findings_of(huzhou_base) == []


def test_quote_across_a_line_break_matches(make_base: MakeBase) -> None:
    # 全市有效发明21579件（其中企业20134 / 件，占比93.3%） breaks the number's unit onto line 57
    root = make_base({"h.yaml": fact_file("56-57", "其中企业20134件，占比93.3%", "20134件")})
    assert findings_of(root) == []


def test_quote_at_another_line_says_where(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": fact_file("60", "全市有效发明21579件")})
    assert findings_of(root) == [("C003", "h/valid_invention: the quote is not at line 60 of "
                                          "seeds/000_ef14d01db3a9c97a.txt but at line 56")]


def test_quote_not_in_source(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": fact_file("56", "全市有效发明21597件", "21597件")})
    assert [code for code, _ in findings_of(root)] == ["C004"]


def test_line_out_of_range(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": fact_file("900", "全市有效发明21579件")})
    found = findings_of(root)
    assert found == [("C002", "h/valid_invention: line 900 is past the end of seeds/000_ef14d01db3a9c97a.txt (552 lines)")]


def test_value_not_in_quote(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": fact_file("56", "全市有效发明21579件", "2157件")})
    assert [code for code, _ in findings_of(root)] == ["C005"]


def test_source_hash_changed_marks_citations_unverified(make_base: MakeBase) -> None:
    root = make_base({"h.yaml": HUZHOU_FACTS})
    seed = root / "seeds" / "000_ef14d01db3a9c97a.txt"
    seed.write_bytes(seed.read_bytes() + b"\n")
    _, report = check_root(root)
    assert [f.code for f in report.findings] == ["C001"]
    assert report.findings[0].location is not None and str(report.findings[0].location) == "facts/sources.yaml:1"
    assert report.exit_code() == 1


def test_full_width_percent_in_the_quote_matches_ascii() -> None:
    assert digits_in("93.3", "占比93.3％".replace("％", "%"))


def test_digits_must_be_a_whole_number_in_the_quote() -> None:
    assert not digits_in("2013", "其中企业20134件")
    assert not digits_in("134", "其中企业20134件")
    assert digits_in("20134", "其中企业20134件")
    assert not digits_in("3.3", "占比93.3%")
    assert not digits_in("107", "40,107 million")
