"""Failed logins are limited per account and per client address, in the database, so every worker agrees."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from central_server.schema import login_failures

WRONG = "not the password"


def _fail(live, client, username: str, times: int, *, address: str = "203.0.113.1") -> None:
    for _ in range(times):
        response = live.login(client, username, WRONG, address=address)
        assert response.status_code == 401, response.text


def test_the_sixth_attempt_on_an_account_is_refused_even_with_the_right_password(live):
    live.add_user("kim")
    with live.client() as client:
        _fail(live, client, "kim", 5)
        response = live.login(client, "kim", address="203.0.113.1")
        assert response.status_code == 429
        retry_after = int(response.headers["Retry-After"])
        assert 14 * 60 <= retry_after <= 15 * 60
        detail = response.json()["detail"]
        assert detail["code"] == "too_many_attempts" and detail["retry_after"] == retry_after
        assert detail["ko"] and detail["en"]
        # from another address too: the limit is the account's
        assert live.login(client, "kim", address="198.51.100.9").status_code == 429


def test_an_account_limit_counts_unknown_user_names_too(live):
    with live.client() as client:
        _fail(live, client, "nobody", 5)
        assert live.login(client, "nobody", WRONG, address="203.0.113.1").status_code == 429


def test_refused_attempts_do_not_extend_the_lock(live):
    live.add_user("kim")
    with live.client() as client:
        _fail(live, client, "kim", 5)
        for _ in range(3):
            assert live.login(client, "kim", WRONG).status_code == 429
    with live.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(login_failures)).scalar() == 5


def test_a_successful_login_starts_the_account_count_again(live):
    live.add_user("kim")
    with live.client() as client:
        _fail(live, client, "kim", 4)
        assert live.login(client, "kim", address="203.0.113.1").status_code == 200
        _fail(live, client, "kim", 5)  # five more allowed after the success
        assert live.login(client, "kim", address="203.0.113.1").status_code == 429


def test_one_address_guessing_at_many_accounts_is_stopped(live):
    live.add_user("victim")
    with live.client() as client:
        for number in range(5):
            _fail(live, client, f"user{number}", 4, address="203.0.113.7")  # 20 failures, 4 per account
        refused = live.login(client, "victim", address="203.0.113.7")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        # the account itself is fine from elsewhere
        assert live.login(client, "victim", address="198.51.100.2").status_code == 200


def test_a_successful_login_does_not_reset_the_address_count_of_other_accounts(live):
    live.add_user("mine")
    live.add_user("victim")
    with live.client() as client:
        for number in range(4):
            _fail(live, client, f"user{number}", 4, address="203.0.113.8")
        _fail(live, client, "victim", 3, address="203.0.113.8")  # 19 failures from this address
        assert live.login(client, "mine", address="203.0.113.8").status_code == 200  # the attacker's own account
        _fail(live, client, "victim", 1, address="203.0.113.8")  # the 20th
        assert live.login(client, "victim", address="203.0.113.8").status_code == 429


def test_the_limits_hold_across_workers(settings, start):
    # Two servers on one database stand for two uvicorn workers: attempts alternate between them.
    first = start(settings)
    second = start(replace(settings))
    first.add_user("kim")
    with first.client() as one, second.client() as two:
        for attempt in range(5):
            server, client = (first, one) if attempt % 2 == 0 else (second, two)
            assert server.login(client, "kim", WRONG).status_code == 401
        assert first.login(one, "kim").status_code == 429
        assert second.login(two, "kim").status_code == 429


def test_retry_after_counts_down_to_when_the_oldest_failure_leaves_the_window(settings, start):
    live = start(replace(settings, account_failures=2, failure_window=timedelta(seconds=3)))
    live.add_user("kim")
    with live.client() as client:
        _fail(live, client, "kim", 2)
        response = live.login(client, "kim")
        assert response.status_code == 429
        wait = int(response.headers["Retry-After"])
        assert 1 <= wait <= 3
        time.sleep(wait + 0.2)
        assert live.login(client, "kim").status_code == 200
