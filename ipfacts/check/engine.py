"""`check`: load → citations → relations → reviews → one Report.

On a large base (SPLIT_FACTS facts or more) and where forking is safe, the citations and some relation
kinds are checked in a forked child while this process checks the other kinds (infra/forked.run_beside):
each kind is judged whole in one process, so the findings and the count of relations checked are those
of one process doing it all (a test compares them; benchmarks/README.md has the measurements). With
`--explain` everything runs here: the list of evaluations keeps the order of the base.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

from ipfacts.check import relations
from ipfacts.check.anchors import plan
from ipfacts.check.citations import check_citation, check_ignores, check_sources, check_tables
from ipfacts.check.relations.base import Context
from ipfacts.findings import Finding, Report
from ipfacts.findings.details import CitationDetails
from ipfacts.infra.forked import run_beside
from ipfacts.infra.gcpause import gc_paused
from ipfacts.load.model import FactBase
from ipfacts.load.sourcetext import SourceTexts

# Below this many facts, one process: forking costs more than it saves.
SPLIT_FACTS = 10_000
# The child checks the citations and these kinds (about half the work of a check, measured), this process the rest.
CHILD_KINDS = frozenset({"share_of", "growth_of", "change_of"})
HERE_KINDS = frozenset(relations.KINDS) - CHILD_KINDS | {relations.TABLES}

Progress = Callable[[str], None]  # told what the run is doing now; the CLI shows it on a terminal


def silent(_: str) -> None:
    pass


def check_base(base: FactBase, explain: bool = False, progress: Progress = silent) -> Report:
    with gc_paused():
        return _check_base(base, explain, progress)


def _check_base(base: FactBase, explain: bool, progress: Progress) -> Report:
    texts = SourceTexts(base.sources)
    found: list[Finding] = list(check_sources(base, texts))
    changed = {f.citations[0].source for f in found if f.code == "C001"}
    ctx = Context(base, explain=explain)
    progress(f"checking the citations and relations of {len(base.facts):,} facts")
    if explain or len(base.facts) < SPLIT_FACTS:
        found.extend(_citations(base, texts, changed))
        found.extend(relations.run(ctx))
        checked = ctx.relations_checked
    else:  # two processes where forking is safe (forked.run_beside), the same findings and counts
        (theirs, counted_there, worker), (mine, counted_here, _) = run_beside(
            lambda: _relations(ctx, CHILD_KINDS, _citations(base, texts, changed)),
            lambda: _relations(ctx, HERE_KINDS, []), redo=True)
        found.extend(theirs)
        found.extend(mine)
        checked = counted_there + counted_here
        if worker != os.getpid():
            progress(f"the citations and {', '.join(sorted(CHILD_KINDS))} were checked by a second process")
    found.extend(check_tables(base, texts))
    found.extend(check_ignores(base, texts))
    report = Report(found, facts_checked=len(base.facts), relations_checked=checked,
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
    return [item for item in evaluations if item.get("fact") in behind]


def _relations(ctx: Context, kinds: frozenset[str], found: list[Finding]) -> tuple[list[Finding], int, int]:
    """`found` and the findings of these relation kinds, how many relations they checked, and in which process."""
    start = ctx.relations_checked
    found.extend(relations.run(ctx, kinds))
    return found, ctx.relations_checked - start, os.getpid()


def _citations(base: FactBase, texts: SourceTexts, changed: set[str]) -> list[Finding]:
    found = []
    for fact in base.facts.values():
        for finding in check_citation(base, fact, texts):
            if fact.source in changed and isinstance(finding.details, CitationDetails):
                finding.details = replace(finding.details, unverified=True)
            found.append(finding)
    return found
