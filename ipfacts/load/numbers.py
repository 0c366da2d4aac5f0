"""Numbers as the sources write them.

`parse_value("1.2亿余元")` splits a value into its parts — the digits as
written, sign, multiplier, qualifier and unit — and keeps the digits as a
string until an interval is asked for, so that the precision the writer
chose (`54.0` has one decimal, `54` none) is never lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Generic, TypeVar, overload

from ipfacts.load import units
from ipfacts.load.intervals import INF, NEG_INF, Interval
from ipfacts.load.words import APPROX, AT_LEAST, AT_MOST, words

T = TypeVar("T")
NUMBER = re.compile(r"[0-9]+/[0-9]+|(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
MAX_DIGITS = 18  # digits of one value as written (a quintillion; no report states more)
MAX_FRACTION_DIGITS = 6  # digits of each side of a fraction (2/3)
EXACT_PLACES = 20  # a fraction (2/3) is exact: it is carried to this many decimals, rounded outward
SIGNS = {"-": True, "−": True, "–": True, "+": False}


class ValueError_(ValueError):
    """A value string that is not a number as a source writes it; `code` is the finding code to report."""

    code = "L010"


class TooManyDigits(ValueError_):
    """A value with more digits than any report states: refused before any arithmetic on it."""

    code = "L018"


class once(Generic[T]):  # noqa: N801 - used like @property
    """A property computed on first use and kept on the instance (functools.cached_property
    takes a lock on every first access; values here are computed tens of thousands of times)."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, instance: None, owner: Any = None) -> once[T]: ...
    @overload
    def __get__(self, instance: object, owner: Any = None) -> T: ...

    def __get__(self, instance: object | None, owner: Any = None) -> T | once[T]:
        if instance is None:
            return self
        value: T = self.compute(instance)
        instance.__dict__[self.name] = value
        return value


@dataclass(frozen=True)
class Written:
    text: str  # the value as the fact file gives it
    literal: str  # the digits as written, thousands separators kept: "20,134"
    negative: bool
    magnitude: Decimal  # the digits' value, before the multiplier
    decimals: int
    multiplier: Decimal
    multiplier_word: str
    unit: str | None  # canonical unit name; None for a bare count
    qualifier: str | None  # at_least | at_most | approx
    qualifier_word: str | None

    @once
    def value(self) -> Decimal:
        v = self.magnitude * self.multiplier
        return -v if self.negative else v

    @once
    def step(self) -> Decimal:
        """One unit of the last written digit, multiplier applied."""
        return Decimal(1).scaleb(-self.decimals) * self.multiplier

    @once
    def trailing_zeros(self) -> int:
        if self.decimals or self.magnitude.is_zero():
            return 0
        digits = self.literal.replace(",", "")
        return len(digits) - len(digits.rstrip("0"))

    @once
    def is_exact_count(self) -> bool:
        """A whole number of things written to the unit: the only kind GRIM-style checks can use."""
        return self.qualifier is None and self.decimals == 0 and self.multiplier == 1 and units.is_count(self.unit)

    def strict(self) -> Interval:
        """What the value means under half-up rounding, with its qualifier as a bound."""
        found: Interval | None = self.__dict__.get("_strict")
        if found is None:
            found = self.__dict__["_strict"] = self._strict()
        return found

    def lenient(self) -> Interval:
        """The hull of every reading a careful editor would still accept with a warning:
        rounding either way, truncation or ceiling, the coarser precision of trailing
        zeros, and the approximate qualifier's tolerance."""
        found: Interval | None = self.__dict__.get("_lenient")
        if found is None:
            found = self.__dict__["_lenient"] = self._lenient()
        return found

    def _strict(self) -> Interval:
        v, half = self.value, self.step / 2
        if self.qualifier == AT_LEAST:
            return Interval(v, INF)
        if self.qualifier == AT_MOST:
            return Interval(NEG_INF, v)
        if self.is_exact_count:  # a whole number of things: rounding cannot hide another
            return Interval.point(v)
        if self.negative:  # half away from zero, mirrored
            return Interval(v - half, v + half, False, True)
        return Interval(v - half, v + half, True, False)

    def _lenient(self) -> Interval:
        v = self.value
        reach = self.step
        if self.qualifier == AT_LEAST:
            return Interval(v - reach, INF)
        if self.qualifier == AT_MOST:
            return Interval(NEG_INF, v + reach)
        if self.is_exact_count:
            coarse = self.coarse()
            return coarse if coarse is not None else Interval.point(v)
        if self.coarse_half is not None:
            reach = max(reach, self.coarse_half)
        if self.qualifier == APPROX:
            reach = max(reach, abs(v) * words().approx_tolerance)
        return Interval(v - reach, v + reach)

    @once
    def coarse_half(self) -> Decimal | None:
        """Half a unit of the first trailing zero (50 for `1400`): the coarser reading's reach."""
        return self.step * Decimal(10) ** self.trailing_zeros / 2 if self.trailing_zeros else None

    def coarse(self) -> Interval | None:
        """The trailing-zero reading alone (`1400` as 1350–1450), when there is one."""
        if self.coarse_half is None or self.qualifier:
            return None
        return Interval(self.value - self.coarse_half, self.value + self.coarse_half)

    def in_unit(self, unit: str | None) -> tuple[Interval, Interval]:
        """Strict and lenient intervals converted to `unit` (None: keep as is)."""
        strict, lenient = self.strict(), self.lenient()
        if unit is None or self.unit is None or unit == self.unit:
            return strict, lenient
        f = units.factor(self.unit, unit)
        return strict.scale(f), lenient.scale(f)


def _is_word_boundary(text: str, end: int, word: str) -> bool:
    # An English qualifier must end at a word boundary: "over" must not match "overall".
    return not word.isascii() or end == len(text) or not text[end].isalpha()


def _strip_prefix(text: str, table: list[tuple[str, str]]) -> tuple[str, str | None, str | None]:
    lowered = text.lower()
    for word, kind in table:
        if lowered.startswith(word) and _is_word_boundary(text, len(word), word):
            return text[len(word):].lstrip(), kind, text[: len(word)]
    return text, None, None


def _strip_suffix(text: str, table: list[tuple[str, str]]) -> tuple[str, str | None, str | None]:
    lowered = text.lower()
    for word, kind in table:
        if lowered.endswith(word) and len(text) >= len(word):
            return text[: len(text) - len(word)].rstrip(), kind, text[len(text) - len(word):]
    return text, None, None


def _split_multiplier(rest: str) -> tuple[str, str]:
    """Split a leading multiplier off `rest`, unless `rest` is itself a unit (百分点 is not 百 + 分点)."""
    if not rest or units.canonical(rest) is not None:
        return "", rest
    vocab = words()
    lowered = rest.lower()
    for word in vocab.multipliers_longest_first:
        if lowered.startswith(word) and _is_word_boundary(rest, len(word), word):
            return rest[: len(word)], rest[len(word):].strip()
    return "", rest


def normalise(text: str) -> str:
    """NFKC first: full-width digits, `％` and `，` become the ASCII the grammar expects."""
    return unicodedata.normalize("NFKC", text).strip()


@cache
def parse_value(text: str, unit_field: str | None = None) -> Written:
    """Parse a value as written (`240.29亿元`, `超1100人`, `-19.48%`, `40,107 million yuan`).

    `unit_field` is a fact's separate `unit:` (`921 thousand` + `件`). Raises
    ValueError_ with a message meant for the person who wrote the value.
    """
    original = text
    text = normalise(str(text))
    if not text:
        raise ValueError_("the value is empty")
    vocab = words()
    qualifier = qualifier_word = None
    if not (text[0].isdigit() or text[0] in SIGNS):
        text, qualifier, qualifier_word = _strip_prefix(text, vocab.before_longest_first)
    negative = False
    if text[:1] in SIGNS:
        negative = SIGNS[text[0]]
        text = text[1:].lstrip()
    match = NUMBER.match(text)
    if not match:
        raise ValueError_(f"{original!r} does not start with a number (digits, optionally with , and .)")
    literal = match.group(0)
    if "/" in literal:
        if any(len(part) > MAX_FRACTION_DIGITS for part in literal.split("/")):
            raise TooManyDigits(f"{_short(original)}: a fraction takes at most {MAX_FRACTION_DIGITS} digits on each side")
    elif sum(ch.isdigit() for ch in literal) > MAX_DIGITS:
        raise TooManyDigits(f"{_short(original)} has {sum(ch.isdigit() for ch in literal):,} digits; a value takes "
                            f"at most {MAX_DIGITS}")
    rest = text[match.end():].strip()
    if rest[:1] in (",", ".") and rest[1:2].isdigit():
        raise ValueError_(f"{original!r}: {literal + rest[:2]!r} is not a valid number "
                          "(thousands separators group three digits)")
    early_kind = early_word = None
    if rest and units.canonical(rest) is None and not _split_multiplier(rest)[0]:
        # 430余万人: the qualifier stands between the digits and the multiplier
        stripped, early_kind, early_word = _strip_prefix(rest, vocab.after_longest_first)
        if early_kind is not None and _split_multiplier(stripped)[0]:
            rest = stripped
        else:
            early_kind = early_word = None
    if not rest or units.canonical(rest) is not None:  # the common case: 4869件, 23.8%
        multiplier_word = ""
    else:
        multiplier_word, rest = _split_multiplier(rest)
    if multiplier_word and _split_multiplier(rest)[0]:
        raise ValueError_(f"{original!r} stacks multipliers ({multiplier_word}{_split_multiplier(rest)[0]}); "
                          "write one, e.g. 万亿")
    after_kind, after_word = None, None
    for _ in range(2 if rest and units.canonical(rest) is None else 0):  # 1.2亿余元 and 60亿元以上
        stripped, kind, word = _strip_prefix(rest, vocab.after_longest_first)
        if kind is None:
            stripped, kind, word = _strip_suffix(rest, vocab.after_longest_first)
        if kind is None:
            break
        if after_kind is not None or (qualifier is not None and qualifier != kind):
            raise ValueError_(f"{original!r} has more than one qualifier")
        rest, after_kind, after_word = stripped, kind, word
    if early_kind is not None:
        if after_kind is not None or (qualifier is not None and qualifier != early_kind):
            raise ValueError_(f"{original!r} has more than one qualifier")
        after_kind, after_word = early_kind, early_word
    if after_kind is not None:  # 超5000余件 says "at least" twice: one bound, both words kept
        qualifier_word = f"{qualifier_word}…{after_word}" if qualifier is not None else after_word
        qualifier = after_kind
    unit_text = rest
    if unit_field:
        field = normalise(str(unit_field))
        field_multiplier, field_unit = _split_multiplier(field)
        if unit_text:
            raise ValueError_(f"{original!r} already has a unit ({unit_text}); drop the separate `unit: {unit_field}`")
        if field_multiplier and multiplier_word:
            raise ValueError_(f"both the value and `unit: {unit_field}` carry a multiplier")
        multiplier_word = multiplier_word or field_multiplier
        unit_text = field_unit
    unit = _resolve_unit(unit_text, original)
    if "/" in literal:
        numerator, denominator = (Decimal(part) for part in literal.split("/"))
        if denominator == 0:
            raise ValueError_(f"{original!r}: a fraction cannot have denominator 0")
        magnitude = (numerator / denominator).quantize(Decimal(1).scaleb(-EXACT_PLACES))
        decimals = EXACT_PLACES
    else:
        magnitude = Decimal(literal.replace(",", ""))
        decimals = len(literal.split(".", 1)[1]) if "." in literal else 0
    return Written(
        text=str(original),
        literal=literal,
        negative=negative,
        magnitude=magnitude,
        decimals=decimals,
        multiplier=vocab.multipliers[multiplier_word.lower()] if multiplier_word else Decimal(1),
        multiplier_word=multiplier_word,
        unit=unit,
        qualifier=qualifier,
        qualifier_word=qualifier_word,
    )


def _short(text: str, keep: int = 40) -> str:
    """A value quoted in a message, cut when it is very long."""
    return repr(text) if len(text) <= keep else repr(text[:keep]) + f"… ({len(text):,} characters)"


def _resolve_unit(unit_text: str, original: str) -> str | None:
    if not unit_text:
        return None
    found = units.canonical(unit_text)
    if found is not None:
        return found
    if units.normalise_spelling(unit_text) in {units.normalise_spelling(n) for n in words().count_nouns}:
        return None
    raise ValueError_(f"{original!r}: unknown unit {unit_text!r} (units are listed in ipfacts/data/units.txt)")


@cache
def parse_unit(text: str) -> tuple[Decimal, str | None]:
    """A unit spec such as a metric's `亿元` or `万人`: (multiplier, canonical unit)."""
    text = normalise(text)
    multiplier_word, rest = _split_multiplier(text)
    unit = _resolve_unit(rest, text)
    multiplier = words().multipliers[multiplier_word.lower()] if multiplier_word else Decimal(1)
    return multiplier, unit
