"""Parsing fact files, cached by content and by the code that parsed them.

Every YAML file is read once and hashed (sha256 of its bytes). Its parsed
form is stored as JSON in a directory named after the parser's format and
the fingerprint of the running ipfacts (`infra.fingerprint`), under the
file's hash: an entry is found only for the same bytes parsed by the same
code. An entry is sealed with this user's secret (infra.cachekey), so one
planted in the folder is not used. An entry is never trusted: JSON cannot
construct anything but plain data, and `_node` rebuilds the node tree checking the shape of every node —
an entry that is unreadable, damaged, crafted or of another shape is ignored,
the file parsed again and the entry rewritten. The cache directory is safe to
delete.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipfacts.infra import fingerprint
from ipfacts.infra.atomic import write_atomic
from ipfacts.infra.cachekey import seal, secret
from ipfacts.infra.safefiles import UnsafeFile, read_regular
from ipfacts.load.yamlnodes import DUPLICATES, LINE, MAX_FILE_BYTES, Node, Where, YamlSyntaxError, parse_nodes

# Bump when the plain node form changes (the fingerprint covers code changes anyway).
FORMAT = 4
_TAGS = frozenset({"str", "int", "float", "bool", "null"})

Parsed = Node | YamlSyntaxError | None


class BadEntry(ValueError):
    """A cache entry that is not the plain node form: ignored, never used."""


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(Where(shown, line), "not UTF-8 text") from exc


def _parse(data: bytes, shown: str) -> Parsed:
    try:
        return parse_nodes(_decode(data, shown), shown)
    except YamlSyntaxError as exc:
        return exc


def _line(value: Any) -> int:
    if type(value) is not int or value < 1:
        raise BadEntry("a line is a positive integer")
    return value


def _node(value: Any) -> Node:
    """The node tree of one JSON entry (scalars back to tuples), every node's shape checked."""
    kind = type(value)
    if kind is list:
        if len(value) == 3:  # scalar (line, tag, text)
            line, tag, text = value
            if tag not in _TAGS or type(text) is not str:
                raise BadEntry("a scalar is (line, tag, text)")
            return (_line(line), tag, text)
        if len(value) == 2 and type(value[1]) is list:  # sequence [line, [node, …]]
            return [_line(value[0]), [_node(item) for item in value[1]]]
        raise BadEntry("a list node is a scalar or a sequence")
    if kind is dict:
        result: dict[str, Any] = {}
        for key, entry in value.items():
            if key == LINE:
                result[key] = _line(entry)
            elif key == DUPLICATES:
                result[key] = [_duplicate(d) for d in entry] if type(entry) is list else _bad("duplicates")
            elif type(entry) is list and len(entry) == 2 and not key.startswith("\x00"):
                result[key] = (_line(entry[0]), _node(entry[1]))
            else:
                raise BadEntry("a mapping entry is (key line, node)")
        if LINE not in result:
            raise BadEntry("a mapping has its line")
        return result
    raise BadEntry("a node is a list or a mapping")


def _duplicate(value: Any) -> tuple[str, int, int]:
    if type(value) is not list or len(value) != 3 or type(value[0]) is not str:
        raise BadEntry("a duplicate is (key, line, first line)")
    return (value[0], _line(value[1]), _line(value[2]))


def _bad(what: str) -> Any:
    raise BadEntry(f"bad {what}")


def encode(parsed: Node | None, digest: str = "") -> bytes:
    """An entry: plain JSON, with (given the file's hash) a checksum of its name and node."""
    node = json.dumps(parsed, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    check = f',"check":"{_check(digest, node)}"' if digest else ""
    return f'{{"format":{FORMAT},"node":{node}{check}}}'.encode()


def decode(blob: bytes, digest: str | None = None) -> Node | None:
    """The node tree of an entry; raises BadEntry (a ValueError) for anything but a well-formed one — and, given
    the hash it is stored under, for an entry whose checksum does not match (damaged, or copied from another)."""
    data = json.loads(blob)
    if type(data) is not dict or data.get("format") != FORMAT or not {"format", "node"} <= set(data) <= {
            "format", "node", "check"}:
        raise BadEntry("not an entry of this format")
    node = data["node"]
    if digest is not None:
        text = json.dumps(node, ensure_ascii=False, separators=(",", ":"), check_circular=False)
        expected = _check(digest, text)
        if not expected or data.get("check") != expected:
            raise BadEntry("the seal does not match")
    return None if node is None else _node(node)


def _check(digest: str, node: str) -> str:
    """The seal of an entry's name and node under this user's secret (infra.cachekey): a damaged, foreign or
    planted entry (whoever can write the cache folder can compute a plain hash) is not used. "" without a secret."""
    return seal(digest.encode("ascii", "replace"), node.encode("utf-8")) or ""


def _drop_other_versions(base: Path) -> None:
    """Entries made by other code are never read again: delete them rather than let them pile up."""

    with contextlib.suppress(OSError):
        for old in base.glob("parse-*"):
            shutil.rmtree(old, ignore_errors=True)


@dataclass
class ParseCache:
    directory: Path | None
    hashes: dict[str, str] = field(default_factory=dict)  # shown name → sha256 of the bytes read
    hits: int = 0
    misses: int = 0
    _read: dict[Path, tuple[bytes, str]] = field(default_factory=dict)  # one read and hash per file per run

    @classmethod
    def disabled(cls) -> ParseCache:
        return cls(None)

    @classmethod
    def for_root(cls, root: Path, enabled: bool = True) -> ParseCache:
        if not enabled or os.environ.get("IPFACTS_NO_CACHE") or secret() is None:
            return cls.disabled()  # (without this user's secret no entry could be trusted)

        base = Path(os.environ.get("IPFACTS_CACHE_DIR") or root / ".ipfacts-cache")
        directory = base / f"parse-v{FORMAT}-{fingerprint.code_fingerprint()[:20]}"
        try:
            if not directory.is_dir():
                _drop_other_versions(base)
            directory.mkdir(parents=True, exist_ok=True)
            gitignore = base / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
        except OSError:
            return cls.disabled()  # a read-only checkout still checks, just without the cache
        return cls(directory)

    def summary(self) -> str:
        """What this run read, for `--verbose`."""
        files = self.hits + self.misses
        return f"read {files:,} YAML file(s): {self.hits:,} from the cache, {self.misses:,} parsed"

    def read(self, path: Path, root: Path | None = None) -> tuple[bytes, str]:
        """A file's bytes and their sha256, read once per run (raises OSError; UnsafeFile for a file that is
        not a regular file inside `root`, or too large)."""

        found = self._read.get(path)
        if found is None:
            data = read_regular(path, MAX_FILE_BYTES, root)
            found = self._read[path] = (data, hashlib.sha256(data).hexdigest())
        return found

    def parse_many(self, files: Iterable[tuple[Path, str]], root: Path | None = None) -> dict[str, Parsed]:
        """Each file parsed (or its YamlSyntaxError); with `root`, only regular files inside it are read."""
        return dict(self.parse_iter(files, root))

    def parse_iter(self, files: Iterable[tuple[Path, str]], root: Path | None = None,
                   ) -> Generator[tuple[str, Parsed], None, None]:
        """(name shown, parsed file or its YamlSyntaxError) for each file, in order, as they come: each is
        read and hashed, then taken from the cache or parsed (and stored)."""

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
            cached = self._get(digest)
            if cached is not None:
                self.hits += 1
                yield shown, cached[0]
                continue
            self.misses += 1  # a file that fails to parse counts as parsed
            parsed = _parse(data, shown)
            if not isinstance(parsed, YamlSyntaxError):
                self._put(digest, parsed)
            yield shown, parsed

    def _entry(self, digest: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{digest}.json"

    def _get(self, digest: str) -> tuple[Parsed] | None:
        entry = self._entry(digest)
        if entry is None:
            return None
        try:
            blob = read_regular(entry, 1 << 30)  # a FIFO or device planted in the cache is not waited on
        except OSError:
            return None  # absent: parse
        try:
            return (decode(blob, digest),)
        except (ValueError, TypeError, RecursionError):  # damaged, crafted or of another shape: parse again
            return None

    def _put(self, digest: str, parsed: Node | None) -> None:
        entry = self._entry(digest)
        if entry is None or self.directory is None:
            return

        with contextlib.suppress(OSError, ValueError):  # a cache that cannot be written only costs time
            write_atomic(entry, encode(parsed, digest), durable=False)
