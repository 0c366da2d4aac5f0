"""Pausing Python's cyclic garbage collector around work that builds many objects and frees few.

Loading a fact base (millions of small acyclic objects) and laying out a PDF
(hundreds of thousands of boxes, kept until the file is written) both trigger
collection after collection that re-scans everything alive and can free almost
nothing: a third of the load time, a tenth of a brief's layout.
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
