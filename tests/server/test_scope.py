"""Consultants see only their assigned companies (another's record is a 404 like a missing id); others see all."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session

from central_server.scope import can_see_company, visible_company_ids
from central_server.users import find_user
from tests.server.data import A, B, assign, engagement_id, load_sample


@pytest.fixture
def programme(live, tmp_path):
    """Companies A (assigned to kim) and B (assigned to lee), a supervisor and an admin."""
    ids = load_sample(live, tmp_path / "sheets")
    for name, role in (("kim", "consultant"), ("lee", "consultant"), ("boss", "supervisor"), ("root", "admin")):
        live.add_user(name, role=role)
    assign(live, "kim", A)
    assign(live, "lee", B)
    return ids


def test_a_consultant_lists_only_their_companies(live, programme):
    with live.client() as client:
        kim = client.get("/companies", headers=live.token(client, "kim")).json()
        lee = client.get("/companies", headers=live.token(client, "lee")).json()
    assert [c["business_no"] for c in kim["companies"]] == [A] and kim["count"] == 1
    assert [c["business_no"] for c in lee["companies"]] == [B]
    company = kim["companies"][0]
    assert company["name"] == "(주)한빛정밀" and company["sponsor"] == "한빛자동차"
    assert company["version"] == 1 and company["deleted"] is False


def test_supervisors_and_admins_see_every_company(live, programme):
    with live.client() as client:
        for name in ("boss", "root"):
            listed = client.get("/companies", headers=live.token(client, name)).json()
            assert sorted(c["business_no"] for c in listed["companies"]) == sorted([A, B])
            headers = live.token(client, name)
            assert client.get(f"/companies/{programme[B]}", headers=headers).status_code == 200


def test_another_consultants_company_is_a_404_exactly_like_a_missing_one(live, programme):
    with live.client() as client:
        headers = live.token(client, "kim")
        mine = client.get(f"/companies/{programme[A]}", headers=headers)
        theirs = client.get(f"/companies/{programme[B]}", headers=headers)
        missing = client.get(f"/companies/{uuid.uuid4()}", headers=headers)
    assert mine.status_code == 200
    body = mine.json()
    assert body["business_no"] == A and [e["year"] for e in body["engagements"]] == [1, 2]
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content  # the same bytes: nothing tells "exists" from "not yours"
    assert theirs.json()["detail"]["code"] == "not_found"


def test_an_engagement_comes_with_its_kpis_outcome_and_survey(live, programme):
    with live.client() as client:
        response = client.get(f"/engagements/{engagement_id(live, programme[A], 1)}",
                              headers=live.token(client, "kim"))
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["phase"], body["field"], body["support_krw"]) == (1, 1, "productivity", 30_000_000)
    assert body["start_date"] == "2018-01-10"
    assert body["company"] == {"id": programme[A], "business_no": A, "name": "(주)한빛정밀"}
    kpis = {k["kpi_code"]: k for k in body["kpis"]}
    assert set(kpis) == {"defect_rate", "on_time_delivery"}
    assert (kpis["defect_rate"]["baseline"], kpis["defect_rate"]["post"]) == (2.93, 1.71)
    assert body["outcome"]["financial_effect_krw"] == 50_000_000 and body["outcome"]["new_hires"] == 2
    assert body["survey"]["satisfaction"] == 5 and body["survey"]["improved"] == "productivity;quality"


def test_another_consultants_engagement_is_a_404_exactly_like_a_missing_one(live, programme):
    with live.client() as client:
        headers = live.token(client, "kim")
        theirs = client.get(f"/engagements/{engagement_id(live, programme[B], 1)}", headers=headers)
        missing = client.get(f"/engagements/{uuid.uuid4()}", headers=headers)
        company_id_as_engagement = client.get(f"/engagements/{programme[A]}", headers=headers)
    assert theirs.status_code == missing.status_code == company_id_as_engagement.status_code == 404
    assert theirs.content == missing.content == company_id_as_engagement.content


def test_a_consultants_report_covers_their_companies_only(live, programme):
    with live.client() as client:
        kim = client.get("/report/programme", headers=live.token(client, "kim")).json()
        boss = client.get("/report/programme", headers=live.token(client, "boss")).json()
        boss_year1 = client.get("/report/programme", params={"year": 1, "lang": "en"},
                                headers=live.token(client, "boss")).json()
    assert (kim["engagements"], kim["companies"], kim["financial_effect_total_krw"]) == (2, 1, 50_000_000)
    assert (boss["engagements"], boss["companies"], boss["financial_effect_total_krw"]) == (3, 2, 62_000_000)
    assert boss_year1["engagements"] == 2 and boss_year1["new_hires_by_year"] == {"1": 3}
    assert boss_year1["method"] and boss_year1["method"] != boss["method"]  # English notes, not Korean


def test_a_consultant_with_no_companies_sees_nothing(live, programme):
    live.add_user("new")
    with live.client() as client:
        headers = live.token(client, "new")
        assert client.get("/companies", headers=headers).json() == {"companies": [], "count": 0}
        assert client.get("/report/programme", headers=headers).json()["engagements"] == 0


def test_the_scope_helpers_agree_with_the_routes(live, programme):
    with Session(live.engine) as session, live.engine.connect() as connection:
        kim, boss = find_user(connection, "kim"), find_user(connection, "boss")
        assert visible_company_ids(session, kim) == {programme[A]}
        assert visible_company_ids(session, boss) is None  # everything
        assert can_see_company(session, kim, company_id=programme[A])
        assert not can_see_company(session, kim, company_id=programme[B])
        assert can_see_company(session, boss, company_id=programme[B])
