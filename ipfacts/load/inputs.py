"""The one list of a fact base's input files: what a check reads, what a brief reads, what the caches
are keyed on and what `ipfacts serve` watches — the files of facts/ (sources.yaml, metrics.yaml, the
base's own units.txt, regions.yaml, reviews.yaml) and every fact file. The source documents
sources.yaml names come on top (their list is in sources.yaml itself).
"""

from __future__ import annotations

import os
from pathlib import Path

from ipfacts.infra.safefiles import walk_yaml

UNITS_FILE = "units.txt"  # the base's own unit definitions, merged with the shipped ones
RESERVED = ("sources.yaml", "metrics.yaml", "reviews.yaml", "regions.yaml")  # YAML files of facts/ that hold no facts
BASE_FILES = ("sources.yaml", "metrics.yaml", UNITS_FILE, "regions.yaml", "reviews.yaml")


def fact_files_found(root: Path) -> tuple[list[Path], list[tuple[Path, str, str]]]:
    """The fact files under facts/, and the folders or links that could not be followed (see safefiles)."""
    facts_dir = root / "facts"
    paths, problems = walk_yaml(facts_dir, root)
    return [p for p in paths if not (p.parent == facts_dir and p.name in RESERVED)], problems


def fact_files(root: Path) -> list[Path]:
    return fact_files_found(root)[0]


def input_files(root: Path) -> list[tuple[Path, str]]:
    """Every input file of the base but the source documents, as (path, name relative to root): the files
    of BASE_FILES that exist, then the fact files. A file added or removed changes the list."""
    facts_dir = root / "facts"
    found = [(facts_dir / name, f"facts/{name}") for name in BASE_FILES if os.path.lexists(facts_dir / name)]
    if facts_dir.is_dir():
        found += [(p, p.relative_to(root).as_posix()) for p in fact_files(root)]
    return found
