"""`ipfacts audit FILE|URL`: a new document added, drafted and checked in one command."""

from __future__ import annotations

from pathlib import Path

import typer

from ipfacts.cli import app
from ipfacts.cli.common import ROOT, emit, fail, guard_output


@app.command()
def audit(
    document: str = typer.Argument(..., help="The document: a PDF, an HTML page, Markdown or text (or a URL, "
                                   "where add-source fetches pages)."),
    format: str = typer.Option("text", "--format", "-f", help="text, json or html."),
    lang: str = typer.Option("zh", "--lang", help="The language of the report: zh or en."),
    into: Path | None = typer.Option(None, "--into", help="Add the document to this fact base (its seed and "
                                     "sources.yaml entry stay there) and check the draft beside its facts. "
                                     "Default: a scratch base, nothing written."),
    keep: Path | None = typer.Option(None, "--keep", help="Leave the scratch base with the draft in this new "
                                     "directory (DIR/facts/ID.yaml), for a curator to finish."),
    region: str | None = typer.Option(None, "--region", help="The region the document reports on (宁波): its "
                                      "figures meet the base's of the same region."),
    period: str | None = typer.Option(None, "--period", help="Its period (2024, 2024-06): with --into, growth "
                                      "rates are checked against last year's figures."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the report to this file."),
    root: Path = ROOT,
) -> None:
    """Add a document to a scratch base, draft it, check it, and print the figures to query first: stated
    relations that do not hold, then questions on guessed ones, each with its line, sentence and arithmetic.
    Exit 0 when every stated relation holds, 1 when one does not, 2 when the document cannot be read."""
    from ipfacts.curate.audit import AuditError
    from ipfacts.curate.audit import audit as run_audit
    from ipfacts.render.audit import FORMATS, render

    if format not in FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if lang not in ("zh", "en"):
        fail(f"unknown language {lang!r}; choose zh or en")
    guard_output(output, root)
    try:
        result = run_audit(document, vocabulary=root, into=into, keep=keep, region=region, period=period)
    except AuditError as exc:
        fail(f"{document}: {exc}" if not str(exc).startswith(str(document)) else str(exc))
    emit(render(result.as_dict(), format, lang), output, root)
    raise typer.Exit(result.exit_code)
