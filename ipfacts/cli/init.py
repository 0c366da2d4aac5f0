"""`ipfacts init [DIR]`: a new, empty fact base."""

from __future__ import annotations

from pathlib import Path

import typer

from ipfacts.cli import app
from ipfacts.cli.common import ROOT, fail


@app.command()
def init(
    directory: Path | None = typer.Argument(None, help="Where to make the base (made if missing; default: --root, "
                                             "else here)."),
    root: Path = ROOT,
) -> None:
    """Make a new, empty fact base: facts/sources.yaml (no sources yet), facts/metrics.yaml (the shipped
    vocabulary), facts/README.md (the policy), seeds/. Never writes over an existing base's files."""
    from ipfacts.curate.init import InitError, init_base

    directory = directory if directory is not None else root
    try:
        written = init_base(directory)
    except InitError as exc:
        fail(str(exc))
    for path in written:
        typer.echo(f"wrote {path}{'/' if path.name == 'seeds' else ''}")
    where = "" if directory == Path(".") else f"cd {directory}; then "
    typer.echo(f"next: {where}ipfacts add-source REPORT.pdf --id ID   (a PDF, web page, Markdown or text file, or "
               "an https:// URL)")
