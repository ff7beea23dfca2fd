"""A fault-injecting HTTP/1.1 proxy on real loopback sockets, between the sync client and the live server.

Each client connection gets its own upstream connection; requests are read whole (head and Content-Length or
chunked body), matched against the faults, then passed on (or not) and the reply read whole before it goes back.
Faults are chosen by method, path and count among the matching requests:

- ``DROP_BEFORE``: the request never reaches the server; the client's connection is closed.
- ``DROP_AFTER``: the request goes through, the server's whole reply is read (so the server has answered, and a
  push has committed), then the client's connection is closed instead of forwarding the reply.
- ``CUT_BODY``: the head and only the first ``after_bytes`` bytes of the body reach the server; then both
  connections are closed (an upload cut midway).

``reset=True`` closes with an RST (SO_LINGER 0) instead of a FIN. Every request is logged (``proxy.log``) with
what was done to it and the status the server gave, so a test can check that each fault really happened.
"""

from __future__ import annotations

import re
import socket
import struct
import threading
from dataclasses import dataclass, field

DROP_BEFORE = "drop_before"
DROP_AFTER = "drop_after"
CUT_BODY = "cut_body"
PASS = "pass"
_ACTIONS = (DROP_BEFORE, DROP_AFTER, CUT_BODY)
_MAX_HEAD = 64 * 1024


class _Closed(Exception):
    """The peer closed the connection before a whole message arrived."""


@dataclass
class Fault:
    """Do ``action`` to the ``nth`` (1-based; several with ``times``) request matching ``method`` and ``path``.

    ``path`` is a regular expression matched (``re.match``) against the path without the query string.
    """

    action: str
    path: str
    method: str | None = None
    nth: int = 1
    times: int = 1
    after_bytes: int = 0  # CUT_BODY: how many body bytes reach the server
    reset: bool = False
    seen: int = 0  # matching requests so far
    fired: int = 0  # how many times the fault was applied

    def __post_init__(self) -> None:
        if self.action not in _ACTIONS:
            raise ValueError(f"unknown fault action {self.action!r}")
        self._pattern = re.compile(self.path)

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method) and self._pattern.match(path) is not None

    def take(self) -> bool:
        """Count one matching request; True when this one is to be faulted."""
        self.seen += 1
        if self.nth <= self.seen < self.nth + self.times:
            self.fired += 1
            return True
        return False


@dataclass(frozen=True)
class Logged:
    """One request as the proxy handled it."""

    method: str
    path: str
    action: str
    body_bytes: int
    status: int | None  # the server's status (None when the server did not answer, or was not asked)


@dataclass
class _Request:
    method: str
    target: str
    head: bytes
    body: bytes  # as sent on the wire (chunk framing included)
    body_length: int  # payload bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


class _Reader:
    """Buffered reads of whole HTTP messages from a socket."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise _Closed()
        self.buffer += chunk

    def until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            if len(self.buffer) > _MAX_HEAD:
                raise _Closed()
            self._fill()
        index = self.buffer.index(marker) + len(marker)
        data, self.buffer = self.buffer[:index], self.buffer[index:]
        return data

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def rest(self) -> bytes:
        """Everything until the peer closes."""
        while True:
            try:
                self._fill()
            except _Closed:
                data, self.buffer = self.buffer, b""
                return data

    def body(self, headers: dict[str, str], *, until_close: bool) -> tuple[bytes, int]:
        """A message body as it came on the wire, and its payload length."""
        if "chunked" in headers.get("transfer-encoding", "").lower():
            wire, payload = b"", 0
            while True:
                size_line = self.until(b"\r\n")
                size = int(size_line.split(b";", 1)[0].strip(), 16)
                wire += size_line
                if size == 0:
                    trailer = self.until(b"\r\n")
                    wire += trailer
                    while trailer != b"\r\n":
                        trailer = self.until(b"\r\n")
                        wire += trailer
                    return wire, payload
                wire += self.exactly(size + 2)
                payload += size
        if "content-length" in headers:
            size = int(headers["content-length"])
            return self.exactly(size), size
        if until_close:
            data = self.rest()
            return data, len(data)
        return b"", 0


def _headers(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    parsed = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            parsed[name.strip().lower()] = value.strip()
    return lines[0], parsed


def _close(sock: socket.socket | None, *, reset: bool = False) -> None:
    if sock is None:
        return
    try:
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


@dataclass
class FaultProxy:
    """``with FaultProxy(upstream_url) as proxy:`` then point the client at ``proxy.url``."""

    upstream: str  # http://host:port
    faults: list[Fault] = field(default_factory=list)
    log: list[Logged] = field(default_factory=list)

    def __post_init__(self) -> None:
        host_port = self.upstream.removeprefix("http://").rstrip("/")
        host, port = host_port.rsplit(":", 1)
        self._upstream_address = (host, int(port))
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self._stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()
        return f"http://{host}:{port}"

    def add(self, *faults: Fault) -> None:
        with self._lock:
            self.faults.extend(faults)

    def requests(self, path: str = "", method: str | None = None) -> list[Logged]:
        """The logged requests whose path matches ``path`` (a regular expression)."""
        pattern = re.compile(path)
        with self._lock:
            return [entry for entry in self.log if pattern.match(entry.path)
                    and (method is None or entry.method == method.upper())]

    def close(self) -> None:
        self._stopping.set()
        self._acceptor.join(timeout=5)
        _close(self._listener)
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            _close(sock)
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- internals

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            with self._lock:
                self._open.add(client)
                self._threads.append(thread)
            thread.start()

    def _decide(self, method: str, path: str) -> Fault | None:
        with self._lock:
            chosen = None
            for fault in self.faults:
                if fault.matches(method, path) and fault.take() and chosen is None:
                    chosen = fault
            return chosen

    def _record(self, request: _Request, action: str, status: int | None) -> None:
        with self._lock:
            self.log.append(Logged(request.method, request.path, action, request.body_length, status))

    def _connect_upstream(self) -> tuple[socket.socket, _Reader]:
        upstream = socket.create_connection(self._upstream_address, timeout=60)
        upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._open.add(upstream)
        return upstream, _Reader(upstream)

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        upstream_reader: _Reader | None = None
        reader = _Reader(client)
        try:
            while not self._stopping.is_set():
                try:
                    head = reader.until(b"\r\n\r\n")
                except (_Closed, OSError):
                    return
                start, headers = _headers(head)
                method, target = start.split(" ")[:2]
                fault = self._decide(method, target.split("?", 1)[0])
                if fault is not None and fault.action == CUT_BODY:
                    # Forward the head and the first bytes of the body, then cut both connections.
                    declared = int(headers.get("content-length", "0") or 0)
                    keep = min(fault.after_bytes, declared) if declared else fault.after_bytes
                    partial = reader.exactly(keep) if keep else b""
                    if upstream is None:
                        upstream, upstream_reader = self._connect_upstream()
                    try:
                        upstream.sendall(head + partial)
                    except OSError:
                        pass
                    self._record(_Request(method, target, head, partial, len(partial)), CUT_BODY, None)
                    _close(upstream, reset=fault.reset)
                    _close(client, reset=fault.reset)
                    return
                try:
                    body, body_length = reader.body(headers, until_close=False)
                except (_Closed, OSError):
                    return
                request = _Request(method, target, head, body, body_length)
                if fault is not None and fault.action == DROP_BEFORE:
                    self._record(request, DROP_BEFORE, None)
                    _close(client, reset=fault.reset)
                    return
                if upstream is None:
                    upstream, upstream_reader = self._connect_upstream()
                try:
                    upstream.sendall(head + body)
                    reply_head = upstream_reader.until(b"\r\n\r\n")
                    status_line, reply_headers = _headers(reply_head)
                    status = int(status_line.split(" ")[1])
                    no_body = method == "HEAD" or status in (204, 304) or 100 <= status < 200
                    reply_body = b"" if no_body else upstream_reader.body(
                        reply_headers, until_close="content-length" not in reply_headers
                        and "chunked" not in reply_headers.get("transfer-encoding", ""))[0]
                except (_Closed, OSError):
                    self._record(request, PASS, None)
                    return  # the server closed: so does the client's connection (finally)
                if fault is not None and fault.action == DROP_AFTER:
                    self._record(request, DROP_AFTER, status)
                    _close(client, reset=fault.reset)
                    return
                self._record(request, PASS, status)
                try:
                    client.sendall(reply_head + reply_body)
                except OSError:
                    return
                if reply_headers.get("connection", "").lower() == "close":
                    return
        finally:
            _close(client)
            _close(upstream)
            with self._lock:
                self._open.discard(client)
                if upstream is not None:
                    self._open.discard(upstream)
