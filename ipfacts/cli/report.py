from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ipfacts.cli import app
from ipfacts.cli.common import OUTPUT, ROOT, emit, fail, fail_load, guard_output
from ipfacts.infra.safefiles import real_path

if TYPE_CHECKING:
    from ipfacts.render.brief.assemble import BriefContext
    from ipfacts.render.brief.render import TemplateChoice

SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".json": "json",
                  ".csv": "csv"}
FORMATS = tuple(dict.fromkeys(SUFFIX_FORMATS.values()))  # md, html, pdf, json, csv


@app.command()
def report(
    city: str = typer.Option(None, "--city", help="The city to write the brief about (湖州, 宁波市, Ningbo, ningbo)."),
    every: bool = typer.Option(False, "--all", help="One brief per city of the base, written into the folder -o DIR "
                               "(named by city: huzhou.md …; --format chooses the format, default md)."),
    peers: str = typer.Option(None, "--peers", help="Comma-separated regions to compare with, or group:NAME for a "
                              "group of facts/regions.yaml, or all: every city of the base (default: the other "
                              "cities of the city's province — every city when it has fewer than three — with "
                              "the province and the nation as context)."),
    period: str = typer.Option(None, "--period", help="The period (year) of the city's figures (default: its latest)."),
    format: str = typer.Option(None, "--format", "-f", help="md, html, pdf, json or csv (default: from the -o "
                               "suffix, else md)."),
    output: Path = OUTPUT,
    template: Path = typer.Option(None, "--template", help="A Jinja2 template to use instead of the shipped one "
                                  "(copy templates/brief.md.j2 or brief.html.j2; see docs/templates.md)."),
    lang: str = typer.Option("zh", "--lang", help="zh or en: the language of the brief."),
    root: Path = ROOT,
) -> None:
    """Write a comparison brief: a city beside its peers, like for like, every figure cited to its source line."""
    from ipfacts.load.loader import LoadFailed
    from ipfacts.render.brief.errors import BriefError, RenderError

    if every == (city is not None):
        fail("name one city with --city, or write every city's brief with --all -o DIR")
    if every:
        if output is None:
            fail("--all needs a folder to write into: --all -o briefs/")
        if output.exists() and not output.is_dir():
            fail(f"{output} is not a folder; --all writes one brief per city into a folder")
        if period is not None:
            fail("--period names one city's year; with --all each city's brief is of its own latest year")
    if format is not None:
        fmt = format
    elif output is not None and not every:
        found = SUFFIX_FORMATS.get(output.suffix.lower())
        if found is None:
            fail(f"{output}: unknown suffix {output.suffix or '(none)'!r}; a brief is written as "
                 f"{', '.join(SUFFIX_FORMATS)} (or choose one with --format {'|'.join(FORMATS)})")
        fmt = found
    else:
        fmt = "md"
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "pdf" and output is None:
        fail("--format pdf needs an output file: -o brief.pdf")
    if lang not in ("zh", "en"):
        fail(f"unknown language {lang!r}; use zh or en")
    peer_list = [p.strip() for p in peers.replace("，", ",").split(",") if p.strip()] if peers else None
    if every:
        assert output is not None
        _write_every(output, fmt, peer_list, template, lang, root)
        return
    assert city is not None
    if output is not None and template is not None and real_path(output) == real_path(template):
        fail(f"cannot write {output}: it is the template itself")
    guard_output(output, root)

    def build() -> tuple[BriefContext, TemplateChoice | None]:
        from ipfacts.load.loader import LoadFailed
        from ipfacts.render.brief.assemble import assemble
        from ipfacts.render.brief.extract import brief_inputs
        from ipfacts.render.brief.render import choose_template

        try:
            base, checked, regions = brief_inputs(root)
        except LoadFailed as exc:
            fail_load(exc)
        choice = choose_template(fmt, root, template) if fmt in ("md", "html", "pdf") else None
        brief = assemble(base, checked, city.strip(), peer_list, period, lang, regions=regions)
        _say_left_out(brief)
        return brief, choice

    try:
        if fmt == "pdf":
            _write_pdf(build, output, root)
        else:
            brief, choice = build()
            _write(brief, choice, fmt, output, root)
    except (BriefError, RenderError) as exc:
        fail(str(exc))
    except LoadFailed as exc:  # reviews.yaml, read after the fact base
        fail_load(exc)
    except ValueError as exc:  # facts/regions.yaml: "path:line: message"
        from ipfacts.render.brief.regions import RegionsFileError

        if isinstance(exc, RegionsFileError):
            fail(str(exc))
        raise


def _write_every(folder: Path, fmt: str, peer_list: list[str] | None, template: Path | None, lang: str,
                 root: Path) -> None:
    """`report --all -o DIR`: one brief per city of the base, each as `report --city` would write it."""
    from ipfacts.load.loader import LoadFailed
    from ipfacts.render.brief.assemble import assemble, known_cities, latest_period
    from ipfacts.render.brief.errors import BriefError, RenderError
    from ipfacts.render.brief.extract import brief_inputs
    from ipfacts.render.brief.places import english_name
    from ipfacts.render.brief.render import choose_template

    try:
        base, checked, regions = brief_inputs(root)
    except LoadFailed as exc:
        fail_load(exc)
    cities = [c for c in regions.cities if latest_period(base, c)] if regions.cities else known_cities(base)
    if not cities:
        fail("the fact base has no city with figures; nothing to write")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create the folder {folder}: {exc.strerror or exc}")
    suffix = {"md": ".md", "html": ".html", "pdf": ".pdf", "json": ".json", "csv": ".csv"}[fmt]
    for name in cities:
        slug = english_name(name).lower().replace(" ", "-").replace("'", "")
        output = folder / f"{slug}{suffix}"
        guard_output(output, root)
        try:
            choice = choose_template(fmt, root, template) if fmt in ("md", "html", "pdf") else None

            def build(name: str = name, choice: TemplateChoice | None = choice) -> tuple[BriefContext,
                                                                                            TemplateChoice | None]:
                brief = assemble(base, checked, name, peer_list, None, lang, regions=regions)
                _say_left_out(brief)
                return brief, choice

            if fmt == "pdf":
                _write_pdf(build, output, root)
            else:
                brief, _ = build()
                _write(brief, choice, fmt, output, root)
        except (BriefError, RenderError) as exc:
            fail(f"{name}: {exc}")


def _say_left_out(brief: BriefContext) -> None:
    """A figure whose citation is not verified (an open C004 …) is never printed: say which, and why."""
    for item in brief.left_out:
        sys.stderr.write(f"ipfacts: left out of the brief: {item.file}:{item.line}: {item.value} — {item.code}: "
                         f"{item.message} (run `ipfacts check`)\n")


def _wrote(path: Path, what: str) -> None:
    sys.stderr.write(f"ipfacts: wrote {path} ({what})\n")


def _write(brief: BriefContext, choice: TemplateChoice | None, fmt: str, output: Path | None,
           root: Path) -> None:
    from ipfacts.infra.outputs import OutputRefused, write_output
    from ipfacts.render.brief.render import render_html, render_markdown

    if fmt == "json":
        from ipfacts.render.brief.tojson import render_json

        emit(render_json(brief), output, root)
        if output:
            _wrote(output, f"JSON, {len(brief.rows)} indicators")
        return
    if fmt == "csv":
        from ipfacts.render.brief.tojson import render_csv

        text = render_csv(brief)
        emit(("\ufeff" + text) if output else text, output, root)  # a file gets a BOM: Excel reads it as UTF-8
        if output:
            _wrote(output, f"CSV, {text.count(chr(10)) - 1} rows")
        return
    assert choice is not None
    if fmt == "md":
        rendered = render_markdown(brief, choice, output.stem if output else None)
        try:
            for name, svg in rendered.charts.items():
                assert output is not None
                write_output(output.parent / name, svg, root)
        except OutputRefused as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write a chart beside {output}: {exc.strerror or exc}")
        emit(rendered.text, output, root)
        if output:
            charts = f", {len(rendered.charts)} charts beside it" if rendered.charts else ""
            _wrote(output, f"Markdown{charts}")
        elif brief.charts:
            sys.stderr.write(f"ipfacts: {len(brief.charts)} charts left out of Markdown on standard output; "
                             "write with -o brief.md to get them beside it\n")
    else:
        emit(render_html(brief, choice), output, root)
        if output:
            _wrote(output, f"HTML, {len(brief.charts)} charts")


def _write_pdf(build: Callable[[], tuple[BriefContext, TemplateChoice | None]], output: Path,
               root: Path) -> None:
    """The brief's HTML, then its PDF."""
    from ipfacts.render.brief.pdf import render_pdf
    from ipfacts.render.brief.render import print_job

    brief, choice = build()
    assert choice is not None
    result = render_pdf(print_job(brief, choice, real_path(output).parent))
    for url in result.blocked:
        sys.stderr.write(f"ipfacts: warning: the template asked for {url}; not fetched (only files under the "
                         "template's own folders are read)\n")
    if result.attachments_dropped:
        sys.stderr.write(f"ipfacts: warning: {result.attachments_dropped} attachment(s) the template asked for were "
                         "left out of the PDF (only the shipped template may attach files)\n")

    emit(result.data, output, root)
    _wrote(output, f"PDF, {result.pages} pages")
