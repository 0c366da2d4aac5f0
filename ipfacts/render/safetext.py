"""Text from sources, notes and names made harmless for where it goes: a terminal, an XML file, a spreadsheet.

- terminal: control characters (ESC sequences that recolour, retitle or rewrite the screen, a carriage
  return that overwrites a line, bidi overrides that reorder it) are shown as visible escapes `\\x1b`,
  `\\u202e`; line breaks and tabs stay.
- XML: characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/FFFF) become
  visible escapes, so the file always parses.
- spreadsheet (CSV): a cell beginning with = + - @ or a tab/carriage return would be run as a formula by
  Excel, LibreOffice or Google Sheets; OWASP's advice is to prefix it with a single quote. A plain number
  (-19.48, -19.48%, +5) is left alone, so that numbers stay numbers.
"""

from __future__ import annotations

import re

from ipfacts.load.numbers import CELL_NUMBER as _PLAIN_NUMBER

_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                              "\u2028\u2029\ud800-\udfff]")
_XML_UNSAFE = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """Text safe to print: controls other than newline and tab shown as escapes."""
    return _TERMINAL_UNSAFE.sub(_visible, text) if _TERMINAL_UNSAFE.search(text) else text


def for_xml(text: str) -> str:
    """Text an XML 1.0 document can hold: the characters it cannot, shown as escapes."""
    return _XML_UNSAFE.sub(_visible, text) if _XML_UNSAFE.search(text) else text


def for_csv(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP: a leading single quote), numbers left alone."""
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_for_terminal(text: str) -> str:
    """JSON text (json.dumps escapes C0 controls) with C1 controls and bidi overrides escaped too (\\u0085):
    still the same JSON, and harmless on a terminal."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) if _JSON_UNSAFE.search(text) else text
