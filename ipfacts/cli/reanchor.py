"""`reanchor`: after a source's text changed, find every citation into it again by its quote."""

from __future__ import annotations

from pathlib import Path

import typer

from ipfacts.cli import app
from ipfacts.cli.common import ROOT, fail, load_or_exit


@app.command()
def reanchor(
    source: str = typer.Argument(..., help="The source id (facts/sources.yaml) whose text changed."),
    root: Path = ROOT,
    write: bool = typer.Option(False, "--write", help="Apply the new lines and the new sha256 to the fact files "
                                                      "(only those values change; every other byte stays)."),
) -> None:
    """Re-locate every citation of a changed source by its quote; show the line changes (--write applies them)."""
    from ipfacts.curate.reanchor import ReanchorError, apply, plan

    base = load_or_exit(root)
    if source not in base.sources:
        fail(f"no source {source!r} in facts/sources.yaml; the sources are: {', '.join(sorted(base.sources))}")
    found = plan(base, source)
    for move in found.moves:
        if move.lost:
            typer.echo(f"{move.file}: {move.fact}: line {move.old}: the quote is nowhere in {found.file}; "
                       "find it by hand")
        else:
            others = f" (also found at {', '.join(move.others)})" if move.others else ""
            typer.echo(f"{move.file}: {move.fact}: line {move.old} → {move.new}{others}")
    kept = found.citations - len(found.moves)
    hash_note = (f"sha256 {found.recorded_sha256[:12]}… → {found.actual_sha256[:12]}…" if found.hash_changed
                 else "sha256 unchanged")
    typer.echo(f"{source}: {found.citations} citation(s): {kept} in place, {len(found.moved)} moved, "
               f"{len(found.lost)} not found; {hash_note}")
    if not write:
        if found.moved or found.hash_changed:
            typer.echo(f"nothing written; `ipfacts reanchor {source} --write` applies this")
        raise typer.Exit(1 if found.lost else 0)
    if found.lost:
        fail(f"{len(found.lost)} quote(s) are not in the new text: fix them first (nothing written)", code=1)
    try:
        written = apply(root, found)
    except ReanchorError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write: {exc.strerror or exc}")
    typer.echo(f"wrote {', '.join(written)}" if written else "nothing to write")
    if found.hash_changed:
        from ipfacts.load.loader import LoadFailed
        from ipfacts.review.verdicts import load_reviews

        try:
            entries = load_reviews(root)
        except LoadFailed:
            entries = {}  # `ipfacts check` reports an unreadable reviews.yaml
        affected = [fp for fp, entry in entries.items() if source in entry.sources and entry.current()]
        if affected:
            typer.echo(f"{len(affected)} verdict(s) on findings citing {source} were given on the old text: "
                       "`ipfacts review` shows each finding again with its earlier verdict (Enter keeps the note)")
