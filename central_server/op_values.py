"""A pushed op's values, checked before the server looks anything up with them or writes them.

The fields must be the laptop's, each value of its column's kind, a whole number within what the column holds
on both databases, text a database can keep (no control character, no lone surrogate) within its field's length.
Whatever a request carries, a number past 64 bits, a NUL, a megabyte of name, a float where a count goes, is
that op's rejection with its reason in Korean and English, never a server error that would undo its batch.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Column

from consultant_app.domain.messages import field_name
from consultant_app.domain.validation import Issue, Rule, check_text, unstorable_character
from consultant_app.store.models import BOOKKEEPING, SYNCED_TABLES
from consultant_app.sync.wire import Reason, _python_type, from_wire, user_fields

# Whole numbers as both databases hold them: amounts in won are BIGINT (64-bit), other counts INTEGER, which is
# 32-bit on PostgreSQL (SQLite would take 64 bits, but one rule holds on both).
INT64 = (-(2**63), 2**63 - 1)
INT32 = (-(2**31), 2**31 - 1)
_KIND_WORDS: dict[type, tuple[str, str]] = {
    int: ("정수", "a whole number"), float: ("숫자", "a number"), bool: ("참/거짓(true/false)", "true or false"),
    date: ("날짜(2026-03-02 형식)", "a date (like 2026-03-02)"), datetime: ("시각(ISO 8601)", "a timestamp (ISO 8601)"),
    str: ("글자", "text"),
}


class Rejected(Exception):
    """An op the server will not apply; carries the reason for the laptop's quarantine."""

    def __init__(self, code: str, ko: str, en: str):
        super().__init__(en)
        self.reason = Reason(code=code, ko=ko, en=en)


def invalid(issues: list[Issue]) -> Rejected:
    """The domain's own wording of broken rules, as a rejection."""
    return Rejected("invalid", " ".join(i.message("ko") for i in issues), " ".join(i.message("en") for i in issues))


def shown(text: str, limit: int = 40) -> str:
    """Text the request made up, fit to quote back: characters no answer can carry written as U+XXXX, cut short."""
    cut = text[:limit]
    return "".join(c if unstorable_character(c) is None else f"U+{ord(c):04X}" for c in cut) + \
        ("…" if len(text) > limit else "")


@cache
def _columns(entity: str) -> dict[str, tuple[Column, type]]:
    """Each user field's column and the Python type it holds, worked out once per table."""
    return {column.name: (column, _python_type(column.type)) for column in SYNCED_TABLES[entity].__table__.columns}


@cache
def required_fields(entity: str) -> tuple[str, ...]:
    """The user fields a stored row must hold a value in (NOT NULL columns)."""
    return tuple(name for name, (column, _) in _columns(entity).items()
                 if not column.nullable and name not in BOOKKEEPING)


def _int_range(column: Column) -> tuple[int, int]:
    return INT64 if isinstance(column.type, BigInteger) else INT32


def _wrong_kind(name: str, kind: type) -> Rejected:
    ko, en = _KIND_WORDS.get(kind, ("값", "a value"))
    return Rejected("bad_value", f"{field_name(name, 'ko')}의 값은 {ko}이어야 합니다.",
                    f"The value of {field_name(name, 'en')} must be {en}.")


def _out_of_range(name: str, low: int | None = None, high: int | None = None) -> Rejected:
    if low is None:
        return Rejected("out_of_range", f"{field_name(name, 'ko')}의 값은 유한한 숫자여야 합니다.",
                        f"The value of {field_name(name, 'en')} must be a finite number.")
    return Rejected("out_of_range", f"{field_name(name, 'ko')}의 값은 {low:,}부터 {high:,}까지의 정수여야 합니다.",
                    f"The value of {field_name(name, 'en')} must be a whole number from {low:,} to {high:,}.")


def _text_issues(name: str, column: Column, value: str) -> list[Issue]:
    """The domain's text rule, and the column's own length where it is shorter (a key, a digest)."""
    issues = check_text(value, name)
    length = getattr(column.type, "length", None)
    if not issues and length is not None and len(value) > length:
        issues = [Issue(Rule.TOO_LONG, name, {"length": len(value), "limit": length})]
    return issues


def new_values(entity: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The op's new values as the database stores them; Rejected for an unknown entity or field, a malformed
    ``[old, new]`` pair, a value of the wrong kind, a number out of range or text that breaks the text rule."""
    fields = user_fields(entity)
    if not fields:
        raise Rejected("unknown_entity", f"알 수 없는 종류의 기록입니다: {shown(entity)}",
                       f"Unknown kind of record: {shown(entity)}")
    unknown = sorted(shown(name) for name in set(changes) - fields)
    if unknown or any(not isinstance(pair, list) or len(pair) != 2 for pair in changes.values()):
        raise Rejected("bad_fields", f"알 수 없거나 형식이 잘못된 항목: {', '.join(unknown[:10]) or '[이전 값, 새 값]'}",
                       f"Unknown or malformed fields: {', '.join(unknown[:10]) or '[old, new] expected'}")
    columns = _columns(entity)
    wire = {name: pair[1] for name, pair in changes.items()}
    try:
        decoded = from_wire(entity, wire)  # all at once: a push decodes thousands of good values
    except (ValueError, TypeError, OverflowError):  # OverflowError: an integer past any float, where one goes
        raise _first_wrong(entity, wire) from None
    issues: list[Issue] = []
    for name, value in decoded.items():
        if value is None:
            continue
        column, kind = columns[name]
        if kind is int:
            low, high = _int_range(column)
            if not low <= value <= high:
                raise _out_of_range(name, low, high)
        elif kind is float and not math.isfinite(value):
            raise _out_of_range(name)
        elif kind is str:
            issues += _text_issues(name, column, value)
    if issues:
        raise invalid(issues)
    return decoded


def _first_wrong(entity: str, wire: dict[str, Any]) -> Rejected:
    """The rejection naming the first value that does not decode as its column's kind."""
    for name, value in wire.items():
        kind = _columns(entity)[name][1]
        try:
            from_wire(entity, {name: value})
        except (ValueError, TypeError, OverflowError):
            return _out_of_range(name) if kind is float and isinstance(value, int) else _wrong_kind(name, kind)
    return Rejected("bad_value", "값의 형식이 잘못되었습니다.", "A value of the wrong kind.")


def missing_required(entity: str, row: dict[str, Any]) -> None:
    """Rejected when the row as it would be stored leaves a field empty that no row may leave empty."""
    missing = [Issue(Rule.REQUIRED, name) for name in required_fields(entity) if row.get(name) is None]
    if missing:
        raise invalid(missing)
