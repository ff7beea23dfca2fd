"""Settling the changes the central office did not apply: a conflict a person decides, a rejected change fixed,
sent again or discarded.

Each function is one transaction: the outbox, the local row and the audit log change together or not at all,
and a refused value writes nothing. A field that a later waiting change of the same record also touches keeps
its local value: that later change goes up after this one and is answered on its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from consultant_app.domain.kpi import default_catalogue
from consultant_app.errors import AppError
from consultant_app.report_text import table_label
from consultant_app.store.database import Store
from consultant_app.store.models import (
    SYNCED_TABLES,
    AuditEntry,
    Meta,
    OutboxOp,
    new_id,
    utc_now,
)
from consultant_app.sync.labels import REFERENCES, record_labels
from consultant_app.sync.local import WAITING, office_values_key
from consultant_app.sync.rules import row_errors
from consultant_app.sync.values import editable_fields
from consultant_app.sync.wire import FieldConflict, Reason, from_wire, to_wire

OUTBOX = OutboxOp.__table__
RESOLVED, FIXED, RETRIED, DISCARDED = "resolve_conflict", "fix_rejected", "retry_rejected", "discard_rejected"


@dataclass(frozen=True, slots=True)
class WaitingOp:
    """A change the office has not applied, with the record it is about as people name it."""

    seq: int
    op_id: str
    entity: str
    row_id: str
    action: str
    status: str  # pending | conflict | rejected
    changes: dict[str, list[Any]]  # {field: [old, new]}, wire values
    kind: str  # the kind of record (기업, 참여 …)
    label: str  # the record (한빛정밀 1차년도 · 불량률)
    local_time: datetime | None = None
    conflicts: tuple[FieldConflict, ...] = ()
    reason: Reason | None = None
    references: dict[str, str] = field(default_factory=dict)  # a referenced row's id → its label


@dataclass(frozen=True, slots=True)
class WaitingCounts:
    """How many waiting ops of each status."""

    pending: int = 0
    conflict: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.conflict + self.rejected


def waiting_counts(store: Store) -> WaitingCounts:
    """How many waiting ops of each status."""
    with store.engine.connect() as connection:
        found = dict(connection.execute(select(OUTBOX.c.status, func.count()).where(OUTBOX.c.status.in_(WAITING))
                                        .group_by(OUTBOX.c.status)).all())
    return WaitingCounts(**{status: found.get(status, 0) for status in WAITING})


def waiting_ops(store: Store, *, lang: str = "ko", pending_limit: int | None = None) -> list[WaitingOp]:
    """Conflicts and rejected ops first, then pending ones (at most ``pending_limit``), each in the order made."""
    settled = select(OUTBOX).where(OUTBOX.c.status.in_(("conflict", "rejected"))).order_by(OUTBOX.c.seq)
    pending = select(OUTBOX).where(OUTBOX.c.status == "pending").order_by(OUTBOX.c.seq).limit(pending_limit)
    with store.engine.connect() as connection:
        rows = [*connection.execute(settled).mappings(), *connection.execute(pending).mappings()]
        parsed = []
        for r in rows:
            changes = json.loads(r["changes"])
            conflicts = tuple(FieldConflict(**c) for c in json.loads(r["reason"] or "[]")) \
                if r["status"] == "conflict" else ()
            reason = Reason(**json.loads(r["reason"])) if r["status"] == "rejected" and r["reason"] else None
            parsed.append((r, changes, conflicts, reason, _referenced(changes, conflicts)))
        keys = {(r["entity"], r["row_id"]) for r in rows}.union(*(refs for *_, refs in parsed))
        labels = record_labels(connection, keys, lang)
    return [WaitingOp(r["seq"], r["op_id"], r["entity"], r["row_id"], r["action"], r["status"], changes,
                      table_label(r["entity"], lang), labels[(r["entity"], r["row_id"])], r["local_time"], conflicts,
                      reason, {row_id: labels[(entity, row_id)] for entity, row_id in refs})
            for r, changes, conflicts, reason, refs in parsed]


def _referenced(changes: dict[str, list], conflicts: tuple[FieldConflict, ...]) -> set[tuple[str, str]]:
    """The rows that an op's reference fields (a company's sponsor …) point at, old and new values alike."""
    values = [(name, v) for name, pair in changes.items() for v in pair]
    values += [(c.field, v) for c in conflicts for v in (c.server_value, c.client_value)]
    return {(REFERENCES[name], v) for name, v in values if name in REFERENCES and isinstance(v, str) and v}


# -- the pieces every settlement shares ------------------------------------------------------------------------

@contextmanager
def _unit(store: Store) -> Iterator[Connection]:
    """One write transaction; a broken key (a duplicate, a missing parent) becomes a clear error, nothing written."""
    try:
        with store.transaction() as session:
            yield session.connection()
    except IntegrityError as exc:
        raise AppError("같은 키(사업자등록번호, 차수, 지표 등)의 기록이 이미 있거나 상위 기록이 없어 저장하지 않았습니다.",
                       "Not saved: a record with the same key (business number, year, KPI …) is already there, "
                       "or its parent record is missing.") from exc


def _op(connection: Connection, op_id: str, status: str) -> RowMapping:
    op = connection.execute(select(OUTBOX).where(OUTBOX.c.op_id == op_id)).mappings().first()
    if op is None:
        raise AppError("이 변경은 더 이상 대기 중이 아닙니다 (이미 처리되었습니다).",
                       "This change is no longer waiting (it was already dealt with).")
    if op["status"] != status:
        words = {"pending": ("대기", "pending"), "conflict": ("충돌", "in conflict"), "rejected": ("거부", "rejected")}
        raise AppError(f"이 변경은 '{words[status][0]}' 상태가 아닙니다 (지금: {words[op['status']][0]}).",
                       f"This change is not {words[status][1]} (it is {words[op['status']][1]}).")
    return op


def _row(connection: Connection, entity: str, row_id: str) -> dict[str, Any]:
    table = SYNCED_TABLES[entity].__table__
    row = connection.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if row is None:
        raise AppError("이 변경의 기록이 이 컴퓨터에 없습니다. 변경을 버릴 수만 있습니다.",
                       "The record of this change is not on this computer; the change can only be discarded.")
    return dict(row)


def _later_fields(connection: Connection, op: RowMapping) -> set[str]:
    """Fields of the same record that a later waiting op changes."""
    later: set[str] = set()
    for (changes,) in connection.execute(select(OUTBOX.c.changes).where(
            OUTBOX.c.entity == op["entity"], OUTBOX.c.row_id == op["row_id"], OUTBOX.c.seq > op["seq"],
            OUTBOX.c.status.in_(WAITING))):
        later.update(json.loads(changes))
    return later


def _decoded(entity: str, values: dict[str, Any]) -> dict[str, Any]:
    try:
        return from_wire(entity, values)
    except ValueError as exc:
        raise AppError(f"값의 형식이 잘못되었습니다: {exc}", f"A value of the wrong kind: {exc}") from None


def _check(entity: str, row: dict[str, Any]) -> None:
    errors = row_errors(entity, row, default_catalogue())  # the laptop's catalogue in force (process-wide here)
    if errors:
        raise AppError("값이 규칙에 맞지 않아 아무것도 바꾸지 않았습니다: " + " ".join(i.message("ko") for i in errors),
                       "The values break the rules, so nothing was changed: " + " ".join(i.message("en") for i in errors))


def _check_editable(entity: str, fields: set[str]) -> None:
    wrong = sorted(fields - editable_fields(entity))
    if wrong:
        raise AppError(f"이 항목은 여기서 고칠 수 없습니다: {', '.join(wrong)}", f"These fields cannot be edited here: {', '.join(wrong)}")


def _write_row(connection: Connection, entity: str, row_id: str, values: dict[str, Any]) -> None:
    if values:
        table = SYNCED_TABLES[entity].__table__
        connection.execute(update(table).where(table.c.id == row_id).values(**values, updated_at=utc_now()))


def _audit(connection: Connection, store: Store, op: RowMapping, action: str, changes: dict[str, list]) -> None:
    connection.execute(insert(AuditEntry).values(
        at=utc_now(), actor=store.actor, device_id=store.device_id, entity=op["entity"], row_id=op["row_id"],
        action=action, changes=json.dumps(changes, ensure_ascii=False, sort_keys=True)))


def _requeue(connection: Connection, store: Store, op: RowMapping, changes: dict[str, list], **values: Any) -> str:
    """The op back to pending in its own slot (its place in the order) under a new id: the office keeps the first
    receipt of an op id for good, so the old id would only get the old answer again."""
    op_id = new_id()
    connection.execute(update(OUTBOX).where(OUTBOX.c.op_id == op["op_id"]).values(
        op_id=op_id, changes=json.dumps(changes, ensure_ascii=False, sort_keys=True), status="pending", reason=None,
        device_id=store.device_id, actor=store.actor, local_time=utc_now(), **values))
    return op_id


# -- conflicts ---------------------------------------------------------------------------------------------------

def resolve_conflict(store: Store, op_id: str, choices: dict[str, Any]) -> str:
    """Settle a conflict with the value chosen for each contested field (the server's, this laptop's or an edited
    one, as wire values); returns the id of the op that takes the choice to the office.

    The office already merged the op's other fields (a conflict receipt means only the contested ones were left
    alone), so the new op carries just the contested fields, from the server's value to the chosen one: the office
    applies it, and answers a choice of its own value as applied without a change.
    """
    with _unit(store) as connection:
        op = _op(connection, op_id, "conflict")
        entity = op["entity"]
        contested = {c["field"]: c for c in json.loads(op["reason"] or "[]")}
        if set(choices) != set(contested):
            missing = ", ".join(sorted(set(contested) - set(choices))) or "-"
            extra = ", ".join(sorted(set(choices) - set(contested))) or "-"
            raise AppError(f"충돌한 항목마다 값을 하나씩 골라야 합니다 (빠진 항목: {missing}, 충돌하지 않은 항목: {extra}).",
                           f"Choose one value for each contested field (missing: {missing}; not contested: {extra}).")
        chosen = _decoded(entity, choices)
        current = _row(connection, entity, op["row_id"])
        _check(entity, {**current, **chosen})
        later = _later_fields(connection, op)
        _write_row(connection, entity, op["row_id"], {k: v for k, v in chosen.items() if k not in later})
        changes = {name: [contested[name]["server_value"], to_wire(value)] for name, value in chosen.items()}
        # In the conflicted op's slot: a later change of the same field then goes up after the choice.
        new_op = _requeue(connection, store, op, changes, action="update", base_version=current["version"])
        _audit(connection, store, op, RESOLVED,
               {name: [to_wire(current[name]), to_wire(value)] for name, value in chosen.items()})
    return new_op


# -- rejected ops ------------------------------------------------------------------------------------------------

def fix_rejected(store: Store, op_id: str, new_values: dict[str, Any]) -> str:
    """Send a rejected op again with edited new values (wire values, by field); the local record takes them too.
    Returns the op's new id."""
    with _unit(store) as connection:
        op = _op(connection, op_id, "rejected")
        entity = op["entity"]
        _check_editable(entity, set(new_values))
        edited = _decoded(entity, new_values)
        current = _row(connection, entity, op["row_id"])
        _check(entity, {**current, **edited})
        changes = json.loads(op["changes"])
        for name, value in edited.items():
            old = changes[name][0] if name in changes else to_wire(current[name])
            changes[name] = [old, to_wire(value)]
        later = _later_fields(connection, op)
        _write_row(connection, entity, op["row_id"], {k: v for k, v in edited.items() if k not in later})
        new_op = _requeue(connection, store, op, changes)
        _audit(connection, store, op, FIXED,
               {name: [to_wire(current[name]), to_wire(value)] for name, value in edited.items()})
    return new_op


def retry_rejected(store: Store, op_id: str) -> str:
    """Send a rejected op again as it is (say once its parent was fixed); returns its new id."""
    with _unit(store) as connection:
        op = _op(connection, op_id, "rejected")
        new_op = _requeue(connection, store, op, json.loads(op["changes"]))
        _audit(connection, store, op, RETRIED, {})
    return new_op


def _dependents(connection: Connection, entity: str, row_id: str) -> list[tuple[str, str]]:
    """Local rows (tombstones too) whose reference points at this row."""
    target = SYNCED_TABLES[entity].__tablename__
    found = []
    for child, model in SYNCED_TABLES.items():
        table = model.__table__
        for column in table.columns:
            if any(fk.column.table.name == target for fk in column.foreign_keys):
                found += [(child, i) for i in connection.execute(select(table.c.id).where(column == row_id)).scalars()]
    return found


def _office_values(connection: Connection, entity: str, row_id: str) -> dict[str, Any]:
    meta = Meta.__table__
    value = connection.execute(select(meta.c.value).where(meta.c.key == office_values_key(entity, row_id))).scalar()
    return json.loads(value) if value else {}


def discard_rejected(store: Store, op_id: str) -> int:
    """Drop a rejected op and undo it here: its fields go back to their old values (those no later waiting op
    changed), a rejected new record is deleted with its other waiting ops. Returns how many ops were dropped."""
    with _unit(store) as connection:
        op = _op(connection, op_id, "rejected")
        entity, row_id = op["entity"], op["row_id"]
        table = SYNCED_TABLES[entity].__table__
        found = connection.execute(select(table).where(table.c.id == row_id)).mappings().first()
        current = dict(found) if found else None
        if op["action"] == "create":
            dependents = _dependents(connection, entity, row_id)
            if dependents:
                labels = record_labels(connection, dependents, "ko")
                labels_en = record_labels(connection, dependents, "en")
                names_ko = ", ".join(f"{table_label(e, 'ko')} {labels[(e, i)]}" for e, i in dependents)
                names_en = ", ".join(f"{table_label(e, 'en')} {labels_en[(e, i)]}" for e, i in dependents)
                raise AppError(f"이 기록에 딸린 기록이 있어 버릴 수 없습니다: {names_ko}. 그 기록의 변경을 먼저 버리세요.",
                               f"Other records belong to this one, so it cannot be discarded: {names_en}. "
                               f"Discard their changes first.")
            dropped = connection.execute(delete(OUTBOX).where(
                OUTBOX.c.entity == entity, OUTBOX.c.row_id == row_id, OUTBOX.c.status.in_(WAITING))).rowcount
            if current is not None:
                connection.execute(delete(table).where(table.c.id == row_id))
            _audit(connection, store, op, DISCARDED, {name: [to_wire(value), None] for name, value in
                                                     (current or {}).items() if name in json.loads(op["changes"])})
            return dropped
        later = _later_fields(connection, op)
        office = _office_values(connection, entity, row_id)  # what the office holds, if a pull told us
        restore = {name: office.get(name, pair[0]) for name, pair in json.loads(op["changes"]).items()
                   if name not in later}
        if current is not None and restore:
            _write_row(connection, entity, row_id, _decoded(entity, restore))
        connection.execute(delete(OUTBOX).where(OUTBOX.c.op_id == op_id))
        _audit(connection, store, op, DISCARDED,
               {name: [to_wire(current[name]) if current else None, old] for name, old in restore.items()})
    return 1
