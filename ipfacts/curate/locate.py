"""Find a number or phrase in a source, for curators: where it is, and a fact skeleton to paste.

The needle matches as quotes do: whitespace and line breaks ignored, after
NFKC (a full-width `２１５７９` or `％` finds `21579`, `%`), and across scripts:
a simplified needle finds traditional text and back (both read as simplified
by OpenCC, as scaffold reads them); the skeleton quotes the text as written. Where the needle is
a number, the skeleton's value is the number as the source writes it — with
its unit on the next line (20134 / 件), a qualifier before it (超, 近, 约)
and, after 下降/减少, a minus sign to confirm — and its quote starts at the
clause, on whichever line that is, so the skeleton verifies as pasted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ipfacts.curate.scaffold import (
    CLAUSE_END,
    AsWritten,
    Squashed,
    place_claims,
    value_text,
    words_key,
    yaml_scalar,
)
from ipfacts.load.hanzi import simplified
from ipfacts.load.model import FactBase
from ipfacts.load.sourcetext import SourceTexts, squash


class UnknownSource(KeyError):
    pass


@dataclass(frozen=True)
class Place:
    first: int  # the lines the skeleton cites (the needle, and its clause where it starts earlier)
    last: int
    context: list[tuple[int, str]]
    skeleton: str


FOLLOWS = 4  # a phrase (同比增长) finds the number that follows it within this many characters
DECLINE = re.compile(r"(下降|减少|下滑|降低|回落)了?$")


def locate(base: FactBase, source_id: str, needle: str, around: int = 1) -> list[Place]:
    if source_id not in base.sources:
        raise UnknownSource(source_id)
    text = SourceTexts(base.sources)[source_id]
    target = squash(needle)
    if not target:
        return []

    squashed = Squashed.of(text)
    written = AsWritten(text.lines, squashed)
    claims = place_claims(text, squashed, base.units)
    places = []
    wanted = simplified(target)  # across scripts: both sides simplified (the scaffold's one conversion), offset for offset
    at = squashed.plain.find(wanted)
    while at != -1:
        end = at + len(target)
        claim = next(((c, s, e) for c, s, e in claims if at <= s < end or s <= at < e), None)
        if claim is None and not any(ch.isdigit() for ch in target):  # a phrase: the number right after it
            claim = next(((c, s, e) for c, s, e in claims if end <= s <= end + FOLLOWS
                          and not any(ch in CLAUSE_END for ch in squashed.full[end:s])), None)
        notes = []
        if claim is not None:  # the number as the source writes it, unit and qualifier included
            found, start, claim_end = claim
            value = value_text(found, squashed.full, start)
            end = max(end, claim_end)
            if DECLINE.search(squashed.full[squashed.clause_start(start):start]) and value[:1].isdigit():
                value = "-" + value
                notes.append("TODO confirm: a decline (下降/减少), written negative")
        else:
            value = target
        quote_start = min(squashed.quote_start(claim[1] if claim else at), at)
        end = max(end, claim[2] if claim else end)
        lines = squashed.lines(quote_start, end)
        first, _, last = lines.partition("-")
        named_at = claim[1] if claim else at
        key = words_key(squashed.full[squashed.clause_start(named_at):named_at]) or "new_fact"
        skeleton = (f"  {key}:\n    value: {yaml_scalar(value)}\n    line: {lines}\n"
                    f"    quote: {yaml_scalar(written.text(quote_start, end))}\n")
        if notes:
            skeleton += f"    note: {yaml_scalar('; '.join(notes))}\n"
        places.append(Place(int(first), int(last or first), text.context(int(first), int(last or first), around),
                            skeleton))
        at = squashed.plain.find(wanted, at + 1)
    return places
