from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ipfacts.cli import app, settings
from ipfacts.cli.common import OUTPUT, ROOT, console, emit, fail, fail_load, guard_output

if TYPE_CHECKING:
    from ipfacts.findings import Report

STYLES = {"path": "bold", "error": "bold red", "warning": "yellow", "code": "cyan", "detail": "dim",
          "reviewed": "green", "heading": "bold", "ok": "bold green"}


@app.command()
def check(
    root: Path = ROOT,
    format: str = typer.Option("text", "--format", "-f", help="text, json, github, junit or html."),
    output: Path | None = OUTPUT,
    explain: bool = typer.Option(False, "--explain", help="Also list the relation checks behind the open findings, with their intervals (text and json)."),
    explain_all: bool = typer.Option(False, "--explain-all", help="Like --explain, but every relation check, passed or not."),
    fail_on_reviewed: bool = typer.Option(False, "--fail-on-reviewed", help="Reviewed errors fail the check too (strict run)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Text: show errors and the summary only."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the cache in ROOT/.ipfacts-cache."),
) -> None:
    """Check citations and every declared relation; exit 0 clean, 1 open errors, 2 unreadable base."""
    from ipfacts.check.engine import explanations
    from ipfacts.load.loader import LoadFailed
    from ipfacts.render.formats import FORMATS, renderer
    from ipfacts.review.checked import check_report

    if format not in FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    guard_output(output, root)
    try:
        with _progress(enabled=not (quiet or settings.quiet)) as progress:
            report = check_report(root, explain=explain or explain_all, use_cache=not no_cache, progress=progress)
    except LoadFailed as exc:
        fail_load(exc, format, output, root)
    explain = explain or explain_all
    if explain:
        report.stats["evaluations"] = explanations(report, all_checks=explain_all)
    if format == "html":  # the page shows source context: renderers read it from report.excerpts
        from ipfacts.review.excerpts import attach_root

        try:
            attach_root(root, report, use_cache=not no_cache)
        except LoadFailed as exc:  # the base changed while it was being checked
            fail_load(exc, format, output, root)
    if format == "text" and output is None:
        _print_text(report, quiet or settings.quiet, explain)
    else:
        emit(renderer(format)(report), output, root)
    raise typer.Exit(report.exit_code(fail_on_reviewed))


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    """With --verbose, each step on its own line on stderr; else a transient status line, only when a person
    is watching (a terminal), redrawn when told what the run does next (no refresh thread needed)."""
    if settings.verbose:  # what was read and done, kept on standard error
        yield lambda what: print(f"ipfacts check: {what}", file=sys.stderr)
        return
    if not enabled or not sys.stderr.isatty():
        yield lambda _: None
        return
    from rich.live import Live
    from rich.text import Text

    with Live(Text("ipfacts check…"), console=console(stderr=True), auto_refresh=False, transient=True) as live:
        yield lambda what: live.update(Text(f"ipfacts check: {what}…"), refresh=True)


def _print_text(report: Report, quiet: bool, explain: bool) -> None:
    from rich.text import Text

    from ipfacts.render.formats.text import segments

    out = console()
    text = Text()
    for style, piece in segments(report, quiet=quiet, explain=explain):
        text.append(piece, style=STYLES.get(style, "") if style else "")
    out.print(text, end="")
    if explain:
        for item in report.stats.get("evaluations", []):
            extra = {k: v for k, v in item.items() if k not in ("fact", "relation", "verdict", "reported", "reported_interval")}
            details = ", ".join(f"{k}={v}" for k, v in extra.items())
            out.print(f"  {item['verdict']:7} {item['relation']:11} {item['fact']}: reported {item['reported']} "
                      f"{item['reported_interval']}; {details}", style="dim" if item["verdict"] == "ok" else "")
    sys.stdout.flush()
