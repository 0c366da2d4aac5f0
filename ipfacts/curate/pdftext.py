"""The text of a PDF as people read it: columns one after the other, page furniture set aside, pages known.

pdfplumber (pdfminer.six underneath) gives every character with its position. Per page:

1. **Furniture.** Lines in the outer tenth of a page's height that come back on a third of the pages
   or more (digits aside: 第3页 and 第4页 are one line), and a page's first or last line when it is a
   page number (12, - 12 -, 第12页, 12/40, Page 12) or a site's footer (ICP备 + number, 版权所有,
   Copyright 2024) are running headers and footers: they are left out of the text and listed in
   `Extracted.ignored` (page and text).
2. **Columns.** The words of the rest are laid on the x axis: a gutter is a vertical band in the middle
   of the page that fewer words cross than anywhere else (at most half the lines), with lines of text
   on both sides (columns of text, not the short cells of a table: a column's lines fill most of its
   width, or its words are long, as a line of Chinese is one word). A line that crosses the
   gutter (a title over both columns) cuts the page into bands; in each band the left column is read
   before the right one, and each side is looked at again for a gutter of its own (three or four
   columns).
3. **Lines.** Within a column, characters on one line are one line of text; a gap of more than 1.5 pt
   is a space (between two Chinese characters, more than half an em: justified lines spread their
   characters, table cells stand further apart), so the cells of a table row stand apart on one line.

Bounds, checked before pdfminer lays out a page: every compressed stream is inflated in bounded
steps and refused past MAX_STREAM_BYTES (a decompression bomb); the text-showing operators of the
page contents are counted and the document refused past MAX_TEXT_OPERATORS; at most MAX_PAGES pages.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

PDF_SPACE = 1.5  # points between two characters that make a space (pdfplumber's x_tolerance)
MAX_PAGES = 3000
MAX_STREAM_BYTES = 64 * 1024 * 1024  # one stream, inflated (a page's content is rarely over 1 MB)
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all content streams, inflated
MAX_TEXT_OPERATORS = 1_000_000  # Tj, TJ, ' and " over the whole document (a 300-page report: some 300,000)
EDGE = 0.1  # the outer share of a page's height where running headers and footers stand
GUTTER_ZONE = (0.3, 0.7)  # where on the page (share of the text's width) a gutter may stand
MIN_GUTTER = 6.0  # points
MAX_SPLITS = 3  # gutters within gutters: up to four columns
CJK_SPACE = 0.5  # of an em: the gap between two Chinese characters that is a space (a table's cells)
_CJK = re.compile("[\u2e80-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


class PdfError(Exception):
    """The PDF cannot be read (or is refused by a bound): `code` and a message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class PdfText:
    pages: list[str]  # each page's text, lines in reading order (no furniture)
    ignored: list[tuple[int, str]] = field(default_factory=list)  # (page, line) left out as furniture


_PAGE_NUMBER = re.compile(r"^[-–—\s]*(第\s*)?[0-9]{1,4}(\s*页)?[-–—\s]*$|^[0-9]{1,4}\s*/\s*[0-9]{1,4}$|^(page|p\.)\s*[0-9]{1,4}"
                          r"(\s*(of|/)\s*[0-9]{1,4})?$|^[ivxlc]{1,6}$", re.IGNORECASE)
_SITE_FOOTER = re.compile(r"ICP[备证]\s*[0-9]|公网安备\s*[0-9]|版权所有|copyright\s*(©|\(c\)|[0-9]{4})|©\s*[0-9]{4}|all rights reserved",
                          re.IGNORECASE)
_TEXT_OP = re.compile(rb"(?<![A-Za-z0-9_])(?:Tj|TJ|'|\")(?![A-Za-z0-9_])")


def check_bounds(data: bytes) -> None:
    """Refuse a PDF whose streams inflate past the bounds or that shows too much text, before layout."""
    # lazy: pdfminer costs 50 ms to import (pdfplumber 80 ms with it); only a PDF source needs them, and
    # add-source of a web page imports this module too
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except Exception as exc:  # pdfminer's own kinds for broken or encrypted files
        raise PdfError("A003", f"not a readable PDF: {type(exc).__name__}: {exc}") from exc
    total = operators = 0
    direct: list[int] = []
    packed: list[int] = []  # objects inside object streams: pdfminer inflates their stream to read them
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                stream_id = xref.get_pos(objid)[0]
            except Exception:  # an entry pdfminer cannot place: it skips it too
                continue
            (direct if stream_id is None else packed).append(objid)
    seen: set[int] = set()
    for objid in [*direct, *packed]:  # the object streams themselves are checked before anything in them is read
        if objid in seen:
            continue
        seen.add(objid)
        try:
            obj = document.getobj(objid)
        except Exception:  # a broken object: pdfminer skips it too
            continue
        if not isinstance(obj, PDFStream):
            continue
        filters = resolve1(obj.attrs.get("Filter"))
        names = [str(getattr(f, "name", f)) for f in (filters if isinstance(filters, list) else [filters])]
        if any(n in ("FlateDecode", "Fl") for n in names):
            size, inflated = _inflated(obj.rawdata or b"")
            if size > MAX_STREAM_BYTES:
                raise PdfError("A004", f"a stream (object {objid}) inflates to more than "
                                       f"{MAX_STREAM_BYTES // 2**20} MiB: a decompression bomb, not read")
        else:
            inflated = (obj.rawdata or b"") if filters is None else b""
        if _is_content(obj):
            total += len(inflated)
            operators += len(_TEXT_OP.findall(inflated))
            if total > MAX_TOTAL_BYTES or operators > MAX_TEXT_OPERATORS:
                raise PdfError("A004", f"more than {MAX_TEXT_OPERATORS:,} text operators or "
                                       f"{MAX_TOTAL_BYTES // 2**20} MiB of page content: not read "
                                       "(no report is that long; split the file)")


def _is_content(stream: Any) -> bool:
    """A page's content or a form XObject (not an image, font or object stream)."""
    from pdfminer.pdftypes import resolve1  # lazy: pdfminer, 50 ms, as in check_bounds above

    kind = resolve1(stream.attrs.get("Type"))
    subtype = resolve1(stream.attrs.get("Subtype"))
    if getattr(kind, "name", None) in ("ObjStm", "XRef", "Metadata", "EmbeddedFile"):
        return False
    if getattr(subtype, "name", None) in ("Image", "Type1C", "CIDFontType0C", "OpenType", "XML"):
        return False
    return "Length1" not in stream.attrs and "Length2" not in stream.attrs  # font programs


def _inflated(raw: bytes) -> tuple[int, bytes]:
    """The inflated size of a deflate stream (MAX_STREAM_BYTES + 1 when larger) and its bytes up to the bound,
    inflated in steps so that memory stays bounded."""
    inflater = zlib.decompressobj()
    out = bytearray()
    try:
        out += inflater.decompress(raw, MAX_STREAM_BYTES + 1)
    except zlib.error:
        return len(out), bytes(out)  # pdfminer reads what it can of a broken stream; so do we
    return len(out), bytes(out)


def read_pdf(data: bytes) -> PdfText:
    import pdfplumber  # lazy: 80 ms to import with pdfminer; only a PDF source needs it

    check_bounds(data)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise PdfError("A004", f"{len(pdf.pages)} pages: more than {MAX_PAGES}; split the file")
            edges = [_edge_lines(page) for page in pdf.pages]
            furniture = _furniture(edges)
            out = PdfText([])
            for number, (page, lines) in enumerate(zip(pdf.pages, edges, strict=True), start=1):
                outer = lines[:1] + lines[-1:]  # a page number or a site's footer stands first or last on the page
                dropped = [line for line in lines if _shape(line.text) in furniture or (line in outer and
                                                                                          _lone(line.text))]
                out.ignored += [(number, line.text.strip()) for line in dropped]
                chars = [c for c in page.chars if not any(d.top - 0.5 <= float(c["top"]) and
                                                          float(c["bottom"]) <= d.bottom + 0.5 for d in dropped)]
                out.pages.append("\n".join(_reading_order(page, chars)))
    except PdfError:
        raise
    except Exception as exc:
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")) or isinstance(exc, (ValueError, KeyError,
                                                                                           TypeError)):
            raise PdfError("A003", f"not a readable PDF: {type(exc).__name__}: {exc}") from exc
        raise
    return out


@dataclass
class _Line:
    text: str
    top: float
    bottom: float


def _edge_lines(page: Any) -> list[_Line]:
    """The lines in the outer tenth of the page's height, as whole-width lines."""
    height = float(page.height)
    out = []
    for line in page.extract_text_lines(x_tolerance=PDF_SPACE, return_chars=False):
        top, bottom = float(line["top"]), float(line["bottom"])
        if bottom <= height * EDGE or top >= height * (1 - EDGE):
            out.append(_Line(str(line["text"]), top, bottom))
    return out


def _furniture(edges: list[list[_Line]]) -> set[str]:
    """Shapes of edge lines that come back on another page (digits aside)."""
    if len(edges) < 2:
        return set()
    shapes = Counter(s for lines in edges for s in {_shape(line.text) for line in lines})
    return {s for s, n in shapes.items() if n >= max(2, len(edges) // 3) and s}


def _lone(text: str) -> bool:
    """A page number or a site's footer line."""
    text = text.strip()
    return bool(_PAGE_NUMBER.match(text) or _SITE_FOOTER.search(text))


def _text(page: Any, chars: list[dict[str, Any]]) -> list[str]:
    """The lines of these characters, top to bottom; a space where the gap between two characters is
    more than PDF_SPACE — between two Chinese characters more than CJK_SPACE of an em, as justified
    Chinese lines spread their characters apart (about 0.2 em) while table cells stand an em apart."""
    if not chars:
        return []
    ids = {id(c) for c in chars}
    out = []
    for line in page.filter(lambda obj: id(obj) in ids).extract_text_lines(x_tolerance=PDF_SPACE, return_chars=True):
        text: list[str] = []
        previous: dict[str, Any] | None = None
        blank = False  # a space the document itself sets
        for char in line["chars"]:
            glyph = str(char.get("text", ""))
            if not glyph.strip():
                blank = previous is not None
                continue
            if (previous is not None and glyph == previous["text"]
                    and abs(float(char["x0"]) - float(previous["x0"])) < 0.5):
                continue  # the same glyph set twice at one place (a ligature, fake bold): read once
            if previous is not None:
                gap = float(char["x0"]) - float(previous["x1"])
                wide = _CJK.match(glyph) and _CJK.match(str(previous["text"]))
                limit = max(PDF_SPACE, CJK_SPACE * float(previous.get("size") or 0)) if wide else PDF_SPACE
                if blank or gap > limit:
                    text.append(" ")
            blank = False
            text.append(glyph)
            previous = char
        out.append("".join(text))
    return out


def _reading_order(page: Any, chars: list[dict[str, Any]], depth: int = 0) -> list[str]:
    """The body's lines: one column, or the bands of a two-column page, left column first; each side is
    looked at again (three or four columns: a gutter within a side), MAX_SPLITS deep."""
    if not chars:
        return []
    ids = {id(c) for c in chars}
    words = page.filter(lambda obj: id(obj) in ids).extract_words(x_tolerance=PDF_SPACE, keep_blank_chars=False)
    gutter = _gutter(words)
    if gutter is None:
        return _text(page, chars)
    left_edge, right_edge = gutter
    middle = (left_edge + right_edge) / 2
    cuts: list[tuple[float, float]] = []  # the vertical extents of lines that cross the gutter (titles)
    for w in sorted((w for w in words if float(w["x0"]) < right_edge and float(w["x1"]) > left_edge),
                    key=lambda w: float(w["top"])):
        top, bottom = float(w["top"]), float(w["bottom"])
        if cuts and top <= cuts[-1][1]:
            cuts[-1] = (cuts[-1][0], max(cuts[-1][1], bottom))
        else:
            cuts.append((top, bottom))
    out: list[str] = []
    above = float("-inf")
    for top, bottom in [*cuts, (float("inf"), float("inf"))]:
        band = [c for c in chars if above < _mid_y(c) < top]
        for side in ([c for c in band if _mid_x(c) < middle], [c for c in band if _mid_x(c) >= middle]):
            out += _reading_order(page, side, depth + 1) if depth + 1 < MAX_SPLITS else _text(page, side)
        out += _text(page, [c for c in chars if top <= _mid_y(c) <= bottom])
        above = bottom
    return out


def _mid_x(c: dict[str, Any]) -> float:
    return (float(c["x0"]) + float(c["x1"])) / 2


def _mid_y(c: dict[str, Any]) -> float:
    return (float(c["top"]) + float(c["bottom"])) / 2


def _gutter(words: list[dict[str, Any]]) -> tuple[float, float] | None:
    """The x band of a column gutter, or None: a band in the middle that at most a tenth of the lines cross,
    with columns of text (words filling most of their column) on both sides."""
    if len(words) < 6:
        return None
    x0 = min(float(w["x0"]) for w in words)
    x1 = max(float(w["x1"]) for w in words)
    width = x1 - x0
    if width < 100:
        return None
    rows = len({round(float(w["top"])) for w in words})
    lo, hi = x0 + width * GUTTER_ZONE[0], x0 + width * GUTTER_ZONE[1]
    steps = [lo + i for i in range(int(hi - lo) + 1)]
    delta = [0] * (len(steps) + 1)  # words covering each step, by a sweep: linear in words and steps
    for w in words:
        a, b = float(w["x0"]) - lo, float(w["x1"]) - lo  # covers step i when a < i < b
        first, last = max(0, math.floor(a) + 1), min(len(steps) - 1, math.ceil(b) - 1)
        if first <= last:
            delta[first] += 1
            delta[last + 1] -= 1
    cover, running = [], 0
    for change in delta[:-1]:
        running += change
        cover.append(running)
    least = min(cover)
    if least > max(1, rows // 2):  # lines across the gutter (a title, a page-wide paragraph) are bands apart
        return None
    best: tuple[float, float] | None = None
    run_start = None
    for x, n in zip([*steps, None], [*cover, None], strict=True):
        if n is not None and n == least:
            run_start = x if run_start is None else run_start
            continue
        if run_start is not None:
            end = (x if x is not None else hi) - 1
            if best is None or end - run_start > best[1] - best[0]:
                best = (run_start, end)
            run_start = None
    if best is None:
        return None
    middle = (best[0] + best[1]) / 2  # a run that reaches the zone's edge goes on beyond it
    left = [w for w in words if float(w["x1"]) <= middle]
    right = [w for w in words if float(w["x0"]) >= middle]
    # widen the band to the columns' edges
    if not left or not right:
        return None
    gap = (max(float(w["x1"]) for w in left), min(float(w["x0"]) for w in right))
    if gap[1] - gap[0] < MIN_GUTTER:
        return None
    if not (_column_of_text(left, x0, gap[0]) and _column_of_text(right, gap[1], x1)):
        return None
    return gap


def _column_of_text(words: list[dict[str, Any]], start: float, end: float) -> bool:
    """Lines of running text, not a table's cells: at least three rows, and most of them reach across most
    of the side — or (a side of two columns itself, whose rows fill it only where both columns do) most of
    the words' width is in long words, as a line of Chinese is one word and a table cell is short."""
    rows: dict[int, float] = {}
    for w in words:
        key = round(float(w["top"]))
        rows[key] = rows.get(key, 0.0) + float(w["x1"]) - float(w["x0"])
    width = end - start
    if len(rows) < 3 or width < 40:
        return False
    full = sum(1 for filled in rows.values() if filled >= 0.6 * width)
    if full >= max(2, len(rows) // 3):
        return True
    sizes = [float(w["x1"]) - float(w["x0"]) for w in words]
    long = [size for size in sizes if size >= 0.25 * width]
    return len(long) >= 6 and sum(long) >= 0.6 * sum(sizes)


def _shape(text: str) -> str:
    return re.sub(r"[0-9]+", "#", re.sub(r"\s+", "", text))
