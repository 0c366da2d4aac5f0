"""Wrong numbers are flagged: one step past the recomputed interval of every relation kind, and one
test for each mutant of the core that the suite once let live (issue 12).

The property tests in test_relations.py show that right numbers pass; these show that the checks
are not simply lenient. "One step past" is the first value on the reported value's own grid
(its last written decimal) whose rounding interval lies wholly beyond what the inputs allow: the
recomputed interval is worked out here, independently, with Decimal.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ipfacts.check import relations
from ipfacts.check.relations.base import Context
from ipfacts.check.relations.granularity import integers_in
from ipfacts.findings import ERROR, WARNING
from ipfacts.load.intervals import Interval

from memory import mem_base, relation_findings

counts = st.integers(min_value=1, max_value=10**6)
places = st.integers(min_value=0, max_value=2)
EXAMPLES = 120


def ulp(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def above(hi: Decimal, decimals: int) -> Decimal:
    """The first D-decimal value whose rounding interval [r − ulp/2, r + ulp/2) starts past `hi`."""
    half = ulp(decimals) / 2
    r = (hi + half).quantize(ulp(decimals), rounding=ROUND_CEILING)
    return r if r - half > hi else r + ulp(decimals)


def below(lo: Decimal, decimals: int) -> Decimal:
    """The last D-decimal value whose rounding interval ends before `lo`."""
    half = ulp(decimals) / 2
    r = (lo - half).quantize(ulp(decimals), rounding=ROUND_FLOOR)
    return r if r + half < lo else r - ulp(decimals)


def text(value: Decimal, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def flagged(found: list, code: str) -> bool:  # type: ignore[type-arg]
    return any(f.code == code and f.severity in (ERROR, WARNING) for f in found)


# --- one step past, every relation kind ------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None)
@given(counts, counts, places, st.booleans())
def test_a_share_one_step_off_is_flagged(a: int, b: int, decimals: int, up: bool) -> None:
    part, whole = min(a, b), max(a, b)
    exact = Decimal(part) * 100 / Decimal(whole)
    wrong = above(exact, decimals) if up else below(exact, decimals)
    if wrong < 0:
        return
    found = relation_findings({"p": {"value": f"{part}件"}, "w": {"value": f"{whole}件"},
                               "s": {"value": f"{text(wrong, decimals)}%", "share_of": ["p", "w"]}})
    assert flagged(found, "R101")


@settings(max_examples=EXAMPLES, deadline=None)
@given(counts, counts, places, st.booleans())
def test_a_ratio_one_step_off_is_flagged(a: int, b: int, decimals: int, up: bool) -> None:
    exact = Decimal(a) * 100 / Decimal(b)
    wrong = above(exact, decimals) if up else below(exact, decimals)
    if wrong < 0:
        return
    found = relation_findings({"a": {"value": f"{a}件"}, "b": {"value": f"{b}件"},
                               "r": {"value": f"{text(wrong, decimals)}%", "ratio_of": ["a", "b"]}})
    assert flagged(found, "R103")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.integers(min_value=1, max_value=3000), places, st.integers(min_value=0, max_value=10**4))
def test_a_percentage_no_whole_part_gives_is_flagged(whole: int, decimals: int, raw: int) -> None:
    reported = (Decimal(raw) * ulp(decimals)) % 100
    half = ulp(decimals) / 2
    # the oracle, by brute force: is there a whole-number part with part/whole in [r − h, r + h)?
    fits = any(reported - half <= Decimal(k) * 100 / whole < reported + half for k in range(whole + 1))
    found = relation_findings({"w": {"value": f"{whole}件"},
                               "q": {"value": f"{text(reported, decimals)}%", "percent_of": "w"}})
    if fits:
        assert [f for f in found if f.severity == ERROR] == []
    else:
        assert flagged(found, "R104")


@settings(max_examples=EXAMPLES, deadline=None)
@given(counts, counts, places, st.booleans())
def test_a_growth_rate_one_step_off_is_flagged(previous: int, current: int, decimals: int, up: bool) -> None:
    exact = (Decimal(current) / Decimal(previous) - 1) * 100
    wrong = above(exact, decimals) if up else below(exact, decimals)
    found = relation_findings({"before": {"value": f"{previous}件"}, "now": {"value": f"{current}件"},
                               "g": {"value": f"{text(wrong, decimals)}%", "growth_of": "now", "previous": "before"}})
    assert flagged(found, "R105")


@settings(max_examples=EXAMPLES, deadline=None)
@given(counts, counts, st.integers(min_value=1, max_value=5))
def test_a_change_one_step_off_is_flagged(previous: int, current: int, step: int) -> None:
    wrong = current - previous + step * (1 if current % 2 else -1)
    found = relation_findings({"before": {"value": f"{previous}件"}, "now": {"value": f"{current}件"},
                               "c": {"value": f"{wrong}件", "change_of": "now", "previous": "before"}})
    assert flagged(found, "R107")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(counts, min_size=2, max_size=6), places, st.booleans())
def test_a_total_one_step_past_its_rounded_parts_is_flagged(parts: list[int], decimals: int, up: bool) -> None:
    wan = [(Decimal(p) / 10000).quantize(ulp(decimals)) for p in parts]
    half = ulp(decimals) / 2
    lo, hi = sum(wan) - len(wan) * half, sum(wan) + len(wan) * half  # what the rounded parts allow
    wrong = above(hi, decimals) if up else below(lo, decimals)
    if wrong < 0:
        return
    facts = {f"p{i}": {"value": f"{w}万件"} for i, w in enumerate(wan)}
    facts["total"] = {"value": f"{text(wrong, decimals)}万件", "sum_of": list(facts)}
    assert flagged(relation_findings(facts), "R109")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(counts, min_size=2, max_size=5), st.integers(min_value=1, max_value=50))
def test_parts_one_step_above_their_whole_are_flagged(parts: list[int], step: int) -> None:
    facts = {f"p{i}": {"value": f"{p}件", "part_of": "whole"} for i, p in enumerate(parts)}
    facts["whole"] = {"value": f"{sum(parts) - step}件"}
    assert flagged(relation_findings(facts), "R110")


@settings(max_examples=EXAMPLES, deadline=None)
@given(counts, st.integers(min_value=10, max_value=2000), st.integers(min_value=1, max_value=2), st.booleans())
def test_a_per_10k_figure_one_step_off_is_flagged(stock: int, population_wan: int, decimals: int, up: bool) -> None:
    # population written in whole 万人: it stands for [P − 0.5, P + 0.5) 万
    lo = Decimal(stock) / (Decimal(population_wan) + Decimal("0.5"))
    hi = Decimal(stock) / (Decimal(population_wan) - Decimal("0.5"))
    wrong = above(hi, decimals) if up else below(lo, decimals)
    if wrong <= 0:
        return
    found = relation_findings({
        "s": {"value": f"{stock}件"}, "pop": {"value": f"{population_wan}万人", "metric": "population"},
        "p": {"value": f"{text(wrong, decimals)}件", "per_10k_of": "s"},
    }, metrics=("population",))
    assert flagged(found, "R111")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2), st.booleans())
def test_a_restatement_one_step_off_is_flagged(yi: Decimal, up: bool) -> None:
    # X.XX亿元 stands for [100·X − 0.5, 100·X + 0.5) million: the first whole million outside touches it
    million = yi * 100 + (1 if up else -1)
    found = relation_findings({"zh": {"value": f"{yi}亿元"},
                               "en": {"value": f"{million:,.0f} million yuan", "same_as": "zh"}})
    assert flagged(found, "R113")


# --- the mutants that lived ------------------------------------------------------------------------------


def test_intervals_that_only_touch_at_an_open_end_do_not_overlap() -> None:
    one, two, three = Decimal(1), Decimal(2), Decimal(3)
    assert not Interval(one, two, True, False).overlaps(Interval(two, three, True, True))
    assert not Interval(two, three, False, True).overlaps(Interval(one, two, True, True))
    assert Interval(one, two, True, True).overlaps(Interval(two, three, True, True))
    # an exact 24.85 % printed as 24.8 % (which stands for [24.75, 24.85)) is not a correct rounding
    found = relation_findings({"p": {"value": "4970件"}, "w": {"value": "20000件"},
                               "s": {"value": "24.8%", "share_of": ["p", "w"]}})
    assert flagged(found, "R101")
    assert relation_findings({"p": {"value": "4970件"}, "w": {"value": "20000件"},
                              "s": {"value": "24.9%", "share_of": ["p", "w"]}}) == []


def test_a_share_recomputed_above_100_percent_is_gross() -> None:
    found = relation_findings({"p": {"value": "120件"}, "w": {"value": "100件"},
                               "s": {"value": "60%", "share_of": ["p", "w"]}})
    share = next(f for f in found if f.code == "R101")
    assert share.details.gross is True and "(a share above 100%)" in share.message


def test_a_share_below_100_percent_is_not_gross() -> None:
    found = relation_findings({"p": {"value": "60件"}, "w": {"value": "100件"},
                               "s": {"value": "70%", "share_of": ["p", "w"]}})
    assert [f.details.gross for f in found] == [False]


def test_same_as_declared_on_both_sides_is_judged_once() -> None:
    ctx = Context(mem_base({"a": {"value": "401.07亿元", "same_as": "b"},
                            "b": {"value": "40,170 million yuan", "same_as": "a"}}), explain=True)
    found = list(relations.run(ctx))
    assert [f.code for f in found] == ["R113"]
    assert ctx.relations_checked == 1 and len(ctx.evaluations) == 1


def test_change_and_growth_are_not_cross_checked_when_the_growth_names_its_own_previous() -> None:
    # 2651 with a change of 215 implies 2436 before (+8.83 %); the growth names another previous, 2410 (+10 %)
    found = relation_findings({
        "now": {"value": "2651人"}, "other": {"value": "2410人"},
        "change": {"value": "215人", "change_of": "now"},
        "growth": {"value": "10%", "growth_of": "now", "previous": "other"},
    })
    assert found == []
    found = relation_findings({  # without its own previous, the same growth is cross-checked
        "now": {"value": "2651人"}, "change": {"value": "215人", "change_of": "now"},
        "growth": {"value": "10%", "growth_of": "now"},
    })
    assert "R108" in {f.code for f in found}


def test_grim_respects_an_open_lower_end() -> None:
    two, three = Decimal(2), Decimal(3)
    assert integers_in(Interval(two, three, False, False)) is None
    assert integers_in(Interval(two, three, False, True)) == (3, 3)
    assert integers_in(Interval(two, three, True, False)) == (2, 2)
    assert integers_in(Interval(two, two, True, True)) == (2, 2)


def test_exactly_100_percent_of_a_whole_is_not_gross() -> None:
    assert relation_findings({"w": {"value": "20件"}, "q": {"value": "100%", "percent_of": "w"}}) == []
    found = relation_findings({"w": {"value": "20件"}, "q": {"value": "100.6%", "percent_of": "w"}})
    assert [(f.code, f.details.gross) for f in found] == [("R102", True)]


# --- issue 26: the survivors of a mutation run (made-up values) -------------------------------------------

def test_bounds_read_leniently_reach_one_step_past_the_bound_and_no_further() -> None:
    from ipfacts.load.intervals import INF, NEG_INF
    from ipfacts.load.numbers import parse_value

    assert parse_value("超1100人").strict() == Interval(Decimal(1100), INF)
    assert parse_value("超1100人").lenient() == Interval(Decimal(1099), INF)
    assert parse_value("9000件以下").strict() == Interval(NEG_INF, Decimal(9000))
    assert parse_value("9000件以下").lenient() == Interval(NEG_INF, Decimal(9001))
    assert parse_value("近90.5亿元").lenient() == Interval(NEG_INF, Decimal("9060000000"))


def test_about_reads_within_its_tolerance_or_one_step_whichever_is_wider() -> None:
    from ipfacts.load.numbers import parse_value

    wide = parse_value("约5.5万人次")  # 5 % of 55,000 is 2,750: wider than one step (1,000)
    assert wide.strict() == Interval(Decimal(54500), Decimal(55500), True, False)
    assert wide.lenient() == Interval(Decimal(52250), Decimal(57750))
    narrow = parse_value("约2.5%")  # 5 % of 2.5 is 0.125: wider than one step (0.1)
    assert narrow.lenient() == Interval(Decimal("2.375"), Decimal("2.625"))
    coarse = parse_value("约100件")  # one step (1) and 5 % (5) against the trailing zeros' 50 … 5 wins over 1
    assert coarse.lenient().lo <= 95 and coarse.lenient().hi >= 105


def test_a_difference_of_pairs_subtracts_both_readings() -> None:
    from ipfacts.check.relations.base import Pair

    a = Pair(Interval(Decimal(10), Decimal(12)), Interval(Decimal(9), Decimal(13)))
    b = Pair(Interval(Decimal(1), Decimal(2)), Interval(Decimal(0), Decimal(3)))
    assert a - b == Pair(Interval(Decimal(8), Decimal(11)), Interval(Decimal(6), Decimal(13)))
    assert a + b == Pair(Interval(Decimal(11), Decimal(14)), Interval(Decimal(9), Decimal(16)))


def test_a_value_is_converted_by_the_factor_between_its_units_both_readings() -> None:
    from ipfacts.check.relations.base import value_in

    base = mem_base({"area": {"value": "2.5万平方米"}, "pp": {"value": "3.5个百分点"}})
    area = base.facts["f/area"]
    in_m2 = value_in(area, "平方米")
    assert in_m2.strict == area.value.strict().scale(Decimal(10000)) and in_m2.strict.lo == Decimal(24500)
    assert in_m2.lenient == area.value.lenient().scale(Decimal(10000)) and in_m2.lenient.hi == Decimal(26000)
    assert value_in(area, None).strict == area.value.strict() and value_in(area, "万平方米") == value_in(area, None)
    assert value_in(base.facts["f/pp"], "percent").strict == base.facts["f/pp"].value.strict()  # points are percent
    findings = relation_findings({"a": {"value": "2.5万平方米"}, "b": {"value": "25000平方米", "same_as": "a"},
                                  "c": {"value": "2500平方米", "same_as": "a"}})
    assert {f.facts[0].id for f in findings if f.severity == ERROR} == {"f/c"}


def test_a_share_written_in_times_is_a_hundredth_of_the_percentage() -> None:
    def share(value: str) -> list[tuple[str, str]]:  # 49 of 196 is 25 % exactly; no trailing zeros to read coarsely
        found = relation_findings({"part": {"value": "49件"}, "whole": {"value": "196件"},
                                   "share": {"value": value, "share_of": ["part", "whole"]}})
        return [(f.code, f.severity) for f in found]

    assert share("0.25倍") == [] and share("25%") == []
    assert share("0.35倍") == [("R101", ERROR)] and share("35%") == [("R101", ERROR)]
    assert share("25倍") == [("R101", ERROR)]  # 25倍 is 2,500 %, not 25 %


def test_ranks_count_the_peers_surely_and_maybe_ahead_in_either_order() -> None:
    from ipfacts.check.relations.base import pair
    from ipfacts.check.relations.rank import judge_rank, rank_range, stated_rank
    from ipfacts.load.numbers import parse_value

    def p(text: str):  # type: ignore[no-untyped-def]
        return pair(parse_value(text))

    figure, peers = p("100件"), [p("200件"), p("100件"), p("50件")]
    assert rank_range(figure, peers, "desc") == (2, 3)  # 200 is ahead; the other 100 may be
    assert rank_range(figure, peers, "asc") == (2, 3)  # 50 is ahead; the other 100 may be
    assert rank_range(p("300件"), peers, "desc") == (1, 1) and rank_range(p("10件"), peers, "asc") == (1, 1)
    assert rank_range(p("10件"), peers, "desc") == (4, 4)
    assert [stated_rank(parse_value(t)) for t in ("2", "2.0", "约2", "-2", "2万", "超2")] == [2, None, None, None,
                                                                                             None, None]
    rounded, ahead = p("1.2万件"), [p("12600件"), p("13200件")]
    assert rank_range(rounded, ahead, "desc") == (3, 3)  # both surely above 12,500
    assert judge_rank(3, rounded, ahead, "desc") is None
    assert judge_rank(2, rounded, ahead, "desc") == WARNING  # 1.2万 read leniently reaches 13,000
    assert judge_rank(1, rounded, ahead, "desc") == ERROR
    assert judge_rank(4, rounded, ahead, "desc") == ERROR


def test_a_stated_rank_is_judged_against_the_listed_peers() -> None:
    def ranked(rank: str, order: str | None = None) -> list[tuple[str, str]]:
        facts = {"hz": {"value": "16966件"}, "nb": {"value": "71425件"}, "jx": {"value": "4869件"},
                 "rank": {"value": rank, "rank_among": ["hz", "nb", "jx"]}}
        base = mem_base(facts)
        if order:
            base.facts["f/rank"].rank_order = order
        return [(f.code, f.severity) for f in relations.run(Context(base))]

    assert ranked("2") == [] and ranked("2", "asc") == []  # 71425 > 16966 > 4869: second either way
    assert ranked("1") == [("R140", ERROR)] and ranked("3") == [("R140", ERROR)]
    assert ranked("1", "asc") == [("R140", ERROR)]
    assert ranked("2.0") == [("R140", ERROR)]  # a rank is a whole number


def test_units_and_qualifiers_as_written_second_round() -> None:
    """Survivors of the second mutation run (benchmarks/README.md): case, units that look like multipliers."""
    import pytest

    from ipfacts.load.intervals import INF, NEG_INF
    from ipfacts.load.numbers import ValueError_, parse_unit, parse_value

    assert parse_unit("百分点") == (Decimal(1), "percentage_point")  # a unit, not 百 × 分点
    assert parse_unit("million yuan") == (Decimal(1000000), "元") and parse_unit("Million yuan")[0] == 1000000
    assert parse_value("500 or more").qualifier == "at_least" and parse_value("500 OR MORE").qualifier == "at_least"
    assert not parse_value("5元").compatible("件") and parse_value("5元").compatible("元") and parse_value("5").compatible("件")
    with pytest.raises(ValueError_, match="'万xyz': unknown unit 'xyz'"):
        parse_unit("万xyz")
    touching = Interval(Decimal(1), Decimal(2), True, False)
    assert touching.distance(Interval(Decimal(2), Decimal(3), False, True)) == 0  # apart, but by nothing
    assert Interval(NEG_INF, Decimal(9000)).describe() == "≤ 9000" and Interval(Decimal(5), INF).describe() == "≥ 5"


def test_fractions_negatives_and_bare_counts_third_round() -> None:
    """Survivors of the mutation run: fractions as written, the flags of a negative value, a bare count's
    conversion, infinite ends shown."""
    import pytest

    from ipfacts.load.intervals import INF, NEG_INF, fmt
    from ipfacts.load.numbers import EXACT_PLACES, ValueError_, conversion, parse_value

    quarter = parse_value("1/4")
    assert quarter.value == Decimal("0.25") and quarter.decimals == EXACT_PLACES and quarter.literal == "1/4"
    assert parse_value("3/1").value == 3 and parse_value("2/3").value == Decimal("0." + "6" * 19 + "7")
    with pytest.raises(ValueError_, match="denominator 0"):
        parse_value("1/0")
    assert parse_value("-19.48%").strict() == Interval(Decimal("-19.485"), Decimal("-19.475"), False, True)
    assert parse_value("19.48%").strict() == Interval(Decimal("19.475"), Decimal("19.485"), True, False)
    assert conversion(parse_value("5"), "件") == 1 and conversion(parse_value("5件"), None) == 1
    assert conversion(parse_value("2万平方米"), "平方米") == 10000
    assert fmt(NEG_INF) == "-∞" and fmt(INF) == "∞" and fmt(Decimal("1E-7")) == "0.0000001"


# (text, unit field) → (qualifier, qualifier as written, multiplier as written, unit, value): made-up values
QUALIFIED = [
    ("430余万人", None, ("at_least", "余", "万", "人", Decimal(4300000))),  # the qualifier before the multiplier
    ("超430余万人", None, ("at_least", "超…余", "万", "人", Decimal(4300000))),
    ("超5000余件", None, ("at_least", "超…余", "", "件", Decimal(5000))),  # one bound however many words say it
    ("1.2亿余元", None, ("at_least", "余", "亿", "元", Decimal("120000000.0"))),
    ("60亿元以上", None, ("at_least", "以上", "亿", "元", Decimal(6000000000))),
    ("921", "万件", (None, None, "万", "件", Decimal(9210000))),  # the multiplier in the separate unit
    ("921 thousand", "件", (None, None, "thousand", "件", Decimal(921000))),
]


def test_qualifiers_and_multipliers_in_every_place_fourth_round() -> None:
    import pytest

    from ipfacts.load.numbers import ValueError_, parse_value

    for text, unit, expected in QUALIFIED:
        w = parse_value(text, unit)
        assert (w.qualifier, w.qualifier_word, w.multiplier_word, w.unit, w.value) == expected, text
    for text, unit, message in [("近5000余件", None, "more than one qualifier"),
                                ("5000余件以上", None, "more than one qualifier"),
                                ("430余万人以上", None, "more than one qualifier"),
                                ("约430余万人", None, "more than one qualifier"),
                                ("9.2万", "万件", "carry a multiplier"),
                                ("5件", "家", "already has a unit"),
                                ("5万万件", None, "stacks multipliers")]:
        with pytest.raises(ValueError_, match=message):
            parse_value(text, unit)


def test_what_a_refused_value_says_fifth_round() -> None:
    """The messages a curator reads for a value that is not one (made-up values): each names the value and
    says what to write instead; a very long value is cut."""
    import pytest

    from ipfacts.load import units
    from ipfacts.load.numbers import TooManyDigits, ValueError_, parse_value

    def says(text: str) -> str:
        with pytest.raises(ValueError_) as caught:
            parse_value(text)
        return str(caught.value)

    assert says("") == "the value is empty"
    assert says("5xyz").startswith("'5xyz': unknown unit 'xyz'")
    assert says("1234567/2") == "'1234567/2': a fraction takes at most 6 digits on each side"
    assert parse_value("123456/7").decimals == 20  # six digits a side is allowed
    assert says("1" * 19) == f"'{'1' * 19}' has 19 digits; a value takes at most 18"
    assert parse_value("1" * 18).value == Decimal("1" * 18)
    assert says("1" * 70) == f"'{'1' * 40}'… (70 characters) has 70 digits; a value takes at most 18"
    assert says("1" * 40) == f"'{'1' * 40}' has 40 digits; a value takes at most 18"  # 40 characters: shown whole
    assert says("1" * 19 + "件").startswith(f"'{'1' * 19}件' has 19")
    assert says("12.5.3") == "'12.5.3': '12.5.3' is not a valid number (thousands separators group three digits)"
    assert says("12,345,67") == "'12,345,67': '12,345,6' is not a valid number (thousands separators group three digits)"
    assert says("5万万件") == "'5万万件' stacks multipliers (万万); write one, e.g. 万亿"
    with pytest.raises(TooManyDigits):
        parse_value("1" * 19)
    assert parse_value("- 5%").negative and parse_value("- 5%").value == -5  # a space after the sign
    assert parse_value("5 million yuan or more").qualifier == "at_least"  # an English qualifier after the unit
    registry = units.shipped().with_base(units.check_base_units("千件 = 1000 * 件")[0])
    assert parse_value("5千件", None, registry).units == registry  # a value keeps the units it was read in


def test_what_a_rank_and_a_share_finding_say_and_explain() -> None:
    """The whole finding, not only its code (made-up figures): 16966 is second of 71425, 16966 and 4869 from
    either end; 49 of 196 is 25 %, and 35 % of 196 is 68.6 — 68 (34.7 %) or 69 (35.2 %) print as 35 %."""
    def findings_of(facts: dict[str, dict[str, str | list[str]]], order: str | None = None):  # type: ignore[no-untyped-def]
        base = mem_base(facts)
        if order:
            base.facts["f/rank"].rank_order = order
        ctx = Context(base, explain=True)
        return list(relations.run(ctx)), ctx.evaluations

    peers = {"hz": {"value": "16966件"}, "nb": {"value": "71425件"}, "jx": {"value": "4869件"}}
    for order, end in ((None, "largest"), ("asc", "smallest")):
        (found,), notes = findings_of({**peers, "rank": {"value": "1", "rank_among": ["hz", "nb", "jx"]}}, order)
        assert found.message == (f"f/rank: rank 1 stated, but f/hz (16966件) ranks 2 of 3 (1 = {end}) among "
                                 "f/nb = 71425件, f/jx = 4869件")
        assert (found.reported, found.expected) == ("1", "2")
        assert [f.id for f in found.facts] == ["f/rank", "f/hz", "f/nb", "f/jx"]
        assert notes == [{"fact": "f/rank", "relation": "rank_among", "verdict": "error", "reported": "1",
                          "reported_interval": "[1, 1]"}]
    (whole_number,), _ = findings_of({**peers, "rank": {"value": "2.0", "rank_among": ["hz", "nb"]}})
    assert whole_number.message == "f/rank: a rank is a whole number, not 2.0"
    assert whole_number.reported == "2.0" and [f.id for f in whole_number.facts] == ["f/rank", "f/hz"]
    (share,), notes = findings_of({"part": {"value": "49件"}, "whole": {"value": "196件"},
                                   "share": {"value": "35%", "share_of": ["part", "whole"]}})
    assert share.message == "49件 of 196件 is 25.0%, but 35% is printed; 35% of 196件 would need 68件 or 69件"
    assert (share.reported, share.expected) == ("35%", "[25, 25]%")
    assert [f.id for f in share.facts] == ["f/share", "f/part", "f/whole"]
    assert share.details.as_dict() == {"reported_interval": "[34.5, 35.5)", "gross": False}
    assert notes == [{"fact": "f/share", "relation": "share_of", "verdict": "error", "reported": "35%",
                      "reported_interval": "[34.5, 35.5)", "recomputed": "[25, 25]", "recomputed_lenient": "[25, 25]"}]
