"""`review`, `show` and `explain`: the editors' side of `check`.

`review` on a terminal walks the open findings and asks for a verdict on each; with a FINGERPRINT,
`--status` and `--note` it records one verdict without asking (for scripts). Whether to ask is decided
by `sys.stdin.isatty()`; the hidden `--interactive/--no-interactive` flag overrides that (tests feed
answers through a pipe with `--interactive`). Without a terminal and without arguments it stops with a
message instead of waiting for input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ipfacts.cli import app
from ipfacts.cli.common import ROOT, fail, fail_load

if TYPE_CHECKING:
    from ipfacts.findings import Finding, Report, ReviewedFinding
    from ipfacts.load.model import FactBase
    from ipfacts.review.verdicts import Review

EXTRA_STYLES = {"value": "bold reverse", "number": "bold", "warning": "yellow"}
ANSWERS = {"e": "explained", "s": "source-error", "f": "false-positive", "k": "skip", "q": "quit"}
CONTEXT = typer.Option(2, "--context", "-C", min=0, max=50, help="Lines of source shown around each cited line.")


def _load(root: Path) -> tuple[FactBase, Report]:
    from ipfacts.check.engine import check_root
    from ipfacts.infra.parsecache import ParseCache
    from ipfacts.load.loader import LoadFailed

    try:
        return check_root(root, cache=ParseCache.for_root(Path(root).resolve()))
    except LoadFailed as exc:
        fail_load(exc)


def _print(pieces: Any) -> None:
    from rich.text import Text

    from ipfacts.cli.check import STYLES
    from ipfacts.cli.common import console

    styles = {**STYLES, **EXTRA_STYLES}
    text = Text()
    for style, piece in pieces:
        text.append(piece, style=styles.get(style, "") if style else "")
    console().print(text, end="")
    sys.stdout.flush()


def _with_context(base: FactBase, finding: Finding, around: int, report: Report | None = None) -> ReviewedFinding:
    from dataclasses import replace

    from ipfacts.findings import ReviewedFinding
    from ipfacts.review.excerpts import as_data, excerpts

    shown = report.view(finding) if report is not None else ReviewedFinding(finding)
    return replace(shown, excerpts=as_data(excerpts(base, finding, around=around)))


def _by_fingerprint(report: Report) -> dict[str, Finding]:
    """The report's findings by fingerprint (the first of any with the same one)."""
    out: dict[str, Finding] = {}
    for finding in report.findings:
        out.setdefault(finding.fingerprint, finding)
    return out


def _resolve(prefix: str, candidates: dict[str, Any]) -> str:
    from ipfacts.review.verdicts import FingerprintError, resolve

    try:
        return resolve(prefix, candidates)
    except FingerprintError as exc:
        fail(str(exc))


def _status(value: str) -> str:
    from ipfacts.review.verdicts import STATUSES

    status = value.strip().lower().replace("_", "-")
    status = ANSWERS.get(status, status) if len(status) == 1 else status
    if status not in STATUSES:
        fail(f"unknown status {value!r}; choose one of {', '.join(STATUSES)}")
    return status


def _reviewer(root: Path, given: str | None, ask: bool) -> str:
    from ipfacts.review.verdicts import git_user

    name = (given or "").strip() or git_user(root)
    if name:
        return name
    if ask:
        return str(typer.prompt("Your name (for the record; `git config user.name` sets a default)")).strip()
    fail("who is reviewing? pass --reviewer NAME (or set `git config user.name`)")


def _open_to_review(report: Report, warnings: bool) -> tuple[list[Finding], int]:
    """The open findings to ask about (errors first, report order within), and how many are held back
    because a source they cite changed since it was hashed."""
    from ipfacts.review.verdicts import changed_sources, reviewable

    changed = changed_sources(report)
    seen: set[str] = set()
    out, held = [], 0
    for finding in report.open:
        if not reviewable(finding) or finding.fingerprint in seen or (finding.severity != "error" and not warnings):
            continue
        seen.add(finding.fingerprint)
        if {c.source for c in finding.citations} & changed:
            held += 1
        else:
            out.append(finding)
    return sorted(out, key=lambda f: f.severity != "error"), held


def _check_reviewable(finding: Finding, report: Report) -> None:
    from ipfacts.review.verdicts import UNREVIEWABLE, changed_sources, reviewable

    if not reviewable(finding):
        fail(f"{finding.code} cannot be reviewed: {UNREVIEWABLE.get(finding.code, 'fix the fact base')}")
    moved = sorted({c.source for c in finding.citations} & changed_sources(report))
    if moved:
        fail(f"source {', '.join(moved)} changed since it was hashed (C001): re-check the citation and update "
             "its sha256 in facts/sources.yaml before reviewing findings that cite it")


def _previous(finding: Finding, reviews: dict[str, Review], live: set[str]) -> Review | None:
    """The latest stale review of the same code and facts: what an editor decided before the numbers changed."""
    from ipfacts.review.verdicts import stale_of

    found = stale_of(finding.code, (f.id for f in finding.facts), reviews, live)
    return reviews[found[0]] if found else None


def _record(root: Path, finding: Finding, status: str, note: str, reviewer: str, live: set[str]) -> None:
    from ipfacts.load.loader import LoadFailed
    from ipfacts.review.verdicts import new_review, record

    try:
        review = new_review(finding, status, note, reviewer)
    except ValueError as exc:
        fail(str(exc))
    try:
        renewed = record(root, review, live)
    except LoadFailed as exc:
        fail_load(exc)
    except OSError as exc:
        fail(f"cannot write facts/reviews.yaml: {exc.strerror or exc}")
    extra = f" (renews {', '.join(renewed)})" if renewed else ""
    typer.echo(f"recorded {status} for {finding.code} {finding.name} {finding.fingerprint}{extra} by {review.reviewer}")


def _ask_status(allow_skip: bool) -> str:
    choices = "[e]xplained, [s]ource-error, [f]alse-positive" + (", [k] skip, [q]uit" if allow_skip else ", [q]uit")
    while True:
        answer = str(typer.prompt(f"Verdict — {choices}")).strip().lower()
        status = ANSWERS.get(answer, answer.replace("_", "-"))
        if status in ("explained", "source-error", "false-positive", "quit") or (allow_skip and status == "skip"):
            return status
        typer.echo(f"  please answer one of: {choices}")


def _ask_note(previous: Review | None) -> str:
    if previous is not None:
        note = typer.prompt("Note (why; Enter keeps the previous note)", default=previous.note, show_default=False)
    else:
        note = typer.prompt("Note (why)")
    return str(note).strip()


def _show_for_review(base: FactBase, finding: Finding, previous: Review | None, around: int,
                     position: str = "") -> None:
    from ipfacts.render.formats.detail import segments

    if position:
        _print([("heading", f"\n── {position} " + "─" * 40 + "\n")])
    _print(segments(_with_context(base, finding, around), hint=False))
    if previous is not None:
        _print([("detail", f"Reviewed before the numbers changed: {previous.status} by {previous.reviewer} on "
                           f"{previous.date} — {previous.note}\n")])


def _interactive_walk(root: Path, base: FactBase, report: Report, reviewer: str | None, warnings: bool,
                      around: int) -> None:
    from ipfacts.review.verdicts import load_reviews

    todo, held = _open_to_review(report, warnings)
    if held:
        typer.echo(f"{held} open finding(s) cite a source whose bytes changed since it was hashed (C001): re-check "
                   "their citations and update the sha256 in facts/sources.yaml before reviewing them.")
    if not todo:
        typer.echo("Nothing to review: no open finding" + ("" if warnings else " with an error") + ".")
        return
    reviews = load_reviews(root)
    live = set(_by_fingerprint(report))
    errors = sum(1 for f in todo if f.severity == "error")
    typer.echo(f"{len(todo)} open finding(s) to review ({errors} error(s)). For each: a verdict, then a note. "
               "Verdicts are saved as you go.")
    recorded = skipped = 0
    try:
        name = _reviewer(root, reviewer, ask=True)
        for number, finding in enumerate(todo, 1):
            previous = _previous(finding, reviews, live)
            _show_for_review(base, finding, previous, around, f"{number}/{len(todo)}")
            status = _ask_status(allow_skip=True)
            if status == "quit":
                break
            if status == "skip":
                skipped += 1
                continue
            note = _ask_note(previous)
            _record(root, finding, status, note, name, live)
            recorded += 1
    except typer.Abort:  # end of input (Ctrl-D): keep what was recorded
        typer.echo("")
    left = len(todo) - recorded
    typer.echo(f"{recorded} verdict(s) recorded in facts/reviews.yaml, {skipped} skipped; {left} finding(s) still open.")


@app.command()
def review(
    fingerprint: str | None = typer.Argument(
        None, help="The finding: its fingerprint, or any unique prefix of it. Without it (on a terminal): "
                   "walk the open findings one by one."),
    status: str | None = typer.Option(None, "--status", "-s",
                                      help="source-error, explained or false-positive (see docs/reviews.md)."),
    note: str | None = typer.Option(None, "--note", "-n", help="Why: what a colleague needs to know to agree."),
    reviewer: str | None = typer.Option(None, "--reviewer", "-r", help="Who decides [default: git config user.name]."),
    root: Path = ROOT,
    list_: bool = typer.Option(False, "--list", help="List the open findings with their fingerprints, then stop."),
    remove: bool = typer.Option(False, "--remove", help="Withdraw the review of FINGERPRINT: the finding is open again."),
    prune: bool = typer.Option(False, "--prune", help="Drop every stale review (one that matches no finding any more)."),
    warnings: bool = typer.Option(True, "--warnings/--errors-only", help="Interactive walk: include open warnings."),
    context: int = CONTEXT,
    interactive: bool | None = typer.Option(None, "--interactive/--no-interactive", hidden=True,
                                            help="Ask questions even without a terminal (tests), or never ask."),
) -> None:
    """Record editors' verdicts on findings in facts/reviews.yaml (interactively, or with flags for scripts)."""
    from ipfacts.review.verdicts import load_reviews
    from ipfacts.review.verdicts import remove as remove_reviews

    ask = sys.stdin.isatty() if interactive is None else interactive
    if sum((list_, remove, prune)) > 1:
        fail("--list, --remove and --prune go one at a time")
    base, report = _load(root)
    if list_:
        _list(report)
        return
    if prune:
        stale = sorted({f.details["review"] for f in report.findings if f.code == "V001" and "changes" in f.details})
        gone = remove_reviews(root, stale) if stale else []
        typer.echo(f"pruned {len(gone)} stale review(s)" + (f": {', '.join(gone)}" if gone else ""))
        return
    if remove:
        if not fingerprint:
            fail("--remove needs the FINGERPRINT of the review to withdraw")
        chosen = _resolve(fingerprint, load_reviews(root))
        remove_reviews(root, [chosen])
        typer.echo(f"withdrew review {chosen}; its finding is open again")
        return
    live = set(_by_fingerprint(report))
    if fingerprint is None:
        if status or note:
            fail("which finding? give its FINGERPRINT (`ipfacts review --list` shows them) before --status/--note")
        if not ask:
            fail("`ipfacts review` asks questions, and there is no terminal to ask on. For scripts: "
                 "ipfacts review FINGERPRINT --status STATUS --note NOTE [--reviewer NAME] "
                 "(`ipfacts review --list` shows the fingerprints)")
        _interactive_walk(root, base, report, reviewer, warnings, context)
        return
    findings = _by_fingerprint(report)
    chosen = _resolve(fingerprint, findings)
    finding = findings[chosen]
    _check_reviewable(finding, report)
    if status is not None and note is not None:
        _record(root, finding, _status(status), note, _reviewer(root, reviewer, ask), live)
        return
    if not ask:
        missing = " and ".join(n for n, v in (("--status", status), ("--note", note)) if v is None)
        fail(f"without a terminal, {missing} must be given (statuses: explained, source-error, false-positive)")
    _ask_one(root, base, report, finding, status, note, reviewer, live, context)


def _ask_one(root: Path, base: FactBase, report: Report, finding: Finding, status: str | None, note: str | None,
             reviewer: str | None, live: set[str], around: int) -> None:
    from ipfacts.review.verdicts import load_reviews

    previous = _previous(finding, load_reviews(root), live)
    _show_for_review(base, finding, previous, around)
    try:
        name = _reviewer(root, reviewer, ask=True)
        chosen = _status(status) if status else _ask_status(allow_skip=False)
        if chosen == "quit":
            typer.echo("nothing recorded")
            return
        text = note if note is not None else _ask_note(previous)
    except typer.Abort:
        typer.echo("\nnothing recorded")
        raise typer.Exit(1) from None
    _record(root, finding, chosen, text, name, live)


def _list(report: Report) -> None:
    from ipfacts.review.verdicts import reviewable

    shown = 0
    for finding in _by_fingerprint(report).values():
        if report.review_of(finding) is not None or not reviewable(finding):
            continue
        shown += 1
        typer.echo(f"{finding.fingerprint}  {finding.severity:7}  {finding.code} {finding.name}  "
                   f"{finding.location}: {finding.message}")
    reviewed = len({f.fingerprint for f in report.reviewed})
    typer.echo(f"{shown} open finding(s) to review, {reviewed} reviewed")


def _show(fingerprint: str, root: Path, around: int) -> None:
    from ipfacts.render.formats.detail import segments
    from ipfacts.review.verdicts import load_reviews

    base, report = _load(root)
    candidates = _by_fingerprint(report)
    stale = {f.details["review"]: f for f in report.findings if f.code == "V001" and f.details.get("review")}
    chosen = _resolve(fingerprint, {**stale, **candidates})
    finding = candidates.get(chosen) or stale[chosen]
    _print(segments(_with_context(base, finding, around, report)))
    if chosen in stale and chosen not in candidates:
        recorded = load_reviews(root)[chosen]
        lines = [f"\nRecorded review {chosen} ({recorded.where}): {recorded.status} by {recorded.reviewer} on "
                 f"{recorded.date}\n", f"  {recorded.note}\n"]
        if recorded.message:
            lines.append(f"  finding then: {recorded.code} {recorded.message}\n")
        lines += [f"  {fact_id} was {value}\n" for fact_id, value in sorted(recorded.facts.items())]
        _print(("", line) for line in lines)


@app.command()
def show(
    fingerprint: str = typer.Argument(..., help="The finding: its fingerprint, or any unique prefix of it."),
    root: Path = ROOT,
    context: int = CONTEXT,
) -> None:
    """Show one finding in full: its facts, recomputation, cited source lines and review (to paste to a colleague)."""
    _show(fingerprint, root, context)


@app.command()
def explain(
    fingerprint: str = typer.Argument(..., help="The finding: its fingerprint, or any unique prefix of it."),
    root: Path = ROOT,
    context: int = CONTEXT,
) -> None:
    """Same as `show`: one finding in full, with the source lines it cites and its review."""
    _show(fingerprint, root, context)
