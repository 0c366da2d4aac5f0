"""Drafting: every uncited number of a source as a draft fact, with the relation its words suggest."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from ipfacts.check.citations import digits_in
from ipfacts.curate.coverage import coverage
from ipfacts.curate.furniture import furniture
from ipfacts.curate.naming import clean_key, key_of, unique, words_key
from ipfacts.curate.scaffold.guessing import (
    COMPLETE_SETS,
    CUMULATIVE_WORDS,
    DECLINE,
    INTAKE,
    NEW_WORDS,
    PARTIAL_WORDS,
    YEAR_END,
    at_most,
    conflict,
    guess,
    listed_name,
)
from ipfacts.curate.scaffold.spotting import (
    CLAUSE_REACH,
    FOOTNOTE_MARKS,
    LOOK_BACK,
    NEARBY,
    AsWritten,
    Draft,
    Spot,
    Squashed,
    UnknownSource,
    citing_facts,
    date_stamps,
    footnote,
    is_english,
    letters,
    misread,
    place_claims,
    same_kind,
    value_text,
)
from ipfacts.curate.scaffold.suggest import suggest_metrics
from ipfacts.curate.tables import TableDraft, find_tables
from ipfacts.load.model import FactBase
from ipfacts.load.numbers import ValueError_, Written, parse_value
from ipfacts.load.sourcetext import SourceTexts, squash

JOINERS = ("、", "和", "及", "与")
PROVINCES = ("北京", "上海", "天津", "重庆", "浙江", "江苏", "广东", "山东", "福建", "安徽", "江西", "湖南", "湖北", "河南",
             "河北", "山西", "陕西", "四川", "贵州", "云南", "辽宁", "吉林", "黑龙江", "海南", "甘肃", "青海")


def scaffold(base: FactBase, source_id: str) -> list[Draft]:
    """Drafts for every uncited number of `source_id`, in source order."""
    if source_id not in base.sources:
        raise UnknownSource(source_id)
    text = SourceTexts(base.sources)[source_id]
    squashed = Squashed.of(text)
    region = base.sources[source_id].region or ""
    if region.endswith(("省", "自治区")) or region in PROVINCES:
        squashed = replace(squashed, province=True)
    uncited = set(coverage(base, [source_id])[0].uncited)
    citing = citing_facts(base, source_id)
    spots: list[Spot] = []
    written = AsWritten(text.lines, squashed)
    stamps = date_stamps(squashed.plain)
    for claim, start, end in place_claims(text, squashed, base.units):
        if stamps and any(first < end and start < last for first, last in stamps):
            continue  # a date or time stamp, not a claim
        raw, stop = written.text(start, end), None
        marker = footnote(raw)
        own = None
        if marker > 0:  # 1234¹件: the marker is no digit (NFKC reads ¹ as 1); the quote stops before it
            stop = start + len(squash(raw[:marker]))
            own = squash(raw[:marker] + re.sub(f"[{FOOTNOTE_MARKS}]", "", raw[marker:]))
        problem = misread(squashed.plain, start, end, written)
        try:
            value: Written | None = None if problem else parse_value(value_text(claim, squashed.plain, start, own))
        except (ValueError_, ArithmeticError):
            value = None
        ref = next((fact_id for first, last, fact_id in citing.get(claim.literal, ()) if first <= claim.line <= last),
                   None)
        context = squashed.plain[max(squashed.clause_start(start), start - CLAUSE_REACH):start]
        if spots and squashed.plain[start - 1:start] in JOINERS and spots[-1].end == start - 1 and \
                (not context or squashed.plain[start - 1] != "、"):
            context = spots[-1].context  # 同比分别增长12.5%、6.3% (或 24.6%和13%): the second has the words of the first
        spots.append(Spot(claim, start, end, value, ref=ref, context=context, stop=stop, problem=problem))
    keys: set[str] = set()
    drafts = []
    in_tables = {line for table in tables_of(base, source_id) for line in table.lines} | set(furniture(text.lines))
    for index, spot in enumerate(spots):
        if spot.claim not in uncited or spot.claim.line in in_tables:
            continue  # cited, or a cell of a table: drafted in the table block
        draft = _draft(spot, spots[max(0, index - LOOK_BACK):index], squashed, keys)
        if draft.quote:
            draft.quote = written.text(squashed.quote_start(spot.start), spot.stop or spot.end)
            if draft.problem is None and spot.written is not None and \
                    not digits_in(spot.written.literal, squash(draft.quote)):  # the checker's own test (C005)
                draft.quote = written.text(spot.start, spot.stop or spot.end)  # the number alone
                if not digits_in(spot.written.literal, squash(draft.quote)):
                    draft.problem = f"no quote of the text holds {spot.written.literal} as a whole number"
        if draft.problem is None:
            spot.ref = draft.key
            spot.relation = next(iter(draft.relations), None)
            spot.targets = draft.relations.get(spot.relation, []) if spot.relation else []
            keys.add(draft.key)
        drafts.append(draft)
    _qizhong_lists(drafts, squashed)
    _tribunal_within_courts(drafts)
    _new_before_total(drafts)
    _restatements(drafts, spots, squashed)
    if "en" in base.sources[source_id].lang.split("+") and base.sources[source_id].lang != "en":
        _pair_english(drafts, spots, text.lines, squashed)
    suggest_metrics(base, drafts, squashed.plain)
    return drafts


def tables_of(base: FactBase, source_id: str) -> list[TableDraft]:
    """The tables scaffold drafts for a source: those no fact cites a cell of yet."""
    text = SourceTexts(base.sources)[source_id]
    cited = {line for f in base.facts.values() if f.source == source_id
             for line in range(f.line_from, f.line_to + 1)}
    return [t for t in find_tables(text.lines) if not t.lines & cited]


def _qizhong_lists(drafts: list[Draft], squashed: Squashed) -> None:
    """What the parts one 其中 opens are: one named subset alone (其中企业20134件) is a `subset_of` the whole;
    a list naming each category of a standard complete set once (其中民事…、刑事…、行政…) is a complete
    breakdown, `sum_of` on the whole, unless it says it is partial (等, 主要, 部分); other lists stay `part_of`."""
    by_key = {d.key: d for d in drafts if d.problem is None}
    groups: dict[tuple[int, str], list[Draft]] = {}
    for draft in drafts:
        if draft.spot is not None and draft.relations.get("part_of") and len(draft.relations["part_of"]) == 1:
            at = squashed.last_qizhong(0, draft.spot.start)
            groups.setdefault((at, draft.relations["part_of"][0]), []).append(draft)
    for (at, whole_key), parts in groups.items():
        whole = by_key.get(whole_key)
        names = [_own_name(p) for p in parts]
        last = parts[-1].spot
        listed = squashed.plain[at:last.end + 2] if last is not None else ""  # 行政案件20件等: partial
        complete = next((c for c in COMPLETE_SETS if len(parts) == len(c) and
                         sorted(sum(1 for w in c if w in n) for n in names) == [1] * len(c) and
                         all(any(w in n for n in names) for w in c)), None)
        if complete and whole is not None and "sum_of" not in whole.relations and \
                not any(w in listed for w in PARTIAL_WORDS):
            whole.relations["sum_of"] = [p.key for p in parts]
            whole.confidence["sum_of"] = "stated"
            whole.notes.append(f"TODO confirm: stated sum_of from 其中 listing the complete set {'、'.join(complete)}")
            for part in parts:
                del part.relations["part_of"]
                part.notes = [n for n in part.notes if n != "TODO confirm: stated part_of from 其中"]
                part.confidence.pop("part_of", None)
            continue
        if len(parts) == 1:
            part = parts[0]
            part.relations = {("subset_of" if k == "part_of" else k): v for k, v in part.relations.items()}
            part.notes = ["TODO confirm: stated subset_of from 其中 naming one subset"
                          if n == "TODO confirm: stated part_of from 其中" else n for n in part.notes]
            part.confidence = {("subset_of" if k == "part_of" else k): v for k, v in part.confidence.items()}


CASE_TYPES = ("民事", "刑事", "行政")
TRIBUNAL_REACH = 400  # characters back a tribunal's figures look for the courts' figures they are among


def _tribunal_within_courts(drafts: list[Draft]) -> None:
    """全市两级法院共受理 N件（民事…、刑事…、行政…）… 知识产权法庭共收案 M件（刑事 a件，行政 b件）: the tribunal is
    one of the city's courts, so its cases are a subset of theirs, and each type of case of the type's."""
    usable = [(d, d.spot) for d in drafts if d.problem is None and d.spot is not None and d.spot.written is not None]
    for index, (tribunal, spot) in enumerate(usable):
        if "法庭" not in _own_name(tribunal) and "法庭" not in tribunal.context[-30:] or \
                not INTAKE.search(tribunal.context) or tribunal.relations:
            continue
        courts = [(n, d) for n, (d, at) in enumerate(usable[:index]) if "法院" in d.context and "法庭" not in d.context
                  and INTAKE.search(d.context) and same_kind(at, spot) and spot.start - at.start <= TRIBUNAL_REACH
                  and not {"growth_of", "change_of", "outcome_of"} & d.relations.keys()]
        if not courts:
            continue
        at_court, court = courts[-1]
        _subset(tribunal, court.key, "a tribunal's cases are among those of the courts")
        by_type = {}
        for part, _ in usable[at_court + 1:index]:
            if court.key in part.relations.get("part_of", []) + part.relations.get("subset_of", []) or \
                    part.key in court.relations.get("sum_of", []):
                kinds = [t for t in CASE_TYPES if t in _own_name(part)]
                if len(kinds) == 1:
                    by_type[kinds[0]] = part
        for part, at in usable[index + 1:index + 8]:
            kinds = [t for t in CASE_TYPES if t in _own_name(part)]
            if part.sentence == tribunal.sentence and not part.relations and len(kinds) == 1 and \
                    kinds[0] in by_type and same_kind(at, spot):
                _subset(part, by_type[kinds[0]].key, f"the tribunal's {kinds[0]} cases are among the courts'")


def _subset(draft: Draft, whole: str, why: str) -> None:
    draft.relations["subset_of"] = [whole]
    draft.confidence["subset_of"] = "stated"
    draft.notes.append(f"TODO confirm: stated subset_of: {why}")


def _own_name(draft: Draft) -> str:
    """The words naming a number in a list: back to the 、, comma or 其中 before it."""
    return re.split(r"[、，,：:；;（(]|其中", draft.context)[-1] if draft.context else ""


def _new_before_total(drafts: list[Draft]) -> None:
    """新增 N个，累计 M个: the new ones are the change of the total stated after them."""
    for index, draft in enumerate(drafts):
        if draft.relations or draft.problem or draft.spot is None or \
                not any(w in draft.context for w in NEW_WORDS):
            continue
        for later in drafts[index + 1:index + 3]:
            if later.sentence != draft.sentence or later.spot is None or later.problem:
                break
            if any(w in later.context for w in CUMULATIVE_WORDS) and same_kind(draft.spot, later.spot) and \
                    not conflict(draft.context, later.context) and at_most(draft.spot, later.spot):
                draft.relations["change_of"] = [later.key]
                draft.confidence["change_of"] = "stated"
                draft.notes.append("TODO confirm: stated change_of from 新增…累计")
                break


def _significant(spot: Spot) -> bool:
    digits = spot.claim.literal.replace(",", "").replace(".", "").lstrip("0")
    return len(digits) >= 3 or "." in spot.claim.literal


def _restatements(drafts: list[Draft], spots: list[Spot], squashed: Squashed) -> None:
    """The same figure (three or more digits, or decimals) stated again in a later sentence: same_as."""
    first: dict[str, Spot] = {}
    by_spot = {id(d.spot): d for d in drafts if d.spot is not None}
    for spot in spots:
        if spot.written is None or not spot.ref or not _significant(spot) or is_english(squashed, spot):
            continue
        written = squash(spot.claim.text)
        earlier = first.get(written)
        if earlier is None:
            first[written] = spot
            continue
        draft = by_spot.get(id(spot))
        if draft is not None and not draft.relations and not draft.problem and \
                (squashed.sentence_start(spot.start) != squashed.sentence_start(earlier.start) or
                 spot.claim.line != earlier.claim.line):  # a headline has no 。 of its own
            draft.relations["same_as"] = [str(earlier.ref)]
            draft.confidence["same_as"] = "guessed"
            draft.notes.append("TODO confirm: guessed same_as: the same figure stated again")


def _pair_english(drafts: list[Draft], spots: list[Spot], lines: list[str], squashed: Squashed) -> None:
    """In a bilingual document each English paragraph restates the Chinese one before it: every English
    figure is paired, in order, with the first figure of that Chinese paragraph of the same value (same_as)."""
    kinds: list[str | None] = []
    for line in lines:
        han, latin = letters(line)
        kinds.append("en" if latin > han else "zh" if han else None)
    block: list[int] = [0] * len(lines)  # for an English line: the first line of the Chinese run before its run
    zh_start, last_kind = 0, None
    for index, kind in enumerate(kinds):
        if kind == "zh" and last_kind != "zh":
            zh_start = index
        if kind is not None:
            last_kind = kind
        block[index] = zh_start
    by_spot = {id(d.spot): d for d in drafts if d.spot is not None}
    keys = {d.key for d in drafts}
    renamed: dict[str, str] = {}
    used: set[int] = set()
    spot_lines = [s.claim.line - 1 for s in spots]
    for spot in spots:
        at_line = spot.claim.line - 1
        draft = by_spot.get(id(spot))
        if kinds[at_line] != "en" or draft is None or draft.problem or spot.written is None:
            continue
        first_zh = block[at_line]
        for other in spots[bisect_left(spot_lines, first_zh):]:
            other_line = other.claim.line - 1
            if other_line >= at_line or kinds[other_line] == "en":
                break
            if id(other) in used or other.written is None or not other.ref:
                continue
            if _same_figure(spot.written, other.written):
                used.add(id(other))
                draft.relations = {"same_as": [str(other.ref)]}
                draft.notes = [n for n in draft.notes if not n.startswith(("TODO confirm: guessed", "TODO confirm: stated"))]
                draft.confidence = {"same_as": "guessed"}
                draft.notes.append("TODO confirm: the English restatement of the Chinese figure (same_as)")
                draft.lang = "en"
                if spot.written.unit is None and other.written.unit is not None:
                    draft.unit = _unit_for(draft.value, other.written)
                if other.ref in keys:
                    old = draft.key
                    draft.key = unique(f"{key_of(str(other.ref))}_en", keys)
                    keys.discard(old)
                    keys.add(draft.key)
                    renamed[old] = draft.key
                break
    if renamed:  # keep the references to the old keys in step
        for draft in drafts:
            for relation, refs in draft.relations.items():
                draft.relations[relation] = [renamed.get(r, r) for r in refs]


def _same_figure(english: Written, chinese: Written) -> bool:
    """The same value, whatever the multiplier (39.2万 = 392,000; 4.16亿 = 416 million); percent with percent."""
    if (english.unit == "percent") != (chinese.unit == "percent"):
        return False
    if english.unit is not None and chinese.unit is not None and not english.compatible(chinese.unit):
        return False
    return abs(english.value) == abs(chinese.value)


def _unit_for(value: str, twin: Written) -> str | None:
    """The unit an English figure without one takes from its Chinese twin (8,115 → 件 of 8115件; 4.16 billion
    → 条), unless it names its things itself (392,000 patents)."""
    try:
        parse_value(value, str(twin.unit))
    except (ValueError_, ArithmeticError):
        return None
    return str(twin.unit)


def _draft(spot: Spot, earlier: list[Spot], squashed: Squashed, keys: set[str]) -> Draft:
    claim, full = spot.claim, squashed.plain
    sentence_start = squashed.sentence_start(spot.start)
    if full.startswith("其中", sentence_start) and sentence_start > 1:  # 。其中… goes on from the sentence before
        sentence_start = squashed.sentence_start(sentence_start - 1)
    clause_start = squashed.clause_start(spot.start)
    quote_start = squashed.quote_start(spot.start)
    lines = squashed.lines(quote_start, spot.end)
    quote = squashed.full[quote_start:spot.end]  # as written: traditional characters stay
    written_value = spot.written.text if spot.written is not None else value_text(claim, full, spot.start)
    draft = Draft("", written_value, lines, quote, claim, spot=spot, sentence=sentence_start,
                  context=full[max(squashed.clause_start(spot.start), spot.start - CLAUSE_REACH):spot.start])
    if spot.problem is not None:
        draft.problem = spot.problem
        return draft
    if spot.written is None:
        try:
            parse_value(written_value)
        except (ValueError_, ArithmeticError) as exc:
            draft.problem = str(exc)
        return draft
    depth = squashed.depth(sentence_start, spot.start)
    # numbers earlier in the sentence, but not inside a parenthesis closed before this one:
    # in 21579件（其中企业20134件），同比增长11.55% the growth is of 21579
    in_sentence = [s for s in earlier if s.start >= sentence_start and s.ref and s.written is not None
                   and squashed.depth(sentence_start, s.start) <= depth]
    clause_before = full[max(clause_start, spot.start - CLAUSE_REACH):spot.start] or spot.context
    if full[spot.start - 1:spot.start] in JOINERS and earlier and earlier[-1].end == spot.start - 1:
        clause_before = spot.context  # the second of a list takes the words of the first
    nearby = [s for s in earlier if s.ref and s.written is not None and spot.start - s.end <= NEARBY]
    relation, base_key = guess(spot, in_sentence, nearby, squashed, sentence_start, clause_before, draft)
    named = words_key(listed_name(full, sentence_start, spot, in_sentence) or clause_before)
    if relation is not None:  # the relation names it: valid_invention_growth, not …_growth_growth
        named = "_".join(w for w in named.split("_") if w not in ("growth", "share"))
    if relation in ("growth_of", "change_of"):
        suffix = "growth" if relation == "growth_of" else "new" if any(w in clause_before for w in NEW_WORDS) else "change"
        key = f"{base_key}_{suffix}"
        if YEAR_END.search(full[max(sentence_start, spot.start - CLAUSE_REACH):spot.start]):
            draft.base = "year-end"
            draft.notes.append("TODO confirm: since the end of last year (比去年底), not year on year")
    elif relation == "per_10k_of":
        key = f"{base_key}_per_10k"
    elif relation in ("share_of", "percent_of"):
        key = f"{base_key}_{named}_share" if relation == "percent_of" and named else f"{base_key}_share"
    elif relation == "part_of" and named:
        base_words, own = base_key.split("_"), named.split("_")
        if set(base_words) <= set(own):  # 专利授权量 … 其中发明专利授权量: invention_patent_grants
            key = named
        else:  # 有效发明 … 其中企业: valid_invention_enterprise
            key = "_".join([base_key] + [w for w in own if w not in base_words])
    else:
        key = named or f"line{claim.line}"
    draft.key = unique(clean_key(key) or f"line{claim.line}", keys)
    if relation in ("growth_of", "change_of") and \
            any(clause_before.rstrip("了为达到约超过近").endswith(w) for w in DECLINE) \
            and not spot.written.negative:
        if draft.value[:1].isdigit():
            draft.value = "-" + draft.value
            draft.notes.append("TODO confirm: a decline (下降/减少), written negative")
        else:
            draft.notes.append("TODO: a decline (下降/减少): write the value negative")
    return draft
