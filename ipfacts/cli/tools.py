"""Tools for the ecosystem around a fact base: JSON Schemas for editors, a tidy export for analysts,
a draft fact file for curators, and the metric vocabulary."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

import typer

from ipfacts.cli import app, settings
from ipfacts.cli import common as cli_common
from ipfacts.cli.common import OUTPUT, ROOT, fail, load_or_exit

SCHEMA_NAMES = ("fact-file", "sources", "metrics")
EXPORT_FORMATS = ("csv", "json", "parquet", "sqlite")


def _note(message: str) -> None:
    """A line for the person at the terminal, on standard error; --quiet silences it."""
    if not settings.quiet:
        sys.stderr.write(message + "\n")


def _detail(message: str) -> None:
    """A line only --verbose asks for, on standard error."""
    if settings.verbose:
        sys.stderr.write(message + "\n")


@app.command()
def schema(
    name: str = typer.Argument("fact-file", help="fact-file, sources or metrics."),
    output: Path | None = OUTPUT,
    directory: Path | None = typer.Option(None, "--dir", help="Write all three schemas into this directory "
                                          "(fact-file.schema.json, sources.schema.json, metrics.schema.json)."),
) -> None:
    """Print the JSON Schema of fact files, sources.yaml or metrics.yaml (for editors: VS Code's YAML extension)."""
    from ipfacts.load.jsonschema import shipped_text

    if directory is not None:
        for each in SCHEMA_NAMES:
            cli_common.emit(shipped_text(each), directory / f"{each}.schema.json", Path("."))
            _note(f"wrote {directory / f'{each}.schema.json'}")
        return
    if name not in SCHEMA_NAMES:
        fail(f"no schema {name!r}; choose one of {', '.join(SCHEMA_NAMES)}")
    cli_common.emit(shipped_text(name), output, Path("."))
    if output is not None:
        _note(f"wrote {output}")


@app.command()
def export(
    root: Path = ROOT,
    format: str | None = typer.Option(None, "--format", "-f", help="csv, json, parquet or sqlite (parquet needs "
                                      "pyarrow: pip install 'ipfacts[parquet]'; sqlite needs sqlite-utils: "
                                      "pip install 'ipfacts[sqlite]'). Default: from the -o suffix (.db: sqlite), "
                                      "else csv."),
    output: Path | None = OUTPUT,
    bom: bool = typer.Option(True, "--bom/--no-bom", help="CSV: start with a byte-order mark (the default), so "
                                                          "that Excel reads the Chinese text as UTF-8."),
) -> None:
    """Export every fact as one tidy row (id, region, period, metric, value, number, unit, lower, upper, …)."""
    from ipfacts.render import export as exporter

    suffix = output.suffix.lstrip(".").lower() if output is not None else ""
    if f".{suffix}" in exporter.SQLITE_SUFFIXES:
        suffix = "sqlite"
    if suffix and suffix not in EXPORT_FORMATS:
        fail(f"export does not write .{suffix} files; it writes {', '.join(EXPORT_FORMATS)} "
             f"(name the file .csv, .json, .parquet or .db; a spreadsheet opens the .csv)")
    chosen = format or suffix or "csv"
    if chosen not in EXPORT_FORMATS:
        fail(f"unknown format {chosen!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if suffix and chosen != suffix:
        fail(f"--format {chosen} does not fit the name {output}: name it .{'db' if chosen == 'sqlite' else chosen}, "
             "or leave out --format")
    if chosen in ("parquet", "sqlite") and output is None:
        fail(f"{chosen} is binary: give a file with -o FILE")
    cli_common.guard_output(output, root)
    base = load_or_exit(root)
    _detail(f"read {len(base.facts)} facts from {len(base.fact_files)} fact file(s) under {root / 'facts'}")
    table = exporter.rows(base)
    if chosen == "sqlite":  # facts with citations, relations, findings with verdicts, sources, metrics, views
        from ipfacts.review.checked import check_report

        try:
            data: str | bytes = exporter.to_sqlite(base, check_report(root))
        except exporter.SqliteUnavailable as exc:
            fail(str(exc))
    elif chosen == "parquet":
        try:
            data = exporter.to_parquet(table)
        except exporter.ParquetUnavailable as exc:
            fail(str(exc))
    elif chosen == "json":
        data = exporter.to_json(table)
    else:
        data = exporter.to_csv(table, bom=bom)
    if output is None:
        cli_common.emit(data, None)
        return
    cli_common.emit(data, output, root)
    _note(f"wrote {len(table)} facts to {output} ({chosen})")


@app.command()
def scaffold(
    source: str = typer.Argument(..., help="Source id from facts/sources.yaml."),
    root: Path = ROOT,
    output: Path | None = typer.Option(None, "-o", "--output",
                                       help="Write the draft to this new file (never over an existing one)."),
) -> None:
    """Draft a fact file for every number of SOURCE that no fact cites, relations guessed (其中, 占比, 同比, 合计,
    每万人, 分别, 新增/累计, English restatements), metrics suggested, tables as table blocks; all marked "TODO confirm"."""
    from ipfacts.curate.scaffold import UnknownSource, render, tables_of
    from ipfacts.curate.scaffold import scaffold as draft_facts

    cli_common.guard_output(output, root, new_only=True)
    base = load_or_exit(root)
    try:
        drafts = draft_facts(base, source)
    except UnknownSource:
        fail(f"unknown source {source!r}; known: {', '.join(sorted(base.sources))}")
    tables = tables_of(base, source)
    drafted = [d for d in drafts if d.problem is None]
    for draft in drafted:
        for relation, refs in draft.relations.items():
            _detail(f"{base.sources[source].file}:{draft.claim.line}: {draft.key}: "
                    f"{draft.confidence.get(relation, 'guessed')} {relation} "
                    f"{', '.join(refs)}")
    if not drafts and not tables:
        _note(f"every number of {source} ({base.sources[source].file}) is cited or ignored: nothing to draft")
        return
    text = render(base, source, drafts, tables)
    cli_common.emit(text, output, root, new_only=True)
    related = sum(1 for d in drafted if d.relations)
    stated = sum(1 for d in drafted for r in d.relations if d.confidence.get(r) == "stated")
    guessed = sum(len(d.relations) for d in drafted) - stated
    summary = f"drafted {len(drafted)} facts for {source}, {related} with a relation ({stated} stated, {guessed} guessed; " \
              "TODO confirm)"
    if tables:
        summary += f"; {len(tables)} table(s) of {sum(len(t.rows) for t in tables)} rows (tables:)"
    if len(drafted) < len(drafts):
        summary += f"; {len(drafts) - len(drafted)} number(s) could not be drafted (listed at the end)"
    _note(summary + (f": {output}" if output is not None else ""))


@app.command()
def metrics(
    root: Path = ROOT,
    format: str = typer.Option("text", "--format", "-f", help="text, json or csv."),
    unused: bool = typer.Option(False, "--unused", help="Only the metrics no fact uses yet."),
) -> None:
    """List the metric vocabulary (指标): key, zh, en, unit, kind and how many facts use each."""
    if format not in ("text", "json", "csv"):
        fail(f"unknown format {format!r}; choose one of text, json, csv")
    base = load_or_exit(root)
    used = Counter(f.metric for f in base.facts.values() if f.metric)
    rows = [{"key": m.key, "zh": m.zh, "en": m.en, "unit": m.unit, "kind": m.kind, "facts": used[m.key]}
            for m in base.metrics.values() if not unused or not used[m.key]]
    if format == "json":
        from ipfacts.render.safetext import json_for_terminal

        sys.stdout.write(json_for_terminal(json.dumps(rows, ensure_ascii=False, indent=2)) + "\n")
    elif format == "csv":
        from ipfacts.render.safetext import for_csv, for_terminal

        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=["key", "zh", "en", "unit", "kind", "facts"], lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: for_csv(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
        sys.stdout.write(for_terminal(out.getvalue()))
    else:
        from ipfacts.render.safetext import for_terminal

        sys.stdout.write(for_terminal(_table(rows)))
        if not settings.quiet:
            total = len(base.metrics)
            sys.stdout.write(f"{len(rows)} of {total} metrics" + (" unused" if unused else "") +
                             f"; {sum(used.values())} of {len(base.facts)} facts name a metric\n")


def _table(rows: list[dict[str, object]]) -> str:
    """Rows as aligned columns; Chinese characters count two cells wide."""
    from rich.cells import cell_len

    columns = ["key", "zh", "en", "unit", "kind", "facts"]
    cells = [[c for c in columns]] + [[str(r[c]) for c in columns] for r in rows]
    widths = [max(cell_len(line[i]) for line in cells) for i in range(len(columns))]
    out = []
    for line in cells:
        padded = [text + " " * (widths[i] - cell_len(text)) if i < len(columns) - 1 else text.rjust(widths[i])
                  for i, text in enumerate(line)]
        out.append("  ".join(padded).rstrip())
    return "\n".join(out) + "\n"
