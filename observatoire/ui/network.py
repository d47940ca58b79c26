"""Send the server's small responses at once: TCP_NODELAY on every connection it accepts. asyncio sets it only on
sockets whose proto is IPPROTO_TCP, and Streamlit's are 0: 40 ms per request on a kept-alive connection (first visit
of Lauréats 2.38 -> 2.22 s). Details: bench/JOURNAL.md, « Notes de conception : ui/network.py »."""

from __future__ import annotations

import asyncio.base_events as _base_events
import socket

ORIGINAL = getattr(_base_events, "_set_nodelay", None)


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # the peer already closed
            pass


def nodelay_for_accepted_connections() -> bool:
    """From now on, every TCP connection asyncio wraps gets TCP_NODELAY, whatever its proto. Called when
    `streamlit run` imports streamlit_app.py, before the server accepts any connection. Returns False where asyncio
    has no such hook (nothing is changed)."""
    if not hasattr(socket, "TCP_NODELAY") or not callable(getattr(_base_events, "_set_nodelay", None)):
        return False
    _base_events._set_nodelay = _set_nodelay
    return True
