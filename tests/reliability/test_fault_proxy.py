"""The fault proxy itself, against a plain HTTP server that records what reached it: each fault does exactly what it
says (so the sync tests, and the attachment upload tests to come, can rely on it)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.reliability.fault_proxy import (
    CUT_BODY,
    DROP_AFTER,
    DROP_BEFORE,
    PASS,
    Fault,
    FaultProxy,
)


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as uvicorn serves
    seen: list[tuple[str, str, int, int]] = []  # method, path, declared length, bytes that arrived

    def _handle(self) -> None:
        declared = int(self.headers.get("Content-Length") or 0)
        arrived = len(self.rfile.read(declared)) if declared else 0
        type(self).seen.append((self.command, self.path, declared, arrived))
        if arrived < declared:
            self.close_connection = True
            return
        body = json.dumps({"received": arrived}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = _handle  # noqa: N815 - http.server's names

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def upstream():
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _wait_for(condition) -> None:
    import time

    deadline = time.monotonic() + 5
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_cut_body_lets_exactly_n_bytes_through_then_closes_both_sides(upstream):
    sha = "ab" * 32
    with FaultProxy(upstream, [Fault(CUT_BODY, rf"/attachments/{sha}$", method="PUT", after_bytes=1000)]) as proxy:
        with httpx.Client(base_url=proxy.url, timeout=5) as http:
            with pytest.raises(httpx.TransportError):
                http.put(f"/attachments/{sha}", content=b"x" * 10_000)
            _wait_for(lambda: Recorder.seen)
            assert Recorder.seen == [("PUT", f"/attachments/{sha}", 10_000, 1000)]
            # The next one goes through whole.
            assert http.put(f"/attachments/{sha}", content=b"y" * 10_000).json() == {"received": 10_000}
    assert [(e.action, e.body_bytes) for e in proxy.log] == [(CUT_BODY, 1000), (PASS, 10_000)]


def test_drop_before_never_reaches_the_server_and_drop_after_does(upstream):
    faults = [Fault(DROP_BEFORE, r"/sync/push$", nth=1), Fault(DROP_AFTER, r"/sync/push$", nth=3, reset=True)]
    with FaultProxy(upstream, faults) as proxy:
        with httpx.Client(base_url=proxy.url, timeout=5) as http:
            with pytest.raises(httpx.TransportError):
                http.post("/sync/push", content=b"{}")
            assert Recorder.seen == []
            assert http.post("/sync/push", content=b"{}").status_code == 200
            assert http.get("/sync/pull?after=0").status_code == 200  # another path: not counted
            with pytest.raises(httpx.TransportError):
                http.post("/sync/push", content=b"{}")
            assert http.post("/sync/push", content=b"{}").status_code == 200
    assert [path for _, path, _, _ in Recorder.seen] == ["/sync/push", "/sync/pull?after=0", "/sync/push",
                                                          "/sync/push"]
    assert [(e.path, e.action, e.status) for e in proxy.log] == [
        ("/sync/push", DROP_BEFORE, None), ("/sync/push", PASS, 200), ("/sync/pull", PASS, 200),
        ("/sync/push", DROP_AFTER, 200), ("/sync/push", PASS, 200)]
    assert [f.fired for f in faults] == [1, 1]
