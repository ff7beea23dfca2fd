"""The office and a laptop record the same company (and its year, and a KPI) independently: the laptop's copy
folds into the office's at the next sync, nothing typed is lost, disagreements become conflicts."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from central_server.db import write_transaction
from central_server.scope import assign_companies
from central_server.users import require_user
from consultant_app.services.companies import CompanyDraft, EngagementDraft, save_company, save_engagement
from consultant_app.services.kpis import KpiEntry, save_kpis
from consultant_app.store.models import Company, Engagement, KpiMeasurement, OutboxOp
from consultant_app.sync.client import sync
from consultant_app.sync.resolve import resolve_conflict
from tests.server.test_sync import client_for, content, laptop

PASSWORD = "correct horse 1"
NUMBER = "1248100998"


@pytest.fixture
def people(live):
    live.add_user("kim", role="consultant", password=PASSWORD)
    live.add_user("office", role="supervisor", password=PASSWORD)
    return live


def record(store, *, name: str, kpis: list[KpiEntry]) -> str:
    company_id = save_company(store, CompanyDraft(business_no=NUMBER, name=name, region="경기"))
    engagement_id = save_engagement(store, EngagementDraft(year=1, phase=1, consultant="이컨설"), company_id=company_id)
    save_kpis(store, engagement_id, entries=kpis)
    return company_id


def test_a_company_recorded_twice_folds_into_the_offices_and_nothing_is_lost(people, tmp_path):
    office, kims = laptop(tmp_path, "office"), laptop(tmp_path, "kim")
    office_company = record(office, name="한빛정밀(주)", kpis=[KpiEntry(code="defect_rate", baseline=2.93, post=1.71)])
    with client_for(people, "office") as client:
        sync(office, client)
    with write_transaction(people.engine) as connection:
        assign_companies(connection, require_user(connection, "kim"), [NUMBER])
    # kim, offline, records the same company with other spellings and one more KPI
    record(kims, name="한빛정밀", kpis=[KpiEntry(code="defect_rate", baseline=2.93, post=1.65),
                                    KpiEntry(code="lead_time", baseline=12.0, post=9.0)])
    with client_for(people, "kim") as client:
        first = sync(kims, client)
        assert first.rejected == 4 and first.broken_links == []  # company duplicate, the rest lacked it
        with kims.session() as session:
            companies = session.exec(select(Company)).all()
            engagements = session.exec(select(Engagement)).all()
            waiting = session.exec(select(OutboxOp).order_by(OutboxOp.seq)).all()
        assert [c.id for c in companies] == [office_company] and companies[0].name == "한빛정밀"  # kim's value shown
        assert len(engagements) == 1 and engagements[0].company_id == office_company
        by_status = sorted((op.entity, op.status) for op in waiting)
        assert by_status == [("companies", "conflict"), ("kpi_measurements", "conflict"),
                             ("kpi_measurements", "pending")]
        conflicts = {op.entity: json.loads(op.reason) for op in waiting if op.status == "conflict"}
        assert conflicts["companies"] == [{"field": "name", "server_value": "한빛정밀(주)", "client_value": "한빛정밀"}]
        assert conflicts["kpi_measurements"] == [{"field": "post", "server_value": 1.71, "client_value": 1.65}]
        second = sync(kims, client)  # the KPI only kim had goes up now, under the office's engagement
        assert (second.applied, second.rejected) == (1, 0)
        for op in waiting:
            if op.status == "conflict":
                resolve_conflict(kims, op.op_id, {c["field"]: c["client_value"] for c in conflicts[op.entity]})
        third = sync(kims, client)
        assert (third.applied, third.conflicts, third.rejected) == (2, 0, 0)
    with client_for(people, "office") as client:
        sync(office, client)
    server = content(people.engine)
    assert server["companies"][office_company]["name"] == "한빛정밀"
    assert sorted((k["kpi_code"], k["post"]) for k in server["kpi_measurements"].values()) == \
        [("defect_rate", 1.65), ("lead_time", 9.0)]
    assert content(kims) == content(office) == server
    with kims.session() as session:
        assert session.exec(select(OutboxOp)).all() == []
        assert len(session.exec(select(KpiMeasurement)).all()) == 2
    office.close(), kims.close()


def test_the_same_record_typed_the_same_way_folds_without_a_conflict(people, tmp_path):
    office, kims = laptop(tmp_path, "office"), laptop(tmp_path, "kim")
    entry = [KpiEntry(code="defect_rate", baseline=2.93, post=1.71)]
    office_company = record(office, name="한빛정밀", kpis=entry)
    with client_for(people, "office") as client:
        sync(office, client)
    with write_transaction(people.engine) as connection:
        assign_companies(connection, require_user(connection, "kim"), [NUMBER])
    record(kims, name="한빛정밀", kpis=entry)
    with client_for(people, "kim") as client:
        sync(kims, client)
        with kims.session() as session:
            assert session.exec(select(OutboxOp)).all() == []  # nothing to settle: both said the same
        assert sync(kims, client).pushed == 0
    assert content(kims) == content(people.engine)
    assert list(content(kims)["companies"]) == [office_company]
    office.close(), kims.close()
