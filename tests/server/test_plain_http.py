"""Plain http beyond this computer is warned of: ``serve`` listening beyond loopback without TLS, and the laptop's
sync with a plain-http address beyond loopback (the command line here; the sync page in tests/ui)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from consultant_app.sync.addresses import is_loopback, plain_http_warning
from tests.server.test_serve import ROOT, _free_port, _stop, _wait_until_up

PASSWORD = "correct horse 1"


def address_beyond_loopback() -> str | None:
    """This machine's own IPv4 address on its network (where the default route leaves), or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1; a UDP connect sends nothing
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if is_loopback(address) or address == "0.0.0.0" else address


@pytest.fixture
def beyond() -> str:
    address = address_beyond_loopback()
    if address is None:
        pytest.skip("this machine has no network address beyond loopback")
    return address


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.9.9.9", True), ("::1", True),
                                            ("[::1]", True), ("localhost", True), ("LOCALHOST.", True),
                                            ("api.localhost", True), ("::ffff:127.0.0.1", True),
                                            ("0.0.0.0", False), ("::", False), ("192.0.2.2", False),
                                            ("iim.example.kr", False), ("localhost.example", False), ("", False)])
def test_which_hosts_never_leave_this_computer(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("server, warned", [("http://iim.example.kr", True), ("HTTP://10.0.0.5:8000", True),
                                            ("http://[fd00::2]:8000/", True), ("https://iim.example.kr", False),
                                            ("http://127.0.0.1:8000", False), ("http://localhost:8000", False),
                                            ("http://[::1]:8000", False), ("not an address", False)])
def test_a_plain_http_address_beyond_loopback_is_warned_of(server, warned):
    warning = plain_http_warning(server)
    assert (warning is not None) is warned
    if warning:
        assert "http" in warning[0] and "https" in warning[1] and "경고" in warning[0] and "Warning" in warning[1]


def _serve(settings, host: str, *args: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONSULTANT_CENTRAL_")}
    env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "central_server.cli", "--data-dir", str(settings.data_dir), "serve", "--host", host,
         "--port", str(port), "--database-url", settings.database_url, "--public-url", "https://iim.example.kr",
         *args], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, port


def test_serve_warns_in_one_line_when_it_listens_beyond_loopback_without_tls(settings, beyond):
    warnings = {}
    for host, lang in ((beyond, "en"), (beyond, "ko"), ("127.0.0.1", "en")):
        process, port = _serve(settings, host, "--lang", lang)
        try:
            _wait_until_up(process, f"http://{host}:{port}/health")
        finally:
            err = _stop(process)
        warnings[(host, lang)] = [line for line in err.splitlines() if line.startswith(("Warning", "경고"))]
    en, = warnings[(beyond, "en")]
    assert en.startswith(f"Warning: listening on {beyond}:") and "without TLS" in en and "--ssl-certfile" in en
    ko, = warnings[(beyond, "ko")]
    assert ko.startswith(f"경고: {beyond}:") and "TLS 없이" in ko
    assert warnings[("127.0.0.1", "en")] == []


def test_the_laptops_sync_command_warns_of_plain_http_beyond_loopback(start, settings, tmp_path, beyond):
    server = start(settings, host=beyond)
    server.add_user("kim", password=PASSWORD)
    loopback = start(settings)  # the same database, on this computer only
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CONSULTANT_APP_LANG", None)
    for address, warned in ((server.base_url, True), (loopback.base_url, False)):
        done = subprocess.run([sys.executable, "-m", "consultant_app", "--data-dir", str(tmp_path / "laptop"),
                               "sync", "--server", address, "--user", "kim"], input=PASSWORD + "\n",
                              capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "동기화했습니다" in done.stdout
        assert (f"경고: {address}은(는) 암호화하지 않은 http 주소입니다." in done.stderr) is warned, done.stderr
