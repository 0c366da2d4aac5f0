"""Audit a document nobody has curated: add it to a scratch base, draft it, check the draft, and say
which figures a reader should look at first.

    result = audit(Path("report.pdf"))               # a scratch base in a temporary directory
    result = audit(Path("report.pdf"), into=root)    # added to the base at `root` (its seed and entry stay)
    result.findings                                   # stated errors, stated warnings, then questions

What statcheck does for p-values, for the figures of an IP white paper: every number is drafted as a
fact with a quote that verifies (scaffold), every relation its words state (其中, 占比, 同比增长, 合计,
每万人 …) is recomputed by the checker. A finding on a *stated* relation is an error or a warning of the
document; one on a relation drafted from nearness alone (*guessed*) is a question to put to the text, not
an error. Problems with the draft itself (a quote the checker cannot find) are the tool's, listed apart.
Nothing is written to a base unless `into` asks for it; `keep` leaves the draft for a curator.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ipfacts.curate.addsource import AddSourceError, Entry, add_source, declared_ids
from ipfacts.curate.coverage import coverage
from ipfacts.curate.scaffold import Draft, render, scaffold, tables_of
from ipfacts.curate.scaffold.spotting import SENTENCE_END, AsWritten, Squashed
from ipfacts.curate.tables import TableDraft
from ipfacts.findings import ERROR, WARNING, Finding
from ipfacts.load.loader import LoadFailed, load
from ipfacts.load.model import FactBase
from ipfacts.load.sourcetext import SourceTexts, squash
from ipfacts.review.checked import check_report

STATED, GUESSED = "stated", "guessed"
QUESTION = "question"
SENTENCE_REACH = 80  # characters of a sentence shown before and after the quote, at most
# The relation kind a finding code judges: where a draft holds more than one relation, the finding's confidence
# is that relation's.
CODE_KINDS = {"R101": "share_of", "R102": "share_of", "R103": "ratio_of", "R104": "percent_of",
              "R105": "growth_of", "R106": "growth_of", "R107": "change_of", "R108": "change_of",
              "R109": "sum_of", "R110": "part_of", "R111": "per_10k_of", "R112": "per_10k_of", "R113": "same_as",
              "R116": "subset_of", "R117": "breakdowns", "R118": "outcome_of", "R119": "outcome_of",
              "R120": "balance_of", "R121": "balance_of", "R122": "mean_of", "R123": "same_as", "R124": "change_of",
              "R140": "rank_among"}


class AuditError(Exception):
    """The document cannot be audited (unreadable, or the base it goes into cannot be read): the message says why."""


@dataclass
class AuditFinding:
    code: str
    name: str
    severity: str  # error | warning | question (a finding on a guessed relation)
    confidence: str  # stated | guessed
    message: str  # the arithmetic, as the checker words it
    fact: str  # the key of the drafted fact the relation is declared on
    line: int
    end_line: int
    page: int | None
    quote: str
    sentence: str  # the sentence of the document around the quote, as written
    facts: list[dict[str, Any]] = field(default_factory=list)  # every fact involved: key, value, line, quote
    fingerprint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Audit:
    document: str
    source: str  # the source id it was added under
    numbers: int  # numeric claims read in the text
    drafted: int  # facts drafted
    relations: int  # relations drafted
    stated: int
    guessed: int
    tables: int
    findings: list[AuditFinding]  # stated errors, stated warnings, questions; each in document order
    problems: list[AuditFinding] = field(default_factory=list)  # the draft's own defects (citations): the tool's
    kept: str | None = None  # where the draft was left (--keep), if anywhere
    into: str | None = None  # the base the document was added to, if any

    @property
    def errors(self) -> list[AuditFinding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def exit_code(self) -> int:
        """As `check`: 1 when a stated relation does not hold (an error), else 0."""
        return 1 if self.errors else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "document": self.document,
            "source": self.source,
            "summary": {"numbers": self.numbers, "drafted": self.drafted, "relations": self.relations,
                        "stated": self.stated, "guessed": self.guessed, "tables": self.tables,
                        "errors": len(self.errors),
                        "warnings": sum(1 for f in self.findings if f.severity == WARNING),
                        "questions": sum(1 for f in self.findings if f.severity == QUESTION),
                        "draft_problems": len(self.problems)},
            "findings": [f.as_dict() for f in self.findings],
            "draft_problems": [f.as_dict() for f in self.problems],
            "kept": self.kept,
            "into": self.into,
        }


def source_id_for(document: str, taken: set[str]) -> str:
    """An id from the file name (湖州白皮书.pdf → doc; ningbo-2024.txt → ningbo-2024), unique among `taken`."""
    stem = re.sub(r"[?#].*$", "", document.rstrip("/")).rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    slug = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")[:60] or "doc"
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def audit(document: str | Path, *, vocabulary: Path | None = None, into: Path | None = None,
          keep: Path | None = None, region: str | None = None, period: str | None = None) -> Audit:
    """Add, draft and check `document`; `vocabulary`: a base whose metrics.yaml (and units.txt) a scratch base
    uses; `into`: add the document to this base instead (its seed and sources.yaml entry are kept there);
    `keep`: a new directory to leave the scratch base with the draft in (never an existing one); `region` and
    `period`: the source's, so that its figures meet last year's in the base (growth rates, populations)."""
    if keep is not None and keep.exists() and (not keep.is_dir() or any(keep.iterdir())):
        raise AuditError(f"{keep}: exists and is not an empty directory; --keep never writes over files")
    with tempfile.TemporaryDirectory(prefix="ipfacts-audit-") as scratch:
        work = Path(scratch) / "base"
        source_id = _add(document, work, vocabulary, into, region, period)
        try:
            base = load(work)
        except LoadFailed as exc:
            raise AuditError("the base cannot be read: " + "; ".join(p.message for p in exc.problems[:3])) from exc
        drafts = scaffold(base, source_id)
        tables = tables_of(base, source_id)
        draft_file = work / "facts" / f"{source_id}.yaml"
        n = 2
        while draft_file.exists():
            draft_file, n = work / "facts" / f"{source_id}-{n}.yaml", n + 1
        draft_file.write_text(render(base, source_id, drafts, tables), encoding="utf-8")
        unread: list[str] = []
        try:
            report = check_report(work, use_cache=False)
        except LoadFailed as exc:  # a table block the loader refuses: the prose is still checked, the tables not
            unread = [f"{p.location}: {p.message}" if p.location else p.message for p in exc.problems[:3]]
            if not tables:
                raise AuditError("the draft cannot be read: " + "; ".join(unread)) from exc
            tables = []
            draft_file.write_text(render(base, source_id, drafts, tables), encoding="utf-8")
            try:
                report = check_report(work, use_cache=False)
            except LoadFailed as again:
                raise AuditError("the draft cannot be read: " + "; ".join(
                    f"{p.location}: {p.message}" if p.location else p.message for p in again.problems[:3])) \
                    from again
        result = _result(str(document), base, source_id, draft_file.stem, drafts, tables, report.findings)
        result.problems += [AuditFinding("L000", "tables-not-checked", ERROR, STATED,
                                         f"the tables were not checked: the drafted table block cannot be read "
                                         f"({problem})", "", 0, 0, None, "", "") for problem in unread]
        result.into = str(into) if into is not None else None
        if keep is not None:
            shutil.copytree(work, keep, dirs_exist_ok=True)
            result.kept = str(keep)
    return result


def _add(document: str | Path, work: Path, vocabulary: Path | None, into: Path | None, region: str | None = None,
         period: str | None = None) -> str:
    """The document added to `into` (then copied to `work`), or to a new scratch base at `work`; its id."""
    is_url = isinstance(document, str) and re.match(r"^https?://", document) is not None
    path: Any = document if is_url else Path(document)
    if not is_url and not Path(document).is_file():
        raise AuditError(f"{document}: no such file")
    target = into if into is not None else work
    if into is None:
        (work / "facts").mkdir(parents=True)
        for name, default in (("metrics.yaml", "{}\n"), ("units.txt", None)):
            shipped = vocabulary / "facts" / name if vocabulary is not None else None
            if shipped is not None and shipped.is_file():
                shutil.copyfile(shipped, work / "facts" / name)
            elif default is not None:
                (work / "facts" / name).write_text(default, encoding="utf-8")
        (work / "facts" / "sources.yaml").write_text("", encoding="utf-8")
    elif not (into / "facts").is_dir():
        raise AuditError(f"{into / 'facts'}: no such directory (is {into} a fact base?)")
    try:
        taken = declared_ids(target)
        taken |= {p.stem for p in (target / "seeds").glob("*.txt")} if (target / "seeds").is_dir() else set()
        source_id = source_id_for(str(document), taken)
        add_source(target, path, Entry(source_id, region=region, period=period))
    except AddSourceError as exc:
        raise AuditError(str(exc)) from exc
    if into is not None:
        _copy_base(into, work)
    return source_id


def _copy_base(root: Path, work: Path) -> None:
    """The base at `root` copied to `work` for the draft to be checked beside it: facts/ and every source file."""
    shutil.copytree(root / "facts", work / "facts", ignore=shutil.ignore_patterns(".*"))
    try:
        declared = yaml.safe_load((root / "facts" / "sources.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AuditError(f"{root / 'facts' / 'sources.yaml'}: cannot be read: {exc}") from exc
    for entry in declared.values() if isinstance(declared, dict) else ():
        file = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(file, str) or Path(file).is_absolute() or ".." in Path(file).parts:
            continue  # the loader reports it
        if (root / file).is_file():
            (work / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / file, work / file)


def _result(document: str, base: FactBase, source_id: str, file_stem: str, drafts: list[Draft],
            tables: list[TableDraft], findings: list[Finding]) -> Audit:
    drafted = [d for d in drafts if d.problem is None]
    by_key = {d.key: d for d in drafted}
    confidences = [d.confidence.get(r, GUESSED) for d in drafted for r in d.relations]
    text = SourceTexts(base.sources)[source_id]
    squashed = Squashed.of(text)
    written = AsWritten(text.lines, squashed)
    source = base.sources[source_id]
    prefix = f"{file_stem}/"
    shown: list[AuditFinding] = []
    problems: list[AuditFinding] = []
    for finding in findings:
        ours = [f for f in finding.facts if f.id.startswith(prefix)]
        if not ours:
            continue  # a finding of the base the document was added to
        head = ours[0]
        draft = by_key.get(head.id[len(prefix):])
        tool = finding.code[:1] in ("C", "L") or finding.code in TOOL_CODES
        confidence = _table_confidence(finding.code, head.id[len(prefix):], tables) \
            if finding.code.startswith("T") else _confidence(finding.code, draft)
        severity = finding.severity if confidence == STATED or tool else QUESTION
        cited = next((c for f, c in zip(finding.facts, finding.citations, strict=False) if f is head), None)
        if draft is not None:
            line_from, line_to = _lines(draft.line)
        elif cited is not None:
            line_from, line_to = cited.line, cited.end_line or cited.line
        else:
            line_from = line_to = 0
        quote = draft.quote if draft else ""
        item = AuditFinding(
            code=finding.code, name=finding.name, severity=severity, confidence=confidence,
            message=finding.message.replace(prefix, ""), fact=head.id[len(prefix):], line=line_from, end_line=line_to,
            page=_page(source, line_from), quote=quote,
            sentence=_sentence(squashed, written, line_from, quote),
            facts=[_fact(f.id[len(prefix):], by_key.get(f.id[len(prefix):]), f.value) for f in ours],
            fingerprint=finding.fingerprint)
        (problems if tool else shown).append(item)
    order = {ERROR: 0, WARNING: 1, QUESTION: 2}
    shown.sort(key=lambda f: (order.get(f.severity, 3), f.line, f.code))
    numbers = len(coverage(base, [source_id])[0].claims)
    return Audit(document, source_id, numbers, len(drafted), len(confidences),
                 sum(1 for c in confidences if c == STATED), sum(1 for c in confidences if c == GUESSED), len(tables),
                 shown, problems)


def _confidence(code: str, draft: Draft | None) -> str:
    """Stated when the relation the finding judges was drafted from the words that say it; else guessed."""
    if code.startswith("T"):
        return STATED  # a table's own identities (its total row, its total column)
    if draft is None or not draft.relations:
        return GUESSED
    kind = CODE_KINDS.get(code)
    if kind in draft.confidence:
        return draft.confidence[kind]
    if code in ("R118", "R119") and "exclusive_with" in draft.confidence:
        return draft.confidence["exclusive_with"]
    known = [draft.confidence.get(r, GUESSED) for r in draft.relations]
    return STATED if known and all(c == STATED for c in known) else GUESSED


TOOL_CODES = {"T001", "T002", "T003", "T004", "T011"}  # a drafted cell or header not where the draft says: the tool's
TABLE_IDENTITIES = {"T005": "sum", "T006": "sum_rows", "T008": "density", "T009": "rank"}


def _table_confidence(code: str, fact: str, tables: list[TableDraft]) -> str:
    """A table identity is stated when the table names it (合计, Total …) and it holds in some rows or columns;
    one that holds nowhere was likely drafted over the wrong rows (cities inside their provinces): a question."""
    table = next((t for t in tables if t.key == fact.split("/", 1)[0]), None)
    if table is None:
        return GUESSED
    kind = TABLE_IDENTITIES.get(code)
    notes = [note for k, _, note in table.identities if kind is None or k == kind]
    return GUESSED if not notes or any(re.search(r"holds in 0 of|NOT the sum of .* in any column", n) for n in notes) else STATED


def _lines(line: str) -> tuple[int, int]:
    first, _, last = line.partition("-")
    return int(first), int(last or first)


def _page(source: Any, line: int) -> int | None:
    """The page of a line where the source records pages (a PDF added with its page map), else None."""
    return source.page_of(line) if source is not None else None


def _sentence(squashed: Squashed, written: AsWritten, line: int, quote: str) -> str:
    """The sentence holding the quote at `line`, as written, cut to SENTENCE_REACH either side of it."""
    if line < 1 or line > len(squashed.starts):
        return quote
    if not quote:  # a table cell: its row as written
        return " ".join(written.lines[line - 1].split())[:2 * SENTENCE_REACH]
    needle = squash(quote)
    at = squashed.full.find(needle, squashed.starts[line - 1])
    if at < 0:
        return quote
    end = at + len(needle)
    start = max(squashed.sentence_start(at), at - SENTENCE_REACH)
    stop = min([i for i in (squashed.full.find(c, end) for c in SENTENCE_END) if i >= 0] or [len(squashed.full)])
    stop = min(stop + 1, end + SENTENCE_REACH, len(squashed.full))
    return written.text(start, stop)


def _fact(key: str, draft: Draft | None, value: str) -> dict[str, Any]:
    if draft is None:
        return {"key": key, "value": value}
    return {"key": key, "value": draft.value, "line": draft.line, "quote": draft.quote,
            "relations": {k: list(v) for k, v in draft.relations.items()},
            "confidence": dict(draft.confidence)}
