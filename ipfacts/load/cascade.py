"""Load problems folded under their cause: one broken metrics.yaml is one problem, not 208.

When facts/metrics.yaml (or sources.yaml) cannot be read at all, every fact naming a metric (a source)
is reported as naming an unknown one. Those follow from the one cause: they are folded under it —
listed in its `details["follows"]`, counted in its message — and the cause comes first.
"""

from __future__ import annotations

from ipfacts.findings import Finding
from ipfacts.findings.details import details_for

# The file whose failure causes them, and how the problems that follow from it begin.
FOLLOWERS = {
    "facts/metrics.yaml": ("unknown metric ",),
    "facts/sources.yaml": ("unknown source ", "ignore entry names no known source"),
}
WHOLE_FILE = {"L001", "L013", "L015", "L016", "L017", "L019", "L020", "L021"}


def _is_whole_file(problem: Finding) -> bool:
    return problem.code in WHOLE_FILE or (problem.code == "L004" and "at its top level" in problem.message)


def _follows(problem: Finding, starts: tuple[str, ...]) -> bool:
    if problem.code != "L006":
        return False
    message = problem.message
    return any(message.startswith(s) or f": {s}" in message for s in starts)


def fold(problems: list[Finding]) -> list[Finding]:
    """The problems with consequences folded under their cause; causes first, then the rest in order."""
    causes: list[Finding] = []
    rest = list(problems)
    for file, starts in FOLLOWERS.items():
        cause = next((p for p in rest if p.location and p.location.file == file and _is_whole_file(p)), None)
        if cause is None:
            continue
        followers = [p for p in rest if _follows(p, starts)]
        if followers:
            rest = [p for p in rest if not any(p is f for f in followers)]
            cause.details = details_for(cause.code, {**cause.details.as_dict(),
                                                     "follows": [f"{f.location}: {f.code} {f.message}"
                                                                 for f in followers]})
            cause.message += f" ({len(followers)} problem(s) follow from it: every reference into {file})"
        rest = [p for p in rest if p is not cause]
        causes.append(cause)
    return causes + rest
