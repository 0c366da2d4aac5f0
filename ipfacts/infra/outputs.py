"""Where ipfacts may write: the one guard every `-o` goes through.

An output never replaces a hand-written file. Refused, with a message naming the reason:
- anything inside the fact base's `facts/`, `seeds/` or `templates/` folders, any source document named in
  facts/sources.yaml, any `.yaml`/`.yml` file anywhere, anything inside a `.git` folder;
- anything that exists and is not a regular file: a directory, a device (/dev/full, /dev/null), a FIFO,
  a socket, and everything under /dev and /proc (`-o /dev/stdout`: leave out -o to print);
- a symlink whose target would be refused (a link is written *through*, so the link stays a link).

- an existing file that is not an earlier output of ipfacts (see `looks_like_ours`): `-o README.md` is refused,
  `-o report.json` over the last report is fine.

`new_only` (scaffold) additionally refuses any name that exists, and allows a new file inside facts/.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ipfacts.infra.atomic import write_atomic
from ipfacts.infra.safefiles import inside, kind_of, real_path

PROTECTED_FOLDERS = ("facts", "seeds", "templates")
PROTECTED_SUFFIXES = (".yaml", ".yml")
SYSTEM_FOLDERS = (Path("/dev"), Path("/proc"), Path("/sys"))


class OutputRefused(Exception):
    """`-o` names a place ipfacts will not write; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """Where to write: `path` is what the user named, `real` the file actually replaced (a link's target)."""

    path: Path
    real: Path


def _source_documents(root: Path) -> tuple[Path, ...]:
    """The files facts/sources.yaml names (read leniently: a broken sources.yaml protects what it can).
    Parsed once per content of sources.yaml: a brief writes a dozen files through this guard."""
    try:
        data = (root / "facts" / "sources.yaml").read_bytes()
    except OSError:
        return ()
    return _documents_named(root, data)


@lru_cache(maxsize=4)
def _documents_named(root: Path, data: bytes) -> tuple[Path, ...]:
    try:
        parsed = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # noqa: BLE001 - protection is best effort beyond the folders; never a reason to crash
        return ()
    found = []
    for entry in parsed.values() if isinstance(parsed, dict) else ():
        name = entry.get("file") if isinstance(entry, dict) else None
        if isinstance(name, (str, int, float)) and not isinstance(name, bool):
            found.append(root / str(name))
    return tuple(found)


def _is_source_document(real: Path, root: Path) -> bool:
    """Whether `real` is (the same file as) a document sources.yaml names — compared by device and inode, one
    stat each, at the time of the write (resolving every name cost a brief of a base of 2,500 sources a tenth of
    a second per file written); a hard link to a document is protected too."""
    try:
        target: os.stat_result | None = os.stat(real)
    except (OSError, ValueError):
        target = None  # not there yet: refused only where sources.yaml names that very path
    for path in _source_documents(root):
        if target is None:
            if os.path.normpath(path) == str(real):
                return True
            continue
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            continue
        if info.st_ino == target.st_ino and info.st_dev == target.st_dev:
            return True
    return False


def _why_protected(real: Path, root: Path | None, new_only: bool) -> str | None:
    if any(real == folder or inside(real, folder) for folder in SYSTEM_FOLDERS):
        return "a system path (to print to the terminal or a pipe, leave out -o)"
    if ".git" in real.parts:
        return "inside a .git folder"
    exists = os.path.lexists(real)
    if real.suffix.lower() in PROTECTED_SUFFIXES and exists:
        return ("an existing YAML file, and ipfacts never replaces one (fact files, sources.yaml and reviews.yaml "
                "are written by hand or by ipfacts review)")
    if root is None:
        return None
    root = real_path(root)
    for name in PROTECTED_FOLDERS:
        folder = root / name
        if real == folder or inside(real, folder):
            if name == "facts" and new_only and not exists:
                return None  # scaffold drafts a new fact file
            return f"inside the fact base's {name}/ folder, whose hand-written files ipfacts never replaces"
    if _is_source_document(real, root):
        return "a source document named in facts/sources.yaml, which ipfacts never replaces"
    return None


SNIFF_BYTES = 1 << 20
_OURS_START = (
    b"%PDF-", b"PAR1",  # a PDF brief, a parquet export: binary, never typed by hand
    b'{\n  "version": ', b'[\n{"id": ', b"[]\n",  # check --format json, export --format json
    b"id,region,period,metric,value,", b"\xef\xbb\xbfid,region,period,metric,value,",  # export csv (--bom)
    b"id,region,period,metric,label_zh,", b"\xef\xbb\xbfid,region,period,metric,label_zh,",  # … with labels (BOM default)
    b"metric,indicator,headline,region,role,period,value,",  # report --format csv
    b"\xef\xbb\xbfmetric,indicator,headline,region,role,period,value,",  # … written to a file, with a BOM
    b'<svg xmlns="http://www.w3.org/2000/svg" width=',  # a brief's chart
)


_OURS_MARKS = (
    b'<meta name="generator" content="ipfacts">',  # check --format html
    b'<testsuite name="ipfacts"',  # junit
    b" reviewed, ",  # github's summary line: "ipfacts: 0 error(s), 0 warning(s), 3 reviewed, 991 facts"
    b" reviewed \xc2\xb7 ",  # text: "0 error(s), 0 warning(s), 3 reviewed · 991 facts, …"
    b"the fact base cannot be read: ",  # a load failure written with -o
    b'"$comment": "Generated from ipfacts/',  # schema
    "由 ipfacts 根据事实库生成".encode(), b"Generated by ipfacts from the fact base",  # a brief (md, html)
)


def looks_like_ours(path: Path) -> bool:
    """Whether an existing file is an earlier output of ipfacts (which `-o` may replace): empty, or of a shape
    ipfacts writes (JSON report, CSV/JSON/parquet/SQLite export, PDF, chart), or marked as ours (its HTML, JUnit,
    GitHub and text reports, briefs, schemas and load-failure reports carry a mark of their own)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            if size > SNIFF_BYTES:
                handle.seek(size - SNIFF_BYTES)
                head += handle.read(SNIFF_BYTES)
    except OSError:
        return False
    if not head.strip():
        return True
    if head.startswith(_OURS_START):
        return True
    if re.match(rb'\{\n  "format": [0-9]+,\n  "city": ', head):  # report --format json
        return True
    if head.startswith(b"SQLite format 3\x00"):  # export's database: its schema names our tables and views
        return all(name in head for name in (b"finding_facts", b"open_findings", b"reviewed_findings"))
    return any(mark in head for mark in _OURS_MARKS)


def _link_chain(path: Path, hops: int = 40) -> list[Path]:
    """The path as given (absolute) and every link it passes through, without resolving the last hop."""
    chain = [Path(os.path.abspath(path))]
    current = chain[0]
    for _ in range(hops):
        if not current.is_symlink():
            break
        try:
            current = Path(os.path.abspath(current.parent / os.readlink(current)))
        except OSError:
            break
        chain.append(current)
    return chain


def check_output(path: Path | str, root: Path | str | None = None, new_only: bool = False) -> Target:
    """The place to write `path`, or OutputRefused saying why not."""
    path = Path(path)
    shown = str(path)
    root_path = Path(root) if root is not None else None
    if shown in ("", "-"):
        raise OutputRefused(f"-o {shown!r}: leave out -o to print to standard output")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputRefused(f"cannot write {shown}: {exc.strerror or exc}") from exc
    if info is not None and new_only:
        raise OutputRefused(f"{shown} exists; scaffold never writes over a file (choose a new name, or delete it first)")
    real = Path(os.path.realpath(path))
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(real)
        except FileNotFoundError:
            info = None  # a link to a name that does not exist yet: the new file is made at its target
        except OSError as exc:
            raise OutputRefused(f"cannot write {shown}: {exc.strerror or exc}") from exc
    for hop in _link_chain(path):  # /dev/stdout → /proc/self/fd/1 → wherever standard output goes
        if any(hop == folder or inside(hop, folder) for folder in SYSTEM_FOLDERS):
            raise OutputRefused(f"cannot write {shown}: it is a system path (to print to the terminal or a pipe, "
                                "leave out -o)")
    why = _why_protected(real, root_path, new_only)
    if why is not None:
        via = f" (a link to {real})" if real != Path(os.path.abspath(path)) else ""
        raise OutputRefused(f"cannot write {shown}{via}: it is {why}")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputRefused(f"cannot write {shown}: it is {kind_of(info.st_mode)}, not a regular file")
    if info is not None and not looks_like_ours(real):
        raise OutputRefused(f"cannot write {shown}: it exists and is not an earlier ipfacts output, and ipfacts never "
                            "replaces another file (delete it first, or choose a new name)")
    if not real.parent.is_dir() and os.path.lexists(real.parent):
        raise OutputRefused(f"cannot write {shown}: {real.parent} is not a directory")
    return Target(path, real)


def write_output(path: Path | str, data: str | bytes, root: Path | str | None = None, new_only: bool = False,
                 durable: bool = True) -> Path:
    """Check the place (check_output), then write atomically; returns the file written. Raises OutputRefused
    or OSError."""

    target = check_output(path, root, new_only)
    write_atomic(target.real, data, durable=durable, exclusive=new_only)
    return target.real
