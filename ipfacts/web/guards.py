"""Guards in front of the review site, before any page is made: the Host allow-list (whatever address
the server listens on) and a header size limit; a request body read as it arrives, at most MAX_BODY bytes
within BODY_SECONDS (a chunked 100 MB body is refused as soon as it passes the limit)."""

from __future__ import annotations

import asyncio
import urllib.parse
from collections.abc import Iterable, Sequence

from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 256 * 1024  # a verdict form is a few kB
MAX_HEADERS = 16 * 1024  # a request's headers (uvicorn's parser bounds a header still arriving to the same)
BODY_SECONDS = 30.0  # a request's whole body must arrive within this
Headers = Sequence[tuple[bytes, bytes]]


def host_name(value: str) -> str | None:
    """The host of a Host header or an allow-list entry, lower-case, an IPv6 address in brackets
    (`127.0.0.1:8765` → `127.0.0.1`, `[::1]:80` → `[::1]`, `::1` → `[::1]`); None when it is not one."""
    value = value.strip().lower()
    if not value or "*" in value:
        return None
    if value.count(":") > 1 and not value.startswith("["):
        value = f"[{value}]"
    try:
        parts = urllib.parse.urlsplit(f"//{value}")
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError:
        return None
    if not parts.hostname or parts.username is not None or parts.path or parts.query or parts.fragment:
        return None
    return f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname


def _plain_response(status: int, title: str, message: str, extra: Headers) -> Response:
    """A refusal before any page is made (outside the app's middleware: its headers added here); the
    connection is closed after it."""
    html = (f"<!doctype html><meta charset=utf-8><title>{title}</title><h1>{title}</h1><p>{message}</p>")
    headers = {"connection": "close", **{name.decode(): value.decode() for name, value in extra}}
    return HTMLResponse(html, status_code=status, headers=headers)


class HostAllowList:
    """Refuses every request whose Host is not on the allow-list, whatever address the server listens on:
    a page elsewhere that rebinds its own name to this machine (DNS rebinding) is refused, since its
    requests carry its own name. Headers over MAX_HEADERS are refused too (431)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str], headers: Headers = ()) -> None:
        self.app, self.headers = app, headers
        self.hosts = {name for name in (host_name(h) for h in hosts) if name}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", [])
        if sum(len(k) + len(v) + 4 for k, v in headers) > MAX_HEADERS:
            await _plain_response(431, "Headers too large", "This request's headers are larger than any browser "
                                  "sends here.", self.headers)(scope, receive, send)
            return
        values = [v for k, v in headers if k == b"host"]
        name = host_name(values[0].decode("latin-1")) if len(values) == 1 else None
        if name is None or name not in self.hosts:
            await _plain_response(400, "Unknown host", "This server answers only to the names it was started "
                                  "with (see `ipfacts serve --allow-host`).", self.headers)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyLimit:
    """Reads a request's body before the app does, at most MAX_BODY bytes within BODY_SECONDS: a larger
    body (declared or chunked) is refused as soon as it passes the limit (413), a slow one in time (408),
    and the connection is closed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY, seconds: float = BODY_SECONDS,
                 headers: Headers = ()) -> None:
        self.app, self.limit, self.seconds, self.headers = app, limit, seconds, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = [v for k, v in scope.get("headers", []) if k == b"content-length"]
        if declared and (len(declared) > 1 or not declared[0].isdigit() or int(declared[0]) > self.limit):
            await self._too_large(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), timeout=max(0.0, deadline - loop.time()))
            except asyncio.TimeoutError:
                await _plain_response(408, "Too slow", "The form took too long to arrive; nothing was recorded. "
                                      "Try again.", self.headers)(scope, receive, send)
                return
            if message["type"] != "http.request":
                return  # the client went away
            total += len(message.get("body", b""))
            if total > self.limit:
                await self._too_large(scope, receive, send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _plain_response(413, "Form too large", "A verdict form is a few kilobytes; this one was not. "
                              "Nothing was recorded.", self.headers)(scope, receive, send)
