"""The server's settings: one frozen dataclass, filled from command-line options and environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

from consultant_app.errors import AppError
from consultant_app.store.attachments import MAX_ATTACHMENT_BYTES

DATABASE_FILE_NAME = "central.sqlite3"

# Every setting has a variable, so `serve --workers N` can hand the settings to uvicorn's worker processes,
# which build the app from the environment (central_server.app:app_from_env).
ENV_DATA_DIR = "CONSULTANT_CENTRAL_DATA_DIR"
ENV_DATABASE_URL = "CONSULTANT_CENTRAL_DATABASE_URL"
ENV_TOKEN_SECONDS = "CONSULTANT_CENTRAL_TOKEN_SECONDS"
ENV_ACCOUNT_FAILURES = "CONSULTANT_CENTRAL_LOGIN_ACCOUNT_FAILURES"
ENV_ADDRESS_FAILURES = "CONSULTANT_CENTRAL_LOGIN_ADDRESS_FAILURES"
ENV_FAILURE_WINDOW_SECONDS = "CONSULTANT_CENTRAL_LOGIN_WINDOW_SECONDS"
ENV_MAX_BODY_BYTES = "CONSULTANT_CENTRAL_MAX_BODY_BYTES"
ENV_MAX_ATTACHMENT_BYTES = "CONSULTANT_CENTRAL_MAX_ATTACHMENT_BYTES"
ENV_PUBLIC_URL = "CONSULTANT_CENTRAL_PUBLIC_URL"
ATTACHMENTS_DIR_NAME = "attachments"


def default_data_dir() -> Path:
    """The user's data folder for the server (``--data-dir`` or the variable usually say where)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("consultant-central", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Everything the app and the command line are configured with."""

    data_dir: Path
    database_url: str | None = None  # None: the SQLite file central.sqlite3 in data_dir
    token_lifetime: timedelta = timedelta(hours=12)
    account_failures: int = 5  # failed logins per account within the window before 429
    address_failures: int = 20  # failed logins per client address within the window before 429
    failure_window: timedelta = timedelta(minutes=15)
    max_body_bytes: int = 4 * 1024 * 1024  # request bodies (sync batches, attachment pieces)
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES  # a whole attachment file: the laptop's own limit
    public_url: str | None = None  # the address certificates' QR codes lead to; None: no certificate is issued

    def __post_init__(self) -> None:
        if self.public_url is not None:
            object.__setattr__(self, "public_url", checked_public_url(self.public_url))

    @property
    def attachments_dir(self) -> Path:
        """Where attachment files live (a folder every server shares, when there are several)."""
        return self.data_dir / ATTACHMENTS_DIR_NAME

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file when the database is one, else None."""
        url = self.url()
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return Path(url.database)

    def url(self) -> URL:
        """The database URL; the default SQLite file is built with URL.create so no path character is parsed."""
        if self.database_url:
            try:
                return make_url(self.database_url)
            except ArgumentError:
                # Not echoed: the URL may carry a password.
                raise AppError("데이터베이스 URL을 읽을 수 없습니다 (예: postgresql+psycopg://사용자:암호@호스트/DB).",
                               "The database URL cannot be parsed "
                               "(e.g. postgresql+psycopg://user:pass@host/db).") from None
        return URL.create("sqlite", database=str(self.data_dir / DATABASE_FILE_NAME))

    def to_env(self) -> dict[str, str]:
        """These settings as the environment variables ``from_env`` reads."""
        env = {ENV_DATA_DIR: str(self.data_dir),
               ENV_TOKEN_SECONDS: str(int(self.token_lifetime.total_seconds())),
               ENV_ACCOUNT_FAILURES: str(self.account_failures),
               ENV_ADDRESS_FAILURES: str(self.address_failures),
               ENV_FAILURE_WINDOW_SECONDS: str(int(self.failure_window.total_seconds())),
               ENV_MAX_BODY_BYTES: str(self.max_body_bytes),
               ENV_MAX_ATTACHMENT_BYTES: str(self.max_attachment_bytes)}
        if self.database_url:
            env[ENV_DATABASE_URL] = self.database_url
        if self.public_url:
            env[ENV_PUBLIC_URL] = self.public_url
        return env

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from the environment, then ``overrides`` (options given on the command line) on top."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if env.get(ENV_DATA_DIR):
            values["data_dir"] = Path(env[ENV_DATA_DIR]).expanduser()
        if env.get(ENV_DATABASE_URL):
            values["database_url"] = env[ENV_DATABASE_URL]
        if env.get(ENV_PUBLIC_URL):
            values["public_url"] = env[ENV_PUBLIC_URL]
        for name, key, convert in (("token_lifetime", ENV_TOKEN_SECONDS, _seconds),
                                   ("account_failures", ENV_ACCOUNT_FAILURES, _count),
                                   ("address_failures", ENV_ADDRESS_FAILURES, _count),
                                   ("failure_window", ENV_FAILURE_WINDOW_SECONDS, _seconds),
                                   ("max_body_bytes", ENV_MAX_BODY_BYTES, _count),
                                   ("max_attachment_bytes", ENV_MAX_ATTACHMENT_BYTES, _count)):
            if env.get(key):
                values[name] = convert(key, env[key])
        values.update({k: v for k, v in overrides.items() if v is not None})
        values.setdefault("data_dir", default_data_dir())
        settings = cls(**values)
        settings.url()  # a malformed URL is reported now, not at the first request
        return settings


def checked_public_url(value: str) -> str:
    """The public URL without a trailing slash; AppError unless it is a whole http(s) address with no query."""
    text = value.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and not (parts.query or parts.fragment)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        valid = False
    if not valid:
        raise AppError(f"공개 주소는 http:// 또는 https://로 시작하는 전체 주소여야 합니다 (예: https://iim.example.kr): {value!r}",
                       f"The public URL must be a whole address starting with http:// or https:// "
                       f"(e.g. https://iim.example.kr): {value!r}")
    return text


class BadSetting(AppError):
    """An environment variable holds a value the server cannot use."""

    def __init__(self, key: str, value: str):
        super().__init__(f"환경 변수 {key}의 값이 올바르지 않습니다 (1 이상의 정수): {value!r}",
                         f"The environment variable {key} must be a whole number of at least 1: {value!r}")


def _count(key: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise BadSetting(key, value) from None
    if number < 1:
        raise BadSetting(key, value)
    return number


def _seconds(key: str, value: str) -> timedelta:
    return timedelta(seconds=_count(key, value))
