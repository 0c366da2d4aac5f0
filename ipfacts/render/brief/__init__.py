"""Comparison briefs: one city beside its peers, every figure traced to a source line.

assemble.py builds the data (BriefContext), charts.py draws SVG bar charts,
render.py turns the data into Markdown or HTML through Jinja2 templates, and
pdf.py prints the HTML with WeasyPrint. Nothing is imported here, so that
printing can start without loading the templates or the fact base.
"""
