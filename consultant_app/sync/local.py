"""The laptop's side of a sync, against its own store: ops to push, receipts to record, pulled pages to apply.

Pulled rows are not local changes: they write no outbox op (the office already has them). A field that has a
change of this laptop still waiting (pending, in conflict or rejected) keeps the laptop's value: the office
decides about it when the op arrives, or a person does.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from consultant_app.store.database import Store
from consultant_app.store.models import PULLED_TABLES, SYNCED_TABLES, Meta, OutboxOp
from consultant_app.sync.merge import fold, local_twins
from consultant_app.sync.wire import Op, PullPage, Receipt, from_wire, to_wire

CURSOR_KEY = "sync.cursor"
# The office's values of fields kept at this laptop's value (a change of them waits): if that change is
# discarded, the field takes the office's value, not the one it had before here. Key: prefix + entity/row id.
OFFICE_VALUES_PREFIX = "sync.office-values."
WAITING = ("pending", "conflict", "rejected")  # ops the office has not applied


def outgoing_ops(store: Store, *, limit: int) -> list[Op]:
    """The oldest ``limit`` pending ops, in the order they were made."""
    outbox = OutboxOp.__table__
    with store.engine.connect() as connection:
        rows = connection.execute(select(outbox).where(outbox.c.status == "pending")
                                  .order_by(outbox.c.seq).limit(limit)).mappings().all()
    return [Op(op_id=r["op_id"], entity=r["entity"], row_id=r["row_id"], action=r["action"],
               changes=json.loads(r["changes"]), base_version=r["base_version"], local_time=r["local_time"])
            for r in rows]


@dataclass
class ReceiptCounts:
    applied: int = 0
    conflict: int = 0
    rejected: int = 0


def record_receipts(store: Store, receipts: Iterable[Receipt]) -> ReceiptCounts:
    """In one transaction: applied ops leave the outbox and their row takes the office's version; conflicts and
    rejections stay, with what the office said, until a person resolves them."""
    outbox = OutboxOp.__table__
    counts = ReceiptCounts()
    applied: list[dict] = []
    versions: dict[str, list[dict]] = defaultdict(list)  # entity -> its rows' new versions
    with store.engine.begin() as connection:
        ops = {r["op_id"]: r for r in connection.execute(
            select(outbox.c.op_id, outbox.c.entity, outbox.c.row_id)).mappings()}
        for receipt in receipts:
            op = ops.get(receipt.op_id)
            if op is None:
                continue  # recorded by an earlier attempt whose reply was lost
            setattr(counts, receipt.status, getattr(counts, receipt.status) + 1)
            if receipt.status == "applied":
                applied.append({"_op_id": receipt.op_id})
                if receipt.version is not None and op["entity"] in SYNCED_TABLES:
                    versions[op["entity"]].append({"_id": op["row_id"], "_version": receipt.version})
            else:
                detail = [c.model_dump() for c in receipt.conflicts] if receipt.status == "conflict" \
                    else (receipt.reason.model_dump() if receipt.reason else None)
                connection.execute(update(outbox).where(outbox.c.op_id == receipt.op_id).values(
                    status=receipt.status, reason=json.dumps(detail, ensure_ascii=False)))
        # Hundreds of receipts a batch: one statement for all, run for each.
        if applied:
            connection.execute(delete(outbox).where(outbox.c.op_id == bindparam("_op_id")), applied)
        for entity, rows in versions.items():
            table = SYNCED_TABLES[entity].__table__
            connection.execute(update(table).where(table.c.id == bindparam("_id"),
                                                   table.c.version < bindparam("_version"))
                               .values(version=bindparam("_version")), rows)
    return counts


def cursor(store: Store) -> int:
    """Where the next pull starts: the last change sequence applied here."""
    value = store.meta(CURSOR_KEY)
    return int(value) if value else 0


def _protected_fields(connection: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """Fields of these rows that have a change of this laptop the office has not applied."""
    outbox = OutboxOp.__table__
    protected: dict[tuple[str, str], set[str]] = defaultdict(set)
    row_ids = sorted({row_id for _, row_id in keys})
    for start in range(0, len(row_ids), 500):
        for entity, row_id, changes in connection.execute(
                select(outbox.c.entity, outbox.c.row_id, outbox.c.changes)
                .where(outbox.c.status.in_(WAITING), outbox.c.row_id.in_(row_ids[start:start + 500]))):
            if (entity, row_id) in keys:
                protected[(entity, row_id)].update(json.loads(changes))
    return protected


def apply_pull_page(store: Store, page: PullPage) -> int:
    """Write a pulled page and its cursor in one transaction; returns how many rows it wrote."""
    by_entity: dict[str, list[dict]] = defaultdict(list)
    for pulled in page.rows:
        if pulled.entity in PULLED_TABLES:
            by_entity[pulled.entity].append(from_wire(pulled.entity, pulled.row))
    with store.engine.connect() as connection:
        # A page may bring a child before its parent (a parent changed later has a later sequence number and
        # comes on a later page): foreign keys are checked once the whole pull is in (check_pulled_links).
        driver = connection.connection.driver_connection  # outside any transaction, or SQLite ignores it
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                written = _write_rows(connection, by_entity, actor=store.actor, device_id=store.device_id)
                value = str(page.cursor)
                meta = Meta.__table__
                if connection.execute(select(meta.c.key).where(meta.c.key == CURSOR_KEY)).first():
                    connection.execute(update(meta).where(meta.c.key == CURSOR_KEY).values(value=value))
                else:
                    connection.execute(insert(meta).values(key=CURSOR_KEY, value=value))
        finally:
            driver.execute("PRAGMA foreign_keys=ON")
    return written


def office_values_key(entity: str, row_id: str) -> str:
    return f"{OFFICE_VALUES_PREFIX}{entity}/{row_id}"


def _keep_office_values(connection: Connection, kept: dict[str, dict], written: dict[str, set[str]]) -> None:
    """Remember the office's values of the fields kept here; forget those the pull wrote (then they agree)."""
    meta = Meta.__table__
    stored = {key: json.loads(value) for key, value in connection.execute(
        select(meta.c.key, meta.c.value).where(meta.c.key.startswith(OFFICE_VALUES_PREFIX)))}
    for key in set(kept) | (set(written) & set(stored)):
        values = {k: v for k, v in stored.get(key, {}).items() if k not in written.get(key, set())}
        values.update(kept.get(key, {}))
        connection.execute(delete(meta).where(meta.c.key == key))
        if values:
            connection.execute(insert(meta).values(key=key, value=json.dumps(values, ensure_ascii=False)))


def _write_rows(connection: Connection, by_entity: dict[str, list[dict]], *, actor: str, device_id: str) -> int:
    keys = {(entity, row["id"]) for entity, rows in by_entity.items() for row in rows}
    protected = _protected_fields(connection, keys)
    kept_office: dict[str, dict] = {}
    written_fields: dict[str, set[str]] = {}
    written = 0
    for entity, rows in by_entity.items():
        table = PULLED_TABLES[entity].__table__
        ids = [row["id"] for row in rows]
        present = set()
        for start in range(0, len(ids), 500):
            present.update(connection.execute(select(table.c.id).where(table.c.id.in_(ids[start:start + 500])))
                           .scalars())
        # Changed rows first: a record the office deleted and made again comes as a tombstone and a new row
        # with its key, and the tombstone must free the key before the new row takes it.
        for row in rows:
            if row["id"] in present:
                local_fields = protected.get((entity, row["id"]), set())
                values = {k: v for k, v in row.items() if k != "id" and k not in local_fields}
                connection.execute(update(table).where(table.c.id == row["id"]).values(**values))
                key = office_values_key(entity, row["id"])
                written_fields[key] = set(values)
                if local_fields:
                    kept_office[key] = {k: to_wire(row[k]) for k in local_fields if k in row}
        new = [row for row in rows if row["id"] not in present]
        shown_here = {}
        if entity in SYNCED_TABLES:
            by_id = {row["id"]: row for row in new}
            for office_id, twin in local_twins(connection, entity, new).items():
                shown_here[office_id] = fold(connection, entity, twin, by_id[office_id], actor=actor,
                                             device_id=device_id)
        if new:
            connection.execute(insert(table), new)
        for office_id, values in shown_here.items():
            if values:  # disagreeing fields show this laptop's values until a person settles the conflict
                connection.execute(update(table).where(table.c.id == office_id).values(**values))
        written += len(rows)
    _keep_office_values(connection, kept_office, written_fields)
    return written


def check_pulled_links(store: Store) -> list[tuple]:
    """Rows pointing at a parent this laptop does not have (none once a pull has finished)."""
    with store.engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
