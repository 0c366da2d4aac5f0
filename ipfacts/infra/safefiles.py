"""Reading the fact base's own files safely: regular files inside the root, of bounded size, never blocking.

A fact file, sources.yaml, a source document or a template may be a link, but only to a regular file
inside the fact base root: a link to /dev/zero would read until memory runs out, a FIFO would block
forever, a link out of the root would let a base read (and quote) any file of the machine. Files are
opened with O_NONBLOCK and checked with fstat on the open descriptor, so a FIFO is refused without
waiting for a writer and a file swapped between the check and the read is still the one checked.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_SOURCE_BYTES = 256 * 1024 * 1024  # one source document (text extracted from a PDF: a few MB at most)


class UnsafeFile(OSError):
    """A file that is not read: `code` is the finding code (L017 too large, L020 not a regular file inside
    the root, L021 unreadable) and `message` says why, for `path:line: message`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(errno.EPERM, message)
        self.code = code
        self.message = message


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a link"
    return "not a regular file"


def real_path(path: Path | str) -> Path:
    """`path` with every link resolved, like Path.resolve(), but a link loop gives a path (that then fails to
    open: ELOOP, a message) instead of Python 3.11's RuntimeError."""
    return Path(os.path.realpath(path))


def inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def check_inside(path: Path | str, root: Path | str, within: str = "the fact base root",
                 root_is_real: bool = False) -> str:
    """`path` with every link resolved; UnsafeFile (L020) when that leaves `root` (`root_is_real`: the caller
    resolved it already, as a run that reads thousands of files does once)."""
    resolved = os.path.realpath(path)
    top = os.fspath(root) if root_is_real else os.path.realpath(root)
    if resolved != top and not resolved.startswith(top.rstrip(os.sep) + os.sep):
        raise UnsafeFile("L020", f"is {'a link to ' if os.path.islink(path) else ''}{resolved}, outside {within}: "
                                 "only files inside it are read")
    return resolved


def read_regular(path: Path | str, limit: int, root: Path | str | None = None, within: str = "the fact base root",
                 root_is_real: bool = False) -> bytes:
    """The bytes of a regular file (inside `root` when given), at most `limit` of them.

    Raises UnsafeFile (an OSError) with a finding code and a message."""
    if root is not None:
        path = check_inside(path, root, within, root_is_real)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise UnsafeFile("L020", "is a directory, not a file") from exc
        raise UnsafeFile("L021", f"cannot read: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile("L020", f"is {kind_of(info.st_mode)}, not a regular file: not read")
        if info.st_size > limit:
            raise UnsafeFile("L017", f"is larger than {_size(limit)} ({_size(info.st_size)}): not read")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew while being read
                raise UnsafeFile("L017", f"is larger than {_size(limit)}: not read")
        return b"".join(chunks)
    except UnsafeFile:
        raise
    except OSError as exc:
        raise UnsafeFile("L021", f"cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MiB" if n >= 2**20 else f"{n:,} bytes"


def walk_yaml(folder: Path, root: Path) -> tuple[list[Path], list[tuple[Path, str, str]]]:
    """Every `*.yaml` under `folder` (sorted), not following links to directories, and the problems met:
    (path, code, message) for a folder that cannot be listed (L021) or a link out of the root (L020)."""
    found: list[Path] = []
    problems: list[tuple[Path, str, str]] = []
    real_root = real_path(root)
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError as exc:
            problems.append((current, "L021", f"folder {current.name}/ cannot be read ({exc.strerror or exc}): "
                                              "its fact files would go unchecked"))
            continue
        for entry in listed:
            path = Path(entry.path)
            if any("\udc80" <= ch <= "\udcff" for ch in entry.name):  # bytes that are not UTF-8 (os.fsdecode)
                problems.append((path, "L023", "this file or folder name is not valid UTF-8 text: rename it "
                                               "(ids, findings and reviews are made from names)"))
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as exc:
                problems.append((path, "L021", f"cannot be read ({exc.strerror or exc})"))
                continue
            if is_dir:
                stack.append(path)
            elif is_link and not entry.name.endswith(".yaml") and path.is_dir():
                if not inside(real_path(path), real_root):
                    problems.append((path, "L020", f"a link to {real_path(path)}, outside the fact base root: "
                                                   "not followed"))
            elif entry.name.endswith(".yaml"):
                found.append(path)
    return sorted(found), problems
