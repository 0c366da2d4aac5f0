"""Region names as people type them: 宁波, 宁波市, Ningbo, ningbo, Ningbo City — and a "did you mean" for a typo."""

from __future__ import annotations

import difflib

from ipfacts.render.brief.errors import BriefError
from ipfacts.render.brief.places import english_name, known_names, shown_name
from ipfacts.render.brief.regions import CITY, Hierarchy, Regions

SUFFIXES_EN = (" city", " province", " county", " district")


def _typed(name: str) -> str:
    return " ".join(name.strip().casefold().split())


def spellings(regions: Regions, hierarchy: Hierarchy) -> dict[str, str]:
    """Every accepted spelling (casefolded) → the region as the base names it."""
    table: dict[str, str] = {}
    for region in regions.levels:
        english = english_name(region).casefold()
        forms = {region, english, english.replace("'", ""), english.replace(" ", "")}
        if region.endswith("市"):
            forms.add(region[:-1])
        else:
            forms.add(region + "市")
        for suffix in SUFFIXES_EN:
            if english.endswith(suffix):
                forms.add(english[: -len(suffix)])
            elif regions.levels[region] == CITY and suffix == " city":
                forms.add(english + suffix)
        for form in forms:
            table.setdefault(_typed(form), region)
    for alias, region in hierarchy.aliases.items():
        table[_typed(alias)] = region
    return table


def _known_place(name: str, hierarchy: Hierarchy) -> str | None:
    """The place `name` names exactly, in facts/regions.yaml or the shipped list of places (None: unknown)."""
    typed = name.strip()
    if typed in hierarchy.parent or typed in hierarchy.parent.values():
        return typed
    return typed if typed in known_names() else None


def resolve_region(name: str, regions: Regions, hierarchy: Hierarchy, lang: str, what: str = "city") -> str:
    """The base's name for what was typed; BriefError with a did-you-mean and the known names otherwise."""
    if name in regions.levels:
        return name
    table = spellings(regions, hierarchy)
    found = table.get(_typed(name))
    pool = regions.cities if what == "city" else regions.all
    plural = "cities" if what == "city" else "regions"
    if found is not None and found in regions.levels:
        return found
    place = found or _known_place(name, hierarchy)
    if place is not None:  # a real place (江苏省), declared or known by name, of which the base has no figure
        known = ", ".join(shown_name(r, lang) for r in pool) or "none"
        raise BriefError(f"unknown {what} {name!r}; known {plural}: {known} (the fact base has no figures for "
                         f"{shown_name(place, lang)}: it is a place, not a typo)")

    def shown(region: str) -> str:  # in the brief's language, and in English too when that is what was typed
        text = shown_name(region, lang)
        return f"{text} ({english_name(region)})" if name.isascii() and lang != "en" else text

    known = ", ".join(shown(r) for r in pool) or "none"
    with_figures = [spelling for spelling, region in table.items() if region in regions.levels]
    close = difflib.get_close_matches(_typed(name), with_figures, n=1, cutoff=0.6)
    hint = f" — did you mean {shown(table[close[0]])}?" if close else ""
    raise BriefError(f"unknown {what} {name!r}{hint}; known {plural}: {known}")
