"""A document by URL, for `ipfacts add-source https://…`: its bytes, what the server says it is, and when.

urllib from the standard library (no new dependency): http and https only, redirects followed (at most
urllib's ten, and only to http or https), a timeout on every read and a deadline for the whole body,
and at most MAX_DOCUMENT_BYTES read — a larger body is refused, not cut. Nothing is cached or retried.
"""

from __future__ import annotations

import datetime
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from ipfacts import __version__
from ipfacts.curate.extract import MAX_DOCUMENT_BYTES

TIMEOUT = 30.0  # seconds, per connection and per read
DEADLINE = 600.0  # seconds for the whole body (a server that drips a byte at a time)
CHUNK = 1024 * 1024


class FetchError(Exception):
    """The URL could not be fetched: the message says why."""


@dataclass
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    data: bytes
    content_type: str | None
    retrieved: str  # the date it was read (UTC), YYYY-MM-DD


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Redirects to http and https only (urllib would follow one to ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        if not is_url(newurl):
            fp.close()  # the redirect's response holds the connection: closed, not left to the collector
            raise FetchError(f"{req.full_url}: redirected to {newurl[:200]!r}, not an http(s) URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def fetch(url: str, timeout: float = TIMEOUT) -> Fetched:
    if not is_url(url) or any(c.isspace() for c in url):
        raise FetchError(f"{url!r}: only http:// and https:// URLs, without spaces")
    request = urllib.request.Request(url, headers={"User-Agent": f"ipfacts/{__version__} (add-source)",
                                                   "Accept": "text/html,application/pdf,text/plain;q=0.9,*/*;q=0.5"})
    try:
        opener = urllib.request.build_opener(_HttpOnly)
        started = time.monotonic()
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_DOCUMENT_BYTES:
                raise FetchError(f"{url}: {int(length) // 2**20} MiB, more than {MAX_DOCUMENT_BYTES // 2**20} MiB")
            body = bytearray()
            while True:
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                body += chunk
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise FetchError(f"{url}: more than {MAX_DOCUMENT_BYTES // 2**20} MiB; not read")
                if time.monotonic() - started > DEADLINE:
                    raise FetchError(f"{url}: still arriving after {DEADLINE:.0f} s; not read")
            final = response.geturl()
            content_type = response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        exc.close()  # an HTTPError is the server's response, connection and all: closed, not left to the collector
        raise FetchError(f"{url}: the server answered {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(f"{url}: cannot fetch: {exc.reason}") from exc
    except (TimeoutError, OSError, ValueError) as exc:
        raise FetchError(f"{url}: cannot fetch: {exc}") from exc
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    return Fetched(url, final, bytes(body), content_type, today)
