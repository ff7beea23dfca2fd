"""Failed-login limits per account and per client address, counted in the database so every worker agrees."""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from central_server.config import Settings
from central_server.errors import ApiError
from central_server.schema import login_failures, tokens, users


class TooManyAttempts(ApiError):
    """429: too many failed logins for this account or from this address; try again after ``retry_after`` s."""

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(429, "too_many_attempts",
                         f"로그인 실패가 너무 많습니다. 약 {minutes}분 뒤에 다시 시도하세요.",
                         f"Too many failed logins. Try again in about {minutes} minute(s).",
                         headers={"Retry-After": str(retry_after)}, retry_after=retry_after)


def record_attempt(connection: Connection, *, username: str, address: str, now: datetime,
                   settings: Settings) -> int:
    """Count this attempt as a failure until it succeeds, prune expired ones; returns its row id."""
    # Written (and committed) before the password is checked, so attempts made at the same moment on several
    # workers all see each other: none slips past the limit by racing the others.
    connection.execute(delete(login_failures).where(login_failures.c.at < now - settings.failure_window))
    return connection.execute(insert(login_failures).values(username=username, address=address, at=now)
                              .returning(login_failures.c.id)).scalar_one()


def check_limits(connection: Connection, *, attempt_id: int, username: str, address: str, now: datetime,
                 settings: Settings) -> None:
    """Raise TooManyAttempts when the account or the address is over its limit, counting this attempt."""
    since = now - settings.failure_window
    # An account's count starts again at its last successful login (its newest token); an address's does not,
    # so logging in to one account never frees an address that has been guessing at others.
    last_login = connection.execute(
        select(func.max(tokens.c.created_at)).join(users, users.c.id == tokens.c.user_id)
        .where(users.c.username == username)).scalar()
    account_since = max(since, last_login) if last_login else since
    for column, value, start, limit in ((login_failures.c.username, username, account_since, settings.account_failures),
                                        (login_failures.c.address, address, since, settings.address_failures)):
        times = connection.execute(
            select(login_failures.c.at).where(column == value, login_failures.c.at > start,
                                              login_failures.c.id != attempt_id)
            .order_by(login_failures.c.at)).scalars().all()
        if len(times) + 1 > limit:  # this attempt would be one too many
            # Allowed again once enough of the oldest failures have left the window.
            frees_at = times[len(times) - limit] + settings.failure_window
            raise TooManyAttempts(max(1, math.ceil((frees_at - now).total_seconds())))


def forget_attempt(connection: Connection, attempt_id: int) -> None:
    """The attempt succeeded, or was refused by the limit: it is no failure."""
    connection.execute(delete(login_failures).where(login_failures.c.id == attempt_id))
