"""Build something in a forked child while this process warms up for what comes next.

The one place ipfacts forks, and `can_fork()` the one rule for when it is safe. (`ipfacts check`
and the parse cache used to fork too; measured, neither paid on two cores: see benchmarks/README.md.)

A PDF brief needs two slow, independent starts: ipfacts reading and checking
the fact base and writing the HTML, and importing WeasyPrint (half a second of
C-declaration parsing before it can lay out a page). On a machine with two
cores they can run side by side: the child builds the HTML while the parent
imports WeasyPrint; the parent then renders.

The child inherits stdout and stderr, so whatever it prints (a load failure's
findings, a warning) reaches the user exactly as it would have in one process;
its result, or the exception it raised, comes back through a private pipe and
is returned, or raised again, here. Where forking is unavailable or unsafe
(not Linux, other threads running, the output streams not real files as under
a test runner, or IPFACTS_NO_FORK set), the two simply run one after the other.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

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
    if not can_fork():
        result = build()
        warm_up()
        return result
    sys.stdout.flush()  # nothing buffered here may be written twice, once by each process
    sys.stderr.flush()
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child; the tests observe it from outside
        os.close(readable)
        _child(build, writable)
    os.close(writable)
    try:
        warm_up()
    finally:
        with os.fdopen(readable, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
    if not payload:
        raise ChildFailed(f"the worker building the brief ended without a result (status {status})")
    # Our own child, over a pipe only the two of us hold: unpickling is safe here.
    ok, value = pickle.loads(payload)
    if ok:
        return value
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
