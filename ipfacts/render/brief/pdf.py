"""Printing a brief's HTML to PDF with WeasyPrint: fonts checked first, files fetched only from allowed folders.

This module imports neither Jinja nor the fact base.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ipfacts.infra.safefiles import real_path
from ipfacts.render.brief.errors import FontMissing

FONT_HINT = ("install a Chinese font and run again: `apt-get install fonts-noto-cjk` (Debian/Ubuntu; "
             "also `libharfbuzz-subset0` for speed), then check with `fc-list :lang=zh`")


def chinese_fonts() -> list[str] | None:
    """The font families fontconfig offers for Chinese; None when fc-list is not available to ask."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({line.strip() for line in out.stdout.splitlines() if line.strip()})


def check_fonts() -> None:
    fonts = chinese_fonts()
    if fonts is not None and not fonts:
        raise FontMissing(f"no Chinese font is installed (`fc-list :lang=zh` lists none), so the PDF would show "
                          f"empty boxes instead of Chinese text; {FONT_HINT}")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: list[str] = []
        self.other: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record from the library: keep its raw text
            message = str(record.msg)
        if ".notdef glyph" in message:
            match = re.search(r"\(U\+([0-9A-F]+)\)", message)
            self.missing.append(f"U+{match.group(1)}" if match else message)
        else:
            self.other.append(message)


@contextmanager
def _weasyprint_log() -> Iterator[_Collect]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    old_level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def _inside(path: Path, folders: list[Path]) -> bool:
    for folder in folders:
        try:
            path.relative_to(folder)
            return True
        except ValueError:
            continue
    return False


def make_url_fetcher(allowed: list[Path]) -> Any:
    """A WeasyPrint URL fetcher that serves `data:` URLs and files under `allowed` folders, nothing else."""
    from weasyprint.urls import URLFetcher  # lazy: weasyprint costs 0.57 s to import; only PDF briefs need it

    folders = [real_path(f) for f in allowed]

    class Restricted(URLFetcher):
        blocked: list[str]

        def __init__(self) -> None:
            super().__init__(timeout=5, allowed_protocols=("file", "data"), allow_redirects=False)
            self.blocked = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = real_path(unquote(parts.path))
                if _inside(path, folders) and path.is_file():
                    return super().fetch(url, headers)
            self.blocked.append(url)
            raise ValueError(f"ipfacts does not fetch {url}: only files under the template and output folders")

    return Restricted()


@dataclass
class PdfResult:
    data: bytes
    blocked: list[str]
    warnings: list[str]
    attachments_dropped: int = 0
    pages: int = 0


@dataclass
class PrintJob:
    """What WeasyPrint needs: the brief's HTML (print media) and the folders it may read files from."""

    html: str
    base_url: str
    allowed: list[Path]
    attachments: bool = False  # `<link rel=attachment>` / `<a rel=attachment>` embedded: the package's own template only


_warm = False


def pdf_warm_up() -> None:
    """Everything a PDF needs that does not depend on the brief: a Chinese font, and WeasyPrint imported."""
    global _warm
    if not _warm:
        check_fonts()
        _import_weasyprint()
        _warm = True


def _import_weasyprint() -> None:
    import weasyprint  # noqa: F401  # lazy: 0.57 s to import, paid here once (pdf_warm_up); only PDF briefs need it


def render_pdf(job: PrintJob) -> PdfResult:
    pdf_warm_up()
    from weasyprint import HTML  # lazy: 0.57 s to import (pdf_warm_up above pays it); only PDF briefs need it

    fetcher = make_url_fetcher(job.allowed)
    with _weasyprint_log() as log:
        dropped: list[Any] = []
        document = HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).render()
        if not job.attachments:  # another template may not carry files off in the PDF: drop them before they are read
            dropped += list(document.metadata.attachments)
            document.metadata.attachments = []
            for page in document.pages:
                dropped += [link for link in page.links if link[0] == "attachment"]
                page.links = [link for link in page.links if link[0] != "attachment"]
        data = document.write_pdf()
    if log.missing:
        shown = ", ".join(dict.fromkeys(log.missing))
        raise FontMissing(f"the PDF would show empty boxes: no installed font has a glyph for {shown}; {FONT_HINT}")
    return PdfResult(bytes(data or b""), list(fetcher.blocked), log.other, attachments_dropped=len(dropped),
                     pages=len(document.pages))
