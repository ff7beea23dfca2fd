"""Password hashing with Argon2id (argon2-cffi), re-hashed when the parameters change."""

from __future__ import annotations

import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from consultant_app.errors import AppError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # longer inputs are refused before hashing: hashing cost is the server's, not theirs

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's current recommended parameters


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``, with its parameters and salt encoded in the string."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; a malformed hash simply does not match."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with other parameters than the current ones (re-hash at the next login)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_nobody(password: str) -> bool:
    """Spend the time of a real verification for a user who does not exist, so timing does not tell; False."""
    verify_password(_dummy_hash(), password)
    return False


def check_new_password(password: str) -> str:
    """The password, or an error saying why it cannot be used."""
    if not password:
        raise AppError("비밀번호가 비어 있습니다. 표준 입력의 첫 줄로 주세요.",
                       "The password is empty. Give it as the first line of standard input.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AppError(f"비밀번호가 너무 짧습니다: {MIN_PASSWORD_LENGTH}자 이상이어야 합니다.",
                       f"The password is too short: it needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AppError(f"비밀번호가 너무 깁니다: {MAX_PASSWORD_LENGTH}자 이하여야 합니다.",
                       f"The password is too long: at most {MAX_PASSWORD_LENGTH} characters.")
    return password
