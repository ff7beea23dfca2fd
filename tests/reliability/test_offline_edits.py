"""Two laptops edit the same records offline. The same field: a conflict, both values kept, the server's value
unchanged, nothing overwritten. Different fields: merged on the server, and both laptops identical afterwards."""

from __future__ import annotations

import dataclasses
import json

from sqlmodel import select

from consultant_app.services.companies import (
    CompanyDraft,
    EngagementDraft,
    load_company,
    save_company,
    save_engagement,
)
from consultant_app.services.kpis import KpiEntry, load_kpis, save_kpis
from consultant_app.store.models import OutboxOp
from consultant_app.sync.client import CentralClient, sync
from tests.reliability.helpers import content, laptop, outbox, server_book, token_for

NUMBER = "1248100998"


def _shared_company(live, tmp_path):
    """A company recorded on laptop a, synced, and pulled by laptop b: both then go offline."""
    first, second = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    company_id = save_company(first, CompanyDraft(business_no=NUMBER, name="한빛정밀", representative="김대표",
                                                  region="경기", industry="금속", employees=40, sponsor="대성자동차"))
    engagement_id = save_engagement(first, EngagementDraft(year=1, phase=1, consultant="이컨설"), company_id=company_id)
    save_kpis(first, engagement_id, entries=[KpiEntry(code="defect_rate", baseline=2.93, target=2.0, post=1.71)])
    client = CentralClient(live.base_url, token_for(live, "kim"))
    sync(first, client)
    sync(second, client)
    assert content(first, exclude=()) == content(second, exclude=()) == content(live.engine, exclude=())
    return first, second, client, company_id, engagement_id


def _edit_company(store, company_id, **changes):
    with store.session() as session:
        draft = load_company(session=session, company_id=company_id)
    save_company(store, dataclasses.replace(draft, **changes), company_id=company_id)


def _edit_kpi(store, engagement_id, **changes):
    (entry,) = load_kpis(store, engagement_id)
    save_kpis(store, engagement_id, entries=[dataclasses.replace(entry, **changes)])


def test_the_same_field_edited_on_both_laptops_is_a_conflict_that_keeps_both_values(people, tmp_path):
    first, second, client, company_id, engagement_id = _shared_company(people, tmp_path)
    _edit_company(first, company_id, name="한빛정밀(주)")
    _edit_company(second, company_id, name="한빛정밀 주식회사")
    _edit_kpi(first, engagement_id, post=1.5)
    _edit_kpi(second, engagement_id, post=1.6)
    before = server_book(people.engine)

    assert sync(first, client).applied == 2
    server_after_first = content(people.engine, exclude=())
    report = sync(second, client)
    assert (report.pushed, report.applied, report.conflicts, report.rejected) == (2, 0, 2, 0)

    # The server kept its values: the second laptop's ops changed nothing there.
    assert content(people.engine, exclude=()) == server_after_first
    server = server_after_first
    assert server["companies"][company_id]["name"] == "한빛정밀(주)"
    assert next(iter(server["kpi_measurements"].values()))["post"] == 1.5
    book = server_book(people.engine)
    assert book.seq == before.seq + 2 and book.statuses["conflict"] == 2

    # The second laptop holds both values: its own in the row, the server's in the op in conflict.
    waiting = {op["entity"]: op for op in outbox(second)}
    assert {op["status"] for op in waiting.values()} == {"conflict"} and set(waiting) == {"companies",
                                                                                          "kpi_measurements"}
    assert json.loads(waiting["companies"]["reason"]) == [
        {"field": "name", "server_value": "한빛정밀(주)", "client_value": "한빛정밀 주식회사"}]
    assert json.loads(waiting["kpi_measurements"]["reason"]) == [
        {"field": "post", "server_value": 1.5, "client_value": 1.6}]
    mine = content(second)
    assert mine["companies"][company_id]["name"] == "한빛정밀 주식회사"
    assert next(iter(mine["kpi_measurements"].values()))["post"] == 1.6

    # Syncing again resends nothing and loses nothing: the conflict waits for a person.
    again = sync(second, client)
    assert again.pushed == 0 and sync(first, client).pushed == 0
    assert content(people.engine, exclude=()) == server_after_first
    assert [op["status"] for op in outbox(second)] == ["conflict", "conflict"]
    assert content(second)["companies"][company_id]["name"] == "한빛정밀 주식회사"
    assert content(first, exclude=()) == content(people.engine, exclude=())
    # Everything but the contested fields is the same on both laptops.
    ours, theirs = content(first), content(second)
    theirs["companies"][company_id]["name"] = ours["companies"][company_id]["name"]
    for row_id, row in theirs["kpi_measurements"].items():
        row["post"] = ours["kpi_measurements"][row_id]["post"]
    assert theirs == ours
    client.close(), first.close(), second.close()


def test_different_fields_edited_on_both_laptops_merge_and_both_laptops_end_identical(people, tmp_path):
    first, second, client, company_id, engagement_id = _shared_company(people, tmp_path)
    _edit_company(first, company_id, region="부산", employees=45)
    _edit_company(second, company_id, industry="자동차부품", representative="박대표")
    _edit_kpi(first, engagement_id, post=1.5)
    _edit_kpi(second, engagement_id, target=1.8)
    # The same edit made on both sides agrees with itself: no conflict.
    _edit_kpi(first, engagement_id, baseline=3.0)
    _edit_kpi(second, engagement_id, baseline=3.0)

    first_report = sync(first, client)
    second_report = sync(second, client)
    assert (first_report.applied, first_report.conflicts) == (3, 0)
    assert (second_report.applied, second_report.conflicts, second_report.rejected) == (3, 0, 0)
    assert outbox(first) == outbox(second) == []
    sync(first, client)

    server = content(people.engine, exclude=())
    company = server["companies"][company_id]
    assert (company["region"], company["employees"], company["industry"], company["representative"]) == \
        ("부산", 45, "자동차부품", "박대표")
    kpi = next(iter(server["kpi_measurements"].values()))
    assert (kpi["baseline"], kpi["target"], kpi["post"]) == (3.0, 1.8, 1.5)
    assert content(first, exclude=()) == content(second, exclude=()) == server
    with first.session() as session:
        assert session.exec(select(OutboxOp)).all() == []
    client.close(), first.close(), second.close()
