"""The change journal: one audit row and one outbox op per change, in the change's own transaction."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from consultant_app.store.journal import CREATE, DELETE, UPDATE, Change, HardDeleteRefused, write_changes
from consultant_app.store.models import (
    SYNCED_TABLES,
    AuditEntry,
    Company,
    Engagement,
    KpiMeasurement,
    Meta,
    OutboxOp,
    Sponsor,
)
from consultant_app.store.queries import pending_changes
from tests.store.rows import count, full_graph, journal_counts


def _journal(store, row_id: str) -> tuple[list[AuditEntry], list[OutboxOp]]:
    with store.session() as db:
        audits = db.exec(select(AuditEntry).where(AuditEntry.row_id == row_id).order_by(AuditEntry.id)).all()
        ops = db.exec(select(OutboxOp).where(OutboxOp.row_id == row_id).order_by(OutboxOp.seq)).all()
    return list(audits), list(ops)


def _company(store, **values) -> Company:
    company = Company(**{"business_no": "1248100998", "name": "대명정밀", **values})
    with store.transaction() as db:
        db.add(company)
    return company


def _nothing_written(store) -> bool:
    with store.session() as db:
        return all(count(db, model) == 0 for model in SYNCED_TABLES.values()) and journal_counts(db) == (0, 0)


def test_create_writes_one_audit_and_one_outbox_row_with_every_field(store):
    company = _company(store, region="경남", employees=45, manufacturing=True)
    (audit,), (op,) = _journal(store, company.id)
    for entry in (audit, op):
        assert (entry.entity, entry.row_id, entry.action) == ("companies", company.id, CREATE)
        assert (entry.actor, entry.device_id) == ("tester", store.device_id)
    changes = json.loads(op.changes)
    assert json.loads(audit.changes) == changes
    assert changes["name"] == [None, "대명정밀"]
    assert changes["region"] == [None, "경남"]
    assert changes["employees"] == [None, 45]
    assert changes["manufacturing"] == [None, True]
    assert not {"id", "created_at", "updated_at", "version"} & set(changes)
    assert (op.base_version, op.status, op.reason) == (0, "pending", None)
    assert op.local_time == audit.at


def test_update_records_only_the_changed_fields_old_and_new(store):
    company = _company(store, region="경남", employees=45)
    with store.transaction() as db:
        row = db.get(Company, company.id)
        row.region, row.employees, row.name = "경남 창원", 52, "대명정밀"  # name set to the same value
    audits, ops = _journal(store, company.id)
    assert [a.action for a in audits] == [CREATE, UPDATE] and [o.action for o in ops] == [CREATE, UPDATE]
    assert json.loads(ops[1].changes) == {"region": ["경남", "경남 창원"], "employees": [45, 52]}
    assert json.loads(audits[1].changes) == json.loads(ops[1].changes)
    assert (ops[1].entity, ops[1].actor, ops[1].device_id) == ("companies", "tester", store.device_id)


def test_update_of_an_expired_row_records_the_stored_old_value(store):
    company = _company(store, region="경남")
    with store.transaction() as db:
        row = db.get(Company, company.id)
        db.expire(row)  # as after a rollback or refresh: the old value is no longer in memory
        row.region = "부산"
    _, ops = _journal(store, company.id)
    assert json.loads(ops[-1].changes) == {"region": ["경남", "부산"]}


def test_after_a_rollback_setting_the_stored_value_again_writes_nothing(store):
    company = _company(store, region="경남")
    db = store.session()
    try:
        row = db.get(Company, company.id)
        row.region = "서울"
        db.rollback()          # expires the row; the file still says 경남
        row.region = "경남"
        db.commit()
    finally:
        db.close()
    _, ops = _journal(store, company.id)
    assert [o.action for o in ops] == [CREATE]


def test_update_base_version_is_the_rows_version(store):
    company = _company(store)
    with store.transaction() as db:
        db.get(Company, company.id).version = 7  # as a pull from the server would leave it
    with store.transaction() as db:
        db.get(Company, company.id).name = "대명정밀(주)"
    _, ops = _journal(store, company.id)
    assert ops[-1].base_version == 7 and json.loads(ops[-1].changes) == {"name": ["대명정밀", "대명정밀(주)"]}


def test_dates_in_the_journal_are_iso_text(store):
    company = Company(business_no="1248100998", name="대명정밀")
    engagement = Engagement(company_id=company.id, year=1, start_date=date(2018, 3, 1))
    with store.transaction() as db:
        db.add_all([company, engagement])
    with store.transaction() as db:
        db.get(Engagement, engagement.id).start_date = date(2018, 4, 2)
    _, ops = _journal(store, engagement.id)
    assert json.loads(ops[0].changes)["start_date"] == [None, "2018-03-01"]
    assert json.loads(ops[1].changes) == {"start_date": ["2018-03-01", "2018-04-02"]}


def test_tombstone_is_a_delete_op_and_keeps_the_row(store):
    company = _company(store)
    with store.transaction() as db:
        db.get(Company, company.id).deleted = True
    audits, ops = _journal(store, company.id)
    assert [o.action for o in ops] == [CREATE, DELETE] and [a.action for a in audits] == [CREATE, DELETE]
    assert json.loads(ops[1].changes) == {"deleted": [False, True]}
    with store.session() as db:
        assert db.get(Company, company.id).deleted is True


def test_every_synced_table_is_journalled_once_per_row(store):
    rows = full_graph()
    with store.transaction() as db:
        db.add_all(rows)
    with store.session() as db:
        assert journal_counts(db) == (len(rows), len(rows))
        for row in rows:
            ops = db.exec(select(OutboxOp).where(OutboxOp.row_id == row.id)).all()
            assert [(o.entity, o.action) for o in ops] == [(row.__tablename__, CREATE)]


def test_a_session_that_changes_nothing_writes_nothing(store):
    company = _company(store, region="경남")
    with store.session() as db:
        before = journal_counts(db)
    with store.transaction() as db:
        row = db.get(Company, company.id)
        row.region = "경남"          # same value
        row.name = row.name
        db.add(row)
    with store.transaction() as db:
        db.exec(select(Company)).all()
    with store.session() as db:
        assert journal_counts(db) == before
        assert db.get(Company, company.id).updated_at == company.updated_at


def test_changing_a_value_and_back_in_one_transaction_writes_nothing(store):
    company = _company(store, region="경남")
    with store.transaction() as db:
        row = db.get(Company, company.id)
        row.region = "서울"
        row.region = "경남"
    _, ops = _journal(store, company.id)
    assert [o.action for o in ops] == [CREATE]


def test_unique_violation_leaves_no_data_and_no_journal(store):
    with pytest.raises(IntegrityError):
        with store.transaction() as db:
            db.add(Company(business_no="1248100998", name="첫째"))
            db.add(Company(business_no="1248100998", name="둘째"))
    assert _nothing_written(store)


def test_exception_inside_the_transaction_leaves_no_data_and_no_journal(store):
    with pytest.raises(RuntimeError, match="the user cancelled"):
        with store.transaction() as db:
            company = Company(business_no="1248100998", name="대명정밀")
            db.add_all([company, Engagement(company_id=company.id, year=1)])
            db.flush()  # rows and journal entries already sent to SQLite
            raise RuntimeError("the user cancelled")
    assert _nothing_written(store)


def test_failed_update_leaves_the_row_and_journal_as_they_were(store):
    company = _company(store, region="경남")
    _company(store, business_no="2208112342", name="한빛금속")
    with pytest.raises(IntegrityError):
        with store.transaction() as db:
            row = db.get(Company, company.id)
            row.region = "서울"
            row.business_no = "2208112342"  # taken by the other live company
    audits, ops = _journal(store, company.id)
    assert [o.action for o in ops] == [CREATE] and len(audits) == 1
    with store.session() as db:
        assert db.get(Company, company.id).region == "경남"


def test_hard_delete_of_a_synced_row_is_refused_and_writes_nothing(store):
    company = _company(store)
    with store.session() as db:
        before = journal_counts(db)
    with pytest.raises(HardDeleteRefused):
        with store.transaction() as db:
            db.delete(db.get(Company, company.id))
    with store.session() as db:
        assert db.get(Company, company.id) is not None
        assert journal_counts(db) == before


def test_rows_that_are_not_synced_are_not_journalled(store):
    with store.transaction() as db:
        db.add(Meta(key="pull_cursor", value="42"))
    with store.transaction() as db:
        db.delete(db.get(Meta, "pull_cursor"))  # a local row may be deleted
    with store.session() as db:
        assert journal_counts(db) == (0, 0)


def test_foreign_key_pointing_nowhere_is_refused_at_commit(store):
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        with store.transaction() as db:
            db.add(Engagement(company_id="no-such-company", year=1))
    assert _nothing_written(store)


def test_child_may_be_added_before_its_parent_in_one_transaction(store):
    company = Company(business_no="1248100998", name="대명정밀")
    engagement = Engagement(company_id=company.id, year=1)
    with store.transaction() as db:
        db.add(engagement)
        db.flush()  # the engagement reaches SQLite first; the key is checked at commit
        db.add(company)
    with store.session() as db:
        assert db.get(Engagement, engagement.id).company_id == company.id


def test_two_live_companies_with_the_same_business_number_are_refused(store):
    _company(store)
    with pytest.raises(IntegrityError, match="UNIQUE"):
        _company(store, name="다른 이름")
    with store.session() as db:
        assert count(db, Company) == 1 and journal_counts(db) == (1, 1)


def test_a_tombstoned_company_does_not_block_recreating_its_business_number(store):
    old = _company(store)
    with store.transaction() as db:
        db.get(Company, old.id).deleted = True
    new = _company(store, name="대명정밀(신설)")
    assert new.id != old.id
    with store.session() as db:
        assert count(db, Company, Company.business_no == "1248100998", Company.deleted == False) == 1  # noqa: E712


def test_live_unique_rules_hold_for_engagement_year_kpi_and_sponsor(store):
    company = _company(store)
    with store.transaction() as db:
        engagement = Engagement(company_id=company.id, year=1)
        db.add_all([engagement, Sponsor(name="한빛자동차"),
                    KpiMeasurement(engagement_id=engagement.id, kpi_code="defect_rate")])
    for duplicate in (Engagement(company_id=company.id, year=1), Sponsor(name="한빛자동차"),
                      KpiMeasurement(engagement_id=engagement.id, kpi_code="defect_rate")):
        with pytest.raises(IntegrityError):
            with store.transaction() as db:
                db.add(duplicate)


def test_updated_at_moves_on_update_and_created_at_does_not(store):
    company = _company(store)
    created, first_update = company.created_at, company.updated_at
    assert created == first_update
    time.sleep(0.002)
    with store.transaction() as db:
        db.get(Company, company.id).region = "부산"
    with store.session() as db:
        back = db.get(Company, company.id)
        assert back.created_at == created
        assert back.updated_at > first_update


def test_write_changes_writes_one_audit_and_one_outbox_row_per_change(store):
    changes = [
        Change("companies", "c-1", CREATE, {"name": [None, "대명정밀"]}, 0),
        Change("companies", "c-2", UPDATE, {"region": ["경남", "부산"]}, 3),
        Change("engagements", "e-1", DELETE, {"deleted": [False, True]}, 5),
    ]
    with store.transaction() as db:
        written = write_changes(db.connection(), changes, actor="importer", device_id=store.device_id)
    assert written == 3
    with store.session() as db:
        audits = db.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
        ops = db.exec(select(OutboxOp).order_by(OutboxOp.seq)).all()
        assert pending_changes(session=db) == 3
    assert [(a.entity, a.row_id, a.action, json.loads(a.changes)) for a in audits] == [
        (c.entity, c.row_id, c.action, c.changes) for c in changes]
    assert [(o.entity, o.row_id, o.action, json.loads(o.changes), o.base_version) for o in ops] == [
        (c.entity, c.row_id, c.action, c.changes, c.base_version) for c in changes]
    assert {(o.actor, o.device_id, o.status) for o in ops} == {("importer", store.device_id, "pending")}
    assert len({o.op_id for o in ops}) == 3


def test_write_changes_rolls_back_with_its_transaction(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            write_changes(db.connection(), [Change("companies", "c-1", CREATE, {}, 0)], actor="a", device_id="d")
            raise RuntimeError("stop")
    with store.session() as db:
        assert journal_counts(db) == (0, 0)


def test_write_changes_with_no_changes_writes_nothing(store):
    with store.transaction() as db:
        assert write_changes(db.connection(), [], actor="a", device_id="d") == 0
    with store.session() as db:
        assert journal_counts(db) == (0, 0)


def test_device_id_is_kept_across_reopening(store):
    from consultant_app.store import Store

    device_id = store.device_id
    assert len(device_id) == 36
    store.close()
    with Store.open(store.data_dir, actor="other") as reopened:
        assert reopened.device_id == device_id
        assert reopened.actor == "other"
