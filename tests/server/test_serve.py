"""``consultant-central serve`` as the office runs it: a real process, several workers, TLS."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(settings, *args: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONSULTANT_CENTRAL_")}
    env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "central_server.cli", "--data-dir", str(settings.data_dir), "serve",
         "--host", "127.0.0.1", "--port", str(port), "--database-url", settings.database_url, *args],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, port


def _wait_until_up(process: subprocess.Popen, url: str, **client_options) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            if httpx.get(url, timeout=2, **client_options).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not come up")


def _stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err


def test_serve_with_two_workers_migrates_first_and_shares_the_login_limits(settings, cli):
    assert cli("user", "add", "kim", "--role", "consultant", stdin="correct horse 1\n")[0] == 0
    process, port = _serve(settings, "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base + "/health")
        with httpx.Client(base_url=base, timeout=30) as client:
            login = client.post("/auth/login", json={"username": "kim", "password": "correct horse 1"})
            assert login.status_code == 200
            headers = {"Authorization": f"Bearer {login.json()['token']}"}
            for _ in range(10):  # whichever worker answers, the token is known (it is in the database)
                assert client.get("/auth/me", headers=headers).status_code == 200
            for _ in range(5):
                assert client.post("/auth/login", json={"username": "kim", "password": "wrong!"}).status_code == 401
            for _ in range(4):  # refused whichever worker takes it
                assert client.post("/auth/login", json={"username": "kim", "password": "correct horse 1"}
                                   ).status_code == 429
    finally:
        err = _stop(process)
    assert process.returncode == 0, err
    shown = next(line for line in err.splitlines() if line.startswith("데이터베이스: "))
    if shown.startswith("데이터베이스: postgresql"):
        assert ":***@" in shown  # the password is not printed
    else:
        assert shown.endswith("central-test.sqlite3")


def test_serve_over_tls_with_uvicorns_certificate_options(settings, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    process, port = _serve(settings, "--ssl-certfile", str(cert), "--ssl-keyfile", str(key))
    trust = ssl.create_default_context(cafile=str(cert))
    try:
        _wait_until_up(process, f"https://127.0.0.1:{port}/health", verify=trust)
        with httpx.Client(verify=trust) as client:
            assert client.get(f"https://127.0.0.1:{port}/health").json()["status"] == "ok"
    finally:
        _stop(process)


def test_serve_checks_its_options_before_starting(settings, cli, tmp_path):
    code, _, err = cli("serve", "--ssl-certfile", str(tmp_path / "cert.pem"))
    assert code == 2 and "--ssl-keyfile" in err
    code, _, err = cli("--lang", "en", "serve", "--ssl-certfile", str(tmp_path / "no.pem"),
                       "--ssl-keyfile", str(tmp_path / "no-key.pem"))
    assert code == 1 and err.strip() == f"The TLS file does not exist: {tmp_path / 'no.pem'}"
    code, _, err = cli("serve", "--port", "70000")
    assert code == 2
