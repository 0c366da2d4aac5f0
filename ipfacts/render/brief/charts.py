"""Bar charts as plain SVG: one per headline metric, the city and its peers side by side.

Written by hand (no plotting library): a few rectangles and labels. Every label
is XML-escaped; text uses "Noto Sans CJK SC" so Chinese renders in browsers and
in WeasyPrint alike.
"""

from __future__ import annotations

import math
import re
import sys
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from ipfacts.render.brief.assemble import BriefContext, Chart, Row

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif"
WIDTH = 640
BAR = 22
GAP = 10
LABEL = 150  # room for region names (and a period, when it differs)
VALUE = 130  # room for the value text after the longest bar
TOP = 34
CITY_FILL = "#c0392b"
PEER_FILL = "#5d7b9d"
# A chart where a picture says more than the table: a field of at least three regions. Two numbers read
# better side by side in the table, and the differences section already names a notable ratio.
MIN_VALUES = 3


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;", "'": "&apos;"})


def slug(metric: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", metric.lower()).strip("-") or "metric"


def chart_for(row: Row, brief: BriefContext, number: int) -> Chart | None:
    """A bar chart of the row's metric across the city and its peers; None when fewer than MIN_VALUES values."""
    from ipfacts.render.brief.assemble import Chart

    bars = [(c.region + (f" ({c.period})" if c.period_differs else ""), c.figure.value, c.figure.text,
             c.role == "city")
            for c in row.compared if c.figure is not None and c.figure.value is not None]
    if len(bars) < MIN_VALUES:
        return None
    t = brief.t
    title = f"{row.label}（{row.unit}）" if brief.lang == "zh" else f"{row.label} ({row.unit})"
    caption = t.f("chart_caption", metric=row.label, unit=row.unit, city=brief.city)
    alt = t.f("chart_alt", metric=row.label)
    return Chart(metric=row.metric, title=title, caption=caption, alt=alt, svg=bar_chart(title, bars),
                 filename=f"{number:02d}-{slug(row.metric)}.svg")


def _finite(value: float) -> float:
    """A bar length that can be drawn: a figure past float range (≥ 1e309 is inf) is drawn as the largest one."""
    if math.isnan(value):
        return 0.0
    return max(-sys.float_info.max, min(sys.float_info.max, value))


def bar_chart(title: str, bars: list[tuple[str, float, str, bool]]) -> str:
    """Horizontal bars: (label, value, value text, highlighted). Negative values draw leftwards from zero."""
    bars = [(label, _finite(value), text, highlight) for label, value, text, highlight in bars]
    height = TOP + len(bars) * (BAR + GAP) + GAP
    span = max((abs(v) for _, v, _, _ in bars), default=0.0) or 1.0
    room = WIDTH - LABEL - VALUE
    has_negative = any(v < 0 for _, v, _, _ in bars)
    zero = LABEL + (room / 2 if has_negative else 0)
    scale = (room / 2 if has_negative else room) / span
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="{_x(FONT)}" font-size="13" role="img" aria-label="{_x(title)}">',
        f"<title>{_x(title)}</title>",
        f'<text x="0" y="18" font-size="14" fill="#000">{_x(title)}</text>',
        f'<line x1="{zero:.1f}" y1="{TOP - 4}" x2="{zero:.1f}" y2="{height - GAP + 4}" stroke="#999" stroke-width="1"/>',
    ]
    for n, (label, value, text, highlight) in enumerate(bars):
        y = TOP + n * (BAR + GAP)
        length = abs(value) * scale
        x = zero - length if value < 0 else zero
        fill = CITY_FILL if highlight else PEER_FILL
        ink = CITY_FILL if highlight else "#222"  # the city stands out by colour (one font weight: see templates)
        out.append(f'<text x="{LABEL - 8}" y="{y + BAR * 0.72:.1f}" text-anchor="end" fill="{ink}">{_x(label)}</text>')
        out.append(f'<rect x="{x:.1f}" y="{y}" width="{max(length, 1):.1f}" height="{BAR}" fill="{fill}"/>')
        value_x = zero + max(length, 1) + 6 if value >= 0 else zero + 6
        out.append(f'<text x="{value_x:.1f}" y="{y + BAR * 0.72:.1f}" fill="{ink}">{_x(text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
