"""The secret that makes a cache entry this user's own: a cache must never give a wrong answer.

Cache entries live in the fact base (`.ipfacts-cache/`), where anyone who can write the folder (or ship
it in an archive) could plant one. An entry's key is a hash of every input, which anyone can compute,
so a planted entry could carry the right key and a wrong report. Entries are therefore sealed with an
HMAC under a secret kept outside the fact base, readable by this user only:
`$XDG_CACHE_HOME/ipfacts/cache.key` (else `~/.cache/ipfacts/cache.key`), 32 random bytes, made on first
use (mode 0600). A key file that is not a regular file of this user, or that others can read, is not
used; without a usable secret, entries are neither trusted nor written (the check runs in full).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from functools import cache
from pathlib import Path

KEY_BYTES = 32


def _location() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or (os.path.join(os.path.expanduser("~"), ".cache")
                                                if os.path.expanduser("~") != "~" else "")
    return Path(base) / "ipfacts" / "cache.key" if base and os.path.isabs(base) else None


def _usable(fd: int) -> bool:
    info = os.fstat(fd)
    own = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISREG(info.st_mode) and own and not info.st_mode & 0o077 and info.st_size == KEY_BYTES


@cache
def secret() -> bytes | None:
    """This user's cache secret (None when it cannot be had: then no cache entry is trusted)."""
    path = _location()
    if path is None:
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES))
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
