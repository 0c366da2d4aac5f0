"""MADE-UP documents for the checks across documents (issue 28): press releases, white papers, a yearbook-style
province table, in the shapes real ones take. Every place, title and figure here is invented for the tests — none
is a real publication — and each base is written to a temporary directory with its sources, sha256 and citations
that verify, so `ipfacts check` judges it as it would a real base.

`write_base(root, docs, facts, metrics, regions)`: docs maps a source id to (title, region, period, lines).
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

Doc = tuple[str, str, str, list[str]]  # title, region, period, the document's lines

METRICS = """\
patent.invention.valid:
  zh: 有效发明专利拥有量
  en: Valid invention patents
  unit: 件
  kind: stock
  per_10k: true
  headline: true
patent.grants:
  zh: 专利授权量
  en: Patents granted
  unit: 件
  kind: flow
  headline: true
patent.invention.grants:
  zh: 发明专利授权量
  en: Invention patents granted
  unit: 件
  kind: flow
patent.invention.share:
  zh: 发明专利授权占比
  en: Share of invention patents in grants
  unit: "%"
  kind: rate
patent.grants.domestic:
  zh: 国内专利授权量
  en: Domestic patents granted
  unit: 万件
  kind: flow
  scope: "mainland applicants only"
patent.grants.domestic_hmt:
  zh: 国内专利授权量
  en: Domestic patents granted
  unit: 万件
  kind: flow
  scope: "applicants of the mainland, Hong Kong, Macao and Taiwan"
"""


def write_base(root: Path, docs: dict[str, Doc], facts: dict[str, str], metrics: str = METRICS,
               regions: str | None = None) -> Path:
    (root / "facts").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    entries = []
    for source_id, (title, region, period, lines) in docs.items():
        data = ("\n".join(lines) + "\n").encode("utf-8")
        (root / "seeds" / f"{source_id}.txt").write_bytes(data)
        entries.append(f"{source_id}:\n  file: seeds/{source_id}.txt\n  title: {title}\n  region: {region}\n"
                       f"  period: '{period}'\n  lang: zh\n  sha256: {hashlib.sha256(data).hexdigest()}\n")
    (root / "facts" / "sources.yaml").write_text("".join(entries), encoding="utf-8")
    (root / "facts" / "metrics.yaml").write_text(metrics, encoding="utf-8")
    if regions is not None:
        (root / "facts" / "regions.yaml").write_text(textwrap.dedent(regions), encoding="utf-8")
    for name, text in facts.items():
        (root / "facts" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


# --- a press release and a white paper of one year (the share truncated in one, rounded in the other) -----------

def release_and_paper(share_in_release: str = "24.74%", count_in_release: str = "13823") -> tuple[dict[str, Doc], dict[str, str]]:
    docs: dict[str, Doc] = {
        "qingchuan-release-2023": ("青川市2023年知识产权新闻发布稿（虚构）", "青川", "2023", [
            "青川市知识产权局新闻发布",
            f"全年授权发明专利{count_in_release}件，占专利授权总量的{share_in_release}。",
        ]),
        "qingchuan-paper-2023": ("青川市知识产权发展与保护状况白皮书（2023年，虚构）", "青川", "2023", [
            "一、知识产权创造",
            "全市专利授权量55853件，其中发明专利13823件，占比24.75%。",
        ]),
    }
    facts = {
        "qingchuan-release-2023.yaml": f"""\
            source: qingchuan-release-2023
            facts:
              invention_grants:
                metric: patent.invention.grants
                value: {count_in_release}件
                line: 2
                quote: 全年授权发明专利{count_in_release}件
              invention_share:
                metric: patent.invention.share
                value: {share_in_release}
                line: 2
                quote: 占专利授权总量的{share_in_release}
            """,
        "qingchuan-paper-2023.yaml": """\
            source: qingchuan-paper-2023
            facts:
              grants:
                metric: patent.grants
                value: 55853件
                line: 2
                quote: 全市专利授权量55853件
              invention_grants:
                metric: patent.invention.grants
                value: 13823件
                line: 2
                quote: 其中发明专利13823件
                part_of: grants
              invention_share:
                metric: patent.invention.share
                value: 24.75%
                line: 2
                quote: 占比24.75%
                share_of: [invention_grants, grants]
            """,
    }
    return docs, facts


# --- a chain of three years: 2022 (a release naming the city 青川市), 2023 and 2024 (papers naming it 青川) -----------

def chain(growth_2023: str = "18.70%", growth_2024: str = "18.70%", valid_2023: str = "45450",
          region_2022: str = "青川市") -> tuple[dict[str, Doc], dict[str, str]]:
    docs: dict[str, Doc] = {
        "qingchuan-release-2022": ("青川市2022年知识产权新闻发布稿（虚构）", region_2022, "2022", [
            "截至2022年底，全市有效发明专利38289件，同比增长25.3%。",
        ]),
        "qingchuan-paper-2023": ("青川市知识产权发展与保护状况白皮书（2023年，虚构）", "青川", "2023", [
            f"截至年底，全市有效发明专利{valid_2023}件，同比增长{growth_2023}。",
        ]),
        "qingchuan-paper-2024": ("青川市知识产权发展与保护状况白皮书（2024年，虚构）", "青川", "2024", [
            f"截至年底，全市有效发明专利53949件，同比增长{growth_2024}。",
        ]),
    }
    facts = {}
    for source_id, value, growth in (("qingchuan-release-2022", "38289", "25.3%"),
                                     ("qingchuan-paper-2023", valid_2023, growth_2023),
                                     ("qingchuan-paper-2024", "53949", growth_2024)):
        facts[f"{source_id}.yaml"] = f"""\
            source: {source_id}
            facts:
              valid_invention:
                metric: patent.invention.valid
                value: {value}件
                line: 1
                quote: 全市有效发明专利{value}件
              valid_invention_growth:
                value: {growth}
                line: 1
                quote: 同比增长{growth}
                growth_of: valid_invention
            """
    return docs, facts


# --- a province's table of cities beside three city papers ----------------------------------------------------------

REGIONS = """\
    regions:
      丰省: {in: 全国, parts: [甲城, 乙城, 丙城]}
      甲城: {in: 丰省, aliases: [甲城市]}
      乙城: {in: 丰省, aliases: [乙城市]}
      丙城: {in: 丰省, aliases: [丙城市]}
    """


def province_and_cities(province_total: str = "30814", yi_in_paper: str = "10275",
                        regions: str = REGIONS) -> tuple[dict[str, Doc], dict[str, str], str]:
    docs: dict[str, Doc] = {
        "feng-2023": ("丰省2023年知识产权统计年报（虚构）", "丰省", "2023", [
            f"全省专利授权量{province_total}件。",
            "表1 各市专利授权量",
            "地区 专利授权量",
            "甲城市 12431",
            "乙城市 10275",
            "丙城市 8108",
        ]),
        "jia-2023": ("甲城市知识产权白皮书（2023年，虚构）", "甲城", "2023", ["全市专利授权量12431件。"]),
        "yi-2023": ("乙城市知识产权白皮书（2023年，虚构）", "乙城", "2023", [f"全市专利授权量{yi_in_paper}件。"]),
        "bing-2023": ("丙城市知识产权白皮书（2023年，虚构）", "丙城", "2023", ["全市专利授权量8108件。"]),
    }
    facts = {
        "feng-2023.yaml": f"""\
            source: feng-2023
            facts:
              grants:
                metric: patent.grants
                value: {province_total}件
                line: 1
                quote: 全省专利授权量{province_total}件
            tables:
              by_city:
                line: 3
                unit: 件
                columns:
                  grants: {{header: 专利授权量, metric: patent.grants}}
                rows:
                  jia: {{region: 甲城市, line: 4, cells: ["12431"]}}
                  yi: {{region: 乙城市, line: 5, cells: ["10275"]}}
                  bing: {{region: 丙城市, line: 6, cells: ["8108"]}}
            """,
    }
    for source_id, value in (("jia-2023", "12431"), ("yi-2023", yi_in_paper), ("bing-2023", "8108")):
        facts[f"{source_id}.yaml"] = f"""\
            source: {source_id}
            facts:
              grants:
                metric: patent.grants
                value: {value}件
                line: 1
                quote: 全市专利授权量{value}件
            """
    return docs, facts, regions


# --- one word, two definitions: 国内 with and without Hong Kong, Macao and Taiwan ----------------------------------------

def two_definitions(yearbook_metric: str = "patent.grants.domestic_hmt") -> tuple[dict[str, Doc], dict[str, str]]:
    docs: dict[str, Doc] = {
        "nation-release-2023": ("2023年全国专利授权情况新闻稿（虚构）", "全国", "2023", [
            "全年授权国内专利401.5万件。",
        ]),
        "nation-yearbook-2023": ("专利统计年报2023（虚构）", "全国", "2023", [
            "国内专利授权 409.0万件",
        ]),
    }
    facts = {
        "nation-release-2023.yaml": """\
            source: nation-release-2023
            facts:
              domestic_grants:
                metric: patent.grants.domestic
                value: 401.5万件
                line: 1
                quote: 全年授权国内专利401.5万件
            """,
        "nation-yearbook-2023.yaml": f"""\
            source: nation-yearbook-2023
            facts:
              domestic_grants:
                metric: {yearbook_metric}
                value: 409.0万件
                line: 1
                quote: 国内专利授权 409.0万件
            """,
    }
    return docs, facts
