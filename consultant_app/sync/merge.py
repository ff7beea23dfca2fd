"""When the office already holds a record this laptop created on its own (the same company, the same year of
it, the same KPI …), the laptop's copy is folded into the office's instead of blocking the pull.

The laptop's record never reached the office (its create was refused as a duplicate), so it exists here only.
Folding it: its children move to the office's record (folding in turn where the office has theirs too), its
waiting changes are replaced by one change against the office's record, and where the two disagree that change
is a conflict with both values, for a person to settle on the sync page. Nothing the consultant typed is lost.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection

from consultant_app.store.journal import UPDATE, Change, journal_rows
from consultant_app.store.models import BOOKKEEPING, SYNCED_TABLES, AuditEntry, OutboxOp, new_id, utc_now
from consultant_app.sync.wire import to_wire

REFUSED_FOR_PARENT = ("parent_not_found", "no_parent", "not_found")


@cache
def live_key(entity: str) -> tuple[str, ...]:
    """The columns no two live rows of ``entity`` may share (its partial unique index), or ()."""
    for index in SYNCED_TABLES[entity].__table__.indexes:
        if index.unique:
            return tuple(column.name for column in index.columns)
    return ()


@cache
def _children(entity: str) -> tuple[tuple[str, str], ...]:
    """(child entity, column) for every foreign key pointing at ``entity``."""
    target = SYNCED_TABLES[entity].__table__
    return tuple((child, column.name) for child, model in SYNCED_TABLES.items()
                 for column in model.__table__.columns for fk in column.foreign_keys if fk.column.table is target)


def local_twins(connection: Connection, entity: str, rows: list[dict[str, Any]]) -> dict[str, dict]:
    """For incoming office rows: the live local row with the same key but another id, made here and never
    received by the office (by incoming row id). One query, and none when nothing was created here."""
    key = live_key(entity)
    if not key:
        return {}
    table, outbox = SYNCED_TABLES[entity].__table__, OutboxOp.__table__
    made_here = select(outbox.c.row_id).where(outbox.c.entity == entity, outbox.c.action == "create")
    local = {tuple(r[c] for c in key): dict(r) for r in connection.execute(
        select(table).where(table.c.id.in_(made_here), table.c.deleted == False)).mappings()}  # noqa: E712
    if not local:
        return {}
    found = {}
    for row in rows:
        twin = local.get(tuple(row.get(c) for c in key))
        if twin is not None and twin["id"] != row["id"] and not row.get("deleted"):
            found[row["id"]] = twin
    return found


def _created_here(connection: Connection, entity: str, row_id: str) -> bool:
    outbox = OutboxOp.__table__
    return connection.execute(select(outbox.c.seq).where(outbox.c.entity == entity, outbox.c.row_id == row_id,
                                                         outbox.c.action == "create")).first() is not None


def fold(connection: Connection, entity: str, local: dict, office: dict[str, Any], *, actor: str,
         device_id: str) -> dict[str, Any]:
    """Fold the laptop's ``local`` row into the office's ``office`` row (stored values); returns this laptop's
    values of the fields the two disagree on, which the office's row shows here until a person settles them."""
    for child, column in _children(entity):
        table = SYNCED_TABLES[child].__table__
        for row in connection.execute(select(table).where(table.c[column] == local["id"])).mappings().all():
            moved = {**row, column: office["id"]}
            twin = _office_row(connection, child, moved)
            if twin is not None and _created_here(connection, child, row["id"]):
                keep = fold(connection, child, dict(row), twin, actor=actor, device_id=device_id)
                if keep:
                    connection.execute(update(table).where(table.c.id == twin["id"]).values(**keep))
            else:
                connection.execute(update(table).where(table.c.id == row["id"]).values({column: office["id"]}))
        _repoint_ops(connection, child, column, local["id"], office["id"])
    keep = _replace_ops(connection, entity, local, office, actor=actor, device_id=device_id)
    table = SYNCED_TABLES[entity].__table__
    connection.execute(delete(table).where(table.c.id == local["id"]))  # it never existed at the office
    return keep


def _office_row(connection: Connection, entity: str, row: dict) -> dict | None:
    """The live row holding ``row``'s key under another id (already here, from the office)."""
    key = live_key(entity)
    if not key:
        return None
    table = SYNCED_TABLES[entity].__table__
    found = connection.execute(select(table).where(and_(*(table.c[c] == row[c] for c in key)),
                                                   table.c.id != row["id"], table.c.deleted == False)  # noqa: E712
                               ).mappings().first()
    return dict(found) if found else None


def _repoint_ops(connection: Connection, entity: str, column: str, old_id: str, new_id_: str) -> None:
    """Waiting ops that name the folded parent name the office's; those refused for that parent go again."""
    outbox = OutboxOp.__table__
    for op in connection.execute(select(outbox).where(outbox.c.entity == entity)).mappings().all():
        changes = json.loads(op["changes"])
        if changes.get(column, [None, None])[1] != old_id:
            continue
        changes[column][1] = new_id_
        values: dict[str, Any] = {"changes": json.dumps(changes, ensure_ascii=False, sort_keys=True)}
        reason = json.loads(op["reason"]) if op["reason"] else None
        if op["status"] == "rejected" and isinstance(reason, dict) and reason.get("code") in REFUSED_FOR_PARENT:
            values.update(op_id=new_id(), status="pending", reason=None)  # the office keeps an op id's first answer
        connection.execute(update(outbox).where(outbox.c.seq == op["seq"]).values(**values))


def _replace_ops(connection: Connection, entity: str, local: dict, office: dict[str, Any], *, actor: str,
                 device_id: str) -> dict[str, Any]:
    """The folded row's own waiting ops become one change against the office's row (a conflict where they differ)."""
    outbox = OutboxOp.__table__
    connection.execute(delete(outbox).where(outbox.c.entity == entity, outbox.c.row_id == local["id"]))
    differing = {name: [to_wire(office[name]), to_wire(value)] for name, value in local.items()
                 if name not in BOOKKEEPING and name != "deleted" and name in office
                 and to_wire(value) != to_wire(office[name]) and name not in live_key(entity)}
    note = {"merged": local["id"], "into": office["id"]}
    audit, op = journal_rows(Change(entity, office["id"], UPDATE, differing or note, office.get("version") or 0),
                             actor=actor, device_id=device_id, now=utc_now())
    connection.execute(insert(AuditEntry).values(**{**audit, "changes": json.dumps(
        {"merged": note, "fields": differing}, ensure_ascii=False, sort_keys=True)}))
    if differing:
        conflicts = [{"field": name, "server_value": pair[0], "client_value": pair[1]}
                     for name, pair in differing.items()]
        connection.execute(insert(OutboxOp).values(**{**op, "status": "conflict",
                                                      "reason": json.dumps(conflicts, ensure_ascii=False)}))
    return {name: local[name] for name in differing}
