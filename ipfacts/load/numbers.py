"""Numbers as the sources write them.

`parse_value("1.2亿余元")` splits a value into its parts — the digits as
written, sign, multiplier, qualifier and unit — and keeps the digits as a
string until an interval is asked for, so that the precision the writer
chose (`54.0` has one decimal, `54` none) is never lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ipfacts.load import units
from ipfacts.load.intervals import INF, NEG_INF, Interval
from ipfacts.load.units import Units, shipped
from ipfacts.load.words import APPROX, AT_LEAST, AT_MOST, words

# The one pattern of a number as written: a fraction, digits grouped by thousands, or plain digits, with
# decimals. ASCII digits only ([0-9], never \d, which also matches Arabic-Indic and other digits; full-width
# digits are ASCII after NFKC). Everything that finds a number in text or a value uses it.
NUMBER_PATTERN = r"[0-9]+/[0-9]+|(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
NUMBER = re.compile(NUMBER_PATTERN)
CELL_NUMBER = re.compile(rf"^[-+]?(?:{NUMBER_PATTERN})%?$")  # a table cell: a number, its sign, a percent sign
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
    # the units it was read in (its fact base's): what its unit counts, and what it converts to
    units: Units = field(default_factory=shipped, compare=False, repr=False)

    @property
    def value(self) -> Decimal:
        v = self.magnitude * self.multiplier
        return -v if self.negative else v

    @property
    def step(self) -> Decimal:
        """One unit of the last written digit, multiplier applied."""
        return Decimal(1).scaleb(-self.decimals) * self.multiplier

    @property
    def trailing_zeros(self) -> int:
        if self.decimals or self.magnitude.is_zero():
            return 0
        digits = self.literal.replace(",", "")
        return len(digits) - len(digits.rstrip("0"))

    @property
    def is_count(self) -> bool:
        """Its unit counts things in whole numbers (件, 家; or it has none), in the units it was read in."""
        return self.units.is_count(self.unit)

    def compatible(self, unit: str | None) -> bool:
        """Its unit and `unit` measure the same kind of quantity (a missing unit goes with any)."""
        return self.units.compatible(self.unit, unit)

    @property
    def is_exact_count(self) -> bool:
        """A whole number of things written to the unit: the only kind GRIM-style checks can use."""
        return self.qualifier is None and self.decimals == 0 and self.multiplier == 1 and self.is_count

    def strict(self) -> Interval:
        """What the value means under half-up rounding, with its qualifier as a bound."""
        return self._strict()

    def lenient(self) -> Interval:
        """The hull of every reading a careful editor would still accept with a warning:
        rounding either way, truncation or ceiling, the coarser precision of trailing
        zeros, and the approximate qualifier's tolerance."""
        return self._lenient()

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

    @property
    def coarse_half(self) -> Decimal | None:
        """Half a unit of the first trailing zero (50 for `1400`): the coarser reading's reach."""
        return self.step * Decimal(10) ** self.trailing_zeros / 2 if self.trailing_zeros else None

    def coarse(self) -> Interval | None:
        """The trailing-zero reading alone (`1400` as 1350–1450), when there is one."""
        if self.coarse_half is None or self.qualifier:
            return None
        return Interval(self.value - self.coarse_half, self.value + self.coarse_half)


def conversion(written: Written, unit: str | None) -> Decimal:
    """The one unit conversion: the factor that takes a value written in `written.unit` to `unit` (what
    one of the written unit is in `unit`), in the units the value was read in. A percentage-point value is arithmetic in percent; a value or a
    target without a unit (a bare count) is taken as it is. Raises UnitMismatch across dimensions."""
    own = units.PERCENT if written.unit == units.PERCENTAGE_POINT else written.unit
    if unit is None or own is None or own == unit:
        return Decimal(1)
    return written.units.factor(own, unit)


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


def _split_multiplier(rest: str, registry: Units) -> tuple[str, str]:
    """Split a leading multiplier off `rest`, unless `rest` is itself a unit (百分点 is not 百 + 分点)."""
    if not rest or registry.canonical(rest) is not None:
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


@dataclass
class _Reading:
    """A value being parsed: what is left of the text, and the parts split off so far."""

    original: str
    rest: str
    registry: Units
    qualifier: str | None = None
    qualifier_word: str | None = None
    negative: bool = False
    literal: str = ""
    multiplier_word: str = ""


def parse_value(text: str, unit_field: str | None = None, registry: Units | None = None) -> Written:
    """Parse a value as written (`240.29亿元`, `超1100人`, `-19.48%`, `40,107 million yuan`).

    `unit_field` is a fact's separate `unit:` (`921 thousand` + `件`); `registry` the units of the fact
    base (the shipped ones when None). Raises ValueError_ with a message meant for the person who wrote
    the value.
    """
    return _parse_value(str(text), unit_field, registry or units.shipped())


def _parse_value(text: str, unit_field: str | None, registry: Units) -> Written:
    reading = _Reading(text, normalise(text), registry)
    if not reading.rest:
        raise ValueError_("the value is empty")
    _leading_qualifier(reading)
    _sign(reading)
    _digits(reading)
    early = _qualifier_before_multiplier(reading)
    _multiplier(reading)
    _trailing_qualifiers(reading, early)
    unit = _resolve_unit(_unit_text(reading, unit_field), reading.original, registry)
    magnitude, decimals = _magnitude(reading)
    return Written(
        text=reading.original,
        literal=reading.literal,
        negative=reading.negative,
        magnitude=magnitude,
        decimals=decimals,
        multiplier=words().multipliers[reading.multiplier_word.lower()] if reading.multiplier_word else Decimal(1),
        multiplier_word=reading.multiplier_word,
        unit=unit,
        qualifier=reading.qualifier,
        qualifier_word=reading.qualifier_word,
        units=registry,
    )


def _leading_qualifier(r: _Reading) -> None:
    """超, 近, more than … before the number."""
    if not (r.rest[0].isdigit() or r.rest[0] in SIGNS):
        r.rest, r.qualifier, r.qualifier_word = _strip_prefix(r.rest, words().before_longest_first)


def _sign(r: _Reading) -> None:
    if r.rest[:1] in SIGNS:
        r.negative = SIGNS[r.rest[0]]
        r.rest = r.rest[1:].lstrip()


def _digits(r: _Reading) -> None:
    match = NUMBER.match(r.rest)
    if not match:
        raise ValueError_(f"{r.original!r} does not start with a number (digits, optionally with , and .)")
    r.literal = match.group(0)
    literal = r.literal
    if "/" in literal:
        if any(len(part) > MAX_FRACTION_DIGITS for part in literal.split("/")):
            raise TooManyDigits(f"{_short(r.original)}: a fraction takes at most {MAX_FRACTION_DIGITS} digits on each "
                                "side")
    elif sum(ch.isdigit() for ch in literal) > MAX_DIGITS:
        raise TooManyDigits(f"{_short(r.original)} has {sum(ch.isdigit() for ch in literal):,} digits; a value takes "
                            f"at most {MAX_DIGITS}")
    r.rest = r.rest[match.end():].strip()
    if r.rest[:1] in (",", ".") and r.rest[1:2].isdigit():
        raise ValueError_(f"{r.original!r}: {r.literal + r.rest[:2]!r} is not a valid number "
                          "(thousands separators group three digits)")


def _qualifier_before_multiplier(r: _Reading) -> tuple[str, str] | None:
    """430余万人: the qualifier stands between the digits and the multiplier."""
    rest = r.rest
    if not rest or r.registry.canonical(rest) is not None or _split_multiplier(rest, r.registry)[0]:
        return None
    stripped, kind, word = _strip_prefix(rest, words().after_longest_first)
    if kind is None or word is None or not _split_multiplier(stripped, r.registry)[0]:
        return None
    r.rest = stripped
    return kind, word


def _multiplier(r: _Reading) -> None:
    if not r.rest or r.registry.canonical(r.rest) is not None:  # the common case: 4869件, 23.8%
        return
    r.multiplier_word, r.rest = _split_multiplier(r.rest, r.registry)
    if r.multiplier_word and _split_multiplier(r.rest, r.registry)[0]:
        raise ValueError_(f"{r.original!r} stacks multipliers ({r.multiplier_word}{_split_multiplier(r.rest, r.registry)[0]}); "
                          "write one, e.g. 万亿")


def _trailing_qualifiers(r: _Reading, early: tuple[str, str] | None) -> None:
    """1.2亿余元 and 60亿元以上; one bound however many words say it (超5000余件)."""
    vocab = words()
    after_kind, after_word = None, None
    for _ in range(2 if r.rest and r.registry.canonical(r.rest) is None else 0):
        stripped, kind, word = _strip_prefix(r.rest, vocab.after_longest_first)
        if kind is None:
            stripped, kind, word = _strip_suffix(r.rest, vocab.after_longest_first)
        if kind is None:
            break
        if after_kind is not None or (r.qualifier is not None and r.qualifier != kind):
            raise ValueError_(f"{r.original!r} has more than one qualifier")
        r.rest, after_kind, after_word = stripped, kind, word
    if early is not None:
        if after_kind is not None or (r.qualifier is not None and r.qualifier != early[0]):
            raise ValueError_(f"{r.original!r} has more than one qualifier")
        after_kind, after_word = early
    if after_kind is not None:
        r.qualifier_word = f"{r.qualifier_word}…{after_word}" if r.qualifier is not None else after_word
        r.qualifier = after_kind


def _unit_text(r: _Reading, unit_field: str | None) -> str:
    """The unit as written: after the number, or the separate `unit:` (which may carry the multiplier)."""
    if not unit_field:
        return r.rest
    field = normalise(str(unit_field))
    field_multiplier, field_unit = _split_multiplier(field, r.registry)
    if r.rest:
        raise ValueError_(f"{r.original!r} already has a unit ({r.rest}); drop the separate `unit: {unit_field}`")
    if field_multiplier and r.multiplier_word:
        raise ValueError_(f"both the value and `unit: {unit_field}` carry a multiplier")
    r.multiplier_word = r.multiplier_word or field_multiplier
    return field_unit


def _magnitude(r: _Reading) -> tuple[Decimal, int]:
    """The digits' value and the decimals written (a fraction is exact to EXACT_PLACES)."""
    literal = r.literal
    if "/" in literal:
        numerator, denominator = (Decimal(part) for part in literal.split("/"))
        if denominator == 0:
            raise ValueError_(f"{r.original!r}: a fraction cannot have denominator 0")
        return (numerator / denominator).quantize(Decimal(1).scaleb(-EXACT_PLACES)), EXACT_PLACES
    return Decimal(literal.replace(",", "")), (len(literal.split(".", 1)[1]) if "." in literal else 0)


def _short(text: str, keep: int = 40) -> str:
    """A value quoted in a message, cut when it is very long."""
    return repr(text) if len(text) <= keep else repr(text[:keep]) + f"… ({len(text):,} characters)"


def _resolve_unit(unit_text: str, original: str, registry: Units) -> str | None:
    if not unit_text:
        return None
    found = registry.canonical(unit_text)
    if found is not None:
        return found
    if units.normalise_spelling(unit_text) in {units.normalise_spelling(n) for n in words().count_nouns}:
        return None
    raise ValueError_(f"{original!r}: unknown unit {unit_text!r} (units are listed in ipfacts/data/units.txt; a fact base adds its own in facts/units.txt)")


def parse_unit(text: str, registry: Units | None = None) -> tuple[Decimal, str | None]:
    """A unit spec such as a metric's `亿元` or `万人`: (multiplier, canonical unit), in `registry`'s units
    (the shipped ones when None)."""
    registry = registry or units.shipped()
    text = normalise(text)
    multiplier_word, rest = _split_multiplier(text, registry)
    unit = _resolve_unit(rest, text, registry)
    multiplier = words().multipliers[multiplier_word.lower()] if multiplier_word else Decimal(1)
    return multiplier, unit

