"""How a brief writes numbers, citations and findings in its language.

Chinese briefs show every figure exactly as the source wrote it (39.2万件). English
briefs write the same number as an English reader expects — 392,000; RMB 61.093
billion; more than 193% — from the exact Decimal, never from a float, keeping
every digit the source gave and no more.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ipfacts.load.numbers import Written, parse_value
from ipfacts.load.words import APPROX, AT_LEAST, AT_MOST

MONEY_DIGITS = 4  # English money to at most four significant digits, as a subeditor writes it (never more than given)
BILLION = Decimal(10) ** 9
MILLION = Decimal(10) ** 6
# English words for qualifiers, by the Chinese word where it matters (近 is "nearly", not "up to").
QUALIFIER_WORDS = {"近": "nearly", "将近": "nearly", "接近": "nearly", "不足": "less than", "不到": "less than"}
QUALIFIER_KINDS = {AT_LEAST: "more than", AT_MOST: "up to", APPROX: "about"}
# Classifiers an English reader needs spelled out; the others (件, 项, 家, 个, 人, 起 …) are carried by the label.
UNIT_WORDS = {"件次": " transactions", "批次": " batches", "家次": " enterprise-times", "倍": " times", "笔": " deals"}


def clean_quote(quote: str) -> str:
    """A quote as a writer pastes it: the spaces a PDF's line breaks left inside Chinese text removed (同比上 升
    17.72% → 同比上升17.72%), spaces between Latin words kept. The fact file keeps the verified quote."""
    text = " ".join(quote.split())
    return _CJK_SPACE.sub("", text)


_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}0-9%.,])\\s+(?=[{_CJK}])|(?<=[{_CJK}])\\s+(?=[{_CJK}0-9%.,])")


def plain(number: Decimal, group: bool = True) -> str:
    """A Decimal in positional notation (thousands separators unless `group` is false), no exponent, no
    trailing zeros after the point."""
    text = format(number, "f")
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0")
    else:
        whole, frac = text, ""
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = (f"{int(whole):,}" if group else str(int(whole))) if whole else "0"
    return f"{sign}{grouped}.{frac}" if frac else f"{sign}{grouped}"


def english_value(written: Written) -> str:
    """610.93亿元 → RMB 61.09 billion; 39.2万件 → 392,000; 超193% → more than 193%; 家（次） → 707 enterprise-times."""
    if written.qualifier is None:
        qualifier = ""
    else:
        qualifier = QUALIFIER_WORDS.get(written.qualifier_word or "", QUALIFIER_KINDS.get(written.qualifier, "")) + " "
    if "/" in written.literal:  # a fraction as written (近1/10)
        return f"{qualifier}{'-' if written.negative else ''}{written.literal}"
    value = written.magnitude * written.multiplier
    sign = "-" if written.negative else ""
    unit = written.unit
    if unit == "percent":
        return f"{qualifier}{sign}{plain(value)}%"
    if unit == "percentage_point":
        return f"{qualifier}{sign}{plain(value)} percentage points"
    if unit in ("元", "美元"):
        value = round_significant(value, MONEY_DIGITS)  # RMB 22.3 million, not RMB 22.2997 million
    if unit == "元":
        if value >= BILLION:
            return f"{qualifier}RMB {sign}{plain(value / BILLION)} billion"
        if value >= MILLION:
            return f"{qualifier}RMB {sign}{plain(value / MILLION)} million"
        return f"{qualifier}RMB {sign}{plain(value)}"
    if unit == "美元":
        if value >= BILLION:
            return f"{qualifier}US${sign}{plain(value / BILLION)} billion"
        if value >= MILLION:
            return f"{qualifier}US${sign}{plain(value / MILLION)} million"
        return f"{qualifier}US${sign}{plain(value)}"
    if unit == "人" and written.multiplier >= 10000 and value >= MILLION:
        return f"{qualifier}{sign}{plain(value / MILLION)} million people"
    if written.multiplier >= 10000 and value >= MILLION:  # 2319.3万件 → 23.193 million, as the source counts it
        return f"{qualifier}{sign}{plain(value / MILLION)} million{UNIT_WORDS.get(unit or '', '')}"
    return f"{qualifier}{sign}{plain(value)}{UNIT_WORDS.get(unit or '', '')}"


UNIT_LABELS_EN = {"件": "number", "项": "number", "个": "number", "家": "entities", "人": "persons", "起": "cases",
                  "批次": "batches", "笔": "deals", "件次": "transactions", "亿元": "RMB", "万元": "RMB", "元": "RMB",
                  "万人": "persons", "%": "%"}


def unit_label(unit: str, lang: str) -> str:
    """A metric's unit as a column label: as written in Chinese (亿元), in words in English (RMB)."""
    return UNIT_LABELS_EN.get(unit, unit) if lang == "en" else unit


def approximate_text(value: Decimal, unit: str, lang: str) -> str:
    """A figure the brief computes (a previous year inferred from a growth rate), in the metric's unit, written
    like a source's figure and read by the one number reader: 约394.1亿元 / about RMB 39.41 billion."""
    text = f"约{plain(value, group=False)}{unit}"
    try:
        return shown_value(parse_value(text), lang)
    except ValueError:
        return text if lang == "zh" else f"about {plain(value)} ({unit})"


def shown_value(written: Written, lang: str) -> str:
    """The figure as the brief prints it: as written in Chinese, in English notation in English."""
    return english_value(written) if lang == "en" else written.text


def round_significant(value: Decimal, digits: int) -> Decimal:
    """`value` to `digits` significant digits (473.63…, 3 → 474; 23914.7, 3 → 23900)."""
    if value.is_zero() or not value.is_finite() or digits <= 0:
        return value
    return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1))


def significant_digits(written: Written) -> int:
    """How many significant digits the source gave: 26.3万 → 3, 21579 → 5, 62.75 → 4, 1400 → 2 (trailing zeros
    of a whole number carry no precision one can be sure of)."""
    digits = written.literal.replace(",", "").replace(".", "")
    if "/" in digits:
        return 2
    stripped = digits.lstrip("0")
    if written.decimals == 0:
        stripped = stripped.rstrip("0") or stripped
    return max(len(stripped), 1)


# --- findings in words ------------------------------------------------------------------------------------

FINDING_WORDS: dict[str, tuple[str, str]] = {
    "C001": ("资料来源文件已改动，引用有待重新核对", "the source file has changed since the citations were checked"),
    "C002": ("引用的行号超出原文范围", "the cited line is past the end of the source"),
    "C003": ("引文在原文中，但不在所注行", "the quote is in the source, but not at the cited line"),
    "C004": ("原文中找不到引文", "the quote cannot be found in the source"),
    "C005": ("引文中没有这个数字", "the quote does not contain the figure"),
    "R101": ("占比与分项、总量算不上", "the share does not match its part and whole"),
    "R102": ("分项大于总量", "a part is larger than its whole"),
    "R103": ("比值与两个数字算不上", "the ratio does not match the two figures"),
    "R104": ("这个百分比无法由整数个分项得出", "no whole number of items gives this percentage"),
    "R105": ("增长率与本期、上期数字算不上", "the growth rate does not match the current and previous figures"),
    "R106": ("没有整数的上期数字能得出这个增长率", "no whole-number previous figure gives this growth rate"),
    "R107": ("增加量与本期、上期数字算不上", "the change does not match the current and previous figures"),
    "R108": ("增加量与增长率互相矛盾", "the change and the growth rate disagree"),
    "R109": ("合计与各分项之和不符", "the total is not the sum of its parts"),
    "R110": ("各分项之和超过总量", "the parts add up to more than the whole"),
    "R111": ("每万人指标与人口数不符", "the per-10,000 figure disagrees with the population"),
    "R112": ("同一地区的几个每万人指标推出的人口互相矛盾", "per-10,000 figures of the region imply different populations"),
    "R113": ("同一数字两处写法不一致", "the same figure is stated differently in two places"),
    "R114": ("单位不可比", "the units cannot be compared"),
    "R115": ("除数可能为零", "a divisor may be zero"),
    "R116": ("子集大于其所属总量", "a subset is larger than the whole it belongs to"),
    "R117": ("一组完整分项之和与总量不符", "one of several complete breakdowns does not add up to the whole"),
    "R118": ("办结数多于受理数，期初积存数未给出", "more cases concluded than received; the backlog is not stated"),
    "R119": ("办结数超出受理数与期初积存数之和", "more cases concluded than the intake and the backlog allow"),
    "R120": ("存量与期初、增减数字不平衡", "a stock does not balance with its opening and flows"),
    "R121": ("增长率推出的期初数与增减数字不平衡", "the growth rate implies an opening that does not balance"),
    "R122": ("平均数不等于总量除以个数", "a per-item figure is not the total divided by the count"),
    "R123": ("同一数字用了两个不被接受的量词", "the same figure is given in two classifiers the metric does not accept"),
    "R124": ("增量大于现值，上期数字为负", "a change larger than the figure leaves a negative previous figure"),
    "R150": ("两份资料所载同一数字不一致", "two sources state the same figure differently"),
    "R151": ("增长率或增加量与另一份资料所载上年数字不符", "the growth or change does not fit last year's figure in another source"),
    "R152": ("地区数字不等于其下属各地数字之和", "the region's figure is not the sum of its parts' figures"),
    "R140": ("所述排名与数字不符", "a stated rank does not match the figures"),
    "T001": ("表格数字在本行，但不在所注列", "a table cell is on its row, but in another column"),
    "T002": ("表格数字不在所注行", "a table cell is not on its row"),
    "T003": ("表格行与所注行标题不符", "a table row's line does not show its header"),
    "T004": ("找不到表格列标题", "a table's column header is not found"),
    "T005": ("表中一行的合计列不等于各分列之和", "a row's total column is not the sum of its parts"),
    "T006": ("表中一列的合计行不等于各分行之和", "a column's total row is not the sum of its parts"),
    "T007": ("一个表格数字与所在行、列都算不上", "one cell breaks both its row's and its column's sums"),
    "T008": ("密度数字不等于数量除以人口", "a density cell is not the count divided by the population"),
    "T009": ("排名列与所排数字不符", "a rank cell does not match the column it ranks"),
    "T010": ("占比数字不等于数量除以总量", "a share cell is not its count divided by the whole"),
    "T011": ("占比表引用了不存在的表格、行或列", "a share table names a table, row or column that is not there"),
}
VERDICT_WORDS: dict[str, tuple[str, str]] = {
    # the editors' conclusion, attributed: a brief never states a contested verdict as fact
    "source-error": ("编辑认为原文有误，保留原文数值", "In the editors' view the source is wrong; the published value is kept"),
    "explained": ("编辑认为数字无误，并说明了原因", "In the editors' view the numbers are right, and they say why"),
    "false-positive": ("编辑认为此项核查不适用", "In the editors' view the check does not apply here"),
}


def finding_words(code: str, lang: str) -> str:
    zh, en = FINDING_WORDS.get(code, ("数字之间不一致", "the figures do not agree"))
    return en if lang == "en" else zh


def verdict_words(status: str, lang: str) -> str:
    zh, en = VERDICT_WORDS.get(status, (status, status))
    return en if lang == "en" else zh


# --- stated ranks -----------------------------------------------------------------------------------------

SCOPE_WORDS = {"全国": "nationwide", "全国海关": "among China's customs districts", "全市": "in the city",
               "全国地级以上城市": "among China's prefecture-level cities"}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def stated_rank_text(rank: int, scope: str, province: str | None, lang: str) -> str:
    """A rank the source states, in short: 全省第3 / 3rd in Jiangsu Province (`province`: the region's province,
    in the brief's language, for 全省)."""
    if lang == "zh":
        return f"{scope}第{rank}"
    if scope == "全省":
        where = f"in {province}" if province else "in its province"
    else:
        where = SCOPE_WORDS.get(scope, f"in {scope}" if scope else "")
    return f"{_ordinal(rank)} {where}".strip()
