"""Attachment files by SHA-256: resumable uploads in pieces, and downloads of the files a user may see.

Upload: ``GET /attachments/{sha256}/upload`` says how much of this user's upload has arrived; each
``PUT /attachments/{sha256}`` sends the piece starting there (``Upload-Offset``) of a file of ``Upload-Length``
bytes. Sending a piece again, or a whole file the user already holds, changes nothing. A user learns whether the
server holds a file only by uploading it whole, or by seeing an attachment record that names it: for anyone else
the answers are those of a file the server never saw (``central_server/possession.py``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel

from central_server.auth import CurrentUser
from central_server.blobs import BlobStore, DigestMismatch, OffsetMismatch, is_digest
from central_server.errors import ApiError, not_found
from central_server.possession import held_size, record_upload, sees_a_record_naming
from central_server.users import User

router = APIRouter(prefix="/attachments", tags=["attachments"])


class UploadState(BaseModel):
    """Where an upload stands: bytes received, and whether the server now holds the whole file."""

    sha256: str
    received: int
    complete: bool


def blob_store(request: Request) -> BlobStore:
    settings = request.app.state.settings
    return BlobStore(settings.attachments_dir, settings.max_attachment_bytes)


def _digest(sha256: str) -> str:
    if not is_digest(sha256):
        raise ApiError(422, "bad_digest", "첨부 파일 주소는 소문자 16진수 SHA-256(64자)이어야 합니다.",
                       "An attachment is addressed by its SHA-256 in lower-case hex (64 characters).")
    return sha256


def _held(request: Request, user: User, sha256: str) -> int | None:
    with request.app.state.engine.connect() as connection:
        return held_size(connection, blob_store(request), user, sha256)


@router.get("/{sha256}/upload", response_model=UploadState)
def upload_state(sha256: str, request: Request, user: CurrentUser) -> UploadState:
    """How much of this user's upload of the file has arrived (complete only for a file they hold)."""
    blobs = blob_store(request)
    sha256 = _digest(sha256)
    size = _held(request, user, sha256)
    if size is not None:
        return UploadState(sha256=sha256, received=size, complete=True)
    return UploadState(sha256=sha256, received=blobs.received(user.id, sha256), complete=False)


@router.put("/{sha256}", response_model=UploadState)
async def upload_piece(sha256: str, request: Request, user: CurrentUser,
                       upload_length: Annotated[int, Header(ge=0)],
                       upload_offset: Annotated[int, Header(ge=0)] = 0) -> UploadState:
    """Append the piece at ``Upload-Offset``; the last piece makes the file whole, checked against its digest."""
    blobs = blob_store(request)
    sha256 = _digest(sha256)
    if upload_length > blobs.max_bytes:
        raise ApiError(413, "attachment_too_large",
                       f"첨부 파일이 너무 큽니다: {upload_length:,}바이트 (최대 {blobs.max_bytes:,}바이트).",
                       f"The attachment is too large: {upload_length:,} bytes (at most {blobs.max_bytes:,}).",
                       limit=blobs.max_bytes)
    if await run_in_threadpool(_held, request, user, sha256) == upload_length:
        blobs.discard(user.id, sha256)  # theirs already: nothing to send
        return UploadState(sha256=sha256, received=upload_length, complete=True)
    # Anyone else sends every byte, even of a file the server has: the bytes are the proof, never the hash.
    try:
        received = await blobs.append(user.id, sha256, offset=upload_offset, total=upload_length,
                                      pieces=request.stream())
    except OffsetMismatch as mismatch:
        raise ApiError(409, "wrong_offset", f"이어 보낼 위치가 다릅니다: 서버는 {mismatch.received:,}바이트를 받았습니다.",
                       f"The piece starts at the wrong place: the server has {mismatch.received:,} bytes.",
                       received=mismatch.received) from None
    except ValueError:
        blobs.discard(user.id, sha256)
        raise ApiError(400, "too_many_bytes", "보낸 내용이 알린 파일 크기(Upload-Length)보다 큽니다.",
                       "More bytes were sent than the file's length (Upload-Length).") from None
    if received < upload_length:
        return UploadState(sha256=sha256, received=received, complete=False)
    try:
        await run_in_threadpool(blobs.finish, user.id, sha256)
    except DigestMismatch:
        raise ApiError(422, "digest_mismatch", "받은 파일의 SHA-256이 주소와 다릅니다. 처음부터 다시 보내세요.",
                       "The file received does not have the SHA-256 it was sent under; send it again.") from None
    await run_in_threadpool(record_upload, request.app.state.engine, user, sha256, received)
    return UploadState(sha256=sha256, received=received, complete=True)


@router.get("/{sha256}")
def download(sha256: str, request: Request, user: CurrentUser) -> FileResponse:
    """The file, when an attachment record the user may see names it (ranges served, so a download resumes)."""
    blobs = blob_store(request)
    sha256 = _digest(sha256)
    with request.app.state.engine.connect() as connection:
        visible = sees_a_record_naming(connection, user, sha256)
    if not visible or blobs.size(sha256) is None:
        raise not_found()
    return FileResponse(blobs.path(sha256), media_type="application/octet-stream")
