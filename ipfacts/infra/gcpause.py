"""Pausing Python's cyclic garbage collector around work that builds many objects and frees few.

Loading a fact base (millions of small acyclic objects) triggers collection after
collection that re-scans everything alive and can free almost nothing: a third of
the load time on both benchmark shapes (benchmarks/README.md). The one trick of the
speed work that is kept: it pays on every base.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
