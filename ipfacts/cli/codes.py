from __future__ import annotations

import typer

from ipfacts.cli import app
from ipfacts.cli.common import fail


@app.command()
def codes(
    code: str = typer.Argument(None, help="One code (R101) or name (share-mismatch) to explain."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the catalogue as a Markdown table (docs/findings.md)."),
) -> None:
    """List the finding codes, or explain one."""
    from ipfacts.findings.codes import CODES, markdown_table
    from ipfacts.findings.codes import code as lookup

    if markdown:
        typer.echo(markdown_table(), nl=False)
        return
    if code:
        try:
            found = lookup(code.upper() if code[:1].isalpha() and code[1:].isdigit() else code)
        except KeyError:
            fail(f"no finding code {code!r}; `ipfacts codes` lists them")
        typer.echo(f"{found.code} {found.name} ({found.severity})\n{found.title}.\n{found.explanation}".rstrip())
        return
    for item in CODES.values():
        typer.echo(f"{item.code}  {item.name:24} {item.severity:8} {item.title}")
