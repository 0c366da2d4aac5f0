"""A comparison brief as data: what a template shows, every number tied to its source line.

`assemble(base, report, city, ...)` is pure. It reads a FactBase and the checker's
Report and returns a BriefContext, in small steps:

    peers.py (choose_peers) → rows.py (one row per metric the city reports, with per-10,000
    figures only where the metric says they mean something) → ranks.py (like for like only, and
    charts) → differences.py → lede.py; checks.py words the findings and lists the sources.
    model.py holds the tree a template receives.

Numbers stay exact Decimals all the way to the template; charts are drawn when the brief
is rendered (charts.py), from the ChartSpec each headline row carries. The tree is
documented in docs/templates.md, and `brief_json` (tojson.py) writes it as data.

The rule throughout: a number is only honest in context. Two figures are ranked, charted
or contrasted only when they carry the same metric key (one definition, metrics.yaml), the
same period and commensurable units; every figure shown but not compared says why.
"""

from __future__ import annotations

from ipfacts.findings import Report
from ipfacts.load.model import FactBase
from ipfacts.render.brief.checks import findings, sources
from ipfacts.render.brief.differences import differences
from ipfacts.render.brief.errors import BriefError
from ipfacts.render.brief.labels import LANGS, labels
from ipfacts.render.brief.lede import key_numbers, lede
from ipfacts.render.brief.model import (
    MAX_PEERS,
    Bar,
    BriefContext,
    Cell,
    ChartSpec,
    Citation,
    Figure,
    LeftOut,
    Row,
)
from ipfacts.render.brief.names import resolve_region
from ipfacts.render.brief.peers import choose_peers
from ipfacts.render.brief.places import shown_name
from ipfacts.render.brief.ranks import chart_row, rank_row
from ipfacts.render.brief.regions import (
    CITY,
    Hierarchy,
    Regions,
    classify,
    load_hierarchy,
)
from ipfacts.render.brief.rows import (
    Citations,
    FactIndex,
    Step,
    build_rows,
    latest_period,
    period_key,
    population_of,
    stated_ranks_elsewhere,
)
from ipfacts.render.brief.series import series_for

__all__ = ["MAX_PEERS", "Bar", "BriefContext", "Cell", "ChartSpec", "Citation", "Figure", "Row", "assemble",
           "choose_peers", "known_cities", "latest_period"]


# --- the whole -------------------------------------------------------------------------------------------


CITATION_CODES = ("C001", "C002", "C003", "C004", "C005", "T001", "T002")  # the figure's citation is not verified


def uncited(base: FactBase, report: Report | None) -> dict[str, LeftOut]:
    """The facts a brief must leave out: those with an open citation finding (a quote not in the source, a
    changed source …). A brief never prints a figure it cannot cite; the CLI says on stderr what it left out."""
    out: dict[str, LeftOut] = {}
    if report is None:
        return out
    for finding in report.findings:
        if finding.code not in CITATION_CODES or report.review_of(finding) is not None:
            continue
        for ref in finding.facts:
            fact = base.facts.get(ref.id)
            if fact is not None and fact.id not in out:
                out[fact.id] = LeftOut(fact.id, fact.file, fact.where.line, fact.value.text, finding.code,
                                       finding.message)
    return out


def known_cities(base: FactBase) -> list[str]:
    return classify(base).cities


def assemble(base: FactBase, report: Report | None, city: str, peers: list[str] | None = None,
             period: str | None = None, lang: str = "zh", hierarchy: Hierarchy | None = None,
             regions: Regions | None = None) -> BriefContext:
    """The brief of `city`. `regions` (the levels of the whole base) is given when `base` holds only the facts a
    brief reads (extract.py); `hierarchy` is read from the base's facts/regions.yaml when not given."""
    if lang not in LANGS:
        raise BriefError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    t = labels(lang)
    regions = regions if regions is not None else classify(base)
    hierarchy = hierarchy if hierarchy is not None else load_hierarchy(base.root)
    city = resolve_region(city, regions, hierarchy, lang, what="city")
    if regions.levels.get(city) != CITY:
        raise BriefError(f"{city} is a {regions.levels.get(city)}, not a city; known cities: "
                         f"{', '.join(shown_name(c, lang) for c in regions.cities)}")
    left_out = uncited(base, report)
    index = FactIndex(base, set(left_out))
    periods = sorted({p for (m, r), ps in index.periods.items() if r == city for p in ps if p}, key=period_key)
    if not periods:
        raise BriefError(f"{city} has no facts with a metric; nothing to compare")
    if period is None:
        period = periods[-1]
    elif period not in periods:
        raise BriefError(f"{city} has no facts for period {period!r}; its periods: {', '.join(periods)}")
    choice = choose_peers(regions, hierarchy, city, peers, t, lang)
    step = Step(base, index, lang, t, Citations(base, t), period, hierarchy=hierarchy)
    shown_city = step.name(city)

    rows = build_rows(step, city, choice.peers, choice.context)
    # A peer (or context region) reporting none of the city's metrics gets no column; it is named apart.
    silent = [p for n, p in enumerate(choice.peers) if all(r.peers[n].figure is None for r in rows)]
    keep = [n for n, p in enumerate(choice.peers) if p not in silent]
    keep_context = [n for n, _ in enumerate(choice.context) if any(r.context[n].figure is not None for r in rows)]
    for r in rows:
        r.peers = [r.peers[n] for n in keep]
        r.context = [r.context[n] for n in keep_context]
        rank_row(r, t, period)
    for n, r in enumerate((r for r in rows if r.headline), 1):
        chart_row(r, t, lang, shown_city, n)

    shown_ids = {f.fact_id for r in rows for f in (r.city.figure, r.city.growth) if f is not None}
    open_items, reviewed = findings(base, report, step, city, shown_ids) if report is not None else ([], [])
    populations = [p for p in step.populations.values() if p is not None]
    brief = BriefContext(
        city=shown_city, city_key=city, period=period, lang=lang, t=t,
        title=t.f("title", city=shown_city, period=period),
        peers=[step.name(choice.peers[n]) for n in keep], peer_rule=choice.rule,
        context=[step.name(choice.context[n]) for n in keep_context], rows=rows,
        differences=differences(rows, t, shown_city, lambda c: population_of(step, c.key, c.period)),
        lede=lede(rows, t, shown_city, len(keep), stated_ranks_elsewhere(step, city, rows)),
        key_numbers=key_numbers(rows, t), populations=populations,
        findings_open=open_items, findings_reviewed=reviewed, sources=[], citations=step.cites.order,
        periods=periods, peers_without_figures=[step.name(s) for s in silent], peers_left_out=choice.left_out,
        left_out=list(left_out.values()), series=series_for(base, city, lang))
    brief.sources = sources(base, step.cites.order, lang)
    return brief
