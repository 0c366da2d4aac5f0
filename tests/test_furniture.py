"""Page furniture is never a fact: one rule (ipfacts.curate.furniture) for tables and prose.

The page below is MADE UP, in the shapes scraped pages leave their furniture in.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from test_drafting import base_with

from ipfacts.curate.furniture import furniture
from ipfacts.curate.scaffold import render, scaffold
from ipfacts.load.loader import load

PAGE = """\
某市2023年知识产权发展状况
2024- 02- 27 16: 41
发布日期:
2025-03-12
阅读次数: 1234
2024-04-25 04:03:30
全市专利授权量12000件，同比增长5.2%。
P. 184
Page 185 - 某市知识产权局
- 12 -
浙ICP备12345678号-1
浙公网安备 33010602000123号
Print Download
Return>>>
24日
"""


def test_each_kind_of_furniture_is_recognised_with_its_reason() -> None:
    found = furniture(PAGE.splitlines())
    assert sorted(found) == [2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15], found  # 发布日期: holds no number
    assert 7 not in found, "the sentence with the claims is no furniture"
    assert "timestamp" in found[2] and "view counter" in found[5] and "record number" in found[11]
    assert found[8] == found[9] == found[10] == "a page number" and found[13] == "a link of the page"


def test_scaffold_drafts_the_claims_and_lists_the_furniture_under_ignore(tmp_path: Path) -> None:
    root = base_with(tmp_path, PAGE)
    base = load(root)
    text = render(base, "doc", scaffold(base, "doc"))
    data = yaml.safe_load(text)
    assert sorted(f["value"] for f in data["facts"].values()) == ["12000件", "5.2%"]
    ignored = {(i["line"], i["text"]) for i in data["ignore"]}
    assert {(2, "27"), (2, "16"), (2, "41"), (4, "12"), (5, "1234"), (6, "25"), (6, "30"), (9, "185"),
            (11, "12345678"), (12, "33010602000123"), (15, "24")} <= ignored  # P. 184, - 12 -: coverage sets apart
    assert all(i["reason"] for i in data["ignore"])
    (root / "facts" / "doc.yaml").write_text(text, encoding="utf-8")
    from ipfacts.review.checked import check_root

    _, report = check_root(root)
    assert not [f for f in report.findings if f.code.startswith(("L", "C"))], [f.message for f in report.findings]
