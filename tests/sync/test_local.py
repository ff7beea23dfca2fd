"""The laptop's side of a sync on a real store: outgoing ops, receipts, pulled pages with their cursor."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlmodel import select

from consultant_app.services.companies import CompanyDraft, EngagementDraft, save_company, save_engagement
from consultant_app.store.models import Company, Engagement, OutboxOp
from consultant_app.sync.local import (
    apply_pull_page,
    check_pulled_links,
    cursor,
    outgoing_ops,
    record_receipts,
)
from consultant_app.sync.wire import FieldConflict, PulledRow, PullPage, Reason, Receipt

NUMBER = "1248100998"


def company_row(row_id: str, *, name: str = "원격정밀", version: int = 3, deleted: bool = False) -> dict:
    return {"id": row_id, "created_at": "2024-01-02T03:04:05+00:00", "updated_at": "2024-01-02T03:04:05+00:00",
            "version": version, "deleted": deleted, "business_no": "2208162517", "name": name,
            "representative": "박대표", "region": "부산", "industry": None, "manufacturing": True, "employees": 40,
            "supplier_tier": 2, "sponsor_id": None, "growth_stage": None}


def engagement_row(row_id: str, company_id: str) -> dict:
    return {"id": row_id, "created_at": "2024-01-02T03:04:05+00:00", "updated_at": "2024-01-02T03:04:05+00:00",
            "version": 1, "deleted": False, "company_id": company_id, "year": 2, "phase": 1, "field": None,
            "support_krw": 30_000_000, "start_date": "2024-02-01", "end_date": None, "status": "in_progress",
            "consultant": "이컨설"}


def test_outgoing_ops_are_the_pending_ones_in_the_order_made(store):
    company_id = save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀"))
    save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀(주)"), company_id=company_id)
    ops = outgoing_ops(store, limit=10)
    assert [(o.action, o.row_id) for o in ops] == [("create", company_id), ("update", company_id)]
    assert ops[1].changes == {"name": ["한빛정밀", "한빛정밀(주)"]}
    assert len(outgoing_ops(store, limit=1)) == 1


def test_receipts_clear_applied_ops_and_keep_conflicts_and_rejections_with_the_reason(store):
    company_id = save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀"))
    save_company(store, CompanyDraft(business_no=NUMBER, name="새이름"), company_id=company_id)
    save_company(store, CompanyDraft(business_no=NUMBER, name="새이름", region="울산"), company_id=company_id)
    create, rename, region = outgoing_ops(store, limit=10)
    counts = record_receipts(store, [
        Receipt(op_id=create.op_id, status="applied", version=1, seq=10),
        Receipt(op_id=rename.op_id, status="conflict",
                conflicts=[FieldConflict(field="name", server_value="본사이름", client_value="새이름")]),
        Receipt(op_id=region.op_id, status="rejected", reason=Reason(code="invalid", ko="잘못됨", en="invalid")),
        Receipt(op_id=str(uuid.uuid4()), status="applied", version=9),  # an earlier attempt's, already recorded
    ])
    assert (counts.applied, counts.conflict, counts.rejected) == (1, 1, 1)
    with store.session() as session:
        assert session.get(Company, company_id).version == 1
        left = {op.op_id: op for op in session.exec(select(OutboxOp))}
    assert create.op_id not in left
    assert left[rename.op_id].status == "conflict"
    assert json.loads(left[rename.op_id].reason)[0]["server_value"] == "본사이름"
    assert json.loads(left[region.op_id].reason)["code"] == "invalid"
    assert outgoing_ops(store, limit=10) == []  # neither is pushed again until a person resolves it


def test_a_pulled_page_writes_rows_and_cursor_together_and_no_outbox_op(store):
    parent, child = str(uuid.uuid4()), str(uuid.uuid4())
    # The child comes first: its parent was changed later, so it has a later sequence number.
    apply_pull_page(store, PullPage(rows=[PulledRow(entity="engagements", seq=5, row=engagement_row(child, parent))],
                                    cursor=5, more=True))
    assert cursor(store) == 5 and len(check_pulled_links(store)) == 1  # waiting for its company
    apply_pull_page(store, PullPage(rows=[PulledRow(entity="companies", seq=9, row=company_row(parent))],
                                    cursor=9, more=False))
    assert cursor(store) == 9 and check_pulled_links(store) == []
    with store.session() as session:
        company = session.get(Company, parent)
        engagement = session.get(Engagement, child)
        assert (company.name, company.version, engagement.year) == ("원격정밀", 3, 2)
        assert engagement.start_date.isoformat() == "2024-02-01"
        assert session.exec(select(OutboxOp)).all() == []


def test_a_field_with_a_waiting_local_change_keeps_the_laptops_value(store):
    company_id = save_company(store, CompanyDraft(business_no="2208162517", name="내가고친이름", region="부산"))
    pulled = company_row(company_id, name="본사이름", version=4) | {"region": "서울"}
    apply_pull_page(store, PullPage(rows=[PulledRow(entity="companies", seq=3, row=pulled)], cursor=3, more=False))
    with store.session() as session:
        company = session.get(Company, company_id)
    # the create op still waits, so every field it set keeps the laptop's value; the version is the office's
    assert (company.name, company.region, company.version) == ("내가고친이름", "부산", 4)


def test_a_bad_row_writes_nothing_and_leaves_the_cursor(store):
    good, bad = company_row(str(uuid.uuid4())), company_row(str(uuid.uuid4())) | {"employees": "many"}
    with pytest.raises(ValueError, match="employees"):
        apply_pull_page(store, PullPage(rows=[PulledRow(entity="companies", seq=1, row=good),
                                              PulledRow(entity="companies", seq=2, row=bad)], cursor=2, more=False))
    assert cursor(store) == 0
    with store.session() as session:
        assert session.exec(select(Company)).all() == []


def test_a_tombstone_arrives_as_a_deleted_row(store):
    row_id = str(uuid.uuid4())
    apply_pull_page(store, PullPage(rows=[PulledRow(entity="companies", seq=1, row=company_row(row_id))],
                                    cursor=1, more=False))
    apply_pull_page(store, PullPage(rows=[PulledRow(entity="companies", seq=2,
                                                    row=company_row(row_id, version=4, deleted=True))],
                                    cursor=2, more=False))
    with store.session() as session:
        assert session.get(Company, row_id).deleted is True


def test_an_engagement_saved_after_a_pull_journals_against_the_offices_version(store):
    company = str(uuid.uuid4())
    apply_pull_page(store, PullPage(rows=[PulledRow(entity="companies", seq=1, row=company_row(company))],
                                    cursor=1, more=False))
    save_engagement(store, EngagementDraft(year=1), company_id=company)
    save_company(store, CompanyDraft(business_no="2208162517", name="고친이름"), company_id=company)
    ops = outgoing_ops(store, limit=10)
    update = next(o for o in ops if o.entity == "companies")
    assert update.base_version == 3 and update.changes["name"] == ["원격정밀", "고친이름"]


def test_a_record_deleted_and_made_again_at_the_office_arrives_in_one_page(store):
    old, new = str(uuid.uuid4()), str(uuid.uuid4())
    apply_pull_page(store, PullPage(rows=[PulledRow(entity="companies", seq=1, row=company_row(old))],
                                    cursor=1, more=False))
    # the new row comes first in the page: the tombstone of the old one must still free the business number
    apply_pull_page(store, PullPage(rows=[PulledRow(entity="companies", seq=3, row=company_row(new)),
                                          PulledRow(entity="companies", seq=2,
                                                    row=company_row(old, version=2, deleted=True))],
                                    cursor=3, more=False))
    with store.session() as session:
        assert {(c.id, c.deleted) for c in session.exec(select(Company)).all()} == {(old, True), (new, False)}
