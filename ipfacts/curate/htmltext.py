"""The visible text of a web page: the article (trafilatura), never what a reader cannot see.

1. Hidden text goes first: `hidden`, `aria-hidden="true"`, `display:none` and `visibility:hidden` in a
   `style` attribute, `<noscript>`, `<template>`, `<script>`, `<style>`, and the fallback content inside
   `<iframe>`, `<object>`, `<embed>`, `<video>`, `<audio>`, `<canvas>` (what shows only where the
   element cannot).
2. The page is parsed by lxml with its depth limit lifted (libxml2 stops at 256 levels and keeps only
   what came before); a page deeper than DEEP levels is read by the plain walker below, not by
   trafilatura, whose recursion would stop there.
3. The article: trafilatura (menus and footers left out, tables one row a line as `| a | b |`), for
   pages up to TRAFILATURA_BYTES and TRAFILATURA_ELEMENTS (its time grows with the square of the
   paragraphs: 1 MB of short paragraphs took 9 s); a larger page — or one where trafilatura finds no article — is read
   by a walker over the tree that starts a line at every block element: linear in the page's size.

A page over MAX_HTML_BYTES is refused.
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

MAX_HTML_BYTES = 64 * 1024 * 1024
TRAFILATURA_BYTES = 2 * 1024 * 1024  # trafilatura's time grows faster than the page: only pages up to this
TRAFILATURA_ELEMENTS = 5000  # … and of at most this many elements (an article has a few hundred)
DEEP = 200
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "video", "audio", "canvas",
                "head", "title", "svg", "math")
_BLOCKS = frozenset(("p", "div", "br", "li", "ul", "ol", "tr", "table", "thead", "tbody", "tfoot", "section",
                     "article", "header", "footer", "nav", "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6",
                     "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption", "form", "fieldset", "address",
                     "hr", "caption", "center"))
_CELLS = frozenset(("td", "th"))
_SITE = frozenset(("nav", "footer"))


class HtmlError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _hidden(element: Any) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.lower() in _HIDDEN_TAGS:
        return True
    attrib = element.attrib
    if "hidden" in attrib or attrib.get("aria-hidden", "").strip().lower() == "true":
        return True
    style = attrib.get("style", "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def parse(page: str) -> tuple[Any, int, int]:
    """The page's tree with hidden elements removed, its depth and its number of elements."""
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.document_fromstring(page, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise HtmlError("A003", f"not a readable HTML page: {exc}") from exc
    doomed = []
    depth = deepest = count = 0
    skip_until: Any = None
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            depth += 1
            count += 1
            deepest = max(deepest, depth)
            if skip_until is None and isinstance(element.tag, str) and _hidden(element):
                skip_until = element
                doomed.append(element)
        else:
            depth -= 1
            if element is skip_until:
                skip_until = None
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        if element.tail:  # the text after the element is visible: keep it where it stood
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)
    return tree, deepest, count


def walk_text(tree: Any) -> str:
    """Every text of the tree but menus and footers (<nav>, <footer>), a new line at each block element,
    cells of a row as `| a | b |`; linear."""
    out: list[str] = []
    skipping: Any = None  # a site's menus and footer (<nav>, <footer>) are not the article
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if skipping is not None:
            if event == "end" and element is skipping:
                skipping = None
                if element.tail:
                    out.append(element.tail)
            continue
        if event == "start" and tag in _SITE:
            skipping = element
            out.append("\n")
            continue
        if event == "start":
            if tag in _BLOCKS:
                out.append("\n")
            elif tag in _CELLS:
                out.append(" | ")
            if element.text:
                out.append(element.text)
        else:
            if tag == "tr":
                out.append(" |")  # a row as trafilatura writes it: | a | b |
            if tag in _BLOCKS:
                out.append("\n")
            if element.tail:
                out.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    kept = ("" if line.strip(" |") == "" else line for line in lines)  # a row of empty cells is no line
    return "\n".join(line for line in kept if line)  # one paragraph a line, as trafilatura writes them


def html_text(page: str) -> str:
    """The article text of `page` (already decoded)."""
    if len(page) > MAX_HTML_BYTES:
        raise HtmlError("A004", f"a page of {len(page) // 2**20} MiB: more than {MAX_HTML_BYTES // 2**20} MiB, "
                                "not read")
    tree, depth, count = parse(page)
    if depth <= DEEP and len(page) <= TRAFILATURA_BYTES and count <= TRAFILATURA_ELEMENTS:
        import trafilatura  # lazy: 0.25 s to import (after lxml); only a page it will read needs it

        text = trafilatura.extract(tree, include_tables=True, include_comments=False, favor_recall=True)
        if text:
            return str(text)
    return walk_text(tree)
