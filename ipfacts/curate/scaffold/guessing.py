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

from ipfacts.curate.scaffold.naming import key_of, words_key
from ipfacts.curate.scaffold.spotting import CLAUSE_REACH, NEARBY, Draft, Spot, Squashed, same_kind

GROWTH = re.compile(r"(同比|比上年|较上年|比去年|较去年|比年初|较年初)?(增长|增加|上升|提高|提升|下降|减少|下滑|降低|回落|"
                    r"增幅|增速|增长率|涨幅|降幅)(了|为|达|达到)?(约|超过|超|近)?$")
YEAR_END = re.compile(r"(?:比|较)(?:去年底|上年底|去年末|上年末|年初|上年年底)")  # the base of a change: last year-end
PER_10K = re.compile(r"每万(?:人|人口|名)|万人(?:口)?(?:发明|有效|高价值|专利|商标|拥有)")
NEW_WORDS = ("新增", "新认定", "新培育", "新获", "新建", "新设")
CUMULATIVE_WORDS = ("累计", "总数", "总量", "共有", "拥有", "达到", "已达")
DECLINE = ("下降", "减少", "下滑", "降低", "回落")
SUM_WORDS = ("合计", "共计", "总计")
# An outcome of an intake (审结 of 受理, 批准逮捕 of 审查逮捕, 授权 of 预审合格): the verb opens the clause.
OUTCOME = re.compile(r"^(?:其中|并|共|已|均|全年|累计)?(?:以[^，,；;]{1,6}?)?(?:审结|结案|办结|调结|批捕|批准逮捕|提起公诉|不起诉|起诉|"
                     r"预审合格|获授权|授权|破案|撤案|撤诉|(?:作出|做出)[^，,；;]{0,8}?决定)"
                     r"(?:案件|案|件)?(?:[\d.]+(?:件|起))?$")  # the number follows the verb: 授权时间…2天 is no outcome
INTAKE = re.compile(r"受理|新收|收案|接收|立案|审查逮捕|审查起诉|办理|办案|接受|预审合格")
STAGED = ("授权", "获授权")  # a later stage of a pipeline: of the stage before it (预审合格 → 授权), not of the intake
REFERRED = re.compile(r"^(?:其中|并|共|已|涉刑|依法)?移送(?:公安|司法|检察)")  # 移送公安 N件 among 查处 M件
HANDLED = re.compile(r"查处|查办|办理|办结|立案")
# Standard complete sets of categories: a 其中 list naming each exactly once is a complete breakdown.
COMPLETE_SETS = (("民事", "刑事", "行政"), ("发明", "实用新型", "外观设计"))
PARTIAL_WORDS = ("等", "主要", "部分")
SHARE_OF_NAMED = re.compile(r"占(?!比)(.+?)(?:的)?(?:比重|比例)?(?:为|达|达到)?(?:约|超过|超|近)?$")


def guess(spot: Spot, in_sentence: list[Spot], nearby: list[Spot], squashed: Squashed, sentence_start: int,
           clause_before: str,
           draft: Draft) -> tuple[str | None, str]:
    """The relation the words suggest, recorded on the draft; and the key of the fact it builds on."""
    assert spot.written is not None
    unit = spot.written.unit
    counts = [s for s in in_sentence if s.written is not None and s.written.unit not in ("percent", "percentage_point")
              and s.relation != "change_of"]  # 增长4710件，增幅12.41%: the rate is of the stock, not of the change
    percents = [s for s in in_sentence if s.written is not None and s.written.unit == "percent"]
    part, whole = _qizhong(spot, counts, squashed, sentence_start)

    def record(relation: str, refs: list[Spot], why: str) -> tuple[str, str]:
        names = [str(r.ref) for r in refs]
        draft.relations[relation] = names
        draft.notes.append(f"TODO confirm: guessed {relation} from {why}")
        return relation, key_of(names[0])  # growth and part of it, share of its part, percent of its whole

    if unit == "percent" and GROWTH.search(clause_before):
        if counts:
            return record("growth_of", [_respectively(spot, counts, in_sentence, squashed, sentence_start)],
                          "同比/增长")
        draft.notes.append("TODO: a growth rate (同比) — growth_of which fact?")
    elif unit == "percentage_point" and GROWTH.search(clause_before) and percents:
        return record("change_of", [percents[-1]], "百分点")
    elif unit not in ("percent", "percentage_point") and GROWTH.search(clause_before) and \
            [s for s in counts if same_kind(s, spot)]:
        return record("change_of", [[s for s in counts if same_kind(s, spot)][-1]], "增长/增加 an amount")
    elif unit not in ("percent", "percentage_point") and PER_10K.search(clause_before) and not GROWTH.search(clause_before):
        stocks = [s for s in nearby if same_kind(s, spot) and not PER_10K.search(s.context)
                  and s.relation is None and s.written is not None and s.written.unit not in ("percent",)]
        if stocks:  # the stock it divides: the nearest one before it whose words it shares, else the nearest
            own = set(words_key(clause_before, limit=8).split("_")) - {"per_10k", ""}
            sharing = [s for s in stocks if own & set(words_key(s.context, limit=8).split("_"))]
            return record("per_10k_of", [(sharing or stocks)[-1]], "每万人")
        draft.notes.append("TODO: per 10,000 residents (每万人) — per_10k_of which fact?")
    elif unit not in ("percent", "percentage_point") and any(w in clause_before for w in NEW_WORDS) and \
            [s for s in counts if same_kind(s, spot) and any(w in s.context for w in CUMULATIVE_WORDS)]:
        total = [s for s in counts if same_kind(s, spot) and any(w in s.context for w in CUMULATIVE_WORDS)][-1]
        return record("change_of", [total], "累计…新增")
    elif unit == "percent" and "占" in clause_before:
        named = SHARE_OF_NAMED.search(clause_before)
        why = f"其中…占; the source names the whole: {named.group(1)}" if named else "其中…占比"
        if part is not None and whole is not None:
            return record("share_of", [part, whole], why)
        if whole is not None:
            return record("percent_of", [whole], why + " (the part is not stated)")
        listed = [s for s in in_sentence if s.relation == "percent_of" and s.written is not None
                  and s.written.unit == "percent" and s.targets]
        if listed and not named:  # 登记作品中美术作品占63.53%，文字作品占24%: the same whole
            draft.relations["percent_of"] = list(listed[-1].targets)
            draft.notes.append("TODO confirm: guessed percent_of from the share listed before it")
            return "percent_of", key_of(listed[-1].targets[0])
        named_whole = _named_whole(named.group(1) if named else None, clause_before, nearby, spot)
        if named_whole is not None:
            stated = [s for s in counts if s is not named_whole and s.start > named_whole.end
                      and same_kind(s, named_whole)]
            if stated and not any(c in squashed.plain[stated[-1].end:spot.start] for c in "；;。"):
                return record("share_of", [stated[-1], named_whole], f"占{named.group(1) if named else ''}: "
                                                                      "the part before it, the whole it names")
            return record("percent_of", [named_whole], "…中…占: the whole it names (the part is not stated)")
        draft.notes.append(f"TODO: a share (占比) of {named.group(1) if named else 'what'}? share_of [part, whole]")
    elif unit not in ("percent", "percentage_point") and OUTCOME.search(_opening(clause_before)) and \
            (intake := _intake(spot, nearby, squashed, clause_before)) is not None:
        found = record("outcome_of", [intake], "an outcome verb (审结/结案/批捕/起诉/授权) after an intake")
        family = _disposal(_opening(clause_before))
        rivals = [s for s in nearby if s.start > intake.end and s.relation == "outcome_of" and s.ref and
                  s.targets == [str(intake.ref)] and family and _disposal(_opening(s.context)) == family]
        if rivals:  # 起诉75件，不起诉9件: one excludes the other, so their sum is judged too
            draft.relations["exclusive_with"] = [str(s.ref) for s in rivals]
            draft.notes.append("TODO confirm: guessed exclusive_with from outcomes that exclude one another")
        return found
    elif unit not in ("percent", "percentage_point") and re.search(r"[（(]含[^（(）)，,；;。]*$", squashed.plain[max(0, spot.start - CLAUSE_REACH):spot.start]) and \
            (before := _before_parenthesis(spot, in_sentence, squashed)) is not None:
        return record("subset_of", [before], "（含…）: a subset of the figure before the parenthesis")
    elif unit not in ("percent", "percentage_point") and REFERRED.search(_opening(clause_before)) and \
            (handled := [s for s in counts if same_kind(s, spot) and HANDLED.search(s.context)]):
        return record("subset_of", [handled[-1]], "移送 among the cases handled (查处/查办)")
    elif unit not in ("percent", "percentage_point") and whole is not None and same_kind(whole, spot) \
            and _lists_parts(squashed, spot):
        return record("part_of", [whole], "其中")
    elif any(w in clause_before for w in SUM_WORDS):
        parts = [s for s in counts if same_kind(s, spot)]
        if len(parts) >= 2:
            return record("sum_of", parts, "合计")
        draft.notes.append("TODO: a total (合计) — sum_of which facts?")
    return None, ""


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
    return full[at - 1:at] in ("（", "(") or not any(c in between for c in "，,；;")
