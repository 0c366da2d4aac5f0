"""`review`, `show` and `explain`: the editors' side of `check`. Prompts and prints only: every rule
(reviewable, held back, previous verdict, conflicts, stale, prune) is asked of `ipfacts.review`.

`review` on a terminal walks the open findings and asks for a verdict on each; with a FINGERPRINT,
`--status` and `--note` it records one verdict without asking (for scripts). Whether to ask is decided
by `sys.stdin.isatty()`; the hidden `--interactive/--no-interactive` flag overrides that (tests feed
answers through a pipe with `--interactive`). Without a terminal and without arguments it stops with a
message instead of waiting for input. Ctrl-C stops with exit status 130 (what was recorded stays).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from ipfacts.cli import app
from ipfacts.cli.check import STYLES
from ipfacts.cli.common import ROOT, console, fail, fail_load
from ipfacts.infra.safefiles import real_path
from ipfacts.render.safetext import for_terminal

if TYPE_CHECKING:
    from ipfacts.findings import Finding, Report, ReviewedFinding
    from ipfacts.load.model import FactBase
    from ipfacts.review.verdicts import Entry, Verdict

EXTRA_STYLES = {"value": "bold reverse", "number": "bold", "warning": "yellow"}
ANSWERS = {"e": "explained", "s": "source-error", "f": "false-positive", "k": "skip", "q": "quit", "b": "back"}
CONTEXT = typer.Option(2, "--context", "-C", min=0, max=50, help="Lines of source shown around each cited line.")
INTERRUPTED = 130


class _Interrupted(Exception):
    """Ctrl-C at a prompt (the prompt turns it into an Abort, like end of input: tell them apart)."""


def _prompt(text: str, **kwargs: Any) -> str:
    try:
        return str(typer.prompt(text, **kwargs))
    except typer.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise _Interrupted from None
        raise


def _interrupted() -> NoReturn:
    sys.stderr.write("\ninterrupted: verdicts already recorded are kept\n")
    raise typer.Exit(INTERRUPTED)


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While a review runs, SIGTERM ends it through the normal exit path, so temporary files are removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _load(root: Path) -> tuple[FactBase, Report]:
    from ipfacts.load.loader import LoadFailed
    from ipfacts.load.runfiles import RunFiles
    from ipfacts.review.checked import check_root

    try:
        return check_root(root, files=RunFiles.for_root(real_path(root)))
    except LoadFailed as exc:
        fail_load(exc)


def _entries(root: Path) -> dict[str, Entry]:
    from ipfacts.load.loader import LoadFailed
    from ipfacts.review.verdicts import load_reviews

    try:
        return load_reviews(root)
    except LoadFailed as exc:
        fail_load(exc)


def _print(pieces: Any) -> None:
    from rich.text import Text

    styles = {**STYLES, **EXTRA_STYLES}
    text = Text()
    for style, piece in pieces:
        text.append(for_terminal(piece), style=styles.get(style, "") if style else "")
    console().print(text, end="")
    sys.stdout.flush()


def _with_context(base: FactBase, finding: Finding, around: int, report: Report | None = None) -> ReviewedFinding:
    from dataclasses import replace

    from ipfacts.findings import ReviewedFinding
    from ipfacts.review.excerpts import as_data, excerpts

    shown = report.view(finding) if report is not None else ReviewedFinding(finding)
    return replace(shown, excerpts=as_data(excerpts(base, finding, around=around)))


def _resolve(prefix: str, candidates: Any, writing: bool = False, what: str = "finding") -> str:
    from ipfacts.review.verdicts import FingerprintError, resolve

    try:
        return resolve(prefix, candidates, writing=writing, what=what)
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
    """Who records: --reviewer, IPFACTS_REVIEWER or git's user.name; on a terminal shown and confirmed."""
    from ipfacts.review.verdicts import default_reviewer

    found = default_reviewer(root, given)
    if not ask:
        if found is None:
            fail("who is reviewing? pass --reviewer NAME, set IPFACTS_REVIEWER, or set `git config user.name`")
        return found[0]
    if found is None:
        name = _prompt("Your name, for the record (--reviewer, IPFACTS_REVIEWER or `git config user.name` set a default)")
    else:
        name = _prompt(f"Verdicts will be recorded as {found[0]!r} (from {found[1]}). Enter to confirm, or type "
                       "another name", default=found[0], show_default=False)
    name = name.strip()
    if not name:
        fail("a review needs a reviewer")
    return name


def _verdict_text(verdict: Verdict) -> str:
    return f"{verdict.status} by {verdict.reviewer} on {verdict.at} — {verdict.note}"


def _record(root: Path, finding: Finding, report: Report, status: str, note: str, reviewer: str,
            expected_version: str | None, force: bool = False) -> Verdict | None:
    """Record one verdict; None when it was refused because another editor changed it (both shown)."""
    from ipfacts.load.loader import LoadFailed
    from ipfacts.review.rules import unique
    from ipfacts.review.verdicts import NotReviewable, VerdictConflict, record, renewals

    live = set(unique(report.findings))
    try:
        renewed = renewals(root, finding, live)
        verdict = record(root, finding, status=status, note=note, reviewer=reviewer,
                         expected_version=expected_version, force=force, live=live, report=report)
    except (ValueError, NotReviewable) as exc:
        fail(str(exc))
    except VerdictConflict as exc:
        if not exc.changed:
            fail(str(exc))
        typer.echo(f"Not saved: the verdict on {finding.fingerprint} changed since it was shown (another editor).")
        now = _verdict_text(exc.current) if exc.current else "no verdict (withdrawn)"
        typer.echo(for_terminal(f"  now recorded: {now}"))
        typer.echo(for_terminal(f"  yours:        {_verdict_text(exc.proposed)}"))
        return None
    except LoadFailed as exc:
        fail_load(exc)
    except OSError as exc:
        fail(f"cannot write facts/reviews.yaml: {exc.strerror or exc}")
    extra = f" (renews {', '.join(renewed)})" if renewed else ""
    typer.echo(for_terminal(f"recorded {status} for {finding.code} {finding.name} {finding.fingerprint}{extra} "
                            f"by {verdict.reviewer}"))
    return verdict


def _ask_status(allow_skip: bool, allow_back: bool = False) -> str:
    choices = "[e]xplained, [s]ource-error, [f]alse-positive" + (", [k] skip" if allow_skip else "") + \
        (", [b]ack" if allow_back else "") + ", [q]uit"
    while True:
        answer = _prompt(f"Verdict — {choices}").strip().lower()
        status = ANSWERS.get(answer, answer.replace("_", "-"))
        if status in ("explained", "source-error", "false-positive", "quit") or (allow_skip and status == "skip") \
                or (allow_back and status == "back"):
            return status
        typer.echo(f"  please answer one of: {choices}")


def _ask_note(previous: Verdict | None) -> str:
    from ipfacts.review.verdicts import MAX_NOTE

    while True:
        if previous is not None:
            note = _prompt("Note (why; Enter keeps the previous note)", default=previous.note, show_default=False)
        else:
            note = _prompt("Note (why)")
        if len(note.strip()) <= MAX_NOTE:
            return note.strip()
        typer.echo(f"  L026: the note is {len(note.strip()):,} characters long; at most {MAX_NOTE:,} are stored: "
                   "say why in a few sentences")


def _show_for_review(base: FactBase, finding: Finding, previous: Verdict | None, now: Verdict | None,
                     around: int, position: str = "", report: Report | None = None) -> None:
    from ipfacts.render.formats.detail import segments

    if position:
        _print([("heading", f"\n── {position} " + "─" * 40 + "\n")])
    _print(segments(_with_context(base, finding, around), hint=False))
    if now is not None and (report is None or report.review_of(finding) is None):
        _print([("detail", f"Recorded verdict: {_verdict_text(now)}\n")])
    if previous is not None:
        _print([("detail", f"Reviewed before the numbers changed: {previous.status} by {previous.reviewer} on "
                           f"{previous.at} — {previous.note}\n")])


def _previous(finding: Finding, entries: dict[str, Entry], live: set[str]) -> Verdict | None:
    from ipfacts.review.rules import previous_entry

    entry = previous_entry(finding, entries, live)
    return entry.current() if entry else None


def _interactive_walk(root: Path, base: FactBase, report: Report, reviewer: str | None, warnings: bool,
                      around: int) -> None:
    from ipfacts.review.rules import MUST_FIX, Holds, reviewable, to_review, unique

    todo, held = to_review(report, warnings)
    must_fix = sorted({f.code for f in report.open if not reviewable(f) and f.code != "V001"})
    if must_fix:
        count = sum(1 for f in unique(report.open).values() if f.code in must_fix)
        typer.echo(f"{count} open finding(s) ({', '.join(must_fix)}) cannot be reviewed: {MUST_FIX} "
                   "(`ipfacts check` lists them).")
    if held:
        holds = Holds(report)
        typer.echo(f"{len(held)} open finding(s) cannot be reviewed yet:")
        for finding in held:
            typer.echo(for_terminal(f"  {finding.fingerprint}  {finding.code} {finding.name}: {holds.why(finding)}"))
    if not todo:
        typer.echo("Nothing to review: no open finding" + ("" if warnings else " with an error") + ".")
        return
    live = set(unique(report.findings))
    errors = sum(1 for f in todo if f.severity == "error")
    typer.echo(f"{len(todo)} open finding(s) to review ({errors} error(s)). For each: a verdict, then a note "
               "(b goes back). Verdicts are saved as you go.")
    done: set[str] = set()
    skipped: set[str] = set()
    position = 0
    try:
        name = _reviewer(root, reviewer, ask=True)
        while position < len(todo):
            finding = todo[position]
            entries = _entries(root)
            entry = entries.get(finding.fingerprint)
            shown = entry.version() if entry else ""
            _show_for_review(base, finding, _previous(finding, entries, live), entry.current() if entry else None,
                             around, f"{position + 1}/{len(todo)}", report)
            status = _ask_status(allow_skip=True, allow_back=position > 0)
            if status == "quit":
                break
            if status == "back":
                position -= 1
                continue
            if status == "skip":
                skipped.add(finding.fingerprint)
                position += 1
                continue
            note = _ask_note(_previous(finding, entries, live) or (entry.current() if entry else None))
            if _record(root, finding, report, status, note, name, expected_version=shown) is None:
                continue  # shown again, with the other editor's verdict: decide again
            done.add(finding.fingerprint)
            skipped.discard(finding.fingerprint)
            position += 1
    except typer.Abort:  # end of input (Ctrl-D): keep what was recorded
        typer.echo("")
    except _Interrupted:
        _summary(todo, done, skipped)
        _interrupted()
    _summary(todo, done, skipped)


def _summary(todo: list[Finding], done: set[str], skipped: set[str]) -> None:
    left = len(todo) - len(done)
    typer.echo(f"{len(done)} verdict(s) recorded in facts/reviews.yaml, {len(skipped)} skipped; "
               f"{left} finding(s) still open.")


@app.command()
def review(
    fingerprint: str | None = typer.Argument(
        None, help="The finding: its fingerprint, or a unique prefix of it (at least 8 digits to record). "
                   "Without it (on a terminal): walk the open findings one by one."),
    status: str | None = typer.Option(None, "--status", "-s",
                                      help="source-error, explained or false-positive (see docs/reviews.md). "
                                           "With --list: show only open, reviewed, stale, held, or one verdict status."),
    note: str | None = typer.Option(None, "--note", "-n", help="Why: what a colleague needs to know to agree."),
    reviewer: str | None = typer.Option(
        None, "--reviewer", "-r",
        help="Who decides [default: $IPFACTS_REVIEWER, else git config user.name]. With --list: a filter."),
    root: Path = ROOT,
    list_: bool = typer.Option(False, "--list", help="List open, reviewed and stale findings with their fingerprints."),
    source: str | None = typer.Option(None, "--source", help="With --list: only findings citing this source id."),
    history_: bool = typer.Option(False, "--history", help="Show every verdict recorded on FINGERPRINT, oldest first."),
    undo_: bool = typer.Option(False, "--undo", help="Take back the latest verdict on FINGERPRINT (recorded too)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing verdict (the old one stays in the history)."),
    remove: bool = typer.Option(False, "--remove", help="Withdraw the verdict on FINGERPRINT: the finding is open again."),
    prune: bool = typer.Option(False, "--prune", help="Drop every stale review (one that matches no finding any more)."),
    warnings: bool = typer.Option(True, "--warnings/--errors-only", help="Interactive walk: include open warnings."),
    context: int = CONTEXT,
    interactive: bool | None = typer.Option(None, "--interactive/--no-interactive", hidden=True,
                                            help="Ask questions even without a terminal (tests), or never ask."),
) -> None:
    """Record editors' verdicts on findings in facts/reviews.yaml (interactively, or with flags for scripts)."""
    from ipfacts.review.verdicts import repairing

    with _terminate_cleanly(), repairing():  # `review` reads (and so can repair) a file over check's bound
        _review(fingerprint, status, note, reviewer, root, list_, source, history_, undo_, force, remove, prune,
                warnings, context, interactive)


def _review(fingerprint: str | None, status: str | None, note: str | None, reviewer: str | None, root: Path,
            list_: bool, source: str | None, history_: bool, undo_: bool, force: bool, remove: bool, prune: bool,
            warnings: bool, context: int, interactive: bool | None) -> None:
    ask = sys.stdin.isatty() if interactive is None else interactive
    if sum((list_, remove, prune, history_, undo_)) > 1:
        fail("--list, --history, --undo, --remove and --prune go one at a time")
    if history_ or undo_ or remove:
        if not fingerprint:
            fail(f"--{'history' if history_ else 'undo' if undo_ else 'remove'} needs the FINGERPRINT of a review")
        if history_:
            _history(root, fingerprint)
        else:
            _take_back(root, fingerprint, reviewer, undo_)
        return
    if list_ and status is not None:
        from ipfacts.review.rules import STATES
        from ipfacts.review.verdicts import STATUSES

        if status not in (*STATES, *STATUSES):
            fail(f"--status {status!r} with --list: one of {', '.join((*STATES, *STATUSES))}")
    base, report = _load(root)
    if list_:
        _list(root, report, source, status, reviewer)
        return
    if prune:
        from ipfacts.review.rules import prunable
        from ipfacts.review.verdicts import prune as prune_entries

        stale = prunable(report)
        gone = prune_entries(root, stale) if stale else []
        typer.echo(f"pruned {len(gone)} stale review(s)" + (f": {', '.join(gone)}" if gone else ""))
        return
    if fingerprint is None:
        if status or note:
            fail("which finding? give its FINGERPRINT (`ipfacts review --list` shows them) before --status/--note")
        if not ask:
            fail("`ipfacts review` asks questions, and there is no terminal to ask on. For scripts: "
                 "ipfacts review FINGERPRINT --status STATUS --note NOTE [--reviewer NAME] "
                 "(`ipfacts review --list` shows the fingerprints)")
        _interactive_walk(root, base, report, reviewer, warnings, context)
        return
    _one(root, base, report, fingerprint, status, note, reviewer, force, ask, context)


def _one(root: Path, base: FactBase, report: Report, fingerprint: str, status: str | None, note: str | None,
         reviewer: str | None, force: bool, ask: bool, around: int) -> None:
    from ipfacts.review.rules import unique, why_not_now

    findings = unique(report.findings)
    finding = findings[_resolve(fingerprint, findings, writing=True)]
    reason = why_not_now(finding, report)
    if reason:
        fail(f"{finding.code} {finding.fingerprint} cannot be reviewed: {reason}")
    scripted = status is not None and note is not None
    if scripted and (force or not ask):
        _record(root, finding, report, _status(status or ""), note or "", _reviewer(root, reviewer, ask=False),
                None, force)
        return
    if not ask:
        missing = " and ".join(n for n, v in (("--status", status), ("--note", note)) if v is None)
        fail(f"without a terminal, {missing} must be given (statuses: explained, source-error, false-positive)")
    entries = _entries(root)
    entry = entries.get(finding.fingerprint)
    shown = entry.version() if entry else ""
    now = entry.current() if entry else None
    if scripted and now is None:  # nothing to replace: no question to ask
        _record(root, finding, report, _status(status or ""), note or "", _reviewer(root, reviewer, ask=False), shown)
        return
    previous = _previous(finding, entries, set(findings))
    _show_for_review(base, finding, previous, now, around, report=report)
    try:
        if now is not None:
            typer.echo(for_terminal(f"It already has a verdict: {_verdict_text(now)}"))
            if _prompt("Replace it? [y/N]", default="n", show_default=False).strip().lower() not in ("y", "yes"):
                typer.echo("nothing recorded")
                return
        name = _reviewer(root, reviewer, ask=True)
        chosen = _status(status) if status else _ask_status(allow_skip=False)
        if chosen == "quit":
            typer.echo("nothing recorded")
            return
        text = note if note is not None else _ask_note(previous or now)
    except typer.Abort:
        typer.echo("\nnothing recorded")
        raise typer.Exit(1) from None
    except _Interrupted:
        _interrupted()
    if _record(root, finding, report, chosen, text, name, expected_version=shown) is None:
        raise typer.Exit(1)


def _history(root: Path, fingerprint: str) -> None:
    entries = _entries(root)
    entry = entries[_resolve(fingerprint, entries, what="recorded review")]
    now = entry.current()
    typer.echo(for_terminal(f"{entry.fingerprint}  {entry.code}  {entry.where}"))
    if entry.message:
        typer.echo(for_terminal(f"  finding then: {entry.message}"))
    for verdict in entry.verdicts:
        action = {"verdict": "", "withdraw": " (withdrawn)", "undo": " (undo)",
                  "earlier": f" (for {verdict.fingerprint}, before the numbers changed)"}[verdict.action]
        typer.echo(for_terminal(f"  {verdict.at}  {verdict.status:14} {verdict.reviewer}{action}: {verdict.note}"))
    typer.echo(for_terminal(f"current: {_verdict_text(now) if now else 'no verdict'}"))


def _take_back(root: Path, fingerprint: str, reviewer: str | None, is_undo: bool) -> None:
    from ipfacts.load.loader import LoadFailed
    from ipfacts.review.verdicts import FingerprintError, NothingToUndo, undo, withdraw

    name = _reviewer(root, reviewer, ask=False)
    try:
        if is_undo:
            restored = undo(root, fingerprint, reviewer=name)
            chosen = _resolve(fingerprint, _entries(root), writing=True, what="recorded review")
            typer.echo(f"undid the latest verdict on {chosen}; now: "
                       f"{_verdict_text(restored) if restored else 'no verdict (the finding is open again)'}")
        else:
            withdrawn = withdraw(root, fingerprint, reviewer=name)
            typer.echo(f"withdrew review {withdrawn.fingerprint}; its finding is open again")
    except (FingerprintError, NothingToUndo, ValueError) as exc:
        fail(str(exc))
    except LoadFailed as exc:  # a broken reviews.yaml: every problem, and how to repair it
        fail_load(exc)
    except OSError as exc:
        fail(f"cannot write facts/reviews.yaml: {exc.strerror or exc}")


def _list(root: Path, report: Report, source: str | None, status: str | None, reviewer: str | None) -> None:
    from ipfacts.review.rules import STATES, listing

    rows = listing(report, _entries(root), source, status, reviewer)
    for row in rows:
        finding, verdict = row.finding, row.verdict
        if row.state == "stale" and verdict is not None:
            line = (f"{row.code} {verdict.status} by {verdict.reviewer} on {verdict.at}: "
                    f"{'; '.join(finding.details.get('changes', []))}")
        else:
            line = f"{finding.severity:7}  {finding.code} {finding.name}  {finding.location}: {finding.message}"
            if row.state == "reviewed" and verdict is not None:
                line += f"  [{verdict.status} by {verdict.reviewer} on {verdict.at}]"
        typer.echo(for_terminal(f"{row.fingerprint}  {row.state:8}  {line}"))
    counts = {state: sum(1 for r in rows if r.state == state) for state in STATES}
    typer.echo(f"{counts['open']} open finding(s) to review, {counts['held']} held back, {counts['reviewed']} "
               f"reviewed, {counts['stale']} stale review(s)")


def _show(fingerprint: str, root: Path, around: int) -> None:
    from ipfacts.render.formats.detail import segments
    from ipfacts.review.rules import Holds, unique

    base, report = _load(root)
    candidates = unique(report.findings)
    stale = {str(f.details["review"]): f for f in report.findings if f.code == "V001" and f.details.get("review")}
    chosen = _resolve(fingerprint, {**stale, **candidates})
    finding = candidates.get(chosen) or stale[chosen]
    _print(segments(_with_context(base, finding, around, report), held=Holds(report).why(finding)))
    if chosen in stale and chosen not in candidates:
        entry = _entries(root)[chosen]
        verdict = entry.current()
        lines = [f"\nRecorded review {chosen} ({entry.where}): "
                 f"{verdict.status + ' by ' + verdict.reviewer + ' on ' + verdict.at if verdict else 'withdrawn'}\n"]
        if verdict:
            lines.append(f"  {verdict.note}\n")
        if entry.message:
            lines.append(f"  finding then: {entry.code} {entry.message}\n")
        lines += [f"  {fact_id} was {value}\n" for fact_id, value in sorted(entry.facts.items())]
        _print(("", line) for line in lines)


@app.command()
def show(
    fingerprint: str = typer.Argument(None, help="The finding: its fingerprint, or any unique prefix of it."),
    root: Path = ROOT,
    context: int = CONTEXT,
    metric: str = typer.Option(None, "--metric", help="With --region: the timeline of one figure (a metric key)."),
    region: str = typer.Option(None, "--region", help="With --metric: the region (宁波 or 宁波市, any spelling)."),
) -> None:
    """Show one finding in full: its facts, recomputation, cited source lines and review (to paste to a colleague).
    With --metric and --region instead: every statement of one figure across sources and periods, the figures
    only implied by a growth rate, and the findings between them (a timeline)."""
    if metric or region:
        if not (metric and region) or fingerprint:
            fail("a timeline takes --metric and --region together, and no fingerprint")
        _timeline(root, metric, region)
        return
    if not fingerprint:
        fail("give a finding's fingerprint, or --metric and --region for a timeline")
    _show(fingerprint, root, context)


def _timeline(root: Path, metric: str, region: str) -> None:
    from ipfacts.render.timeline import TimelineError, build_timeline, timeline_lines

    base, report = _load(root)
    try:
        timeline = build_timeline(base, report, metric, region)
    except TimelineError as exc:
        fail(str(exc), 1)
    verdicts = {f.fingerprint: str(review.get("status")) for f in timeline.findings
                if (review := report.review_of(f)) is not None}
    _print(("", line + "\n") for line in timeline_lines(timeline, verdicts))


@app.command()
def explain(
    fingerprint: str = typer.Argument(..., help="The finding: its fingerprint, or any unique prefix of it."),
    root: Path = ROOT,
    context: int = CONTEXT,
) -> None:
    """Same as `show`: one finding in full, with the source lines it cites and its review."""
    _show(fingerprint, root, context)


@app.command("merge-reviews")
def merge_reviews(
    base: Path = typer.Argument(..., help="The common ancestor's reviews.yaml (git's %O)."),
    ours: Path = typer.Argument(..., help="This branch's reviews.yaml (git's %A); the result is written here."),
    theirs: Path = typer.Argument(..., help="The other branch's reviews.yaml (git's %B)."),
) -> None:
    """Git merge driver for facts/reviews.yaml: keeps every verdict of both branches (see docs/reviews.md)."""
    from ipfacts.infra.atomic import write_atomic
    from ipfacts.infra.safefiles import read_regular
    from ipfacts.load import yamlnodes as yn
    from ipfacts.load.loader import LoadFailed
    from ipfacts.review.verdicts import decided_on_both, dump_reviews, merge, parse_reviews

    missing = [str(path) for path in (base, ours, theirs) if not path.exists()]
    if missing:  # git always passes three files (an empty one for no ancestor): a missing one is a mistake
        fail(f"merge-reviews: no such file: {', '.join(missing)}; nothing merged, {ours} unchanged")
    try:  # regular files only, bounded, never blocking (a FIFO or /dev/zero is a message)
        sides = [parse_reviews(read_regular(path, yn.MAX_FILE_BYTES)) for path in (base, ours, theirs)]
    except LoadFailed as exc:
        for problem in exc.problems:
            sys.stderr.write(f"ipfacts merge-reviews: {problem.location}: {problem.message}\n")
        raise typer.Exit(1) from None  # git reports a conflict and keeps both sides for a person
    except OSError as exc:
        fail(f"cannot read: {exc.strerror or exc}", code=1)
    text = dump_reviews(merge(*sides))
    if len(text.encode("utf-8")) > yn.MAX_FILE_BYTES:
        fail(f"merge-reviews: the merged facts/reviews.yaml would be larger than the {yn.MAX_FILE_BYTES:,} bytes "
             "`ipfacts check` reads; nothing merged: prune stale reviews on one branch, then merge again", code=1)
    for fingerprint in decided_on_both(*sides):
        sys.stderr.write(f"ipfacts merge-reviews: both branches recorded a verdict on {fingerprint}: both are kept "
                         f"in its history, the one merged last decides (`ipfacts review --history {fingerprint}`)\n")
    write_atomic(ours, text)
