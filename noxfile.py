"""The test suite on every Python ipfacts supports (3.10 to 3.13), each in a fresh virtual environment made from
pyproject.toml and .ci/constraints.txt alone — what a new user's `pip install` gets.

    nox                          # the quick subset (below) on each supported Python found on this machine
    nox -s tests                 # the whole suite on each
    nox -s tests-3.10            # the whole suite on one
    nox -s quick-3.13 -- tests/test_cli.py -x    # any pytest arguments instead of the default ones

An interpreter the machine lacks is skipped with a message naming it (never silently); `nox --error-on-missing-
interpreters` makes it an error instead. Interpreters are found on PATH as python3.10 … python3.13, and in
pyenv's versions folder when pyenv's shim for that version is not active.

`.ci/run` runs the whole suite on the default interpreter (.venv, made by .ci/setup) and `nox -s quick` on the
other three (IPFACTS_WHOLE_SUITE_ON=3.11 skips quick-3.11, with a message): the quick subset is every test but
the slow ones that do not depend on the Python version (the browser tests, the wheel build, the mutation
fuzzing of the loader, the PDF layout analysis), so that CI stays well under 15 minutes (11.5 min measured
2026-12-07 before the PDF layout tests left the quick subset, on a fresh clone, the machine otherwise idle).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess

import nox

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
# Slow tests that exercise no Python-version-specific code path (they run on the default interpreter in CI):
# Chromium through Playwright, a wheel built and installed into a further venv, hypothesis fuzzing of the loader,
# and the layout analysis of PDFs WeasyPrint made (pdfplumber's work, 25 s of the suite; brief_publish still
# renders PDFs on every Python).
QUICK_EXCLUDES = ["tests/test_serve_browser.py", "tests/test_fuzz.py", "tests/test_wheel.py", "tests/test_pdf_layout.py"]

nox.options.sessions = ["quick"]
# a missing interpreter is reported ("Session quick-3.10 skipped: Python interpreter 3.10 not found") rather than
# failing the run, on CI too (nox's own default there is to fail)
nox.options.error_on_missing_interpreters = False
if hasattr(nox.options, "download_python"):  # nox ≥ 2025.5: never fetch a Python from the network
    nox.options.download_python = "never"


def _runs(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "pass"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _pyenv_versions() -> str | None:
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    return os.path.join(root, "versions") if os.path.isdir(os.path.join(root, "versions")) else None


def _put_interpreters_on_path() -> None:
    """pyenv's shims answer `python3.10` only for the versions its configuration activates; for the others,
    put that version's own bin folder first on PATH, so that nox (and the venv it makes) finds it."""
    versions = _pyenv_versions()
    for version in PYTHONS:
        found = shutil.which(f"python{version}")
        if found and _runs(found):
            continue
        if versions is None:
            continue
        for folder in sorted(glob.glob(os.path.join(versions, f"{version}.*", "bin")), reverse=True):
            if _runs(os.path.join(folder, f"python{version}")):
                os.environ["PATH"] = folder + os.pathsep + os.environ.get("PATH", "")
                break


_put_interpreters_on_path()


def _install(session: nox.Session) -> None:
    session.install("-c", ".ci/constraints.txt", "-e", ".[test]")


def _smoke(session: nox.Session) -> None:
    """What a user does first: the CLI starts and the shipped fact base checks (exit 0: clean, 1: warnings)."""
    session.run("ipfacts", "--version")
    session.run("ipfacts", "check", success_codes=[0, 1], silent=True)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole suite."""
    _install(session)
    _smoke(session)
    session.run("python", "-m", "pytest", *(session.posargs or ["-q", "-p", "no:cacheprovider"]))


@nox.session(python=PYTHONS)
def quick(session: nox.Session) -> None:
    """The suite less QUICK_EXCLUDES (see the module's docstring)."""
    if os.environ.get("IPFACTS_WHOLE_SUITE_ON") == session.python:
        session.skip(f"the whole suite runs on Python {session.python} (.venv) in this CI run")
    _install(session)
    _smoke(session)
    default = ["-q", "-p", "no:cacheprovider", *(f"--ignore={path}" for path in QUICK_EXCLUDES)]
    session.run("python", "-m", "pytest", *(session.posargs or default))
