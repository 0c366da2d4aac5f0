"""Renderers of a Report: each takes the report and returns text; none prints.

The same finding has the same code, location and one-line message in every format.
"""

from __future__ import annotations

from collections.abc import Callable

from ipfacts.findings import Report

Renderer = Callable[[Report], str]


def renderer(name: str) -> Renderer:
    if name == "json":
        from ipfacts.formats.json import render
    elif name == "github":
        from ipfacts.formats.github import render
    elif name == "junit":
        from ipfacts.formats.junit import render
    elif name == "html":
        from ipfacts.formats.html import render
    else:
        from ipfacts.formats.text import render
    return render


FORMATS = ("text", "json", "github", "junit", "html")
