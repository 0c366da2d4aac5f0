"""Correction requests for the publishing agency: the findings editors marked `source-error`.

One section per source document: its title, and for each finding the cited line(s), the quoted text,
what is inconsistent, the figures that would be consistent, and the editor's note. Chinese by
default (the agencies publish in Chinese), English on request; Markdown, HTML or CSV.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from ipfacts.findings import Finding, Report
from ipfacts.load.model import Fact, FactBase, Source

FORMATS = ("md", "html", "csv")
LANGS = ("zh", "en")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".csv": "csv"}

WORDS = {
    "zh": {
        "title": "数据更正请求", "intro": "以下数据经核对前后不一致，疑为原文印误，请核实并更正。",
        "line": "原文行", "quote": "原文", "wrong": "不一致之处", "fits": "一致的数值", "note": "编辑说明",
        "source": "来源", "none": "没有被标记为原文错误（source-error）的发现。", "finding": "发现",
        "share": "{share} 与 {part} / {whole} = {computed} 不符",
        "share_fits": "按所列数字计算的占比为 {computed}；若占比 {share} 无误，其中部分应为 {lo}–{hi}",
        "percent": "{whole} 的 {share} 不是整数",
        "percent_fits": "{below} 对应 {below_share}，{above} 对应 {above_share}",
        "recomputed": "重新计算：{expected}",
    },
    "en": {
        "title": "Correction requests", "intro": "The figures below are inconsistent with each other and appear "
        "to be misprinted in the published document. Please check and correct them.",
        "line": "line", "quote": "text", "wrong": "inconsistent", "fits": "consistent figures", "note": "editor's note",
        "source": "source", "none": "No finding is marked source-error.", "finding": "finding",
        "share": "{share} is not {part} / {whole} = {computed}",
        "share_fits": "the printed counts give {computed}; if {share} is right, the part would be {lo}–{hi}",
        "percent": "{share} of {whole} is not a whole number",
        "percent_fits": "{below} would be {below_share}, {above} would be {above_share}",
        "recomputed": "recomputed: {expected}",
    },
}


@dataclass
class Quote:
    fact: str
    line: str
    text: str


@dataclass
class Item:
    fingerprint: str
    code: str
    lines: str
    quotes: list[Quote]
    inconsistent: str
    consistent: str
    note: str
    reviewer: str
    at: str
    page: str = ""  # 第3页 / p. 3: where the lines stand in the original, when sources.yaml records its pages


@dataclass
class Section:
    source: str
    title: str
    file: str
    items: list[Item] = field(default_factory=list)
    publication: str = ""  # who published it and when, as sources.yaml says (publisher, published)


def _percent(value: Decimal, decimals: int) -> str:
    step = Decimal(1).scaleb(-decimals)
    return f"{value.quantize(step, rounding=ROUND_HALF_UP)}%"


def _unit(fact: Fact) -> str:
    text, literal = fact.value.text, fact.value.literal
    return text[text.find(literal) + len(literal):] if literal in text else ""


def _figures(base: FactBase, finding: Finding, words: dict[str, str]) -> tuple[str, str]:
    """What is inconsistent, and what would be consistent (for the share kinds: computed from the values)."""
    facts = [base.facts[f.id] for f in finding.facts if f.id in base.facts]
    fallback = (finding.message, words["recomputed"].format(expected=finding.expected) if finding.expected else "")
    if not facts:
        return fallback
    reporting = facts[0]
    share = reporting.value
    decimals = max(share.decimals, 1)
    if finding.code == "R101" and len(reporting.refs("share_of")) == 2:
        part, whole = (base.facts.get(ref) for ref in reporting.refs("share_of"))
        if part is None or whole is None or whole.value.value == 0:
            return fallback
        computed = _percent(part.value.value / whole.value.value * 100, decimals + 1)
        half = share.step / 2
        lo = math.ceil((share.value - half) / 100 * whole.value.value)
        hi = math.ceil((share.value + half) / 100 * whole.value.value) - 1
        unit = _unit(part)
        return (words["share"].format(share=share.text, part=part.value.text, whole=whole.value.text, computed=computed),
                words["share_fits"].format(computed=computed, share=share.text,
                                           lo=f"{lo}{unit}", hi=f"{hi}{unit}"))
    if finding.code == "R104" and reporting.ref("percent_of"):
        whole = base.facts.get(reporting.ref("percent_of") or "")
        if whole is None or whole.value.value == 0:
            return fallback
        exact = share.value / 100 * whole.value.value
        below, above = math.floor(exact), math.floor(exact) + 1
        unit = _unit(whole)
        return (words["percent"].format(share=share.text, whole=whole.value.text),
                words["percent_fits"].format(
                    below=f"{below}{unit}", above=f"{above}{unit}",
                    below_share=_percent(Decimal(below) / whole.value.value * 100, share.decimals),
                    above_share=_percent(Decimal(above) / whole.value.value * 100, share.decimals)))
    return fallback


def _publication(source: Source, lang: str) -> str:
    """（无锡市知识产权局，2025-04） / (Wuxi IP Office, 2025-04): the publication a correction request names."""
    publisher = source.publisher_en if lang == "en" and source.publisher_en else source.publisher
    parts = [p for p in (publisher, source.published) if p]
    if not parts:
        return ""
    return f" ({', '.join(parts)})" if lang == "en" else f"（{'，'.join(parts)}）"


def build(base: FactBase, report: Report, source: str | None = None, lang: str = "zh") -> list[Section]:
    """The sections, in sources.yaml order; only sources with source-error findings (or the one asked for)."""
    words = WORDS[lang]
    sections = {sid: Section(sid, s.title, s.file, publication=_publication(s, lang))
                for sid, s in base.sources.items() if source in (None, sid)}
    seen: set[tuple[str, str]] = set()
    for finding in report.reviewed:
        review = report.review_of(finding) or {}
        if review.get("status") != "source-error":
            continue
        facts = [base.facts[f.id] for f in finding.facts if f.id in base.facts]
        for source_id in dict.fromkeys(f.source for f in facts):
            if source_id not in sections or (source_id, finding.fingerprint) in seen:
                continue
            seen.add((source_id, finding.fingerprint))
            mine = [f for f in facts if f.source == source_id]
            first = min(f.line_from for f in mine)
            last = max(f.line_to for f in mine)
            inconsistent, consistent = _figures(base, finding, words)
            sections[source_id].items.append(Item(
                finding.fingerprint, finding.code, str(first) if first == last else f"{first}-{last}",
                [Quote(f.id, f.lines, f.quote) for f in sorted(mine, key=lambda f: f.line_from)],
                inconsistent, consistent, str(review.get("note", "")), str(review.get("reviewer", "")),
                str(review.get("at") or review.get("date") or ""),
                base.sources[source_id].page_label(first, last, lang)))
    out = [s for s in sections.values() if s.items or source is not None]
    for section in out:
        section.items.sort(key=lambda item: (int(item.lines.split("-")[0]), item.fingerprint))
    return out


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(sections: list[Section], lang: str = "zh") -> str:
    w = WORDS[lang]
    out = [f"# {w['title']}", "", w["intro"], ""]
    if not any(s.items for s in sections):
        out += [w["none"], ""]
    for section in sections:
        out += [f"## {section.title}{section.publication}", "", f"{w['source']}: `{section.source}` ({section.file})", ""]
        if not section.items:
            out += [w["none"], ""]
        for number, item in enumerate(section.items, 1):
            page = (f"（{item.page}）" if lang == "zh" else f" ({item.page})") if item.page else ""
            out += [f"### {number}. {w['line']} {item.lines}{page}", ""]
            for quote in item.quotes:
                out.append(f"- {w['quote']} ({w['line']} {quote.line}): 「{_md_cell(quote.text)}」")
            out += [f"- {w['wrong']}: {_md_cell(item.inconsistent)}"]
            if item.consistent:
                out.append(f"- {w['fits']}: {_md_cell(item.consistent)}")
            out += [f"- {w['note']}: {_md_cell(item.note)} ({item.reviewer}, {item.at})",
                    f"- {w['finding']}: {item.code} `{item.fingerprint}`", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_html(sections: list[Section], lang: str = "zh") -> str:
    w = WORDS[lang]
    out = ["<!DOCTYPE html>", f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">', "<head>",
           '<meta charset="utf-8">', f"<title>{escape(w['title'])}</title>",
           "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:50rem;margin:auto;padding:1.5rem}"
           "dt{color:#5f6368}dd{margin:0 0 .4rem}</style>", "</head>", "<body>",
           f"<h1>{escape(w['title'])}</h1>", f"<p>{escape(w['intro'])}</p>"]
    if not any(s.items for s in sections):
        out.append(f"<p>{escape(w['none'])}</p>")
    for section in sections:
        out += ["<section>", f"<h2>{escape(section.title + section.publication)}</h2>",
                f"<p>{escape(w['source'])}: <code>{escape(section.source)}</code> ({escape(section.file)})</p>"]
        for number, item in enumerate(section.items, 1):
            page = f" ({item.page})" if item.page else ""
            out += [f"<h3>{number}. {escape(w['line'])} {escape(item.lines)}{escape(page)}</h3>", "<dl>"]
            for quote in item.quotes:
                out.append(f"<dt>{escape(w['quote'])} ({escape(w['line'])} {escape(quote.line)})</dt>"
                           f"<dd>「{escape(quote.text)}」</dd>")
            out.append(f"<dt>{escape(w['wrong'])}</dt><dd>{escape(item.inconsistent)}</dd>")
            if item.consistent:
                out.append(f"<dt>{escape(w['fits'])}</dt><dd>{escape(item.consistent)}</dd>")
            out += [f"<dt>{escape(w['note'])}</dt><dd>{escape(item.note)} ({escape(item.reviewer)}, {escape(item.at)})</dd>",
                    f"<dt>{escape(w['finding'])}</dt><dd>{escape(item.code)} <code>{escape(item.fingerprint)}</code></dd>",
                    "</dl>"]
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


CSV_COLUMNS = ("source", "title", "line", "quote", "inconsistent", "consistent", "note", "reviewer", "at",
               "code", "fingerprint")


def render_csv(sections: list[Section], lang: str = "zh") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for section in sections:
        for item in section.items:
            quotes = " / ".join(f"{q.line}: {q.text}" for q in item.quotes)
            writer.writerow([section.source, section.title, item.lines, quotes, item.inconsistent, item.consistent,
                             item.note, item.reviewer, item.at, item.code, item.fingerprint])
    return buffer.getvalue()


RENDERERS = {"md": render_markdown, "html": render_html, "csv": render_csv}


def render(sections: list[Section], format: str = "md", lang: str = "zh") -> str:
    return RENDERERS[format](sections, lang)
