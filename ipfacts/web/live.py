"""The checked fact base behind the pages, re-checked when an input changed on disk.

Every request asks `Live.state()`. It stats the inputs (load/inputs.py: the fact files, sources.yaml,
metrics.yaml, units.txt, regions.yaml, reviews.yaml; and every source document): same size, mtime, ctime and
inode as at the last check means unchanged — the ctime catches an edit that kept the size and set the old
mtime back (`cp -p`, `touch -r`), since no program can set it — except for a file changed within a second or
so of that check (a write in the same clock tick can keep both times), whose bytes are hashed and compared
instead. When anything differs, the
project's check runs again (under a second on the shipped base).
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ipfacts.findings import Finding, Report
from ipfacts.load.inputs import input_files
from ipfacts.load.loader import LoadFailed
from ipfacts.load.model import FactBase
from ipfacts.load.runfiles import RunFiles
from ipfacts.review.checked import check_root

RACY_NS = 2_000_000_000  # a file modified this close to the snapshot is compared by its bytes

Stamp = tuple[int, int, int, int, str]  # mtime_ns, ctime_ns, size, inode, sha256 of the bytes when racy ("" otherwise)


@dataclass
class State:
    base: FactBase | None  # None when the fact base cannot be read
    report: Report
    problems: list[Finding] = field(default_factory=list)  # load errors (L codes) when base is None
    checked_at: datetime.datetime = field(default_factory=lambda: datetime.datetime.now().astimezone())
    checks: int = 1  # how many checks this server has run (1 = the first)

    def by_fingerprint(self) -> dict[str, Finding]:
        out: dict[str, Finding] = {}
        for finding in self.report.findings:
            out.setdefault(finding.fingerprint, finding)
        return out


def _inputs(root: Path, base: FactBase | None) -> list[Path]:
    """The one list of inputs (load/inputs.py): a file added or removed changes it; and the source documents."""
    paths = [path for path, _ in input_files(root)]
    if base is not None:
        paths += [s.path for s in base.sources.values()]
    return sorted(set(paths))


def _stamp(path: Path, now_ns: int) -> Stamp | None:
    try:
        info = path.stat()
    except OSError:
        return None
    digest = ""
    if now_ns - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_NS:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, digest)


def snapshot(root: Path, base: FactBase | None) -> dict[Path, Stamp | None]:
    now = datetime.datetime.now().timestamp()
    now_ns = int(now * 1e9)
    return {path: _stamp(path, now_ns) for path in _inputs(root, base)}


def _same(before: dict[Path, Stamp | None], root: Path, base: FactBase | None) -> bool:
    paths = _inputs(root, base)
    if set(paths) != set(before):
        return False
    for path in paths:
        old = before[path]
        try:
            info = path.stat()
        except OSError:
            if old is not None:
                return False
            continue
        if old is None or (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino) != old[:4]:
            return False
        if old[4]:  # racy at the last snapshot: compare the bytes
            try:
                if hashlib.sha256(path.read_bytes()).hexdigest() != old[4]:
                    return False
            except OSError:
                return False
    return True


class Live:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self._lock = threading.Lock()
        self._state: State | None = None
        self._inputs: dict[Path, Stamp | None] = {}

    def state(self) -> State:
        """The checked fact base, re-checked first if an input changed since the last check."""
        with self._lock:
            if self._state is not None and _same(self._inputs, self.root, self._state.base):
                return self._state
            checks = self._state.checks + 1 if self._state is not None else 1
            stamps = snapshot(self.root, self._state.base if self._state else None)
            state = self._check()
            state.checks = checks
            if state.base is not None:  # the source documents are known only now
                stamps = {**snapshot(self.root, state.base), **stamps}
            self._state, self._inputs = state, stamps
            return state

    def _check(self) -> State:
        try:
            base, report = check_root(self.root, files=RunFiles.for_root(self.root))
        except LoadFailed as exc:
            return State(None, Report(list(exc.problems), load_failed=True), problems=list(exc.problems))
        return State(base, report)
