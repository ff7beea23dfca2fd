"""Logging in (Argon2id passwords, limited attempts) and bearer tokens: issued, looked up, revoked."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import Connection

from central_server.config import Settings
from central_server.db import write_transaction
from central_server.errors import ApiError
from central_server.limits import check_limits, forget_attempt, record_attempt
from central_server.passwords import hash_password, needs_rehash, verify_nobody, verify_password
from central_server.schema import tokens, users
from central_server.users import User, find_user
from consultant_app.store.models import new_id, utc_now

# last_used_at is written at most this often per token: a write on every request would serialise readers on SQLite.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored; the token itself never is."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LoginFailed(ApiError):
    """401 for a wrong password, an unknown user or a disabled account alike: nothing tells them apart."""

    def __init__(self) -> None:
        super().__init__(401, "login_failed", "사용자 이름 또는 비밀번호가 맞지 않습니다.",
                         "The user name or the password is wrong.")


class NotAuthenticated(ApiError):
    """401 for a request without a usable token."""

    MESSAGES = {
        "token_missing": ("로그인이 필요합니다 (Authorization: Bearer 토큰).",
                          "Log in first (Authorization: Bearer token)."),
        "token_invalid": ("토큰이 올바르지 않습니다. 다시 로그인하세요.", "The token is not valid. Log in again."),
        "token_expired": ("토큰이 만료되었습니다. 다시 로그인하세요.", "The token has expired. Log in again."),
        "token_revoked": ("토큰이 취소되었습니다 (로그아웃 또는 비밀번호 변경). 다시 로그인하세요.",
                          "The token was revoked (logout or password change). Log in again."),
        "user_disabled": ("사용이 중지된 계정입니다. 중앙추진본부에 문의하세요.",
                          "This account is disabled. Ask the central office."),
    }

    def __init__(self, code: str):
        ko, en = self.MESSAGES[code]
        super().__init__(401, code, ko, en, headers={"WWW-Authenticate": "Bearer"})


@dataclass(frozen=True, slots=True)
class Login:
    """A successful login: the token (shown once), when it expires, and who it is for."""

    token: str
    expires_at: datetime
    user: User


def login(engine: Engine, settings: Settings, *, username: str, password: str, address: str) -> Login:
    """Check the password within the attempt limits and issue a token, or raise LoginFailed / TooManyAttempts."""
    now = utc_now()
    with write_transaction(engine) as connection:
        attempt = record_attempt(connection, username=username, address=address, now=now, settings=settings)
    try:
        with engine.connect() as connection:
            check_limits(connection, attempt_id=attempt, username=username, address=address, now=now,
                         settings=settings)
            row = connection.execute(select(users.c.id, users.c.password_hash, users.c.disabled)
                                     .where(users.c.username == username)).mappings().first()
    except Exception:
        with write_transaction(engine) as connection:
            forget_attempt(connection, attempt)  # refused before any password was tried: not a failure
        raise
    # Hashing takes tens of milliseconds: outside any transaction, so no lock is held meanwhile.
    if row is None:
        verify_nobody(password)
        raise LoginFailed()
    if not verify_password(row["password_hash"], password) or row["disabled"]:
        raise LoginFailed()  # the attempt stays counted as a failure
    token = secrets.token_urlsafe(32)
    expires_at = now + settings.token_lifetime
    with write_transaction(engine) as connection:
        forget_attempt(connection, attempt)
        connection.execute(insert(tokens).values(id=new_id(), user_id=row["id"], token_hash=token_hash(token),
                                                 created_at=utc_now(), expires_at=expires_at))
        if needs_rehash(row["password_hash"]):
            connection.execute(update(users).where(users.c.id == row["id"])
                               .values(password_hash=hash_password(password)))
        user = find_user(connection, username)
    return Login(token, expires_at, user)


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if not token.strip():
        raise NotAuthenticated("token_missing")
    if scheme.lower() != "bearer":
        raise NotAuthenticated("token_invalid")
    return token.strip()


def authenticate(engine: Engine, token: str) -> tuple[User, str]:
    """The user a token belongs to and the token's id, or NotAuthenticated saying why not."""
    now = utc_now()
    with engine.connect() as connection:
        row = connection.execute(
            select(tokens.c.id, tokens.c.expires_at, tokens.c.revoked_at, tokens.c.last_used_at, users.c.username)
            .join(users, users.c.id == tokens.c.user_id).where(tokens.c.token_hash == token_hash(token))
        ).mappings().first()
        if row is None:
            raise NotAuthenticated("token_invalid")
        if row["revoked_at"] is not None:
            raise NotAuthenticated("token_revoked")
        if row["expires_at"] <= now:
            raise NotAuthenticated("token_expired")
        user = find_user(connection, row["username"])
    if user is None or user.disabled:
        raise NotAuthenticated("user_disabled")
    if row["last_used_at"] is None or now - row["last_used_at"] >= LAST_USED_RESOLUTION:
        with write_transaction(engine) as connection:
            connection.execute(update(tokens).where(tokens.c.id == row["id"]).values(last_used_at=now))
    return user, row["id"]


def current_user(request: Request) -> User:
    """The dependency every protected route has: the bearer token's user, or 401."""
    user, token_id = authenticate(request.app.state.engine, _bearer(request))
    request.state.token_id = token_id  # for logout
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def revoke_token(connection: Connection, token_id: str) -> None:
    """Revoke one token (logout)."""
    connection.execute(update(tokens).where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
                       .values(revoked_at=utc_now()))
