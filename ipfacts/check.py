"""`check`: load → citations → relations → reviews → one Report."""

from __future__ import annotations

from pathlib import Path

from ipfacts import relations
from ipfacts.citations import check_citation, check_sources
from ipfacts.findings import Finding, Report
from ipfacts.loader import load
from ipfacts.model import FactBase
from ipfacts.parsecache import ParseCache
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


def check_root(root: Path | str, explain: bool = False, cache: ParseCache | None = None) -> tuple[FactBase, Report]:
    """Load and check; raises loader.LoadFailed when the base cannot be read."""
    base = load(root, cache)
    report = check_base(base, explain=explain)
    from ipfacts.reviews import apply_reviews

    apply_reviews(base, report)
    return base, report


def check_report(root: Path | str, explain: bool = False, use_cache: bool = True) -> Report:
    """The report alone, as `ipfacts check` needs it: reused from the last run when no input changed."""
    from ipfacts import runcache
    from ipfacts.loader import RESERVED, fact_files

    root = Path(root).resolve()
    cache = ParseCache.for_root(root, use_cache)
    key = None
    if cache.directory is not None and (root / "facts").is_dir():
        specials = [(root / "facts" / name, f"facts/{name}") for name in RESERVED[:2]]
        paths = [(p, p.relative_to(root).as_posix()) for p in fact_files(root)]
        key = runcache.run_key(root, cache, [s for s in specials if s[0].exists()] + paths, f"explain={explain}")
        reused = runcache.load_report(cache, key) if key else None
        if reused is not None:
            return reused
    _, report = check_root(root, explain=explain, cache=cache)
    if key:
        runcache.store_report(cache, key, report)
    return report
