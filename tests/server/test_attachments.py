"""Attachment files through the real server: sent before their records, resumable, size-limited, in scope."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from sqlmodel import select

from consultant_app.store.attachments import add_attachment, blob_path
from consultant_app.store.models import OutboxOp
from consultant_app.sync.client import sync
from consultant_app.sync.transfer import FileRef, download
from tests.server.test_sync import client_for, content, laptop, record_a_company

PASSWORD = "correct horse 1"


@pytest.fixture
def people(live):
    live.add_user("kim", role="consultant", password=PASSWORD)
    live.add_user("lee", role="consultant", password=PASSWORD)
    return live


def evidence(tmp_path: Path, name: str, size: int) -> Path:
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path


def attach(store, engagement_id: str, source: Path) -> str:
    with store.transaction() as session:
        attachment = add_attachment(session, store.attachments_dir, source, engagement_id=engagement_id,
                                    caption="개선 전 사진")
        session.flush()
        return attachment.sha256


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_file_goes_up_with_its_record_and_comes_down_to_another_laptop(people, tmp_path):
    first, second = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    _, engagement_id = record_a_company(first)
    source = evidence(tmp_path, "현장사진.jpg", 2_500_000)  # three upload pieces
    digest = attach(first, engagement_id, source)
    with client_for(people, "kim") as client:
        sent = sync(first, client)
        received = sync(second, client)
    assert (sent.files_sent, sent.applied, sent.rejected) == (1, 5, 0)
    assert people.settings.attachments_dir.joinpath(digest[:2], digest).read_bytes() == source.read_bytes()
    assert (received.files_received, received.files_missing) == (1, 0)
    assert blob_path(second.attachments_dir, digest).read_bytes() == source.read_bytes()
    assert content(second)["attachments"] == content(first)["attachments"] == content(people.engine)["attachments"]
    with client_for(people, "kim") as client:
        again = sync(second, client)
    assert (again.files_sent, again.files_received) == (0, 0)
    first.close(), second.close()


def test_an_upload_cut_off_goes_on_from_what_arrived(people):
    data = os.urandom(300_000)
    digest = sha(data)
    with people.client() as client:
        headers = people.token(client, "kim")
        state = client.get(f"/attachments/{digest}/upload", headers=headers).json()
        assert state == {"sha256": digest, "received": 0, "complete": False}
        first = client.put(f"/attachments/{digest}", content=data[:100_000],
                           headers={**headers, "Upload-Offset": "0", "Upload-Length": str(len(data))})
        assert first.json() == {"sha256": digest, "received": 100_000, "complete": False}
        # the same piece again: the server says where it stands and writes nothing
        replay = client.put(f"/attachments/{digest}", content=data[:100_000],
                            headers={**headers, "Upload-Offset": "0", "Upload-Length": str(len(data))})
        assert replay.status_code == 409 and replay.json()["detail"]["received"] == 100_000
        assert client.get(f"/attachments/{digest}/upload", headers=headers).json()["received"] == 100_000
        rest = client.put(f"/attachments/{digest}", content=data[100_000:],
                          headers={**headers, "Upload-Offset": "100000", "Upload-Length": str(len(data))})
        assert rest.json() == {"sha256": digest, "received": len(data), "complete": True}
        whole = client.put(f"/attachments/{digest}", content=data,
                           headers={**headers, "Upload-Offset": "0", "Upload-Length": str(len(data))})
        assert whole.status_code == 200 and whole.json()["complete"]  # sending it again is harmless
    assert people.settings.attachments_dir.joinpath(digest[:2], digest).read_bytes() == data


def test_bytes_that_do_not_match_their_digest_are_dropped(people):
    data = b"evidence" * 1000
    wrong = sha(b"something else")
    with people.client() as client:
        headers = {**people.token(client, "kim"), "Upload-Length": str(len(data))}
        response = client.put(f"/attachments/{wrong}", content=data, headers=headers)
        assert response.status_code == 422 and response.json()["detail"]["code"] == "digest_mismatch"
        assert client.get(f"/attachments/{wrong}/upload", headers=headers).json()["received"] == 0
        bad = client.put("/attachments/not-a-digest", content=data, headers=headers)
        assert bad.status_code == 422 and bad.json()["detail"]["code"] == "bad_digest"
    assert not people.settings.attachments_dir.joinpath(wrong[:2], wrong).exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(people):
    limit = people.settings.max_attachment_bytes
    with people.client() as client:
        headers = {**people.token(client, "kim"), "Upload-Length": str(limit + 1)}
        response = client.put(f"/attachments/{'a' * 64}", content=b"x" * 10, headers=headers)
        assert response.status_code == 413
        assert response.json()["detail"]["code"] == "attachment_too_large" and "최대" in response.json()["detail"]["ko"]
        assert client.get(f"/attachments/{'a' * 64}/upload", headers=headers).json()["received"] == 0


def test_another_consultants_file_answers_404(people, tmp_path):
    store = laptop(tmp_path, "kim")
    _, engagement_id = record_a_company(store)
    digest = attach(store, engagement_id, evidence(tmp_path, "도면.pdf", 5000))
    with client_for(people, "kim") as client:
        sync(store, client)
        assert client.request("GET", f"/attachments/{digest}").content == \
            blob_path(store.attachments_dir, digest).read_bytes()
    with people.client() as client:
        headers = people.token(client, "lee")
        assert client.get(f"/attachments/{digest}", headers=headers).status_code == 404
        unknown = client.get(f"/attachments/{'b' * 64}", headers=headers)
        assert unknown.status_code == 404 and unknown.json() == client.get(
            f"/attachments/{digest}", headers=headers).json()  # the same answer as for a file that is not there
        # nor does the upload state tell lee that the server holds kim's file
        assert client.get(f"/attachments/{digest}/upload", headers=headers).json()["complete"] is False
    store.close()


def test_a_record_whose_file_never_arrived_is_rejected_and_the_rest_applied(people, tmp_path):
    store = laptop(tmp_path, "a")
    _, engagement_id = record_a_company(store)
    source = evidence(tmp_path, "사진.png", 1000)
    digest = attach(store, engagement_id, source)
    blob_path(store.attachments_dir, digest).unlink()  # lost on the laptop before it was sent
    with client_for(people, "kim") as client:
        report = sync(store, client)
    assert (report.applied, report.rejected, report.files_sent) == (4, 1, 0)
    with store.session() as session:
        op = session.exec(select(OutboxOp)).one()
    assert (op.entity, op.status) == ("attachments", "rejected") and "attachment_missing" in op.reason
    assert content(people.engine)["attachments"] == {}
    store.close()


def test_a_download_cut_off_resumes_with_a_range(people, tmp_path):
    store = laptop(tmp_path, "a")
    _, engagement_id = record_a_company(store)
    source = evidence(tmp_path, "보고서.pdf", 200_000)
    digest = attach(store, engagement_id, source)
    with client_for(people, "kim") as client:
        sync(store, client)
        target = tmp_path / "copy" / digest
        target.parent.mkdir()
        target.with_name(digest + ".part").write_bytes(source.read_bytes()[:70_000])  # what a cut transfer left
        assert download(client, target, FileRef(digest, 200_000))
        assert target.read_bytes() == source.read_bytes() and not target.with_name(digest + ".part").exists()
        corrupt = tmp_path / "copy2" / digest
        corrupt.parent.mkdir()
        corrupt.with_name(digest + ".part").write_bytes(b"\0" * 70_000)  # a wrong partial copy is fetched again
        assert download(client, corrupt, FileRef(digest, 200_000))
        assert corrupt.read_bytes() == source.read_bytes()
    store.close()


def test_a_retry_arriving_while_its_first_attempt_still_writes_is_told_where_the_upload_stands(tmp_path):
    import asyncio

    from central_server.blobs import BlobStore, OffsetMismatch

    blobs = BlobStore(tmp_path / "blobs", 10_000_000)
    data = os.urandom(200_000)
    digest = sha(data)

    async def both():
        holding, release = asyncio.Event(), asyncio.Event()

        async def first_attempt_pieces():
            yield data[:50_000]
            holding.set()  # the first piece was taken: the first attempt holds the upload
            await release.wait()
            yield data[50_000:100_000]

        async def one_piece():
            yield data[:50_000]

        first = asyncio.create_task(blobs.append("u1", digest, offset=0, total=len(data),
                                                 pieces=first_attempt_pieces()))
        await holding.wait()
        try:
            with pytest.raises(OffsetMismatch):  # the second may not write beside the first
                await blobs.append("u1", digest, offset=0, total=len(data), pieces=one_piece())
        finally:
            release.set()
        return await first
    assert asyncio.run(both()) == 100_000
    assert blobs.received("u1", digest) == 100_000


def test_abandoned_uploads_are_swept_when_the_server_starts_and_one_being_written_is_kept(tmp_path, start,
                                                                                            settings):
    import fcntl

    from central_server.blobs import PARTIAL_KEEP_S, BlobStore

    blobs = BlobStore(settings.attachments_dir, settings.max_attachment_bytes)
    partials = settings.attachments_dir / ".partial"
    partials.mkdir(parents=True)
    old = time.time() - PARTIAL_KEEP_S - 60
    for name in ("abandoned", "being-written", "recent"):
        (partials / f"{'0' * 64}.{name}").write_bytes(b"x" * 1000)
    for name in ("abandoned", "being-written"):
        os.utime(partials / f"{'0' * 64}.{name}", (old, old))
    finished = sha(b"done")
    blobs.path(finished).parent.mkdir(parents=True)
    blobs.path(finished).write_bytes(b"done")
    os.utime(blobs.path(finished), (old, old))
    with open(partials / f"{'0' * 64}.being-written", "ab") as writing:
        fcntl.flock(writing.fileno(), fcntl.LOCK_EX)  # an upload in progress holds its file
        start(settings)
    assert sorted(p.name.split(".")[1] for p in partials.iterdir()) == ["being-written", "recent"]
    assert blobs.size(finished) == 4  # complete files are never swept
    assert blobs.sweep_partials(older_than_s=0) == 2  # nothing holds them now
