"""The change journal: every change to a synced row writes one audit entry and one outbox op, in its transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from consultant_app.domain.validation import ValidationFailed, text_issues
from consultant_app.store.models import BOOKKEEPING, AuditEntry, OutboxOp, Synced, new_id, utc_now

CREATE, UPDATE, DELETE = "create", "update", "delete"


class HardDeleteRefused(RuntimeError):
    """Synced rows are tombstoned, never deleted, so the deletion can reach the other side."""


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one row: changed fields with [old, new] values."""

    entity: str
    row_id: str
    action: str
    changes: dict[str, list[Any]]
    base_version: int


def to_json_value(value: Any) -> Any:
    """Dates and timestamps as ISO text; everything else as it is."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def row_changes_for_create(values: dict[str, Any]) -> dict[str, list[Any]]:
    """A new row: every user field from None to its value."""
    return {k: [None, to_json_value(v)] for k, v in values.items() if k not in BOOKKEEPING}


def journal_rows(change: Change, *, actor: str, device_id: str, now: datetime) -> tuple[dict, dict]:
    """The audit row and the outbox row that record ``change``."""
    payload = json.dumps(change.changes, ensure_ascii=False, sort_keys=True)
    audit = {"at": now, "actor": actor, "device_id": device_id, "entity": change.entity,
             "row_id": change.row_id, "action": change.action, "changes": payload}
    op = {"op_id": new_id(), "entity": change.entity, "row_id": change.row_id, "action": change.action,
          "changes": payload, "base_version": change.base_version, "device_id": device_id,
          "actor": actor, "local_time": now, "status": "pending", "reason": None}
    return audit, op


def write_changes(connection: Connection, changes: Iterable[Change], *, actor: str, device_id: str) -> int:
    """Insert the audit and outbox rows for ``changes`` in the caller's transaction; returns how many."""
    now = utc_now()
    rows = [journal_rows(c, actor=actor, device_id=device_id, now=now) for c in changes]
    if rows:
        connection.execute(insert(AuditEntry), [audit for audit, _ in rows])
        connection.execute(insert(OutboxOp), [op for _, op in rows])
    return len(rows)


def _stored_values(session: Session, obj: Synced, keys: list[str]) -> dict[str, Any]:
    if not keys:
        return {}
    table = obj.__table__
    row = session.connection().execute(
        select(*(table.c[key] for key in keys)).where(table.c.id == obj.id)).one_or_none()
    return dict(zip(keys, row)) if row is not None else {}


def _change_of(session: Session, obj: Synced, *, is_new: bool) -> Change | None:
    state = inspect(obj)
    table = obj.__tablename__
    if is_new:
        values = {attr.key: getattr(obj, attr.key) for attr in state.mapper.column_attrs}
        return Change(table, obj.id, CREATE, row_changes_for_create(values), obj.version)
    histories = {attr.key: state.attrs[attr.key].history for attr in state.mapper.column_attrs
                 if attr.key not in BOOKKEEPING}
    histories = {key: h for key, h in histories.items() if h.has_changes()}
    # A value set on an expired attribute (after a rollback, expire() or refresh()) has no old value in
    # memory: read the stored one, or the journal would say "None → new".
    stored = _stored_values(session, obj, [key for key, h in histories.items() if h.added and not h.deleted])
    changed: dict[str, list[Any]] = {}
    for key, history in histories.items():
        old = history.deleted[0] if history.deleted else stored.get(key)
        new = history.added[0] if history.added else None
        if old != new:
            changed[key] = [to_json_value(old), to_json_value(new)]
    if not changed:
        return None
    action = DELETE if changed.get("deleted") == [False, True] else UPDATE
    return Change(table, obj.id, action, changed, obj.version)


def _refuse_unstorable_text(changes: list[Change]) -> None:
    """Raise ValidationFailed when a change writes text no worksheet or database can keep (or too long for its
    field): the services check what people type, this catches every other way a value gets in."""
    issues = [issue for change in changes
              for issue in text_issues({name: new for name, (_, new) in change.changes.items()})]
    if issues:
        raise ValidationFailed(issues)


def _journal_before_flush(session: Session, _flush_context, _instances) -> None:
    """Turn the ORM objects about to be written into journal entries, stamping ``updated_at``."""
    if session.info.get("journal_disabled"):
        return
    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise HardDeleteRefused(f"{obj.__tablename__} {obj.id}: set deleted=True instead")
    changes = []
    now = utc_now()
    for obj in session.new:
        if isinstance(obj, Synced):
            obj.created_at = obj.updated_at = now
            changes.append(_change_of(session, obj, is_new=True))
    for obj in session.dirty:
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            change = _change_of(session, obj, is_new=False)
            if change:
                obj.updated_at = now
                changes.append(change)
    _refuse_unstorable_text(changes)
    actor, device_id = session.info["actor"], session.info["device_id"]
    for change in changes:
        audit, op = journal_rows(change, actor=actor, device_id=device_id, now=now)
        session.add_all([AuditEntry(**audit), OutboxOp(**op)])


def install(session_class: type[Session]) -> None:
    """Journal every flush of sessions of ``session_class``."""
    if not event.contains(session_class, "before_flush", _journal_before_flush):
        event.listen(session_class, "before_flush", _journal_before_flush)
