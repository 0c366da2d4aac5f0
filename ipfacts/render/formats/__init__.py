"""Renderers of a Report: each takes the report and returns text; none prints.

The same finding has the same code, location and one-line message in every format.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ipfacts.findings import Report

Renderer = Callable[[Report], str]


def renderer(name: str) -> Renderer:
    module = import_module(f"ipfacts.render.formats.{name if name in FORMATS else 'text'}")
    render: Renderer = module.render
    return render


FORMATS = ("text", "json", "github", "junit", "html")
