"""The relation fields a fact may declare: name, shape of the value, one line of documentation.

This is the table the loader, the schemas and docs read; the checker (ipfacts/check/relations/)
pairs each field with its check, and a test holds the two lists equal. It sits in load because
reading a fact file needs it and the checks do not belong below the loader.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelationField:
    field: str  # the fact-file field that declares it: share_of, part_of …
    shape: str  # the schema type of its value: ref, ref_pair, ref_list, ref_some, ref_groups, ref_roles
    doc: str  # one line for the schema and docs/format.md
    # ref_roles only: the roles a mapping may name, and those it must.
    roles: tuple[str, ...] = ()
    required_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Modifier:
    """A field that qualifies a relation rather than being one (`previous` with growth_of)."""

    field: str
    shape: str
    doc: str
    goes_with: tuple[str, ...]


FIELDS: dict[str, RelationField] = {f.field: f for f in (
    RelationField("share_of", "ref_pair", "[part, whole]: this value is part / whole in percent."),
    RelationField("ratio_of", "ref_pair", "[numerator, denominator]: this value is their ratio (percent, 倍 or plain)."),
    RelationField("percent_of", "ref",
                  "whole: this value is the percentage of whole taken by a part the source does not state."),
    RelationField("growth_of", "ref", "current: this value is its year-on-year change in percent."),
    RelationField("change_of", "ref", "current: this value is its absolute change over the prior period."),
    RelationField("sum_of", "ref_list", "[a, b, …]: this value is the total of a complete breakdown."),
    RelationField("part_of", "ref", "whole: this value is one part of a partial breakdown of whole."),
    RelationField("per_10k_of", "ref", "fact: this value is that fact per 10,000 residents."),
    RelationField("same_as", "ref_some",
                  "other (or a list): the same quantity stated again, translated, or in another document."),
    RelationField("subset_of", "ref_some", "whole (or a list): this value is a subset of whole (其中…), "
                  "at most the whole; never added to other parts."),
    RelationField("breakdowns", "ref_groups", "[[a, b, …], [c, d, …]]: on the whole, each list is a complete "
                  "breakdown of this value (by type, by applicant …) and must add up to it."),
    RelationField("outcome_of", "ref", "intake: this value is an outcome (concluded, decided) of the cases received; "
                  "more than the intake only as far as a backlog explains."),
    RelationField("balance_of", "ref_roles", "{opening: a, inflow: b, outflow: c}: on a closing stock, "
                  "opening + inflow − outflow = this value (opening found or implied from growth when omitted).",
                  roles=("opening", "inflow", "outflow"), required_roles=("inflow", "outflow")),
    RelationField("mean_of", "ref_pair", "[total, count]: this value is the total per counted item "
                  "(亿元 ÷ 件 → 亿元 each), in the total's unit."),
    RelationField("rank_among", "ref_some", "[figure, peer, …]: this value is the rank of the first fact among all "
                  "listed (1 = largest; `rank_order: asc` for 1 = smallest); with `rank_scope` (全省) among more than "
                  "those listed, the figure alone when the base holds none of the others."),
)}

MODIFIERS: dict[str, Modifier] = {
    "previous": Modifier("previous", "ref", "With growth_of/change_of: the prior-period value (found automatically when omitted).",
                         goes_with=("growth_of", "change_of")),
    "pending_before": Modifier("pending_before", "ref", "With outcome_of: the stock pending before the intake "
                               "arrived (found from a balance_of of the intake when omitted).", goes_with=("outcome_of",)),
    "exclusive_with": Modifier("exclusive_with", "ref_some", "With outcome_of: other outcomes of the same cases "
                               "that exclude this one (判决, 调解, 撤诉); they are summed.", goes_with=("outcome_of",)),
}
