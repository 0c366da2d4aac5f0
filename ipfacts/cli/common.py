"""What the commands share: the --root option, output, and load failures as messages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from ipfacts.load.loader import LoadFailed
    from ipfacts.load.model import FactBase

ROOT = typer.Option(Path("."), "--root", help="The fact base directory (holding facts/).", show_default=True)
OUTPUT = typer.Option(None, "-o", "--output", help="Write to this file (atomically) instead of standard output.")


def fail_load(exc: LoadFailed) -> NoReturn:
    from ipfacts.render.formats.text import render_load_failure

    sys.stderr.write(render_load_failure(exc.problems))
    raise typer.Exit(2)


def fail(message: str, code: int = 2) -> NoReturn:
    sys.stderr.write(f"ipfacts: {message}\n")
    raise typer.Exit(code)


def load_or_exit(root: Path) -> FactBase:
    from ipfacts.load.loader import LoadFailed, load

    try:
        return load(root)
    except LoadFailed as exc:
        fail_load(exc)


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from ipfacts.infra.atomic import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    from ipfacts.cli import settings

    return Console(stderr=stderr, highlight=False, soft_wrap=True, no_color=settings.no_color or None)
