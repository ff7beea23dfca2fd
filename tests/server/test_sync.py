"""Sync end to end: two real laptop stores through the real server over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from central_server.schema import row_meta
from consultant_app.services.companies import CompanyDraft, EngagementDraft, load_company, save_company, save_engagement
from consultant_app.services.kpis import KpiEntry, save_kpis
from consultant_app.store import Store
from consultant_app.store.models import SYNCED_TABLES, Company, OutboxOp
from consultant_app.sync.client import CentralClient, sync
from consultant_app.sync.local import outgoing_ops
from consultant_app.sync.wire import Op, PushRequest

NUMBER = "1248100998"
PASSWORD = "correct horse 1"


def laptop(tmp_path: Path, name: str) -> Store:
    return Store.open(tmp_path / name, actor=name)


def client_for(live, username: str) -> CentralClient:
    client = CentralClient(live.base_url)
    client.login(username, PASSWORD)
    return client


def content(store_or_engine, *, exclude=("version", "created_at", "updated_at")) -> dict[str, dict[str, dict]]:
    """Every synced row by table and id, compared by content (bookkeeping left out)."""
    engine = store_or_engine.engine if isinstance(store_or_engine, Store) else store_or_engine
    found = {}
    with engine.connect() as connection:
        for entity, model in SYNCED_TABLES.items():
            table = model.__table__
            found[entity] = {r["id"]: {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                       for k, v in r.items() if k not in exclude}
                             for r in connection.execute(select(table)).mappings()}
    return found


def record_a_company(store: Store) -> tuple[str, str]:
    company_id = save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀", representative="김대표",
                                                  region="경기", sponsor="대성자동차"))
    engagement_id = save_engagement(store, EngagementDraft(year=1, phase=2, consultant="이컨설"), company_id=company_id)
    save_kpis(store, engagement_id, entries=[KpiEntry(code="defect_rate", baseline=2.93, target=2.0, post=1.71)])
    return company_id, engagement_id


@pytest.fixture
def people(live):
    live.add_user("kim", role="consultant", password=PASSWORD)
    live.add_user("lee", role="consultant", password=PASSWORD)
    live.add_user("office", role="supervisor", password=PASSWORD)
    return live


def test_a_laptops_records_reach_the_server_and_another_laptop_whole(people, tmp_path):
    first, second = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    record_a_company(first)
    with client_for(people, "kim") as client:
        report = sync(first, client)
    assert report.pushed == report.applied == 4 and report.rejected == report.conflicts == 0  # sponsor, company, engagement, KPI
    assert outgoing_ops(first, limit=10) == []
    with client_for(people, "kim") as client:
        pulled = sync(second, client)
    assert pulled.pulled == 4 and pulled.broken_links == []
    assert content(second) == content(first) == content(people.engine)
    with first.session() as session:
        versions = [c.version for c in session.exec(select(Company)).all()]
    assert versions == [1]  # the laptop took the server's version from the receipt
    first.close(), second.close()


def test_a_replayed_batch_changes_nothing(people, tmp_path):
    store = laptop(tmp_path, "a")
    record_a_company(store)
    ops = outgoing_ops(store, limit=100)
    with client_for(people, "kim") as client:
        first = client.push(PushRequest(device_id=store.device_id, ops=ops))
        before = content(people.engine, exclude=())
        with people.engine.connect() as connection:
            seq = connection.execute(select(func.max(row_meta.c.seq))).scalar()
        for _ in range(10):
            again = client.push(PushRequest(device_id=store.device_id, ops=ops))
            assert again.receipts == first.receipts
    assert content(people.engine, exclude=()) == before
    with people.engine.connect() as connection:
        assert connection.execute(select(func.max(row_meta.c.seq))).scalar() == seq
    store.close()


def test_the_same_field_edited_on_two_laptops_is_a_conflict_with_both_values(people, tmp_path):
    first, second = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    company_id, _ = record_a_company(first)
    with client_for(people, "kim") as client:
        sync(first, client)
        sync(second, client)
        with first.session() as session:
            draft = load_company(session=session, company_id=company_id)
        save_company(first, dataclasses.replace(draft, name="한빛정밀(주)", region="부산"), company_id=company_id)
        save_company(second, dataclasses.replace(draft, name="한빛정밀 주식회사", industry="금속"), company_id=company_id)
        sync(first, client)
        report = sync(second, client)
    assert report.conflicts == 1
    with second.session() as session:
        op = session.exec(select(OutboxOp).where(OutboxOp.status == "conflict")).one()
    conflict = json.loads(op.reason)
    assert conflict == [{"field": "name", "server_value": "한빛정밀(주)", "client_value": "한빛정밀 주식회사"}]
    server = content(people.engine)["companies"][company_id]
    # different fields merged, the contested one kept as the server had it until a person chooses
    assert (server["name"], server["region"], server["industry"]) == ("한빛정밀(주)", "부산", "금속")
    first.close(), second.close()


def test_another_consultants_company_is_out_of_reach(people, tmp_path):
    kims, lees = laptop(tmp_path, "kim"), laptop(tmp_path, "lee")
    company_id, _ = record_a_company(kims)
    with client_for(people, "kim") as client:
        sync(kims, client)
    with client_for(people, "lee") as client:
        report = sync(lees, client)
        assert report.pulled == 1  # the sponsor, which every consultant sees; not kim's company
        forged = Op(op_id=str(uuid.uuid4()), entity="companies", row_id=company_id, action="update",
                    changes={"name": ["한빛정밀", "가로챈이름"]}, base_version=1)
        receipt = client.push(PushRequest(device_id=lees.device_id, ops=[forged])).receipts[0]
    assert receipt.status == "rejected" and receipt.reason.code == "not_found"
    assert content(people.engine)["companies"][company_id]["name"] == "한빛정밀"
    with client_for(people, "office") as client:
        supervisor = laptop(tmp_path, "office")
        assert sync(supervisor, client).pulled == 4
        supervisor.close()
    kims.close(), lees.close()


def test_an_invalid_op_is_rejected_with_the_reason_and_never_blocks_the_others(people, tmp_path):
    store = laptop(tmp_path, "a")
    company_id, _ = record_a_company(store)
    bad = Op(op_id=str(uuid.uuid4()), entity="companies", row_id=str(uuid.uuid4()), action="create",
             changes={"business_no": [None, "1234567890"], "name": [None, "번호틀림"]}, base_version=0)
    ops = outgoing_ops(store, limit=100)
    with client_for(people, "kim") as client:
        receipts = client.push(PushRequest(device_id=store.device_id, ops=[bad, *ops])).receipts
    assert receipts[0].status == "rejected" and "검증번호" in receipts[0].reason.ko
    assert [r.status for r in receipts[1:]] == ["applied"] * len(ops)
    assert company_id in content(people.engine)["companies"]
    store.close()


def test_an_engagement_moved_to_another_company_takes_its_records_to_that_companys_consultants(people, tmp_path):
    from central_server.db import write_transaction
    from central_server.scope import assign_companies
    from central_server.users import require_user
    from consultant_app.store.models import Engagement, KpiMeasurement

    kims, lees = laptop(tmp_path, "kim"), laptop(tmp_path, "lee")
    _, engagement_id = record_a_company(kims)
    other = save_company(kims, CompanyDraft(business_no="2208162517", name="대한금속"))
    with client_for(people, "kim") as client:
        sync(kims, client)
    with write_transaction(people.engine) as connection:
        assign_companies(connection, require_user(connection, "lee"), ["2208162517"])
    with kims.transaction() as session:
        session.get(Engagement, engagement_id).company_id = other
    with client_for(people, "kim") as client:
        assert sync(kims, client).applied == 1
    with client_for(people, "lee") as client:
        sync(lees, client)
    with lees.session() as session:  # lee sees the company the engagement moved to, and so its KPI too
        assert session.get(Engagement, engagement_id).company_id == other
        assert [k.engagement_id for k in session.exec(select(KpiMeasurement)).all()] == [engagement_id]
    # kim cannot move it into a company kim may not see (lee's own)
    lees_own = save_company(lees, CompanyDraft(business_no="1078100009", name="새한기공"))
    with client_for(people, "lee") as client:
        sync(lees, client)
    forged = Op(op_id=str(uuid.uuid4()), entity="engagements", row_id=engagement_id, action="update",
                changes={"company_id": [other, lees_own]}, base_version=2)
    with client_for(people, "kim") as client:
        receipt = client.push(PushRequest(device_id=kims.device_id, ops=[forged])).receipts[0]
    assert receipt.status == "rejected" and receipt.reason.code == "parent_not_found"
    assert content(people.engine)["engagements"][engagement_id]["company_id"] == other
    kims.close(), lees.close()
