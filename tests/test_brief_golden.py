"""Golden briefs of the shipped base (JSON and Markdown, every city), and a held-out list of unlike figures.

Regenerate after an intended change: `UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_brief_golden.py`,
then read the diff as an editor would before committing it.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ipfacts.check.engine import check_base
from ipfacts.load.loader import load
from ipfacts.render.brief.assemble import BriefContext, assemble, latest_period
from ipfacts.render.brief.places import english_name
from ipfacts.render.brief.regions import classify
from ipfacts.render.brief.render import choose_template, render_markdown
from ipfacts.render.brief.tojson import brief_json, render_json
from ipfacts.review.verdicts import apply_reviews

from conftest import REPO

GOLDEN = Path(__file__).resolve().parent / "golden" / "briefs"
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))


@cache
def _base() -> Any:
    base = load(REPO)
    report = check_base(base)
    apply_reviews(base, report)
    return base, report


def _cities() -> list[str]:
    base, _ = _base()
    return [c for c in classify(base).cities if latest_period(base, c)]


def _brief(city: str, lang: str = "zh") -> BriefContext:
    base, report = _base()
    return assemble(base, report, city, lang=lang)


def _slug(city: str) -> str:
    return english_name(city).lower().replace(" ", "-").replace("'", "")


@pytest.mark.parametrize("city", _cities())
def test_golden_briefs(city: str) -> None:
    brief = _brief(city)
    outputs = {
        f"{_slug(city)}.json": render_json(brief),
        f"{_slug(city)}.md": render_markdown(brief, choose_template("md", REPO), _slug(city)).text,
    }
    for name, text in outputs.items():
        path = GOLDEN / name
        if UPDATE:
            path.write_text(text, encoding="utf-8")
            continue
        assert path.is_file(), f"{path} is missing: run with UPDATE_GOLDEN=1 to write it"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs: regenerate with UPDATE_GOLDEN=1, read the diff"


# Figures of the shipped sources that count different things, whatever key a curator gives them. None may be
# ranked together, charted together or contrasted in a notable difference, in any city's brief.
UNLIKE = [
    ("huzhou-2024/admin_patent_disputes_decided", "ningbo-2024/admin_patent_disputes_concluded"),  # rulings vs concluded
    ("huzhou-2024/admin_patent_disputes_decided", "wuxi-2024/admin_patent_disputes_concluded"),
    ("ningbo-2024/admin_ip_cases_value", "huzhou-2024/admin_ip_cases_goods_value"),  # 涉案金额 vs 货值
    ("zhejiang-2020/court_ip_first_instance_received", "ningbo-2024/court_cases_accepted"),  # first instance vs all
    ("wuxi-2024/court_cases_accepted", "ningbo-2024/court_cases_accepted"),  # 新收 vs 受理
    ("huzhou-2024/court_cases_accepted", "ningbo-2024/court_cases_accepted"),  # 市法院 vs 两级法院
    ("huzhou-2024/court_cases_concluded", "wuxi-2024/court_cases_concluded"),
    ("huzhou-2024/procuratorate_cases", "ningbo-2024/procuratorate_ip_criminal_cases"),  # one agency vs all
    ("ningbo-2024/police_ip_cases", "huzhou-2024/police_cases_solved"),  # handled vs solved
    ("ningbo-2024/police_ip_cases", "wuxi-2024/police_cases_solved"),
    ("jiaxing-2023/police_ip_persons", "wuxi-2024/police_suspects_arrested"),  # 刑事打击 vs 抓获
    ("huzhou-2024/pledge_enterprises", "ningbo-2024/pledge_enterprises"),  # enterprise-times vs enterprises
    ("ningbo-2024/pledge_count", "wuxi-2024/pledge_projects_highlight"),  # deals vs projects
    ("huzhou-2024/patent_transfer", "wuxi-2024/patent_transfer"),  # 件次 vs 件
    ("huzhou-2024/admin_ip_cases_referred", "ningbo-2024/admin_ip_cases_referred_to_police"),  # judiciary vs police
    ("huzhou-2024/china_patent_award_excellence", "zhejiang-2020/china_patent_awards"),  # one grade vs all
    ("huzhou-2024/gi_authorized_users", "zhejiang-2020/gi_authorized_users"),  # special mark vs licensed
    ("ningbo-2024/copyright_registrations", "wuxi-2024/copyright_registrations"),  # all vs works
    ("huzhou-2024/ip_insurance_amount", "wuxi-2024/ip_insurance_amount"),  # 投保金额 vs 投保额度
    ("ningbo-2024/pledge_amount", "huzhou-2024/pledge_amount"),  # by the year's end vs the year's new
    ("huzhou-2024/admin_patent_disputes", "wuxi-2024/admin_patent_disputes"),  # handled vs accepted
]


def _compared(data: dict[str, Any]) -> list[set[str]]:
    """Every set of facts the brief puts side by side as comparable: a rank, a chart, a difference."""
    groups = []
    for row in data["rows"]:
        ranked = {f["citation"]["fact"] for f in row["figures"] if f["rank"] is not None}
        groups.append(ranked)
        if row["chart"]:
            chart = next(c for c in data["charts"] if c["metric"] == row["metric"])
            groups.append({f["citation"]["fact"] for f in row["figures"] if f["region"] in chart["regions"]
                           and f["rank"] is not None})
    for d in data["differences"]:
        groups.append({c["fact"] for c in d["figures"]})
    return groups


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_brief_compares_unlike_figures(lang: str) -> None:
    base, _ = _base()
    for a, b in UNLIKE:
        assert a in base.facts and b in base.facts, (a, b)
    for city in _cities():
        data = brief_json(_brief(city, lang))
        for group in _compared(data):
            for a, b in UNLIKE:
                assert not {a, b} <= group, f"{city}: {a} and {b} compared"
        # the control: like figures are compared somewhere, so this test can fail
    wuxi = brief_json(_brief("无锡"))
    assert any({"wuxi-2024/invention_grants", "ningbo-2024/invention_grants"} <= g for g in _compared(wuxi))


def test_every_shown_but_unranked_figure_says_why() -> None:
    for city in _cities():
        data = json.loads(render_json(_brief(city)))
        for row in data["rows"]:
            for figure in row["figures"]:
                assert (figure["rank"] is None) == bool(figure["unranked_reason"]), (city, row["metric"], figure)
