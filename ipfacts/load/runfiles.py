"""The files one run reads: each read (safely, bounded) and hashed once.

A check reads every fact file, sources.yaml, metrics.yaml, units.txt … and every source document; the run
cache (check/runcache.py) and the brief's extract (render/brief/extract.py) are keyed on the same bytes.
`RunFiles` reads each file once per run and keeps its sha256, so hashing the inputs for a key costs no second
read, and the key itself (`inputs_digest`) is computed once per run however many caches ask for it.

It also says where the run's caches live: `directory` is `.ipfacts-cache` under the root (or
$IPFACTS_CACHE_DIR), None when caching is off — `--no-cache`, $IPFACTS_NO_CACHE, a folder that cannot be
made, or no secret of this user to seal entries with (infra.cachekey: an entry that could not be told from
a planted one is never written).

Parsed fact files are not cached (issue 26): a cache entry per fact file cost a cold check more than reading
entries saved a partly changed one, on both base shapes (benchmarks/README.md). A run that changed nothing is
answered whole by the run cache; a brief after a check by its extract.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ipfacts.infra.cachekey import secret
from ipfacts.infra.safefiles import MAX_SOURCE_BYTES, UnsafeFile, read_regular, real_path
from ipfacts.load.inputs import input_files
from ipfacts.load.yamlnodes import (
    MAX_FILE_BYTES,
    Node,
    Where,
    YamlSyntaxError,
    decode_text,
    get,
    is_map,
    is_scalar,
    items,
    parse_nodes,
    scalar_text,
)

Parsed = Node | YamlSyntaxError | None
CACHE_FOLDER = ".ipfacts-cache"
SOURCES = "facts/sources.yaml"


def parse_bytes(data: bytes, shown: str) -> Parsed:
    """One YAML file's nodes, or the YamlSyntaxError that says where it cannot be read."""
    try:
        return parse_nodes(decode_text(data, shown), shown)
    except YamlSyntaxError as exc:
        return exc


def _drop_parse_entries(base: Path) -> None:
    """The per-file parse entries of earlier versions (`parse-v*` folders) are never read again: deleted."""
    with contextlib.suppress(OSError):
        for old in base.glob("parse-*"):
            shutil.rmtree(old, ignore_errors=True)


@dataclass
class RunFiles:
    directory: Path | None  # where the run's caches live; None: no cache is read or written
    hashes: dict[str, str] = field(default_factory=dict)  # name shown → sha256 of the YAML file's bytes
    _read: dict[Path, tuple[bytes, str]] = field(default_factory=dict)  # one read and hash per file per run
    _inputs: dict[Path, str | None] = field(default_factory=dict)  # root → inputs_digest, once per run
    _roots: dict[Path, str] = field(default_factory=dict)  # root → its real path, resolved once per run

    @classmethod
    def disabled(cls) -> RunFiles:
        return cls(None)

    @classmethod
    def for_root(cls, root: Path, enabled: bool = True) -> RunFiles:
        if not enabled or os.environ.get("IPFACTS_NO_CACHE") or secret() is None:
            return cls.disabled()  # (without this user's secret no entry could be trusted)
        base = Path(os.environ.get("IPFACTS_CACHE_DIR") or root / CACHE_FOLDER)
        try:
            base.mkdir(parents=True, exist_ok=True)
            gitignore = base / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
        except OSError:
            return cls.disabled()  # a read-only checkout still checks, just without the caches
        _drop_parse_entries(base)
        return cls(base)

    def summary(self) -> str:
        """What this run read, for `--verbose`."""
        return f"read {len(self.hashes):,} YAML file(s)"

    def read(self, path: Path, root: Path | None = None, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
        """A file's bytes and their sha256, read once per run (raises OSError; UnsafeFile for a file that is
        not a regular file inside `root`, or larger than `limit`)."""
        found = self._read.get(path)
        if found is None:
            if root is None:
                data = read_regular(path, limit)
            else:
                real = self._roots.get(root)
                if real is None:
                    real = self._roots[root] = os.path.realpath(root)
                data = read_regular(path, limit, real, root_is_real=True)
            found = self._read[path] = (data, hashlib.sha256(data).hexdigest())
        return found

    def parse_many(self, files: Iterable[tuple[Path, str]], root: Path | None = None) -> dict[str, Parsed]:
        """Each file parsed (or its YamlSyntaxError); with `root`, only regular files inside it are read."""
        return dict(self.parse_iter(files, root))

    def parse_iter(self, files: Iterable[tuple[Path, str]], root: Path | None = None,
                   ) -> Generator[tuple[str, Parsed], None, None]:
        """(name shown, parsed file or its YamlSyntaxError) for each file, in order, as they come."""
        for path, shown in files:
            try:
                data, digest = self.read(path, root)
            except UnsafeFile as exc:
                yield shown, YamlSyntaxError(Where(shown, 1), exc.message, exc.code)
                continue
            except OSError as exc:
                yield shown, YamlSyntaxError(Where(shown, 1), f"cannot read: {exc.strerror}")
                continue
            self.hashes[shown] = digest
            yield shown, parse_bytes(data, shown)

    def inputs_digest(self, root: Path) -> str | None:
        """sha256 over every input's bytes — the one list of inputs (load/inputs.py) and the source documents
        sources.yaml names — computed once per run; None when an input cannot be read (the run reports it)."""
        root = real_path(root)
        if root not in self._inputs:
            self._inputs[root] = self._digest(root)
        return self._inputs[root]

    def _digest(self, root: Path) -> str | None:
        digest = hashlib.sha256()
        for path, shown in sorted(input_files(root), key=lambda item: item[1]):
            try:
                digest.update(f"\x1e{shown}\x1f{self.read(path, root)[1]}".encode())
            except OSError:
                return None
        sources = self.parse_many([(root / SOURCES, SOURCES)], root).get(SOURCES)
        if sources is None or not is_map(sources):
            return None
        for _, entry in items(sources):
            file_node = get(entry, "file") if is_map(entry) else None
            if file_node is None or not is_scalar(file_node):
                return None
            try:
                sha = self.read(root / scalar_text(file_node), root, MAX_SOURCE_BYTES)[1]
            except (OSError, ValueError):
                return None  # let the full run report it
            digest.update(b"\x1e" + bytes.fromhex(sha))
        return digest.hexdigest()
