"""Parsing fact files, cached by content and spread over the cores.

Every YAML file is read once and hashed (sha256 of its bytes). A file whose
parsed form is in the cache directory under that hash is loaded with
`marshal` — no YAML, no object rebuilding; the entry is never trusted for
other bytes, since the name *is* the hash. Files not in the cache are parsed,
in worker processes when there are enough of them to pay for the start-up,
and written to the cache atomically. The cache directory is safe to delete.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ipfacts import __version__
from ipfacts.load.yamlnodes import Node, Where, YamlSyntaxError, parse_nodes

# Bump when the plain node form changes, so old entries are simply not found.
FORMAT = 4
PARALLEL_MIN_BYTES = 2_000_000
PARALLEL_MIN_FILES = 4

Parsed = Node | YamlSyntaxError | None


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(Where(shown, line), "not UTF-8 text") from exc


def _parse(item: tuple[bytes, str]) -> Parsed:
    data, shown = item
    try:
        return parse_nodes(_decode(data, shown), shown)
    except YamlSyntaxError as exc:
        return exc


def _parse_in_worker(item: tuple[bytes, str]) -> bytes | YamlSyntaxError:
    """In a worker process: parse, and hand back one marshal buffer (pickling the tree itself
    would cost the parent as much as parsing it)."""
    import gc

    gc.disable()
    parsed = _parse(item)
    return parsed if isinstance(parsed, YamlSyntaxError) else marshal.dumps(parsed)


@dataclass
class ParseCache:
    directory: Path | None
    parallel: bool = True
    hashes: dict[str, str] = field(default_factory=dict)  # shown name → sha256 of the bytes read
    hits: int = 0
    misses: int = 0
    _read: dict[Path, tuple[bytes, str]] = field(default_factory=dict)  # one read and hash per file per run

    @classmethod
    def disabled(cls) -> ParseCache:
        return cls(None)

    @classmethod
    def for_root(cls, root: Path, enabled: bool = True) -> ParseCache:
        if not enabled or os.environ.get("IPFACTS_NO_CACHE"):
            return cls.disabled()
        base = Path(os.environ.get("IPFACTS_CACHE_DIR") or root / ".ipfacts-cache")
        version = f"parse-v{FORMAT}-{__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
        directory = base / version
        try:
            directory.mkdir(parents=True, exist_ok=True)
            gitignore = base / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
        except OSError:
            return cls.disabled()  # a read-only checkout still checks, just without the cache
        return cls(directory)

    def read(self, path: Path, root: Path | None = None) -> tuple[bytes, str]:
        """A file's bytes and their sha256, read once per run (raises OSError; UnsafeFile for a file that is
        not a regular file inside `root`, or too large)."""
        from ipfacts.infra.safefiles import read_regular
        from ipfacts.load.yamlnodes import MAX_FILE_BYTES

        found = self._read.get(path)
        if found is None:
            data = read_regular(path, MAX_FILE_BYTES, root)
            found = self._read[path] = (data, hashlib.sha256(data).hexdigest())
        return found

    def parse_many(self, files: Iterable[tuple[Path, str]], root: Path | None = None) -> dict[str, Parsed]:
        """Each file parsed (or its YamlSyntaxError); with `root`, only regular files inside it are read."""
        from ipfacts.infra.safefiles import UnsafeFile

        results: dict[str, Parsed] = {}
        todo: list[tuple[str, bytes, str]] = []
        for path, shown in files:
            try:
                data, digest = self.read(path, root)
            except UnsafeFile as exc:
                results[shown] = YamlSyntaxError(Where(shown, 1), exc.message, exc.code)
                continue
            except OSError as exc:
                results[shown] = YamlSyntaxError(Where(shown, 1), f"cannot read: {exc.strerror}")
                continue
            self.hashes[shown] = digest
            cached = self._get(digest)
            if cached is not None:
                self.hits += 1
                results[shown] = cached[0]
            else:
                self.misses += 1
                todo.append((digest, data, shown))
        for (digest, _, shown), (parsed, blob) in zip(todo, self._parse_all([(d, s) for _, d, s in todo]), strict=True):
            results[shown] = parsed
            if not isinstance(parsed, YamlSyntaxError):
                self._put(digest, blob if blob is not None else marshal.dumps(parsed))
        return results

    def _parse_all(self, items: list[tuple[bytes, str]]) -> list[tuple[Parsed, bytes | None]]:
        """Each file's parse, with its marshal form when a worker already made it."""
        size = sum(len(data) for data, _ in items)
        workers = min(os.cpu_count() or 1, 4)
        if not self.parallel or workers < 2 or len(items) < PARALLEL_MIN_FILES or size < PARALLEL_MIN_BYTES:
            return [(_parse(item), None) for item in items]
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            done = list(pool.map(_parse_in_worker, items, chunksize=max(1, len(items) // (workers * 4))))
        return [(found, None) if isinstance(found, YamlSyntaxError) else (marshal.loads(found), found) for found in done]

    def _entry(self, digest: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{digest}.marshal"

    def _get(self, digest: str) -> tuple[Parsed] | None:
        entry = self._entry(digest)
        if entry is None:
            return None
        from ipfacts.infra.safefiles import read_regular

        try:
            blob = read_regular(entry, 1 << 30)  # a FIFO or device planted in the cache is not waited on
        except OSError:
            return None  # absent: parse
        if len(blob) < _CHECK_BYTES or blob[:_CHECK_BYTES] != _check(digest, blob[_CHECK_BYTES:]):
            return None  # damaged or not ours: parse again
        try:
            parsed = marshal.loads(blob[_CHECK_BYTES:])
        except (EOFError, ValueError, TypeError):
            return None
        if not (parsed is None or type(parsed) in (dict, list, tuple)):
            return None
        return (parsed,)

    def _put(self, digest: str, blob: bytes) -> None:
        entry = self._entry(digest)
        if entry is None:
            return
        from ipfacts.infra.atomic import write_atomic

        with contextlib.suppress(OSError, ValueError):  # a cache that cannot be written only costs time
            write_atomic(entry, _check(digest, blob) + blob, durable=False)


_CHECK_BYTES = 32


def _check(digest: str, blob: bytes) -> bytes:
    """An entry's first bytes: the sha256 of its name and content, so that a damaged or foreign file is not used."""
    return hashlib.sha256(digest.encode("ascii", "replace") + b"\x1f" + blob).digest()
