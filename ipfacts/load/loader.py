"""Load a fact base directory into a FactBase, reporting every problem it can find.

A problem that stops one file or one fact does not stop the others: the
loader collects all of them (each with file:line) and raises LoadFailed once,
so a curator fixes a broken base in one round, not one error per run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ipfacts import findings
from ipfacts.findings import Finding
from ipfacts.infra.gcpause import gc_paused
from ipfacts.infra.parsecache import ParseCache
from ipfacts.load.model import Fact, FactBase, Ignored, Metric, Ref, Source
from ipfacts.load.numbers import ValueError_, parse_unit, parse_value
from ipfacts.load.schema import (
    FACT_FIELDS,
    FACT_FILE_FIELDS,
    FACT_KEY_PATTERN,
    IGNORE_FIELDS,
    KINDS,
    LANGS_FACT,
    LANGS_SOURCE,
    METRIC_FIELDS,
    RELATION_FIELDS,
    SOURCE_FIELDS,
    FieldSpec,
)
from ipfacts.load.yamlnodes import (
    DUPLICATES,
    LINE,
    Node,
    Where,
    YamlSyntaxError,
    get,
    is_map,
    is_scalar,
    is_seq,
    items,
    key_line,
    kind_of,
    line_of,
    scalar_tag,
    scalar_text,
    seq_items,
)

RESERVED = ("sources.yaml", "metrics.yaml", "reviews.yaml")
KEY_RE = re.compile(FACT_KEY_PATTERN)
LINE_RE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


class LoadFailed(Exception):
    """The fact base cannot be read; `problems` holds every finding, each with file:line."""

    def __init__(self, problems: list[Finding]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the fact base")
        self.problems = sorted(problems, key=Finding.sort_key)


class _Problems:
    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, code: str, where: Where, message: str) -> None:
        self.items.append(findings.make(code, message, where=where))


@dataclass
class _File:
    """One YAML file being read: its name as shown, to turn node lines into locations."""

    shown: str
    problems: _Problems

    def at(self, node: Node) -> Where:
        return Where(self.shown, line_of(node))

    def key_at(self, mapping: Node, key: str) -> Where:
        return Where(self.shown, key_line(mapping, key))

    def add(self, code: str, where: Where | Node, message: str) -> None:
        self.problems.add(code, where if isinstance(where, Where) else self.at(where), message)


def fact_files(root: Path) -> list[Path]:
    facts_dir = root / "facts"
    paths = [p for p in facts_dir.rglob("*.yaml") if not (p.parent == facts_dir and p.name in RESERVED)]
    return sorted(paths)


def fact_file_prefix(root: Path, path: Path) -> str:
    return path.relative_to(root / "facts").with_suffix("").as_posix()


def load(root: Path | str, cache: ParseCache | None = None) -> FactBase:
    """Read the fact base at `root`; raises LoadFailed with every problem found."""
    with gc_paused():
        return _load(root, cache)


def _load(root: Path | str, cache: ParseCache | None) -> FactBase:
    root = Path(root).resolve()
    problems = _Problems()
    base = FactBase(root=root)
    facts_dir = root / "facts"
    if not facts_dir.is_dir():
        problems.add("L013", Where(_shown(root, facts_dir), 1), f"no facts/ directory under {root}")
        raise LoadFailed(problems.items)
    cache = cache or ParseCache.disabled()
    paths = fact_files(root)
    parsed = cache.parse_many([(p, _shown(root, p)) for p in paths])
    base.sources = _load_sources(root, problems, cache)
    base.metrics = _load_metrics(root, problems, cache)
    raw_refs: list[tuple[Fact, str, Ref]] = []
    failed: set[str] = set()  # facts present but unreadable: their own problem is reported, not each reference
    for path in paths:
        shown = _shown(root, path)
        base.fact_files.append(shown)
        node = _mapping_of(shown, parsed[shown], problems)
        if node is not None:
            _load_fact_file(root, path, _File(shown, problems), node, base, raw_refs, failed)
    _resolve(base, raw_refs, problems, failed)
    if problems.items:
        raise LoadFailed(problems.items)
    return base


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _mapping_of(shown: str, parsed: Node | YamlSyntaxError | None, problems: _Problems) -> Node | None:
    if isinstance(parsed, YamlSyntaxError):
        problems.add("L001", parsed.where, parsed.message)
        return None
    if parsed is None:
        return {LINE: 1}
    if not is_map(parsed):
        problems.add("L004", Where(shown, line_of(parsed)), f"{shown} must be a mapping at its top level")
        return None
    _report_duplicates(_File(shown, problems), parsed)
    return parsed


def _read_special(root: Path, name: str, problems: _Problems, cache: ParseCache) -> tuple[_File, Node] | None:
    path = root / "facts" / name
    shown = _shown(root, path)
    if not path.exists():
        problems.add("L013", Where(shown, 1), f"{shown} is missing")
        return None
    node = _mapping_of(shown, cache.parse_many([(path, shown)])[shown], problems)
    return None if node is None else (_File(shown, problems), node)


def _report_duplicates(file: _File, node: Node) -> None:
    for key, line, first in node.get(DUPLICATES, ()):
        file.add("L002", Where(file.shown, line), f"duplicate key {key!r} (first at line {first}); "
                                                  "YAML would silently keep only one")


def _check_fields(file: _File, node: Node, spec: dict[str, FieldSpec], what: str) -> bool:
    ok = True
    for name in node:
        if name not in spec and name[0] != "\x00":
            close = _closest(name, spec)
            hint = f" (did you mean {close!r}?)" if close else f"; allowed: {', '.join(spec)}"
            file.add("L003", file.key_at(node, name), f"unknown field {name!r} in {what}{hint}")
            ok = False
    for name, field_spec in spec.items():
        if field_spec.required and name not in node:
            file.add("L005", node, f"{what} has no {name!r}")
            ok = False
    return ok


def _closest(name: str, spec: dict[str, FieldSpec]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name.replace("-", "_"), list(spec), n=1, cutoff=0.7)
    return matches[0] if matches else None


def _text(file: _File, node: Node | None, field: str, kinds: tuple[str, ...] = ("str", "int", "float")) -> str | None:
    if node is None:
        return None
    if not is_scalar(node) or scalar_tag(node) not in kinds:
        file.add("L004", node, f"{field!r} must be text, not {kind_of(node)}")
        return None
    return scalar_text(node)


def _text_list(file: _File, node: Node | None, field: str) -> list[str]:
    if node is None:
        return []
    if not is_seq(node):
        file.add("L004", node, f"{field!r} must be a list")
        return []
    values = [_text(file, item, field) for item in seq_items(node)]
    return [v for v in values if v is not None]


def _period(file: _File, node: Node | None) -> str | None:
    return _text(file, node, "period", ("int", "str"))


def _enum(file: _File, node: Node | None, field: str, allowed: tuple[str, ...]) -> str | None:
    value = _text(file, node, field)
    if value is not None and value not in allowed:
        file.add("L004", node, f"{field!r} must be one of {', '.join(allowed)}, not {value!r}")
        return None
    return value


def _entries(root: Path, name: str, what: str, spec: dict[str, FieldSpec], problems: _Problems,
             cache: ParseCache) -> Iterator[tuple[_File, str, Where, Node]]:
    """The well-formed entries of sources.yaml or metrics.yaml; the malformed ones are reported."""
    read = _read_special(root, name, problems, cache)
    if read is None:
        return
    file, node = read
    for key, entry in items(node):
        if not is_map(entry):
            file.add("L004", entry, f"{what} {key!r} must be a mapping of fields")
        elif _check_fields(file, entry, spec, f"{what} {key!r}"):
            yield file, key, file.key_at(node, key), entry


def _load_sources(root: Path, problems: _Problems, cache: ParseCache) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for file, source_id, where, entry in _entries(root, "sources.yaml", "source", SOURCE_FIELDS, problems, cache):
        path_text = _text(file, get(entry, "file"), "file")
        sha = _text(file, get(entry, "sha256"), "sha256")
        if path_text is None or sha is None:
            continue
        path = _safe_path(root, path_text, file.at(get(entry, "file")), problems)
        if path is None:
            continue
        sources[source_id] = Source(
            id=source_id,
            file=path_text,
            path=path,
            title=_text(file, get(entry, "title"), "title") or source_id,
            region=_text(file, get(entry, "region"), "region"),
            period=_period(file, get(entry, "period")),
            lang=_enum(file, get(entry, "lang"), "lang", LANGS_SOURCE) or "zh",
            sha256=sha.strip().lower(),
            where=where,
            url=_text(file, get(entry, "url"), "url"),
        )
    return sources


def _safe_path(root: Path, file: str, where: Where, problems: _Problems) -> Path | None:
    candidate = Path(file)
    if candidate.is_absolute() or ".." in candidate.parts or file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file):
        problems.add("L007", where, f"source path {file!r} must be relative to the root, without '..'")
        return None
    path = (root / candidate).resolve()
    try:
        path.relative_to(root)
    except ValueError:
        problems.add("L007", where, f"source path {file!r} resolves outside the fact base root")
        return None
    if not path.is_file():
        problems.add("L008", where, f"source file {file!r} does not exist")
        return None
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add("L009", where, f"source file {file!r} is not UTF-8 (byte {exc.start})")
        return None
    return path


def _load_metrics(root: Path, problems: _Problems, cache: ParseCache) -> dict[str, Metric]:
    metrics: dict[str, Metric] = {}
    for file, key, where, entry in _entries(root, "metrics.yaml", "metric", METRIC_FIELDS, problems, cache):
        unit = _text(file, get(entry, "unit"), "unit")
        if unit is not None:
            try:
                parse_unit(unit)
            except ValueError_ as exc:
                file.add("L010", get(entry, "unit"), f"metric {key!r}: {exc}")
                continue
        accepts = _text_list(file, get(entry, "accepts"), "accepts")
        for written in accepts:
            try:
                parse_unit(written)
            except ValueError_ as exc:
                file.add("L010", get(entry, "accepts"), f"metric {key!r}: {exc}")
        kind = _enum(file, get(entry, "kind"), "kind", KINDS)
        zh = _text(file, get(entry, "zh"), "zh")
        en = _text(file, get(entry, "en"), "en")
        if unit is None or kind is None or zh is None or en is None:
            continue
        metrics[key] = Metric(key, zh, en, unit, kind, where, tuple(accepts))
    return metrics


def _load_fact_file(root: Path, path: Path, file: _File, node: Node, base: FactBase,
                    raw_refs: list[tuple[Fact, str, Ref]], failed: set[str]) -> None:
    if not _check_fields(file, node, FACT_FILE_FIELDS, f"fact file {file.shown}") and "facts" not in node:
        return
    prefix = fact_file_prefix(root, path)
    default_source = _text(file, get(node, "source"), "source")
    if default_source is not None and default_source not in base.sources:
        if default_source not in _declared_sources(root):
            file.add("L006", get(node, "source"), _unknown("source", default_source, base.sources))
        default_source = ""  # reported once here (or at the source itself), not again for every fact
    defaults = {
        "region": _text(file, get(node, "region"), "region"),
        "period": _period(file, get(node, "period")),
        "lang": _enum(file, get(node, "lang"), "lang", LANGS_FACT),
    }
    if defaults["region"]:
        base.file_regions[file.shown] = defaults["region"]
    facts_node = get(node, "facts")
    if facts_node is not None and not (is_scalar(facts_node) and scalar_tag(facts_node) == "null"):
        if not is_map(facts_node):
            file.add("L004", facts_node, "'facts' must be a mapping of fact key → fields")
        else:
            for key, entry in items(facts_node):
                fact = _load_fact(file, key, entry, file.key_at(facts_node, key), prefix, default_source,
                                  defaults, base, raw_refs)
                if fact is not None:
                    base.facts[fact.id] = fact
                else:
                    failed.add(f"{prefix}/{key}")
    ignore_node = get(node, "ignore")
    if ignore_node is not None:
        _load_ignores(file, ignore_node, default_source, base)


def _declared_sources(root: Path) -> set[str]:
    """Source ids sources.yaml declares, valid or not (to report a broken source once, not per fact)."""
    try:
        node = ParseCache.disabled().parse_many([(root / "facts" / "sources.yaml", "facts/sources.yaml")])
    except OSError:
        return set()
    parsed = node.get("facts/sources.yaml")
    return {key for key, _ in items(parsed)} if parsed is not None and is_map(parsed) else set()


def _unknown(what: str, name: str, known: Mapping[str, object]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {name!r}{hint}"


def _parse_lines(file: _File, node: Node | None) -> tuple[int, int] | None:
    text = _text(file, node, "line", ("int", "str"))
    if text is None or node is None:
        return None
    match = LINE_RE.match(text)
    if not match:
        file.add("L011", node, f"line {text!r} is not a line number or range like 56-57")
        return None
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if start < 1 or end < start:
        file.add("L011", node, f"line {text!r}: lines count from 1 and a range runs forward")
        return None
    return start, end


_TAGS_FOR = {"text": ("str", "int", "float"), "value": ("str", "int", "float"), "line": ("str", "int"),
             "period": ("str", "int"), "lang": ("str",)}


def _fact_fields(file: _File, key: str, entry: Node) -> tuple[dict[str, str], dict[str, Node]] | None:
    """One pass over a fact's fields: names and types checked, scalars as text, relations apart."""
    texts: dict[str, str] = {}
    relations: dict[str, Node] = {}
    ok = True
    for name, pair in entry.items():
        if name[0] == "\x00":
            continue
        name_line, node = pair
        spec = FACT_FIELDS.get(name)
        if spec is None:
            close = _closest(name, FACT_FIELDS)
            hint = f" (did you mean {close!r}?)" if close else f"; allowed: {', '.join(FACT_FIELDS)}"
            file.add("L003", Where(file.shown, name_line), f"unknown field {name!r} in fact {key!r}{hint}")
            ok = False
        elif spec.type.startswith("ref"):
            relations[name] = node
        elif type(node) is tuple and node[1] in _TAGS_FOR[spec.type]:
            texts[name] = node[2]
        else:
            file.add("L004", node, f"{name!r} must be text, not {kind_of(node)}")
            ok = False
    for name in ("value", "line", "quote"):
        if name not in entry:
            file.add("L005", entry, f"fact {key!r} has no {name!r}")
            ok = False
    return (texts, relations) if ok else None


def _load_fact(file: _File, key: str, entry: Node, key_where: Where, prefix: str, default_source: str | None,
               defaults: dict[str, str | None], base: FactBase,
               raw_refs: list[tuple[Fact, str, Ref]]) -> Fact | None:
    if not KEY_RE.match(key):
        file.add("L012", key_where, f"fact key {key!r} must be lower-case letters, digits and _")
        return None
    if not is_map(entry):
        file.add("L004", entry, f"fact {key!r} must be a mapping of fields")
        return None
    fields = _fact_fields(file, key, entry)
    if fields is None:
        return None
    texts, relation_nodes = fields
    source_id = texts.get("source") or default_source
    if source_id == "":
        return None
    if source_id is None:
        file.add("L005", key_where, f"fact {key!r} has no source (set `source:` at the top of the file or on the fact)")
        return None
    source = base.sources.get(source_id)
    if source is None:
        if "source" in entry:
            file.add("L006", get(entry, "source"), _unknown("source", source_id, base.sources))
        return None
    line_text = texts["line"]
    if line_text.isdigit() and line_text[0] != "0":
        lines: tuple[int, int] | None = (int(line_text), int(line_text))
    else:
        lines = _parse_lines(file, get(entry, "line"))
        if lines is None:
            return None
    try:
        value = parse_value(texts["value"], texts.get("unit"))
    except ValueError_ as exc:
        file.add("L010", get(entry, "value"), f"fact {key!r}: {exc}")
        return None
    metric = texts.get("metric")
    if metric is not None:
        known = base.metrics.get(metric)
        if known is None:
            file.add("L006", get(entry, "metric"), _unknown("metric", metric, base.metrics))
            return None
        if not _metric_unit_fits(known, value.unit):
            file.add("L010", get(entry, "value"),
                     f"fact {key!r}: unit {value.unit} does not fit metric {metric!r} (unit {known.unit})")
            return None
    lang = texts.get("lang")
    if lang is not None and lang not in LANGS_FACT:
        file.add("L004", get(entry, "lang"), f"'lang' must be one of {', '.join(LANGS_FACT)}, not {lang!r}")
        return None
    assert lines is not None
    fact = Fact(
        id=f"{prefix}/{key}",
        key=key,
        file=file.shown,
        where=key_where,
        source=source_id,
        region=texts.get("region") or defaults["region"] or source.region,
        period=texts.get("period") or defaults["period"] or source.period,
        lang=lang or defaults["lang"] or source.first_lang,
        value=value,
        line_from=lines[0],
        line_to=lines[1],
        quote=texts["quote"],
        metric=metric,
        note=texts.get("note"),
        unit=texts.get("unit"),
    )
    for relation, node in relation_nodes.items():
        refs = _refs(file, node, relation, RELATION_FIELDS[relation].type)
        if refs is None:
            continue
        fact.relations[relation] = refs
        for ref in refs:
            raw_refs.append((fact, relation, ref))
    if "previous" in fact.relations and not ({"growth_of", "change_of"} & fact.relations.keys()):
        file.add("L014", get(entry, "previous"), f"fact {key!r}: `previous` goes with growth_of or change_of")
    return fact


def _metric_unit_fits(metric: Metric, unit: str | None) -> bool:
    return _unit_fits(metric.unit, metric.accepts, unit)


@cache
def _unit_fits(metric_unit: str, accepts: tuple[str, ...], unit: str | None) -> bool:
    from ipfacts.load import units

    return any(units.compatible(parse_unit(spec)[1], unit) for spec in (metric_unit, *accepts))


def _refs(file: _File, node: Node, relation: str, kind: str) -> list[Ref] | None:
    def one(n: Node) -> Ref | None:
        if is_scalar(n) and scalar_tag(n) in ("str", "int"):
            return Ref(scalar_text(n).strip(), file.at(n))
        file.add("L004", n, f"{relation!r} must name facts by key or id")
        return None

    if is_seq(node):
        members = seq_items(node)
        if kind == "ref":
            file.add("L004", node, f"{relation!r} takes one fact, not a list")
            return None
        if kind == "ref_pair" and len(members) != 2:
            file.add("L014", node, f"{relation!r} takes exactly two facts, [part, whole] or [numerator, denominator]")
            return None
        if kind == "ref_list" and len(members) < 2:
            file.add("L014", node, f"{relation!r} takes a list of two or more facts")
            return None
        refs = [one(item) for item in members]
        return None if any(r is None for r in refs) else [r for r in refs if r is not None]
    if kind in ("ref_pair", "ref_list"):
        file.add("L004", node, f"{relation!r} takes a list of facts")
        return None
    ref = one(node)
    return None if ref is None else [ref]


def _load_ignores(file: _File, node: Node, default_source: str | None, base: FactBase) -> None:
    if not is_seq(node):
        file.add("L004", node, "'ignore' must be a list of {line, text, reason}")
        return
    for item in seq_items(node):
        if not is_map(item):
            file.add("L004", item, "each 'ignore' entry must be a mapping {line, text, reason}")
            continue
        if not _check_fields(file, item, IGNORE_FIELDS, "ignore entry"):
            continue
        source_id = _text(file, get(item, "source"), "source") or default_source
        lines = _parse_lines(file, get(item, "line"))
        text = _text(file, get(item, "text"), "text")
        reason = _text(file, get(item, "reason"), "reason")
        if source_id is None or source_id not in base.sources:
            file.add("L006", item, "ignore entry names no known source")
            continue
        if lines and text is not None and reason is not None:
            base.ignored.append(Ignored(source_id, lines[0], text, reason, file.at(item)))


def _resolve(base: FactBase, raw_refs: list[tuple[Fact, str, Ref]], problems: _Problems, failed: set[str]) -> None:
    prefix_of: Callable[[Fact], str] = lambda f: f.id.rsplit("/", 1)[0]  # noqa: E731
    for fact, relation, ref in raw_refs:
        target = ref.text if "/" in ref.text else f"{prefix_of(fact)}/{ref.text}"
        if target in failed:
            continue
        if target not in base.facts:
            problems.add("L006", ref.where, f"{relation} of {fact.key!r}: {_unknown('fact', target, base.facts)}")
            continue
        if target == fact.id:
            problems.add("L014", ref.where, f"{relation} of {fact.key!r} names the fact itself")
            continue
        ref.target = target
