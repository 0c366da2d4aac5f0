"""Text of a published document, with line breaks that stay put: what `ipfacts add-source` writes.

- PDF (curate/pdftext.py): pdfplumber, read as people read it — columns one after the other, running
  headers, footers and page numbers left out (and listed), each page's lines known, so that
  sources.yaml records `pages:`. A gap of more than 1.5 pt between characters is a space: the cells of
  a table row stand apart on one line. A PDF with no text layer (scanned) is refused: it needs OCR.
- HTML (curate/htmltext.py): the visible article text (trafilatura), hidden text dropped.
- Markdown and text: as written.

Bytes become text as the document declares (curate/decoding.py): a byte-order mark, the server's
charset, `<meta charset>`; else UTF-8, or the one of GB18030, Big5 and Shift_JIS that reads as text.

Every text then goes through `normalise`: one kind of line break (\\n), no form feeds or other
characters `str.splitlines` would count as a break (so `grep -n` and the citations agree), no
trailing spaces, no runs of more than one blank line, one final newline.

Bounds, each refused with a code and a message: a document over MAX_DOCUMENT_BYTES, text over
MAX_TEXT_BYTES (what `ipfacts check` reads of a source, and more than any report), and the PDF and
HTML bounds of their modules. Codes: A001 unreadable file, A002 undecodable text, A003 not a readable
PDF or page, A004 over a bound, A005 no text (a scanned PDF).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ipfacts.curate.decoding import DecodeError, decode, header_charset
from ipfacts.curate.htmltext import HtmlError, html_text
from ipfacts.curate.pdftext import PdfError, read_pdf

KINDS = ("pdf", "html", "markdown", "text")
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
MAX_TEXT_BYTES = 32 * 1024 * 1024  # a seed; below what `check` reads (infra.safefiles.MAX_SOURCE_BYTES)


class ExtractError(Exception):
    """The document cannot be read: `code` (A001…A005) and the message say why."""

    def __init__(self, message: str, code: str = "A001") -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Extracted:
    text: str  # normalised
    kind: str
    pages: dict[int, tuple[int, int]] | None = None  # PDF: page → its first and last line in `text`
    ignored: list[tuple[int, str]] = field(default_factory=list)  # PDF: (page, line) left out as furniture
    encoding: str | None = None

    page_count: int = 0  # PDF: its pages

    @property
    def textless_pages(self) -> list[int]:
        """PDF pages without text (blank, or scanned among pages that have text): not in `pages`."""
        return [n for n in range(1, self.page_count + 1) if n not in (self.pages or {})]


def kind_of(path: Path | str, data: bytes, content_type: str | None = None) -> str:
    """pdf, html, markdown or text: from the bytes first (a PDF named .txt is a PDF), then the suffix."""
    name = str(path)
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-") or (content_type or "").startswith("application/pdf"):
        return "pdf"
    suffix = Path(name.split("?", 1)[0]).suffix.lower()
    if (suffix in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html"))
            or (content_type or "").startswith(("text/html", "application/xhtml"))):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix == ".pdf":
        raise ExtractError(f"{name}: named .pdf but not a PDF (no %PDF- header)", "A003")
    return "text"


def extract(path: Path) -> str:
    """The normalised text of the document at `path`."""
    return read_document(path).text


def read_document(path: Path) -> Extracted:
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise ExtractError(f"{path}: {size // 2**20} MiB, more than {MAX_DOCUMENT_BYTES // 2**20} MiB: not read",
                               "A004")
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return from_bytes(data, str(path))


def from_bytes(data: bytes, name: str, content_type: str | None = None) -> Extracted:
    """The document in `data` (`name`: its file name or URL, for its kind and messages; `content_type`: what
    a server said it is)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ExtractError(f"{name}: more than {MAX_DOCUMENT_BYTES // 2**20} MiB: not read", "A004")
    kind = kind_of(name, data, content_type)
    pages = None
    ignored: list[tuple[int, str]] = []
    encoding = None
    count = 0
    if kind == "pdf":
        text, pages, ignored, count = _pdf(data, name)
    else:
        try:
            decoded, encoding = decode(data, html=kind == "html", charset=header_charset(content_type))
        except DecodeError as exc:
            raise ExtractError(f"{name}: {exc}", "A002") from exc
        if kind == "html":
            try:
                decoded = html_text(decoded)
            except HtmlError as exc:
                raise ExtractError(f"{name}: {exc.message}", exc.code) from exc
        text = normalise(decoded)
    if not text.strip():
        raise ExtractError(f"{name}: no text found" + (" (a scanned PDF: it has no text layer; run OCR on it "
                                                       "first, e.g. ocrmypdf)" if kind == "pdf" else ""), "A005")
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise ExtractError(f"{name}: more than {MAX_TEXT_BYTES // 2**20} MiB of text: not a report; not read", "A004")
    return Extracted(text, kind, pages, ignored, encoding, count)


def _pdf(data: bytes, name: str) -> tuple[str, dict[int, tuple[int, int]], list[tuple[int, str]], int]:
    """The PDF's text, page after page, and each page's lines."""
    try:
        read = read_pdf(data)
    except PdfError as exc:
        raise ExtractError(f"{name}: {exc.message}", exc.code) from exc
    chunks: list[str] = []
    pages: dict[int, tuple[int, int]] = {}
    line = 0
    for number, page in enumerate(read.pages, start=1):
        text = normalise(page)
        if not text:
            continue
        count = text.count("\n")
        pages[number] = (line + 1, line + count)
        line += count
        chunks.append(text)
    return "".join(chunks), pages, read.ignored, len(read.pages)


# Characters str.splitlines() breaks at besides \n and \r: form feed (a PDF page break), vertical
# tab, the C1 next-line, file/group/record separators, and the Unicode line and paragraph separators.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width spaces and joiners, soft hyphens
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    """One line break (\\n), nothing else that breaks a line, no trailing spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text)
    text = _BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text).replace("\t", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""
