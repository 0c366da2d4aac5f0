"""The command line: parse arguments, call one library function, translate its
named exceptions into messages and exit codes. Nothing here knows the rules.

Lazy imports, the whole package (issue 26: `ipfacts --help` under 0.3 s): every run imports every command
module (each registers itself on `app`), so a command imports ipfacts' domain modules (load, check, review,
render, curate, web) and rich inside its function, and a run loads what its command needs. Measured (best of 7,
`.venv/bin/ipfacts --help`): 0.12 s so; 0.42 s with the domain modules at module level (importtime of
ipfacts.cli 0.37 s: add-source's curate 0.12 s, report's briefs 0.08 s, audit 0.06 s, serve's Starlette
and uvicorn 0.06 s); 0.19 s with only load, check, review and the report formats there. The standard
library and the package's own cli modules are imported at module level."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from typing import NoReturn

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


@dataclass
class Settings:
    """Global options, set by the app callback and read by the commands."""

    quiet: bool = False  # only errors and the summary; no progress or "wrote FILE" notes
    verbose: bool = False  # more detail on standard error; the traceback of an internal error
    no_color: bool = False  # from --no-color or the NO_COLOR convention (no-color.org)


settings = Settings()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print less: errors and summaries only."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print more: what was read, and the traceback of an internal error."),
    no_color: bool = typer.Option(False, "--no-color", help="No colours (also when the NO_COLOR environment variable is set)."),
) -> None:
    """ipfacts: check, review and compare the numbers of IP white papers."""
    if quiet and verbose:
        raise typer.BadParameter("--quiet and --verbose exclude each other")
    settings.quiet, settings.verbose = quiet, verbose
    settings.no_color = no_color or bool(os.environ.get("NO_COLOR"))


# Each command lives in its own module and registers itself on `app`.
from ipfacts.cli import addsource as _addsource  # noqa: E402,F401
from ipfacts.cli import audit as _audit  # noqa: E402,F401
from ipfacts.cli import check as _check  # noqa: E402,F401
from ipfacts.cli import codes as _codes  # noqa: E402,F401
from ipfacts.cli import corrections as _corrections  # noqa: E402,F401
from ipfacts.cli import coverage as _coverage  # noqa: E402,F401
from ipfacts.cli import init as _init  # noqa: E402,F401
from ipfacts.cli import reanchor as _reanchor  # noqa: E402,F401
from ipfacts.cli import report as _report  # noqa: E402,F401
from ipfacts.cli import review as _review  # noqa: E402,F401
from ipfacts.cli import serve as _serve  # noqa: E402,F401
from ipfacts.cli import tools as _tools  # noqa: E402,F401


def run() -> int:
    """The command line as a function: parse sys.argv, run the command, return its exit status."""
    for stream in (sys.stdout, sys.stderr):  # a name in no encoding (surrogate escapes) is printed escaped
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        app()
    except SystemExit as done:
        return _status(done.code)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as exc:  # a bug of ours: say so plainly; the traceback on request only
        if os.environ.get("IPFACTS_DEBUG") or settings.verbose:
            raise
        sys.stderr.write(f"ipfacts: internal error: {type(exc).__name__}: {exc}\n"
                         "Run again with --verbose (or IPFACTS_DEBUG=1) for the traceback, and please report it.\n")
        return 70
    return 0


def _status(code: object) -> int:
    """An exit status as `sys.exit(code)` would make it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def main() -> NoReturn:
    """The `ipfacts` executable."""
    sys.exit(run())
