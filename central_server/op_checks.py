"""What a pushed op may name, and what its rejection may say: shared rows, references, files and duplicate keys,
each judged within the user's scope, so that no answer tells what lies outside it.

A record outside one's scope answers exactly like one that is not there; a file one does not hold, exactly like
one the server never saw; a company another consultant has, only that the office must assign it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from central_server.blobs import BlobStore
from central_server.changes import company_of_rows
from central_server.op_values import Rejected
from central_server.possession import held_size
from central_server.users import User
from consultant_app.store.models import SYNCED_TABLES
from consultant_app.sync.wire import Op

# Reference data every consultant's records use: only supervisors and admins change it (the KPI catalogue is the
# office's own table, which no op can name at all).
SHARED = frozenset({"sponsors"})
PARENT_NOT_FOUND = ("parent_not_found", "상위 기록이 서버에 없습니다 (먼저 거부되었거나 삭제됨).",
                    "The parent record is not on the server (rejected earlier, or deleted).")
Visible = Callable[[str | None], bool]  # whether the user may see the company of that id


def op_digest(op: Op) -> str:
    """SHA-256 of what an op asks for (entity, row, action, changes, base version): an op id answered again only
    for the same content. Escaped to ASCII, so any text a request carries has one spelling."""
    content = [op.entity, op.row_id, op.action, op.changes, op.base_version]
    text = json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def check_shared(user: User, entity: str, current: dict | None, writes: dict, conflicting: bool) -> None:
    """A consultant may add a sponsor, and point their own company at any, but never change one that exists."""
    if entity in SHARED and current is not None and not user.sees_everything and (writes or conflicting):
        raise Rejected("shared_read_only",
                       "후원기업 같은 공용 기준 자료는 감독자와 관리자만 바꾸거나 지울 수 있습니다. 새 후원기업을 만들거나 "
                       "기업에 다른 후원기업을 지정하세요.",
                       "Shared reference data such as sponsors is changed or deleted only by a supervisor or an "
                       "admin. Create a new sponsor, or point the company at another one.")


@cache
def _exists(entity: str):
    table = SYNCED_TABLES[entity].__table__
    return select(table.c.id).where(table.c.id == bindparam("id"))


def check_references(connection: Connection, visible: Visible, writes: dict[str, Any]) -> None:
    """A company's sponsor must be on the server (sponsors are everyone's), an attachment's visit one the user may
    see: a dangling reference would fail the whole batch at commit, and another's visit must look missing."""
    sponsor_id = writes.get("sponsor_id")
    if sponsor_id is not None and connection.execute(_exists("sponsors"), {"id": sponsor_id}).first() is None:
        raise Rejected(*PARENT_NOT_FOUND)
    visit_id = writes.get("visit_id")
    if visit_id is not None:
        try:
            company_id = company_of_rows(connection, "visits", [visit_id])[visit_id]
        except LookupError:
            raise Rejected(*PARENT_NOT_FOUND) from None
        if not visible(company_id):
            raise Rejected(*PARENT_NOT_FOUND)


@cache
def _company_by_number():
    companies = SYNCED_TABLES["companies"].__table__
    return select(companies.c.id).where(companies.c.business_no == bindparam("number"),
                                        companies.c.id != bindparam("id"), companies.c.deleted == False)  # noqa: E712


def check_company_number(connection: Connection, visible: Visible, row: dict[str, Any]) -> None:
    """A business number another live company holds: named a duplicate within one's scope; outside it, only that
    the company is in the programme already and the office must assign it (never whose, or under what name)."""
    if row.get("deleted"):
        return  # a tombstone holds no key
    owner = connection.execute(_company_by_number(), {"number": row["business_no"], "id": row["id"]}).scalar()
    if owner is None:
        return
    if visible(owner):
        raise Rejected("duplicate", "같은 사업자등록번호의 기업이 이미 있습니다 (볼 수 있는 기업 가운데).",
                       "A company with this business registration number is already on the server, among the "
                       "companies you may see.")
    raise Rejected("company_in_programme",
                   "이 사업자등록번호의 기업은 이미 산업혁신운동에 등록되어 있습니다. 이 기업을 맡으려면 중앙추진본부에 "
                   "배정을 요청하세요.",
                   "A company with this business registration number is already in the programme. To work on it, "
                   "ask the central office to assign it to you.")


def check_attachment(connection: Connection, blobs: BlobStore, user: User, row: dict[str, Any]) -> None:
    """An attachment record names a file the server has whole and the user holds (proof of possession); a file
    they do not hold answers like one the server never saw, whatever its size."""
    if row.get("deleted"):
        return
    size = held_size(connection, blobs, user, row["sha256"] or "")
    if size is None:
        raise Rejected("attachment_missing",
                       f"첨부 파일이 서버에 없습니다: {row['file_name']} (파일을 먼저 보내야 합니다).",
                       f"The attachment's file is not on the server: {row['file_name']} (send the file first).")
    if size != row["size_bytes"]:
        raise Rejected("attachment_size", f"첨부 파일의 크기가 기록과 다릅니다: {row['file_name']}",
                       f"The attachment's file is not the size its record says: {row['file_name']}")


def visible_engagement(connection: Connection, visible: Visible, engagement_id: str) -> bool:
    """Whether the engagement is one the user may see (a certificate's, before its number is quoted)."""
    try:
        return visible(company_of_rows(connection, "engagements", [engagement_id])[engagement_id])
    except LookupError:
        return False
