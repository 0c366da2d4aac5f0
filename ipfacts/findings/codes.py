"""The catalogue of finding codes: stable, documented, one per kind of problem.

A code never changes meaning once published; retire a code rather than reuse it.
`docs/findings.md` is generated from this table (`ipfacts codes --markdown`) and a
test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: str  # default severity; relation findings downgrade to "warning" under a lenient reading
    title: str
    explanation: str


_CODES = [
    # Load problems: the fact base cannot be read (exit 2).
    Code("L001", "invalid-yaml", "error", "A file is not valid YAML or not UTF-8",
         "The file could not be parsed. Fix the syntax at the line shown."),
    Code("L002", "duplicate-key", "error", "A key appears twice in one mapping",
         "YAML would silently keep the last one; ipfacts refuses, so no fact is lost unnoticed."),
    Code("L003", "unknown-field", "error", "A field the format does not define",
         "Usually a typo (`qoute`, `share-of`). The message lists the fields that are allowed."),
    Code("L004", "wrong-type", "error", "A field has the wrong type",
         "For example a list where a single reference is expected, or a mapping where text is."),
    Code("L005", "missing-field", "error", "A required field is missing",
         "Every fact needs `value`, `line` and `quote`; every source `file` and `sha256`."),
    Code("L006", "dangling-reference", "error", "A reference names no fact, source or metric",
         "A relation names a fact key that does not exist (bare key: same file; full id: `file/key`)."),
    Code("L007", "unsafe-path", "error", "A source path is absolute, contains `..` or leaves the root",
         "Source files must live inside the fact base root."),
    Code("L008", "missing-source-file", "error", "A source file does not exist",
         "sources.yaml names a file that is not there."),
    Code("L009", "source-not-utf8", "error", "A source file is not UTF-8 text",
         "Sources are read as UTF-8 so that line numbers and quotes mean one thing."),
    Code("L010", "bad-value", "error", "A value or unit cannot be read as a number as written",
         "Values are digits (with `,` thousands separators and `.` decimals), an optional multiplier "
         "(万, 亿, million …), qualifier (超, 近, 约, more than …) and unit (件, %, 亿元 …)."),
    Code("L011", "bad-line", "error", "A `line` is not a line number or range",
         "Write `56` or `56-57` (1-based, start ≤ end)."),
    Code("L012", "bad-key", "error", "A fact key is not lower-case letters, digits and `_`",
         "Keys become ids (`file/key`) in findings, reviews and reports."),
    Code("L013", "missing-file", "error", "facts/sources.yaml or facts/metrics.yaml is missing",
         "Every fact base has both (they may be empty mappings)."),
    Code("L014", "bad-relation", "error", "A relation is malformed",
         "A fact relates to itself, `previous` without `growth_of`/`change_of`, or the wrong number of inputs."),
    Code("L015", "alias-budget", "error", "YAML aliases expand too far, or an anchor is used inside itself",
         "An alias (`*name`) repeats the nodes of its anchor; past 10,000 repeated nodes (an alias bomb) or in "
         "a loop the file is refused. Write the entries out."),
    Code("L016", "too-deep", "error", "Lists or mappings are nested too deep",
         "A fact file needs four levels; past 64 the file is refused rather than parsed."),
    Code("L017", "file-too-large", "error", "A file is larger than ipfacts reads",
         "16 MiB for a YAML file, 256 MiB for a source document: split the file."),
    Code("L018", "too-many-digits", "error", "A value has more digits than any report states",
         "At most 18 digits (6 on each side of a fraction): a longer number is a typo or an attack, "
         "and is refused before any arithmetic on it."),
    Code("L019", "yaml-tag", "error", "A YAML tag (`!!python/…`, `!custom`) in a fact-base file",
         "Tags are refused: every value is plain text, a number, true/false or empty."),
    Code("L020", "not-a-regular-file", "error", "A file of the base is a link out of the root, or not a regular file",
         "Fact files, sources.yaml, reviews.yaml, source documents and templates must be regular files inside "
         "the fact base root (a link is fine if it stays inside). Devices, FIFOs and folders are not read."),
    Code("L021", "unreadable", "error", "A file or folder of the base cannot be read",
         "Usually permissions: its facts would go unchecked, so the base is refused until it can be read."),
    Code("L022", "bad-period", "error", "A period is not like 2024 or 2024H1",
         "Periods are short ASCII words (letters, digits, `-`, `_`, `.`, `/`), compared and sorted as years."),
    Code("L023", "bad-text", "error", "Text that is not valid UTF-8 or holds control characters",
         "A review note or name from a terminal in another encoding (GBK) is refused rather than stored as escapes."),
    Code("L026", "text-too-long", "error", "A quote, note or name longer than ipfacts reads or stores",
         "A fact's quote at most 2,000 characters, its note or caveat 4,000; a review note 4,000 and a "
         "reviewer's name 200. Longer text is a mistake (a pasted page) or an attack, and is refused before "
         "anything is written or rendered; messages show its start and its length, never all of it."),
    Code("L030", "bad-table", "error", "A table block is malformed",
         "A table needs `line`, `columns` (key → header, metric, unit) and `rows` (key → region, line, cells)."),
    Code("L031", "cell-count", "error", "A row has more or fewer cells than the table has columns",
         "Write every cell in column order; `\"\"` for a cell the source leaves empty."),
    Code("L033", "bad-identity", "error", "A table identity is malformed or names no column or row",
         "Identities are `sum`, `sum_rows`, `density`, `rank` and `share`; see docs/format.md."),
    Code("L034", "bad-table-key", "error", "A table, row or column key is not lower-case letters, digits and `_`",
         "The keys become cell ids (`file/table/row/column`)."),
    Code("L036", "bad-units-file", "error", "A line of the fact base's facts/units.txt is not a unit it can add",
         "A base adds units (`分 = [score]`, `千件 = 1000 * 件`); it does not redefine a shipped one."),
    Code("L039", "ignore-matches-nothing", "warning", "An `ignore:` entry matches no number at its line",
         "Reported by `check`: a number with a unit that is no claim at that line as `coverage` counts them "
         "(often a spacing difference: `4张` where the source has `4 张`), or a bare number not in the text there."),
    Code("L040", "bad-regions-file", "error", "facts/regions.yaml cannot be read",
         "The checker reads it to find one region under its spellings and a region's parts; fix it at the line shown."),
    # Citations: the fact does not match its source (exit 1).
    Code("C001", "source-changed", "error", "A source file's bytes no longer match its sha256",
         "Every citation into the source and every review involving it is unverified until the "
         "hash is updated after re-checking the citations."),
    Code("C002", "line-out-of-range", "error", "A cited line is past the end of the source",
         "The source has fewer lines than the citation names."),
    Code("C003", "quote-elsewhere", "error", "The quote is in the source, but not at the cited lines",
         "The message says where it is; usually the line number is off."),
    Code("C004", "quote-not-found", "error", "The quote is nowhere in the source",
         "Quotes are matched ignoring whitespace and line breaks; anything else must be verbatim."),
    Code("C005", "value-not-in-quote", "error", "The quote does not contain the value's digits as written",
         "The digits of `value` (without a decline's sign) must appear in the quote as a whole number."),
    # Relations: the numbers cannot all be right (exit 1 for errors).
    Code("R101", "share-mismatch", "error", "A share is not part / whole",
         "The part divided by the whole, over the rounding of both, does not give the reported percentage."),
    Code("R102", "part-exceeds-whole", "error", "A part is larger than its whole",
         "A gross inconsistency: no rounding explains a part above its whole."),
    Code("R103", "ratio-mismatch", "error", "A ratio is not numerator / denominator", ""),
    Code("R104", "percent-impossible", "error", "No whole-number part gives this percentage of the whole",
         "GRIM: with an exact whole count, only certain percentages are possible."),
    Code("R105", "growth-mismatch", "error", "A growth rate does not match the current and previous values", ""),
    Code("R106", "growth-impossible", "error", "No whole-number previous count gives this growth rate",
         "GRIM for growth: with an exact current count, only certain rates are possible."),
    Code("R107", "change-mismatch", "error", "An absolute change is not current − previous", ""),
    Code("R108", "change-growth-disagree", "error", "An absolute change and a growth rate of the same figure disagree",
         "From current and change, previous = current − change; its growth rate must be the one reported."),
    Code("R109", "sum-mismatch", "error", "A total is not the sum of its complete breakdown", ""),
    Code("R110", "parts-exceed-whole", "error", "The parts of a partial breakdown add up to more than the whole", ""),
    Code("R111", "per-10k-mismatch", "error", "A per-10,000 figure disagrees with the stated population", ""),
    Code("R112", "population-disagree", "error", "Per-10,000 figures of one region imply different populations",
         "Every per-10k figure of a region and period implies a resident population; they must agree."),
    Code("R113", "same-as-mismatch", "error", "A figure stated twice (or translated) differs", ""),
    Code("R114", "unit-mismatch", "error", "A relation combines incompatible units",
         "件 with 家, 元 with 美元: an error in the fact base, not in the source."),
    Code("R115", "zero-divisor", "error", "A relation divides by a value that may be zero", ""),
    Code("R116", "subset-exceeds-whole", "error", "A subset is larger than the whole it belongs to",
         "subset_of is judged pair by pair, never summed with other subsets of the same whole."),
    Code("R117", "breakdown-mismatch", "error", "One of several complete breakdowns does not add up to the whole",
         "Each list under `breakdowns:` must sum to the whole, over the rounding of every figure."),
    Code("R118", "outcomes-exceed-intake", "warning", "More cases concluded (decided …) than received",
         "Possible when a backlog is worked off, but no figure for the cases pending at the start is stated: "
         "the message says how many would have to be pending."),
    Code("R119", "outcomes-exceed-backlog", "error", "Outcomes exceed the intake by more than the pending cases",
         "The cases pending at the start (stated, or implied by a balance_of or a growth rate) cannot explain the excess."),
    Code("R120", "balance-mismatch", "error", "A stock does not balance: opening + inflow − outflow ≠ closing",
         "With the opening stated (or the prior period's figure); without one, the opening the balance needs is negative."),
    Code("R121", "balance-growth-mismatch", "error", "A stock's growth rate implies an opening that does not balance",
         "Closing ÷ (1 + growth) gives the opening (a whole number for counts, as GRIM); with the flows it must give the closing."),
    Code("R122", "mean-mismatch", "error", "A per-item figure is not total ÷ count",
         "The message gives the count that would yield the printed per-item figure."),
    Code("R123", "classifier-not-accepted", "error", "The same figure declared in two classifiers no metric accepts",
         "4件 and 4项 may count the same things: list the other classifier under the metric's `accepts:`."),
    Code("R124", "previous-negative", "error", "A change implies a negative figure in the previous period",
         "Without the previous figure, current − change must still be at least zero: a change larger than the "
         "figure it is of is the change of another figure, or a misprint (a warning when only the strict reading leaves it "
         "below zero)."),
    Code("R140", "rank-mismatch", "error", "A stated rank is not the figure's rank among the figures named",
         "`rank_among: [figure, peer, …]`: the rank is counted over the values as written, rounding-aware "
         "(ties and rounded figures allow a range of ranks)."),
    # Across documents: found without being declared (check/across/).
    Code("R150", "restatement-differs", "error", "Two sources state one figure differently",
         "Facts of two sources with the same metric, region and period (a table cell counts) are one figure stated "
         "twice and must agree within their rounding. A warning when only a named reading reconciles them (one side "
         "truncated or rounded up, the coarser precision of trailing zeros, 约); an error names both sources."),
    Code("R151", "previous-year-differs", "error", "A growth or change does not fit last year's figure from another source",
         "The previous period's figure of the same metric and region, stated by another source, is set against the "
         "current figure and the printed rate; where the previous figure was only implied (GRIM), the message gives "
         "the range the rate implies."),
    Code("R152", "parts-sum-differs", "error", "A region's figure is not the sum of its parts' figures",
         "Where facts/regions.yaml lists every part of a region (`parts:`) and each has a figure of the same metric "
         "and period, their sum must be the region's figure; parts named with `in:` alone (or those present when one "
         "is missing) may not add up to more than it (flows and stocks only)."),
    # Tables: a cell is not where the table says, or its identities do not hold (exit 1 for errors).
    Code("T001", "cell-wrong-column", "error", "A table cell's text is on its row, but in another column",
         "Cells are matched by position: the nth cell of the row line (one cell per line, whitespace-separated "
         "or a Markdown pipe table). The message names the column the text stands in."),
    Code("T002", "cell-not-in-row", "error", "A table cell's text is not on its row",
         "The message lists the cells the source has on that row."),
    Code("T003", "row-label-mismatch", "warning", "A row's line does not show the row's header or region",
         "Usually the row's `line` is off by one; give `header:` when the source labels the row otherwise."),
    Code("T004", "column-header-not-found", "warning", "A column header is not at the table's header lines", ""),
    Code("T005", "column-sum-mismatch", "error", "In a row, a total column is not the sum of its part columns",
         "Rounding-aware: parts rounded to 0.01万 leave the total ±0.005万 per part. Also an `equal` or a "
         "`difference` identity that does not hold."),
    Code("T006", "row-sum-mismatch", "error", "In a column, a total row is not the sum of its part rows",
         "A missing or cut-off row shows here; so does a city listed among the provinces it belongs to."),
    Code("T007", "cell-breaks-identities", "error", "One cell breaks several identities of its table",
         "The row and the column through the cell both fail: the cell is the likely error, reported once."),
    Code("T008", "density-mismatch", "error", "A density cell is not count ÷ population × 10,000", ""),
    Code("T009", "rank-column-mismatch", "error", "A rank cell is not the row's rank by the column it ranks",
         "Rounding-aware: tied or rounded values allow a range of ranks."),
    Code("T010", "share-cell-mismatch", "error", "A share cell is not its count ÷ the row's whole",
         "A table of shares (`share`), or a share column of the table itself (`percent`)."),
    Code("T011", "share-table-mismatch", "error", "A share table names a table, row or column that is not there", ""),
    # Reviews.
    Code("V001", "stale-review", "warning", "A review no longer matches any finding",
         "The numbers it was about changed (or the finding was fixed): re-check and remove or renew it."),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}
BY_NAME: dict[str, Code] = {c.name: c for c in _CODES}


def code(name_or_code: str) -> Code:
    return CODES.get(name_or_code) or BY_NAME[name_or_code]


def markdown_table() -> str:
    rows = ["| code | name | severity | what it means |", "|---|---|---|---|"]
    for c in _CODES:
        text = c.title + (f". {c.explanation}" if c.explanation else "")
        rows.append(f"| `{c.code}` | `{c.name}` | {c.severity} | {text} |")
    return "\n".join(rows) + "\n"
