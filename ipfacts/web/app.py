"""The Starlette application: `create_app(root)`.

Pages (all server-rendered, no scripts):

    GET  /                          the findings: open, stale, reviewed; filters; counts; when checked
    GET  /findings/<fingerprint>    one finding in full, its verdict history, the verdict form
    POST /findings/<fingerprint>    record a verdict (CSRF token; the form carries the version it showed)
    GET  /static/style.css          the one stylesheet, from the package

Nothing else is served: no file is ever read by a path taken from a request.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipfacts import __version__
from ipfacts.load.loader import LoadFailed
from ipfacts.web import core, timeline, views
from ipfacts.web.csrf import COOKIE, FIELD, Csrf
from ipfacts.web.guards import BodyLimit, HostAllowList
from ipfacts.web.live import Live, State

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
FULL_FP = re.compile(r"^[0-9a-f]{16}$")
PREFIX_FP = re.compile(r"^[0-9a-fA-F]{4,64}$")
MAX_BODY = 256 * 1024  # a verdict form is a few kB
REVIEWER_COOKIE = "ipfacts_reviewer"

HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
     b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """Adds HEADERS to every response (error pages included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)


class Pages:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.live = Live(root)
        self.csrf = Csrf()
        self.env = Environment(loader=PackageLoader("ipfacts.web", "templates"), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(version=__version__, statuses=core.STATUSES, field=FIELD, max_note=core.MAX_NOTE)

    # -- responses ------------------------------------------------------------------------------------

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        token = self.csrf.token_for(request.cookies.get(COOKIE))
        html = self.env.get_template(template).render(root=str(self.root), csrf=token, **context)
        response = HTMLResponse(html, status_code=status)
        if token != request.cookies.get(COOKIE):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    def error(self, request: Request, status: int, title: str, message: str, **context: Any) -> HTMLResponse:
        return self.page(request, "error.html.j2", status, title=title, message=message, **context)

    # -- pages ----------------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        params = request.query_params
        filters = views.Filters(params.get("source", "").strip(), params.get("code", "").strip(),
                                params.get("status", "").strip(), params.get("reviewer", "").strip())
        if filters.state and filters.state not in views.STATES:
            return self.error(request, 400, "Unknown status filter",
                              f"There is no status {filters.state!r}: choose one of {', '.join(views.STATES)}.")
        state = await _threaded(self.live.state)
        if state.base is None:
            return self.page(request, "load_failed.html.j2", 200, state=state)
        items = views.rows(self.root, state)
        shown = [item for item in items if filters.match(item)]
        groups = {name: [item for item in shown if item.state == name] for name in ("open", "stale", "reviewed")}
        return self.page(request, "list.html.j2", state=state, filters=filters, groups=groups,
                         total=len(items), shown=len(shown), choices=views.choices(items),
                         summary=state.report.summary())

    async def finding(self, request: Request) -> Response:
        fp = request.path_params["fp"]
        state = await _threaded(self.live.state)
        found = self._find(request, fp, state)
        if isinstance(found, Response):
            return found
        return self._finding_page(request, found, state)

    def _find(self, request: Request, fp: str, state: State) -> Any:
        if not PREFIX_FP.match(fp):
            return self.error(request, 400, "Not a fingerprint",
                              "A finding's address is /findings/ followed by its fingerprint: 16 hex digits, as the "
                              "list shows them.")
        if state.base is None:
            return self.page(request, "load_failed.html.j2", 409, state=state)
        known = state.by_fingerprint()
        wanted = fp.lower()
        if wanted in known and FULL_FP.match(fp):
            return known[wanted]
        matches = sorted(f for f in known if f.startswith(wanted))
        if len(matches) == 1 and request.method == "GET":
            return RedirectResponse(f"/findings/{matches[0]}", status_code=307)
        return self.error(request, 404, "No such finding",
                          f"No finding has the fingerprint {fp} now." + (
                              f" {len(matches)} start with it; give more digits." if matches else
                              " The fact base may have changed since the link was made (a changed value or "
                              "source gives a finding a new fingerprint)."), back=True)

    def _finding_page(self, request: Request, finding: Any, state: State, status: int = 200,
                      **extra: Any) -> HTMLResponse:
        data = views.detail(self.root, finding, state)
        form = extra.pop("form", None) or {
            "status": "", "note": "",
            "reviewer": urllib.parse.unquote(request.cookies.get(REVIEWER_COOKIE, ""))
            or os.environ.get("IPFACTS_REVIEWER", "").strip(),
            "version": data["version"]}
        return self.page(request, "finding.html.j2", status, state=state, d=data, form=form,
                         recorded=request.query_params.get("recorded") == "1", **extra)

    async def submit(self, request: Request) -> Response:
        fp = request.path_params["fp"]
        size = request.headers.get("content-length", "")
        if size and (not size.isdigit() or int(size) > MAX_BODY):
            return self.error(request, 413, "Form too large", "A verdict form is a few kilobytes; this one was not.")
        if not _same_origin(request):
            return self.error(request, 403, "Refused", "This form was sent from another site.")
        try:
            form = await request.form(max_files=0, max_fields=20, max_part_size=MAX_BODY)
        except Exception:  # multipart's own errors for a malformed body
            return self.error(request, 400, "Unreadable form", "The form could not be read; reload the page and try "
                              "again.")
        values = {name: str(form.get(name, "")) for name in ("status", "note", "reviewer", "version", FIELD)}
        if not self.csrf.check(request.cookies.get(COOKIE), values[FIELD]):
            return self.error(request, 403, "The form has expired",
                              "This form was not issued by this server (or the server restarted since the page was "
                              "loaded). Nothing was recorded. Open the finding again and resubmit.",
                              link=f"/findings/{fp}" if FULL_FP.match(fp) else "/")
        if "version" not in form:
            return self.error(request, 400, "Incomplete form",
                              "The form does not say which verdict it showed; reload the page. Nothing was recorded.")
        state = await _threaded(self.live.state)
        found = self._find(request, fp, state)
        if isinstance(found, Response):
            return found
        form_values = {k: values[k] for k in ("status", "note", "reviewer", "version")}
        try:
            await _threaded(lambda: core.record(
                self.root, found, status=values["status"], note=values["note"], reviewer=values["reviewer"],
                expected_version=values["version"], force=False, report=state.report,
                live={f.fingerprint for f in state.report.findings}))
        except core.VerdictConflict as conflict:
            fresh = await _threaded(self.live.state)
            return self._finding_page(
                request, found, fresh, 409, conflict=conflict,
                form={**form_values, "version": core.version_of(self.root, found.fingerprint)})
        except core.NotReviewable as exc:
            return self._finding_page(request, found, state, 409, problem=str(exc), form=form_values)
        except core.FingerprintError as exc:
            return self.error(request, 409, "The finding changed", f"{exc}. Nothing was recorded.", link="/")
        except ValueError as exc:  # the core's refusal of a bad status or an empty field
            return self._finding_page(request, found, state, 400, problem=str(exc), form=form_values)
        except OSError as exc:
            return self.error(request, 500, "Cannot write the verdict",
                              f"facts/reviews.yaml could not be written: {exc.strerror or exc}. Nothing was recorded.")
        except LoadFailed:  # the base stopped loading between the page and the submit
            return self.page(request, "load_failed.html.j2", 409, state=await _threaded(self.live.state))
        response = RedirectResponse(f"/findings/{found.fingerprint}?recorded=1", status_code=303)
        response.set_cookie(REVIEWER_COOKIE, urllib.parse.quote(values["reviewer"].strip()), httponly=True,
                            samesite="strict", path="/", max_age=365 * 24 * 3600)
        return response

    async def style(self, request: Request) -> Response:
        css = resources.files("ipfacts.web").joinpath("templates/style.css").read_text(encoding="utf-8")
        return Response(css, media_type="text/css", headers={"cache-control": "max-age=300"})

    # -- errors ---------------------------------------------------------------------------------------

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        titles = {404: "Page not found", 405: "Not allowed here"}
        messages = {404: "There is no such page. The findings are listed at the start page.",
                    405: "This address does not take that kind of request."}
        return self.error(request, exc.status_code, titles.get(exc.status_code, "Bad request"),
                          messages.get(exc.status_code, str(exc.detail)), link="/")

    async def server_error(self, request: Request, exc: Exception) -> Response:
        response = self.error(request, 500, "Something went wrong",
                              f"The server could not show this page ({type(exc).__name__}). Nothing was recorded. "
                              "Please report it with what you were doing.", link="/")
        for name, value in HEADERS:  # this handler runs outside the middleware that adds them
            response.headers[name.decode()] = value.decode()
        return response


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _same_origin(request: Request) -> bool:
    """No Origin (an old browser, a script: the CSRF token decides), or exactly this server's: the same
    scheme, host and port as the request itself (`https://127.0.0.1:PORT` is not `http://127.0.0.1:PORT`)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None  # a form posted from an opaque origin (a sandbox, a file) is refused
    scheme = request.url.scheme
    try:
        theirs = urllib.parse.urlsplit(origin.strip())
        ours = urllib.parse.urlsplit(f"//{request.headers.get('host', '')}")
        their_port = theirs.port or _DEFAULT_PORTS.get(theirs.scheme)
        our_port = ours.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return False
    if theirs.path not in ("", "/") or theirs.query or theirs.fragment or theirs.username is not None:
        return False
    return (theirs.scheme.lower() == scheme and theirs.hostname is not None and theirs.hostname == ours.hostname
            and their_port == our_port)


async def _threaded(func: Any) -> Any:
    return await run_in_threadpool(func)


def create_app(root: Path | str, *, hosts: Iterable[str] = LOOPBACK_HOSTS) -> Starlette:
    """The review site over the fact base at `root`. `hosts`: the host names a request's Host header may
    carry (loopback names by default; never "any"), so that a web page elsewhere cannot reach the server
    through DNS rebinding."""
    pages = Pages(Path(root).resolve())
    allowed = sorted(set(hosts))
    app = Starlette(
        debug=False,
        routes=[
            Route("/", pages.index, methods=["GET", "HEAD"]),
            Route("/findings/{fp}", pages.finding, methods=["GET", "HEAD"]),
            Route("/findings/{fp}", pages.submit, methods=["POST"]),
            Route("/static/style.css", pages.style, methods=["GET", "HEAD"]),
            Route("/timeline", timeline.endpoint(pages), methods=["GET", "HEAD"]),
        ],
        middleware=[Middleware(SecurityHeaders), Middleware(TrustedHostMiddleware, allowed_hosts=allowed)],
        exception_handlers={HTTPException: pages.http_error, Exception: pages.server_error},
    )
    app.add_middleware(BodyLimit, limit=MAX_BODY, headers=HEADERS)  # (each added one goes outside: host first)
    app.add_middleware(HostAllowList, hosts=allowed, headers=HEADERS)
    app.state.pages = pages
    return app
