"""What the commands share: the --root option, output, and load failures as messages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from ipfacts.cli import settings

if TYPE_CHECKING:
    from ipfacts.load.loader import LoadFailed
    from ipfacts.load.model import FactBase

ROOT = typer.Option(Path("."), "--root", help="The fact base directory (holding facts/).", show_default=True)
OUTPUT = typer.Option(None, "-o", "--output", help="Write to this file (atomically) instead of standard output.")


def fail_load(exc: LoadFailed, format: str = "text", output: Path | None = None, root: Path | None = None) -> NoReturn:
    """Exit 2 with the load problems: on standard error as text, and in the asked format (json, github,
    junit, html) on standard output or in `-o` (replacing an earlier output, so no stale report stays)."""
    from ipfacts.render.formats.text import render_load_failure
    from ipfacts.render.safetext import for_terminal

    if format != "text":
        from ipfacts.findings import Report
        from ipfacts.render.formats import renderer

        emit(renderer(format)(Report(list(exc.problems), load_failed=True)), output, root)
    elif output is not None:
        emit(render_load_failure(exc.problems), output, root)
    sys.stderr.write(for_terminal(render_load_failure(exc.problems)))
    if any(p.location and p.location.file == "facts/reviews.yaml" and p.code in ("L001", "L002", "L003", "L004", "L005",
                                                                           "L015", "L016", "L019")
           for p in exc.problems):
        sys.stderr.write("facts/reviews.yaml is written by `ipfacts review`; to repair it, delete the broken entry "
                         "by hand (from its fingerprint line to the next blank line) and record the verdict again, "
                         "or restore the file (`git checkout facts/reviews.yaml`); removing the file drops every "
                         "verdict\n")
    raise typer.Exit(2)


def fail(message: str, code: int = 2) -> NoReturn:
    from ipfacts.render.safetext import for_terminal

    sys.stderr.write(f"ipfacts: {for_terminal(message)}\n")
    raise typer.Exit(code)


def load_or_exit(root: Path) -> FactBase:
    from ipfacts.load.loader import LoadFailed, load

    try:
        return load(root)
    except LoadFailed as exc:
        fail_load(exc)


def guard_output(output: Path | None, root: Path | None, new_only: bool = False) -> None:
    """Refuse a `-o` that would replace a hand-written file, a device or a folder — before any work is done."""
    if output is None:
        return
    from ipfacts.infra.outputs import OutputRefused, check_output

    try:
        check_output(output, root, new_only)
    except OutputRefused as exc:
        fail(str(exc))


def emit(text: str | bytes, output: Path | None, root: Path | None = None, new_only: bool = False) -> None:
    """Print, or write `output` through the output guard (ipfacts.infra.outputs), atomically."""
    if output is None:  # a terminal: control characters shown as escapes (JSON escapes its own, and stays JSON)
        from ipfacts.render.safetext import for_terminal

        shown = text if isinstance(text, str) else text.decode("utf-8", "replace")
        sys.stdout.write(shown if shown.lstrip()[:1] in ("{", "[") else for_terminal(shown))
        return
    from ipfacts.infra.outputs import OutputRefused, write_output

    try:
        write_output(output, text, root, new_only)
    except OutputRefused as exc:
        fail(str(exc))
    except FileExistsError:
        fail(f"{output} exists; scaffold never writes over a file (choose a new name, or delete it first)")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, no_color=settings.no_color or None)
