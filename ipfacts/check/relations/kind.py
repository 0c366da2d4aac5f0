"""What a relation kind declares, in its own module: its field (from the table of relation fields,
ipfacts/load/relationfields.py) and its check — per fact, or per group of facts that share a key.

The registry (`ipfacts.check.relations.KINDS`) lists every kind once; a test holds it equal to the
table of fields the loader reads.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ipfacts.load.relationfields import RelationField

if TYPE_CHECKING:
    from ipfacts.check.relations.base import Context
    from ipfacts.findings import Finding
    from ipfacts.load.model import Fact


@dataclass(frozen=True)
class RelationKind:
    spec: RelationField
    # Judged once per declaring fact …
    check: Callable[[Context, Fact], Iterator[Finding]] | None = None
    # … or once per group of declaring facts with the same key (all parts of one whole).
    group_key: Callable[[Fact], Hashable] | None = None
    check_group: Callable[[Context, list[Fact]], Iterator[Finding]] | None = None

    @property
    def field(self) -> str:
        return self.spec.field
