"""A new, empty fact base: what `ipfacts init DIR` writes.

    DIR/facts/sources.yaml   no sources yet (comments saying what goes there; add-source fills it)
    DIR/facts/metrics.yaml   the shipped metric vocabulary (ipfacts/data/metrics.yaml), to extend
    DIR/facts/README.md      the curation policy in brief, and where the rest is
    DIR/seeds/               where add-source puts the text of each document
    DIR/.gitignore           the lock files and interrupted writes ipfacts may leave (unless DIR has one)

`ipfacts check` on it: 0 facts, exit 0. Nothing is ever written over: when any of these files exists,
`init` writes none of them and says which.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ipfacts.infra.atomic import write_atomic


class InitError(Exception):
    """The base cannot be made (nothing was written)."""


SOURCES = """\
# The source documents of this fact base, by id. `ipfacts add-source FILE-OR-URL --id ID` adds one:
# it writes seeds/ID.txt and its entry here (file, title, region, period, lang, sha256; url and
# retrieved for a page fetched by URL; pages for a PDF). Entries may be edited by hand; add-source
# and `reanchor --write` edit this file in place, keeping comments and layout.
"""

README = """\
# This fact base

Made by `ipfacts init`. Its files:

- `sources.yaml`: the source documents (`ipfacts add-source` adds one);
- `metrics.yaml`: the metric vocabulary, the same key for the same indicator in every region
  (`ipfacts metrics` lists it; add a key only when no existing one means the same thing);
- one fact file per document (`ipfacts scaffold ID -o facts/ID.yaml` drafts it);
- `reviews.yaml`: editors' verdicts, written by `ipfacts review` only.

## Policy

- **Every number as written.** `value` is the figure exactly as the source prints it, qualifier
  and unit included (`1.2亿余元`, `超1100人`). A decline is negative. Never correct a number: a
  wrong figure is recorded as published and reviewed as `source-error`.
- **Quotes are copied, not retyped**: a short clause of the seed that holds the value.
- **Every relation the text states is declared** (part of, share of, growth of, …); never weaken
  or delete a relation to make a finding go away: review the finding instead.
- **Seeds are never edited**: citations are checked against their exact bytes (sha256). When a
  source changes, `ipfacts reanchor ID --write` finds every quote again.

The steps, from a document to a checked base, are in the ipfacts documentation (docs/curating.md);
the file format in docs/format.md.
"""

GITIGNORE = """\
# ipfacts: lock files and interrupted writes
facts/.*.lock
.*.ipfacts-tmp.*
.ipfacts-cache/
"""


def files(root: Path) -> dict[Path, bytes]:
    vocabulary = resources.files("ipfacts").joinpath("data/metrics.yaml").read_bytes()
    return {root / "facts" / "sources.yaml": SOURCES.encode("utf-8"),
            root / "facts" / "metrics.yaml": vocabulary,
            root / "facts" / "README.md": README.encode("utf-8"),
            root / ".gitignore": GITIGNORE.encode("utf-8")}


def init_base(root: Path) -> list[Path]:
    """Write a new empty base under `root` (made if missing); returns the paths written. Raises InitError."""
    planned = files(root)
    if root.exists() and not root.is_dir():
        raise InitError(f"{root} exists and is not a folder")
    ignore = root / ".gitignore"
    if ignore.exists() or ignore.is_symlink():  # a repository's own: kept as it is
        del planned[ignore]
    there = [p for p in planned if p.exists() or p.is_symlink()]
    if there:
        shown = ", ".join(str(p) for p in there)
        raise InitError(f"{shown} already exist{'s' if len(there) == 1 else ''}: init never writes over a base's "
                        "files (nothing was written)")
    written: list[Path] = []
    try:
        for path, data in planned.items():
            write_atomic(path, data, exclusive=True)
            written.append(path)
        (root / "seeds").mkdir(exist_ok=True)
    except FileExistsError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise InitError(f"{exc.filename} appeared meanwhile: nothing was written") from exc
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise InitError(f"cannot write under {root}: {exc.strerror or exc}") from exc
    return [*written, root / "seeds"]
