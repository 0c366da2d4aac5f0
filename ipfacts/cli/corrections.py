"""`corrections`: correction requests for the publishing agency (the findings marked source-error)."""

from __future__ import annotations

from pathlib import Path

import typer

from ipfacts.cli import app
from ipfacts.cli.common import OUTPUT, ROOT, emit, fail, fail_load


@app.command()
def corrections(
    root: Path = ROOT,
    source: str | None = typer.Option(None, "--source", help="Only this source id."),
    output: Path | None = OUTPUT,
    lang: str = typer.Option("zh", "--lang", help="zh (default) or en."),
    format: str | None = typer.Option(None, "--format", "-f",
                                      help="md, html or csv [default: from the -o suffix, else md]."),
) -> None:
    """Write correction requests: per source, every finding an editor marked source-error, with the figures that fit."""
    from ipfacts.load.loader import LoadFailed
    from ipfacts.review.checked import check_root
    from ipfacts.review.corrections import FORMATS, LANGS, SUFFIXES, build, render

    if lang not in LANGS:
        fail(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    chosen = format or (SUFFIXES.get(output.suffix.lower()) if output is not None else None) or "md"
    if chosen not in FORMATS:
        fail(f"unknown format {chosen!r}; choose one of {', '.join(FORMATS)}")
    try:
        base, report = check_root(root)
    except LoadFailed as exc:
        fail_load(exc)
    if source is not None and source not in base.sources:
        fail(f"no source {source!r} in facts/sources.yaml; the sources are: {', '.join(sorted(base.sources))}")
    emit(render(build(base, report, source, lang), chosen, lang), output)
