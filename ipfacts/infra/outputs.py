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
import stat
from dataclasses import dataclass
from pathlib import Path

from ipfacts.infra.safefiles import inside, kind_of

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


def _source_documents(root: Path) -> list[Path]:
    """The files facts/sources.yaml names (read leniently: a broken sources.yaml protects what it can)."""
    from ipfacts.infra.parsecache import ParseCache
    from ipfacts.load.yamlnodes import get, is_map, is_scalar, items, scalar_text

    sources = root / "facts" / "sources.yaml"
    try:
        parsed = ParseCache.disabled().parse_many([(sources, "facts/sources.yaml")], root).get("facts/sources.yaml")
    except Exception:  # noqa: BLE001 - protection is best effort beyond the folders; never a reason to crash
        return []
    if parsed is None or not is_map(parsed):
        return []
    found = []
    for _, entry in items(parsed):
        node = get(entry, "file") if is_map(entry) else None
        if node is not None and is_scalar(node):
            try:
                found.append((root / scalar_text(node)).resolve())
            except (OSError, ValueError, RuntimeError):
                continue
    return found


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
    root = root.resolve()
    for name in PROTECTED_FOLDERS:
        folder = root / name
        if real == folder or inside(real, folder):
            if name == "facts" and new_only and not exists:
                return None  # scaffold drafts a new fact file
            return f"inside the fact base's {name}/ folder, whose hand-written files ipfacts never replaces"
    if real in _source_documents(root):
        return "a source document named in facts/sources.yaml, which ipfacts never replaces"
    return None


SNIFF_BYTES = 1 << 20
_OURS_START = (
    b"%PDF-", b"PAR1",  # a PDF brief, a parquet export: binary, never typed by hand
    b'{\n  "version": ', b'[\n{"id": ', b"[]\n",  # check --format json, export --format json
    b"id,region,period,metric,value,", b"\xef\xbb\xbfid,region,period,metric,value,",  # export csv (--bom)
    b'<svg xmlns="http://www.w3.org/2000/svg" width=',  # a brief's chart
)


def looks_like_ours(path: Path) -> bool:
    """Whether an existing file is an earlier output of ipfacts (which `-o` may replace): empty, or of a shape
    ipfacts writes (JSON report, CSV/JSON/parquet export, PDF, chart), or naming ipfacts (its HTML, JUnit,
    GitHub and text reports, briefs, schemas and load-failure reports all do)."""
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
    return b"ipfacts" in head or (b"error(s), " in head and b"warning(s)" in head)


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
    from ipfacts.infra.atomic import write_atomic

    target = check_output(path, root, new_only)
    write_atomic(target.real, data, durable=durable, exclusive=new_only)
    return target.real
