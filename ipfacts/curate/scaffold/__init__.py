"""Draft a fact file for the numbers of a source that no fact cites yet.

For a curator starting on a new white paper: every uncited numeric claim
(what `ipfacts coverage` lists) becomes a draft fact with its value, line and
a short verbatim quote — citations that verify as they stand. Relations are
read from the words around a number: *stated* where the words say so (其中,
占比, 同比增长, 合计, 每万人 …), *guessed* where only nearness suggests them;
every one is marked for a person to confirm.

The work is done in steps, one module each:

- `spotting`: the numbers placed in the squashed text, sentence and clause bounds;
- `guessing`: the relation the words suggest and the fact it names;
- `drafting`: a draft per number, then the passes over all drafts (其中 lists, 新增…累计,
  restatements, English twins); `suggest`: metric suggestions;
- `writing`: the draft fact file as YAML text.

Nothing here writes a file.
"""

from __future__ import annotations

from ipfacts.curate.naming import GLOSSARY, words_key
from ipfacts.curate.scaffold.drafting import scaffold, tables_of
from ipfacts.curate.scaffold.guessing import GROWTH
from ipfacts.curate.scaffold.spotting import (
    CLAUSE_END,
    AsWritten,
    Draft,
    Squashed,
    UnknownSource,
    place_claims,
    value_text,
)
from ipfacts.curate.scaffold.suggest import suggest_metrics
from ipfacts.curate.scaffold.writing import render
from ipfacts.curate.yamltext import yaml_scalar

__all__ = ["CLAUSE_END", "GLOSSARY", "GROWTH", "AsWritten", "Draft", "Squashed", "UnknownSource", "place_claims",
           "render", "scaffold", "suggest_metrics", "tables_of", "value_text", "words_key", "yaml_scalar"]
