"""CSRF protection: a signed double-submit token.

The first page a browser loads sets the cookie `ipfacts_csrf` (HttpOnly, SameSite=Strict) to
`NONCE.SIGNATURE`, signed with a key made when the server starts (HMAC-SHA256, stdlib). Every form
carries the same value in a hidden field. A POST is accepted only when the field equals the cookie and
the signature is this server's: another site can neither read the cookie nor forge a signed value,
and a restarted server refuses old pages (their forms are simply shown again with a fresh token).
A POST whose Origin header names another site is refused as well.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "ipfacts_csrf"
FIELD = "csrf"


class Csrf:
    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode("ascii"), hashlib.sha256).hexdigest()

    def new_token(self) -> str:
        nonce = secrets.token_hex(16)
        return f"{nonce}.{self._sign(nonce)}"

    def valid(self, token: str | None) -> bool:
        if not token or token.count(".") != 1:
            return False
        nonce, signature = token.split(".")
        if not nonce.isascii() or not signature.isascii():
            return False
        return hmac.compare_digest(self._sign(nonce), signature)

    def token_for(self, cookie: str | None) -> str:
        """The token a page's forms carry: the browser's cookie when it is valid, else a new one."""
        return cookie if cookie and self.valid(cookie) else self.new_token()

    def check(self, cookie: str | None, submitted: str | None) -> bool:
        if not cookie or not submitted or not self.valid(cookie):
            return False
        return hmac.compare_digest(cookie.encode("ascii", "replace"), submitted.encode("ascii", "replace"))
