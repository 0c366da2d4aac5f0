"""Comparison briefs: one city beside its peers, every figure traced to a source line.

assemble.py builds the data (BriefContext), charts.py draws SVG bar charts,
render.py turns the data into Markdown, HTML or PDF through Jinja2 templates.
"""

from ipfacts.report.assemble import BriefContext, BriefError, assemble
from ipfacts.report.render import FORMATS, FontMissing, RenderError

__all__ = ["FORMATS", "BriefContext", "BriefError", "FontMissing", "RenderError", "assemble"]
