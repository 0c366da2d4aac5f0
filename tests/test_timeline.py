"""The timeline of one figure (`ipfacts show --metric M --region R`, `/timeline` in serve) over bases of MADE-UP
documents (tests/madeup.py: invented places, titles and figures)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.render.timeline import build_timeline
from ipfacts.review.checked import check_root
from ipfacts.web import create_app

import madeup

runner = CliRunner()


def test_every_statement_across_sources_and_periods_with_implied_points_and_findings(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.chain(growth_2023="18.73%"))
    base, report = check_root(root)
    timeline = build_timeline(base, report, "patent.invention.valid", "青川市")
    assert timeline.region == "青川" and timeline.spellings == ("青川", "青川市")
    assert timeline.stated_periods == ["2022", "2023", "2024"]
    implied = [p for p in timeline.points if p.implied]
    assert [(p.period, p.text) for p in implied] == [("2021", "≈30546–30570件")]  # 38289 ÷ (1 + 25.25…25.35%)
    assert [p.source for p in timeline.points if not p.implied] == [
        "qingchuan-release-2022", "qingchuan-paper-2023", "qingchuan-paper-2024"]
    assert [f.code for f in timeline.findings] == ["R151"]


def test_show_prints_the_timeline_and_refuses_unknown_names(tmp_path: Path) -> None:
    root = madeup.write_base(tmp_path, *madeup.release_and_paper("24.73%"))
    result = runner.invoke(app, ["show", "--metric", "patent.invention.share", "--region", "青川", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "24.73%" in result.output and "24.75%" in result.output and "R150" in result.output
    assert "qingchuan-release-2023, line 2" in result.output
    result = runner.invoke(app, ["show", "--metric", "patent.invention.shares", "--region", "青川", "--root", str(root)])
    assert result.exit_code == 1 and "did you mean 'patent.invention.share'" in result.output
    result = runner.invoke(app, ["show", "--metric", "patent.invention.share", "--root", str(root)])
    assert result.exit_code == 2 and "--metric and --region together" in result.output


def test_the_timeline_page_works_without_scripts_and_escapes_what_it_shows(tmp_path: Path) -> None:
    docs, facts = madeup.release_and_paper("24.73%")
    title, region, period, lines = docs["qingchuan-release-2023"]
    docs["qingchuan-release-2023"] = ("<script>alert(1)</script>发布稿", region, period, lines)
    root = madeup.write_base(tmp_path, docs, facts)
    client = TestClient(create_app(root), base_url="http://127.0.0.1:8765", follow_redirects=False)
    empty = client.get("/timeline")
    assert empty.status_code == 200 and "<form" in empty.text and "<script" not in empty.text
    page = client.get("/timeline", params={"metric": "patent.invention.share", "region": "青川"})
    assert page.status_code == 200
    assert "<script" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;发布稿" in page.text
    assert "24.73%" in page.text and "24.75%" in page.text
    fp = check_root(root)[1].findings
    r150 = next(f for f in fp if f.code == "R150")
    assert f'href="/findings/{r150.fingerprint}"' in page.text
    odd = client.get("/timeline", params={"metric": "patent.invention.share", "region": "<b>x</b>"})
    assert odd.status_code == 404 and "<b>x</b>" not in odd.text and "&lt;b&gt;x&lt;/b&gt;" in odd.text


def test_the_shipped_base_timeline_takes_the_name_as_typed_and_shows_the_year_a_rate_implies() -> None:
    from conftest import REPO

    result = runner.invoke(app, ["show", "--metric", "patent.invention.valid", "--region", "Huzhou City",
                                 "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    # 21579件 growing 11.55%: last year 19344 or 19345 (README, GRIM), implied by line 57
    assert "≈19344–19345件  implied by huzhou-2024/valid_invention_growth" in result.output
    assert "21579件  《湖州市知识产权发展和保护状况白皮书（2024年度）》 (huzhou-2024, line 56)" in result.output
    assert "no finding between them" in result.output
