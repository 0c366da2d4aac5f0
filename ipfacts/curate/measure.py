"""How well scaffold drafts a source: its drafts against a curated fact base.

For each source, scaffold runs on a copy of the base with no fact file at all
(only sources.yaml and metrics.yaml), and its drafts are matched to the
curated facts of that source:

- a fact is drafted right when a draft has its value (the same number, unit
  and sign), lines that overlap its lines, and a quote that agrees with the curated one
  up to the number (whitespace ignored: a curator may begin the clause earlier or later, or
  quote on past the number);
- a relation is drafted right when the draft matched to its fact has the same
  kind and its targets are the drafts matched to the curated targets, in the
  same order (a `same_as` list in any order).

Used by the tests (tests/test_drafting.py) and reported in benchmarks/README.md.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ipfacts.curate.scaffold import scaffold
from ipfacts.load.loader import load
from ipfacts.load.model import FactBase
from ipfacts.load.numbers import parse_value
from ipfacts.load.sourcetext import squash

if TYPE_CHECKING:
    from ipfacts.curate.scaffold import Draft


@dataclass
class Score:
    source: str
    facts: int = 0
    facts_right: int = 0
    relations: int = 0
    relations_right: int = 0
    missed_facts: list[str] = field(default_factory=list)
    missed_relations: list[str] = field(default_factory=list)
    metrics: int = 0  # curated facts with a metric whose draft was found
    metrics_right: int = 0  # … and was suggested that metric

    @property
    def fact_ratio(self) -> float:
        return self.facts_right / self.facts if self.facts else 1.0

    @property
    def relation_ratio(self) -> float:
        return self.relations_right / self.relations if self.relations else 1.0


def blank_copy(root: Path, into: Path) -> Path:
    """A copy of the base at `root` without its fact files: sources, metrics, source documents."""
    base = load(root)
    (into / "facts").mkdir(parents=True)
    for name in ("sources.yaml", "metrics.yaml"):
        shutil.copy(root / "facts" / name, into / "facts" / name)
    for source in base.sources.values():
        target = into / source.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source.path, target)
    return into


def score(curated: FactBase, source_id: str, drafts: list[Draft]) -> Score:
    result = Score(source_id)
    facts = [f for f in curated.facts.values() if f.source == source_id]
    drafted = [d for d in drafts if d.problem is None]
    by_fact: dict[str, str] = {}  # curated fact id → draft key
    used: set[str] = set()
    for fact in facts:
        result.facts += 1
        quote = squash(fact.quote)
        match: Draft | None = None
        for draft in drafted:
            first, _, last = draft.line.partition("-")
            if draft.key in used or int(last or first) < fact.line_from or int(first) > fact.line_to:
                continue
            try:
                written = parse_value(draft.value, draft.unit, curated.units)
            except Exception:
                continue
            if written.literal != fact.value.literal or written.negative != fact.value.negative or \
                    written.unit != fact.value.unit:
                continue
            if _same_place(squash(draft.quote), quote, squash(fact.value.literal)):
                match = draft
                break
        if match is None:
            result.missed_facts.append(f"{fact.id} {fact.value.text} line {fact.lines}")
            continue
        used.add(match.key)
        by_fact[fact.id] = match.key
        result.facts_right += 1
        if fact.metric:
            result.metrics += 1
            result.metrics_right += match.metric == fact.metric
    drafts_by_key = {d.key: d for d in drafted}
    for fact in facts:
        for kind, refs in fact.relations.items():
            if kind == "previous":
                continue
            result.relations += 1
            drafted_fact = drafts_by_key.get(by_fact.get(fact.id, ""))
            wanted = [by_fact.get(r.target, "") for r in refs]
            got = [t.rsplit("/", 1)[-1] for t in (drafted_fact.relations.get(kind, []) if drafted_fact else [])]
            right = "" not in wanted and (sorted(got) == sorted(wanted) if kind == "same_as" else got == wanted)
            if right:
                result.relations_right += 1
            else:
                result.missed_relations.append(f"{fact.id} {kind} {[r.target for r in refs]} (drafted: "
                                               f"{drafted_fact.relations if drafted_fact else 'no fact'})")
    return result


def _same_place(mine: str, theirs: str, literal: str) -> bool:
    """The two quotes agree up to the number: the text to its end in one ends the text to its end in the other."""
    a, b = mine.find(literal), theirs.find(literal)
    if a < 0 or b < 0:
        return mine in theirs or theirs in mine
    a_head, b_head = mine[:a + len(literal)], theirs[:b + len(literal)]
    return a_head.endswith(b_head) or b_head.endswith(a_head)


def measure(root: Path) -> list[Score]:
    """Scores for every source of the base at `root` that its fact files cite."""
    curated = load(root)
    cited = sorted({f.source for f in curated.facts.values()})
    with tempfile.TemporaryDirectory(prefix="ipfacts-measure-") as tmp:
        blank = load(blank_copy(root, Path(tmp) / "base"))
        return [score(curated, source_id, scaffold(blank, source_id)) for source_id in cited]
