"""Real SMTP servers for tests, on 127.0.0.1 and a free port: good, slow, hanging or absent.

`serve(kind)` gives a server that keeps what it receives:
- "good": aiosmtpd, answering at once;
- "slow": answers every step (greeting, EHLO, MAIL, RCPT, DATA ...) after `delay` seconds;
- "hanging": accepts the TCP connection and never says a word;
- "refused": a free port where nothing listens.
Each has `port`, `received` (one `Received` per accepted message) and `connections`.
`send_mail_to(app, monkeypatch, server)` points an app's mail at one for the rest of a test.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

KINDS = ("good", "slow", "hanging", "refused")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    """One message a server accepted, and the client port it came from (one per connection)."""

    peer: tuple
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Absent:
    """A port where nothing listens: every connection is refused."""

    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    connections: int = 0


class GoodServer:
    """aiosmtpd, keeping every message it accepts."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._controller = Controller(self, hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self._controller.port

    @property
    def connections(self) -> int:
        """Connections that delivered at least one message."""
        return len({r.peer for r in self.received})

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(session.peer, envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return "250 Message accepted for delivery"

    def start(self) -> GoodServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


class ScriptedServer:
    """A few lines of SMTP on asyncio, answering each step after `delay` seconds (None: never).

    It runs its own event loop in a daemon thread; `stop()` cancels the connections still open.
    """

    def __init__(self, delay: float | None) -> None:
        self.delay = delay
        self.received: list[Received] = []
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._tasks: set[asyncio.Task] = set()

    def start(self) -> ScriptedServer:
        self._thread.start()
        self._server = self._run(asyncio.start_server(self._session, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        self._run(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _shutdown(self) -> None:
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)
        self.connections += 1
        try:
            await self._converse(reader, writer)
        except ConnectionError:  # the client gave up (its timeout) and closed the connection
            pass
        except asyncio.CancelledError:  # stop(): end quietly (asyncio would log a cancelled task)
            pass
        finally:
            writer.close()
            self._tasks.discard(task)

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.delay is None:
            await asyncio.Event().wait()  # accept the connection, then say nothing, ever
        peer = writer.get_extra_info("peername")
        mail_from, rcpt_tos = "", []
        await self._answer(writer, "220 slow.example ESMTP")
        while line := await reader.readline():
            verb = line.strip().split(b" ", 1)[0].split(b":", 1)[0].upper()
            if verb == b"MAIL":
                mail_from, rcpt_tos = line.decode().strip(), []
            elif verb == b"RCPT":
                rcpt_tos.append(line.decode().split(":", 1)[1].strip().strip("<>"))
            elif verb == b"DATA":
                await self._answer(writer, "354 End data with <CR><LF>.<CR><LF>")
                content = b""
                while (data := await reader.readline()) not in (b".\r\n", b""):
                    content += data
                self.received.append(Received(peer, mail_from, rcpt_tos, content))
            elif verb == b"QUIT":
                writer.write(b"221 Bye\r\n")
                await writer.drain()
                return
            await self._answer(writer, "250 OK")

    async def _answer(self, writer: asyncio.StreamWriter, reply: str) -> None:
        await asyncio.sleep(self.delay)
        writer.write(reply.encode() + b"\r\n")
        await writer.drain()


@contextlib.contextmanager
def serve(kind: str, delay: float = 0.5) -> Iterator[GoodServer | ScriptedServer | Absent]:
    """A running server of `kind` (see the module's docstring), stopped on leaving the block."""
    if kind == "refused":
        yield Absent()
        return
    factories = {
        "good": GoodServer,
        "slow": lambda: ScriptedServer(delay),
        "hanging": lambda: ScriptedServer(None),
    }
    server = factories[kind]()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def send_mail_to(app, monkeypatch, server, *, timeout: float = 3.0, mode: str = "thread") -> None:
    """Make `app` send real mail to `server`, waiting at most `timeout` s per SMTP step."""
    state = app.extensions["mail"]  # Flask-Mail reads its settings once, at init
    monkeypatch.setattr(state, "server", "127.0.0.1")
    monkeypatch.setattr(state, "port", server.port)
    monkeypatch.setattr(state, "suppress", False)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", timeout)
    monkeypatch.setitem(app.config, "MAIL_SEND_AFTER_COMMIT", mode)
