"""Hostile values in pushes of valid shape, over real HTTP on SQLite and PostgreSQL: huge integers, lone
surrogates, NUL, long text, floats where integers go, values of the wrong kind. None may make the server fail
(5xx), and one such op never costs the others of its batch: it is rejected with its reason, they apply."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultant_app.sync.wire import user_fields
from tests.server.hostile import Consultant, created, op, people


@pytest.fixture
def two(live):
    with live.client() as http:
        yield people(live, http)


def new_visit(kim: Consultant, notes: str = "정상 방문") -> dict[str, Any]:
    return op("visits", str(uuid.uuid4()), created({"engagement_id": kim.ids["engagement"],
                                                    "visit_date": "2026-06-01", "notes": notes}))


def between_good_ops(kim: Consultant, hostile: dict[str, Any]) -> dict[str, Any]:
    """Push [good, hostile, good]: the good ones apply whatever the hostile one holds; its receipt is returned."""
    response = kim.push_raw([new_visit(kim), hostile, new_visit(kim, "두 번째 정상 방문")])
    assert response.status_code == 200, response.text
    first, receipt, last = response.json()["receipts"]
    assert first["status"] == last["status"] == "applied", (first, last)
    assert receipt["op_id"] == hostile["op_id"]
    return receipt


def update(kim: Consultant, entity: str, changes: dict[str, list]) -> dict[str, Any]:
    key = {"companies": "company", "engagements": "engagement", "kpi_measurements": "kpi", "visits": "visit",
           "attachments": "attachment", "sponsors": "sponsor"}[entity]
    return op(entity, kim.ids[key], changes, action="update", base=1)


CASES = [
    ("companies", {"employees": [None, 10**30]}, "out_of_range", "2,147,483,647"),
    ("companies", {"employees": [None, 2**31]}, "out_of_range", "2,147,483,647"),
    ("engagements", {"support_krw": [None, 2**63]}, "out_of_range", "9,223,372,036,854,775,807"),
    ("engagements", {"support_krw": [None, -(2**63) - 1]}, "out_of_range", "9,223,372,036,854,775,808"),
    ("visits", {"hours": [2.0, 10**400]}, "out_of_range", "finite"),
    ("visits", {"hours": [2.0, float("nan")]}, "out_of_range", "finite"),
    ("visits", {"hours": [2.0, float("inf")]}, "out_of_range", "finite"),
    ("visits", {"notes": ["첫 방문", "앞\ud800뒤"]}, "invalid", "U+D800"),
    ("visits", {"notes": ["첫 방문", "앞\x00뒤"]}, "invalid", "U+0000"),
    ("companies", {"name": ["kim정밀", "a" * 1_200_000]}, "invalid", "1,200,000"),
    ("companies", {"representative": [None, "가" * 301]}, "invalid", "300"),
    ("companies", {"employees": [None, 3.5]}, "bad_value", "whole number"),
    ("companies", {"employees": [None, 3.0]}, "bad_value", "whole number"),
    ("companies", {"employees": [None, True]}, "bad_value", "whole number"),
    ("companies", {"name": ["kim정밀", 5]}, "bad_value", "text"),
    ("companies", {"name": ["kim정밀", {"nested": [1, 2]}]}, "bad_value", "text"),
    ("visits", {"visit_date": ["2026-03-02", "\ud800"]}, "bad_value", "date"),
    ("visits", {"visit_date": ["2026-03-02", "9" * 100_000]}, "bad_value", "date"),
    ("visits", {"visit_date": ["2026-03-02", None]}, "invalid", "visit date"),
    ("visits", {"deleted": [False, None]}, "invalid", "deleted"),
    ("visits", {"deleted": [False, True], "notes": ["첫 방문", "\x00"]}, "invalid", "U+0000"),
    ("visits", {"\ud800": [None, 1]}, "bad_fields", "U+D800"),
    ("visits", {"notes": "[old, new] it is not"}, "bad_fields", "[old, new]"),
    ("attachments", {"sha256": ["x", "\udfff" * 64]}, "invalid", "U+DFFF"),
    ("attachments", {"size_bytes": [1, 2**40]}, "out_of_range", "2,147,483,647"),
]


@pytest.mark.parametrize("entity, changes, code, words", CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_a_hostile_value_is_its_ops_rejection_with_the_reason(live, two, entity, changes, code, words):
    kim, _ = two
    receipt = between_good_ops(kim, update(kim, entity, changes))
    assert receipt["status"] == "rejected", receipt
    reason = receipt["reason"]
    assert reason["code"] == code and reason["ko"] and words in reason["en"], reason
    assert len(reason["en"]) < 1000  # the value itself is never quoted back


def test_a_surrogate_in_a_new_rows_reference_is_rejected_before_any_lookup(live, two):
    kim, _ = two
    hostile = op("engagements", str(uuid.uuid4()), created({"company_id": "\ud800", "year": 5}))
    assert between_good_ops(kim, hostile)["reason"]["code"] == "invalid"
    company = op("companies", str(uuid.uuid4()), created({"business_no": "\x00" * 10, "name": "널"}))
    assert between_good_ops(kim, company)["reason"]["code"] == "invalid"


def test_the_largest_amounts_both_databases_hold_are_applied(live, two):
    kim, _ = two
    receipt = between_good_ops(kim, update(kim, "engagements", {"support_krw": [None, 2**63 - 1]}))
    assert receipt["status"] == "applied"
    assert between_good_ops(kim, update(kim, "companies", {"employees": [None, 2**31 - 1]}))["status"] == "applied"


@pytest.mark.parametrize("field, value", [("op_id", "\ud800"), ("row_id", "a\x00b"), ("entity", "\ud800"),
                                          ("\ud800", 1), ("base_version", 2**64)])
def test_a_hostile_envelope_is_refused_whole_and_never_a_server_error(live, two, field, value):
    kim, _ = two
    response = kim.push_raw([{**new_visit(kim), field: value}])
    assert response.status_code == 422 and response.json()["detail"]["code"] == "invalid_request"
    device = kim.push_raw([new_visit(kim)], device_id="\ud800")
    assert device.status_code == 422


def test_an_unknown_entity_is_rejected_by_name(live, two):
    kim, _ = two
    receipt = between_good_ops(kim, op("certificates", str(uuid.uuid4()), created({"number": "IIM-1"})))
    assert receipt["reason"]["code"] == "unknown_entity"


# Values of every kind a JSON body can hold, chosen to break a database or an answer.
HUGE = st.one_of(st.integers(min_value=2**31, max_value=10**40), st.integers(min_value=-(10**40), max_value=-(2**31)),
                 st.sampled_from([2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 10**30, 10**400]))
NASTY_TEXT = st.text(alphabet=st.sampled_from(["\ud800", "\udfff", "\x00", "\x1b", "\ufffe", "a", "한", "\n"]),
                     min_size=1, max_size=12)
LONG_TEXT = st.integers(min_value=290, max_value=25_000).map(lambda n: "가" * n)
HOSTILE = st.one_of(HUGE, NASTY_TEXT, LONG_TEXT, st.floats(), st.booleans(), st.none(), st.text(max_size=20),
                    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                    st.integers(min_value=-5, max_value=5), st.sampled_from(["2026-03-02", "2026-02-30", ""]))
TARGETS = ["companies", "engagements", "kpi_measurements", "visits", "attachments", "sponsors"]


@st.composite
def hostile_ops(draw, kim: Consultant) -> dict[str, Any]:
    entity = draw(st.sampled_from(TARGETS))
    names = sorted(user_fields(entity)) + [draw(NASTY_TEXT)]
    changes = {name: [draw(HOSTILE), draw(HOSTILE)]
               for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))}
    if draw(st.booleans()):
        return update(kim, entity, changes)
    if entity not in ("companies", "sponsors"):
        changes.setdefault("engagement_id" if entity != "engagements" else "company_id",
                           [None, kim.ids["engagement" if entity != "engagements" else "company"]])
    return op(entity, str(uuid.uuid4()), changes)


EXAMPLES = 2000


def test_no_hostile_value_makes_the_server_fail_or_costs_the_batch_its_good_ops(live, two):
    kim, _ = two

    @given(ops=st.lists(hostile_ops(kim), min_size=1, max_size=3))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    def push(ops):
        good = [new_visit(kim), new_visit(kim)]
        response = kim.push_raw([good[0], *ops, good[1]])
        assert response.status_code == 200, (response.status_code, response.text[:500], json.dumps(ops)[:500])
        receipts = response.json()["receipts"]
        assert [r["op_id"] for r in receipts] == [o["op_id"] for o in [good[0], *ops, good[1]]]
        assert receipts[0]["status"] == receipts[-1]["status"] == "applied", (receipts, json.dumps(ops)[:500])
        for receipt in receipts[1:-1]:
            assert receipt["status"] == "applied" or receipt["reason"] or receipt["conflicts"]

    push()
    # Whatever was applied can be read back whole: no stored value breaks a pull or a record's page.
    for after in (0,):
        pulled = kim.get("/sync/pull", params={"after": after, "limit": 2000})
        assert pulled.status_code == 200, pulled.text[:500]
    assert kim.get(f"/companies/{kim.ids['company']}").status_code in (200, 404)
    assert kim.get(f"/engagements/{kim.ids['engagement']}").status_code in (200, 404)
