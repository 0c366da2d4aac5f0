"""`ipfacts add-source FILE --id ID`: a published document (PDF, HTML, Markdown, text) into the base."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ipfacts.cli import app, settings
from ipfacts.cli.common import ROOT, fail

ASKED = (("title", "Title as published"), ("region", "Region it reports on (湖州, 浙江省)"),
         ("period", "Period (2024, 2024-06, 2024-01/10)"))


@app.command("add-source")
def add_source(
    document: str = typer.Argument(..., help="The document: a PDF, an HTML page, Markdown or text; or an http(s) "
                                   "URL, fetched (its url and the date it was retrieved are recorded)."),
    source_id: str | None = typer.Option(None, "--id", help="The new source id (hangzhou-2024); seeds/ID.txt is "
                                         "written. Required: asked for on a terminal."),
    title: str | None = typer.Option(None, "--title", help="The document's title as published."),
    region: str | None = typer.Option(None, "--region", help="The region it reports on (default of its facts)."),
    period: str | None = typer.Option(None, "--period", help="The period: 2024, 2024-06, 2024-01/10, 2024-Q3."),
    lang: str | None = typer.Option(None, "--lang", help="zh, en or zh+en (default: guessed from the text)."),
    url: str | None = typer.Option(None, "--url", help="Where it was published."),
    root: Path = ROOT,
    interactive: bool | None = typer.Option(None, "--interactive/--no-interactive", hidden=True),
) -> None:
    """Add a document to the fact base: its text (tables one row a line; a PDF's columns in reading order) as
    seeds/ID.txt and its entry, with the sha256, added to facts/sources.yaml. Never writes over either; then run
    `ipfacts scaffold ID`."""
    from ipfacts.curate.addsource import AddSourceError, Entry
    from ipfacts.curate.addsource import add_source as add
    from ipfacts.curate.fetch import is_url
    from ipfacts.render.safetext import for_terminal

    ask = sys.stdin.isatty() if interactive is None else interactive
    if not is_url(document) and not Path(document).is_file():
        fail(f"{document}: no such file" + (" (a URL starts with http:// or https://)" if "://" in document else ""))
    if source_id is None:
        if not ask:
            fail("--id is required (the new source's id, such as hangzhou-2024)")
        source_id = str(typer.prompt("Source id (hangzhou-2024)")).strip()
    values = {"title": title, "region": region, "period": period}
    if ask:
        for name, question in ASKED:
            if values[name] is None:
                answer = str(typer.prompt(f"{question}; Enter to leave out", default="", show_default=False)).strip()
                values[name] = answer or None
    entry = Entry(source_id, title=values["title"], region=values["region"], period=values["period"],
                  lang=lang, url=url)
    try:
        added = add(root, document if is_url(document) else Path(document), entry)
    except AddSourceError as exc:
        fail(f"{exc.code} {exc}")
    if not settings.quiet:
        pages = f", {len(added.pages)} pages" if added.pages else ""
        fetched = f"fetched {added.url}; " if added.url and is_url(document) else ""
        sys.stderr.write(f"{fetched}wrote {added.seed} ({added.lines} lines{pages}, lang {added.lang}) and added "
                         f"{source_id!r} to {root / 'facts' / 'sources.yaml'}\n")
        if added.ignored:
            sys.stderr.write(f"left out {len(added.ignored)} running header/footer line(s) and page number(s):\n")
            for page, line in added.ignored[:20]:
                sys.stderr.write(f"  p. {page}: {for_terminal(line)}\n")
            if len(added.ignored) > 20:
                sys.stderr.write(f"  … and {len(added.ignored) - 20} more\n")
        if added.textless_pages:
            shown = ", ".join(str(n) for n in added.textless_pages[:30]) + (" …" if len(added.textless_pages) > 30 else "")
            sys.stderr.write(f"no text on page(s) {shown}: blank, or scanned (an image needs OCR; its figures are "
                             "not in the seed)\n")
        sys.stderr.write(f"next: ipfacts scaffold {source_id} -o {root / 'facts' / (source_id + '.yaml')}\n")
