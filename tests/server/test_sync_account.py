"""``sync_account``, which the command line and the sync page share, against the real server: login and the kept
token, what the store remembers, and the data folder's account."""

from __future__ import annotations

import pytest

from consultant_app.services.companies import CompanyDraft, save_company
from consultant_app.store import Store
from consultant_app.sync import credentials
from consultant_app.sync.account import AccountInUse, has_token, last_sync, log_out, sync_account
from consultant_app.sync.client import LoginRefused, NotLoggedIn

PASSWORD = "correct horse 1"


@pytest.fixture
def people(live):
    live.add_user("kim", password=PASSWORD)
    live.add_user("lee", password=PASSWORD)
    return live


def test_a_sync_keeps_the_token_and_remembers_when_where_and_who(people, tmp_path):
    with Store.open(tmp_path / "laptop", actor="kim") as store:
        assert last_sync(store).at is None
        saved = []
        report, where = sync_account(store, server=people.base_url + "/", user="kim", password=lambda: PASSWORD,
                                     on_token_saved=saved.append)
        assert where is not None and saved == [where] and not where.in_keyring
        last = last_sync(store)
        assert (last.server, last.user) == (people.base_url, "kim") and last.at is not None
        assert store.meta(credentials.ACCOUNT_KEY) == f"{people.base_url}|kim"
        assert has_token(store, people.base_url, "kim")
        _, again = sync_account(store, server=people.base_url, user="kim")  # no password: the kept token
        assert again is None and last_sync(store).at >= last.at
        log_out(store, people.base_url, "kim")
        assert not has_token(store, people.base_url, "kim")
        with pytest.raises(NotLoggedIn):
            sync_account(store, server=people.base_url, user="kim")


def test_a_token_the_server_refuses_is_forgotten_and_binds_nothing(people, tmp_path):
    with Store.open(tmp_path / "laptop", actor="kim") as store:
        credentials.save_token(store.data_dir, people.base_url, "kim", "not-a-token")
        with pytest.raises(NotLoggedIn):
            sync_account(store, server=people.base_url, user="kim")
        assert not has_token(store, people.base_url, "kim")
        with pytest.raises(LoginRefused) as wrong:
            sync_account(store, server=people.base_url, user="kim", password=lambda: "wrong password")
        # The server's own reason, in each language, not the missing-token message.
        assert wrong.value.ko == "사용자 이름 또는 비밀번호가 맞지 않습니다."
        assert "password" in wrong.value.en and "로그인" not in wrong.value.en
        assert store.meta(credentials.ACCOUNT_KEY) is None and last_sync(store).at is None


def test_another_account_waits_while_the_first_ones_changes_do(people, tmp_path):
    with Store.open(tmp_path / "laptop", actor="kim") as store:
        sync_account(store, server=people.base_url, user="kim", password=lambda: PASSWORD)
        save_company(store, CompanyDraft(business_no="1248100998", name="한빛정밀"))
        with pytest.raises(AccountInUse) as refused:
            sync_account(store, server=people.base_url, user="lee", password=lambda: PASSWORD)
        assert "kim의 아직 보내지 않은 변경 1건" in refused.value.ko
        assert not has_token(store, people.base_url, "lee")  # refused before any login
        assert sync_account(store, server=people.base_url, user="kim")[0].applied == 1
        sync_account(store, server=people.base_url, user="lee", password=lambda: PASSWORD)
        assert store.meta(credentials.ACCOUNT_KEY) == f"{people.base_url}|lee"
