"""Writing: the drafts as a fact file (YAML text) a curator finishes; nothing here writes a file."""

from __future__ import annotations

from ipfacts.curate import tables as table_drafts
from ipfacts.curate.furniture import ignored_block
from ipfacts.curate.scaffold.drafting import tables_of
from ipfacts.curate.scaffold.spotting import Draft
from ipfacts.curate.tables import TableDraft
from ipfacts.curate.yamltext import yaml_scalar
from ipfacts.load.model import FactBase


def render(base: FactBase, source_id: str, drafts: list[Draft], tables: list[TableDraft] | None = None) -> str:
    """The draft fact file as YAML text, with a header telling the curator what to do."""
    source = base.sources[source_id]
    drafted = [d for d in drafts if d.problem is None]
    out = [
        f"# Draft facts for {source_id} ({source.file}): written by `ipfacts scaffold`.",
        f"# {len(drafted)} number(s) no fact cites yet" + (", and the tables at the end" if
                                                           (tables_of(base, source_id) if tables is None else tables)
                                                           else "") +
        ". For each: check value, line and quote; confirm or remove",
        "# the guessed relations (notes beginning \"TODO confirm\"); rename the key; add `metric:` where a",
        "# report should show it; delete what is not a claim or list it under `ignore:`.",
        f"source: {yaml_scalar(source_id)}",
        "facts:",
    ]
    if not drafted:
        out[-1] = "facts: {}"
    for draft in drafted:
        out.append(f"  {draft.key}:")
        if draft.metric:
            out.append(f"    metric: {yaml_scalar(draft.metric)}")
        out.append(f"    value: {yaml_scalar(draft.value)}")
        if draft.unit:
            out.append(f"    unit: {yaml_scalar(draft.unit)}")
        out.append(f"    line: {draft.line}")
        out.append(f"    quote: {yaml_scalar(draft.quote)}")
        if draft.lang:
            out.append(f"    lang: {draft.lang}")
        for relation, refs in draft.relations.items():
            if relation == "balance_of":  # a mapping: {inflow: intake, outflow: concluded}
                out.append(f"    balance_of: {{inflow: {yaml_scalar(refs[0])}, outflow: {yaml_scalar(refs[1])}}}")
                continue
            shown = ", ".join(yaml_scalar(r) for r in refs)
            out.append(f"    {relation}: " + (f"[{shown}]" if len(refs) > 1 or relation in ("share_of", "sum_of")
                                              else shown))
        if draft.base and any(r in draft.relations for r in ("growth_of", "change_of")):
            out.append(f"    base: {draft.base}")
        if draft.notes:
            out.append(f"    note: {yaml_scalar('; '.join(draft.notes))}")
    found = tables_of(base, source_id) if tables is None else tables
    if found:
        block = table_drafts.render(found).rstrip("\n")
        if not table_drafts.loader_reads_tables():  # a draft must load: until the loader reads tables, comment them
            block = "# (this version of ipfacts does not read table blocks yet: uncomment once it does)\n" + \
                "\n".join("#" + line if line.startswith("#") else "# " + line for line in block.split("\n"))
        out.append(block)
    ignored = ignored_block(base, source_id, found)  # page furniture, cells a table cannot place
    if ignored:
        out.append(ignored.rstrip("\n"))
    skipped = [d for d in drafts if d.problem is not None]
    if skipped:
        out.append("# Not drafted (the value could not be read; write these by hand):")
        out += [f"#   line {d.claim.line}: {d.claim.text} ({d.problem})" for d in skipped]
    return "\n".join(out) + "\n"
