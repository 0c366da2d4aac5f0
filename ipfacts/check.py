"""`check`: load → citations → relations → reviews → one Report."""

from __future__ import annotations

from pathlib import Path

from ipfacts import relations
from ipfacts.citations import check_citation, check_sources
from ipfacts.findings import Finding, Report
from ipfacts.loader import load
from ipfacts.model import FactBase
from ipfacts.relations.base import Context
from ipfacts.sourcetext import SourceTexts


def check_base(base: FactBase, explain: bool = False) -> Report:
    texts = SourceTexts(base.sources)
    found: list[Finding] = list(check_sources(base, texts))
    changed = {f.citations[0].source for f in found if f.code == "C001"}
    for fact in base.facts.values():
        for finding in check_citation(base, fact, texts):
            if fact.source in changed:
                finding.details["unverified"] = True
            found.append(finding)
    ctx = Context(base, explain=explain)
    found.extend(relations.run(ctx))
    report = Report(found, facts_checked=len(base.facts), relations_checked=ctx.relations_checked,
                    sources_checked=len(base.sources))
    if explain:
        report.stats["evaluations"] = ctx.evaluations
    return report


def check_root(root: Path | str, explain: bool = False) -> tuple[FactBase, Report]:
    """Load and check; raises loader.LoadFailed when the base cannot be read."""
    base = load(root)
    report = check_base(base, explain=explain)
    from ipfacts.reviews import apply_reviews

    apply_reviews(base, report)
    return base, report
