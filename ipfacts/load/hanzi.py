"""Traditional characters read as simplified, character for character, for matching only.

OpenCC's `t2s` conversion (the maintained OpenCC project's own Python package, installed from wheels)
turns 每萬人口發明專利擁有量 into 每万人口发明专利拥有量. Curation code matches words, units and
relation patterns on the converted text, and takes quotes from the text as written: the conversion
is used only where it keeps every character in place (one character for one), so an offset in the
converted text is the same offset in the original.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import opencc  # 3 ms to import (python -X importtime); the converter, built on first use, holds its data


@cache
def _converter() -> Any:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """`text` with traditional characters as simplified, the same length, every other character kept."""
    if text.isascii():
        return text
    converted = str(_converter().convert(text))
    if len(converted) == len(text):
        return converted
    # a phrase conversion changed the length: convert character by character instead
    out = []
    for char in text:
        one = str(_converter().convert(char)) if ord(char) > 0x2E7F else char
        out.append(one if len(one) == 1 else char)
    return "".join(out)
