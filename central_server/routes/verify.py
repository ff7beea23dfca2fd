"""Public routes: a certificate's verification page (Korean HTML, or JSON) and the office's public key."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from central_server.catalogue import catalogue_in_force
from central_server.issuing import certificates
from consultant_app.domain.codes import SupportField, label
from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.signing import SignedFacts, public_key_id, public_key_pem, signature_valid

router = APIRouter(tags=["verify"])

STATUS_KO = {"valid": "유효", "revoked": "취소됨", "superseded": "정정되어 새 판으로 대체됨"}
STATUS_EN = {"valid": "valid", "revoked": "revoked", "superseded": "superseded by a corrected version"}


@router.get("/public-key.pem", response_class=Response)
def public_key(request: Request) -> Response:
    """The office's Ed25519 public key, to verify certificates offline; its id in ``X-Key-Id``."""
    key = request.app.state.signing_key.public_key()
    return Response(public_key_pem(key), media_type="application/x-pem-file",
                    headers={"X-Key-Id": public_key_id(key)})


def _wants_json(request: Request) -> bool:
    return request.query_params.get("format") == "json" or \
        "application/json" in request.headers.get("accept", "").split(",")[0]


@router.get("/verify/{code}", response_model=None)
def verify(code: str, request: Request) -> Response:
    """What the certificate with this code certifies, whether its signature holds, and whether it still stands."""
    with request.app.state.engine.connect() as connection:
        row = connection.execute(select(certificates).where(certificates.c.code == code.upper())).mappings().first()
        newer = None
        if row is not None and row["superseded_by"]:
            newer = connection.execute(select(certificates.c.verify_url, certificates.c.version)
                                       .where(certificates.c.id == row["superseded_by"])).first()
        catalogue = catalogue_in_force(connection) if row is not None and not _wants_json(request) else None
    if row is None:
        body = {"code": code, "found": False}
        if _wants_json(request):
            return JSONResponse(body, status_code=404)
        return HTMLResponse(_page("확인서를 찾을 수 없습니다", "<p class=bad>이 확인 코드의 확인서는 발급된 적이 없습니다. "
                                  "코드를 다시 확인하세요.</p><p lang=en>No certificate was issued with this code.</p>"),
                            status_code=404)
    signed = SignedFacts.from_bytes(row["signed"].encode())
    intact = signature_valid(signed, request.app.state.signing_key.public_key())
    body = {"found": True, "number": row["number"], "version": row["version"], "code": row["code"],
            "status": row["status"], "status_ko": STATUS_KO[row["status"]], "signature_valid": intact,
            "issued_on": row["issued_on"].isoformat(), "revoked_at": row["revoked_at"].isoformat()
            if row["revoked_at"] else None, "reason": row["revoked_reason"],
            "superseded_by": newer.verify_url if newer else None, "key_id": signed.key_id, "facts": signed.facts}
    if _wants_json(request):
        return JSONResponse(body)
    return HTMLResponse(_page(f"개선 확인서 {row['number']} 제{row['version']}판", _html(body, newer, catalogue)))


def _html(body: dict[str, Any], newer, catalogue: KpiCatalogue) -> str:
    facts = body["facts"]
    status = body["status"]
    verdict = ("ok", "유효한 확인서입니다 (서명 확인됨).") if status == "valid" and body["signature_valid"] else \
        ("bad", f"이 확인서는 {STATUS_KO[status]} 상태입니다." if body["signature_valid"] else
         "서명이 맞지 않습니다: 이 기록을 믿지 마세요.")
    parts = [f"<p class={verdict[0]}><b>{escape(verdict[1])}</b> "
             f"<span lang=en>({escape(STATUS_EN[status])})</span></p>"]
    if newer is not None:
        parts.append(f"<p>새 판(제{newer.version}판): <a href=\"{escape(newer.verify_url)}\">"
                     f"{escape(newer.verify_url)}</a></p>")
    if body["reason"]:
        parts.append(f"<p>사유: {escape(body['reason'])}</p>")
    company, engagement = facts["company"], facts["engagement"]
    try:
        field_name = label(SupportField(engagement["field"]))
    except ValueError:
        field_name = engagement["field"] or "–"
    rows = [("확인서 번호", f"{body['number']} (제{body['version']}판)"), ("발급일", body["issued_on"]),
            ("기업", company["name"]), ("사업자등록번호", company["business_no"]), ("대표자", company["representative"]),
            ("후원기업", company["sponsor"]), ("차수·단계", f"{engagement['year']}차년도 {engagement['phase']}단계"),
            ("지원 분야", field_name), ("컨설턴트", engagement["consultant"]),
            ("기간", f"{engagement['start_date']} ~ {engagement['end_date']}")]
    parts.append("<table>" + "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v or '–'))}</td></tr>"
                                     for k, v in rows) + "</table>")
    kpi_rows = []
    for kpi in facts["kpis"]:
        definition = catalogue.get(kpi["code"])
        name = definition.name_ko if definition else kpi["code"]
        kpi_rows.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in (
            name, f"{_num(kpi['baseline'])} → {_num(kpi['post'])} {kpi['unit']}", _num(kpi["target"]),
            _pct(kpi["improvement_pct"]), _pct(kpi["achievement_pct"]))) + "</tr>")
    parts.append("<h2>핵심 성과지표 (KPI)</h2><table><tr><th>지표</th><th>개선 전 → 후</th><th>목표</th>"
                 "<th>개선율</th><th>목표 달성률</th></tr>" + "".join(kpi_rows) + "</table>")
    parts.append(f"<p>평균 개선율: {escape(_pct(facts['mean_improvement_pct']))}</p>")
    parts.append(f"<p class=small>서명 키 {escape(body['key_id'])} · 확인 코드 {escape(body['code'])} · "
                 f"JSON: ?format=json</p>")
    return "".join(parts)


def _num(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:,.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def _pct(value: Any) -> str:
    if isinstance(value, str):
        return "정의되지 않음"  # "undefined:<why>": e.g. a zero baseline
    return "–" if value is None else f"{value:,.1f}%"


def _page(title: str, content: str) -> str:
    return (f"<!doctype html><html lang=ko><head><meta charset=utf-8><meta name=viewport "
            f"content='width=device-width,initial-scale=1'><title>{escape(title)}</title><style>"
            "body{font-family:'Noto Sans KR','Malgun Gothic','Apple SD Gothic Neo',sans-serif;max-width:46em;"
            "margin:1.5em auto;padding:0 1em;color:#222}table{border-collapse:collapse;width:100%;margin:.8em 0}"
            "th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left}th{background:#f3f5f8;width:9em}"
            ".ok{color:#11622f;background:#e8f6ec;padding:.6em}.bad{color:#8a1010;background:#fbeaea;padding:.6em}"
            ".small{color:#666;font-size:.85em}</style></head>"
            f"<body><h1>{escape(title)}</h1>{content}<p class=small>산업혁신운동 중앙추진본부</p></body></html>")
