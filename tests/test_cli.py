"""The command line as a whole: help, version, codes, docs in step with the code."""

from __future__ import annotations

import re
import subprocess
import sys

from typer.testing import CliRunner

from ipfacts import __version__
from ipfacts.cli import app
from ipfacts.findings.codes import CODES, markdown_table

from conftest import REPO

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"ipfacts {__version__}\n"


def test_every_command_has_help_text() -> None:
    import typer.main

    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert {"check", "coverage", "locate", "codes"} <= set(commands)
    for name, command in commands.items():
        assert command.help and len(command.help) > 20, f"{name} has no help text"
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output


def test_codes_explains_one_and_refuses_unknown() -> None:
    result = runner.invoke(app, ["codes", "r101"])
    assert result.exit_code == 0 and result.output.startswith("R101 share-mismatch (error)")
    result = runner.invoke(app, ["codes", "X999"])
    assert result.exit_code == 2 and "no finding code 'X999'" in result.output


def test_docs_list_every_finding_code() -> None:
    text = (REPO / "docs" / "findings.md").read_text(encoding="utf-8")
    assert markdown_table() in text, "docs/findings.md is stale: regenerate with `ipfacts codes --markdown`"
    assert all(f"`{code}`" in text for code in CODES)


def test_internal_errors_never_show_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "sources.yaml").write_text("{}", encoding="utf-8")
    (facts / "metrics.yaml").write_text("{}", encoding="utf-8")
    out = tmp_path / "dir-as-file"
    out.mkdir()
    result = subprocess.run([sys.executable, "-m", "ipfacts", "check", "--root", str(tmp_path), "--format", "json",
                             "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "cannot write" in result.stderr


def _run_with_terminal_stderr(args: list[str], cwd: str) -> tuple[int, str]:
    import os
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "ipfacts", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=follower, stdin=subprocess.DEVNULL, env={**os.environ, "TERM": "xterm"})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_on_a_terminal_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, seen = _run_with_terminal_stderr(["check", "--no-cache", "--format", "json", "-o", str(tmp_path / "f.json")],
                                           str(REPO))
    assert code in (0, 1)
    # the status line is shown (which steps it caught depends on how fast they passed) and cleared again
    assert re.search(r"ipfacts check(: (reading the fact files|checking the citations and relations of 991 facts)…)?",
                     seen)
    assert seen.rstrip().endswith("\x1b[2K")
    piped = subprocess.run([sys.executable, "-m", "ipfacts", "check", "--no-cache", "--format", "json"], cwd=REPO,
                           capture_output=True, text=True)
    assert "ipfacts check:" not in piped.stderr
