"""The checker's findings and the sources, as a brief shows them."""

from __future__ import annotations

import re
from collections import defaultdict

from ipfacts.findings import Finding, Report
from ipfacts.findings.details import RelationDetails
from ipfacts.load.model import FactBase
from ipfacts.load.numbers import parse_value
from ipfacts.render.brief.model import Citation, FindingItem, SourceItem
from ipfacts.render.brief.places import shown_name
from ipfacts.render.brief.rows import Step
from ipfacts.render.brief.wording import (
    finding_words,
    shown_value,
    verdict_words,
)

# --- findings and sources --------------------------------------------------------------------------------


def findings(base: FactBase, report: Report, step: Step, city: str, shown_ids: set[str]
             ) -> tuple[list[FindingItem], list[FindingItem]]:
    touching = shown_ids | {f.id for f in base.facts.values() if f.region == city and f.period == step.period}
    open_items: list[FindingItem] = []
    reviewed: list[FindingItem] = []
    for finding in report.findings:
        if not any(ref.id in touching for ref in finding.facts):
            continue
        review = report.review_of(finding)
        item = _finding_item(base, finding, step, review)
        (reviewed if review is not None else open_items).append(item)
    return open_items, reviewed


def _finding_item(base: FactBase, finding: Finding, step: Step, review: dict[str, object] | None) -> FindingItem:
    facts = [base.facts[ref.id] for ref in finding.facts if ref.id in base.facts]
    cites = [step.cites.of(f) for f in facts]
    what = step.t.sep.join(f"{shown_value(f.value, step.lang)}" for f in facts)
    status = str(review["status"]) if review else None
    name = "finding_disagree" if status == "source-error" else "finding_text"  # what is known: the arithmetic
    text = step.t.f(name, figures=what, problem=finding_words(finding.code, step.lang))
    detail = ""
    if finding.reported and finding.expected:
        expected = _interval_words(finding.expected)
        details = finding.details
        if finding.code == "R118" and isinstance(details, RelationDetails) and details.intake:
            expected = f"≤ {details.intake} + {step.t.pending_start}"  # the backlog the base does not state
        detail = step.t.f("finding_detail", reported=_reported(finding.reported, step.lang), expected=expected)
    review = review or {}
    return FindingItem(code=finding.code, severity=finding.severity, text=text, detail=detail,
                       verdict=verdict_words(str(review["status"]), step.lang) if review else None,
                       verdict_note=str(review.get("note")) if review.get("note") else None,
                       reviewer=str(review.get("reviewer")) if review else None,
                       date=str(review.get("date")) if review else None, citations=cites)


def _reported(text: str, lang: str) -> str:
    """The printed figure the checker names, in the brief's notation (2.6倍 → 2.6 times in English)."""
    if lang != "en":
        return text
    try:
        return shown_value(parse_value(text), lang)
    except ValueError:
        return text


def _interval_words(text: str) -> str:
    """[93.298, 93.298]% → 93.298%; (101.25, 101.48] → 101.25–101.48: the checker's interval in plain figures."""
    m = re.fullmatch(r"[\[(]\s*([-0-9.]+),\s*([-0-9.]+)\s*[\])](.*)", text.strip())
    if not m:
        return text
    lo, hi, unit = m.groups()
    return f"{lo}{unit}" if lo == hi else f"{lo}–{hi}{unit}"


def sources(base: FactBase, used: list[Citation], lang: str) -> list[SourceItem]:
    by_source: dict[str, list[int]] = defaultdict(list)
    for c in used:
        by_source[c.source].append(c.number)
    out = []
    for source_id, numbers in by_source.items():
        s = base.sources[source_id]
        out.append(SourceItem(id=s.id, title=s.title_en if lang == "en" and s.title_en else s.title, file=s.file.rsplit("/", 1)[-1], path=s.file,
                              region=shown_name(s.region, lang) if s.region else None, period=s.period, url=s.url,
                              sha256=s.sha256, citations=numbers, publisher=s.publisher_en if lang == "en" and s.publisher_en else s.publisher,
                              published=s.published))
    return sorted(out, key=lambda s: s.id)

