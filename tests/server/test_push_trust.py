"""What a logged-in but hostile consultant can do with a push, over real HTTP on SQLite and PostgreSQL: name another
consultant's file by its hash, reuse an op id with other content, change shared rows, learn what lies outside their
scope from a rejection."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import select

from consultant_app.store.models import SYNCED_TABLES
from tests.server.hostile import PASSWORD, Consultant, business_no, certify, created, login, op, people, sha


@pytest.fixture
def two(live):
    with live.client() as http:
        yield people(live, http)


def stored(live, entity: str, row_id: str) -> dict | None:
    table = SYNCED_TABLES[entity].__table__
    with live.engine.connect() as connection:
        found = connection.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return dict(found) if found else None


def attachment_op(who: Consultant, digest: str, size: int, *, file_name: str = "가져온.jpg") -> dict:
    return op("attachments", str(uuid.uuid4()), created({
        "engagement_id": who.ids["engagement"], "visit_id": who.ids["visit"], "sha256": digest,
        "file_name": file_name, "size_bytes": size}))


# 1. Files by hash: a hash is not a key.

def test_another_consultants_file_cannot_be_named_by_its_hash(live, two):
    kim, lee = two
    receipt, = lee.push([attachment_op(lee, kim.ids["sha256"], len(kim.file))])
    assert receipt["status"] == "rejected" and receipt["reason"]["code"] == "attachment_missing"
    assert lee.get(f"/attachments/{kim.ids['sha256']}").status_code == 404
    # the same rejection, word for word, as for a file that is nowhere on the server
    nowhere, = lee.push([attachment_op(lee, sha(b"never uploaded"), len(kim.file))])
    assert nowhere["reason"] == receipt["reason"]
    wrong_size, = lee.push([attachment_op(lee, kim.ids["sha256"], len(kim.file) + 1)])
    assert wrong_size["reason"] == receipt["reason"]  # no attachment_size either: that would say it exists


def test_an_empty_body_never_completes_a_file_and_the_upload_state_tells_nothing(live, two):
    kim, lee = two
    theirs, unknown = kim.ids["sha256"], sha(os.urandom(64))
    for digest in (theirs, unknown):
        response = lee.put(digest, b"", length=len(kim.file))
        assert response.status_code == 200
        assert response.json() == {"sha256": digest, "received": 0, "complete": False}
        assert lee.get(f"/attachments/{digest}/upload").json() == {"sha256": digest, "received": 0, "complete": False}
    refused, = lee.push([attachment_op(lee, theirs, len(kim.file))])
    assert refused["reason"]["code"] == "attachment_missing"


def test_the_bytes_themselves_prove_possession(live, two):
    kim, lee = two
    assert lee.upload(kim.file) == kim.ids["sha256"]  # lee really holds the same file: sent whole, checked
    assert lee.get(f"/attachments/{kim.ids['sha256']}/upload").json()["complete"] is True
    receipt, = lee.push([attachment_op(lee, kim.ids["sha256"], len(kim.file))])
    assert receipt["status"] == "applied"
    assert lee.get(f"/attachments/{kim.ids['sha256']}").content == kim.file
    wrong, = lee.push([attachment_op(lee, kim.ids["sha256"], len(kim.file) + 1)])
    assert wrong["reason"]["code"] == "attachment_size"  # their own upload: the size may be told


def test_a_file_attached_to_a_record_one_may_see_needs_no_upload(live, two):
    kim, _ = two
    again, = kim.push([attachment_op(kim, kim.ids["sha256"], len(kim.file), file_name="같은 사진.jpg")])
    assert again["status"] == "applied"
    live.add_user("office", role="supervisor", password=PASSWORD)
    office = Consultant("office", kim.http, login(live, kim.http, "office"))
    office.ids = kim.ids
    assert office.get(f"/attachments/{kim.ids['sha256']}/upload").json()["complete"] is True
    receipt, = office.push([attachment_op(office, kim.ids["sha256"], len(kim.file))])
    assert receipt["status"] == "applied"


# 3. An op id is an idempotency key: the same content gets its receipt again, other content is refused.

def test_an_op_id_reused_with_other_content_is_rejected(live, two):
    kim, _ = two
    row_id = str(uuid.uuid4())
    first = op("visits", row_id, created({"engagement_id": kim.ids["engagement"], "visit_date": "2026-04-01",
                                          "notes": "처음"}))
    applied, = kim.push([first])
    assert applied["status"] == "applied"
    assert kim.push([first]) == [applied]  # the same op again: its first receipt
    other = {**first, "changes": {**first["changes"], "notes": [None, "바꿔치기"]}}
    reused, = kim.push([other])
    assert reused["status"] == "rejected" and reused["reason"]["code"] == "op_id_reused"
    assert reused["reason"]["ko"] and reused["reason"]["en"]
    assert stored(live, "visits", row_id)["notes"] == "처음"
    for changed in ({"row_id": str(uuid.uuid4())}, {"base_version": 3}, {"entity": "sponsors"}):
        assert kim.push([{**first, **changed}])[0]["reason"]["code"] == "op_id_reused"
    assert kim.push([first]) == [applied]  # and the first content still gets its receipt


def test_an_op_id_used_twice_in_one_batch_with_other_content_is_rejected(live, two):
    kim, _ = two
    row_id = str(uuid.uuid4())
    first = op("visits", row_id, created({"engagement_id": kim.ids["engagement"], "visit_date": "2026-04-01",
                                          "notes": "처음"}))
    second = {**first, "changes": {**first["changes"], "notes": [None, "두 번째"]}}
    one, two_, three = kim.push([first, second, first])
    assert one["status"] == "applied" and three == one
    assert two_["status"] == "rejected" and two_["reason"]["code"] == "op_id_reused"
    assert stored(live, "visits", row_id)["notes"] == "처음"


# 4. Shared rows: only supervisors and admins change them.

def test_a_consultant_may_not_rename_or_delete_a_shared_sponsor(live, two):
    kim, lee = two
    sponsor = kim.ids["sponsor"]
    renamed, = lee.push([op("sponsors", sponsor, {"name": ["후원기업1", "가로챈 후원기업"]}, action="update", base=1)])
    deleted, = lee.push([op("sponsors", sponsor, {"deleted": [False, True]}, action="delete", base=1)])
    own, = kim.push([op("sponsors", sponsor, {"name": ["후원기업1", "kim이 만든 후원기업"]}, action="update", base=1)])
    for receipt in (renamed, deleted, own):
        assert receipt["status"] == "rejected" and receipt["reason"]["code"] == "shared_read_only"
        assert "감독자" in receipt["reason"]["ko"] and "supervisor" in receipt["reason"]["en"]
    row = stored(live, "sponsors", sponsor)
    assert (row["name"], row["deleted"]) == ("후원기업1", False)


def test_a_consultant_may_create_a_sponsor_and_point_their_company_at_any_sponsor(live, two):
    kim, lee = two
    new_sponsor = str(uuid.uuid4())
    receipts = lee.push([
        op("sponsors", new_sponsor, created({"name": "새 후원기업"})),
        op("companies", lee.ids["company"], {"sponsor_id": [kim.ids["sponsor"], new_sponsor]}, action="update",
           base=1),
    ])
    assert [r["status"] for r in receipts] == ["applied", "applied"]
    back, = lee.push([op("companies", lee.ids["company"], {"sponsor_id": [new_sponsor, kim.ids["sponsor"]]},
                         action="update", base=2)])
    assert back["status"] == "applied"


def test_a_supervisor_renames_a_sponsor(live, two):
    kim, _ = two
    live.add_user("office", role="supervisor", password=PASSWORD)
    office = Consultant("office", kim.http, login(live, kim.http, "office"))
    receipt, = office.push([op("sponsors", kim.ids["sponsor"], {"name": ["후원기업1", "대성자동차"]}, action="update",
                               base=1)])
    assert receipt["status"] == "applied" and stored(live, "sponsors", kim.ids["sponsor"])["name"] == "대성자동차"


def test_a_reference_to_a_missing_sponsor_or_another_consultants_visit_is_rejected_not_a_failed_batch(live, two):
    kim, lee = two
    good = op("visits", str(uuid.uuid4()), created({"engagement_id": lee.ids["engagement"],
                                                    "visit_date": "2026-05-01"}))
    no_sponsor = op("companies", lee.ids["company"], {"sponsor_id": [kim.ids["sponsor"], str(uuid.uuid4())]},
                    action="update", base=1)
    kims_visit = attachment_op(lee, lee.ids["sha256"], len(lee.file))
    kims_visit["changes"]["visit_id"] = [None, kim.ids["visit"]]
    missing_visit = attachment_op(lee, lee.ids["sha256"], len(lee.file))
    missing_visit["changes"]["visit_id"] = [None, str(uuid.uuid4())]
    receipts = lee.push([no_sponsor, kims_visit, missing_visit, good])
    assert [r["status"] for r in receipts] == ["rejected", "rejected", "rejected", "applied"]
    assert receipts[0]["reason"]["code"] == "parent_not_found"
    assert receipts[1]["reason"] == receipts[2]["reason"]  # another's visit answers like one that is not there
    assert receipts[1]["reason"]["code"] == "parent_not_found"


# 5. Nothing outside one's scope in an answer.

def test_a_company_that_exists_elsewhere_answers_only_that_the_office_must_assign_it(live, two):
    kim, lee = two
    copy, = lee.push([op("companies", str(uuid.uuid4()), created({"business_no": kim.ids["business_no"],
                                                                  "name": "베낀 회사"}))])
    assert copy["status"] == "rejected" and copy["reason"]["code"] == "company_in_programme"
    assert "배정" in copy["reason"]["ko"] and "assign" in copy["reason"]["en"]
    renumbered, = lee.push([op("companies", lee.ids["company"],
                               {"business_no": [lee.ids["business_no"], kim.ids["business_no"]]}, action="update",
                               base=1)])
    assert renumbered["reason"] == copy["reason"]
    for receipt in (copy, renumbered):
        text = receipt["reason"]["ko"] + receipt["reason"]["en"]
        assert kim.ids["company"] not in text and "kim정밀" not in text and kim.ids["business_no"] not in text
    # within one's own scope the duplicate is named as such
    mine, = kim.push([op("companies", str(uuid.uuid4()), created({"business_no": kim.ids["business_no"],
                                                                  "name": "두 번째"}))])
    assert mine["reason"]["code"] == "duplicate"


def test_no_rejection_quotes_another_consultants_certificate(live, two):
    kim, lee = two
    number = certify(kim)["number"]
    receipts = lee.push([
        op("sponsors", kim.ids["sponsor"], {"name": ["후원기업1", "바뀐 이름"]}, action="update", base=1),
        op("sponsors", kim.ids["sponsor"], {"deleted": [False, True]}, action="delete", base=1),
    ])
    for receipt in receipts:
        assert receipt["status"] == "rejected"
        assert number not in receipt["reason"]["ko"] + receipt["reason"]["en"]
    own, = kim.push([op("kpi_measurements", kim.ids["kpi"], {"post": [1.9, 1.5]}, action="update", base=2)])
    assert own["reason"]["code"] == "certified_locked" and number in own["reason"]["en"]  # kim's own: named


def test_business_numbers_made_for_these_tests_are_valid():
    from consultant_app.domain.validation import check_business_no

    assert all(check_business_no(business_no(seed)) == [] for seed in range(20))
