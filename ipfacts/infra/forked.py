"""The one place ipfacts forks, and `can_fork()` the one rule for when it is safe.

Three uses, each measured by benchmarks/run.py (see benchmarks/README.md), each with a test that its
results equal those of one process doing it all:

- `build_while_warming`: a PDF brief's HTML built in a child while this process imports WeasyPrint
  (half a second of C-declaration parsing before it can lay out a page);
- `split_iter`: a list of independent jobs (parsing the files of a large fact base) split in two, the
  later ones done by a child while this process does the first ones and builds facts from them. The
  child's results come back as plain data (marshal) through an unnamed temporary file, and a child
  that fails in any way only means this process does its jobs itself;
- `run_beside`: two independent pieces of work side by side (a large base's citations and some
  relation kinds in a child, the other kinds here), the child's result pickled back through a pipe.

The child inherits stdout and stderr, so whatever it prints (a load failure's findings, a warning)
reaches the user exactly as it would have in one process; its result, or the exception it raised,
comes back through a private pipe and is returned, or raised again, here. Where forking is
unavailable or unsafe (not Linux, other threads running — the check's progress line draws without a
refresh thread for this reason —, the output streams not real files as under a test runner, or
IPFACTS_NO_FORK set), the work simply runs in this process, one piece after the other.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
U = TypeVar("U")

# The child's exit status when it could not even report back.
_CHILD_FAILED = 70


class ChildFailed(RuntimeError):
    """The forked child ended without sending a result (killed, or out of memory)."""


def can_fork() -> bool:
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or os.environ.get("IPFACTS_NO_FORK"):
        return False
    if threading.active_count() > 1:  # a fork copies one thread and every lock the others may hold
        return False
    try:
        sys.stdout.fileno()
        sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError and a ValueError
        return False
    return True


def build_while_warming(build: Callable[[], T], warm_up: Callable[[], object]) -> T:
    """`build()`'s result, with `warm_up()` run meanwhile in this process; exceptions from `build` re-raised."""
    return run_beside(build, warm_up)[0]


def run_beside(there: Callable[[], T], here: Callable[[], U], redo: bool = False) -> tuple[T, U]:
    """(`there()`, `here()`): `there` in a forked child while `here` runs in this process, when forking is
    safe (else one after the other, `there` first). `there`'s result, or the exception it raised, comes
    back pickled through a private pipe; its exception is raised again here once `here` is done. A child
    that ends without a result raises ChildFailed — or, with `redo` (for a `there` whose effects on this
    process's state `here` does not see), `there` is run again here."""
    if not can_fork():
        result = there()
        return result, here()
    sys.stdout.flush()  # nothing buffered here may be written twice, once by each process
    sys.stderr.flush()
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child; the tests observe it from outside
        os.close(readable)
        _child(there, writable)
    os.close(writable)
    try:
        mine = here()
    finally:
        with os.fdopen(readable, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
    try:  # our own child, over a pipe only the two of us hold: unpickling is safe here
        ok, value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - nothing, or cut off: the child was killed
        if redo:  # (out of memory, a signal): do its part here, as if there had been no fork
            return there(), mine
        raise ChildFailed(f"the worker ended without a result (status {status})") from None
    if ok:
        return value, mine
    raise value


def _child(build: Callable[[], object], writable: int) -> None:  # pragma: no cover - see above
    status = _CHILD_FAILED
    try:
        message = _outcome(build)
        sys.stdout.flush()
        sys.stderr.flush()
        with os.fdopen(writable, "wb") as pipe:
            pipe.write(message)
        status = 0
    finally:
        os._exit(status)  # no atexit handlers, no second flush of the parent's inherited state


def _outcome(build: Callable[[], object]) -> bytes:
    try:
        return pickle.dumps((True, build()))
    except BaseException as exc:  # noqa: BLE001 - every outcome, exits included, goes back to the parent
        try:
            return pickle.dumps((False, exc))
        except Exception:  # an exception that cannot cross: send its text
            return pickle.dumps((False, RuntimeError("".join(traceback.format_exception(exc)))))


def split_iter(function: Callable[[T], R], items: Sequence[T], sizes: Sequence[int], minimum: int,
               share: float = 0.5) -> Iterator[R]:
    """`function(item)` for each item, in order, as an iterator. When forking is safe and the sizes add up
    to at least `minimum`, a forked child does the items after the first `share` of the total size while
    this process works through the first ones — lazily, so that what the caller does with each result
    overlaps the child's work too. `function` may have no effects but idempotent ones (a cache entry
    written atomically) and must return plain data that `marshal` carries (None, bools, numbers,
    strings, tuples, lists, dicts). A child that fails in any way only means this process does its
    items itself: the results are those of the plain loop whatever happens."""
    cut = _cut(sizes, share) if len(items) >= 2 and sum(sizes) >= minimum else len(items)
    spool = _spool() if cut < len(items) and can_fork() else None
    if spool is None:
        yield from map(function, items)
        return
    with spool:
        sys.stdout.flush()  # nothing buffered here may be written twice, once by each process
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child; tests compare its results with the plain loop's
            _split_child(function, items[cut:], spool)
        waited = False
        try:
            for item in items[:cut]:
                yield function(item)
            _, status = os.waitpid(pid, 0)
            waited = True
            done = _split_results(spool, len(items) - cut) if status == 0 else None
        finally:
            if not waited:  # the caller stopped early (an error, an interrupt): the child's work is not needed
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
    if done is None:
        yield from map(function, items[cut:])
    else:
        yield from done  # type: ignore[misc]


def _spool() -> Any:
    """An unnamed temporary file (only this process and its child hold it), or None where none can be made."""
    import tempfile

    try:
        return tempfile.TemporaryFile()
    except OSError:
        return None


def _cut(sizes: Sequence[int], share: float) -> int:
    """The index after which the items hold about (1 - share) of the total size: the child's part."""
    total, running = sum(sizes), 0
    for i, size in enumerate(sizes):
        if running + size / 2 > share * total:
            return max(i, 1)
        running += size
    return len(sizes)


def _split_child(function: Callable[[T], object], items: Sequence[T], spool: object) -> None:  # pragma: no cover
    status = _CHILD_FAILED
    try:
        data = marshal.dumps([function(item) for item in items])
        _write_all(spool.fileno(), data)  # type: ignore[attr-defined]
        status = 0
    except BaseException:  # noqa: BLE001, S110 - any failure: the parent does this half itself
        pass
    finally:
        os._exit(status)


def _write_all(fd: int, data: bytes) -> None:  # pragma: no cover - runs in the child
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _split_results(spool: object, count: int) -> list[object] | None:
    """The child's results, read back from the spool (our own child's plain data); None if incomplete."""
    try:
        spool.seek(0)  # type: ignore[attr-defined]
        done = marshal.loads(spool.read())  # type: ignore[attr-defined]
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return done if type(done) is list and len(done) == count else None
