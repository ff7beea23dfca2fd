"""Evidence files: content-addressed copies, size limit before saving, recorded with the journal."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlmodel import func, select

from consultant_app.store.attachments import AttachmentTooLarge, add_attachment, blob_path, store_blob
from consultant_app.store.models import Attachment, Company, Engagement, OutboxOp


def _engagement(store) -> str:
    with store.transaction() as db:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=1, start_date=date(2018, 3, 1))
        db.add_all([company, engagement])
    return engagement.id


def test_file_is_kept_under_its_sha256_and_recorded(store, tmp_path):
    photo = tmp_path / "현장사진.jpg"
    photo.write_bytes(b"\xff\xd8 photo bytes" * 1000)
    engagement_id = _engagement(store)
    with store.transaction() as db:
        attachment = add_attachment(db, store.attachments_dir, photo, engagement_id=engagement_id, caption="before")
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    kept = blob_path(store.attachments_dir, digest)
    assert kept.read_bytes() == photo.read_bytes()
    with store.session() as db:
        saved = db.get(Attachment, attachment.id)
        assert (saved.sha256, saved.size_bytes, saved.file_name, saved.media_type) == (
            digest, photo.stat().st_size, "현장사진.jpg", "image/jpeg")
        ops = db.exec(select(OutboxOp).where(OutboxOp.row_id == attachment.id)).all()
        assert [op.action for op in ops] == ["create"]


def test_same_file_twice_is_stored_once(store, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(b"%PDF same")
    second.write_bytes(b"%PDF same")
    assert store_blob(store.attachments_dir, first) == store_blob(store.attachments_dir, second)
    files = [p for p in store.attachments_dir.rglob("*") if p.is_file()]
    assert len(files) == 1


def test_file_over_the_limit_is_refused_before_anything_is_written(store, tmp_path):
    big = tmp_path / "big.mp4"
    big.write_bytes(b"0" * 2048)
    engagement_id = _engagement(store)
    with pytest.raises(AttachmentTooLarge) as raised:
        with store.transaction() as db:
            add_attachment(db, store.attachments_dir, big, engagement_id=engagement_id, max_bytes=1024)
    assert "big.mp4" in raised.value.message("ko") and "너무 큽니다" in raised.value.message("ko")
    assert not store.attachments_dir.exists() or not any(store.attachments_dir.rglob("*"))
    with store.session() as db:
        assert db.exec(select(func.count()).select_from(Attachment)).one() == 0
