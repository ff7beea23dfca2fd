"""``consultant-app sync`` against the real server: password once from stdin, then the kept token; a second
consultant on the same data folder never takes or drops the first one's unsynced changes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from consultant_app.services.companies import CompanyDraft, save_company
from consultant_app.store import Store
from consultant_app.sync.credentials import FALLBACK_FILE

PASSWORD = "correct horse 1"


def run_sync(data_dir: Path, server: str, user: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CONSULTANT_APP_LANG", None)
    return subprocess.run([sys.executable, "-m", "consultant_app", "--data-dir", str(data_dir), "sync",
                           "--server", server, "--user", user], input=password + "\n" if password else "",
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def test_first_sync_asks_the_password_then_uses_the_kept_token(live, tmp_path):
    live.add_user("kim", password=PASSWORD)
    data = tmp_path / "laptop"
    with Store.open(data, actor="kim") as store:
        save_company(store, CompanyDraft(business_no="1248100998", name="한빛정밀"))
    first = run_sync(data, live.base_url, "kim", PASSWORD)
    assert first.returncode == 0, first.stderr
    assert "보냄 1건 (반영 1, 충돌 0, 거부 0)" in first.stdout and "남은 변경 0건" in first.stdout
    token_file = data / FALLBACK_FILE  # no keyring on this machine: the file, said so, readable by us only
    assert str(token_file) in first.stderr
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    again = run_sync(data, live.base_url, "kim")  # no password given
    assert again.returncode == 0, again.stderr
    assert "보냄 0건" in again.stdout


def test_a_wrong_password_is_one_clear_line(live, tmp_path):
    live.add_user("kim", password=PASSWORD)
    done = run_sync(tmp_path / "laptop", live.base_url, "kim", "wrong password")
    assert done.returncode == 1
    assert "사용자 이름 또는 비밀번호가 맞지 않습니다" in done.stderr


def test_a_second_consultant_never_takes_the_first_ones_unsynced_changes(live, tmp_path):
    live.add_user("kim", password=PASSWORD)
    live.add_user("lee", password=PASSWORD)
    data = tmp_path / "laptop"
    assert run_sync(data, live.base_url, "kim", PASSWORD).returncode == 0
    with Store.open(data, actor="kim") as store:
        save_company(store, CompanyDraft(business_no="1248100998", name="한빛정밀"))
    refused = run_sync(data, live.base_url, "lee", PASSWORD)
    assert refused.returncode == 1
    assert "kim의 아직 보내지 않은 변경 1건" in refused.stderr
    with Store.open(data, actor="kim") as store, store.session() as session:
        from consultant_app.store.queries import pending_changes

        assert pending_changes(session=session) == 1  # still there, still kim's
    assert run_sync(data, live.base_url, "kim").returncode == 0
    assert run_sync(data, live.base_url, "lee", PASSWORD).returncode == 0  # nothing of kim's waits now
