"""Region names in the brief's language: Chinese as written, English from data/places.yaml or romanised.

A fact base names its regions in Chinese (宁波, 浙江省, 新昌县). An English
brief says Ningbo, Zhejiang Province, Xinchang County: the curated table first,
else the administrative suffix translated and the rest in pinyin (pypinyin,
imported only when a name is not in the table).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

VOWEL_INITIALS = ("a", "o", "e")


@cache
def _table() -> tuple[dict[str, str], list[tuple[str, str]]]:
    text = resources.files("ipfacts").joinpath("data/places.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    suffixes = sorted(data["suffixes"].items(), key=lambda item: -len(item[0]))
    return dict(data["names"]), suffixes


@cache
def known_names() -> set[str]:
    """The Chinese place names the shipped table knows (provinces, cities …)."""
    return set(_table()[0])


def english_name(name: str) -> str:
    names, suffixes = _table()
    if name in names:
        return names[name]
    if name.isascii():
        return name
    for suffix, english in suffixes:
        stem = name[: -len(suffix)]
        if name.endswith(suffix) and stem:
            return f"{romanise(stem)} {english}".strip()
    return romanise(name)


def romanise(text: str) -> str:
    """Hanyu pinyin without tones, as place names are written: 西安 → Xi'an, 乐清 → Yueqing."""
    # lazy: pypinyin costs 0.2 s to import; only a place missing from data/places.yaml needs it (English briefs)
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    joined = syllables[0] + "".join(("'" if s.startswith(VOWEL_INITIALS) else "") + s for s in syllables[1:])
    return joined[:1].upper() + joined[1:]


def shown_name(name: str, lang: str) -> str:
    return english_name(name) if lang == "en" else name
