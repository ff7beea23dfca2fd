"""A real uvicorn server on 127.0.0.1 in a background thread, and the helpers tests use against it."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, replace

import httpx
import uvicorn
from sqlalchemy import Engine

from central_server.app import create_app
from central_server.config import Settings
from central_server.db import make_engine, write_transaction
from central_server.migrate import upgrade_database
from central_server.users import User, add_user

START_TIMEOUT = 20.0


@dataclass
class LiveServer:
    """A running server: its base URL, its settings and an engine of the test's own on its database."""

    base_url: str
    settings: Settings
    engine: Engine
    _server: uvicorn.Server
    _thread: threading.Thread

    def client(self, **kwargs) -> httpx.Client:
        """An HTTP client on the server (real sockets; the caller closes it)."""
        return httpx.Client(base_url=self.base_url, timeout=30.0, **kwargs)

    def add_user(self, username: str, *, role: str = "consultant", password: str = "correct horse 1",
                 display_name: str | None = None) -> User:
        with write_transaction(self.engine) as connection:
            return add_user(connection, username, role=role, password=password, display_name=display_name)

    def login(self, client: httpx.Client, username: str, password: str = "correct horse 1", *,
              address: str | None = None) -> httpx.Response:
        headers = {"X-Forwarded-For": address} if address else {}
        return client.post("/auth/login", json={"username": username, "password": password}, headers=headers)

    def token(self, client: httpx.Client, username: str, password: str = "correct horse 1") -> dict[str, str]:
        """The Authorization header of a fresh login."""
        response = self.login(client, username, password)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=START_TIMEOUT)
        self.engine.dispose()


def start_server(settings: Settings, *, own_public_url: bool = True, host: str = "127.0.0.1") -> LiveServer:
    """Migrate the database, then serve the app with uvicorn on a free port of ``host`` (loopback unless a test
    needs an address beyond it) until stop().

    Unless the settings name a public URL (or ``own_public_url`` is False), the server's own address is its
    public URL, as an office's would be configured: certificates are issued only with one.
    """
    engine = make_engine(settings)
    upgrade_database(engine, settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))  # the port is the kernel's free choice and stays ours: no race for it
    port = sock.getsockname()[1]
    if own_public_url and not settings.public_url:
        settings = replace(settings, public_url=f"http://{host}:{port}")
    app = create_app(settings)
    # uvicorn's defaults: proxy headers trusted from 127.0.0.1, so tests can speak as a proxy would for other
    # client addresses (X-Forwarded-For) without any traffic leaving the loopback interface.
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            engine.dispose()
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return LiveServer(f"http://{host}:{port}", settings, engine, server, thread)
