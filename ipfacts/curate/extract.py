"""Text of a published document, with line breaks that stay put: what `ipfacts add-source` writes.

- PDF: pdfplumber (pdfminer.six underneath, pure Python, MIT). It reads the CID fonts and CMaps
  Chinese PDFs are set in, and lays characters out by position, so a line of the page is a line
  of text and the cells of a table row stand on one line, separated by spaces (a gap of more than
  1.5 pt between characters is a space: cells never glue, and a space inside a justified Chinese
  line does no harm, as quotes match whitespace-insensitively). Pages follow each other as plain
  lines: a page break is a line break, never a form feed.
- HTML: trafilatura, which keeps the article's text without menus and footers, one paragraph a
  line, and tables one row a line as `| cell | cell |`; when it finds no article the page's whole
  text is taken (lxml).
- Markdown and text: as written (UTF-8, or GB18030 as older Chinese pages are saved).

Every text then goes through `normalise`: one kind of line break (\\n), no form feeds or other
characters `str.splitlines` would count as a break (so `grep -n` and the citations agree), no
trailing spaces, no runs of more than one blank line, one final newline.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

PDF_SPACE = 1.5  # points between two characters that make a space (pdfplumber's x_tolerance)
KINDS = ("pdf", "html", "markdown", "text")


class ExtractError(Exception):
    """The document cannot be read: the message says why."""


def kind_of(path: Path, data: bytes) -> str:
    """pdf, html, markdown or text: from the bytes first (a PDF named .txt is a PDF), then the suffix."""
    head = data[:1024].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix == ".pdf":
        raise ExtractError(f"{path}: named .pdf but not a PDF (no %PDF- header)")
    return "text"


def extract(path: Path) -> str:
    """The normalised text of the document at `path`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    kind = kind_of(path, data)
    if kind == "pdf":
        text = pdf_text(data, path)
    elif kind == "html":
        text = html_text(decode(data, path), path)
    else:
        text = decode(data, path)
    text = normalise(text)
    if not text.strip():
        raise ExtractError(f"{path}: no text found" + (" (a scanned PDF? it needs OCR first)" if kind == "pdf" else ""))
    return text


def decode(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{path}: neither UTF-8 nor GB18030 text (byte {exc.start})") from exc


def pdf_text(data: bytes, path: Path) -> str:
    import io

    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text(x_tolerance=PDF_SPACE) or "" for page in pdf.pages]
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise ExtractError(f"{path}: not a readable PDF: {exc}") from exc
    except Exception as exc:  # pdfminer raises its own kinds for encrypted or broken files
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
            raise ExtractError(f"{path}: not a readable PDF: {type(exc).__name__}: {exc}") from exc
        raise
    return "\n".join(pages)


def html_text(page: str, path: Path) -> str:
    import trafilatura

    text = trafilatura.extract(page, include_tables=True, include_comments=False, favor_recall=True)
    if text:
        return str(text)
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.fromstring(page)
    except (ParserError, ValueError) as exc:
        raise ExtractError(f"{path}: not a readable HTML page: {exc}") from exc
    for dropped in tree.xpath("//script|//style"):
        dropped.drop_tree()
    return str(tree.text_content())


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
