"""A synced field's value as people type and read it, and back to the wire value an op carries."""

from __future__ import annotations

from datetime import date
from typing import Any

from consultant_app.domain.codes import label, parse_code
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.validation import Issue, Rule
from consultant_app.errors import AppError
from consultant_app.io.cells import (
    CellError,
    format_number,
    integer_parser,
    number_parser,
    parse_bool,
    parse_date,
    parse_text,
    parser_for,
)
from consultant_app.io.columns import SPECS, Column, Kind
from consultant_app.store.models import SYNCED_TABLES
from consultant_app.sync.labels import COLUMN_WORDS, REFERENCES
from consultant_app.sync.wire import _python_type, to_wire, user_fields

# Keys and file facts are chosen, never typed: a typed id or digest would point nowhere.
_NOT_TYPED = frozenset({"deleted", "sha256", "size_bytes", "media_type", *REFERENCES})


def editable_fields(entity: str) -> frozenset[str]:
    """The fields of ``entity`` a person may type a value for."""
    return user_fields(entity) - _NOT_TYPED


def _column(entity: str, name: str) -> Column | None:
    """The import column of this field, whose parser understands "1,234,000원", "2018.06.26" and Korean code words."""
    for spec in SPECS.values():
        for column in spec.columns:
            if column.table == entity and column.attr == name and column.kind is not Kind.TEXT:
                return column
    return None


def _parser(entity: str, name: str):
    column = _column(entity, name)
    if column is not None:
        return parser_for(column, default_catalogue())
    kind = _python_type(SYNCED_TABLES[entity].__table__.columns[name].type)
    return {int: integer_parser(()), float: number_parser(()), bool: parse_bool, date: parse_date}.get(kind, parse_text)


def _issue_error(issue: Issue) -> AppError:
    return AppError(issue.message("ko"), issue.message("en"))


def value_from_text(entity: str, name: str, text: str) -> Any:
    """What a person typed for ``entity.name`` as a wire value (None for an empty optional field); AppError,
    worded like the forms' messages, when it does not read as one."""
    if name not in editable_fields(entity):
        raise AppError(f"이 항목은 여기서 고칠 수 없습니다: {name}", f"This field cannot be edited here: {name}")
    word = COLUMN_WORDS.get(name, name)
    column = SYNCED_TABLES[entity].__table__.columns[name]
    text = (text or "").strip()
    if not text:
        if column.nullable:
            return None
        if _python_type(column.type) is str:
            return ""
        raise _issue_error(Issue(Rule.REQUIRED, word))
    try:
        return to_wire(_parser(entity, name)(text))
    except CellError as exc:
        raise _issue_error(Issue(exc.rule, word, {"value": text})) from None


def display_value(entity: str, name: str, value: Any, lang: str = "ko") -> str:
    """A wire value as people read it (and may type it again): 예/아니오, plain numbers, code words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("예" if value else "아니오")
    if isinstance(value, float):
        return format_number(value)
    column = _column(entity, name) if entity in SYNCED_TABLES else None
    if column is not None and column.kind in (Kind.CODE, Kind.CODES) and isinstance(value, str):
        words = []
        for code in value.split(";") if column.kind is Kind.CODES else [value]:
            member = parse_code(column.enum, code)
            words.append(label(member, lang) if member is not None else code)
        return ";".join(words)
    return str(value)
