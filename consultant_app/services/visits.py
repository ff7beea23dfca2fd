"""Site visits and evidence files of one engagement: read, validate, save, tombstone; no Qt."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import select

from consultant_app.domain.validation import Issue, Rule, ValidationFailed, text_issues
from consultant_app.errors import AppError
from consultant_app.io.cells import CellError, number_parser, parse_date
from consultant_app.store import attachments as attachment_store
from consultant_app.store.attachments import AttachmentTooLarge, add_attachment, blob_path
from consultant_app.store.database import Store
from consultant_app.store.models import Attachment, Engagement, Visit

MAX_VISIT_HOURS = 24.0
_parse_hours = number_parser(("시간", "h", "hours"))

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/tiff"})


class RecordGone(AppError):
    """The engagement or visit was deleted meanwhile (in another window, by an import or a sync)."""

    def __init__(self) -> None:
        super().__init__("이 기록은 그 사이에 삭제되었습니다. 목록을 새로 고칩니다.",
                         "This record was deleted meanwhile; the list is refreshed.")


@dataclass(frozen=True, slots=True)
class VisitValues:
    """A visit's fields, parsed and checked."""

    visit_date: date
    hours: float | None
    activities: str | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class VisitRow:
    """A visit as the visit log lists it."""

    id: str
    visit_date: date
    hours: float | None
    activities: str | None
    notes: str | None
    attachments: int


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """An evidence file as the evidence list shows it, with where its bytes are kept."""

    id: str
    visit_id: str | None
    sha256: str
    file_name: str
    media_type: str | None
    size_bytes: int
    caption: str | None
    path: Path

    @property
    def is_image(self) -> bool:
        return (self.media_type or "") in IMAGE_TYPES


def parse_visit(*, visit_date: str, hours: str, activities: str, notes: str) -> VisitValues:
    """Typed text to a visit: the date is required, hours are 0–24, texts storable; raises ValidationFailed with
    every issue."""
    issues: list[Issue] = []
    parsed_date: date | None = None
    if not visit_date.strip():
        issues.append(Issue(Rule.REQUIRED, "visit_date"))
    else:
        try:
            parsed_date = parse_date(visit_date.strip())
        except CellError:
            issues.append(Issue(Rule.NOT_A_DATE, "visit_date", {"value": visit_date.strip()}))
    parsed_hours: float | None = None
    if hours.strip():
        try:
            parsed_hours = _parse_hours(hours.strip())
        except CellError:
            issues.append(Issue(Rule.NOT_A_NUMBER, "hours", {"value": hours.strip()}))
        else:
            if parsed_hours < 0:
                issues.append(Issue(Rule.MUST_NOT_BE_NEGATIVE, "hours", {"value": hours.strip()}))
            elif parsed_hours > MAX_VISIT_HOURS:
                issues.append(Issue(Rule.ABOVE_MAXIMUM, "hours", {"value": hours.strip(), "max": 24}))
    issues += text_issues({"activities": activities.strip(), "notes": notes.strip()})
    if issues:
        raise ValidationFailed(issues)
    assert parsed_date is not None
    return VisitValues(parsed_date, parsed_hours, activities.strip() or None, notes.strip() or None)


def list_visits(store: Store, engagement_id: str) -> list[VisitRow]:
    """The engagement's live visits, newest first, with how many files each has."""
    with store.session() as session:
        visits = session.exec(
            select(Visit).where(Visit.engagement_id == engagement_id, Visit.deleted == False)  # noqa: E712
            .order_by(Visit.visit_date.desc(), Visit.created_at.desc())
        ).all()
        counts = Counter(session.exec(
            select(Attachment.visit_id).where(Attachment.engagement_id == engagement_id,
                                              Attachment.deleted == False)  # noqa: E712
        ).all())
    return [VisitRow(v.id, v.visit_date, v.hours, v.activities, v.notes, counts.get(v.id, 0)) for v in visits]


def save_visit(store: Store, engagement_id: str, *, visit_id: str | None, values: VisitValues) -> str:
    """Add a visit (``visit_id`` None) or change one, in one journalled transaction; returns its id."""
    with store.transaction() as session:
        engagement = session.get(Engagement, engagement_id)
        if engagement is None or engagement.deleted:
            raise RecordGone()
        if visit_id is None:
            visit = Visit(engagement_id=engagement_id, visit_date=values.visit_date)
            session.add(visit)
        else:
            visit = session.get(Visit, visit_id)
            if visit is None or visit.deleted:
                raise RecordGone()
        visit.visit_date = values.visit_date
        visit.hours = values.hours
        visit.activities = values.activities
        visit.notes = values.notes
        return visit.id


def delete_visit(store: Store, visit_id: str) -> int:
    """Tombstone a visit and the files attached to it; returns how many files went with it."""
    with store.transaction() as session:
        visit = session.get(Visit, visit_id)
        if visit is None or visit.deleted:
            return 0
        visit.deleted = True
        files = session.exec(
            select(Attachment).where(Attachment.visit_id == visit_id, Attachment.deleted == False)  # noqa: E712
        ).all()
        for attachment in files:
            attachment.deleted = True
        return len(files)


def list_attachments(store: Store, engagement_id: str) -> list[AttachmentRow]:
    """The engagement's live evidence files (its own and its visits'), oldest first."""
    with store.session() as session:
        rows = session.exec(
            select(Attachment)
            .outerjoin(Visit, Visit.id == Attachment.visit_id)
            .where(Attachment.engagement_id == engagement_id, Attachment.deleted == False)  # noqa: E712
            .where((Attachment.visit_id == None) | (Visit.deleted == False))  # noqa: E711,E712
            .order_by(Attachment.created_at, Attachment.file_name)
        ).all()
    return [AttachmentRow(a.id, a.visit_id, a.sha256, a.file_name, a.media_type, a.size_bytes, a.caption,
                          blob_path(store.attachments_dir, a.sha256)) for a in rows]


def delete_attachment(store: Store, attachment_id: str) -> None:
    """Tombstone one evidence file (its bytes stay: another record may share them)."""
    with store.transaction() as session:
        attachment = session.get(Attachment, attachment_id)
        if attachment is not None and not attachment.deleted:
            attachment.deleted = True


def attachment_limit() -> int:
    """The size limit now in force (read at call time, so a changed limit applies at once)."""
    return attachment_store.MAX_ATTACHMENT_BYTES


def oversized(paths: list[Path], *, max_bytes: int | None = None) -> list[AttachmentTooLarge]:
    """The files over the size limit, each as the error to show (naming the file and the limit)."""
    limit = attachment_limit() if max_bytes is None else max_bytes
    errors = []
    for path in paths:
        size = Path(path).stat().st_size
        if size > limit:
            error = AttachmentTooLarge(Path(path), size, limit)
            error.path = Path(path)
            errors.append(error)
    return errors


def attach_files(store: Store, paths: list[Path], *, engagement_id: str, visit_id: str | None = None,
                 max_bytes: int | None = None, progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> list[str]:
    """Keep each file as evidence, one transaction per file; raises AttachmentTooLarge before saving anything."""
    limit = attachment_limit() if max_bytes is None else max_bytes
    too_big = oversized(paths, max_bytes=limit)
    if too_big:
        raise too_big[0]
    added: list[str] = []
    for done, path in enumerate(paths):
        if cancelled is not None and cancelled():
            break
        with store.transaction() as session:
            attachment = add_attachment(session, store.attachments_dir, Path(path), engagement_id=engagement_id,
                                        visit_id=visit_id, max_bytes=limit)
            added.append(attachment.id)
        if progress is not None:
            progress(done + 1, len(paths))
    return added
