from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import typer

from ipfacts.cli import app
from ipfacts.cli.common import ROOT, emit, fail, load_or_exit
from ipfacts.render.safetext import for_terminal


@app.command()
def coverage(
    root: Path = ROOT,
    source: list[str] = typer.Option(None, "--source", "-s", help="Only this source id (repeatable)."),
    minimum: float = typer.Option(0.0, "--min", help="Exit 1 when a source's coverage (percent) is below this."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    show_all: bool = typer.Option(False, "--all", help="List every uncited number (default: the first 40 per source)."),
    apart: bool = typer.Option(False, "--apart", help="Also list the numbers that are not claims: dates, ordinals, "
                               "page numbers, numbers in names."),
) -> None:
    """List the numbers in each source that no fact cites, and the coverage ratio."""
    from ipfacts.curate.coverage import coverage as compute

    base = load_or_exit(root)
    unknown = [s for s in source or [] if s not in base.sources]
    if unknown:
        fail(f"unknown source {unknown[0]!r}; known: {', '.join(sorted(base.sources))}")
    results = compute(base, source or None)
    if format == "json":
        emit(json.dumps([{
            "source": r.source, "file": r.file, "claims": len(r.claims), "cited": len(r.cited),
            "ignored": len(r.ignored), "ratio": round(r.ratio, 4),
            "uncited": [{"line": c.line, "text": c.text} for c in r.uncited],
            "apart": [{"line": c.line, "text": c.text, "kind": c.kind} for c in r.apart],
            "tables": [{"table": t.table, "numbers": t.numbers, "cited": t.cited, "declared_cells": t.declared,
                        "ratio": round(t.ratio, 4)} for t in r.tables],
        } for r in results], ensure_ascii=False, indent=2) + "\n", None)
    else:
        lines = []
        for r in results:
            lines.append(f"{r.source} ({r.file}): {len(r.cited)}/{len(r.claims) - len(r.ignored)} numbers cited, "
                         f"{r.ratio:.1%}" + (f", {len(r.ignored)} ignored" if r.ignored else "")
                         + (f"; {len(r.apart)} not claims ({_kinds(r.apart)})" if r.apart else ""))
            lines += [f"  table {t.table}: {t.cited}/{t.numbers} numbers of its rows cited, {t.ratio:.1%} "
                      f"({t.declared} cells declared)" for t in r.tables]
            shown = r.uncited if show_all else r.uncited[:40]
            for claim in shown:
                lines.append(f"  {r.file}:{claim.line}: {claim.text}")
            if len(shown) < len(r.uncited):
                lines.append(f"  … {len(r.uncited) - len(shown)} more (--all)")
            if apart:
                lines += [f"  {r.file}:{c.line}: {c.text} ({c.kind})" for c in r.apart]
        emit(for_terminal("\n".join(lines) + "\n"), None)
    if any(r.ratio * 100 < minimum for r in results):
        raise typer.Exit(1)


def _kinds(claims: list[Any]) -> str:
    names = {"date": "dates", "ordinal": "ordinals", "page": "page numbers", "name": "in names"}
    return ", ".join(f"{n} {names.get(k, k)}" for k, n in Counter(c.kind for c in claims).most_common())


@app.command()
def locate(
    source: str = typer.Argument(..., help="Source id from facts/sources.yaml."),
    text: str = typer.Argument(..., help="The number or phrase to find (whitespace is ignored)."),
    root: Path = ROOT,
) -> None:
    """Find a number or phrase in a source: its line, context, and a fact skeleton to paste."""
    from ipfacts.curate.locate import UnknownSource
    from ipfacts.curate.locate import locate as find

    base = load_or_exit(root)
    try:
        places = find(base, source, text)
    except UnknownSource:
        fail(f"unknown source {source!r}; known: {', '.join(sorted(base.sources))}")
    if not places:
        fail(f"{text!r} is not in {base.sources[source].file}", 1)
    out = []
    for place in places:
        out.append(f"{base.sources[source].file}:{place.first}")
        out += [f"  {'>' if place.first <= n <= place.last else ' '} {n:4} | {line}" for n, line in place.context]
        out.append(place.skeleton)
    emit(for_terminal("\n".join(out)), None)
