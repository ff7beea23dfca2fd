"""Visits and evidence files through the service, on a real store: parsed, saved, journalled, tombstoned."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from consultant_app.domain.validation import Rule, ValidationFailed
from consultant_app.services import visits as service
from consultant_app.store import attachments
from consultant_app.store.attachments import AttachmentTooLarge
from consultant_app.store.models import Attachment, AuditEntry, Company, Engagement, OutboxOp, Visit


@pytest.fixture
def engagement_id(store) -> str:
    with store.transaction() as session:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=1, phase=1)
        session.add_all([company, engagement])
        return engagement.id


def _visit(**changes) -> service.VisitValues:
    texts = {"visit_date": "2018.06.26", "hours": "4", "activities": "5S 활동 점검", "notes": ""}
    texts.update(changes)
    return service.parse_visit(**texts)


def test_typed_text_becomes_a_visit_with_date_hours_and_trimmed_text():
    values = _visit(hours="3.5시간", activities="  공정 분석  ", notes="")
    assert values == service.VisitValues(date(2018, 6, 26), 3.5, "공정 분석", None)
    assert _visit(hours="").hours is None


@pytest.mark.parametrize(("field", "text", "rule"), [
    ("visit_date", "", Rule.REQUIRED),
    ("visit_date", "2018-02-30", Rule.NOT_A_DATE),
    ("hours", "-1", Rule.MUST_NOT_BE_NEGATIVE),
    ("hours", "abc", Rule.NOT_A_NUMBER),
    ("hours", "25", Rule.ABOVE_MAXIMUM),
])
def test_wrong_input_is_refused_with_the_field_and_rule(field, text, rule):
    with pytest.raises(ValidationFailed) as caught:
        _visit(**{field: text})
    assert [(i.field, i.rule) for i in caught.value.errors] == [(field, rule)]


def test_messages_name_the_visit_fields_in_both_languages():
    with pytest.raises(ValidationFailed) as caught:
        _visit(visit_date="", hours="-1")
    messages = [i.message("ko") for i in caught.value.errors]
    assert messages == ["방문일을(를) 입력하세요.", "방문 시간은(는) 0 이상이어야 합니다 (입력: -1)."]
    assert caught.value.errors[1].message("en") == "hours must be 0 or more (got -1)."


def test_saving_a_visit_writes_the_row_and_its_journal(store, engagement_id):
    visit_id = service.save_visit(store, engagement_id, visit_id=None, values=_visit())
    with store.session() as session:
        visit = session.get(Visit, visit_id)
        audit = session.exec(select(AuditEntry).where(AuditEntry.row_id == visit_id)).all()
        ops = session.exec(select(OutboxOp).where(OutboxOp.row_id == visit_id)).all()
    assert (visit.visit_date, visit.hours, visit.activities) == (date(2018, 6, 26), 4.0, "5S 활동 점검")
    assert [a.action for a in audit] == ["create"] and [o.action for o in ops] == ["create"]

    service.save_visit(store, engagement_id, visit_id=visit_id, values=_visit(hours="6"))
    with store.session() as session:
        ops = session.exec(select(OutboxOp).where(OutboxOp.row_id == visit_id).order_by(OutboxOp.seq)).all()
    assert ops[-1].action == "update"
    assert json.loads(ops[-1].changes) == {"hours": [4.0, 6.0]}
    assert [(r.id, r.hours) for r in service.list_visits(store, engagement_id)] == [(visit_id, 6.0)]


def test_the_visit_log_lists_newest_first_with_file_counts(store, engagement_id, tmp_path):
    first = service.save_visit(store, engagement_id, visit_id=None, values=_visit(visit_date="2018-03-01"))
    second = service.save_visit(store, engagement_id, visit_id=None, values=_visit(visit_date="2018-05-01"))
    photo = tmp_path / "사진.png"
    photo.write_bytes(b"\x89PNG not really")
    service.attach_files(store, [photo], engagement_id=engagement_id, visit_id=first)
    rows = service.list_visits(store, engagement_id)
    assert [(r.id, r.attachments) for r in rows] == [(second, 0), (first, 1)]


def test_a_file_is_kept_by_its_digest_with_an_attachment_row_and_journal(store, engagement_id, tmp_path):
    photo = tmp_path / "현장.png"
    photo.write_bytes(b"\x89PNG photo bytes")
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    [attachment_id] = service.attach_files(store, [photo], engagement_id=engagement_id)
    kept = store.attachments_dir / sha[:2] / sha
    assert kept.read_bytes() == photo.read_bytes()
    [row] = service.list_attachments(store, engagement_id)
    assert (row.id, row.file_name, row.sha256, row.path, row.visit_id, row.is_image) == (
        attachment_id, "현장.png", sha, kept, None, True)
    with store.session() as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.row_id == attachment_id)).one().action == "create"
        assert session.exec(select(OutboxOp).where(OutboxOp.row_id == attachment_id)).one().entity == "attachments"


def test_a_file_over_the_limit_is_refused_before_anything_is_copied_or_saved(store, engagement_id, tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1_048_576)
    small, big = tmp_path / "small.pdf", tmp_path / "큰파일.pdf"
    small.write_bytes(b"%PDF small")
    big.write_bytes(b"x" * 1_572_864)
    assert [e.message("ko") for e in service.oversized([small, big])] == [
        "첨부 파일이 너무 큽니다: 큰파일.pdf (1.5MB, 최대 1MB)"]
    with pytest.raises(AttachmentTooLarge):
        service.attach_files(store, [small, big], engagement_id=engagement_id)
    assert service.list_attachments(store, engagement_id) == []
    assert not store.attachments_dir.exists() or not any(store.attachments_dir.rglob("*"))


def test_deleting_a_visit_tombstones_it_and_its_files(store, engagement_id, tmp_path):
    visit_id = service.save_visit(store, engagement_id, visit_id=None, values=_visit())
    for name in ("a.png", "b.pdf"):
        (tmp_path / name).write_bytes(name.encode())
    service.attach_files(store, [tmp_path / "a.png"], engagement_id=engagement_id, visit_id=visit_id)
    service.attach_files(store, [tmp_path / "b.pdf"], engagement_id=engagement_id)
    assert service.delete_visit(store, visit_id) == 1
    assert service.list_visits(store, engagement_id) == []
    assert [r.file_name for r in service.list_attachments(store, engagement_id)] == ["b.pdf"]
    with store.session() as session:
        assert session.get(Visit, visit_id).deleted  # a tombstone, so the deletion reaches the central office
        deleted = session.exec(select(Attachment).where(Attachment.deleted == True)).all()  # noqa: E712
        assert [a.file_name for a in deleted] == ["a.png"]
        assert session.exec(select(OutboxOp).where(OutboxOp.row_id == visit_id, OutboxOp.action == "delete")).one()


def test_saving_into_a_deleted_engagement_says_so(store, engagement_id):
    with store.transaction() as session:
        session.get(Engagement, engagement_id).deleted = True
    with pytest.raises(service.RecordGone):
        service.save_visit(store, engagement_id, visit_id=None, values=_visit())


def test_attaching_reports_progress_and_stops_when_cancelled(store, engagement_id, tmp_path):
    paths = []
    for i in range(3):
        path = tmp_path / f"{i}.txt"
        path.write_text(str(i))
        paths.append(path)
    seen: list[tuple[int, int]] = []
    added = service.attach_files(store, paths, engagement_id=engagement_id, progress=lambda d, t: seen.append((d, t)),
                                 cancelled=lambda: len(seen) >= 2)
    assert len(added) == 2 and seen == [(1, 3), (2, 3)]
    assert Path(service.list_attachments(store, engagement_id)[0].path).exists()
