"""The timeline page (`/timeline?metric=M&region=R`): every statement of one figure across sources and periods,
the figures only implied by a rate, and the findings between them, each linked to its page. A GET form, no
scripts; every value is escaped by the templates' autoescape. The data comes from render/timeline.py, as
`ipfacts show --metric M --region R` prints it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ipfacts.render.timeline import TimelineError, build_timeline

if TYPE_CHECKING:
    from ipfacts.web.app import Pages

MAX_PARAM = 200  # characters of a metric key or region name: anything longer is no name of the base


def endpoint(pages: Pages) -> Callable[[Request], Awaitable[Response]]:
    async def timeline(request: Request) -> Response:
        metric = request.query_params.get("metric", "").strip()[:MAX_PARAM]
        region = request.query_params.get("region", "").strip()[:MAX_PARAM]
        state = await run_in_threadpool(pages.live.state)
        if state.base is None:
            return pages.page(request, "load_failed.html.j2", 409, state=state)
        base = state.base
        metrics = [(key, base.metrics[key].zh) for key in sorted({f.metric for f in base.facts.values() if f.metric})
                   if key in base.metrics]
        form: dict[str, Any] = {"metric": metric, "region": region, "metrics": metrics}
        if not (metric and region):
            return pages.page(request, "timeline.html.j2", form=form, tl=None, problem=None, verdicts={})
        try:
            found = build_timeline(base, state.report, metric, region)
        except TimelineError as exc:
            return pages.page(request, "timeline.html.j2", 404, form=form, tl=None, problem=str(exc), verdicts={})
        verdicts = {f.fingerprint: str(review.get("status")) for f in found.findings
                    if (review := state.report.review_of(f)) is not None}
        return pages.page(request, "timeline.html.j2", form=form, tl=found, problem=None, verdicts=verdicts)

    return timeline
