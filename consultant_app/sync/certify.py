"""Asking the central office to issue (or correct) an engagement's certificate, then fetching what it issued.

The office certifies its own records, so the laptop first syncs: what it sends is what gets certified, and what
it prints afterwards (from its own records) must show exactly the signed facts.
"""

from __future__ import annotations

import json

from sqlalchemy import select, update

from consultant_app.errors import AppError
from consultant_app.store.database import Store
from consultant_app.store.models import Company, Engagement, KpiMeasurement, OutboxOp, Outcome, new_id
from consultant_app.sync.client import CentralClient, SyncReport, sync
from consultant_app.sync.local import WAITING, record_receipts
from consultant_app.sync.wire import Op, Receipt

# The office's refusals, shown in its own words: 422 not eligible, 409 the office cannot issue now (no public URL).
REFUSALS = (409, 422)


class ChangesWaiting(AppError):
    """Changes of the engagement the office has not applied: it would certify something else."""

    def __init__(self, count: int, statuses: set[str]):
        listed = ", ".join(sorted(statuses))
        super().__init__(f"이 참여 기록에 중앙추진본부에 반영되지 않은 변경이 {count}건 있습니다 ({listed}). "
                         f"동기화 화면에서 먼저 해결하세요. 이미 발급된 확인서의 값을 고친 것이라면 정정 발급하세요 "
                         f"(확인서 탭의 '정정 발급', 또는 certificate issue --correct).",
                         f"This engagement has {count} change(s) the central office has not applied ({listed}). "
                         f"Resolve them on the sync page first; if they change an issued certificate's values, "
                         f"issue a corrected one (the certificate tab's correction button, or certificate issue "
                         f"--correct).")


def _engagement_rows(store: Store, engagement_id: str) -> set[str]:
    """The ids of the records the engagement's certificate is made of (sponsor, company, engagement, KPIs,
    outcome)."""
    engagements, companies = Engagement.__table__, Company.__table__
    with store.engine.connect() as connection:
        company_id, sponsor_id = connection.execute(
            select(companies.c.id, companies.c.sponsor_id).join(engagements, engagements.c.company_id == companies.c.id)
            .where(engagements.c.id == engagement_id)).one()
        ids = {engagement_id, company_id, sponsor_id} - {None}
        for model in (KpiMeasurement, Outcome):
            table = model.__table__
            ids.update(connection.execute(select(table.c.id).where(table.c.engagement_id == engagement_id)).scalars())
    return ids


def _waiting(store: Store, row_ids: set[str]) -> list[dict]:
    outbox = OutboxOp.__table__
    with store.engine.connect() as connection:
        rows = connection.execute(select(outbox).where(outbox.c.status.in_(WAITING)).order_by(outbox.c.seq)) \
            .mappings().all()
    return [dict(r) for r in rows if r["row_id"] in row_ids]


def _as_corrections(store: Store, ops: list[dict]) -> list[Op]:
    """The engagement's waiting ops, to send as a correction: a refused one under a new id (the office keeps
    the first answer of an id forever), saved before sending so a lost reply is answered from its receipt."""
    outbox = OutboxOp.__table__
    sent = []
    with store.engine.begin() as connection:
        for op in ops:
            op_id = op["op_id"]
            if op["status"] != "pending":
                op_id = new_id()
                connection.execute(update(outbox).where(outbox.c.seq == op["seq"])
                                   .values(op_id=op_id, status="pending", reason=None))
            sent.append(Op(op_id=op_id, entity=op["entity"], row_id=op["row_id"], action=op["action"],
                           changes=json.loads(op["changes"]), base_version=op["base_version"],
                           local_time=op["local_time"]))
    return sent


def issue_certificate(store: Store, client: CentralClient, engagement_id: str, *,
                      correct: bool = False) -> tuple[dict, SyncReport]:
    """Sync, have the office issue the engagement's certificate (or correct it), and sync again to fetch it."""
    rows = _engagement_rows(store, engagement_id)
    sync(store, client)
    waiting = _waiting(store, rows)
    if correct:
        ops = _as_corrections(store, waiting)
        response = client.request("POST", "/certificates/correct",
                                  json={"engagement_id": engagement_id, "device_id": store.device_id,
                                        "ops": [op.model_dump(mode="json") for op in ops]}, accept=REFUSALS)
        if response.status_code == 200:
            record_receipts(store, [Receipt.model_validate(r) for r in response.json()["receipts"]])
    else:
        if waiting:
            raise ChangesWaiting(len(waiting), {op["status"] for op in waiting})
        response = client.request("POST", "/certificates/issue", json={"engagement_id": engagement_id},
                                  accept=REFUSALS)
    if response.status_code in REFUSALS:
        detail = response.json()["detail"]
        raise AppError(detail["ko"], detail["en"])
    certificate = response.json()["certificate"] if correct else response.json()
    return certificate, sync(store, client)
