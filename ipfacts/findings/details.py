"""The typed fields each family of findings carries beside its message.

As frictionless gives each error class its own fields, every family of codes
has one small frozen dataclass: load problems (L…) carry none, citation
problems (C…) where the quote was found instead and whether the source
changed, relation problems (R…) what the recomputation implies, review
problems (V…) which review and why. Renderers read the attributes; the JSON
`details` object is `as_dict()`: the fields that are set, in declaration
order, with the keys the JSON output has always had.

Only what the check found lives here. What is attached later — a review's
verdict, a suspended review, source excerpts for a page — is kept beside the
finding, in the Report's maps (`Report.reviews`, `Report.suspended`,
`Report.excerpts`), keyed by fingerprint.

A details object also reads as a read-only mapping of `as_dict()` (`d.get("found_at")`,
`"changes" in d`) so code written against the earlier dictionaries keeps working.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from types import MappingProxyType
from typing import Any, ClassVar

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class BadDetails(ValueError):
    """Details that do not fit their family's fields (a crafted cache entry, a misspelt keyword)."""


@dataclass(frozen=True, slots=True)
class Details(Mapping[str, Any]):
    """Load problems (L…): the message and the place say it all."""

    FAMILY: ClassVar[str] = "load"
    # The fields a check passed, in its order: the JSON object keeps them (an explicit null included).
    _given: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The JSON `details` object: the fields given, in their order, then any other not at its default."""
        specs = {spec.name: spec for spec in fields(self) if spec.name != "_given"}
        out: dict[str, Any] = {}
        extra: Mapping[str, Any] = getattr(self, "extra", _EMPTY)
        for name in self._given:
            if name in specs:
                out[name] = _plain(getattr(self, name))
            elif name in extra:
                out[name] = extra[name]
        for name, spec in specs.items():
            if name in out:
                continue
            value = getattr(self, name)
            if name == "extra":
                out.update((k, v) for k, v in value.items() if k not in out)
                continue
            default = spec.default if spec.default is not MISSING else (
                spec.default_factory() if spec.default_factory is not MISSING else MISSING)
            if value != default:
                out[name] = _plain(value)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Details:
        """The details of this family from a mapping; raises BadDetails for a field it lacks or a wrong type."""
        if not isinstance(data, Mapping):
            raise BadDetails("details are a mapping")
        known = {spec.name: spec for spec in fields(cls) if spec.name != "_given"}
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            spec = known.get(key)
            if spec is None or key == "extra":
                if "extra" not in known or not isinstance(key, str):
                    raise BadDetails(f"{cls.__name__} has no field {key!r}")
                extra[key] = value
                continue
            values[key] = _coerce(cls, key, spec.type, value)
        if extra:
            values["extra"] = MappingProxyType(extra)
        return cls(**values, _given=tuple(data))

    # A read-only view of as_dict(), for code written against the dictionaries.
    def __getitem__(self, key: str) -> Any:
        return self.as_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())

    def __len__(self) -> int:
        return len(self.as_dict())


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else (dict(value) if isinstance(value, Mapping) else value)


def _coerce(cls: type, key: str, annotation: Any, value: Any) -> Any:
    """A field's value, checked against its declared type (annotations are strings here)."""
    kind = str(annotation)
    if value is None and kind.endswith("| None"):
        return None
    if kind.startswith("bool | None"):
        ok = value is None or type(value) is bool
    elif kind.startswith("str | None"):
        ok = value is None or type(value) is str
    elif kind.startswith("str"):
        ok = type(value) is str
    elif kind.startswith("tuple[str"):
        if isinstance(value, list | tuple) and all(type(v) is str for v in value):
            return tuple(value)
        ok = False
    elif kind.startswith("Mapping[str, str]"):
        if isinstance(value, Mapping) and all(type(k) is str and type(v) is str for k, v in value.items()):
            return MappingProxyType(dict(value))
        ok = False
    else:  # pragma: no cover - a field type this function was not taught
        raise TypeError(f"{cls.__name__}.{key}: no check for {kind}")
    if not ok:
        raise BadDetails(f"{cls.__name__}.{key}: {value!r} is not {kind}")
    return value


@dataclass(frozen=True, slots=True)
class LoadDetails(Details):
    """L001–L014: the file and line are the whole story; a cause lists the problems that follow from it."""

    FAMILY: ClassVar[str] = "load"
    follows: tuple[str, ...] = ()  # ipfacts.load.cascade: "file:line: CODE message" of each folded problem


@dataclass(frozen=True, slots=True)
class CitationDetails(Details):
    """C001–C005."""

    FAMILY: ClassVar[str] = "citation"
    found_at: tuple[str, ...] = ()  # lines ("12" or "12-13") where the quote was found instead
    actual_sha256: str | None = None  # C001: the source's hash now
    unverified: bool | None = None  # the cited source changed (C001): this finding may be an effect of that
    moved: tuple[str, ...] | None = None  # C001: citations whose quote is now at other lines ("fact: 12 → 14")
    lost: tuple[str, ...] | None = None  # C001: citations whose quote is gone


@dataclass(frozen=True, slots=True)
class RelationDetails(Details):
    """R101–R115: what the recomputation implies beyond `reported` and `expected`."""

    FAMILY: ClassVar[str] = "relation"
    gross: bool | None = None  # no rounding explains it (a part above its whole, a sign flipped)
    reported_interval: str | None = None  # the reported value's interval, when the message compares to it
    implied_part: str | None = None  # R104: the whole-number parts the percentage allows
    implied_previous: str | None = None  # R106: the whole-number previous counts the growth allows
    implied_populations: Mapping[str, str] = field(default_factory=lambda: _EMPTY)  # R112: fact → population
    testable: bool | None = None  # False: the figure is too coarse for the check to catch anything
    excess: str | None = None  # R118/R119: how far the outcomes exceed the intake (an interval)
    pending: str | None = None  # R118/R119: the cases pending at the start (an interval; None: not stated)
    intake: str | None = None  # R118/R119: the intake, as written
    # Fields of a relation kind that has not declared its own yet (kept, shown, never interpreted).
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class ReviewDetails(Details):
    """V001: a review that no longer fits."""

    FAMILY: ClassVar[str] = "review"
    review: str | None = None  # the fingerprint the review was recorded for
    kind: str | None = None  # stale, suspended or unreviewable
    changes: tuple[str, ...] = ()  # why it matches no finding any more
    changed_sources: tuple[str, ...] = ()  # the sources whose change suspended it


@dataclass(frozen=True, slots=True)
class TableDetails(Details):
    """T001–T011: a table block's cell, row or column that does not add up or is not where cited."""

    FAMILY: ClassVar[str] = "table"
    table: str | None = None  # the table block's id
    row: str | None = None  # the row's header as the source writes it
    column: str | None = None  # the column's header
    gross: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class OtherDetails(Details):
    """A family that has not declared its fields yet: kept and shown, never interpreted."""

    FAMILY: ClassVar[str] = "other"
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


FAMILIES: dict[str, type[Details]] = {"L": LoadDetails, "C": CitationDetails, "R": RelationDetails,
                                      "T": TableDetails, "V": ReviewDetails}


def family_of(code: str) -> type[Details]:
    """The details class of a code's family (by its letter)."""
    return FAMILIES.get(code[:1], OtherDetails)


def details_for(code: str, data: Mapping[str, Any] | Details | None = None) -> Details:
    """Typed details of `code`'s family from keyword data; raises BadDetails when they do not fit."""
    cls = family_of(code)
    if isinstance(data, Details):
        if not isinstance(data, cls):
            raise BadDetails(f"{code} carries {cls.__name__}, not {type(data).__name__}")
        return data
    return cls.from_dict(data or {})
