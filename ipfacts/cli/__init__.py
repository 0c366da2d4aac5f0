"""The command line: parse arguments, call one library function, translate its
named exceptions into messages and exit codes. Nothing here knows the rules."""

from __future__ import annotations

import os
import sys

import typer

from ipfacts import __version__

app = typer.Typer(
    name="ipfacts",
    help="Keeps the numbers in Chinese IP reports honest: a cited fact base, a rounding-aware checker, "
         "editors' reviews and comparison briefs.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ipfacts {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """ipfacts: check, review and compare the numbers of IP white papers."""


# Each command lives in its own module and registers itself on `app`.
from ipfacts.cli import check as _check  # noqa: E402,F401
from ipfacts.cli import codes as _codes  # noqa: E402,F401
from ipfacts.cli import coverage as _coverage  # noqa: E402,F401


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug of ours: say so plainly; the traceback on request only
        if os.environ.get("IPFACTS_DEBUG"):
            raise
        sys.stderr.write(f"ipfacts: internal error: {type(exc).__name__}: {exc}\n"
                         "Run again with IPFACTS_DEBUG=1 for the traceback, and please report it.\n")
        sys.exit(70)
