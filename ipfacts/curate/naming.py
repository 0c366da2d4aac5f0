"""Naming: draft keys from the words before a number (有效发明 → valid_invention)."""

from __future__ import annotations

import re
from functools import cache

# Words before a number → key parts, longest match first. Measures go last in a key (patent_grants).
GLOSSARY: dict[str, str] = {
    "专利": "patent", "发明": "invention", "实用新型": "utility", "外观设计": "design", "商标": "trademark",
    "地理标志": "gi", "版权": "copyright", "著作权": "copyright", "作品": "works", "软件": "software",
    "集成电路": "ic", "植物新品种": "plant_variety", "驰名商标": "well_known_trademark", "PCT": "pct",
    "马德里": "madrid", "国际专利": "pct", "高价值": "high_value", "有效": "valid", "企业": "enterprise", "每万人": "per_10k",
    "质押": "pledge", "融资": "financing", "保险": "insurance", "许可": "license", "转让": "transfer",
    "案件": "cases", "纠纷": "disputes", "调解": "mediated", "行政": "admin", "司法": "judicial",
    "法院": "court", "受理": "accepted", "审结": "concluded", "结案": "concluded", "罚没": "fines",
    "移送": "referred", "公安": "police", "海关": "customs", "维权": "enforcement", "援助": "aid",
    "服务": "service", "机构": "agencies", "人才": "talent", "培训": "training", "项目": "projects",
    "示范": "demo", "优势": "advantage", "标准": "standards", "奖": "award", "金额": "amount",
    "总额": "amount", "收入": "revenue", "产值": "output", "进出口": "trade", "贸易": "trade",
    "授权": "grants", "申请": "applications", "注册": "registrations", "登记": "registrations",
    "同比": "growth", "占比": "share", "合计": "total", "共计": "total", "总计": "total", "小微": "small",
    "拥有量": "", "数量": "", "总量": "",
}
MEASURES = {"grants", "applications", "registrations", "amount", "cases", "revenue", "output"}


def key_of(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


@cache
def _glossary_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(GLOSSARY, key=len, reverse=True)))


def words_key(context: str, limit: int = 4) -> str:
    """A key from the glossary words in `context`, in their order, measures last (invention_patent_grants)."""
    ordered: list[str] = []
    for match in _glossary_pattern().finditer(context):  # leftmost-longest, no overlaps
        part = GLOSSARY[match.group(0)]
        if part and part not in ordered:
            ordered.append(part)
    ordered = [p for p in ordered if p not in MEASURES] + [p for p in ordered if p in MEASURES]
    return "_".join(ordered[:limit])


def clean_key(key: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", key.lower())).strip("_")


def unique(key: str, taken: set[str]) -> str:
    if key not in taken:
        return key
    n = 2
    while f"{key}_{n}" in taken:
        n += 1
    return f"{key}_{n}"
