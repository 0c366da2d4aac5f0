"""Re-anchoring: after a source's text changed, find every citation into it again by its quote.

`plan(base, source_id)` (ipfacts/check/anchors.py) compares each citation of the source with the text as it is now: the quote
still at its lines (kept), found elsewhere (moved: the new lines), found at several places (the one
nearest the old lines is taken, the others listed), or nowhere (lost: a person must look).
`apply(root, plan)` writes the new lines and the source's new sha256 into the YAML text, editing only
those values — every other byte of the fact files stays as it was (no YAML re-dump). sources.yaml is
edited through curate/sourcesyaml.py, under its lock, like every writer of that file.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ipfacts.check.anchors import Move, Plan, plan  # noqa: F401 (plan: read from here by the CLI and tests)
from ipfacts.curate.sourcesyaml import SOURCES, SourcesEditError, editing
from ipfacts.infra.atomic import write_atomic


class ReanchorError(Exception):
    """The plan cannot be applied (a value is not where the fact base said; the file changed meanwhile)."""


def _replace_scalar(text: str, node: yaml.Node, new: str) -> tuple[int, int, str]:
    """The edit that replaces a scalar's value, keeping its quotes: (start, end, replacement)."""
    start, end = node.start_mark.index, node.end_mark.index
    written = text[start:end]
    if written[:1] in ("'", '"') and written[-1:] == written[:1]:
        return start + 1, end - 1, new
    return start, end, new


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _edit(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def apply(root: Path | str, the_plan: Plan) -> list[str]:
    """Write the moved lines and the new sha256; returns the files written. Lost citations stay as
    they are (a person must find them). Raises ReanchorError when a value is not where expected."""
    root = Path(root)
    by_file: dict[str, list[Move]] = {}
    for move in the_plan.moved:
        by_file.setdefault(move.file, []).append(move)
    pending: dict[Path, str] = {}
    for shown, moves in by_file.items():
        path = root / shown
        original = path.read_bytes().decode("utf-8")
        facts = _mapping_value(yaml.compose(original, Loader=yaml.SafeLoader), "facts")
        edits = []
        for move in moves:
            line = _mapping_value(_mapping_value(facts, move.key), "line")
            if not isinstance(line, yaml.ScalarNode) or line.value.replace(" ", "") != move.old:
                raise ReanchorError(f"{shown}: the line of {move.fact} is not {move.old} any more; run again")
            edits.append(_replace_scalar(original, line, move.new))
        pending[path] = _edit(original, edits)
    if not the_plan.hash_changed:
        for path, text in pending.items():
            write_atomic(path, text.encode("utf-8"))
        return sorted(p.relative_to(root).as_posix() for p in pending)

    try:  # sources.yaml under its lock (a concurrent add-source or reanchor keeps its edit); the sha256 last
        with editing(root) as doc:
            doc.set(the_plan.source, "sha256", the_plan.recorded_sha256, the_plan.actual_sha256)
            for path, text in pending.items():
                write_atomic(path, text.encode("utf-8"))
    except SourcesEditError as exc:
        raise ReanchorError(str(exc)) from exc
    return sorted([*(p.relative_to(root).as_posix() for p in pending), SOURCES])
