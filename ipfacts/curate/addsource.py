"""Add a published document to a fact base: its text as `seeds/ID.txt`, its entry in sources.yaml.

    add_source(root, Path("report.pdf"), Entry("hangzhou-2024", title=…, region="杭州", period="2024"))

The text comes from `extract` (PDF, HTML, Markdown or text) with stable line breaks. The entry is
appended to `facts/sources.yaml` as text — the file is never re-dumped, every byte already in it
stays — and carries the sha256 of the seed's bytes, so the citations drafted from it verify. Neither
file is ever replaced: an id that sources.yaml already declares, or a seed file that exists, is
refused before anything is written; if the append fails, the seed just written is removed again.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ipfacts.curate.extract import ExtractError, extract
from ipfacts.load.periods import parse as parse_period

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
PERIOD_PATTERN = re.compile(r"^\d{4}(-\d{2}(/\d{2})?)?$|^\d{4}-Q[1-4]$|^\d{4}-H[12]$")
LANGS = ("zh", "en", "zh+en")


class AddSourceError(Exception):
    """The document cannot be added: the message says why (nothing was written)."""


@dataclass
class Entry:
    id: str
    title: str | None = None
    region: str | None = None
    period: str | None = None
    lang: str | None = None  # None: guessed from the text
    url: str | None = None


@dataclass
class Added:
    seed: Path  # the written text
    sha256: str
    lines: int
    entry_text: str  # what was appended to sources.yaml
    lang: str


def validate(entry: Entry) -> None:
    if not ID_PATTERN.match(entry.id):
        raise AddSourceError(f"id {entry.id!r}: use lower-case letters, digits, '-', '_' and '.', "
                             "starting with a letter or digit (hangzhou-2024)")
    if entry.period is not None and (not PERIOD_PATTERN.match(entry.period) or parse_period(entry.period) is None):
        raise AddSourceError(f"period {entry.period!r}: a year (2024), a month (2024-06), months of a year "
                             "(2024-01/10), a quarter (2024-Q3) or a half (2024-H1); months 01 to 12")
    if entry.lang is not None and entry.lang not in LANGS:
        raise AddSourceError(f"lang {entry.lang!r}: one of {', '.join(LANGS)}")
    for name in ("title", "region", "url"):
        value = getattr(entry, name)
        if value is not None and (not value.strip() or any(c in value for c in "\n\r")):
            raise AddSourceError(f"{name} {value!r}: one line of text")


def declared_ids(sources_yaml: Path) -> set[str]:
    """The ids sources.yaml declares (its top-level keys), without the loader's checks."""
    import yaml

    try:
        text = sources_yaml.read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    except (OSError, UnicodeDecodeError) as exc:
        raise AddSourceError(f"{sources_yaml}: cannot read: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AddSourceError(f"{sources_yaml}: not valid YAML, fix it first: {exc}") from exc
    if data is None:
        return set()
    if not isinstance(data, dict):
        raise AddSourceError(f"{sources_yaml}: not a mapping of source ids")
    return {str(k) for k in data}


def guess_lang(text: str) -> str:
    """zh, en or zh+en from the letters of the text: a bilingual paper has a fair share of both."""
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if han and latin > 2 * han:
        return "zh+en" if han * 20 > latin else "en"
    if not han and latin:
        return "en"
    return "zh+en" if han and latin > han else "zh"


def entry_text(entry: Entry, file: str, sha256: str, lang: str) -> str:
    from ipfacts.curate.scaffold import yaml_scalar

    out = [f"{yaml_scalar(entry.id)}:", f"  file: {yaml_scalar(file)}"]
    for name in ("title", "region"):
        value = getattr(entry, name)
        if value is not None:
            out.append(f"  {name}: {yaml_scalar(value)}")
    if entry.period is not None:
        out.append(f"  period: {entry.period if entry.period.isdigit() else yaml_scalar(entry.period)}")
    out.append(f"  lang: {yaml_scalar(lang)}")
    out.append(f"  sha256: {sha256}")
    if entry.url is not None:
        out.append(f"  url: {yaml_scalar(entry.url)}")
    return "\n".join(out) + "\n"


def add_source(root: Path, document: Path, entry: Entry, seeds: str = "seeds") -> Added:
    validate(entry)
    sources_yaml = root / "facts" / "sources.yaml"
    if not (root / "facts").is_dir():
        raise AddSourceError(f"{root / 'facts'}: no such directory (is {root} a fact base? use --root)")
    if entry.id in declared_ids(sources_yaml):
        raise AddSourceError(f"{sources_yaml}: source {entry.id!r} is already declared; choose another id")
    seed = root / seeds / f"{entry.id}.txt"
    if seed.exists() or seed.is_symlink():
        raise AddSourceError(f"{seed} exists; add-source never writes over a file")
    try:
        if document.resolve() == seed.resolve():
            raise AddSourceError(f"{document} is the seed itself")
    except OSError:
        pass
    try:
        text = extract(document)
    except ExtractError as exc:
        raise AddSourceError(str(exc)) from exc
    data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    lang = entry.lang or guess_lang(text)
    file = f"{seeds}/{entry.id}.txt"
    appended = entry_text(entry, file, sha, lang)
    seed.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(seed, "xb") as handle:  # exclusive: never over a file that appeared meanwhile
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except FileExistsError as exc:
        raise AddSourceError(f"{seed} exists; add-source never writes over a file") from exc
    except OSError as exc:
        raise AddSourceError(f"{seed}: cannot write: {exc.strerror or exc}") from exc
    try:
        _append(sources_yaml, appended)
    except BaseException:
        seed.unlink(missing_ok=True)
        raise
    return Added(seed, sha, text.count("\n"), appended, lang)


def _append(sources_yaml: Path, text: str) -> None:
    """Append `text` to sources.yaml, after a newline if its last line has none; undo on failure."""
    try:
        before = sources_yaml.stat().st_size if sources_yaml.exists() else None
        with open(sources_yaml, "ab+") as handle:
            lead = b""
            if before:
                handle.seek(before - 1)
                if handle.read(1) != b"\n":
                    lead = b"\n"
            try:
                handle.write(lead + text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            except BaseException:
                handle.truncate(before or 0)
                raise
    except OSError as exc:
        raise AddSourceError(f"{sources_yaml}: cannot append: {exc.strerror or exc}") from exc
