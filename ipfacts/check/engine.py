"""`check`: citations → relations → one Report, in one process, in the base's order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ipfacts.check import across, relations
from ipfacts.check.anchors import plan
from ipfacts.check.citations import check_citation, check_ignores, check_sources, check_tables
from ipfacts.check.relations.base import Context
from ipfacts.findings import Finding, Report
from ipfacts.findings.details import CitationDetails
from ipfacts.infra.gcpause import gc_paused
from ipfacts.load.model import FactBase
from ipfacts.load.sourcetext import SourceTexts

Progress = Callable[[str], None]  # told what the run is doing now; the CLI shows it on a terminal


def silent(_: str) -> None:
    pass


def check_base(base: FactBase, explain: bool = False, progress: Progress = silent) -> Report:
    with gc_paused():  # as while loading: many objects made, few freed (benchmarks/README.md)
        return _check_base(base, explain, progress)


def _check_base(base: FactBase, explain: bool, progress: Progress) -> Report:
    texts = SourceTexts(base.sources)
    found: list[Finding] = list(check_sources(base, texts))
    changed = {f.citations[0].source for f in found if f.code == "C001"}
    ctx = Context(base, explain=explain)
    progress(f"checking the citations and relations of {len(base.facts):,} facts")
    found.extend(_citations(base, texts, changed))
    found.extend(relations.run(ctx))
    found.extend(across.run(ctx))  # across documents: restated figures, last year's, a region's parts
    found.extend(check_tables(base, texts))
    found.extend(check_ignores(base, texts))
    report = Report(found, facts_checked=len(base.facts), relations_checked=ctx.relations_checked,
                    sources_checked=len(base.sources))
    _changed_first(base, texts, report)
    if explain:
        report.stats["evaluations"] = ctx.evaluations
    return report


def report_order(finding: Finding) -> tuple[bool, str, int, str, str]:
    """Findings in report order: a changed source (C001) first, as it explains the citation errors after it."""
    return (finding.code != "C001", *finding.sort_key())


def _changed_first(base: FactBase, texts: SourceTexts, report: Report) -> None:
    """Put each C001 first, with the lines that changed: its citations found again by their quotes."""
    for finding in report.findings:
        if finding.code == "C001":
            found = plan(base, finding.citations[0].source, texts)
            if isinstance(finding.details, CitationDetails):
                finding.details = replace(finding.details, moved=tuple(f"{m.fact}: {m.old} → {m.new}" for m in found.moved),
                                          lost=tuple(f"{m.fact}: {m.old}" for m in found.lost))
            if found.moves:
                sample = ", ".join(f"{m.key} {m.old} → {m.new or '?'}" for m in found.moves[:3])
                more = ", …" if len(found.moves) > 3 else ""
                finding.message += (f"; {len(found.moved)} of {found.citations} citation(s) moved, "
                                    f"{len(found.lost)} quote(s) not found ({sample}{more}): "
                                    f"`ipfacts reanchor {found.source}` shows and applies the new lines")
    report.findings.sort(key=report_order)


def explanations(report: Report, all_checks: bool = False) -> list[dict[str, object]]:
    """The relation checks `--explain` lists: those behind open findings (their facts), or all of them."""
    evaluations: list[dict[str, object]] = report.stats.get("evaluations", [])
    if all_checks:
        return evaluations
    behind = {fact.id for finding in report.open for fact in finding.facts}
    return [item for item in evaluations if item.get("fact") in behind or item.get("verdict") == across.NOT_COMPARED]


def _citations(base: FactBase, texts: SourceTexts, changed: set[str]) -> list[Finding]:
    found = []
    for fact in base.facts.values():
        for finding in check_citation(base, fact, texts):
            if fact.source in changed and isinstance(finding.details, CitationDetails):
                finding.details = replace(finding.details, unverified=True)
            found.append(finding)
    return found
