"""Bad requests get a clear 4xx in Korean and English: malformed JSON, invalid values, bodies too large."""

from __future__ import annotations

from dataclasses import replace

import httpx


def _detail(response: httpx.Response) -> dict:
    detail = response.json()["detail"]
    assert detail["ko"] and detail["en"]
    return detail


def test_malformed_json_is_a_400_saying_so(live):
    with live.client() as client:
        response = client.post("/auth/login", content=b'{"username": "kim", "password": ',
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert _detail(response)["code"] == "malformed_json"
    assert "not valid JSON" in _detail(response)["en"]


def test_invalid_values_are_a_422_naming_the_field_without_echoing_it(live):
    with live.client() as client:
        response = client.post("/auth/login", json={"username": "kim", "password": ["hunter2-secret"]})
        missing = client.post("/auth/login", json={"username": "kim"})
    assert response.status_code == missing.status_code == 422
    detail = _detail(response)
    assert detail["code"] == "invalid_request" and "body.password" in detail["en"]
    assert "hunter2-secret" not in response.text  # the submitted value is never sent back
    assert "body.password" in _detail(missing)["en"]


def test_a_declared_body_over_the_limit_is_refused_with_413(settings, start):
    live = start(replace(settings, max_body_bytes=1024))
    with live.client() as client:
        response = client.post("/auth/login", content=b"x" * 2048, headers={"Content-Type": "application/json"})
        fine = client.post("/auth/login", json={"username": "kim", "password": "correct horse 1"})
    assert response.status_code == 413
    detail = _detail(response)
    assert detail["code"] == "body_too_large" and detail["limit"] == 1024 and "1,024" in detail["en"]
    assert fine.status_code == 401  # a small body still reaches the route


def test_a_streamed_body_growing_over_the_limit_is_refused_with_413(settings, start):
    live = start(replace(settings, max_body_bytes=1024))

    def chunks():  # no Content-Length: sent chunked, so only counting what arrives can stop it
        yield b'{"username": "kim", "password": "'
        for _ in range(8):
            yield b"x" * 512
        yield b'"}'
    with live.client() as client:
        response = client.post("/auth/login", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert _detail(response)["code"] == "body_too_large"


def test_unknown_paths_and_methods_answer_in_the_same_shape(live):
    with live.client() as client:
        missing = client.get("/no/such/path")
        wrong_method = client.get("/auth/login")
    assert missing.status_code == 404 and _detail(missing)["code"] == "not_found"
    assert wrong_method.status_code == 405 and _detail(wrong_method)["code"] == "method_not_allowed"


def test_report_parameters_are_checked(live):
    live.add_user("boss", role="supervisor")
    with live.client() as client:
        headers = live.token(client, "boss")
        for params in ({"phase": 3}, {"year": 0}, {"lang": "fr"}, {"year": "first"}):
            response = client.get("/report/programme", params=params, headers=headers)
            assert response.status_code == 422, params
            assert _detail(response)["code"] == "invalid_request"
        assert client.get("/report/programme", params={"phase": 2, "year": 1}, headers=headers).status_code == 200


def test_values_a_database_cannot_store_are_a_4xx_and_write_nothing(live):
    """PostgreSQL refuses NUL characters and numbers past BIGINT where SQLite takes them: never a 500."""
    from sqlalchemy import func, select

    from central_server.schema import op_receipts, row_meta

    live.add_user("office", role="supervisor")
    nul_op = {"op_id": "5f0c3c0e-0000-4000-8000-000000000001", "entity": "companies",
              "row_id": "5f0c3c0e-0000-4000-8000-000000000002", "action": "create", "base_version": 0,
              "changes": {"business_no": [None, "1248100998"], "name": [None, "한빛\u0000정밀"]}}
    with live.client() as client:
        headers = live.token(client, "office")
        for path in ("/certificates/a%00b", "/companies/a%00b", "/engagements/a%00b", "/verify/a%00b?format=json"):
            response = client.get(path, headers=headers)
            assert response.status_code in (404, 422), (path, response.text)
            assert response.status_code == 404 or _detail(response)["code"] == "bad_value"
        huge = client.get("/sync/pull", params={"after": 2**64}, headers=headers)
        assert huge.status_code == 422 and "query.after" in _detail(huge)["en"]
        pushed = client.post("/sync/push", json={"device_id": "d1", "ops": [nul_op]}, headers=headers)
        assert pushed.status_code == 200, pushed.text
        receipt = pushed.json()["receipts"][0]
        # SQLite could store the NUL, PostgreSQL cannot: one rule on both, the op refused with its reason
        assert receipt["status"] == "rejected" and receipt["reason"]["code"] == "invalid"
        assert "U+0000" in receipt["reason"]["en"]
    with live.engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(row_meta)).scalar()
        receipts = connection.execute(select(func.count()).select_from(op_receipts)).scalar()
    assert receipts == 1 and stored == 0
