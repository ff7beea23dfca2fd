"""The server knows itself: an id made once with its database, reported at /health, at login, at /auth/me and in
every sync answer; a laptop recognises its server by it, not by the address it was given."""

from __future__ import annotations

import uuid
from dataclasses import replace
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import URL, select

from central_server.schema import server_identity
from consultant_app.services.companies import CompanyDraft, save_company
from consultant_app.store import Store
from consultant_app.sync import credentials
from consultant_app.sync.account import SERVER_ID_KEY, AccountInUse, OtherServer, has_token, last_sync, sync_account
from consultant_app.sync.client import CentralClient, ServerChanged
from consultant_app.sync.wire import PushRequest
from tests.io.sample import business_no

PASSWORD = "correct horse 1"


def stored_id(server) -> str:
    with server.engine.connect() as connection:
        return connection.execute(select(server_identity.c.id)).scalar_one()


def other_server(start, settings, tmp_path):
    database = URL.create("sqlite", database=str(tmp_path / "other.sqlite3")).render_as_string()
    server = start(replace(settings, data_dir=tmp_path / "other-data", database_url=database))
    server.add_user("kim", password=PASSWORD)
    return server


def test_every_answer_reports_the_one_id_made_with_the_database(live, start, settings, tmp_path):
    live.add_user("kim", password=PASSWORD)
    made = stored_id(live)
    assert str(uuid.UUID(made)) == made
    with live.client() as client:
        assert client.get("/health").json()["server_id"] == made
        login = live.login(client, "kim")
        assert login.json()["server_id"] == made
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        assert client.get("/auth/me", headers=headers).json()["server_id"] == made
        push = client.post("/sync/push", headers=headers, json={"device_id": "d", "ops": []})
        assert push.json()["server_id"] == made
        assert client.get("/sync/pull", headers=headers).json()["server_id"] == made
    live.stop()
    again = start(settings)  # the same database started again: the same server
    with again.client() as client:
        assert client.get("/health").json()["server_id"] == made
    assert stored_id(other_server(start, settings, tmp_path)) != made


def test_the_same_account_on_the_same_server_at_a_new_address_syncs_and_keeps_the_address(live, tmp_path):
    live.add_user("alice", password=PASSWORD)
    by_number = live.base_url  # http://127.0.0.1:P
    by_name = f"http://localhost:{urlsplit(live.base_url).port}"  # the same server, reached by another address
    with Store.open(tmp_path / "laptop", actor="alice") as store:
        sync_account(store, server=by_number, user="alice", password=lambda: PASSWORD)
        for first_nine in ("123456789", "220811234", "314159265"):
            save_company(store, CompanyDraft(business_no=business_no(first_nine), name=f"기업 {first_nine}"))
        report, saved = sync_account(store, server=by_name, user="alice", password=lambda: PASSWORD)
        assert report.applied == 3 and saved is not None  # a login: a token is kept per address
        last = last_sync(store)
        assert (last.server, last.user) == (by_name, "alice")
        assert store.meta(credentials.ACCOUNT_KEY) == f"{by_name}|alice"
        assert store.meta(SERVER_ID_KEY) == stored_id(live)
        again, _ = sync_account(store, server=by_number, user="alice")  # back at the first address, its kept token
        assert again.pulled == 0 and last_sync(store).server == by_number


def test_another_server_is_refused_saying_so_before_any_login(live, start, settings, tmp_path):
    live.add_user("kim", password=PASSWORD)
    other = other_server(start, settings, tmp_path)
    with Store.open(tmp_path / "laptop", actor="kim") as store:
        sync_account(store, server=live.base_url, user="kim", password=lambda: PASSWORD)
        save_company(store, CompanyDraft(business_no=business_no("123456789"), name="한빛정밀"))
        with pytest.raises(OtherServer) as refused:
            sync_account(store, server=other.base_url, user="kim", password=lambda: PASSWORD)
        assert not isinstance(refused.value, AccountInUse)
        for words in (refused.value.ko, refused.value.en):
            assert other.base_url in words and stored_id(other) in words and stored_id(live) in words
            assert live.base_url in words and "--data-dir" in words
        assert "다른 데이터 폴더" in refused.value.ko and "not the central server" in refused.value.en
        assert not has_token(store, other.base_url, "kim")  # refused before the password was sent
        assert last_sync(store).server == live.base_url and store.meta(SERVER_ID_KEY) == stored_id(live)
        assert sync_account(store, server=live.base_url, user="kim")[0].applied == 1  # its own server still syncs


def test_an_address_that_answers_as_another_server_midway_stops_the_sync():
    answers = iter(["first-server", "second-server"])

    def reply(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/health":
            return httpx.Response(200, json={"status": "ok", "server_id": next(answers)})
        return httpx.Response(200, json={"receipts": [], "server_id": next(answers)})

    with CentralClient("http://office.example", "token", transport=httpx.MockTransport(reply)) as client:
        assert client.identify() == "first-server"
        with pytest.raises(ServerChanged) as changed:
            client.push(PushRequest(device_id="d", ops=[]))
    assert "http://office.example" in changed.value.ko and "another server" in changed.value.en
