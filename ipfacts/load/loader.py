"""Load a fact base directory into a FactBase, reporting every problem it can find.

A problem that stops one file or one fact does not stop the others: the
loader collects all of them (each with file:line) and raises LoadFailed once,
so a curator fixes a broken base in one round, not one error per run.

The flow: the base's own units (facts/units.txt) → sources.yaml → metrics.yaml →
each fact file: its defaults, its facts, its groups (facts sharing defaults), its
tables (ipfacts.load.tables: every cell a fact), its ignore entries → references
resolved to fact ids.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ipfacts.findings import Finding, clip
from ipfacts.infra.gcpause import gc_paused
from ipfacts.infra.safefiles import MAX_SOURCE_BYTES, UnsafeFile, real_path
from ipfacts.load import units
from ipfacts.load.cascade import fold
from ipfacts.load.fields import (
    LINE_RE,
    Fields,
    File,
    Problems,
    enum,
    mapping_list,
    parse_lines,
    read_fields,
    text_list,
    unknown,
)
from ipfacts.load.inputs import RESERVED, UNITS_FILE, fact_files, fact_files_found
from ipfacts.load.model import Fact, FactBase, Ignored, Metric, Ref, Source
from ipfacts.load.numbers import ValueError_, parse_unit
from ipfacts.load.periods import BASES
from ipfacts.load.relationfields import FIELDS as RELATION_KINDS
from ipfacts.load.relationfields import MODIFIERS
from ipfacts.load.runfiles import RunFiles
from ipfacts.load.schema import (
    FACT_FIELDS,
    FACT_FILE_FIELDS,
    FACT_KEY_PATTERN,
    GROUP_FIELDS,
    IGNORE_FIELDS,
    KINDS,
    LANGS_FACT,
    LANGS_SOURCE,
    METRIC_FIELDS,
    ORDERS,
    RELATION_FIELDS,
    SOURCE_FIELDS,
    FieldSpec,
)
from ipfacts.load.tables import load_tables
from ipfacts.load.values import fact_value
from ipfacts.load.yamlnodes import (
    DUPLICATES,
    LINE,
    Mapping,
    Node,
    Where,
    YamlSyntaxError,
    is_map,
    is_scalar,
    is_seq,
    items,
    line_of,
    scalar_tag,
    scalar_text,
    seq_items,
)

# The files besides the fact files whose bytes decide what a check finds (the run cache hashes them).
KEY_RE = re.compile(FACT_KEY_PATTERN)
__all__ = ["LINE_RE", "RESERVED", "LoadFailed", "fact_file_prefix", "fact_files", "load"]

_File = File  # the names the rest of this module (and _refs) were written with
_Problems = Problems


class LoadFailed(Exception):
    """The fact base cannot be read; `problems` holds every finding, each with file:line."""

    def __init__(self, problems: list[Finding]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the fact base")

        self.problems = fold(sorted(problems, key=Finding.sort_key))  # a cause first, what follows from it folded


@dataclass(frozen=True, slots=True)
class Defaults:
    """What the enclosing file, group or table gives the facts inside; the innermost wins.
    `source` is "" once an unknown default source has been reported (not again for every fact)."""

    source: str | None = None
    region: str | None = None
    period: str | None = None
    unit: str | None = None
    lang: str | None = None

    def inside(self, file: File, fields: Fields, base: FactBase, root: Path) -> Defaults:
        """These defaults overridden by the default fields of one mapping (file, group, table)."""
        texts = fields.texts
        source = texts.get("source")
        if source is not None and source not in base.sources:
            if source not in _declared_sources(root):
                file.add("L006", fields.nodes["source"], unknown("source", source, base.sources))
            source = ""
        return Defaults(
            source=self.source if source is None else source,
            region=texts.get("region") or self.region,
            period=texts.get("period") or self.period,
            unit=texts.get("unit") or self.unit,
            lang=enum(file, fields, "lang", LANGS_FACT) or self.lang,
        )


@dataclass
class _Run:
    """One load: the base being built and what is collected for the end."""

    root: Path
    base: FactBase
    problems: Problems
    raw_refs: list[tuple[Fact, str, Ref]]
    failed: set[str]  # facts present but unreadable: their own problem is reported, not each reference


def fact_file_prefix(root: Path, path: Path) -> str:
    return path.relative_to(root / "facts").with_suffix("").as_posix()


def load(root: Path | str, files: RunFiles | None = None) -> FactBase:
    """Read the fact base at `root` (each file through `files`: read and hashed once in the run); raises
    LoadFailed with every problem found. The cyclic garbage collector waits meanwhile: loading makes millions
    of acyclic objects and frees almost none, and each collection re-scans them all (benchmarks/README.md: a
    cold check costs 25–45 % more without the pause, on both base shapes)."""
    with gc_paused():
        return _load(root, files or RunFiles.disabled())


def _load(root: Path | str, files: RunFiles) -> FactBase:
    root = real_path(root)
    problems = _Problems()
    base = FactBase(root=root)
    facts_dir = root / "facts"
    if not facts_dir.is_dir():
        problems.add("L013", Where(_shown(root, facts_dir), 1), f"no facts/ directory under {root}")
        raise LoadFailed(problems.items)
    paths, unlisted = fact_files_found(root)
    for path, code, message in unlisted:
        problems.add(code, Where(_shown(root, path), 1), message)
    base.units = _load_units(root, problems, files)
    base.sources = _load_sources(root, problems, files)
    base.metrics = _load_metrics(root, problems, files, base.units)
    run = _Run(root, base, problems, [], set())
    parsed = files.parse_iter([(p, _shown(root, p)) for p in paths], root)  # facts built from each file as it comes
    with contextlib.closing(parsed):
        for path, (shown, result) in zip(paths, parsed, strict=True):
            base.fact_files.append(shown)
            node = _mapping_of(shown, result, problems)
            if node is not None:
                _load_fact_file(run, path, _File(shown, problems), node)
    _resolve(base, run.raw_refs, problems, run.failed)
    if problems.items:
        raise LoadFailed(problems.items)
    return base


def _shown(root: Path, path: Path) -> str:
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = path.as_posix()
    # a name that is not UTF-8 (surrogate escapes) is shown with its bytes escaped: it is printed and hashed
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _mapping_of(shown: str, parsed: Node | YamlSyntaxError | None, problems: _Problems) -> Mapping | None:
    if isinstance(parsed, YamlSyntaxError):
        problems.add(parsed.code, parsed.where, parsed.message)
        return None
    if parsed is None:
        return {LINE: 1}
    if not is_map(parsed):
        problems.add("L004", Where(shown, line_of(parsed)), f"{shown} must be a mapping at its top level")
        return None
    _report_duplicates(_File(shown, problems), parsed)
    return parsed


def _read_special(root: Path, name: str, problems: _Problems, files: RunFiles) -> tuple[_File, Mapping] | None:
    path = root / "facts" / name
    shown = _shown(root, path)
    if not path.exists():
        problems.add("L013", Where(shown, 1), f"{shown} is missing: a fact base needs facts/sources.yaml (the source "
                                              "documents; in a new base an empty file) and facts/metrics.yaml (the "
                                              "metric vocabulary); `ipfacts init` makes a new, empty base with both")
        return None
    node = _mapping_of(shown, files.parse_many([(path, shown)], root)[shown], problems)
    return None if node is None else (_File(shown, problems), node)


def _report_duplicates(file: _File, node: Mapping) -> None:
    for key, line, first in node.get(DUPLICATES, ()):
        file.add("L002", Where(file.shown, line), f"duplicate key {key!r} (first at line {first}); "
                                                  "YAML would silently keep only one")


def base_units(root: Path) -> units.Units:
    """The units of the base at `root` as `load` reads them (for a reader that rebuilds facts it kept)."""
    return _load_units(root, _Problems(), RunFiles.disabled())


def _load_units(root: Path, problems: _Problems, files: RunFiles) -> units.Units:
    """The base's units: the shipped ones, and facts/units.txt's valid definitions when the base has one."""

    path = root / "facts" / UNITS_FILE
    if not os.path.lexists(path):
        return units.shipped()
    shown = _shown(root, path)
    try:  # a regular file inside the root, bounded, never blocking (safefiles); read once: the run cache hashes it
        text = files.read(path, root)[0].decode("utf-8")
    except UnsafeFile as exc:
        problems.add(exc.code, Where(shown, 1), exc.message)
        return units.shipped()
    except (OSError, UnicodeDecodeError):
        problems.add("L036", Where(shown, 1), f"{shown} cannot be read as UTF-8 text")
        return units.shipped()
    valid, found = units.check_base_units(text)
    for line, message in found:
        problems.add("L036", Where(shown, line), f"{shown}: {message}")
    return units.shipped().with_base(valid)


def _entries(root: Path, name: str, what: str, spec: dict[str, FieldSpec], problems: _Problems,
             files: RunFiles) -> Iterator[tuple[_File, str, Where, Fields]]:
    """The well-formed entries of sources.yaml or metrics.yaml; the malformed ones are reported."""
    read = _read_special(root, name, problems, files)
    if read is None:
        return
    file, node = read
    for key, entry in items(node):
        if not is_map(entry):
            file.add("L004", entry, f"{what} {key!r} must be a mapping of fields")
            continue
        fields = read_fields(file, entry, spec, f"{what} {key!r}")
        if fields is not None:
            yield file, key, file.key_at(node, key), fields


def _load_sources(root: Path, problems: _Problems, files: RunFiles) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for file, source_id, where, fields in _entries(root, "sources.yaml", "source", SOURCE_FIELDS, problems, files):
        texts = fields.texts
        path_text, sha = texts["file"], texts["sha256"]
        path = _safe_path(root, path_text, file.at(fields.nodes["file"]), problems, files)
        if path is None:
            continue
        sources[source_id] = Source(
            id=source_id,
            file=path_text,
            path=path,
            title=texts.get("title") or source_id,
            region=texts.get("region"),
            period=texts.get("period"),
            lang=enum(file, fields, "lang", LANGS_SOURCE) or "zh",
            sha256=sha.strip().lower(),
            where=where,
            url=texts.get("url"),
            retrieved=_retrieved(file, fields),
            pages=_pages(file, fields.nodes.get("pages"), source_id),
            publisher=texts.get("publisher"),
            published=texts.get("published"),
            title_en=texts.get("title_en"),
            publisher_en=texts.get("publisher_en"),
        )
    return sources


def _retrieved(file: _File, fields: Fields) -> str | None:
    """`retrieved:` a real date, YYYY-MM-DD."""
    text = fields.texts.get("retrieved")
    if text is None:
        return None
    try:
        datetime.date.fromisoformat(text.strip())
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip()):
            raise ValueError(text)
    except ValueError:
        file.add("L004", fields.nodes["retrieved"], f"retrieved {text[:40]!r} is not a date like 2025-03-12")
        return None
    return text.strip()


def _pages(file: _File, node: Node | None, source_id: str) -> tuple[tuple[int, int, int], ...]:
    """`pages:` page number → the line or lines of the text it holds, pages and lines in order, no overlap."""
    if node is None:
        return ()
    if not is_map(node):
        file.add("L004", node, f"pages of source {source_id!r} must be a mapping of page number → lines (1: 1-40)")
        return ()
    out: list[tuple[int, int, int]] = []
    for key, value in items(node):
        if not (key.isascii() and key.isdigit() and key[0] != "0" and len(key) <= 6):
            file.add("L004", value, f"pages of source {source_id!r}: {key[:20]!r} is not a page number (1, 2, …)")
            return ()
        if not is_scalar(value) or scalar_tag(value) not in ("str", "int"):
            file.add("L011", value, f"pages of source {source_id!r}: page {key} must give a line or a range (41-77)")
            return ()
        span = parse_lines(file, scalar_text(value), value)
        if span is None:
            return ()
        page = int(key)
        if out and (page <= out[-1][0] or span[0] <= out[-1][2]):
            file.add("L011", value, f"pages of source {source_id!r}: page {page} (lines {span[0]}-{span[1]}) must come "
                                    f"after page {out[-1][0]} (lines up to {out[-1][2]}), without overlap")
            return ()
        out.append((page, span[0], span[1]))
    return tuple(out)


def _safe_path(root: Path, file: str, where: Where, problems: _Problems, files: RunFiles) -> Path | None:
    candidate = Path(file)
    if candidate.is_absolute() or ".." in candidate.parts or file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file):
        problems.add("L007", where, f"source path {file!r} must be relative to the root, without '..'")
        return None
    path = real_path(root / candidate)
    try:
        path.relative_to(root)
    except ValueError:
        problems.add("L007", where, f"source path {file!r} resolves outside the fact base root")
        return None
    if not path.exists():
        problems.add("L008", where, f"source file {file!r} does not exist")
        return None

    try:
        files.read(root / candidate, root, MAX_SOURCE_BYTES)[0].decode("utf-8")  # once: the run cache hashes it
    except UnsafeFile as exc:
        problems.add(exc.code, where, f"source file {file!r} {exc.message}")
        return None
    except UnicodeDecodeError as exc:
        problems.add("L009", where, f"source file {file!r} is not UTF-8 (byte {exc.start})")
        return None
    return path


def _true(text: str | None) -> bool:
    return text is not None and text.lower() in ("true", "yes", "on")


def _load_metrics(root: Path, problems: _Problems, files: RunFiles, registry: units.Units) -> dict[str, Metric]:
    metrics: dict[str, Metric] = {}
    for file, key, where, fields in _entries(root, "metrics.yaml", "metric", METRIC_FIELDS, problems, files):
        texts = fields.texts
        unit = texts["unit"]
        try:
            parse_unit(unit, registry)
        except ValueError_ as exc:
            file.add("L010", fields.nodes["unit"], f"metric {key!r}: {exc}")
            continue
        accepts = text_list(file, fields.node("accepts"), "accepts")
        for written in accepts:
            try:
                parse_unit(written, registry)
            except ValueError_ as exc:
                file.add("L010", fields.nodes["accepts"], f"metric {key!r}: {exc}")
        kind = enum(file, fields, "kind", KINDS)
        if kind is None:
            continue
        metrics[key] = Metric(key, texts["zh"], texts["en"], unit, kind, where, tuple(accepts),
                              counts_zh=texts.get("counts_zh"), counts_en=texts.get("counts_en"),
                              scope=texts.get("scope"), per_10k=_true(texts.get("per_10k")),
                              headline=_true(texts.get("headline")))
    return metrics


def _load_fact_file(run: _Run, path: Path, file: _File, node: Mapping) -> None:
    # partial: a problem in one top-level field does not hide the problems of the facts
    fields = read_fields(file, node, FACT_FILE_FIELDS, f"fact file {file.shown}", partial=True)
    if not ({"facts", "groups", "tables"} & fields.nodes.keys()):
        file.add("L005", node, f"fact file {file.shown} has no 'facts' (nor 'groups' or 'tables')")
        return
    prefix = fact_file_prefix(run.root, path)
    defaults = Defaults().inside(file, fields, run.base, run.root)
    if defaults.region:
        run.base.file_regions[file.shown] = defaults.region
    seen: dict[str, int] = {}  # fact key → the line it was first given (groups share the file's keys)
    _load_facts(run, file, fields.node("facts"), prefix, defaults, seen)
    _load_groups(run, file, fields.node("groups"), prefix, defaults, seen)
    if fields.node("tables") is not None:
        load_tables(run, file, fields.nodes["tables"], prefix, defaults)
    if fields.node("ignore") is not None:
        _load_ignores(file, fields.nodes["ignore"], defaults.source, run.base)


def _load_facts(run: _Run, file: _File, facts_node: Node | None, prefix: str, defaults: Defaults,
                seen: dict[str, int]) -> None:
    if facts_node is None or (is_scalar(facts_node) and scalar_tag(facts_node) == "null"):
        return
    if not is_map(facts_node):
        file.add("L004", facts_node, "'facts' must be a mapping of fact key → fields")
        return
    for key, entry in items(facts_node):
        where = file.key_at(facts_node, key)
        if key in seen:
            file.add("L002", where, f"fact key {key!r} is given twice in the file (first at line {seen[key]})")
            continue
        seen[key] = where.line
        fact = _load_fact(run, file, key, entry, where, prefix, defaults)
        if fact is not None:
            run.base.facts[fact.id] = fact
        else:
            run.failed.add(f"{prefix}/{key}")


def _load_groups(run: _Run, file: _File, node: Node | None, prefix: str, defaults: Defaults,
                 seen: dict[str, int]) -> None:
    """`groups:` — facts that share a region, period, unit or source, each group a mapping of defaults + facts."""
    if node is None:
        return
    for _, fields in mapping_list(file, node, GROUP_FIELDS, "group", "groups", "group",
                                  "{region, period, unit, source, facts}"):
        inner = defaults.inside(file, fields, run.base, run.root)
        _load_facts(run, file, fields.nodes["facts"], prefix, inner, seen)


def _declared_sources(root: Path) -> set[str]:
    """Source ids sources.yaml declares, valid or not (to report a broken source once, not per fact)."""
    try:
        node = RunFiles.disabled().parse_many([(root / "facts" / "sources.yaml", "facts/sources.yaml")], root)
    except OSError:
        return set()
    parsed = node.get("facts/sources.yaml")
    return {key for key, _ in items(parsed)} if parsed is not None and is_map(parsed) else set()


def _load_fact(run: _Run, file: _File, key: str, entry: Node, key_where: Where, prefix: str,
               defaults: Defaults) -> Fact | None:
    if not KEY_RE.match(key):
        file.add("L012", key_where, f"fact key {key!r} must be lower-case letters, digits and _")
        return None
    if not is_map(entry):
        file.add("L004", entry, f"fact {key!r} must be a mapping of fields")
        return None
    fields = read_fields(file, entry, FACT_FIELDS, f"fact {key!r}")
    if fields is None or _too_long(file, key, fields):
        return None
    source = fact_source(run.base, file, key, key_where, fields, defaults)
    lines = parse_lines(file, fields.texts["line"], fields.nodes["line"])
    if source is None or lines is None:
        return None
    value = fact_value(run.base, file, key, fields, defaults.unit)
    lang = enum(file, fields, "lang", LANGS_FACT)
    order = enum(file, fields, "rank_order", ORDERS)
    if value is None or ("lang" in fields.texts and lang is None) or ("rank_order" in fields.texts and order is None):
        return None
    texts = fields.texts
    fact = Fact(
        id=f"{prefix}/{key}",
        key=key,
        file=file.shown,
        where=key_where,
        source=source.id,
        region=texts.get("region") or defaults.region or source.region,
        period=texts.get("period") or defaults.period or source.period,
        lang=lang or defaults.lang or source.first_lang,
        value=value,
        line_from=lines[0],
        line_to=lines[1],
        quote=texts["quote"],
        metric=texts.get("metric"),
        note=texts.get("note"),
        caveat_zh=texts.get("caveat_zh"),
        caveat_en=texts.get("caveat_en"),
        rank_order=order or "desc",
        rank_scope=texts.get("rank_scope"),
        base=fields.texts.get("base"),
        unit=fields.texts.get("unit"),
    )
    _fact_relations(run, file, key, fact, fields)
    return fact


TEXT_LIMITS = {"quote": 2000, "note": 4000, "caveat_zh": 4000, "caveat_en": 4000}  # characters


def _too_long(file: _File, key: str, fields: Fields) -> bool:
    """A quote, note or caveat longer than any report's (L026): refused before it is read further, so no
    message, page or brief repeats it; the message shows its start and its length. (A value is bounded by
    the number reader: L018 for too many digits, L010 for anything else it cannot read.)"""
    found = False
    for name, limit in TEXT_LIMITS.items():
        text = fields.texts.get(name)
        if text is not None and len(text) > limit:
            file.add("L026", fields.nodes[name], f"fact {key!r}: {name} is {len(text):,} characters long "
                                                 f"({clip(text, 30)}); at most {limit:,} are read")
            found = True
    return found


def fact_source(base: FactBase, file: _File, key: str, key_where: Where, fields: Fields,
                defaults: Defaults) -> Source | None:
    """The fact's own source, else the default; None (reported) when there is none or it is unknown."""
    source_id = fields.texts.get("source") or defaults.source
    if source_id == "":
        return None  # the unknown default was reported where it is declared
    if source_id is None:
        file.add("L005", key_where, f"fact {key!r} has no source (set `source:` at the top of the file or on the fact)")
        return None
    source = base.sources.get(source_id)
    if source is None and "source" in fields.nodes:
        file.add("L006", fields.nodes["source"], unknown("source", source_id, base.sources))
    return source


def _fact_relations(run: _Run, file: _File, key: str, fact: Fact, fields: Fields) -> None:
    for relation, node in fields.nodes.items():
        if relation not in RELATION_FIELDS:
            continue
        refs = _refs(file, node, relation, RELATION_FIELDS[relation].type)
        if refs is None:
            continue
        fact.relations[relation] = refs
        for ref in refs:
            run.raw_refs.append((fact, relation, ref))
    for name, modifier in MODIFIERS.items():
        if name in fact.relations and not (set(modifier.goes_with) & fact.relations.keys()):
            file.add("L014", fields.nodes[name], f"fact {key!r}: `{name}` goes with {' or '.join(modifier.goes_with)}")
    if fact.base is not None:
        if fact.base not in BASES:
            file.add("L004", fields.nodes["base"], f"'base' must be one of {', '.join(BASES)}, not {fact.base!r}")
        elif not ({"growth_of", "change_of"} & fact.relations.keys()):
            file.add("L014", fields.nodes["base"], f"fact {key!r}: `base` goes with growth_of or change_of")


def _refs(file: _File, node: Node, relation: str, kind: str) -> list[Ref] | None:
    def one(n: Node, role: str = "") -> Ref | None:
        if is_scalar(n) and scalar_tag(n) in ("str", "int"):
            return Ref(scalar_text(n).strip(), file.at(n), role=role)
        file.add("L004", n, f"{relation!r} must name facts by key or id")
        return None

    def some(n: Node, role: str) -> list[Ref] | None:
        members = seq_items(n) if is_seq(n) else [n]
        if not members:
            file.add("L014", n, f"{relation!r}: {role} names no fact")
            return None
        refs = [one(item, role) for item in members]
        return None if any(r is None for r in refs) else [r for r in refs if r is not None]

    if kind == "ref_roles":
        return _role_refs(file, node, relation, some)
    if kind == "ref_groups":
        return _group_refs(file, node, relation, some)
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


def _group_refs(file: _File, node: Node, relation: str,
                some: Callable[[Node, str], list[Ref] | None]) -> list[Ref] | None:
    """A list of lists (breakdowns: [[a, b, c], [d, e]]): each inner list's refs get its index as role."""
    shape = f"{relation!r} takes a list of breakdowns, each a list of two or more facts: [[a, b], [c, d, e]]"
    if not is_seq(node) or not seq_items(node):
        file.add("L004", node, shape)
        return None
    refs: list[Ref] = []
    for n, group in enumerate(seq_items(node)):
        if not is_seq(group) or len(seq_items(group)) < 2:
            file.add("L014", group, shape)
            return None
        members = some(group, str(n))
        if members is None:
            return None
        refs.extend(members)
    return refs


def _role_refs(file: _File, node: Node, relation: str,
               some: Callable[[Node, str], list[Ref] | None]) -> list[Ref] | None:
    """A mapping of role → fact or list of facts (balance_of: {opening: a, inflow: b, outflow: [c, d]})."""
    kind = RELATION_KINDS[relation]
    shape = f"{relation!r} takes a mapping of {', '.join(kind.roles)} to facts"
    if not is_map(node):
        file.add("L004", node, shape)
        return None
    refs: list[Ref] = []
    for role, value in items(node):
        if role not in kind.roles:
            file.add("L014", file.key_at(node, role), f"{shape}, not {role!r}")
            return None
        members = some(value, role)
        if members is None:
            return None
        refs.extend(members)
    missing = [r for r in kind.required_roles if r not in {ref.role for ref in refs}]
    if missing:
        file.add("L014", node, f"{relation!r} needs {' and '.join(missing)}")
        return None
    return refs


def _load_ignores(file: _File, node: Node, default_source: str | None, base: FactBase) -> None:
    for item, fields in mapping_list(file, node, IGNORE_FIELDS, "ignore entry", "ignore", "'ignore' entry",
                                     "{line, text, reason}"):
        source_id = fields.texts.get("source") or default_source
        lines = parse_lines(file, fields.texts["line"], fields.nodes["line"])
        if source_id is None or source_id not in base.sources:
            file.add("L006", item, "ignore entry names no known source")
            continue
        if lines:
            base.ignored.append(Ignored(source_id, lines[0], fields.texts["text"], fields.texts["reason"], file.at(item)))


def _resolve(base: FactBase, raw_refs: list[tuple[Fact, str, Ref]], problems: _Problems, failed: set[str]) -> None:
    prefix_of: Callable[[Fact], str] = lambda f: (f.cell.table if f.cell else f.id).rsplit("/", 1)[0]  # noqa: E731
    for fact, relation, ref in raw_refs:
        local = f"{prefix_of(fact)}/{ref.text}"
        # a bare key, or a path inside the same file (a table cell: grants/hangzhou/total), else a full id
        target = local if "/" not in ref.text or local in base.facts or local in failed else ref.text
        if target in failed:
            continue
        if target not in base.facts:
            problems.add("L006", ref.where, f"{relation} of {fact.key!r}: {unknown('fact', target, base.facts)}")
            continue
        if target == fact.id:
            problems.add("L014", ref.where, f"{relation} of {fact.key!r} names the fact itself")
            continue
        ref.target = target
