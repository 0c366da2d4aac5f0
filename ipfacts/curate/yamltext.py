"""A YAML scalar written so that it reads back as the text: shared by the draft writers (scaffold, tables) and
the sources.yaml editor, below all three."""

from __future__ import annotations

import json

import yaml


def yaml_scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly `text` (a string)."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text} and text == text.strip() and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)
