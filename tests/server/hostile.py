"""A hostile consultant's view of the server: raw HTTP pushes and uploads, and two consultants' records to aim at.

Bodies are sent as JSON text of our own (``json.dumps`` escapes a lone surrogate as ``\\ud800``, which httpx's
own encoder would refuse to send), so the server receives exactly what a hand-made request could hold.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from consultant_app.domain.validation import business_no_check_digit
from tests.server.live import LiveServer

PASSWORD = "correct horse 1"


def business_no(seed: int) -> str:
    """A valid business registration number (its check digit right), different for each seed."""
    first = f"{220_000_000 + seed:09d}"
    return first + str(business_no_check_digit(first))


def op(entity: str, row_id: str, changes: dict[str, list[Any]], *, action: str = "create", base: int = 0,
       op_id: str | None = None) -> dict[str, Any]:
    return {"op_id": op_id or str(uuid.uuid4()), "entity": entity, "row_id": row_id, "action": action,
            "changes": changes, "base_version": base}


def created(values: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [None, value] for name, value in values.items()}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Consultant:
    """A logged-in user over HTTP, with the ids of the records they made."""

    name: str
    http: httpx.Client
    headers: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)
    file: bytes = b""

    def push_raw(self, ops: list[dict[str, Any]], *, device_id: str = "device-1") -> httpx.Response:
        body = json.dumps({"device_id": device_id, "ops": ops})  # ensure_ascii: surrogates travel as escapes
        return self.http.post("/sync/push", content=body.encode("ascii"),
                              headers={**self.headers, "Content-Type": "application/json"})

    def push(self, ops: list[dict[str, Any]], **kwargs) -> list[dict[str, Any]]:
        response = self.push_raw(ops, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()["receipts"]

    def put(self, digest: str, content: bytes, *, length: int, offset: int = 0) -> httpx.Response:
        return self.http.put(f"/attachments/{digest}", content=content,
                             headers={**self.headers, "Upload-Length": str(length), "Upload-Offset": str(offset)})

    def upload(self, data: bytes) -> str:
        digest = sha(data)
        response = self.put(digest, data, length=len(data))
        assert response.status_code == 200 and response.json()["complete"], response.text
        return digest

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.http.get(path, headers=self.headers, **kwargs)


def login(live: LiveServer, http: httpx.Client, name: str) -> dict[str, str]:
    return live.token(http, name, PASSWORD)


def make_records(who: Consultant, seed: int, *, sponsor_id: str | None = None) -> list[dict[str, Any]]:
    """Create a company (with its sponsor), an engagement, a KPI, a visit and an attachment with its file."""
    ids = who.ids
    ids.update(company=str(uuid.uuid4()), engagement=str(uuid.uuid4()), kpi=str(uuid.uuid4()),
               visit=str(uuid.uuid4()), attachment=str(uuid.uuid4()), business_no=business_no(seed))
    ops = []
    if sponsor_id is None:
        ids["sponsor"] = sponsor_id = str(uuid.uuid4())
        ops.append(op("sponsors", sponsor_id, created({"name": f"후원기업{seed}"})))
    who.file = os.urandom(2000) + who.name.encode()
    ids["sha256"] = who.upload(who.file)
    ops += [
        op("companies", ids["company"], created({"business_no": ids["business_no"], "name": f"{who.name}정밀",
                                                 "sponsor_id": sponsor_id})),
        op("engagements", ids["engagement"], created({"company_id": ids["company"], "year": 1, "phase": 1})),
        op("kpi_measurements", ids["kpi"], created({"engagement_id": ids["engagement"], "kpi_code": "defect_rate",
                                                    "baseline": 2.5, "target": 2.0})),
        op("visits", ids["visit"], created({"engagement_id": ids["engagement"], "visit_date": "2026-03-02",
                                            "hours": 2.0, "notes": "첫 방문"})),
        op("attachments", ids["attachment"], created({"engagement_id": ids["engagement"], "visit_id": ids["visit"],
                                                      "sha256": ids["sha256"], "file_name": "사진.jpg",
                                                      "size_bytes": len(who.file)})),
    ]
    receipts = who.push(ops)
    assert [r["status"] for r in receipts] == ["applied"] * len(ops), receipts
    return receipts


def people(live: LiveServer, http: httpx.Client) -> tuple[Consultant, Consultant]:
    """kim and lee, consultants, each with a company of their own (lee's company uses kim's sponsor)."""
    for name in ("kim", "lee"):
        live.add_user(name, role="consultant", password=PASSWORD)
    kim = Consultant("kim", http, login(live, http, "kim"))
    lee = Consultant("lee", http, login(live, http, "lee"))
    make_records(kim, 1)
    make_records(lee, 2, sponsor_id=kim.ids["sponsor"])
    return kim, lee


def certify(kim: Consultant) -> dict[str, Any]:
    """Make kim's engagement eligible and have the office issue its certificate; returns the certificate."""
    ids = kim.ids
    receipts = kim.push([
        op("engagements", ids["engagement"], {"field": [None, "productivity"], "support_krw": [None, 30_000_000],
                                              "start_date": [None, "2026-03-02"], "end_date": [None, "2026-10-30"],
                                              "consultant": [None, "최컨설"]}, action="update", base=1),
        op("kpi_measurements", ids["kpi"], {"baseline_date": [None, "2026-03-10"], "post": [None, 1.9],
                                            "post_date": [None, "2026-10-20"]}, action="update", base=1),
        op("companies", ids["company"], {"representative": [None, "박대표"], "region": [None, "경남"]},
           action="update", base=1),
    ])
    assert [r["status"] for r in receipts] == ["applied"] * 3, receipts
    response = kim.http.post("/certificates/issue", json={"engagement_id": ids["engagement"]}, headers=kim.headers)
    assert response.status_code == 200, response.text
    return response.json()
