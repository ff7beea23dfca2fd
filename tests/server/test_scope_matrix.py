"""Every route and every kind of object, as another consultant sees them over real HTTP on SQLite and PostgreSQL:
kim's company, engagement, KPI, visit, attachment (by id and by file hash), certificate and upload answer lee
exactly as one that does not exist, in status, in bytes and in every rejection text."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import select

from consultant_app.store.models import SYNCED_TABLES
from tests.server.hostile import certify, created, op, people, sha


@pytest.fixture
def two(live):
    with live.client() as http:
        yield people(live, http)


KINDS = {"company": ("companies", "name"), "engagement": ("engagements", "phase"),
         "kpi": ("kpi_measurements", "target"), "visit": ("visits", "notes"),
         "attachment": ("attachments", "caption")}
NEW_VALUES = {"name": "가로챈 이름", "phase": 2, "target": 1.0, "notes": "엿보기", "caption": "엿보기"}
# A child of each kind of parent, to create under kim's parent or under one that does not exist.
CHILDREN = {"company": ("engagements", "company_id", {"year": 3}),
            "engagement": ("visits", "engagement_id", {"visit_date": "2026-07-01"}),
            "visit": ("attachments", "visit_id", {})}


def _same_answer(theirs, missing) -> None:
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_reading_another_consultants_company_or_engagement_is_a_404_like_a_missing_one(live, two):
    kim, lee = two
    for path in ("/companies/{}", "/engagements/{}"):
        for kind in ("company", "engagement", "kpi", "visit", "attachment"):
            _same_answer(lee.get(path.format(kim.ids[kind])), lee.get(path.format(uuid.uuid4())))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_op_on_another_consultants_row_is_rejected_like_one_on_a_missing_row(live, two, kind):
    kim, lee = two
    entity, name = KINDS[kind]
    for action, changes in (("update", {name: [None, NEW_VALUES[name]]}), ("delete", {"deleted": [False, True]})):
        theirs, = lee.push([op(entity, kim.ids[kind], changes, action=action, base=1)])
        missing, = lee.push([op(entity, str(uuid.uuid4()), changes, action=action, base=1)])
        assert theirs["status"] == missing["status"] == "rejected"
        assert theirs["reason"] == missing["reason"] and theirs["reason"]["code"] == "not_found"
    table = SYNCED_TABLES[entity].__table__
    with live.engine.connect() as connection:  # nothing changed
        row = connection.execute(select(table).where(table.c.id == kim.ids[kind])).mappings().one()
    assert row["version"] == 1 and row["deleted"] is False and row[name] != NEW_VALUES[name]


@pytest.mark.parametrize("kind", sorted(CHILDREN))
def test_a_record_under_another_consultants_parent_is_rejected_like_one_under_a_missing_parent(live, two, kind):
    kim, lee = two
    entity, key, values = CHILDREN[kind]

    def child(parent_id: str) -> dict:
        fields = {**values, key: parent_id}
        if entity == "attachments":  # lee's own engagement and file, kim's visit
            fields.update(engagement_id=lee.ids["engagement"], sha256=lee.ids["sha256"], file_name="x.jpg",
                          size_bytes=len(lee.file))
        return op(entity, str(uuid.uuid4()), created(fields))
    theirs, missing = lee.push([child(kim.ids[kind]), child(str(uuid.uuid4()))])
    assert theirs["status"] == missing["status"] == "rejected"
    assert theirs["reason"] == missing["reason"] and theirs["reason"]["code"] == "parent_not_found"


def test_another_consultants_file_by_hash_answers_like_a_file_never_uploaded(live, two):
    kim, lee = two
    theirs, unknown = kim.ids["sha256"], sha(os.urandom(100))
    _same_answer(lee.get(f"/attachments/{theirs}"), lee.get(f"/attachments/{unknown}"))
    for digest in (theirs, unknown):
        state = lee.get(f"/attachments/{digest}/upload").json()
        assert state == {"sha256": digest, "received": 0, "complete": False}
        empty = lee.put(digest, b"", length=len(kim.file)).json()
        assert empty == {"sha256": digest, "received": 0, "complete": False}
        piece = lee.put(digest, b"x" * 10, length=len(kim.file)).json()
        assert piece == {"sha256": digest, "received": 10, "complete": False}
    named = [op("attachments", str(uuid.uuid4()), created({
        "engagement_id": lee.ids["engagement"], "sha256": digest, "file_name": "x.jpg", "size_bytes": len(kim.file)}))
        for digest in (theirs, unknown)]
    first, second = lee.push(named)
    assert first["reason"] == second["reason"] and first["reason"]["code"] == "attachment_missing"


def test_another_consultants_certificate_answers_like_a_missing_one(live, two):
    kim, lee = two
    certificate = certify(kim)
    _same_answer(lee.get(f"/certificates/{certificate['id']}"), lee.get(f"/certificates/{uuid.uuid4()}"))
    for path, body in (("/certificates/issue", {}), ("/certificates/correct", {"device_id": "d", "ops": []})):
        theirs = lee.http.post(path, json={**body, "engagement_id": kim.ids["engagement"]}, headers=lee.headers)
        missing = lee.http.post(path, json={**body, "engagement_id": str(uuid.uuid4())}, headers=lee.headers)
        _same_answer(theirs, missing)
    assert kim.get(f"/certificates/{certificate['id']}").status_code == 200


def test_lists_pulls_and_reports_hold_nothing_of_another_consultant(live, two):
    kim, lee = two
    pulled = lee.get("/sync/pull", params={"after": 0, "limit": 2000}).json()
    kims = {kim.ids[k] for k in ("company", "engagement", "kpi", "visit", "attachment")}
    assert not kims & {row["row"]["id"] for row in pulled["rows"]}
    assert kim.ids["sponsor"] in {row["row"]["id"] for row in pulled["rows"]}  # shared: everyone's
    assert [c["id"] for c in lee.get("/companies").json()["companies"]] == [lee.ids["company"]]
    assert lee.get("/report/programme").json()["companies"] == 1
