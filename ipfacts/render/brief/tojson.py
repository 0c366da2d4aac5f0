"""The brief as data: `ipfacts report --format json` (documented in docs/templates.md) and `-o brief.csv`.

The Markdown, HTML and PDF briefs render the same BriefContext; this module writes it out
without the layout. Exact values stay exact: a Decimal is written as a JSON string of its
digits ("473.6"), never as a float.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from ipfacts.render.brief.assemble import BriefContext, Cell, Citation, Figure, Row
from ipfacts.render.brief.series import series_json
from ipfacts.render.brief.wording import clean_quote, plain, round_significant

FORMAT_VERSION = 1


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else plain(value).replace(",", "")


def citation_json(c: Citation) -> dict[str, Any]:
    return {"fact": c.fact_id, "source": c.source, "title": c.title, "file": c.file, "line": c.line, "end_line": c.end_line,
            "quote": c.quote, "text": c.text}


def _figure_json(brief: BriefContext, f: Figure | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"value": f.value, "text": f.text, "period": f.period, "number": _decimal(f.number),
            "derived": f.derived, "inferred": f.inferred,
            "citations": [citation_json(brief.citation(n)) for n in f.citations]}


def _cell_json(brief: BriefContext, row: Row, cell: Cell) -> dict[str, Any]:
    figure = cell.figure
    assert figure is not None
    first = brief.citation(figure.citations[0])
    per10k = None
    if cell.per10k is not None:
        p = cell.per10k
        per10k = {"value": p.text, "number": _decimal(p.value), "basis": p.basis,
                  "population": None if p.population is None else {
                      "value": p.population.text,
                      "number_wan": _decimal(round_significant(p.population.value, p.population.digits)),
                      "how": p.population.how, "explanation": p.population.explanation},
                  "citations": [citation_json(brief.citation(n)) for n in p.citations]}
    return {
        "region": cell.region,
        "role": cell.role,
        "value": figure.value,
        "text": figure.text,
        "number": _decimal(figure.number),
        "period": cell.period,
        "citation": citation_json(first),
        "rank": cell.rank,
        "unranked_reason": cell.unranked_reason if cell.rank is None else None,
        "stated_ranks": [{"rank": r.rank, "scope": r.scope, "text": r.text,
                          "citations": [citation_json(brief.citation(n)) for n in r.citations]}
                         for r in cell.stated_ranks],
        "unit": figure.unit, "lower": _decimal(figure.lower), "upper": _decimal(figure.upper),
        "growth": _figure_json(brief, cell.growth),
        "per_10k": per10k,
        "previous": _figure_json(brief, cell.previous),
        "other_periods": [_figure_json(brief, f) for f in cell.other_periods],
        "notes": list(figure.notes),
    }


def brief_json(brief: BriefContext) -> dict[str, Any]:
    rows = []
    for row in brief.rows:
        rows.append({
            "metric": row.metric, "label": row.label, "unit": row.unit, "kind": row.kind, "headline": row.headline,
            "definition": row.definition, "per_10k_meaningful": row.per_10k_meaningful, "ranked_among": row.ranked,
            "rank_text": row.rank_text, "other_years": row.other_years,
            "figures": [_cell_json(brief, row, c) for c in row.cells if c.figure is not None],
            "chart": row.chart.metric if row.chart else None, "chart_reason": row.chart_reason,
        })
    out = {
        "format": FORMAT_VERSION,
        "city": brief.city, "period": brief.period, "lang": brief.lang, "title": brief.title,
        "peers": brief.peers, "peer_rule": brief.peer_rule, "context": brief.context,
        "peers_without_figures": brief.peers_without_figures,
        "lede": [{"text": s.text, "citations": [citation_json(brief.citation(n)) for n in s.citations]}
                 for s in brief.lede],
        "rows": rows,
        "left_out": [{"fact": x.fact_id, "file": x.file, "line": x.line, "value": x.value, "code": x.code,
                      "message": x.message} for x in brief.left_out],
        "differences": [{"metric": d.metric, "text": d.text, "ratio": _decimal(d.ratio),
                         "per_resident": _decimal(d.per_resident), "per_resident_basis": d.per_resident_basis,
                         "figures": [citation_json(brief.citation(n)) for n in d.citations]}
                        for d in brief.differences],
        "charts": [{"metric": c.metric, "title": c.title, "regions": c.regions,
                    "per_10k": [b.region for b in c.per10k],
                    "left_out": [{"region": r, "reason": why} for r, why in c.left_out]} for c in brief.charts],
        "populations": [{"region": p.region, "period": p.period, "value": p.text,
                         "number_wan": _decimal(round_significant(p.value, p.digits)), "digits": p.digits,
                         "how": p.how, "explanation": p.explanation,
                         "citations": [citation_json(brief.citation(n)) for n in p.citations]}
                        for p in brief.populations],
        "findings": [{"code": f.code, "severity": f.severity, "text": f.text, "detail": f.detail,
                      "verdict": f.verdict, "verdict_note": f.verdict_note, "reviewer": f.reviewer, "date": f.date,
                      "citations": [citation_json(brief.citation(n)) for n in f.citations]}
                     for f in [*brief.findings_open, *brief.findings_reviewed]],
        "sources": [{"id": s.id, "title": s.title, "file": s.path, "region": s.region, "period": s.period,
                     "url": s.url, "sha256": s.sha256, "publisher": s.publisher, "published": s.published}
                    for s in brief.sources],
    }
    if brief.series:  # only where the base holds two periods of a headline figure (series.py)
        out["series"] = series_json(brief.series)
    return out


def render_json(brief: BriefContext) -> str:
    return json.dumps(brief_json(brief), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("metric", "indicator", "headline", "region", "role", "period", "value", "number", "unit", "lower",
               "upper", "rank", "unranked_reason", "growth", "growth_percent", "per_10k", "per_10k_number",
               "per_10k_basis", "notes", "title", "line", "end_line", "quote", "file")


def render_csv(brief: BriefContext) -> str:
    """One row per region and metric, with the citation: the brief's table for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in brief.rows:
        for cell in row.cells:
            if cell.figure is None:
                continue
            c = brief.citation(cell.figure.citations[0])
            f = cell.figure
            writer.writerow([  # the text as printed, and beside it the numbers a spreadsheet can sum and sort
                row.metric, row.label, "yes" if row.headline else "no", cell.region, cell.role, cell.period or "",
                f.value, _number(f.number), f.unit or "", _number(f.lower), _number(f.upper),
                cell.rank if cell.rank is not None else "", cell.unranked_reason or "",
                cell.growth.value if cell.growth else "",
                _number(cell.growth.number) if cell.growth and cell.growth.exact else "",
                cell.per10k.text if cell.per10k else "", _number(cell.per10k.value) if cell.per10k else "",
                cell.per10k.basis if cell.per10k else "", " | ".join(f.notes), c.title, c.line, c.end_line,
                clean_quote(c.quote), c.path])
    return _inert(out.getvalue())


def _number(x: Decimal | None) -> str:
    """A plain number a spreadsheet reads (240.29, -19.48, 71425), empty when unknown or unbounded."""
    if x is None or not x.is_finite():
        return ""
    text = format(x.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _inert(text: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe."""
    lines = []
    for line in text.splitlines(keepends=True):
        lines.append(line)
    rows = list(csv.reader(io.StringIO("".join(lines))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for n, r in enumerate(rows):
        writer.writerow(r if n == 0 else [("'" + v) if v[:1] in ("=", "+", "@") else v for v in r])
    return out.getvalue()
