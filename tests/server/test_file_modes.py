"""Every file and folder the server writes is its own user's only (0600 and 0700) whatever the umask: after a real
``serve`` that upgrades (and so backs up) a database, a sync that pushes and uploads, an upload left partial and a
logged error."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
from alembic import command
from alembic.script import ScriptDirectory

import central_server.commands as commands
from central_server.db import make_engine
from central_server.files import tighten
from central_server.migrate import alembic_config, head_revision
from consultant_app.store import Store
from consultant_app.sync.account import sync_account
from tests.server.test_attachments import attach, evidence, sha
from tests.server.test_serve import ROOT, _free_port, _stop, _wait_until_up
from tests.server.test_sync import record_a_company

PASSWORD = "correct horse 1"


def modes(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` (itself included) with its permission bits, in octal."""
    found = {".": oct(stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def not_private(folder: Path) -> dict[str, str]:
    return {name: mode for name, mode in modes(folder).items()
            if mode != (oct(0o700) if (folder / name).is_dir() else oct(0o600))}


def serve(settings, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONSULTANT_CENTRAL_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.Popen(
        [sys.executable, "-m", "central_server.cli", "--data-dir", str(settings.data_dir), "serve",
         "--host", "127.0.0.1", "--port", str(port), "--database-url", settings.database_url,
         "--public-url", f"http://127.0.0.1:{port}"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, umask=0)


def test_what_the_server_writes_is_readable_by_its_user_only(settings, cli, tmp_path, monkeypatch):
    previous = os.umask(0)  # the most permissive: a mode that holds here holds under any umask
    try:
        engine = make_engine(settings)  # a database one revision old: serve backs it up before upgrading
        config = alembic_config()
        older = ScriptDirectory.from_config(config).get_revision(head_revision()).down_revision
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, older)
        engine.dispose()
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        process = serve(settings, port)
        try:
            _wait_until_up(process, base + "/health")
            assert cli("user", "add", "kim", "--role", "consultant", stdin=PASSWORD + "\n")[0] == 0
            with Store.open(tmp_path / "laptop", actor="kim") as store:
                _, engagement_id = record_a_company(store)
                attach(store, engagement_id, evidence(tmp_path, "현장사진.jpg", 300_000))
                report, _ = sync_account(store, server=base, user="kim", password=lambda: PASSWORD)
            assert (report.files_sent, report.rejected) == (1, 0)
            half = os.urandom(1000)
            with httpx.Client(base_url=base) as client:
                token = client.post("/auth/login", json={"username": "kim", "password": PASSWORD}).json()["token"]
                piece = client.put(f"/attachments/{sha(half + half)}", content=half,
                                   headers={"Authorization": f"Bearer {token}", "Upload-Offset": "0",
                                            "Upload-Length": "2000"})
                assert piece.status_code == 200 and piece.json()["complete"] is False
            data = settings.data_dir
            written = modes(data)
            database = settings.sqlite_path
            if database is not None:  # while it runs: the database with its -wal and -shm, and the backup
                for path in (database, database.with_name(database.name + "-wal"),
                             database.with_name(database.name + "-shm")):
                    assert oct(stat.S_IMODE(path.stat().st_mode)) == oct(0o600), path
                assert [name for name in written if name.startswith("backups/")], written
            assert "signing-key.pem" in written and any(name.startswith("attachments/.partial/") for name in written)
            assert not_private(data) == {}, written
        finally:
            _stop(process)

        def boom(_args, _ctx) -> int:
            raise RuntimeError("an unexpected failure")
        monkeypatch.setitem(commands.COMMANDS, "user list", boom)
        code, _, err = cli("user", "list")
        assert code == 1 and "consultant-central.log" in err
    finally:
        os.umask(previous)
    assert (data / "logs" / "consultant-central.log").is_file()
    assert not_private(data) == {}, modes(data)


def test_a_database_an_older_version_left_readable_is_tightened_when_opened(tmp_path):
    from central_server.config import Settings

    settings = Settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir()
    for name in ("central.sqlite3", "central.sqlite3-wal", "central.sqlite3-shm"):
        (settings.data_dir / name).touch(mode=0o644)
        os.chmod(settings.data_dir / name, 0o644)
    make_engine(settings).dispose()
    assert {name: mode for name, mode in modes(settings.data_dir).items() if name != "."} == {
        "central.sqlite3": oct(0o600), "central.sqlite3-wal": oct(0o600), "central.sqlite3-shm": oct(0o600)}
    tighten(tmp_path / "nothing here")  # a missing file is no error
