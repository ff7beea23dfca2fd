"""Applying pushed ops: each exactly once, merged field by field, checked by the domain's rules, in scope.

For each op, in its own savepoint so one bad op never undoes or blocks the others:
1. a replayed op id returns the receipt it got the first time, if it comes with the same content (an op id is
   an idempotency key: its content is digested with the receipt, and other content under it is refused);
2. the entity and fields must be the laptop's, the values of the right kind, in range and storable
   (``op_values``);
3. the row must be one the user may see (another consultant's answers as if it did not exist), and so must what
   it names: its parent, its visit, its file (``op_checks``); shared rows change only by supervisors and admins;
4. each changed field merges by value: the server still holds the op's old value → applied; it already holds the
   new value → nothing to do; it holds a third value → a conflict, both values kept, the field left as it is;
5. the row as it would be stored must keep the domain's rules (and the live-unique keys);
6. the change takes the next number of the change sequence (``record_changes``), and the receipt is stored in the
   same transaction, so a reply lost after the commit is answered again from the receipt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError, IntegrityError

from central_server.blobs import BlobStore
from central_server.catalogue import catalogue_in_force
from central_server.changes import company_of_rows, record_changes, restamp_children
from central_server.issuing import certified_engagement_ids, certified_engagements, changed_certificates
from central_server.op_checks import (
    PARENT_NOT_FOUND,
    check_attachment,
    check_company_number,
    check_references,
    check_shared,
    op_digest,
    visible_engagement,
)
from central_server.op_values import Rejected, missing_required, new_values, shown
from central_server.schema import assignments, op_receipts
from central_server.scope import assigned_company_ids
from central_server.users import User
from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.validation import Rule
from consultant_app.store.journal import CREATE, DELETE, UPDATE, Change
from consultant_app.store.models import SYNCED_TABLES, row_defaults, utc_now
from consultant_app.sync.rules import row_errors
from consultant_app.sync.wire import FieldConflict, Op, Reason, Receipt, to_wire

__all__ = ["Batch", "Corrections", "Rejected", "apply_op", "open_batch"]

NOT_FOUND = ("not_found", "서버에 없는 기록이거나 볼 수 없는 기록입니다.", "No such record on the server, or not one you may see.")


# Built once per table, with bound parameters: a push runs them op by op.
@cache
def _select_row(entity: str):
    table = SYNCED_TABLES[entity].__table__
    return select(table).where(table.c.id == bindparam("id"))


@cache
def _insert_row(entity: str):
    return insert(SYNCED_TABLES[entity].__table__)


def _row(connection: Connection, entity: str, row_id: str) -> dict | None:
    found = connection.execute(_select_row(entity), {"id": row_id}).mappings().first()
    return dict(found) if found else None


def _visible(batch: Batch, company_id: str | None) -> bool:
    return batch.visible is None or company_id is None or company_id in batch.visible


def _parent_company(connection: Connection, entity: str, values: dict[str, Any]) -> str | None:
    """The company a new row will belong to, from its parent; Rejected when the parent is not there (or hidden)."""
    if entity == "sponsors":
        return None
    if entity == "companies":
        return None  # a new company: the pushing consultant gets it
    parent_entity, key = ("companies", "company_id") if entity == "engagements" else ("engagements", "engagement_id")
    parent_id = values.get(key)
    if not parent_id:
        raise Rejected("no_parent", "상위 기록이 지정되지 않았습니다.", "The record names no parent record.")
    try:
        return company_of_rows(connection, parent_entity, [parent_id])[parent_id]
    except LookupError:
        raise Rejected(*PARENT_NOT_FOUND) from None


def _check_rules(entity: str, row: dict[str, Any], catalogue: KpiCatalogue) -> None:
    """The domain's rules on the row as it would be stored (the laptop checks the same before it settles a
    conflict); errors reject the op, warnings never do."""
    errors = row_errors(entity, row, catalogue)
    if any(issue.rule is Rule.UNKNOWN_KPI for issue in errors):
        code = shown(str(row["kpi_code"]), 60)
        raise Rejected("unknown_kpi", f"지표 목록에 없는 KPI입니다: {code}", f"No such KPI in the catalogue: {code}")
    if errors:
        raise Rejected("invalid", " ".join(i.message("ko") for i in errors), " ".join(i.message("en") for i in errors))


def _merge(current: dict[str, Any] | None, op: Op, new_values: dict[str, Any]) -> tuple[dict, list[FieldConflict]]:
    """The fields to write, and the conflicts: a field changed here since the op's old value, to a third value."""
    if current is None:
        return dict(new_values), []
    writes, conflicts = {}, []
    for name, new in new_values.items():
        server = to_wire(current[name])
        old = op.changes[name][0] if len(op.changes[name]) == 2 else None
        if server == to_wire(new):
            continue  # both sides agree already (a replay, or the same edit made twice)
        if server == old:
            writes[name] = new
        else:
            conflicts.append(FieldConflict(field=name, server_value=server, client_value=to_wire(new)))
    return writes, conflicts


@dataclass
class Corrections:
    """Engagements whose certified facts the ops may change (a correction), and those they did change."""

    allowed: frozenset[str] = frozenset()
    changed: dict[str, dict] = field(default_factory=dict)  # engagement id -> its certificate until now


@dataclass
class Batch:
    """What every op of one push shares, looked up once rather than op by op."""

    blobs: BlobStore
    certified: set[str]  # engagements with a valid certificate
    receipts: dict[str, tuple[str, str, str | None]]  # op id -> (user id, receipt JSON, op digest) of ops answered
    visible: set[str] | None  # the companies the user may see (None: every one)
    catalogue: KpiCatalogue  # the one in force in this database: KPIs are judged by it
    corrections: Corrections | None = None


def open_batch(connection: Connection, user: User, ops: list[Op], *, blobs: BlobStore,
               corrections: Corrections | None = None) -> Batch:
    """The receipts of these op ids, the user's companies and the certified engagements, each in one query."""
    receipts: dict[str, tuple[str, str, str | None]] = {}
    op_ids = list(dict.fromkeys(op.op_id for op in ops))
    for start in range(0, len(op_ids), 500):
        receipts.update((op_id, (user_id, receipt, digest)) for op_id, user_id, receipt, digest in connection.execute(
            select(op_receipts.c.op_id, op_receipts.c.user_id, op_receipts.c.receipt, op_receipts.c.digest)
            .where(op_receipts.c.op_id.in_(op_ids[start:start + 500]))))
    visible = None if user.sees_everything else set(connection.execute(assigned_company_ids(user)).scalars())
    return Batch(blobs=blobs, certified=certified_engagement_ids(connection), receipts=receipts, visible=visible,
                 catalogue=catalogue_in_force(connection), corrections=corrections)


def _check_certified(connection: Connection, op: Op, before: dict | None, batch: Batch) -> None:
    """Refuse a change to what a valid certificate certifies, unless it is an allowed correction."""
    if not batch.certified:
        return  # no certificate stands: nothing is locked
    if op.entity in ("kpi_measurements", "outcomes", "engagements"):
        key = "id" if op.entity == "engagements" else "engagement_id"
        named = {r.get(key) for r in (before, {"id": op.row_id, **{k: v[1] for k, v in op.changes.items()}}) if r}
        if not named & batch.certified:
            return  # the row feeds no certified engagement, before or after the change
    after = _row(connection, op.entity, op.row_id)
    engagements = certified_engagements(connection, op.entity, [r for r in (before, after) if r])
    corrections = batch.corrections
    for certificate in changed_certificates(connection, engagements, batch.catalogue):
        if corrections is None or certificate["engagement_id"] not in corrections.allowed:
            if not visible_engagement(connection, lambda c: _visible(batch, c), certificate["engagement_id"]):
                # Another consultant's certificate: its number is theirs to know.
                raise Rejected("certified_locked", "발급된 확인서에 확인된 값이라 바꿀 수 없습니다.",
                               "An issued certificate certifies this value, so it cannot change.")
            number = f"{certificate['number']} v{certificate['version']}"
            raise Rejected("certified_locked",
                           f"발급된 확인서 {number}에 확인된 값이라 바꿀 수 없습니다. 고치려면 정정 발급을 하세요 "
                           f"(consultant-app certificate issue 사업자등록번호 차수 --correct).",
                           f"Certificate {number} certifies this value, so it cannot change. To correct it, issue a "
                           f"corrected certificate (consultant-app certificate issue BUSINESS_NO YEAR --correct).")
        corrections.changed[certificate["engagement_id"]] = certificate


OP_ID_TAKEN = Reason(code="op_id_taken", ko="이 변경 번호는 다른 사용자가 이미 썼습니다.",
                     en="Another user already used this op id.")
OP_ID_REUSED = Reason(code="op_id_reused",
                      ko="이 변경 번호는 이미 다른 내용의 변경에 쓰였습니다. 같은 번호로는 처음 보낸 내용만 받습니다.",
                      en="This op id was already used for a change with other content; an op id is answered only "
                         "for the content it first came with.")
BAD_VALUE = Reason(code="bad_value", ko="저장할 수 없는 값이 있습니다 (NUL 문자나 범위를 넘는 숫자 등).",
                   en="A value cannot be stored (a NUL character, a number out of range, …).")
DUPLICATE = Reason(code="duplicate", ko="같은 키(사업자등록번호, 차수, 지표 등)의 기록이 서버에 이미 있습니다.",
                   en="A record with the same key (business number, year, KPI …) is already on the server.")


def apply_op(connection: Connection, user: User, device_id: str, op: Op, batch: Batch) -> Receipt:
    """Apply one op in a savepoint; its receipt is stored with it, and with the digest of its content."""
    digest = op_digest(op)
    stored = batch.receipts.get(op.op_id)
    if stored is not None:
        user_id, receipt_json, stored_digest = stored
        if user_id != user.id:
            return Receipt(op_id=op.op_id, status="rejected", reason=OP_ID_TAKEN)
        if stored_digest is not None and stored_digest != digest:
            return Receipt(op_id=op.op_id, status="rejected", reason=OP_ID_REUSED)  # the first answer stays
        return Receipt.model_validate_json(receipt_json)
    savepoint = connection.begin_nested()
    try:
        receipt = _apply(connection, user, op, batch)
    except Rejected as rejected:
        savepoint.rollback()
        receipt = Receipt(op_id=op.op_id, status="rejected", reason=rejected.reason)
    except (DataError, OverflowError, UnicodeError):
        # The checks of op_values keep such values from the database; should one get through, it is still this
        # op's rejection, not its batch's failure.
        savepoint.rollback()
        receipt = Receipt(op_id=op.op_id, status="rejected", reason=BAD_VALUE)
    except IntegrityError:
        savepoint.rollback()
        receipt = Receipt(op_id=op.op_id, status="rejected", reason=DUPLICATE)
    else:
        savepoint.commit()
    stored_json = receipt.model_dump_json()
    connection.execute(op_receipts.insert(), {"op_id": op.op_id, "user_id": user.id, "device_id": device_id,
                                              "at": utc_now(), "receipt": stored_json, "digest": digest})
    batch.receipts[op.op_id] = (user.id, stored_json, digest)  # the same op twice in one batch: answered from this
    return receipt


def _check_row(connection: Connection, user: User, op: Op, batch: Batch, row: dict[str, Any], writes: dict) -> None:
    """The row as it would be stored: its required fields, the domain's rules, the keys and the file it names."""
    missing_required(op.entity, row)
    _check_rules(op.entity, row, batch.catalogue)
    if op.entity == "companies" and "business_no" in writes:
        check_company_number(connection, lambda c: _visible(batch, c), row)
    if op.entity == "attachments" and {"sha256", "size_bytes", "deleted"} & writes.keys():
        check_attachment(connection, batch.blobs, user, row)


def _apply(connection: Connection, user: User, op: Op, batch: Batch) -> Receipt:
    values = new_values(op.entity, op.changes)  # before any lookup: a hostile value never reaches the database
    current = _row(connection, op.entity, op.row_id)
    if current is None:
        if op.action != CREATE:
            raise Rejected(*NOT_FOUND)
        company_id = _parent_company(connection, op.entity, values)
        if not _visible(batch, company_id):
            raise Rejected(*PARENT_NOT_FOUND)
    else:
        company_id = company_of_rows(connection, op.entity, [op.row_id])[op.row_id]
        if not _visible(batch, company_id):
            raise Rejected(*NOT_FOUND)
    writes, conflicts = _merge(current, op, values)
    check_shared(user, op.entity, current, writes, bool(conflicts))
    if current is not None and op.entity != "companies" and {"company_id", "engagement_id"} & writes.keys():
        # Moved to another parent: one the user may see, like a new row's.
        if not _visible(batch, _parent_company(connection, op.entity, {**current, **writes})):
            raise Rejected(*PARENT_NOT_FOUND)
    check_references(connection, lambda c: _visible(batch, c), writes)
    table = SYNCED_TABLES[op.entity].__table__
    now = utc_now()
    if current is None:
        row = {**row_defaults(SYNCED_TABLES[op.entity]), **writes, "id": op.row_id, "created_at": now,
               "updated_at": now, "version": 0, "deleted": bool(writes.get("deleted", False))}
        _check_row(connection, user, op, batch, row, row)
        connection.execute(_insert_row(op.entity), row)
        if op.entity == "companies" and not user.sees_everything:
            connection.execute(assignments.insert(), {"user_id": user.id, "company_id": op.row_id, "assigned_at": now})
            batch.visible.add(op.row_id)
    elif writes:
        _check_row(connection, user, op, batch, {**current, **writes}, writes)
        connection.execute(update(table).where(table.c.id == op.row_id).values(**writes, updated_at=now))
    if current is None or writes:
        _check_certified(connection, op, current, batch)
        action = CREATE if current is None else (DELETE if writes.get("deleted") is True else UPDATE)
        changes = {name: [to_wire(current[name]) if current else None, to_wire(value)] for name, value in writes.items()}
        # The row's company is known unless the op moved it to another parent (then it is looked up again).
        moved = {"company_id", "engagement_id"} & writes.keys() and current is not None
        known = {} if moved else {(op.entity, op.row_id): op.row_id if op.entity == "companies" else company_id}
        seq = record_changes(connection, [Change(op.entity, op.row_id, action, changes, op.base_version)],
                             actor=user.username, known_companies=known)
        if op.entity == "engagements" and moved:
            restamp_children(connection, op.row_id, writes["company_id"])
        version = (current["version"] if current else 0) + 1
    else:
        seq, version = None, current["version"]
    if conflicts:
        return Receipt(op_id=op.op_id, status="conflict", version=version, seq=seq, conflicts=conflicts)
    return Receipt(op_id=op.op_id, status="applied", version=version, seq=seq)
