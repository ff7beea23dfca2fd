"""Settling what the office did not apply, on a real store: conflicts, fixed, retried and discarded rejections."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from consultant_app.errors import AppError
from consultant_app.services.companies import (
    CompanyDraft,
    EngagementDraft,
    save_company,
    save_engagement,
)
from consultant_app.services.kpis import KpiEntry, save_kpis
from consultant_app.store.models import AuditEntry, Company, Engagement, OutboxOp
from consultant_app.sync.local import outgoing_ops, record_receipts
from consultant_app.sync.resolve import (
    discard_rejected,
    fix_rejected,
    resolve_conflict,
    retry_rejected,
    waiting_counts,
    waiting_ops,
)
from consultant_app.sync.values import display_value, value_from_text
from consultant_app.sync.wire import FieldConflict, Reason, Receipt

NUMBER = "1248100998"
BAD = Reason(code="invalid", ko="잘못된 값", en="a wrong value")


def outbox(store) -> list[OutboxOp]:
    with store.session() as session:
        return list(session.exec(select(OutboxOp).order_by(OutboxOp.seq)))


def company(store, company_id) -> Company:
    with store.session() as session:
        return session.get(Company, company_id)


def audit(store, action: str) -> list[AuditEntry]:
    with store.session() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)))


def snapshot(store):
    """Everything a settlement may touch: the outbox, the companies and engagements, and the audit log."""
    with store.session() as session:
        return ([o.model_dump() for o in session.exec(select(OutboxOp).order_by(OutboxOp.seq))],
                [c.model_dump() for c in session.exec(select(Company).order_by(Company.id))],
                [e.model_dump() for e in session.exec(select(Engagement).order_by(Engagement.id))],
                len(session.exec(select(AuditEntry)).all()))


def applied(store, *ops) -> None:
    record_receipts(store, [Receipt(op_id=op.op_id, status="applied", version=1) for op in ops])


@pytest.fixture
def synced_company(store) -> str:
    """A company the office already has (its create applied)."""
    company_id = save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀", region="경기"))
    applied(store, *outgoing_ops(store, limit=10))
    return company_id


def conflicted(store, company_id, **fields) -> OutboxOp:
    """An edit of the company that the office answered with a conflict on ``fields`` ({field: server value})."""
    draft = CompanyDraft(business_no=NUMBER, name="한빛정밀(주)", region="부산")
    save_company(store, draft, company_id=company_id)
    op = outgoing_ops(store, limit=100)[-1]
    record_receipts(store, [Receipt(op_id=op.op_id, status="conflict", conflicts=[
        FieldConflict(field=name, server_value=value, client_value=json.loads(_changes(store, op.op_id))[name][1])
        for name, value in fields.items()])])
    return next(o for o in outbox(store) if o.op_id == op.op_id)


def _changes(store, op_id) -> str:
    return next(o.changes for o in outbox(store) if o.op_id == op_id)


def rejected_create(store, **values) -> tuple[str, OutboxOp]:
    """A company saved without the forms' checks (say by an older version), which the office rejected."""
    with store.transaction() as session:
        row = Company(business_no=values.pop("business_no", "1234567890"), name=values.pop("name", "번호틀림"), **values)
        session.add(row)
    [op] = [o for o in outgoing_ops(store, limit=50) if o.row_id == row.id]
    record_receipts(store, [Receipt(op_id=op.op_id, status="rejected", reason=BAD)])
    return row.id, next(o for o in outbox(store) if o.op_id == op.op_id)


def test_waiting_ops_name_each_record_and_carry_what_the_office_said(store, synced_company):
    engagement_id = save_engagement(store, EngagementDraft(year=2, phase=1), company_id=synced_company)
    save_kpis(store, engagement_id, entries=[KpiEntry(code="defect_rate", baseline=2.9, target=2.0, post=1.7)])
    op = conflicted(store, synced_company, name="본사이름")
    bad_id, _ = rejected_create(store)
    ops = waiting_ops(store)
    assert [o.status for o in ops[:2]] == ["conflict", "rejected"]  # what needs a person first
    assert ops[0].label == "한빛정밀(주)" and ops[0].kind == "기업" and ops[0].op_id == op.op_id
    assert ops[0].conflicts == (FieldConflict(field="name", server_value="본사이름", client_value="한빛정밀(주)"),)
    assert ops[1].reason == BAD and ops[1].label == "번호틀림" and ops[1].row_id == bad_id
    labels = {o.label for o in ops if o.status == "pending"}
    assert {"한빛정밀(주) 2차년도", "한빛정밀(주) 2차년도 · 공정불량률"} <= labels
    assert [o.label for o in waiting_ops(store, lang="en") if o.entity == "engagements"] == ["한빛정밀(주) year 2"]
    counts = waiting_counts(store)
    assert (counts.pending, counts.conflict, counts.rejected) == (len(ops) - 2, 1, 1)
    assert len(waiting_ops(store, pending_limit=1)) == 3


def test_a_sponsor_reference_is_named_not_shown_as_a_key(store, synced_company):
    save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀", region="경기", sponsor="대성자동차"),
                 company_id=synced_company)
    [op] = [o for o in waiting_ops(store) if o.entity == "companies"]
    sponsor_id = op.changes["sponsor_id"][1]
    assert op.references == {sponsor_id: "대성자동차"}


def test_resolving_keeps_the_slot_sends_server_to_chosen_and_writes_the_row(store, synced_company):
    op = conflicted(store, synced_company, name="본사이름", region="울산")
    new_id = resolve_conflict(store, op.op_id, {"name": "한빛정밀 최종", "region": "울산"})
    [again] = outbox(store)
    assert (again.seq, again.op_id, again.status, again.reason) == (op.seq, new_id, "pending", None)
    assert new_id != op.op_id
    # old = the server's value, so the office applies it; the server's own value comes back as a no-op
    assert json.loads(again.changes) == {"name": ["본사이름", "한빛정밀 최종"], "region": ["울산", "울산"]}
    row = company(store, synced_company)
    assert (row.name, row.region) == ("한빛정밀 최종", "울산")
    [entry] = audit(store, "resolve_conflict")
    assert json.loads(entry.changes) == {"name": ["한빛정밀(주)", "한빛정밀 최종"], "region": ["부산", "울산"]}
    assert entry.actor == "tester"


def test_choosing_mine_keeps_the_laptops_value(store, synced_company):
    op = conflicted(store, synced_company, name="본사이름")
    resolve_conflict(store, op.op_id, {"name": "한빛정밀(주)"})
    assert json.loads(outbox(store)[0].changes) == {"name": ["본사이름", "한빛정밀(주)"]}
    assert company(store, synced_company).name == "한빛정밀(주)"


def test_a_field_a_later_change_touches_keeps_its_local_value(store, synced_company):
    op = conflicted(store, synced_company, name="본사이름")
    save_company(store, CompanyDraft(business_no=NUMBER, name="나중이름", region="부산"), company_id=synced_company)
    resolve_conflict(store, op.op_id, {"name": "본사이름"})
    assert company(store, synced_company).name == "나중이름"
    first, later = outbox(store)
    assert json.loads(first.changes) == {"name": ["본사이름", "본사이름"]} and first.seq < later.seq


@pytest.mark.parametrize("choices", [{"name": ""}, {"name": 5}, {}, {"name": "x", "region": "y"}])
def test_a_bad_or_incomplete_choice_is_refused_and_nothing_changes(store, synced_company, choices):
    op = conflicted(store, synced_company, name="본사이름")
    before = snapshot(store)
    with pytest.raises(AppError) as refused:
        resolve_conflict(store, op.op_id, choices)
    assert refused.value.ko and refused.value.en and refused.value.ko != refused.value.en
    assert snapshot(store) == before


def test_a_choice_that_breaks_a_live_unique_key_is_refused(store, synced_company):
    save_company(store, CompanyDraft(business_no="2208162517", name="다른회사"))
    save_company(store, CompanyDraft(business_no="1018147874", name="한빛정밀", region="경기"), company_id=synced_company)
    op = outbox(store)[-1]
    record_receipts(store, [Receipt(op_id=op.op_id, status="conflict", conflicts=[
        FieldConflict(field="business_no", server_value="1234567891", client_value="1018147874")])])
    before = snapshot(store)
    with pytest.raises(AppError) as refused:
        resolve_conflict(store, op.op_id, {"business_no": "2208162517"})
    assert "같은 키" in refused.value.ko
    assert snapshot(store) == before


def test_fixing_a_rejected_op_requeues_it_in_place_with_a_new_id(store):
    row_id, op = rejected_create(store)
    later = save_company(store, CompanyDraft(business_no="2208162517", name="다음회사"))
    new_id = fix_rejected(store, op.op_id, {"business_no": NUMBER})
    fixed = next(o for o in outbox(store) if o.seq == op.seq)
    assert (fixed.op_id, fixed.status, fixed.reason) == (new_id, "pending", None) and new_id != op.op_id
    assert json.loads(fixed.changes)["business_no"] == [None, NUMBER]
    assert company(store, row_id).business_no == NUMBER
    assert [o.row_id for o in outgoing_ops(store, limit=10)] == [row_id, later]  # the order kept
    [entry] = audit(store, "fix_rejected")
    assert json.loads(entry.changes) == {"business_no": ["1234567890", NUMBER]}


def test_a_bad_fix_is_refused_with_the_rule_and_nothing_changes(store):
    _, op = rejected_create(store)
    before = snapshot(store)
    with pytest.raises(AppError) as refused:
        fix_rejected(store, op.op_id, {"business_no": "1234567892"})
    assert "검증번호" in refused.value.ko and "check digit" in refused.value.en
    with pytest.raises(AppError):
        fix_rejected(store, op.op_id, {"sponsor_id": "x"})  # a key is chosen, never typed
    assert snapshot(store) == before


def test_retry_sends_the_same_values_under_a_new_id(store):
    _, op = rejected_create(store)
    new_id = retry_rejected(store, op.op_id)
    [again] = outbox(store)
    assert (again.seq, again.op_id, again.status, again.changes) == (op.seq, new_id, "pending", op.changes)
    assert len(audit(store, "retry_rejected")) == 1
    with pytest.raises(AppError):
        retry_rejected(store, op.op_id)  # the old id is gone


def test_discarding_a_rejected_update_restores_the_old_values_but_not_later_ones(store, synced_company):
    save_company(store, CompanyDraft(business_no=NUMBER, name="새이름", region="부산"), company_id=synced_company)
    [op] = outgoing_ops(store, limit=10)
    record_receipts(store, [Receipt(op_id=op.op_id, status="rejected", reason=BAD)])
    save_company(store, CompanyDraft(business_no=NUMBER, name="새이름", region="울산"), company_id=synced_company)
    assert discard_rejected(store, op.op_id) == 1
    row = company(store, synced_company)
    assert (row.name, row.region) == ("한빛정밀", "울산")  # the region has a later change of its own
    assert [json.loads(o.changes) for o in outbox(store)] == [{"region": ["부산", "울산"]}]
    [entry] = audit(store, "discard_rejected")
    assert json.loads(entry.changes) == {"name": ["새이름", "한빛정밀"]}


def test_discarding_a_rejected_create_deletes_the_row_but_never_under_its_children(store):
    row_id, op = rejected_create(store)
    engagement_id = save_engagement(store, EngagementDraft(year=1), company_id=row_id)
    [child] = [o for o in outgoing_ops(store, limit=10) if o.row_id == engagement_id]
    record_receipts(store, [Receipt(op_id=child.op_id, status="rejected", reason=BAD)])
    before = snapshot(store)
    with pytest.raises(AppError) as refused:
        discard_rejected(store, op.op_id)
    assert "참여 번호틀림 1차년도" in refused.value.ko and "engagements 번호틀림 year 1" in refused.value.en
    assert snapshot(store) == before
    assert discard_rejected(store, child.op_id) == 1
    save_company(store, CompanyDraft(business_no="2208162517", name="번호틀림"), company_id=row_id)  # a later edit
    assert discard_rejected(store, op.op_id) == 2  # the create and the later edit of a row that goes
    assert company(store, row_id) is None and outbox(store) == []
    assert len(audit(store, "discard_rejected")) == 2


def test_only_an_op_in_the_right_state_is_settled(store, synced_company):
    save_company(store, CompanyDraft(business_no=NUMBER, name="새이름"), company_id=synced_company)
    [op] = outgoing_ops(store, limit=10)
    for settle in (lambda: resolve_conflict(store, op.op_id, {}), lambda: fix_rejected(store, op.op_id, {}),
                   lambda: retry_rejected(store, op.op_id), lambda: discard_rejected(store, op.op_id)):
        with pytest.raises(AppError):
            settle()
    assert outbox(store)[0].status == "pending"


def test_typed_text_reads_as_the_forms_read_it():
    assert value_from_text("engagements", "support_krw", "30,000,000원") == 30_000_000
    assert value_from_text("engagements", "start_date", "2024.03.05") == "2024-03-05"
    assert value_from_text("companies", "manufacturing", "예") is True
    assert value_from_text("companies", "business_no", "124-81-00998") == NUMBER
    assert value_from_text("companies", "growth_stage", "") is None
    assert value_from_text("engagements", "field", "생산성") == "productivity"
    assert display_value("engagements", "field", "productivity", "ko") == "생산성"
    assert display_value("companies", "manufacturing", False, "en") == "no"
    with pytest.raises(AppError) as wrong:
        value_from_text("companies", "employees", "마흔")
    assert "종업원 수" in wrong.value.ko and "employees" in wrong.value.en
    with pytest.raises(AppError):
        value_from_text("engagements", "year", "")
    with pytest.raises(AppError):
        value_from_text("companies", "sponsor_id", "x")
