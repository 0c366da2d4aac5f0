"""What a relation kind declares, in its own module: the fact-file field, the shape of its
value, its documentation, and its check — per fact, or per group of facts that share a key.

The registry (`ipfacts.check.relations.KINDS`) is the one list of kinds: the loader's
schema, the JSON Schema, the checker's dispatch and the context's indexes all come from it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ipfacts.check.relations.base import Context
    from ipfacts.findings import Finding
    from ipfacts.load.model import Fact


@dataclass(frozen=True)
class RelationKind:
    field: str  # the fact-file field that declares it: share_of, part_of …
    shape: str  # the schema type of its value: ref, ref_pair, ref_list, ref_some, ref_groups, ref_roles
    doc: str  # one line for the schema and docs/format.md
    # Judged once per declaring fact …
    check: Callable[[Context, Fact], Iterator[Finding]] | None = None
    # … or once per group of declaring facts with the same key (all parts of one whole).
    group_key: Callable[[Fact], Hashable] | None = None
    check_group: Callable[[Context, list[Fact]], Iterator[Finding]] | None = None
    # ref_roles only: the roles a mapping may name, and those it must.
    roles: tuple[str, ...] = ()
    required_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Modifier:
    """A field that qualifies a relation rather than being one (`previous` with growth_of)."""

    field: str
    shape: str
    doc: str
    goes_with: tuple[str, ...]
