"""Load a fact base directory into a FactBase, reporting every problem it can find.

A problem that stops one file or one fact does not stop the others: the
loader collects all of them (each with file:line) and raises LoadFailed once,
so a curator fixes a broken base in one round, not one error per run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from ipfacts import findings
from ipfacts.findings import Finding
from ipfacts.model import Fact, FactBase, Ignored, Metric, Ref, Source
from ipfacts.numbers import ValueError_, parse_unit, parse_value
from ipfacts.schema import (
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
from ipfacts.yamlnodes import Map, Node, Scalar, Seq, Where, YamlSyntaxError, load_nodes

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


def fact_files(root: Path) -> list[Path]:
    facts_dir = root / "facts"
    paths = [p for p in facts_dir.rglob("*.yaml") if not (p.parent == facts_dir and p.name in RESERVED)]
    return sorted(paths)


def fact_file_prefix(root: Path, path: Path) -> str:
    return path.relative_to(root / "facts").with_suffix("").as_posix()


def load(root: Path | str) -> FactBase:
    root = Path(root).resolve()
    problems = _Problems()
    base = FactBase(root=root)
    facts_dir = root / "facts"
    if not facts_dir.is_dir():
        problems.add("L013", Where(_shown(root, facts_dir), 1), f"no facts/ directory under {root}")
        raise LoadFailed(problems.items)
    base.sources = _load_sources(root, problems)
    base.metrics = _load_metrics(root, problems)
    raw_refs: list[tuple[Fact, str, Ref]] = []
    for path in fact_files(root):
        shown = _shown(root, path)
        base.fact_files.append(shown)
        _load_fact_file(root, path, shown, base, problems, raw_refs)
    _resolve(base, raw_refs, problems)
    if problems.items:
        raise LoadFailed(problems.items)
    return base


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_mapping(root: Path, path: Path, problems: _Problems, required: bool) -> Map | None:
    shown = _shown(root, path)
    if not path.exists():
        if required:
            problems.add("L013", Where(shown, 1), f"{shown} is missing")
        return None
    try:
        node = load_nodes(path, shown)
    except YamlSyntaxError as exc:
        problems.add("L001", exc.where, exc.message)
        return None
    if node is None:
        return Map({}, {}, Where(shown, 1))
    if not isinstance(node, Map):
        problems.add("L004", node.where, f"{shown} must be a mapping at its top level")
        return None
    _report_duplicates(node, problems)
    return node


def _report_duplicates(node: Node, problems: _Problems) -> None:
    if isinstance(node, Map):
        for key, where in node.duplicates:
            first = node.key_where[key]
            problems.add("L002", where, f"duplicate key {key!r} (first at line {first.line}); "
                                         "YAML would silently keep only one")
        for child in node.items.values():
            _report_duplicates(child, problems)
    elif isinstance(node, Seq):
        for child in node.items:
            _report_duplicates(child, problems)


def _check_fields(node: Map, spec: dict[str, FieldSpec], what: str, problems: _Problems) -> bool:
    ok = True
    for name in node.items:
        if name not in spec:
            close = _closest(name, spec)
            hint = f" (did you mean {close!r}?)" if close else f"; allowed: {', '.join(spec)}"
            problems.add("L003", node.key_where[name], f"unknown field {name!r} in {what}{hint}")
            ok = False
    for name, field_spec in spec.items():
        if field_spec.required and name not in node.items:
            problems.add("L005", node.where, f"{what} has no {name!r}")
            ok = False
    return ok


def _closest(name: str, spec: dict[str, FieldSpec]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name.replace("-", "_"), list(spec), n=1, cutoff=0.7)
    return matches[0] if matches else None


def _text(node: Node | None, field: str, problems: _Problems, kinds: tuple[str, ...] = ("str", "int", "float")) -> str | None:
    if node is None:
        return None
    if not isinstance(node, Scalar) or node.tag not in kinds:
        shape = type(node).__name__.lower() if not isinstance(node, Scalar) else node.tag
        problems.add("L004", node.where, f"{field!r} must be text, not {'a ' + shape if shape != 'null' else 'empty'}")
        return None
    return node.text


def _period(node: Node | None, problems: _Problems) -> str | None:
    return _text(node, "period", problems, ("int", "str"))


def _enum(node: Node | None, field: str, allowed: tuple[str, ...], problems: _Problems) -> str | None:
    value = _text(node, field, problems)
    if value is not None and value not in allowed:
        assert node is not None
        problems.add("L004", node.where, f"{field!r} must be one of {', '.join(allowed)}, not {value!r}")
        return None
    return value


def _load_sources(root: Path, problems: _Problems) -> dict[str, Source]:
    node = _read_mapping(root, root / "facts" / "sources.yaml", problems, required=True)
    sources: dict[str, Source] = {}
    if node is None:
        return sources
    for source_id, entry in node.items.items():
        where = node.key_where[source_id]
        if not isinstance(entry, Map):
            problems.add("L004", entry.where, f"source {source_id!r} must be a mapping of fields")
            continue
        if not _check_fields(entry, SOURCE_FIELDS, f"source {source_id!r}", problems):
            continue
        file = _text(entry.items.get("file"), "file", problems)
        sha = _text(entry.items.get("sha256"), "sha256", problems)
        if file is None or sha is None:
            continue
        path = _safe_path(root, file, entry.items["file"].where, problems)
        if path is None:
            continue
        sources[source_id] = Source(
            id=source_id,
            file=file,
            path=path,
            title=_text(entry.items.get("title"), "title", problems) or source_id,
            region=_text(entry.items.get("region"), "region", problems),
            period=_period(entry.items.get("period"), problems),
            lang=_enum(entry.items.get("lang"), "lang", LANGS_SOURCE, problems) or "zh",
            sha256=sha.strip().lower(),
            where=where,
            url=_text(entry.items.get("url"), "url", problems),
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


def _load_metrics(root: Path, problems: _Problems) -> dict[str, Metric]:
    node = _read_mapping(root, root / "facts" / "metrics.yaml", problems, required=True)
    metrics: dict[str, Metric] = {}
    if node is None:
        return metrics
    for key, entry in node.items.items():
        where = node.key_where[key]
        if not isinstance(entry, Map):
            problems.add("L004", entry.where, f"metric {key!r} must be a mapping of fields")
            continue
        if not _check_fields(entry, METRIC_FIELDS, f"metric {key!r}", problems):
            continue
        unit = _text(entry.items["unit"], "unit", problems)
        if unit is not None:
            try:
                parse_unit(unit)
            except ValueError_ as exc:
                problems.add("L010", entry.items["unit"].where, f"metric {key!r}: {exc}")
                continue
        kind = _enum(entry.items["kind"], "kind", KINDS, problems)
        zh = _text(entry.items["zh"], "zh", problems)
        en = _text(entry.items["en"], "en", problems)
        if unit is None or kind is None or zh is None or en is None:
            continue
        metrics[key] = Metric(key, zh, en, unit, kind, where)
    return metrics


def _load_fact_file(root: Path, path: Path, shown: str, base: FactBase, problems: _Problems,
                    raw_refs: list[tuple[Fact, str, Ref]]) -> None:
    node = _read_mapping(root, path, problems, required=True)
    if node is None:
        return
    if not _check_fields(node, FACT_FILE_FIELDS, f"fact file {shown}", problems) and "facts" not in node.items:
        return
    prefix = fact_file_prefix(root, path)
    default_source = _text(node.items.get("source"), "source", problems)
    if default_source is not None and default_source not in base.sources:
        problems.add("L006", node.items["source"].where, _unknown("source", default_source, base.sources))
        default_source = None
    defaults = {
        "region": _text(node.items.get("region"), "region", problems),
        "period": _period(node.items.get("period"), problems),
        "lang": _enum(node.items.get("lang"), "lang", LANGS_FACT, problems),
    }
    facts_node = node.items.get("facts")
    if facts_node is not None and not (isinstance(facts_node, Scalar) and facts_node.tag == "null"):
        if not isinstance(facts_node, Map):
            problems.add("L004", facts_node.where, "'facts' must be a mapping of fact key → fields")
        else:
            for key, entry in facts_node.items.items():
                fact = _load_fact(key, entry, facts_node.key_where[key], shown, prefix, default_source,
                                  defaults, base, problems, raw_refs)
                if fact is not None:
                    base.facts[fact.id] = fact
    ignore_node = node.items.get("ignore")
    if ignore_node is not None:
        _load_ignores(ignore_node, default_source, base, problems)


def _unknown(what: str, name: str, known: Mapping[str, object]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {name!r}{hint}"


def _parse_lines(node: Node | None, problems: _Problems) -> tuple[int, int] | None:
    text = _text(node, "line", problems, ("int", "str"))
    if text is None or node is None:
        return None
    match = LINE_RE.match(text)
    if not match:
        problems.add("L011", node.where, f"line {text!r} is not a line number or range like 56-57")
        return None
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if start < 1 or end < start:
        problems.add("L011", node.where, f"line {text!r}: lines count from 1 and a range runs forward")
        return None
    return start, end


def _load_fact(key: str, entry: Node, key_where: Where, shown: str, prefix: str, default_source: str | None,
               defaults: dict[str, str | None], base: FactBase, problems: _Problems,
               raw_refs: list[tuple[Fact, str, Ref]]) -> Fact | None:
    fact_id = f"{prefix}/{key}"
    if not KEY_RE.match(key):
        problems.add("L012", key_where, f"fact key {key!r} must be lower-case letters, digits and _")
        return None
    if not isinstance(entry, Map):
        problems.add("L004", entry.where, f"fact {key!r} must be a mapping of fields")
        return None
    if not _check_fields(entry, FACT_FIELDS, f"fact {key!r}", problems):
        return None
    items = entry.items
    source_id = _text(items.get("source"), "source", problems) or default_source
    if source_id is None:
        problems.add("L005", key_where, f"fact {key!r} has no source (set `source:` at the top of the file or on the fact)")
        return None
    source = base.sources.get(source_id)
    if source is None:
        if "source" in items:
            problems.add("L006", items["source"].where, _unknown("source", source_id, base.sources))
        return None
    unit_field = _text(items.get("unit"), "unit", problems)
    raw_value = _text(items["value"], "value", problems)
    lines = _parse_lines(items["line"], problems)
    quote = _text(items["quote"], "quote", problems)
    if raw_value is None or lines is None or quote is None:
        return None
    try:
        value = parse_value(raw_value, unit_field)
    except ValueError_ as exc:
        problems.add("L010", items["value"].where, f"fact {key!r}: {exc}")
        return None
    metric = _text(items.get("metric"), "metric", problems)
    if metric is not None and metric not in base.metrics:
        problems.add("L006", items["metric"].where, _unknown("metric", metric, base.metrics))
        return None
    if metric is not None and not _metric_unit_fits(base.metrics[metric].unit, value.unit):
        problems.add("L010", items["value"].where,
                     f"fact {key!r}: unit {value.unit} does not fit metric {metric!r} (unit {base.metrics[metric].unit})")
        return None
    fact = Fact(
        id=fact_id,
        key=key,
        file=shown,
        where=key_where,
        source=source_id,
        region=_text(items.get("region"), "region", problems) or defaults["region"] or source.region,
        period=_period(items.get("period"), problems) or defaults["period"] or source.period,
        lang=_enum(items.get("lang"), "lang", LANGS_FACT, problems) or defaults["lang"] or source.first_lang,
        value=value,
        line_from=lines[0],
        line_to=lines[1],
        quote=quote,
        metric=metric,
        note=_text(items.get("note"), "note", problems),
    )
    for relation, spec in RELATION_FIELDS.items():
        if relation in items:
            refs = _refs(items[relation], relation, spec.type, problems)
            if refs is None:
                continue
            fact.relations[relation] = refs
            for ref in refs:
                raw_refs.append((fact, relation, ref))
    if "previous" in fact.relations and not ({"growth_of", "change_of"} & fact.relations.keys()):
        problems.add("L014", items["previous"].where, f"fact {key!r}: `previous` goes with growth_of or change_of")
    return fact


def _metric_unit_fits(metric_unit: str, unit: str | None) -> bool:
    from ipfacts import units

    _, canonical = parse_unit(metric_unit)
    return units.compatible(canonical, unit)


def _refs(node: Node, relation: str, kind: str, problems: _Problems) -> list[Ref] | None:
    def one(n: Node) -> Ref | None:
        if isinstance(n, Scalar) and n.tag in ("str", "int"):
            return Ref(n.text.strip(), n.where)
        problems.add("L004", n.where, f"{relation!r} must name facts by key or id")
        return None

    if isinstance(node, Seq):
        if kind == "ref":
            problems.add("L004", node.where, f"{relation!r} takes one fact, not a list")
            return None
        if kind == "ref_pair" and len(node.items) != 2:
            problems.add("L014", node.where, f"{relation!r} takes exactly two facts, [part, whole] or [numerator, denominator]")
            return None
        if kind == "ref_list" and len(node.items) < 2:
            problems.add("L014", node.where, f"{relation!r} takes a list of two or more facts")
            return None
        refs = [one(item) for item in node.items]
        return None if any(r is None for r in refs) else [r for r in refs if r is not None]
    if kind in ("ref_pair", "ref_list"):
        problems.add("L004", node.where, f"{relation!r} takes a list of facts")
        return None
    ref = one(node)
    return None if ref is None else [ref]


def _load_ignores(node: Node, default_source: str | None, base: FactBase, problems: _Problems) -> None:
    if not isinstance(node, Seq):
        problems.add("L004", node.where, "'ignore' must be a list of {line, text, reason}")
        return
    for item in node.items:
        if not isinstance(item, Map):
            problems.add("L004", item.where, "each 'ignore' entry must be a mapping {line, text, reason}")
            continue
        if not _check_fields(item, IGNORE_FIELDS, "ignore entry", problems):
            continue
        source_id = _text(item.items.get("source"), "source", problems) or default_source
        lines = _parse_lines(item.items["line"], problems)
        text = _text(item.items["text"], "text", problems)
        reason = _text(item.items["reason"], "reason", problems)
        if source_id is None or source_id not in base.sources:
            problems.add("L006", item.where, "ignore entry names no known source")
            continue
        if lines and text is not None and reason is not None:
            base.ignored.append(Ignored(source_id, lines[0], text, reason, item.where))


def _resolve(base: FactBase, raw_refs: list[tuple[Fact, str, Ref]], problems: _Problems) -> None:
    prefix_of: Callable[[Fact], str] = lambda f: f.id.rsplit("/", 1)[0]  # noqa: E731
    for fact, relation, ref in raw_refs:
        target = ref.text if "/" in ref.text else f"{prefix_of(fact)}/{ref.text}"
        if target not in base.facts:
            close = _unknown("fact", target, base.facts)
            problems.add("L006", ref.where, f"{relation} of {fact.key!r}: {close}")
            continue
        if target == fact.id:
            problems.add("L014", ref.where, f"{relation} of {fact.key!r} names the fact itself")
            continue
        ref.target = target
