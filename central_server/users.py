"""The server's users: consultants, supervisors and admins, and what the office does to their accounts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from central_server.passwords import check_new_password, hash_password
from central_server.schema import ROLES, assignments, tokens, users
from consultant_app.errors import AppError
from consultant_app.store.models import new_id, utc_now

CONSULTANT, SUPERVISOR, ADMIN = ROLES
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


@dataclass(frozen=True, slots=True)
class User:
    """A user as the server's checks see them."""

    id: str
    username: str
    display_name: str | None
    role: str
    disabled: bool
    created_at: datetime

    @property
    def sees_everything(self) -> bool:
        """Supervisors and admins see every company; consultants only their assigned ones."""
        return self.role in (SUPERVISOR, ADMIN)

    @classmethod
    def from_row(cls, row: RowMapping) -> User:
        return cls(row["id"], row["username"], row["display_name"], row["role"], row["disabled"], row["created_at"])


_USER_COLUMNS = (users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.disabled,
                 users.c.created_at)


class UnknownUser(AppError):
    def __init__(self, username: str):
        super().__init__(f"그런 사용자가 없습니다: {username}", f"There is no such user: {username}")


def find_user(connection: Connection, username: str) -> User | None:
    """The user of that name, or None."""
    row = connection.execute(select(*_USER_COLUMNS).where(users.c.username == username)).mappings().first()
    return User.from_row(row) if row else None


def require_user(connection: Connection, username: str) -> User:
    """The user of that name, or UnknownUser."""
    user = find_user(connection, username)
    if user is None:
        raise UnknownUser(username)
    return user


def add_user(connection: Connection, username: str, *, role: str, password: str,
             display_name: str | None = None) -> User:
    """Create a user with an Argon2id hash of ``password``."""
    if not USERNAME.fullmatch(username):
        raise AppError(f"사용자 이름은 영문자·숫자로 시작하고 영문자·숫자·._@- 만 쓸 수 있습니다 (64자 이하): {username!r}",
                       f"A user name starts with a letter or digit and holds only letters, digits and ._@- "
                       f"(64 at most): {username!r}")
    if role not in ROLES:
        raise AppError(f"역할은 {', '.join(ROLES)} 중 하나입니다: {role}", f"The role is one of {', '.join(ROLES)}: {role}")
    if find_user(connection, username) is not None:
        raise AppError(f"이미 있는 사용자입니다: {username}", f"The user already exists: {username}")
    values = {"id": new_id(), "username": username, "display_name": display_name, "role": role,
              "password_hash": hash_password(check_new_password(password)), "disabled": False,
              "created_at": utc_now()}
    connection.execute(insert(users).values(**values))
    return User.from_row(values)


def revoke_tokens(connection: Connection, user_id: str) -> int:
    """Revoke every live token of the user; returns how many."""
    result = connection.execute(update(tokens).where(tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None))
                                .values(revoked_at=utc_now()))
    return result.rowcount


def set_password(connection: Connection, username: str, *, password: str) -> int:
    """Give the user a new password and revoke their tokens (sessions end); returns the tokens revoked."""
    user = require_user(connection, username)
    connection.execute(update(users).where(users.c.id == user.id)
                       .values(password_hash=hash_password(check_new_password(password))))
    return revoke_tokens(connection, user.id)


def set_disabled(connection: Connection, username: str, *, disabled: bool) -> int:
    """Disable (revoking every token) or enable the user; returns the tokens revoked."""
    user = require_user(connection, username)
    connection.execute(update(users).where(users.c.id == user.id).values(disabled=disabled))
    return revoke_tokens(connection, user.id) if disabled else 0


@dataclass(frozen=True, slots=True)
class UserListing:
    """A user as ``user list`` shows them."""

    user: User
    companies: int


def list_users(connection: Connection) -> list[UserListing]:
    """Every user by name, with how many companies are assigned to them."""
    assigned = (select(assignments.c.user_id, func.count().label("n")).group_by(assignments.c.user_id).subquery())
    rows = connection.execute(select(*_USER_COLUMNS, assigned.c.n).outerjoin(assigned, assigned.c.user_id == users.c.id)
                              .order_by(users.c.username)).mappings()
    return [UserListing(User.from_row(row), row["n"] or 0) for row in rows]
