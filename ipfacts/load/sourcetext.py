"""Source documents read once, hashed once, and indexed by line for quote matching.

Quotes match ignoring whitespace and line breaks (PDF extraction breaks
sentences, and sometimes numbers, across lines) and after NFKC, so a
full-width `％` in the source matches `%` in a quote.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from ipfacts.infra.safefiles import MAX_SOURCE_BYTES, read_regular
from ipfacts.load.model import Source

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def split_lines(text: str) -> list[str]:
    """The lines as `grep -n` and editors number them: only \\n ends a line (a \\r before it is dropped).

    Not str.splitlines(), which also breaks at a form feed (pdftotext's page break), \\v, \\x1c-\\x1e,
    \\x85 and U+2028/2029, and would shift every line number after one of them."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


@dataclass
class SourceText:
    source: Source
    data: bytes

    @classmethod
    def read(cls, source: Source) -> SourceText:

        return cls(source, read_regular(source.path, MAX_SOURCE_BYTES))

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def hash_ok(self) -> bool:
        return self.sha256 == self.source.sha256

    @cached_property
    def lines(self) -> list[str]:
        # the loader checked the bytes are UTF-8; replaced if the file changed since (C001 then says so)
        return split_lines(self.data.decode("utf-8", errors="replace"))

    @cached_property
    def _squashed(self) -> tuple[str, list[int]]:
        parts = [squash(line) for line in self.lines]
        starts, offset = [], 0
        for part in parts:
            starts.append(offset)
            offset += len(part)
        return "".join(parts), starts

    def squashed_range(self, first: int, last: int) -> str:
        """The squashed text of lines first..last (1-based, inclusive)."""
        text, starts = self._squashed
        begin = starts[first - 1]
        end = starts[last] if last < len(starts) else len(text)
        return text[begin:end]

    def find(self, needle: str) -> list[tuple[int, int]]:
        """Every place a squashed needle occurs, as (first line, last line), 1-based."""
        text, starts = self._squashed
        found, at = [], text.find(needle)
        while at != -1 and needle:
            first = bisect_right(starts, at)
            last = bisect_right(starts, at + len(needle) - 1)
            found.append((first, last))
            at = text.find(needle, at + 1)
        return found

    def context(self, first: int, last: int, around: int = 2) -> list[tuple[int, str]]:
        lo = max(1, first - around)
        hi = min(len(self.lines), last + around)
        return [(n, self.lines[n - 1]) for n in range(lo, hi + 1)]


class SourceTexts:
    """Each source read at most once per run."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self._sources = sources
        self._texts: dict[str, SourceText] = {}

    def __getitem__(self, source_id: str) -> SourceText:
        text = self._texts.get(source_id)
        if text is None:
            text = self._texts[source_id] = SourceText.read(self._sources[source_id])
        return text
