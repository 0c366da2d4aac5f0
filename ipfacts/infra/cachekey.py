"""The secret that makes a cache entry this user's own: a cache must never give a wrong answer.

Cache entries live in the fact base (`.ipfacts-cache/`), where anyone who can write the folder (or ship
it in an archive) could plant one. An entry's key is a hash of every input, which anyone can compute,
so a planted entry could carry the right key and a wrong report. Entries are therefore sealed with an
HMAC under a secret kept outside the fact base, readable by this user only:
`$XDG_CACHE_HOME/ipfacts/cache.key` (else `~/.cache/ipfacts/cache.key`; where the home cannot be
written, `ipfacts-UID/cache.key` in the temporary folder), 32 random bytes, made on first use (mode
0600, in a folder of this user's that no one else can write). A key file or folder that is not this
user's, or that others can use, is not used; without a usable secret, entries are neither trusted nor
written (the check runs in full).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from functools import cache
from pathlib import Path

KEY_BYTES = 32


def _locations() -> list[Path]:
    home = os.path.expanduser("~")
    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(home, ".cache") if home != "~" else "")
    found = [Path(base) / "ipfacts" / "cache.key"] if base and os.path.isabs(base) else []
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return [*found, Path(tempfile.gettempdir()) / f"ipfacts-{uid}" / "cache.key"]


def _own(info: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _usable(fd: int) -> bool:
    info = os.fstat(fd)
    return stat.S_ISREG(info.st_mode) and _own(info) and not info.st_mode & 0o077 and info.st_size == KEY_BYTES


@cache
def secret() -> bytes | None:
    """This user's cache secret (None when it cannot be had: then no cache entry is trusted)."""
    for path in _locations():
        found = _secret_at(path)
        if found is not None:
            return found
    return None


def _secret_at(path: Path) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder = os.lstat(path.parent)
        if not stat.S_ISDIR(folder.st_mode) or not _own(folder) or folder.st_mode & 0o022:
            return None  # a folder someone else made or can write: they could replace the key
        if not os.path.lexists(path):  # made whole, then put in place: a reader never sees half a key
            draft = path.with_name(f".cache.key.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(secrets.token_bytes(KEY_BYTES))
                with contextlib.suppress(FileExistsError):
                    os.link(draft, path)  # never replaces a key another process put there first
            finally:
                os.unlink(draft)
        fd = os.open(path, flags)
        try:
            if not _usable(fd):
                return None
            data = os.read(fd, KEY_BYTES + 1)
        finally:
            os.close(fd)
    except OSError:
        return None
    return data if len(data) == KEY_BYTES else None


def seal(*parts: bytes) -> str | None:
    """An HMAC-SHA256 of the parts under this user's secret (None: no secret, so nothing is sealed)."""
    key = secret()
    if key is None:
        return None
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        mac.update(len(part).to_bytes(8, "big") + part)
    return mac.hexdigest()


def sealed(mac: object, *parts: bytes) -> bool:
    """Whether `mac` is this user's seal of the parts."""
    expected = seal(*parts)
    return expected is not None and isinstance(mac, str) and hmac.compare_digest(expected, mac)
