"""Output files are written whole or not at all: a temporary file beside the target, then a rename.

The temporary file is `.NAME.ipfacts-tmp.PID.RANDOM` (ignored by git: `.*.ipfacts-tmp.*`). It is removed
on every way out: an exception, Ctrl-C (KeyboardInterrupt), SIGTERM/SIGHUP/SIGINT (a handler removes the
temporary files in flight, then lets the signal do what it would have done) and interpreter exit. Only
`kill -9` can leave one; the next write into the same folder removes those whose process is gone. A folder
is swept at most once a minute per process, so writing N files (a cache of 50,000 entries) lists the folder
once, not N times: the time stays linear in N.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

TMP_MARK = ".ipfacts-tmp."
STALE_SECONDS = 24 * 3600  # no write takes a day: a temporary file that old is a killed run's, whatever its pid
SWEEP_SECONDS = 60.0  # a folder is swept for a killed run's temporary files at most this often per process
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))
_in_flight: set[str] = set()
_lock = threading.Lock()
_atexit_registered = False
_swept: dict[str, float] = {}  # folder → when this process last swept it (time.monotonic)


def _cleanup() -> None:
    for name in list(_in_flight):
        with contextlib.suppress(OSError):
            os.unlink(name)
        _in_flight.discard(name)


def _on_signal(signum: int, frame: FrameType | None, *, previous: Any) -> None:
    _cleanup()
    if callable(previous):
        previous(signum, frame)
        return
    if previous == signal.SIG_IGN:
        return
    signal.signal(signum, signal.SIG_DFL)  # die of the signal, as without us (exit status 128 + N)
    os.kill(os.getpid(), signum)


@contextlib.contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """While a temporary file exists: a signal removes it first. Only the main thread may set handlers;
    elsewhere the exception and atexit paths still clean up."""
    global _atexit_registered
    if not _atexit_registered:
        atexit.register(_cleanup)
        _atexit_registered = True
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved: dict[int, Any] = {}
    try:
        for signum in _SIGNALS:
            previous = signal.getsignal(signum)
            saved[signum] = previous
            signal.signal(signum, functools.partial(_on_signal, previous=previous))
        yield
    finally:
        for signum, previous in saved.items():
            with contextlib.suppress(ValueError, TypeError, OSError):
                signal.signal(signum, previous if previous is not None else signal.SIG_DFL)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale(path: Path) -> None:
    """Remove `.NAME.ipfacts-tmp.*` left beside `path` by a killed run (its process no longer exists)."""
    _remove_stale(path.parent, f".{path.name}{TMP_MARK}")


def _sweep(directory: Path) -> None:
    """Remove every killed run's temporary file in `directory`, unless this process did so within
    SWEEP_SECONDS (one listing per folder, not one per file written)."""
    key, now = str(directory), time.monotonic()
    with _lock:
        last = _swept.get(key)
        if last is not None and now - last < SWEEP_SECONDS:
            return
        _swept[key] = now
    _remove_stale(directory, ".")


def _remove_stale(directory: Path, prefix: str) -> None:
    try:
        names = [n for n in os.listdir(directory) if n.startswith(prefix) and TMP_MARK in n]
    except OSError:
        return
    now = time.time()
    for name in names:
        pid_text = name.split(TMP_MARK, 1)[1].split(".", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            old = now - os.lstat(directory / name).st_mtime > STALE_SECONDS  # its pid may be another's by now
        except OSError:
            continue
        if old or not _pid_alive(int(pid_text)):
            with contextlib.suppress(OSError):
                os.unlink(directory / name)


def write_atomic(path: Path | str, data: str | bytes, durable: bool = True, exclusive: bool = False) -> None:
    """Write `path` whole or not at all. `durable=False` skips the fsync: for caches, where a lost write
    only costs a re-parse. `exclusive`: never replace an existing file (FileExistsError), even one made
    between a check and the write."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = str(path.parent / f".{path.name}{TMP_MARK}{os.getpid()}.{secrets.token_hex(4)}")
    with _cleanup_on_signals():
        with _lock:
            _in_flight.add(tmp)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
            try:
                mode = path.stat().st_mode & 0o777
            except FileNotFoundError:
                mode = 0o666 & ~_umask()
            os.chmod(tmp, mode)
            if exclusive:
                try:
                    os.link(tmp, path)  # fails if the name exists: no replace
                except FileExistsError:
                    raise
                except OSError:  # a file system without hard links: the check just made has to do
                    if os.path.lexists(path):
                        raise FileExistsError(17, "File exists", str(path)) from None
                    os.replace(tmp, path)
            else:
                os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                if os.path.lexists(tmp):
                    os.unlink(tmp)
            with _lock:
                _in_flight.discard(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
