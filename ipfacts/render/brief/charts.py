"""Bar charts as plain SVG, drawn when a brief is rendered, from the ChartSpec assembly leaves on a row.

One chart per headline indicator with at least three like figures (same metric, same period):
the city highlighted in red, the per-10,000 figures beside the absolute ones where they mean
something, and the figures not drawn (another year, a bound) named under the chart. Written by
hand (no plotting library); every label is XML-escaped; text uses "Noto Sans CJK SC" so Chinese
renders in browsers and in WeasyPrint alike. Labels are 15 px on a 640 px wide chart: about 10 pt
when the chart fills an A4 column.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from ipfacts.render.brief.assemble import Bar, ChartSpec

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif"
WIDTH = 640
BAR = 24
GAP = 10
LABEL = 150  # room for region names
VALUE = 150  # room for the value text after the longest bar
TOP = 40
FONT_SIZE = 15
CITY_FILL = "#c0392b"  # the city in red, not bold: a bold CJK face is one more font to load and embed in a PDF
PEER_FILL = "#5d7b9d"


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;", "'": "&apos;"})


def chart_svg(chart: ChartSpec, per10k_title: str = "") -> str:
    """The chart's SVG: absolute figures, then (when given) the per-10,000 figures as a second panel."""
    parts = [bar_panel(chart.title, chart.bars)]
    if chart.per10k:
        parts.append(bar_panel(f"{chart.title} — {per10k_title}" if per10k_title else chart.title, chart.per10k))
    return "".join(parts)


def bar_panel(title: str, bars: list[Bar]) -> str:
    """Horizontal bars, largest first. Negative values draw leftwards from zero."""
    ordered = sorted(bars, key=lambda b: -b.value)
    height = TOP + len(ordered) * (BAR + GAP) + GAP
    span = max((abs(b.value) for b in ordered), default=Decimal(0)) or Decimal(1)
    room = WIDTH - LABEL - VALUE
    has_negative = any(b.value < 0 for b in ordered)
    zero = LABEL + (room / 2 if has_negative else 0)
    reach = room / 2 if has_negative else room  # the longest bar's length
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="{_x(FONT)}" font-size="{FONT_SIZE}" role="img" aria-label="{_x(title)}">',
        f"<title>{_x(title)}</title>",
        f'<text x="0" y="20" font-size="{FONT_SIZE + 1}" fill="#000">{_x(title)}</text>',
        f'<line x1="{zero:.1f}" y1="{TOP - 4}" x2="{zero:.1f}" y2="{height - GAP + 4}" stroke="#999" stroke-width="1"/>',
    ]
    for n, bar in enumerate(ordered):
        y = TOP + n * (BAR + GAP)
        # the ratio in Decimal, then float: a figure past float range (1e309) still draws, never as nan
        length = float(abs(bar.value) / span) * reach if bar.value.is_finite() else 0.0
        x = zero - length if bar.value < 0 else zero
        fill = CITY_FILL if bar.city else PEER_FILL
        ink = CITY_FILL if bar.city else "#222"
        out.append(f'<text x="{LABEL - 8}" y="{y + BAR * 0.72:.1f}" text-anchor="end" fill="{ink}">'
                   f'{_x(bar.region)}</text>')
        out.append(f'<rect x="{x:.1f}" y="{y}" width="{max(length, 1):.1f}" height="{BAR}" fill="{fill}"/>')
        value_x = zero + max(length, 1) + 6 if bar.value >= 0 else zero + 6
        out.append(f'<text x="{value_x:.1f}" y="{y + BAR * 0.72:.1f}" fill="{ink}">{_x(bar.text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
