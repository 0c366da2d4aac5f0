"""A checked and reviewed report of a fact base: load → check → editors' verdicts applied.

The one way the commands, the web view and the briefs get a report; `check_report` reuses the
last run's report when not one input changed (ipfacts/check/runcache.py).
"""

from __future__ import annotations

from pathlib import Path

from ipfacts.check import runcache
from ipfacts.check.engine import Progress, check_base, report_order, silent
from ipfacts.findings import Report
from ipfacts.infra.safefiles import real_path
from ipfacts.load.loader import load
from ipfacts.load.model import FactBase
from ipfacts.load.runfiles import RunFiles
from ipfacts.review.verdicts import apply_reviews


def check_root(root: Path | str, explain: bool = False, files: RunFiles | None = None,
               progress: Progress = silent) -> tuple[FactBase, Report]:
    """Load and check; raises loader.LoadFailed when the base cannot be read."""
    progress("reading the fact files")
    base = load(root, files)
    if files is not None:
        progress(files.summary())
    report = check_base(base, explain=explain, progress=progress)
    apply_reviews(base, report)
    return base, report


def check_report(root: Path | str, explain: bool = False, use_cache: bool = True,
                 progress: Progress = silent, files: RunFiles | None = None) -> Report:
    """The report alone, as `ipfacts check` needs it: reused from the last run when no input changed.
    A caller that goes on reading the base passes its `files`: each file is then read once in the run."""
    return checked(root, explain, use_cache, progress, files)[1]


def checked(root: Path | str, explain: bool = False, use_cache: bool = True, progress: Progress = silent,
            files: RunFiles | None = None) -> tuple[FactBase | None, Report]:
    """The report, and the base when it had to be loaded for it (None: the last run's report was reused)."""
    root = real_path(root)
    files = files or RunFiles.for_root(root, use_cache)
    key = None
    if files.directory is not None and (root / "facts").is_dir():
        key = runcache.run_key(root, files, f"explain={explain}")
        reused = runcache.load_report(files, key) if key else None
        if reused is not None:
            progress("no input changed since the last run: its result reused (--no-cache checks afresh)")
            reused.findings.sort(key=report_order)
            return None, reused
    base, report = check_root(root, explain=explain, files=files, progress=progress)
    if key:
        runcache.store_report(files, key, report)
    return base, report
