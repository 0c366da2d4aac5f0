"""An audit (`ipfacts audit`) as text, JSON or one HTML page, in Chinese or English.

Takes the audit as plain data (`Audit.as_dict()`), so that rendering knows nothing of drafting: the
findings a reader should look at first — stated errors, then stated warnings, then the questions a
guessed relation raises — each with its line (and page), the sentence and the checker's arithmetic.
"""

from __future__ import annotations

import html
import json
from typing import Any

LABELS = {
    "en": {"title": "Audit of", "read": "read {numbers} numbers; drafted {drafted} facts and {relations} relations "
                                        "({stated} stated by the text, {guessed} guessed from nearness)",
           "tables": "; {tables} table(s)",
           "none": "Every stated relation holds: nothing to query.",
           "error": "error", "warning": "warning", "question": "question",
           "errors": "Stated relations that do not hold", "warnings": "Stated relations that hold only loosely",
           "questions": "Questions (relations guessed from nearness: check the pairing before querying the figure)",
           "line": "line", "page": "p.", "sentence": "text", "arithmetic": "arithmetic",
           "problems": "Not verified (the draft's own defects, not the document's)",
           "kept": "draft left in {kept} (facts/{source}.yaml): a curator can finish it",
           "summary": "{errors} error(s), {warnings} warning(s), {questions} question(s)"},
    "zh": {"title": "核查", "read": "读取数字 {numbers} 个；起草事实 {drafted} 条、关系 {relations} 个"
                                   "（原文明示 {stated} 个，按位置推测 {guessed} 个）",
           "tables": "；表格 {tables} 张",
           "none": "原文明示的关系均成立，无需核实。",
           "error": "错误", "warning": "警告", "question": "存疑",
           "errors": "原文明示而不成立的关系", "warnings": "仅在宽松读法下成立的关系",
           "questions": "存疑（按位置推测的关系：先确认配对，再向发布方核实数字）",
           "line": "第{n}行", "page": "第{n}页", "sentence": "原文", "arithmetic": "计算",
           "problems": "未能核验（草稿本身的问题，非原文问题）",
           "kept": "草稿保存在 {kept}（facts/{source}.yaml），可供编辑继续整理",
           "summary": "错误 {errors} 个，警告 {warnings} 个，存疑 {questions} 个"},
}
SECTIONS = (("error", "errors"), ("warning", "warnings"), ("question", "questions"))


def _where(item: dict[str, Any], words: dict[str, str], lang: str) -> str:
    if not item["line"]:
        return "-"
    lines = str(item["line"]) if item["line"] == item["end_line"] else f"{item['line']}-{item['end_line']}"
    where = words["line"].format(n=lines) if lang == "zh" else f"{words['line']} {lines}"
    if item.get("page"):
        where += ", " + (words["page"].format(n=item["page"]) if lang == "zh" else f"{words['page']} {item['page']}")
    return where


def to_text(audit: dict[str, Any], lang: str = "zh") -> str:
    words = LABELS.get(lang, LABELS["en"])
    summary = audit["summary"]
    out = [f"{words['title']} {audit['document']} ({audit['source']})",
           words["read"].format(**summary) + (words["tables"].format(**summary) if summary["tables"] else ""), ""]
    if not audit["findings"]:
        out.append(words["none"])
    for severity, heading in SECTIONS:
        items = [f for f in audit["findings"] if f["severity"] == severity]
        if not items:
            continue
        out.append(f"{words[heading]}:")
        for item in items:
            out.append(f"  {_where(item, words, lang)} [{item['code']} {words[severity]}] {item['quote'] or item['fact']}")
            out.append(f"    {words['sentence']}: {item['sentence']}")
            out.append(f"    {words['arithmetic']}: {item['message']}")
        out.append("")
    if audit["draft_problems"]:
        out.append(f"{words['problems']}:")
        out += [f"  {_where(p, words, lang)} [{p['code']}] {p['message']}" for p in audit["draft_problems"]]
        out.append("")
    out.append(words["summary"].format(**summary))
    if audit.get("kept"):
        out.append(words["kept"].format(kept=audit["kept"], source=audit["source"]))
    return "\n".join(out) + "\n"


def to_json(audit: dict[str, Any]) -> str:
    return json.dumps(audit, ensure_ascii=False, indent=2) + "\n"


def to_html(audit: dict[str, Any], lang: str = "zh") -> str:
    words = LABELS.get(lang, LABELS["en"])
    summary = audit["summary"]
    e = html.escape
    title = f"{words['title']} {audit['document']}"
    out = ["<!DOCTYPE html>", f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
           f"<title>{e(title)}</title>",
           "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}"
           ".error{color:#b00}.warning{color:#a60}.question{color:#555}"
           "blockquote{margin:.3em 0 .3em 1em;padding-left:.6em;border-left:3px solid #ccc}"
           "code{font-size:90%}</style></head><body>",
           f"<h1>{e(title)}</h1>",
           f"<p>{e(words['read'].format(**summary))}</p>",
           f"<p><strong>{e(words['summary'].format(**summary))}</strong></p>"]
    if not audit["findings"]:
        out.append(f"<p>{e(words['none'])}</p>")
    for severity, heading in SECTIONS:
        items = [f for f in audit["findings"] if f["severity"] == severity]
        if not items:
            continue
        out.append(f'<h2 class="{severity}">{e(words[heading])}</h2><ol>')
        for item in items:
            out.append(f'<li class="{severity}"><strong>{e(_where(item, words, lang))}</strong> '
                       f"<code>{e(item['code'])}</code> {e(item['quote'] or item['fact'])}"
                       f"<blockquote>{e(item['sentence'])}</blockquote>"
                       f"<p>{e(words['arithmetic'])}: {e(item['message'])}</p></li>")
        out.append("</ol>")
    if audit["draft_problems"]:
        out.append(f"<h2>{e(words['problems'])}</h2><ul>")
        out += [f"<li>{e(_where(p, words, lang))} <code>{e(p['code'])}</code> {e(p['message'])}</li>"
                for p in audit["draft_problems"]]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render(audit: dict[str, Any], format: str, lang: str = "zh") -> str:
    if format == "json":
        return to_json(audit)
    if format == "html":
        return to_html(audit, lang)
    return to_text(audit, lang)


FORMATS = ("text", "json", "html")
