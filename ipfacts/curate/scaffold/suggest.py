"""Metric suggestions: the metric whose zh name, or words, stand before a drafted number."""

from __future__ import annotations

import re

from ipfacts.curate.naming import words_key
from ipfacts.curate.scaffold.spotting import Draft
from ipfacts.load.model import FactBase
from ipfacts.load.values import metric_unit_fits

METRIC_SUFFIXES = ("拥有量", "数量", "总量", "总额", "金额", "量", "数")


def _metric_words(base: FactBase) -> list[tuple[str, frozenset[str], str]]:
    """(zh name without its 量/数 ending, its glossary words, key) of every metric."""
    out = []
    for metric in base.metrics.values():
        core = metric.zh
        for suffix in METRIC_SUFFIXES:
            if core.endswith(suffix) and len(core) > len(suffix) + 1:
                core = core[: -len(suffix)]
                break
        out.append((core, frozenset(w for w in words_key(metric.zh, limit=8).split("_") if w), metric.key))
    return out


DOMAIN_WORDS = frozenset({"patent", "trademark", "gi", "copyright", "pct", "plant_variety", "invention"})
COURT = re.compile(r"法院|法庭|审判|审结")  # a court's figures: never a regulator's (admin.*) metric
REGULATOR = re.compile(r"市场监管|行政执法|查处|查办|知识产权局")


def _agency_fits(key: str, sentence: str) -> bool:
    """A court's 行政案件 is no market regulator's administrative case, nor the other way round."""
    if key.startswith("admin.") and COURT.search(sentence) and not REGULATOR.search(sentence):
        return False
    return not (key.startswith("court.") and REGULATOR.search(sentence) and not COURT.search(sentence))


def suggest_metrics(base: FactBase, drafts: list[Draft], text: str = "") -> None:
    """A draft gets the metric whose zh name stands in the words before it (有效发明专利 → the metric
    有效发明专利量), else whose words include all of the draft's (全市有效发明 → valid, invention: the metric
    with the fewest other words), of a unit the value fits; marked to confirm."""
    if not base.metrics:
        return
    vocabulary = _metric_words(base)
    for draft in drafts:
        spot = draft.spot
        if draft.problem or draft.lang == "en" or spot is None or spot.written is None or \
                {"growth_of", "change_of", "same_as"} & draft.relations.keys():
            continue
        fits = [(core, found, key) for core, found, key in vocabulary
                if metric_unit_fits(base.metrics[key], spot.written.unit if not draft.unit else draft.unit,
                                     base.units)]
        sentence = text[max(0, draft.sentence):spot.start] if text else draft.context
        fits = [f for f in fits if _agency_fits(f[2], sentence)]
        own = frozenset(w for w in words_key(draft.context, limit=8).split("_") if w)
        # its name stands before the number, and the number names no other thing (专利商标质押 is not 商标质押)
        named = [(len(core), key) for core, found, key in fits if core and core in draft.context
                 and not (own - found) & DOMAIN_WORDS]
        exact = [key for _, found, key in fits if len(own) >= 2 and found == own]
        why = ""
        if len(exact) == 1:
            chosen = exact[0]
            why = f"the words before the number are those of {base.metrics[chosen].zh}"
        elif named:
            chosen = max(named)[1]
            why = f"its name {base.metrics[chosen].zh} stands before the number"
        else:
            if len(own) < 2:
                continue
            close = [(len(found - own), key) for _, found, key in fits if own <= found]
            if not close:
                continue
            best = min(close)
            if sum(1 for c in close if c[0] == best[0]) > 1:
                continue  # two metrics fit equally well: leave the choice to the curator
            chosen = best[1]
            why = f"the words before the number fit {base.metrics[chosen].zh}"
        draft.metric = chosen
        draft.notes.append(f"TODO confirm: metric suggested ({why})")
