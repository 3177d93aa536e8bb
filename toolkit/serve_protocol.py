"""uvicorn's HTTP/1.1 protocol with a deadline on request headers.

uvicorn closes a kept-alive connection that stays silent, but not one that never sends a
request, or trickles its headers a byte at a time: enough of those would hold every
connection slot. Here a request's headers must arrive within a deadline counted from the
connection (or, between requests, from its first byte); the body has its own deadline in
the app (toolkit.serve).
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

_TIMEOUT = b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"


def protocol_with_header_timeout(seconds: float) -> type[H11Protocol]:
    """An H11Protocol class that closes a connection whose headers take over ``seconds``."""

    class HeaderDeadlineProtocol(H11Protocol):
        deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self.deadline is None and self._awaiting_headers():
                self._arm()
            super().data_received(data)
            if not self._awaiting_headers():
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _awaiting_headers(self) -> bool:
            return self.cycle is None or self.cycle.response_complete

        def _arm(self) -> None:
            self.deadline = self.loop.call_later(seconds, self._expire)

        def _disarm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
                self.deadline = None

        def _expire(self) -> None:
            self.deadline = None
            if self._awaiting_headers() and not self.transport.is_closing():
                self.transport.write(_TIMEOUT)
                self.transport.close()

    return HeaderDeadlineProtocol
