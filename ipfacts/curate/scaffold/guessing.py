"""Guessing: the relation the words around a number state or suggest, and the fact it names.

    其中 … 20134件            subset_of the count before 其中 (one named subset); part_of for each of a list
    受理 N件，审结 M件          outcome_of the intake (结案/办结/批捕/起诉/预审合格/授权 …)
    其中 … 20134件，占比93.3%   share_of [the part after 其中, the count before it]
    同比增长11.55% / 下降       growth_of the count before it (a decline is written negative)
    提高1.2个百分点             change_of the percentage before it
    合计 / 共计 / 总计 5000件    sum_of the counts of the same unit before it
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ipfacts.curate.naming import key_of, words_key
from ipfacts.curate.scaffold.spotting import CLAUSE_REACH, NEARBY, Draft, Spot, Squashed, same_kind

GROWTH = re.compile(r"(同比|比上年|较上年|比去年|较去年|比年初|较年初)?(增长|增加|上升|提高|提升|下降|减少|下滑|降低|回落|"
                    r"增幅|增速|增长率|涨幅|降幅)(了|为|达|达到)?(约|超过|超|近)?$")
TIMES = re.compile(r"(?:增长|增加|提高|提升)了?$")  # 较2022年增长2.6倍: a growth written in 倍 (not 是…的2.6倍)
YEAR_END = re.compile(r"(?:比|较)(?:去年底|上年底|去年末|上年末|年初|上年年底)")  # the base of a change: last year-end
# per 10,000 residents only: 每万名卫技人员 (per 10,000 medical staff) implies no population
PER_10K = re.compile(r"每万(?:人|人口)(?!次|员)|万人(?:口)?(?:发明|有效|高价值|专利|商标|拥有)")
NEW_WORDS = ("新增", "新认定", "新培育", "新获", "新建", "新设")
CUMULATIVE_WORDS = ("累计", "总数", "总量", "共有", "拥有", "达到", "已达")
DECLINE = ("下降", "减少", "下滑", "降低", "回落")
SUM_WORDS = ("合计", "共计", "总计")
# An outcome of an intake (审结 of 受理, 批准逮捕 of 审查逮捕, 授权 of 预审合格): the verb opens the clause.
OUTCOME = re.compile(r"^(?:其中|并|共|已|均|全年|累计)?(?:以[^，,；;]{1,6}?)?(?:审结|结案|办结|调结|批捕|批准逮捕|提起公诉|不起诉|起诉|"
                     r"预审合格|获授权|授权|破案|撤案|撤诉|(?:作出|做出)[^，,；;]{0,8}?决定)"
                     r"(?:案件|案|件)?(?:[0-9.]+(?:件|起))?$")  # the number follows the verb: 授权时间…2天 is no outcome
INTAKE = re.compile(r"受理|新收|收案|接收|立案|审查逮捕|审查起诉|办理|办案|接受|预审合格")
STAGED = ("授权", "获授权")  # a later stage of a pipeline: of the stage before it (预审合格 → 授权), not of the intake
REFERRED = re.compile(r"^(?:其中|并|共|已|涉刑|依法)?移送(?:公安|司法|检察)")  # 移送公安 N件 among 查处 M件
HANDLED = re.compile(r"查处|查办|办理|办结|立案")
# Standard complete sets of categories: a 其中 list naming each exactly once is a complete breakdown.
COMPLETE_SETS = (("民事", "刑事", "行政"), ("发明", "实用新型", "外观设计"))
PARTIAL_WORDS = ("等", "主要", "部分")
SHARE_OF_NAMED = re.compile(r"占(?!比)(.+?)(?:的)?(?:比重|比例)?(?:为|达|达到)?(?:约|超过|超|近)?$")


@dataclass
class Clause:
    """What one rule looks at: the number, the numbers before it, the words before it; and the draft it records on."""

    spot: Spot
    in_sentence: list[Spot]
    nearby: list[Spot]
    squashed: Squashed
    sentence_start: int
    clause_before: str
    draft: Draft
    counts: list[Spot] = field(default_factory=list)
    percents: list[Spot] = field(default_factory=list)
    part: Spot | None = None
    whole: Spot | None = None

    @property
    def unit(self) -> str | None:
        return self.spot.written.unit if self.spot.written is not None else None

    @property
    def is_count(self) -> bool:
        return self.unit not in ("percent", "percentage_point")

    def record(self, relation: str, refs: list[Spot], why: str, stated: bool = True) -> Guess:
        """The relation on the draft: *stated* when the words say it (其中, 占比, 同比增长 …), *guessed* when
        only nearness chose it; the note says which."""
        names = [str(r.ref) for r in refs]
        self.draft.relations[relation] = names
        self.draft.confidence[relation] = STATED if stated else GUESSED
        self.draft.notes.append(f"TODO confirm: {'stated' if stated else 'guessed'} {relation} from {why}")
        return relation, key_of(names[0])  # growth and part of it, share of its part, percent of its whole

    def todo(self, note: str) -> Guess:
        self.draft.notes.append(note)
        return None, ""


Guess = tuple[str | None, str]
STATED, GUESSED = "stated", "guessed"
# The things a figure counts, by the nouns that name them: a relation never joins two figures of different things.
DOMAINS = (("trademark", ("商标",)), ("patent", ("专利", "发明", "实用新型", "外观设计")), ("gi", ("地理标志",)),
           ("copyright", ("版权", "著作权", "作品")), ("plant", ("植物新品种",)), ("pct", ("PCT", "国际专利")))
WIDER = ("全国", "全球", "世界", "国内", "全省", "全区")  # a share of a whole wider than the document's region


def domains(text: str) -> set[str]:
    return {name for name, nouns in DOMAINS if any(n in text for n in nouns)}


def conflict(a: str, b: str) -> bool:
    """The words before two figures name different things (注册商标 and 专利授权)."""
    first, second = domains(a), domains(b)
    return bool(first and second and not first & second)


def guess(spot: Spot, in_sentence: list[Spot], nearby: list[Spot], squashed: Squashed, sentence_start: int,
          clause_before: str, draft: Draft) -> Guess:
    """The relation the words suggest, recorded on the draft; and the key of the fact it builds on."""
    assert spot.written is not None
    counts = [s for s in in_sentence if s.written is not None and s.written.unit not in ("percent", "percentage_point")
              and s.relation != "change_of"]  # 增长4710件，增幅12.41%: the rate is of the stock, not of the change
    percents = [s for s in in_sentence if s.written is not None and s.written.unit == "percent"]
    part, whole = _qizhong(spot, counts, squashed, sentence_start)
    clause = Clause(spot, in_sentence, nearby, squashed, sentence_start, clause_before, draft, counts, percents,
                    part, whole)
    for rule in RULES:
        found = rule(clause)
        if found is not None:
            return found
    return None, ""


def _growth_rate(c: Clause) -> Guess | None:
    if not GROWTH.search(c.clause_before) or not (c.unit == "percent" or c.unit == "倍" and TIMES.search(c.clause_before)):
        return None
    after_change = [s for s in c.in_sentence if s.relation == "change_of" and s.targets
                    and not any(ch in c.squashed.plain[s.end:c.spot.start] for ch in "；;。")]
    if after_change and after_change[-1] is c.in_sentence[-1]:  # 增长19.2亿条，增长率85.7%: of what the change is of
        target = next((s for s in c.nearby if s.ref == after_change[-1].targets[0]), None)
        if target is not None:
            return c.record("growth_of", [target], "同比/增长 after the change of the same figure")
    counts = [s for s in c.counts if not conflict(c.clause_before, s.context)]
    if counts and c.unit == "倍":  # 增长2.6倍 is +260 %, but is also written for ×2.6: a question, not an error
        return c.record("growth_of", [_respectively(c.spot, counts, c.in_sentence, c.squashed, c.sentence_start)],
                        "增长…倍 (read as +260 % for 2.6倍; also written for ×2.6)", stated=False)
    if counts:
        return c.record("growth_of", [_respectively(c.spot, counts, c.in_sentence, c.squashed, c.sentence_start)],
                        "同比/增长")
    return c.todo("TODO: a growth rate (同比) — growth_of which fact?")


def _point_change(c: Clause) -> Guess | None:
    if c.unit == "percentage_point" and GROWTH.search(c.clause_before) and c.percents:
        return c.record("change_of", [c.percents[-1]], "百分点")
    return None


def _amount_change(c: Clause) -> Guess | None:
    if not c.is_count or not GROWTH.search(c.clause_before):
        return None
    fitting = [s for s in c.counts if same_kind(s, c.spot) and not conflict(c.clause_before, s.context)]
    if not fitting:
        return None
    declines = any(c.clause_before.rstrip("了为达到约超过近").endswith(w) for w in DECLINE)
    # the change of a figure leaves a previous figure of at least zero: 包含1254.2万条…增长19.2亿条 is of the 41.6亿条
    plausible = [s for s in fitting if declines or at_most(c.spot, s)]
    if plausible:
        return c.record("change_of", [plausible[-1]], "增长/增加 an amount")
    return c.todo("TODO: a change (增长/增加) larger than the figures before it — change_of which fact?")


def at_most(change: Spot, current: Spot) -> bool:
    """The change is no larger than the figure it would be the change of (in the same unit)."""
    if change.written is None or current.written is None:
        return False
    try:
        factor = change.written.units.factor(str(change.written.unit), str(current.written.unit)) \
            if change.written.unit and current.written.unit and change.written.unit != current.written.unit else 1
        return abs(change.written.value) * factor <= abs(current.written.value)
    except (KeyError, ValueError, ArithmeticError, TypeError):
        return True


def _per_10k(c: Clause) -> Guess | None:
    if not c.is_count or not PER_10K.search(c.clause_before) or GROWTH.search(c.clause_before):
        return None
    stocks = [s for s in c.nearby if same_kind(s, c.spot) and not PER_10K.search(s.context)
              and s.relation is None and s.written is not None and s.written.unit not in ("percent",)
              and not conflict(c.clause_before, s.context)]
    if not stocks:
        return c.todo("TODO: per 10,000 residents (每万人) — per_10k_of which fact?")
    # the stock it divides is the one its nouns name: 每万人口发明专利拥有量 → the valid invention patents (a stock:
    # 有效), not the high-value ones; fewest other qualifiers, then the nearest; else the nearest, guessed
    own = _words(c.clause_before) - {"per", "10k"}  # per_10k, split at its underscore
    named = [s for s in stocks if own and own <= _words(s.context) | {"valid"}]
    if named:
        best = min(named, key=lambda s: (len(_words(s.context) - own - NEUTRAL), -s.start))
        return c.record("per_10k_of", [best], "每万人: the stock its nouns name")
    if own - NEUTRAL:  # 每万人口高价值发明专利 with no high-value stock stated: none, rather than another stock
        return c.todo("TODO: per 10,000 residents (每万人) — the stock it divides is not stated before it?")
    return c.record("per_10k_of", [stocks[-1]], "每万人, the nearest stock", stated=False)


NEUTRAL = {"valid", "total", "amount", "grants", "applications", "registrations"}


def _words(text: str) -> set[str]:
    return set(words_key(text, limit=8).split("_")) - {""}


def _new_of_total(c: Clause) -> Guess | None:
    if not c.is_count or not any(w in c.clause_before for w in NEW_WORDS):
        return None
    totals = [s for s in c.counts if same_kind(s, c.spot) and any(w in s.context for w in CUMULATIVE_WORDS)
              and not conflict(c.clause_before, s.context) and at_most(c.spot, s)]
    return c.record("change_of", [totals[-1]], "累计…新增") if totals else None


def _share(c: Clause) -> Guess | None:
    if c.unit != "percent" or "占" not in c.clause_before:
        return None
    named = SHARE_OF_NAMED.search(c.clause_before)
    name = named.group(1) if named else None
    if name and any(w in name for w in WIDER if not (w == "全省" and c.squashed.province)):
        return c.todo(f"TODO: a share of {name}, a whole the document does not state")
    if name and re.fullmatch(r"(?:全省|全市|全区|全县)(?:的)?", name):
        return _share_of_own_region(c, name)
    why = f"其中…占; the source names the whole: {name}" if name else "其中…占比"
    whole = c.whole
    if whole is not None and name and not _words(name) - {"total"} <= _words(whole.context) | {"total"}:
        whole = None  # 其中企业发明专利…占全市发明专利授权总量: not the whole before 其中
    if c.part is not None and whole is not None and whole is c.whole:
        if at_most(c.part, whole) or c.spot.written is not None and c.spot.written.value > 100:
            return c.record("share_of", [c.part, whole], why)
        return c.todo("TODO: a share (占比) whose part is larger than the whole before it — share_of which facts?")
    if whole is not None:
        return c.record("percent_of", [whole], why + " (the part is not stated)")
    inside = _in_parenthesis_after(c)
    if inside is not None and not name:  # 收案1356件（一审占比93.38%…）: a share of the figure the parenthesis follows
        return c.record("percent_of", [inside], "（…占比）: the figure before the parenthesis (the part is not stated)")
    listed = [s for s in c.in_sentence if s.relation == "percent_of" and s.written is not None
              and s.written.unit == "percent" and s.targets]
    if listed and not named:  # 登记作品中美术作品占63.53%，文字作品占24%: the same whole
        c.draft.relations["percent_of"] = list(listed[-1].targets)
        c.draft.confidence["percent_of"] = GUESSED
        c.draft.notes.append("TODO confirm: guessed percent_of from the share listed before it")
        return "percent_of", key_of(listed[-1].targets[0])
    named_whole = _named_whole(name, c.clause_before, c.nearby, c.spot)
    if named_whole is not None:
        parts = [s for s in c.counts if s is not named_whole and s.start > named_whole.end
                 and same_kind(s, named_whole)]
        if parts and not any(ch in c.squashed.plain[parts[-1].end:c.spot.start] for ch in "；;。") and \
                at_most(parts[-1], named_whole):
            return c.record("share_of", [parts[-1], named_whole], f"占{name or ''}: the part before it, "
                                                                   "the whole it names")
        return c.record("percent_of", [named_whole], "…中…占: the whole it names (the part is not stated)")
    return c.todo(f"TODO: a share (占比) of {name or 'what'}? share_of [part, whole]")


def _share_of_own_region(c: Clause, name: str) -> Guess:
    """杭州市有效发明专利14.1万件，占全省的43.9%: the part is the count before it, the whole the region's own figure
    of the same thing stated before (全省有效发明专利32.1万件): the count whose words are the part's."""
    plain = c.squashed.plain
    parts = [s for s in c.counts if not any(ch in plain[s.end:c.spot.start] for ch in "；;。")]
    if not parts:
        return c.todo(f"TODO: a share of {name} — of which figure?")
    part = parts[-1]
    own = _words(part.context)
    wholes = [s for s in c.nearby if s is not part and s.end <= part.start and same_kind(s, part) and own
              and _words(s.context) == own and not at_most(s, part) and s.relation not in ("part_of", "subset_of")]
    if not wholes:
        return c.todo(f"TODO: a share of {name}: its figure of the same thing is not stated before it")
    whole = max(wholes, key=lambda s: s.written.value if s.written is not None else 0)  # the region's: the largest
    return c.record("share_of", [part, whole], f"占{name}: the part before it, the region's figure of the same thing")


def _in_parenthesis_after(c: Clause) -> Spot | None:
    """The count a parenthesis follows, when the number is inside it: 收案1356件（一审占比93.38%."""
    plain = c.squashed.plain
    opening = max(plain.rfind("（", max(0, c.spot.start - CLAUSE_REACH), c.spot.start),
                  plain.rfind("(", max(0, c.spot.start - CLAUSE_REACH), c.spot.start))
    if opening < 0 or c.squashed.depth(opening, c.spot.start) < 1:
        return None
    fitting = [s for s in c.in_sentence if s.end == opening and s.written is not None
               and s.written.unit not in ("percent", "percentage_point")]
    return fitting[-1] if fitting else None


def _outcome(c: Clause) -> Guess | None:
    if not c.is_count or not OUTCOME.search(_opening(c.clause_before)):
        return None
    intake = _intake(c.spot, c.nearby, c.squashed, c.clause_before)
    if intake is None:
        return None
    found = c.record("outcome_of", [intake], "an outcome verb (审结/结案/批捕/起诉/授权) after an intake")
    family = _disposal(_opening(c.clause_before))
    rivals = [s for s in c.nearby if s.start > intake.end and s.relation == "outcome_of" and s.ref and
              s.targets == [str(intake.ref)] and family and _disposal(_opening(s.context)) == family]
    if rivals:  # 起诉75件，不起诉9件: one excludes the other, so their sum is judged too
        c.draft.relations["exclusive_with"] = [str(s.ref) for s in rivals]
        c.draft.confidence["exclusive_with"] = STATED
        c.draft.notes.append("TODO confirm: stated exclusive_with from outcomes that exclude one another")
    return found


PENDING = re.compile(r"^(?:其中|共|尚有|仍有)?(?:未结案|未结|结存|存案|积存)(?:案件)?(?:数)?(?:为|达)?$")


def _balance(c: Clause) -> Guess | None:
    """收案 N件…结案 M件…未结案 K件: the cases pending at the end, a stock of the intake and the concluded."""
    if not c.is_count or not PENDING.search(_opening(c.clause_before)):
        return None
    start = _period_start(c.squashed, c.spot.start)
    before = [s for s in c.nearby if s.start >= start and same_kind(s, c.spot)]
    outflow = next((s for s in reversed(before) if s.relation == "outcome_of" and s.targets), None)
    if outflow is None:
        return None
    inflow = next((s for s in before if s.ref == outflow.targets[0]), None)
    if inflow is None:
        return None
    return c.record("balance_of", [inflow, outflow], "收案…结案…未结案 (inflow, outflow)")


MEAN = re.compile(r"(?:单个|平均每个|平均每家|平均每件|每个|每家|户均|件均)(.{2,20}?)的?([^的，,；;。]{1,8}?)(?:为|达|达到|约)?$")


def _mean(c: Clause) -> Guess | None:
    """单个专利密集型产品的销售额5.28亿元: the total named by its measure (销售额) over the count of its items."""
    found = MEAN.search(c.clause_before)
    if not c.is_count or found is None:
        return None
    item, measure = found.group(1), found.group(2)
    before = [s for s in c.nearby if s.written is not None and s.relation is None]
    totals = [s for s in before if same_kind(s, c.spot) and measure in s.context]
    counts = [s for s in before if not same_kind(s, c.spot) and item[:4] in s.context and s.written is not None
              and s.written.unit not in ("percent", "percentage_point", None)]
    if not totals or not counts:
        return None
    return c.record("mean_of", [totals[-1], counts[-1]], f"单个…{measure}: the total over the count of {item}")


def _contained(c: Clause) -> Guess | None:
    if not c.is_count or not re.search(r"[（(]含[^（(）)，,；;。]*$",
                                       c.squashed.plain[max(0, c.spot.start - CLAUSE_REACH):c.spot.start]):
        return None
    before = _before_parenthesis(c.spot, c.in_sentence, c.squashed)
    return c.record("subset_of", [before], "（含…）: a subset of the figure before the parenthesis") \
        if before is not None else None


def _referred(c: Clause) -> Guess | None:
    if not c.is_count or not REFERRED.search(_opening(c.clause_before)):
        return None
    handled = [s for s in c.counts if same_kind(s, c.spot) and HANDLED.search(s.context)]
    return c.record("subset_of", [handled[-1]], "移送 among the cases handled (查处/查办)") if handled else None


def _listed_part(c: Clause) -> Guess | None:
    if c.is_count and c.whole is not None and same_kind(c.whole, c.spot) and _lists_parts(c.squashed, c.spot):
        return c.record("part_of", [c.whole], "其中")
    return None


def _total(c: Clause) -> Guess | None:
    if not any(w in c.clause_before for w in SUM_WORDS):
        return None
    plain = c.squashed.plain
    # the counts it totals: since the 其中 or the ； before it (申请5000件；授权…，其中A、B，合计: A and B)
    since = max(plain.rfind("；", c.sentence_start, c.spot.start), plain.rfind(";", c.sentence_start, c.spot.start),
                c.squashed.last_qizhong(c.sentence_start, c.spot.start))
    parts = [s for s in c.counts if same_kind(s, c.spot) and s.start > since and s.relation not in ("growth_of",)]
    if len(parts) >= 2:
        return c.record("sum_of", parts, "合计")
    return c.todo("TODO: a total (合计) — sum_of which facts?")


RULES = (_growth_rate, _point_change, _amount_change, _per_10k, _new_of_total, _share, _outcome, _balance, _mean,
         _contained, _referred, _listed_part, _total)


def _opening(clause_before: str) -> str:
    """The clause before a number from its start (after 其中's comma), whatever number it holds before."""
    return re.split(r"[，,：:；;]", clause_before)[-1] if clause_before else ""


# Outcomes of one intake that exclude one another: a case is disposed of one way only.
DISPOSALS = (("prosecution", re.compile(r"^(?:其中|并|共|已)?(?:不起诉|起诉|提起公诉)")),
             ("disposal", re.compile(r"(?:作出|做出)[^，,；;]{0,8}?(?:决定|裁决)|调解结案|撤案|撤诉|驳回|判决")))


def _disposal(opening: str) -> str | None:
    """The family of outcomes that exclude one another an outcome verb belongs to, if any."""
    return next((name for name, pattern in DISPOSALS if pattern.search(opening)), None)


def _before_parenthesis(spot: Spot, in_sentence: list[Spot], squashed: Squashed) -> Spot | None:
    """The count a （含 N件） qualifies: the one that ends right before the parenthesis holding it."""
    opening = max(squashed.plain.rfind("（", max(0, spot.start - CLAUSE_REACH), spot.start),
                  squashed.plain.rfind("(", max(0, spot.start - CLAUSE_REACH), spot.start))
    fitting = [s for s in in_sentence if s.end == opening and same_kind(s, spot)]
    return fitting[-1] if fitting else None


def _period_start(squashed: Squashed, position: int) -> int:
    """Where the sentence holding `position` starts when only 。！？ end one (； goes on), at most NEARBY back."""
    index = bisect_left(squashed.sentence_ends, position) - 1
    floor = position - NEARBY
    while index >= 0 and squashed.sentence_ends[index] >= floor and squashed.plain[squashed.sentence_ends[index]] in "；;":
        index -= 1
    return max(squashed.sentence_ends[index] + 1 if index >= 0 else 0, floor, 0)


def _intake(spot: Spot, nearby: list[Spot], squashed: Squashed, clause_before: str) -> Spot | None:
    """The intake an outcome is of: the nearest count of its kind before it in its sentence (； goes on), not in
    a parenthesis closed before it, nor a part of a 其中 list a ； closed (其中民事…、行政26件；结案3824件: of the
    whole); past the other outcomes of the same intake (起诉75件，不起诉9件: both of 审查起诉77件), except that a
    later stage is of the stage before it (预审合格1715件，获授权1237件). The text up to it must name an intake."""
    plain, opened = squashed.plain, squashed.opened
    start = _period_start(squashed, spot.start)
    staged = _opening(clause_before).lstrip("其中并共已均全年累计").startswith(STAGED)
    for other in reversed(nearby):
        if other.start < start:
            break
        if other.written is None or not same_kind(other, spot) or opened[other.start] > opened[spot.start] or \
                other.relation in ("growth_of", "change_of", "per_10k_of"):
            continue
        if other.relation in ("part_of", "subset_of") and any(c in plain[other.end:spot.start] for c in "；;"):
            continue
        if other.relation == "outcome_of" and not (staged and "合格" in other.context):
            continue
        return other if INTAKE.search(plain[start:other.end]) else None
    return None


def _named_whole(named: str | None, clause_before: str, nearby: list[Spot], spot: Spot) -> Spot | None:
    """The count a share names as its whole: 占全市专利授权总量的93.04% → the fact 全市授权专利…件 before it;
    登记作品中美术作品占63.53% → the count of 作品登记 before it. Its words must all be in that count's."""
    if named:
        wanted = set(words_key(named, limit=8).split("_")) - {"", "total"}
    else:
        inside = re.search(r"([^，,；;。]{2,12}?)中[^，,；;。]*占[^，,；;。]*$", clause_before)
        if not inside:
            return None
        wanted = set(words_key(inside.group(1), limit=8).split("_")) - {"", "total"}
    if not wanted:
        return None
    counts = [s for s in nearby if s.written is not None and s.written.unit not in ("percent", "percentage_point")
              and s.relation not in ("change_of", "per_10k_of")]
    fitting = [(len(set(words_key(c.context, limit=8).split("_")) - wanted), -i, c) for i, c in enumerate(counts)
               if wanted <= set(words_key(c.context, limit=8).split("_"))]
    return min(fitting, key=lambda f: (f[0], f[1]))[2] if fitting else None  # fewest other words, then nearest


def listed_name(plain: str, sentence_start: int, spot: Spot, in_sentence: list[Spot]) -> str | None:
    """A, B 分别为 N、M: the name in the same place of the list before 分别 as the number after it."""
    at = plain.rfind("分别", sentence_start, spot.start)
    if at < 0 or spot.written is None:
        return None
    percent = spot.written.unit == "percent"
    place = sum(1 for s in in_sentence if s.start > at and s.written is not None
                and (s.written.unit == "percent") == percent)
    head = max(plain.rfind(c, sentence_start, at) for c in "，,：:；;") + 1
    names = [n for n in re.split("[、和及与]", plain[max(head, sentence_start):at]) if n]
    return names[place] if len(names) > 1 and place < len(names) else None


def _respectively(spot: Spot, counts: list[Spot], in_sentence: list[Spot], squashed: Squashed,
                  sentence_start: int) -> Spot:
    """The count a growth rate is of: the last one before it; after 分别, the one in the same place of the list
    (A、B分别为 N件、M件，同比增长 a%、b%: a of N, b of M)."""
    plain = squashed.plain
    if "分别" not in plain[sentence_start:spot.start]:
        return counts[-1]
    at = plain.rfind("分别", sentence_start, spot.start)
    if not [s for s in counts if s.start > at]:  # N件、M件，同比分别增长 a%和b%: a of N, b of M, counted from the end
        ends = [plain.find(ch, spot.end) for ch in "，,；;。"]
        listed_rates = re.findall(r"[0-9][0-9.,]*%", plain[at:min([e for e in ends if e >= 0], default=len(plain))])
        place = sum(1 for s in in_sentence if s.start > at and s.written is not None and s.written.unit == "percent")
        back = len(listed_rates) - place
        return counts[-back] if 0 < back <= len(counts) else counts[-1]
    rates = [s for s in in_sentence if s.written is not None and s.written.unit == "percent"
             and not any(c in plain[s.end:spot.start] for c in "，,；;")]
    listed = [s for s in counts if s.start > plain.rfind("分别", sentence_start, spot.start)] or counts
    place = len(rates)
    return listed[place] if place < len(listed) and len(listed) > 1 else counts[-1]


def _qizhong(spot: Spot, counts: list[Spot], squashed: Squashed,
            sentence_start: int) -> tuple[Spot | None, Spot | None]:
    """(part, whole) around the nearest 其中 before `spot` in its sentence, while that 其中 is in scope."""
    full = squashed.plain
    at = squashed.last_qizhong(sentence_start, spot.start)
    if at < 0:
        return None, None
    between = full[at:spot.start]
    if full[at - 1:at] in "（(" and at > 0 and any(c in between for c in "）)"):
        return None, None  # the parenthesis holding 其中 closed before this number
    wholes = [s for s in counts if s.end <= at]
    parts = [s for s in counts if s.start > at]
    return (parts[-1] if parts else None), (wholes[-1] if wholes else None)


def _lists_parts(squashed: Squashed, spot: Spot) -> bool:
    """A number still in the list that 其中 opens: inside its parenthesis, or with only 、 between them."""
    full = squashed.plain
    at = squashed.last_qizhong(0, spot.start)
    between = full[at + 2:spot.start].lstrip("，,：:")  # 其中，民事案件3856件、刑事案件122件
    if full[at - 1:at] in ("（", "(") or not any(c in between for c in "，,；;"):
        return True
    # 其中民事案件19.6万件，行政案件1.1万件，刑事案件0.3万件: a list of one standard set, clause by clause
    if any(c in between for c in "；;。"):
        return False
    clauses = [re.sub(r"^[^一-龥]*", "", c) for c in re.split(r"[，,]", between)]
    return any(all(c.startswith(group) for c in clauses) and clauses[0][:2] != clauses[-1][:2]
               for group in COMPLETE_SETS)  # every clause opens with a category (审结… between: no list)
