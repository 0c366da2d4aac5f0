"""A fingerprint of the code that produced a cache entry.

Every cache key includes `code_fingerprint()`: a sha256 over the relative
path and the bytes of every file of the installed `ipfacts` package (its
modules, data files and templates; compiled `__pycache__` files left out),
the Python version and the YAML library that parsed the files. Change one
byte of one relation module — an edit in a checkout, an upgrade, a patched
install — and every entry made by the old code is simply not found. The
version number alone cannot do that: it stays the same between releases.

Computed once per process, and only by commands that use a cache
(`ipfacts --help` never pays for it): reading and hashing the package's
~100 small files takes a few milliseconds.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from pathlib import Path

import yaml

PACKAGE = Path(__file__).resolve().parent.parent  # the `ipfacts` directory, installed or checked out
_SKIPPED_DIRS = {"__pycache__"}
_SKIPPED_SUFFIXES = (".pyc", ".pyo")


def package_files(package: Path = PACKAGE) -> list[Path]:
    """Every file of the package the fingerprint covers, in a stable order."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        found.extend(Path(folder) / name for name in sorted(files)
                     if not name.endswith(_SKIPPED_SUFFIXES) and not name.startswith("."))
    return found


def fingerprint_of(package: Path) -> str:
    """sha256 of the package's files (path and bytes), the Python version and the YAML parser."""
    digest = hashlib.sha256()
    libyaml = getattr(yaml, "__with_libyaml__", False)
    digest.update(f"python {sys.version_info[:3]} pyyaml {yaml.__version__} libyaml {libyaml}\x1e".encode())
    for path in package_files(package):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\x1f")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")  # still a fingerprint; a file that comes back changes it
        digest.update(b"\x1e")
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """The fingerprint of the running ipfacts, computed once per process."""
    return fingerprint_of(PACKAGE)
