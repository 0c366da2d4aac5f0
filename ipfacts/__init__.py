"""ipfacts: keeps the numbers in Chinese intellectual-property reports honest.

The data flow, one sub-package a step:

    load/      fact files, sources and metrics → a resolved FactBase (values as written, units, intervals)
    check/     citations and relations (one module per relation kind) → findings
    findings/  problems as data, with their catalogue of codes
    review/    editors' verdicts applied to findings
    render/    findings in text/json/github/junit/html, briefs, exports
    curate/    scaffold, locate, coverage: tools for curators
    infra/     atomic writes and caches, apart from the domain
    cli/       the thin command line over all of it
"""

__version__ = "0.1.0"
