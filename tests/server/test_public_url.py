"""Certificates lead to the configured public URL only, never to an address taken from the request (a Host header
is the client's to choose); without one the office refuses to issue, in words the laptop shows."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from central_server.config import Settings
from central_server.issuing import certificates
from consultant_app.errors import AppError
from consultant_app.store import Store
from consultant_app.sync.account import issue_with_kept_login, sync_account
from tests.server.test_certificates import PASSWORD, record_eligible


def _synced_laptop(server, tmp_path) -> tuple[Store, str]:
    store = Store.open(tmp_path / "laptop", actor="kim")
    engagement_id = record_eligible(store)
    sync_account(store, server=server.base_url, user="kim", password=lambda: PASSWORD)
    return store, engagement_id


def test_without_a_public_url_nothing_is_issued_whatever_the_host_header_says(start, settings, tmp_path):
    server = start(settings, own_public_url=False)
    server.add_user("kim", password=PASSWORD)
    store, engagement_id = _synced_laptop(server, tmp_path)
    with server.client() as client:
        refused = client.post("/certificates/issue", json={"engagement_id": engagement_id},
                              headers={**server.token(client, "kim"), "Host": "evil.example"})
    assert refused.status_code == 409, refused.text
    detail = refused.json()["detail"]
    assert detail["code"] == "public_url_missing"
    for words in (detail["ko"], detail["en"]):
        assert "--public-url" in words and "CONSULTANT_CENTRAL_PUBLIC_URL" in words
    assert "evil.example" not in refused.text
    with pytest.raises(AppError) as shown:  # the laptop's issuing shows the office's words, not a status code
        issue_with_kept_login(store, engagement_id)
    assert shown.value.ko == detail["ko"] and shown.value.en == detail["en"]
    with server.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(certificates)).scalar() == 0
    store.close()


def test_the_configured_public_url_is_printed_whatever_the_host_header_says(start, settings, tmp_path):
    server = start(Settings(data_dir=settings.data_dir, database_url=settings.database_url,
                            public_url="https://iim.example.kr/"))
    server.add_user("kim", password=PASSWORD)
    store, engagement_id = _synced_laptop(server, tmp_path)
    with server.client() as client:
        issued = client.post("/certificates/issue", json={"engagement_id": engagement_id},
                             headers={**server.token(client, "kim"), "Host": "evil.example"})
    assert issued.status_code == 200, issued.text
    assert issued.json()["verify_url"] == f"https://iim.example.kr/verify/{issued.json()['code']}"
    store.close()


@pytest.mark.parametrize("value", ["iim.example.kr", "ftp://iim.example.kr", "https://", "https://x/?a=1",
                                   "https://x:port"])
def test_a_public_url_that_is_not_a_whole_web_address_is_refused(tmp_path, value):
    with pytest.raises(AppError) as refused:
        Settings.from_env({}, data_dir=tmp_path, public_url=value)
    assert "https://iim.example.kr" in refused.value.en and value in refused.value.ko
    with pytest.raises(AppError):
        Settings.from_env({"CONSULTANT_CENTRAL_DATA_DIR": str(tmp_path), "CONSULTANT_CENTRAL_PUBLIC_URL": value})
