"""One sync of a data folder as one account, for the command line and the sync page alike.

The data folder remembers the account its changes belong to: another consultant cannot sync it while the first
one's changes still wait (they would go up under the wrong name, or be dropped). It recognises its server by the
id the server reports (``GET /health``, the login, every sync answer), not by the address typed: the same server
at a new address (http to https, an IP to a name, a proxy) syncs on and the new address is remembered; another
server is refused, since the folder's records, versions and cursor are its own server's. The login token is kept
for the next time (per address); a token the server no longer accepts is forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy import func
from sqlmodel import select

from consultant_app.errors import AppError
from consultant_app.store.database import Store
from consultant_app.store.models import Meta, OutboxOp, utc_now
from consultant_app.sync import credentials
from consultant_app.sync.client import (
    CentralClient,
    NotLoggedIn,
    Progress,
    SyncReport,
    sync,
)
from consultant_app.sync.credentials import Saved
from consultant_app.sync.local import WAITING

LAST_AT_KEY = "sync.last_at"  # when this data folder last synced whole (UTC, ISO)
SERVER_KEY = "sync.server"  # the server and user of that sync, so the sync page can offer them again
USER_KEY = "sync.user"
SERVER_ID_KEY = "sync.server_id"  # the id of the server this folder's records, versions and cursor belong to


class AccountInUse(AppError):
    """The data folder holds another account's changes that have not reached the office."""

    def __init__(self, owner: str, waiting: int):
        super().__init__(f"이 데이터 폴더에는 {owner}의 아직 보내지 않은 변경 {waiting:,}건이 있습니다. "
                         f"그 계정으로 먼저 동기화하거나 다른 데이터 폴더(--data-dir)를 쓰세요. 아무것도 바꾸지 않았습니다.",
                         f"This data folder holds {waiting:,} change(s) of {owner} not yet synced. "
                         f"Sync them with that account first, or use another data folder (--data-dir). "
                         f"Nothing was changed.")


class OtherServer(AppError):
    """The address answers as another server than the one this data folder syncs with."""

    def __init__(self, server: str, server_id: str, known_server: str, known_id: str):
        super().__init__(f"{server}은(는) 이 데이터 폴더가 동기화해 온 중앙 서버가 아닙니다 (서버 ID {server_id}; 이 폴더의 서버는 "
                         f"{known_id}, 마지막 주소 {known_server}). 이 폴더의 기록과 버전은 그 서버의 것이라 섞을 수 없습니다. "
                         f"이 서버와 동기화하려면 다른 데이터 폴더(--data-dir)를 쓰세요. 아무것도 바꾸지 않았습니다.",
                         f"{server} is not the central server this data folder syncs with (server id {server_id}; "
                         f"this folder's server is {known_id}, last reached at {known_server}). The folder's records "
                         f"and versions are that server's and cannot be mixed with another's. To sync with this "
                         f"server, use another data folder (--data-dir). Nothing was changed.")


@dataclass(frozen=True, slots=True)
class LastSync:
    """The last whole sync of this data folder: when (UTC), with which server and user; None when never."""

    at: datetime | None
    server: str | None
    user: str | None


def last_sync(store: Store) -> LastSync:
    """What the store remembers of its last whole sync."""
    at = store.meta(LAST_AT_KEY)
    return LastSync(datetime.fromisoformat(at) if at else None, store.meta(SERVER_KEY), store.meta(USER_KEY))


def has_token(store: Store, server: str, user: str) -> bool:
    """Whether a login token is kept for (server, user), so no password is needed."""
    return bool(server and user) and credentials.load_token(store.data_dir, server, user) is not None


def _kept_login(store: Store) -> tuple[str, str, str] | None:
    """(server, user, token) of the last whole sync when its token is still kept and no other account's changes
    wait here (a sync as that account settles them first)."""
    last = last_sync(store)
    if not (last.server and last.user):
        return None
    bound = store.meta(credentials.ACCOUNT_KEY)
    if bound and bound != credentials.account(last.server, last.user):
        return None
    token = credentials.load_token(store.data_dir, last.server, last.user)
    return (last.server, last.user, token) if token else None


def kept_account(store: Store) -> tuple[str, str] | None:
    """The (server, user) that issuing would use: the last whole sync's, while its login is kept."""
    kept = _kept_login(store)
    return kept[:2] if kept else None


def log_out(store: Store, server: str, user: str) -> None:
    """Forget the kept token of (server, user); the next sync asks for the password again."""
    credentials.forget_token(store.data_dir, server, user)


def waiting_count(store: Store) -> int:
    """How many ops the office has not applied (pending, in conflict or rejected)."""
    with store.session() as session:
        return session.exec(select(func.count()).select_from(OutboxOp).where(OutboxOp.status.in_(WAITING))).one()


def _set_meta(store: Store, values: dict[str, str]) -> None:
    with store.transaction() as session:
        for key, value in values.items():
            session.merge(Meta(key=key, value=value))


def _check_server(store: Store, server: str, server_id: str | None) -> bool:
    """Whether ``server`` is the server this folder syncs with (False: it may be; the folder or the server is
    from before the ids, and only the address tells); OtherServer when its id says it is another."""
    known_id = store.meta(SERVER_ID_KEY)
    bound = store.meta(credentials.ACCOUNT_KEY) or ""
    known_server = bound.rpartition("|")[0] or (store.meta(SERVER_KEY) or "")
    if known_id and server_id:
        if server_id != known_id:
            raise OtherServer(server, server_id, known_server, known_id)
        return True
    return bool(known_server) and known_server == server


def _check_owner(store: Store, server: str, server_id: str | None, user: str) -> None:
    bound = store.meta(credentials.ACCOUNT_KEY)
    if not bound:
        return
    same_server = _check_server(store, server, server_id)
    owner = bound.rpartition("|")[2]
    if same_server and owner == user:
        return  # the same account, at whatever address the server is reached now
    waiting = waiting_count(store)
    if waiting:
        # Never push one consultant's changes as another, never drop them: the first must sync them.
        raise AccountInUse(owner, waiting)


def _bound(account: str, server_id: str | None) -> dict[str, str]:
    """The meta values that bind the folder to this account and its server."""
    return {credentials.ACCOUNT_KEY: account, **({SERVER_ID_KEY: server_id} if server_id else {})}


def sync_account(store: Store, *, server: str, user: str, password: Callable[[], str] | None = None,
                 progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                 on_token_saved: Callable[[Saved], None] | None = None,
                 transport: httpx.BaseTransport | None = None) -> tuple[SyncReport, Saved | None]:
    """Sync ``store`` as ``user`` of ``server``: the kept token, else a login with ``password()`` (its token kept).

    Returns the report and where a new token went (None when a kept one was used). NotLoggedIn when there is no
    token and no ``password``, or the server refuses the token (then it is forgotten); AccountInUse when another
    account's changes wait here; OtherServer when the server's id is not this folder's server's.
    """
    server = server.strip().rstrip("/")
    user = user.strip()
    if not server or not user:
        raise AppError("서버 주소와 사용자 이름을 입력하세요.", "Enter the server's address and your user name.")
    account = credentials.account(server, user)
    token = credentials.load_token(store.data_dir, server, user)
    saved = None
    bound = False

    def notify(phase: str, done: int, total: int) -> None:
        nonlocal bound
        if not bound:
            # The server has accepted this account's token: from now on the folder's waiting changes are its own.
            _set_meta(store, _bound(account, client.server_id))
            bound = True
        if progress is not None:
            progress(phase, done, total)

    with CentralClient(server, token, transport=transport) as client:
        # Which server this is, asked before any login or change is sent (no token needed).
        _check_owner(store, server, client.identify(), user)
        if token is None:
            if password is None:
                raise NotLoggedIn()
            token = client.login(user, password())
            saved = credentials.save_token(store.data_dir, server, user, token)
            if on_token_saved is not None:
                on_token_saved(saved)
        try:
            report = sync(store, client, progress=notify, cancelled=cancelled)
        except NotLoggedIn:
            credentials.forget_token(store.data_dir, server, user)
            raise
    _set_meta(store, {**_bound(account, client.server_id), LAST_AT_KEY: utc_now().isoformat(),
                      SERVER_KEY: server, USER_KEY: user})
    return report, saved


class NoKeptLogin(NotLoggedIn):
    """Nothing to issue with: this data folder has not synced, or its login was forgotten."""

    lead = ("먼저 로그인해 동기화하세요 (동기화 화면, 또는 consultant-app sync --server 주소 --user 이름).",
            "Log in and sync first (the sync page, or consultant-app sync --server URL --user NAME).")


def issue_with_kept_login(store: Store, engagement_id: str, *, correct: bool = False,
                          transport: httpx.BaseTransport | None = None) -> dict:
    """Have the office issue (or correct) the engagement's certificate as the last sync's account; its token kept."""
    from consultant_app.sync.certify import issue_certificate

    kept = _kept_login(store)
    if kept is None:
        raise NoKeptLogin()
    server, user, token = kept
    try:
        with CentralClient(server, token, transport=transport) as client:
            _check_server(store, server, client.identify())
            certificate, _report = issue_certificate(store, client, engagement_id, correct=correct)
    except NotLoggedIn:
        credentials.forget_token(store.data_dir, server, user)  # as a sync does: the next one asks for the password
        raise
    _set_meta(store, {LAST_AT_KEY: utc_now().isoformat()})  # issuing synced twice, whole
    return certificate
