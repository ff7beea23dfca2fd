"""The sync wire format, one schema for laptop and central office: pushed ops, their receipts, pulled pages."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from consultant_app.store.models import BOOKKEEPING, PULLED_TABLES, SYNCED_TABLES

MAX_OPS_PER_PUSH = 1000
MAX_ROWS_PER_PULL = 2000
OpAction = Literal["create", "update", "delete"]
OpStatus = Literal["applied", "conflict", "rejected"]
# Ids a laptop makes (UUIDs, device ids): plain characters only, so no id can carry what a database or a JSON
# answer cannot hold (a NUL, a lone surrogate) into a receipt. Their op's values are checked op by op instead.
SAFE_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"


class Op(BaseModel):
    """One journalled change: the changed fields as [old, new], made against ``base_version`` of the row."""

    model_config = ConfigDict(extra="forbid")

    op_id: str = Field(min_length=1, max_length=36, pattern=SAFE_ID)
    entity: str = Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$")
    row_id: str = Field(min_length=1, max_length=36, pattern=SAFE_ID)
    action: OpAction
    # Values of any shape: a malformed one is its own op's rejection on the server, not the whole batch's 422.
    changes: dict[str, Any]
    base_version: int = Field(ge=0, le=2**63 - 1)
    local_time: datetime | None = None  # shown to people only: order never depends on a laptop's clock


class PushRequest(BaseModel):
    """A batch of ops from one device, in the order they were made."""

    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(min_length=1, max_length=36, pattern=SAFE_ID)
    ops: list[Op] = Field(max_length=MAX_OPS_PER_PUSH)


class Reason(BaseModel):
    """Why an op was rejected, for people, in both languages; ``code`` for programs."""

    code: str
    ko: str
    en: str


class FieldConflict(BaseModel):
    """The same field changed on both sides: both values kept, a person chooses."""

    field: str
    server_value: Any
    client_value: Any


class Receipt(BaseModel):
    """What the central office did with one op; a replayed op gets the same receipt again."""

    op_id: str
    status: OpStatus
    version: int | None = None  # the row's version after the op (applied)
    seq: int | None = None  # the change sequence the op was given (applied)
    conflicts: list[FieldConflict] = []
    reason: Reason | None = None


class PushResponse(BaseModel):
    receipts: list[Receipt]
    server_id: str | None = None  # the server's identity (None from a server older than the ids)


class PulledRow(BaseModel):
    """A row's whole current state on the server (tombstones included), at change sequence ``seq``."""

    entity: str
    seq: int
    row: dict[str, Any]


class PullPage(BaseModel):
    """Rows changed after the cursor, in sequence order; ``cursor`` is where the next page starts."""

    rows: list[PulledRow]
    cursor: int
    more: bool
    server_id: str | None = None  # the server's identity (None from a server older than the ids)


def user_fields(entity: str) -> frozenset[str]:
    """The fields an op may change in ``entity`` (its columns less the bookkeeping ones); empty when unknown."""
    model = SYNCED_TABLES.get(entity)
    if model is None:
        return frozenset()
    return frozenset(c.name for c in model.__table__.columns) - BOOKKEEPING


def to_wire(value: Any) -> Any:
    """A stored value as JSON: dates and timestamps as ISO text."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def from_wire(entity: str, values: dict[str, Any]) -> dict[str, Any]:
    """JSON values of ``entity``'s columns as the database stores them (ISO text back to dates and timestamps);
    ValueError naming the field for a value of the wrong kind."""
    kinds = _column_kinds(entity)
    decoded = {}
    for name, value in values.items():
        kind = kinds.get(name)
        if kind is None:
            raise ValueError(f"{entity} has no field {name!r}")
        decoded[name] = _decode(kind, value, name)
    return decoded


@cache
def _column_kinds(entity: str) -> dict[str, type]:
    """Each column's Python type, worked out once per table (a pull decodes thousands of rows)."""
    return {column.name: _python_type(column.type) for column in PULLED_TABLES[entity].__table__.columns}


def _python_type(column_type: Any) -> type:
    """The Python type a column holds; SQLModel's own types (AutoString, UTCDateTime) answer ``object`` and
    tell it through the type they decorate."""
    kind = column_type.python_type
    if kind is object and hasattr(column_type, "impl_instance"):
        kind = column_type.impl_instance.python_type
    return kind


def _decode(kind: type, value: Any, name: str) -> Any:
    if value is None:
        return None
    try:
        if kind is datetime:
            return datetime.fromisoformat(value) if isinstance(value, str) else _wrong(value)
        if kind is date:
            return date.fromisoformat(value) if isinstance(value, str) else _wrong(value)
        if kind is bool:
            return value if isinstance(value, bool) else _wrong(value)
        if kind is int:
            return value if isinstance(value, int) and not isinstance(value, bool) else _wrong(value)
        if kind is float:
            return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else _wrong(value)
        if kind is str:
            return value if isinstance(value, str) else _wrong(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: {exc}") from None
    return value


def _wrong(value: Any):
    raise TypeError(f"a value of the wrong kind: {value!r}")
