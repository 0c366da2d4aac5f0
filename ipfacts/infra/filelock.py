"""An exclusive lock on a lock file beside what ipfacts edits: every read-modify-write of one file holds it.

    with exclusive(root / "facts" / ".sources.lock"):
        text = read(); write_atomic(path, edit(text))

Between processes: `flock` on the lock file (msvcrt on Windows); the holder removes the lock file on
release, and a waiter checks that the file it locked is still the one at the path (else it locks again),
so no two holders ever hold different files. Between threads of one process: a re-entrant lock per path,
and the same thread may nest `exclusive` on one path (the inner one is a no-op).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_held = threading.local()
_thread_locks: dict[str, threading.RLock] = {}
_guard = threading.Lock()


@contextmanager
def exclusive(lock: Path | str) -> Iterator[None]:
    """Hold the exclusive lock `lock` (a file; made and removed here), blocking until it is free."""
    lock = Path(os.path.realpath(lock))
    key = str(lock)
    depth: dict[str, int] = getattr(_held, "depth", None) or {}
    _held.depth = depth
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    with _guard:
        thread_lock = _thread_locks.setdefault(key, threading.RLock())
    with thread_lock:
        fd = _acquire(lock)
        depth[key] = 1
        try:
            yield
        finally:
            depth[key] = 0
            _release(lock, fd)


def _acquire(lock: Path) -> int:
    lock.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl  # lazy: a platform's module, POSIX only (msvcrt below on Windows)
    except ImportError:  # pragma: no cover - Windows
        import msvcrt  # lazy: a platform's module, Windows only

        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined,unused-ignore]
        return fd
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:  # the holder before us removes the lock file on release: lock the file that is there now
                if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                    return fd
            except FileNotFoundError:
                pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _release(lock: Path, fd: int) -> None:
    if os.name != "nt":
        lock.unlink(missing_ok=True)
    os.close(fd)
