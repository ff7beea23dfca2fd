"""Certificates: issuing (checked again here with the domain's rules), corrections as new versions, reading one."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from central_server.auth import CurrentUser
from central_server.catalogue import catalogue_in_force
from central_server.db import serialize_writers, write_transaction
from central_server.errors import ApiError, not_found
from central_server.issuing import IssueRefused, certificates, issue, supersede, valid_certificate
from central_server.routes.attachments import blob_store
from central_server.scope import assigned_company_ids
from central_server.sync_apply import Corrections, apply_op, open_batch
from central_server.users import User
from consultant_app.store.models import SYNCED_TABLES
from consultant_app.sync.wire import MAX_OPS_PER_PUSH, Op, Receipt

router = APIRouter(prefix="/certificates", tags=["certificates"])


class IssueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    engagement_id: str = Field(min_length=1, max_length=36)


class CorrectionRequest(BaseModel):
    """Ops that change what an engagement's certificate certifies; applied together with its next version."""

    model_config = ConfigDict(extra="forbid")

    engagement_id: str = Field(min_length=1, max_length=36)
    device_id: str = Field(min_length=1, max_length=36)
    ops: list[Op] = Field(max_length=MAX_OPS_PER_PUSH)


class Certificate(BaseModel):
    """An issued certificate as the laptop keeps it (``signed``: the signed facts to embed in the PDF)."""

    id: str
    engagement_id: str
    number: str
    version: int
    code: str
    status: str
    issued_on: date
    verify_url: str
    signed: str
    superseded_by: str | None = None


class CorrectionResult(BaseModel):
    receipts: list[Receipt]
    certificate: Certificate


def _visible_engagement(connection, user: User, engagement_id: str) -> bool:
    engagements = SYNCED_TABLES["engagements"].__table__
    query = select(engagements.c.id).where(engagements.c.id == engagement_id, engagements.c.deleted == False)  # noqa: E712
    if not user.sees_everything:
        query = query.where(engagements.c.company_id.in_(assigned_company_ids(user)))
    return connection.execute(query).first() is not None


def _refused(refusal: IssueRefused) -> ApiError:
    return ApiError(422, refusal.code, refusal.ko, refusal.en)


def public_url(request: Request) -> str:
    """Where the QR codes lead: the configured address only. The address a request came to is the client's to
    choose (a Host header), so an official certificate never prints it: without one, nothing is issued."""
    configured = request.app.state.settings.public_url
    if not configured:
        raise ApiError(409, "public_url_missing",
                       "확인서를 발급할 수 없습니다: 서버의 공개 주소가 설정되지 않았습니다. 서버 관리자가 확인서의 QR 코드와 "
                       "검증 주소가 가리킬 주소를 consultant-central serve --public-url https://주소 또는 환경 변수 "
                       "CONSULTANT_CENTRAL_PUBLIC_URL로 설정해야 합니다.",
                       "Certificates cannot be issued: the server's public address is not set. The server's "
                       "administrator must set the address certificates' QR codes and verification links lead to, "
                       "with consultant-central serve --public-url https://address or the environment variable "
                       "CONSULTANT_CENTRAL_PUBLIC_URL.")
    return configured


@router.post("/issue", response_model=Certificate)
def issue_certificate(body: IssueRequest, request: Request, user: CurrentUser) -> Certificate:
    """The engagement's valid certificate, issued now if it has none; 422 with every gap if not eligible."""
    address = public_url(request)
    with write_transaction(request.app.state.engine) as connection:
        if not _visible_engagement(connection, user, body.engagement_id):
            raise not_found()
        try:
            row = issue(connection, body.engagement_id, actor=user.username, key=request.app.state.signing_key,
                        public_url=address, catalogue=catalogue_in_force(connection))
        except IssueRefused as refusal:
            raise _refused(refusal) from None
    return Certificate(**row)


@router.post("/correct", response_model=CorrectionResult)
def correct_certificate(body: CorrectionRequest, request: Request, user: CurrentUser) -> CorrectionResult:
    """Apply the ops (the certified values they change allowed) and, if they changed what the certificate says,
    issue its next version and mark this one superseded; all or nothing."""
    address = public_url(request)  # refused before any op is applied
    blobs = blob_store(request)
    with write_transaction(request.app.state.engine) as connection:
        if not _visible_engagement(connection, user, body.engagement_id):
            raise not_found()
        serialize_writers(connection)
        corrections = Corrections(allowed=frozenset({body.engagement_id}))
        shared = open_batch(connection, user, body.ops, blobs=blobs, corrections=corrections)
        receipts = [apply_op(connection, user, body.device_id, op, shared) for op in body.ops]
        try:
            old = corrections.changed.get(body.engagement_id)
            row = (supersede(connection, old, actor=user.username, key=request.app.state.signing_key,
                             public_url=address, catalogue=shared.catalogue) if old else
                   valid_certificate(connection, body.engagement_id)
                   or issue(connection, body.engagement_id, actor=user.username, key=request.app.state.signing_key,
                            public_url=address, catalogue=shared.catalogue))
        except IssueRefused as refusal:
            raise _refused(refusal) from None  # the transaction rolls back: the ops wait on the laptop
    return CorrectionResult(receipts=receipts, certificate=Certificate(**row))


@router.get("/{certificate_id}", response_model=Certificate)
def get_certificate(certificate_id: str, request: Request, user: CurrentUser) -> Certificate:
    """One certificate by id, in the caller's scope (404 outside it)."""
    with request.app.state.engine.connect() as connection:
        row = connection.execute(select(certificates).where(certificates.c.id == certificate_id)).mappings().first()
        if row is None or not _visible_engagement(connection, user, row["engagement_id"]):
            raise not_found()
    return Certificate(**row)
