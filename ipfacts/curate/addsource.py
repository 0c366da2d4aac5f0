"""Add a published document to a fact base: its text as `seeds/ID.txt`, its entry in sources.yaml.

    add_source(root, Path("report.pdf"), Entry("hangzhou-2024", title=…, region="杭州", period="2024"))
    add_source(root, "https://…/report.html", Entry("hangzhou-2024"))   # fetched: url and retrieved recorded

The text comes from `extract` (PDF, HTML, Markdown or text) with stable line breaks; a page by URL is
fetched first (curate/fetch.py). The entry is added to `facts/sources.yaml` by editing the YAML in
place under its lock (curate/sourcesyaml.py: comments, quoting and style kept; flow style and `{}`
too), with the sha256 of the seed's bytes — so the citations drafted from it verify — and, for a PDF,
the `pages:` map (page → its lines in the seed). Neither file is ever replaced: an id that sources.yaml
already declares, or a seed file that exists, is refused before anything is written; if the edit of
sources.yaml fails, the seed just written is removed again.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ipfacts.curate.extract import Extracted, ExtractError, from_bytes, read_document
from ipfacts.curate.fetch import FetchError, fetch, is_url
from ipfacts.curate.sourcesyaml import SourcesEditError, editing, read

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")  # matched whole (fullmatch): no newline slips past `$`
MAX_ID = 64
PERIOD_PATTERN = re.compile(r"[0-9]{4}(-[0-9]{2}(/[0-9]{2})?)?|[0-9]{4}-Q[1-4]|[0-9]{4}-H[12]")
LANGS = ("zh", "en", "zh+en")
MAX_FIELD = 500  # characters of a title, region or url


class AddSourceError(Exception):
    """The document cannot be added: the message says why (nothing was written). `code`: A001…A008."""

    def __init__(self, message: str, code: str = "A007") -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Entry:
    id: str
    title: str | None = None
    region: str | None = None
    period: str | None = None
    lang: str | None = None  # None: guessed from the text
    url: str | None = None
    retrieved: str | None = None  # the date a page was fetched (set by add_source for a URL)


@dataclass
class Added:
    seed: Path  # the written text
    sha256: str
    lines: int
    entry_text: str  # what was inserted into sources.yaml
    lang: str
    kind: str = "text"
    pages: dict[int, tuple[int, int]] | None = None
    ignored: list[tuple[int, str]] = field(default_factory=list)  # PDF furniture left out: (page, line)
    url: str | None = None
    textless_pages: list[int] = field(default_factory=list)  # PDF pages without text (scanned? blank?)


def validate(entry: Entry) -> None:
    if len(entry.id) > MAX_ID or not ID_PATTERN.fullmatch(entry.id):
        shown = repr(entry.id) if len(entry.id) <= 80 else repr(entry.id[:80]) + f"… ({len(entry.id)} characters)"
        raise AddSourceError(f"id {shown}: use lower-case letters, digits, '-', '_' and '.', starting with a letter "
                             f"or digit, at most {MAX_ID} characters (hangzhou-2024)")
    if entry.period is not None and not _period_ok(entry.period):
        raise AddSourceError(f"period {entry.period[:40]!r}: a year (2024), a month (2024-06), months of a year "
                             "(2024-01/10), a quarter (2024-Q3) or a half (2024-H1); months 01 to 12")
    if entry.lang is not None and entry.lang not in LANGS:
        raise AddSourceError(f"lang {entry.lang[:40]!r}: one of {', '.join(LANGS)}")
    for name in ("title", "region", "url"):
        value = getattr(entry, name)
        if value is not None and (not value.strip() or any(c in value for c in "\n\r\x85\u2028\u2029")
                                  or len(value) > MAX_FIELD):
            raise AddSourceError(f"{name} {value[:80]!r}: one line of text, at most {MAX_FIELD} characters")


def _period_ok(period: str) -> bool:
    if not PERIOD_PATTERN.fullmatch(period):
        return False
    months = [int(m) for m in re.findall(r"(?<=[-/])([0-9]{2})", period)]
    return all(1 <= m <= 12 for m in months) and months == sorted(months)


def declared_ids(root: Path) -> set[str]:
    """The ids sources.yaml declares (its top-level keys), without the loader's checks."""
    try:
        return read(root).ids()
    except SourcesEditError as exc:
        raise AddSourceError(str(exc), "A008") from exc


def guess_lang(text: str) -> str:
    """zh, en or zh+en from the letters of the text: a bilingual paper has a fair share of both."""
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if han and latin > 2 * han:
        return "zh+en" if han * 20 > latin else "en"
    if not han and latin:
        return "en"
    return "zh+en" if han and latin > han else "zh"


def entry_fields(entry: Entry, file: str, sha256: str, lang: str,
                 pages: dict[int, tuple[int, int]] | None = None) -> dict[str, object]:
    """The entry's fields in the order a curator reads them (None: left out)."""
    period: object = entry.period
    if entry.period is not None and entry.period.isdigit():
        period = int(entry.period)
    shown_pages = None
    if pages:
        shown_pages = {number: first if first == last else f"{first}-{last}"
                       for number, (first, last) in pages.items()}
    return {"file": file, "title": entry.title, "region": entry.region, "period": period, "lang": lang,
            "sha256": sha256, "url": entry.url,
            "retrieved": datetime.date.fromisoformat(entry.retrieved) if entry.retrieved else None,
            "pages": shown_pages}


def _document(document: Path | str, entry: Entry) -> Extracted:
    try:
        if isinstance(document, str) and is_url(document):
            try:
                got = fetch(document)
            except FetchError as exc:
                raise AddSourceError(str(exc), "A006") from exc
            entry.url = entry.url or got.url
            entry.retrieved = got.retrieved
            return from_bytes(got.data, got.final_url, got.content_type)
        return read_document(Path(document))
    except ExtractError as exc:
        raise AddSourceError(str(exc), exc.code) from exc


def add_source(root: Path, document: Path | str, entry: Entry, seeds: str = "seeds") -> Added:
    validate(entry)
    sources_yaml = root / "facts" / "sources.yaml"
    if not (root / "facts").is_dir():
        raise AddSourceError(f"{root / 'facts'}: no such directory (is {root} a fact base? `ipfacts init {root}` "
                             "makes one; or use --root)")
    if entry.id in declared_ids(root):  # early, before a long extraction; again under the lock below
        raise AddSourceError(f"{sources_yaml}: source {entry.id!r} is already declared; choose another id")
    seed = root / seeds / f"{entry.id}.txt"
    if seed.exists() or seed.is_symlink():
        raise AddSourceError(f"{seed} exists; add-source never writes over a file")
    try:
        if not isinstance(document, str) and document.resolve() == seed.resolve():
            raise AddSourceError(f"{document} is the seed itself")
    except OSError:
        pass
    extracted = _document(document, entry)
    text = extracted.text
    data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    lang = entry.lang or guess_lang(text)
    file = f"{seeds}/{entry.id}.txt"
    fields = entry_fields(entry, file, sha, lang, extracted.pages)
    written = False
    try:
        with editing(root) as doc:
            if entry.id in doc.ids():
                raise AddSourceError(f"{sources_yaml}: source {entry.id!r} is already declared; choose another id")
            _write_seed(seed, data)
            written = True
            inserted = doc.add(entry.id, fields)
    except BaseException as exc:
        if written:  # sources.yaml was not changed: the seed goes too
            seed.unlink(missing_ok=True)
        if isinstance(exc, SourcesEditError):
            raise AddSourceError(str(exc), "A008") from exc
        raise
    return Added(seed, sha, text.count("\n"), inserted, lang, extracted.kind, extracted.pages, extracted.ignored,
                 entry.url, extracted.textless_pages)


def _write_seed(seed: Path, data: bytes) -> None:
    seed.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = open(seed, "xb")  # noqa: SIM115 - exclusive: never over a file that appeared meanwhile
    except FileExistsError as exc:
        raise AddSourceError(f"{seed} exists; add-source never writes over a file") from exc
    except OSError as exc:
        raise AddSourceError(f"{seed}: cannot write: {exc.strerror or exc}", "A001") from exc
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        seed.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise AddSourceError(f"{seed}: cannot write: {exc.strerror or exc}", "A001") from exc
        raise
