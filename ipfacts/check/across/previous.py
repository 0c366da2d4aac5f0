"""R151: a growth or change against last year's figure from any source — the range a GRIM-only rate implies
beside the figure another source states; a chain of years link by link."""

from __future__ import annotations

from collections.abc import Iterator

from ipfacts.check.across.common import (
    PREVIOUS,
    Index,
    cited,
    comparable_unit,
    not_compared,
    pair_in,
    representatives,
    unit_words,
)
from ipfacts.check.relations.base import (
    ONE,
    Context,
    Pair,
    judge,
    pair,
    percent_scale,
)
from ipfacts.check.relations.granularity import describe_integers, integers_in
from ipfacts.check.relations.growth import recompute
from ipfacts.check.relations.wording import in_terms, span
from ipfacts.findings import Finding
from ipfacts.load import units
from ipfacts.load.intervals import ZeroDivisor
from ipfacts.load.model import Fact


def judge_previous_years(ctx: Context, index: Index) -> Iterator[Finding]:
    for fact in ctx.base.facts.values():
        relations = fact.relations
        if not relations or "previous" in relations:
            continue
        for kind in ("growth_of", "change_of"):
            refs = relations.get(kind)
            if not refs:
                continue
            current = ctx.fact(refs[0].target)
            if not current.metric or current.year is None:
                continue
            candidates = index.get(current.metric, current.region, str(current.year - 1))
            if not candidates or (len(candidates) == 1 and candidates[0].region == current.region):
                continue  # none, or the one growth_of/change_of finds and judges itself (R105/R107)
            used = ctx.previous_of(current, None)
            for previous in representatives(candidates):
                if used is not None and (previous.id == used.id or (previous.source == used.source
                                                                     and previous.value.text == used.value.text)):
                    continue
                try:
                    yield from _against(ctx, fact, kind, current, previous, implied=used is None)
                except (units.UnitMismatch, ZeroDivisor):
                    not_compared(ctx, fact, PREVIOUS, f"{previous.id} ({previous.value.text}) cannot be set "
                                  f"against {current.id} ({current.value.text}): units or a zero divisor",
                                  other=previous.id)


def _against(ctx: Context, fact: Fact, kind: str, current: Fact, previous: Fact, implied: bool) -> Iterator[Finding]:
    unit, ok = comparable_unit(ctx, current, previous)
    if not ok:
        raise units.UnitMismatch(current.value.unit or "", previous.value.unit or "")
    cur = pair_in(current, unit)
    prev = pair_in(previous, unit)
    reported = fact.value
    if kind == "change_of":
        computed = cur - prev
        verdict = judge(reported, computed)
        implied_previous = cur - pair_in(fact, unit)
        rate_words = f"a change of {reported.text}"
    elif reported.unit == units.PERCENTAGE_POINT:
        computed = cur - prev
        verdict = judge(reported, computed)
        implied_previous = cur - pair(reported)
        rate_words = f"a change of {reported.text}"
    else:
        scale = percent_scale(reported)
        if scale is None:
            raise units.UnitMismatch(reported.unit or "", units.PERCENT)
        computed = recompute(cur, prev)
        verdict = judge(reported, computed, scale)
        rate = Pair(reported.strict(), reported.lenient()) * Pair.point(scale / 100)
        implied_previous = cur / (Pair(ONE, ONE) + rate)
        rate_words = f"a growth of {reported.text}"
    ctx.note(fact, PREVIOUS, verdict, reported, computed, previous=previous.id, previous_source=previous.source)
    if verdict is None:
        return
    last_year = implied_previous.strict
    if current.value.is_exact_count and previous.value.is_exact_count:
        whole = integers_in(last_year, 0)
        last_words = (f"{describe_integers(whole)}{unit_words(current)}" if whole else
                      f"{span(last_year, 2)}{unit_words(current)}, no whole number")
    else:
        last_words = in_terms(last_year, current.value, 1)
    how = "only implies" if implied else "implies"
    message = (f"{current.id} = {current.value.text} ({current.period}) with {rate_words} {how} {last_words} in "
               f"{previous.period}, but {cited(ctx, previous)}: {span(computed.strict, reported.decimals + 1)}"
               f"{'%' if kind == 'growth_of' and reported.unit != units.PERCENTAGE_POINT else ''} from it, "
               f"{reported.text} printed ({fact.id})")
    yield ctx.finding("R151", verdict, message, [fact, current, previous], reported=reported.text,
                      expected=computed.strict.bracket(reported.decimals + 2),
                      previous_source=previous.source, implied_previous=last_year.bracket(2))
