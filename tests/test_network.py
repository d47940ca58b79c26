"""Connections accepted on a listening socket bound the way Streamlit binds it (socket.socket(family): proto 0) get
TCP_NODELAY once observatoire.ui.network is on, so small responses are not held back by Nagle's algorithm."""

import asyncio
import asyncio.base_events
import socket
import threading

from observatoire.ui import network


def _server_side_nodelay() -> int:
    async def main() -> int:
        accepted: asyncio.Future = asyncio.get_running_loop().create_future()

        async def on_connect(reader, writer):
            sock = writer.transport.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        listener = socket.socket(family=socket.AF_INET)  # as streamlit's starlette_server._bind_socket
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        server = await asyncio.start_server(on_connect, sock=listener)
        _, writer = await asyncio.open_connection("127.0.0.1", listener.getsockname()[1])
        value = await asyncio.wait_for(accepted, 5)
        writer.close()
        server.close()
        await server.wait_closed()
        return value

    # in a thread of its own: the browser tests' Playwright keeps an event loop running on the main thread
    out = []
    worker = threading.Thread(target=lambda: out.append(asyncio.run(main())))
    worker.start()
    worker.join(10)
    return out[0]


def test_accepted_connections_get_nodelay(monkeypatch):
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", network.ORIGINAL)  # as before any page ran; restored after
    assert network.nodelay_for_accepted_connections()
    assert asyncio.base_events._set_nodelay is network._set_nodelay
    assert _server_side_nodelay() != 0


def test_asyncio_alone_leaves_nagle_on_here(monkeypatch):
    """Why the module exists. If a Python release fixes asyncio's check, this fails: the module can then go."""
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", network.ORIGINAL)
    assert _server_side_nodelay() == 0
