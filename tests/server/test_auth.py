"""Logging in and out, bearer tokens and their ends (expiry, logout, new password, disabled account), over HTTP."""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import select, update

from central_server.db import write_transaction
from central_server.schema import tokens, users
from central_server.users import set_disabled, set_password


def test_login_returns_a_token_its_expiry_and_the_user(live):
    live.add_user("kim", display_name="김철수")
    with live.client() as client:
        response = live.login(client, "kim")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"token", "expires_at", "user", "server_id"}  # the server's id: tests/server/test_server_identity.py
        assert body["user"] == {"username": "kim", "display_name": "김철수", "role": "consultant"}
        assert len(body["token"]) >= 43  # token_urlsafe(32)
        me = client.get("/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
        assert me.status_code == 200 and me.json()["username"] == "kim"


def test_the_token_is_stored_only_as_its_sha256(live):
    live.add_user("kim")
    with live.client() as client:
        token = live.login(client, "kim").json()["token"]
    with live.engine.connect() as connection:
        stored = connection.execute(select(tokens.c.token_hash)).scalars().all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_the_token_lives_as_long_as_the_setting_says(live):
    live.add_user("kim")
    with live.client() as client:
        body = live.login(client, "kim").json()
    with live.engine.connect() as connection:
        created, expires = connection.execute(select(tokens.c.created_at, tokens.c.expires_at)).one()
    assert abs((expires - created) - timedelta(hours=12)) < timedelta(seconds=5)
    assert body["expires_at"].startswith(expires.strftime("%Y-%m-%dT%H:%M"))


def test_wrong_password_unknown_user_and_disabled_account_answer_the_same(live):
    live.add_user("kim")
    live.add_user("park")
    with write_transaction(live.engine) as connection:
        set_disabled(connection, "park", disabled=True)
    with live.client() as client:
        wrong = live.login(client, "kim", "not the password")
        unknown = live.login(client, "nobody", "correct horse 1")
        disabled = live.login(client, "park")  # right password, disabled account
    assert wrong.status_code == unknown.status_code == disabled.status_code == 401
    assert wrong.json() == unknown.json() == disabled.json()
    detail = wrong.json()["detail"]
    assert detail["code"] == "login_failed" and detail["ko"] and detail["en"]


def test_an_unknown_user_takes_about_as_long_as_a_wrong_password(live):
    live.add_user("kim")
    with live.client() as client:
        def timed(username: str) -> float:
            start = time.perf_counter()
            assert live.login(client, username, "not the password").status_code == 401
            return time.perf_counter() - start
        wrong = min(timed("kim") for _ in range(3))
        unknown = min(timed(f"nobody{i}") for i in range(3))
    # Both verify an Argon2 hash (a dummy one for nobody): without that, the unknown user answers far faster.
    assert unknown > wrong * 0.5


def test_an_expired_token_is_refused_with_its_reason(settings, start):
    live = start(replace(settings, token_lifetime=timedelta(seconds=1)))
    live.add_user("kim")
    with live.client() as client:
        headers = live.token(client, "kim")
        assert client.get("/auth/me", headers=headers).status_code == 200
        time.sleep(1.3)
        response = client.get("/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]["code"] == "token_expired"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_logout_revokes_the_token_it_was_sent_with_only(live):
    live.add_user("kim")
    with live.client() as client:
        first, second = live.token(client, "kim"), live.token(client, "kim")
        assert client.post("/auth/logout", headers=first).status_code == 204
        after = client.get("/auth/me", headers=first)
        assert after.status_code == 401 and after.json()["detail"]["code"] == "token_revoked"
        assert client.get("/auth/me", headers=second).status_code == 200  # another device stays logged in


def test_disabling_a_user_ends_their_tokens_and_a_disabled_user_is_refused(live):
    live.add_user("kim")
    with live.client() as client:
        headers = live.token(client, "kim")
        with write_transaction(live.engine) as connection:
            revoked = set_disabled(connection, "kim", disabled=True)
        assert revoked == 1
        assert client.get("/companies", headers=headers).status_code == 401
        # A token the revocation missed (issued in between) still stops at the disabled account.
        with write_transaction(live.engine) as connection:
            connection.execute(update(tokens).values(revoked_at=None))
        response = client.get("/companies", headers=headers)
        assert response.status_code == 401 and response.json()["detail"]["code"] == "user_disabled"


def test_a_new_password_revokes_the_old_sessions(live):
    live.add_user("kim")
    with live.client() as client:
        headers = live.token(client, "kim")
        with write_transaction(live.engine) as connection:
            set_password(connection, "kim", password="a new password")
        assert client.get("/auth/me", headers=headers).json()["detail"]["code"] == "token_revoked"
        assert live.login(client, "kim").status_code == 401
        assert live.login(client, "kim", "a new password").status_code == 200


def test_garbage_and_foreign_schemes_are_invalid_tokens(live):
    with live.client() as client:
        for header in ("Bearer not-a-token", "Basic a2ltOnB3", "Bearer"):
            response = client.get("/auth/me", headers={"Authorization": header})
            assert response.status_code == 401
            assert response.json()["detail"]["code"] in ("token_invalid", "token_missing")
            assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_hash_made_with_old_parameters_is_replaced_at_the_next_login(live):
    live.add_user("kim")
    old = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("correct horse 1")
    with write_transaction(live.engine) as connection:
        connection.execute(update(users).where(users.c.username == "kim").values(password_hash=old))
    with live.client() as client:
        assert live.login(client, "kim").status_code == 200
    with live.engine.connect() as connection:
        new = connection.execute(select(users.c.password_hash)).scalar_one()
    assert new != old and new.startswith("$argon2id$") and "m=65536" in new
    with live.client() as client:
        assert live.login(client, "kim").status_code == 200
