"""Where the login token is kept: the system's keyring, or, where there is none, a private file in the data folder."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

SERVICE = "consultant-app"
FALLBACK_FILE = "sync-token.json"
ACCOUNT_KEY = "sync.account"  # in the store's meta: the server account this laptop's data syncs with


@dataclass(frozen=True, slots=True)
class Saved:
    """Where a token went: ``"keyring"``, or the fallback file's path."""

    where: str
    in_keyring: bool


def _key(server: str, user: str) -> str:
    return f"{server.rstrip('/')}|{user}"


def _keyring():
    """The keyring module when a real backend is there (none on a headless Linux without a secret service)."""
    try:
        import keyring
        from keyring.backends.fail import Keyring as NoBackend
    except ImportError:
        return None
    return None if isinstance(keyring.get_keyring(), NoBackend) else keyring


def save_token(data_dir: Path, server: str, user: str, token: str) -> Saved:
    """Keep the token for (server, user)."""
    ring = _keyring()
    if ring is not None:
        try:
            ring.set_password(SERVICE, _key(server, user), token)
            return Saved("keyring", True)
        except Exception:  # noqa: BLE001 - a locked or broken keyring: the file below still works
            pass
    path = Path(data_dir) / FALLBACK_FILE
    tokens = _read_file(path)
    tokens[_key(server, user)] = token
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    # Readable by this user only, from the moment it exists.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(tokens, handle)
    os.replace(partial, path)
    return Saved(str(path), False)


def load_token(data_dir: Path, server: str, user: str) -> str | None:
    """The kept token for (server, user), or None."""
    ring = _keyring()
    if ring is not None:
        try:
            token = ring.get_password(SERVICE, _key(server, user))
        except Exception:  # noqa: BLE001
            token = None
        if token:
            return token
    return _read_file(Path(data_dir) / FALLBACK_FILE).get(_key(server, user))


def forget_token(data_dir: Path, server: str, user: str) -> None:
    """Drop a token the server no longer accepts."""
    ring = _keyring()
    if ring is not None:
        try:
            ring.delete_password(SERVICE, _key(server, user))
        except Exception:  # noqa: BLE001 - nothing kept there
            pass
    path = Path(data_dir) / FALLBACK_FILE
    tokens = _read_file(path)
    if tokens.pop(_key(server, user), None) is not None:
        path.write_text(json.dumps(tokens), encoding="utf-8")


def _read_file(path: Path) -> dict[str, str]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def account(server: str, user: str) -> str:
    """How the store remembers which account its data syncs with."""
    return _key(server, user)
