"""Step 1 of a brief: the city's peers and the regions shown as context."""

from __future__ import annotations

from dataclasses import dataclass

from ipfacts.render.brief.errors import BriefError
from ipfacts.render.brief.labels import Labels
from ipfacts.render.brief.model import MAX_PEERS
from ipfacts.render.brief.names import resolve_region
from ipfacts.render.brief.places import english_name, romanise, shown_name
from ipfacts.render.brief.regions import (
    CITY,
    COUNTRY,
    PROVINCE,
    Hierarchy,
    Regions,
)

MIN_PROVINCE_PEERS = 2  # fewer other cities of the province than this: compare with every city of the base

def group_name(group: str, lang: str) -> str:
    """A peer group's name: as declared in Chinese; in English from data/places.yaml, else glossed as declared
    (a group's name is not a place: never romanised)."""
    if lang != "en":
        return group
    english = english_name(group)
    return english if english != romanise(group) else f"“{group}”"


# --- step 1: peers ---------------------------------------------------------------------------------------


@dataclass
class PeerChoice:
    peers: list[str]
    context: list[str]
    rule: str
    left_out: int = 0


def choose_peers(regions: Regions, hierarchy: Hierarchy, city: str, asked: list[str] | None, t: Labels,
                 lang: str) -> PeerChoice:
    """The city's peers: as asked (names, `group:NAME`, or `all`: every city of the base), else the cities of its
    own province (from facts/regions.yaml) — every city of the base when the province has fewer than three
    there — else its first declared group, bounded by MAX_PEERS. The province and the
    nation are context, shown beside the figures, never ranked."""
    province = hierarchy.province_of(city)
    context = list(regions.of_level(COUNTRY))
    if province and regions.levels.get(province) == PROVINCE:
        context.append(province)
    elif not hierarchy.declared:  # which province is the city's? Not known: every province, for scale
        context += regions.provinces
    if asked and [a.strip().lower() for a in asked] in (["all"], ["全部"]):
        peers = [c for c in regions.cities if c != city]
        rule = t.peers_all_asked
    elif asked:
        chosen: list[str] = []
        rules = []
        for name in asked:
            if name.startswith(("group:", "组:")):
                group = name.split(":", 1)[1].strip()
                if group not in hierarchy.groups:
                    known = ", ".join(hierarchy.groups) or "none (declare them in facts/regions.yaml)"
                    raise BriefError(f"unknown peer group {group!r}; known groups: {known}")
                chosen += hierarchy.groups[group]
                rules.append(t.f("peers_group", group=group_name(group, lang)))
            else:
                chosen.append(resolve_region(name, regions, hierarchy, lang, what="peer"))
        chosen = list(dict.fromkeys(p for p in chosen if p != city))
        context = list(dict.fromkeys([*[p for p in chosen if regions.levels.get(p) in (PROVINCE, COUNTRY)]]))
        peers = [p for p in chosen if regions.levels.get(p) == CITY]
        rule = t.sep.join(rules) if rules else t.peers_asked
    elif hierarchy.declared and province:
        peers = [c for c in regions.cities if c != city and hierarchy.province_of(c) == province]
        rule = t.f("peers_province", province=shown_name(province, lang))
        if len(peers) < MIN_PROVINCE_PEERS:  # a province of one or two cities in the base: every city, years flagged
            peers = [c for c in regions.cities if c != city]
            rule = t.f("peers_all_small", province=shown_name(province, lang))
        if not peers:
            for group in hierarchy.groups_of(city):
                peers = [c for c in hierarchy.groups[group] if c != city and regions.levels.get(c) == CITY]
                if peers:
                    rule = t.f("peers_group", group=group_name(group, lang))
                    break
    elif hierarchy.declared:
        peers = []
        rule = t.peers_none
        for group in hierarchy.groups_of(city):
            peers = [c for c in hierarchy.groups[group] if c != city and regions.levels.get(c) == CITY]
            if peers:
                rule = t.f("peers_group", group=group_name(group, lang))
                break
    else:
        peers = [c for c in regions.cities if c != city]
        rule = t.peers_all
    left_out = max(len(peers) - MAX_PEERS, 0)
    return PeerChoice(peers[:MAX_PEERS], context, rule, left_out)

