"""Settling conflicts and rejections end to end: two real laptop stores and the real server over HTTP, on SQLite
and PostgreSQL; after a settlement and a sync every side holds the same values."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import select

from consultant_app.services.companies import CompanyDraft, load_company, save_company
from consultant_app.store.models import Company, Engagement, OutboxOp
from consultant_app.sync.account import sync_account
from consultant_app.sync.resolve import (
    discard_rejected,
    fix_rejected,
    resolve_conflict,
    retry_rejected,
    waiting_ops,
)
from tests.server.test_sync import NUMBER, PASSWORD, content, laptop, record_a_company


@pytest.fixture
def kim(live):
    live.add_user("kim", password=PASSWORD)
    return live


def synced(store, live):
    report, _ = sync_account(store, server=live.base_url, user="kim", password=lambda: PASSWORD)
    return report


def statuses(store) -> list[str]:
    with store.session() as session:
        return [o.status for o in session.exec(select(OutboxOp).order_by(OutboxOp.seq))]


def rename(store, company_id, **changes) -> None:
    with store.session() as session:
        draft = load_company(session=session, company_id=company_id)
    save_company(store, dataclasses.replace(draft, **changes), company_id=company_id)


def two_laptops_in_conflict(live, tmp_path):
    first, second = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    company_id, _ = record_a_company(first)
    synced(first, live), synced(second, live)
    rename(first, company_id, name="한빛정밀(주)", region="부산")
    rename(second, company_id, name="한빛정밀 주식회사", industry="금속")
    synced(first, live)
    assert synced(second, live).conflicts == 1
    return first, second, company_id


@pytest.mark.parametrize("pick", ["edited", "server", "mine"])
def test_after_a_resolution_and_a_sync_every_side_holds_the_chosen_value(kim, tmp_path, pick):
    first, second, company_id = two_laptops_in_conflict(kim, tmp_path)
    [op] = [o for o in waiting_ops(second) if o.status == "conflict"]
    chosen = {"edited": "한빛정밀공업", "server": "한빛정밀(주)", "mine": "한빛정밀 주식회사"}[pick]
    resolve_conflict(second, op.op_id, {"name": chosen})
    report = synced(second, kim)
    assert (report.applied, report.conflicts, report.rejected) == (1, 0, 0)
    assert statuses(second) == []
    synced(first, kim)
    server = content(kim.engine)["companies"][company_id]
    assert (server["name"], server["region"], server["industry"]) == (chosen, "부산", "금속")
    assert content(first) == content(second) == content(kim.engine)
    first.close(), second.close()


def test_a_fixed_parent_and_a_retried_child_reach_the_server(kim, tmp_path):
    store, other = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    with store.transaction() as session:  # saved without the forms' checks: a wrong check digit
        row = Company(business_no="1234567892", name="번호틀림")
        session.add(row)
        session.flush()
        session.add(Engagement(company_id=row.id, year=1))
    report = synced(store, kim)
    assert (report.rejected, statuses(store)) == (2, ["rejected", "rejected"])
    parent, child = [o for o in waiting_ops(store) if o.status == "rejected"]
    assert "검증번호" in parent.reason.ko and child.reason.code == "parent_not_found"
    fix_rejected(store, parent.op_id, {"business_no": NUMBER})
    retry_rejected(store, child.op_id)
    report = synced(store, kim)
    assert (report.applied, report.rejected, statuses(store)) == (2, 0, [])
    synced(other, kim)
    assert content(kim.engine)["companies"][row.id]["business_no"] == NUMBER
    assert content(store) == content(other) == content(kim.engine)
    store.close(), other.close()


def test_a_duplicate_from_another_laptop_folds_into_the_servers_and_settles_as_a_conflict(kim, tmp_path):
    first, second = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    company_id = save_company(first, CompanyDraft(business_no=NUMBER, name="한빛정밀"))
    synced(first, kim)
    save_company(second, CompanyDraft(business_no=NUMBER, name="한빛정밀 (중복)"))  # before it saw the first
    # The second's own is refused as a duplicate; the pull then folds it into the first's, keeping its name.
    assert synced(second, kim).rejected == 1
    [op] = waiting_ops(second)
    assert (op.status, op.row_id) == ("conflict", company_id)
    with second.session() as session:
        assert [c.id for c in session.exec(select(Company)).all()] == [company_id]
    resolve_conflict(second, op.op_id, {"name": "한빛정밀"})
    synced(second, kim)
    assert content(second) == content(first) == content(kim.engine)
    first.close(), second.close()


def test_a_discarded_update_restores_the_laptops_previous_values(kim, tmp_path):
    store = laptop(tmp_path, "a")
    _, engagement_id = record_a_company(store)
    synced(store, kim)
    with store.transaction() as session:  # year 150 breaks the rule the office checks (1 to 99)
        session.get(Engagement, engagement_id).year = 150
    assert synced(store, kim).rejected == 1
    [op] = [o for o in waiting_ops(store) if o.status == "rejected"]
    discard_rejected(store, op.op_id)
    with store.session() as session:
        assert session.get(Engagement, engagement_id).year == 1
    assert synced(store, kim).pushed == 0
    assert content(store) == content(kim.engine)
    store.close()


def test_a_discarded_change_takes_the_value_the_office_has_now(kim, tmp_path):
    first, second = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    _, engagement_id = record_a_company(first)
    synced(first, kim)
    synced(second, kim)
    with second.transaction() as session:  # refused by the office (years run 1 to 99)
        session.get(Engagement, engagement_id).year = 150
    assert synced(second, kim).rejected == 1
    with first.transaction() as session:  # meanwhile the office gets another year from the first laptop
        session.get(Engagement, engagement_id).year = 3
    synced(first, kim)
    synced(second, kim)  # the pull keeps 150 here while the refused change waits
    with second.session() as session:
        assert session.get(Engagement, engagement_id).year == 150
    [op] = [o for o in waiting_ops(second) if o.status == "rejected"]
    discard_rejected(second, op.op_id)
    with second.session() as session:
        assert session.get(Engagement, engagement_id).year == 3  # the office's, not the 1 it had before here
    assert synced(second, kim).pushed == 0
    assert content(second) == content(first) == content(kim.engine)
    first.close(), second.close()
