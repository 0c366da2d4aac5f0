"""uvicorn's h11 protocol with a deadline for each request's headers.

uvicorn times out an idle keep-alive connection only after a response; a connection that opens and sends
nothing, or a header a byte at a time, would stay open for good (60 of them: 60 sockets held). Here every
request must have sent its whole header within `header_seconds` of the connection opening (or of the
previous response), or the connection is closed. The body has its own limits (`app.BodyLimit`)."""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0


class GuardedH11Protocol(H11Protocol):
    header_seconds: float = HEADER_SECONDS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline: asyncio.TimerHandle | None = self.loop.call_later(self.header_seconds, self._expire)

    def _disarm(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()  # no complete request header in time

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # a whole request header has arrived
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Any) -> None:
        self._disarm()
        super().connection_lost(exc)


def with_deadline(seconds: float) -> type[GuardedH11Protocol]:
    """The protocol class with this header deadline (uvicorn takes a class)."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"header_seconds": float(seconds)})
