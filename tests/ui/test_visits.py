"""The visits & evidence tab, typed into and clicked as a user would, on a real store."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QDropEvent, QImage, QInputMethodEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlmodel import select

from consultant_app.store import attachments
from consultant_app.store.models import Attachment, AuditEntry, Company, Engagement, OutboxOp, Visit
from consultant_app.ui.pages.evidence import THUMBNAIL_ROLE
from consultant_app.ui.pages.visits import VisitsTab


def type_text(qtbot, editor, text: str) -> None:
    """Latin keys as key presses; Hangul as a Korean input method commits each syllable."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(editor, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(editor, event)


def retype(qtbot, editor, text: str) -> None:
    """Select what the field holds and type ``text`` over it."""
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_text(qtbot, editor, text)


@pytest.fixture
def engagement_id(store) -> str:
    with store.transaction() as session:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=1, phase=1)
        session.add_all([company, engagement])
        return engagement.id


@pytest.fixture
def tab(app_ctx, qtbot, engagement_id) -> VisitsTab:
    widget = VisitsTab(app_ctx, QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.set_engagement(engagement_id)
    widget.show()
    return widget


def visits_in_store(store) -> list[Visit]:
    with store.session() as session:
        return session.exec(select(Visit).where(Visit.deleted == False)).all()  # noqa: E712


def add_visit(qtbot, tab: VisitsTab, *, day: str = "2024-05-14", hours: str = "3.5",
              activities: str = "5S 활동 점검") -> None:
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    retype(qtbot, tab.date_edit, day)
    retype(qtbot, tab.hours_edit, hours)
    tab.activities_edit.setFocus()
    type_text(qtbot, tab.activities_edit, activities)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)


def png(path, colour: str = "#3070c0", size: tuple[int, int] = (640, 480)):
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))
    return path


def test_without_an_engagement_the_tab_asks_to_choose_one(app_ctx, qtbot):
    widget = VisitsTab(app_ctx, QUndoStack())
    qtbot.addWidget(widget)
    widget.set_engagement(None)
    assert widget.pages.currentWidget() is widget.placeholder
    assert widget.placeholder.text() == "먼저 참여 차수를 선택하거나 새로 만드세요."
    assert not widget.has_unsaved_changes()


def test_a_visit_with_a_photo(tab, qtbot, store, app_ctx, engagement_id, tmp_path, monkeypatch):
    with qtbot.waitSignal(app_ctx.data_changed):
        add_visit(qtbot, tab)
    [visit] = visits_in_store(store)
    assert (visit.engagement_id, visit.visit_date, visit.hours, visit.activities) == (
        engagement_id, date(2024, 5, 14), 3.5, "5S 활동 점검")
    assert tab.model.rowCount() == 1 and tab.model.rows[0].id == visit.id
    assert tab.form_status.text() == "저장했습니다." and not tab.has_unsaved_changes()
    with store.session() as session:
        assert session.exec(select(OutboxOp).where(OutboxOp.row_id == visit.id)).one().action == "create"

    photo = png(tmp_path / "현장사진.png")
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(photo)], ""))
    assert tab.evidence.attach_target() == visit.id  # the saved visit in the form is where files go by default
    qtbot.mouseClick(tab.evidence.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.evidence.list.count() == 1 and tab.evidence.list.item(0).data(THUMBNAIL_ROLE))

    kept = store.attachments_dir / sha[:2] / sha
    assert kept.read_bytes() == photo.read_bytes()
    with store.session() as session:
        row = session.exec(select(Attachment)).one()
        audit = session.exec(select(AuditEntry).where(AuditEntry.row_id == row.id)).one()
        op = session.exec(select(OutboxOp).where(OutboxOp.row_id == row.id)).one()
    assert (row.sha256, row.file_name, row.visit_id, row.engagement_id, row.media_type, row.size_bytes) == (
        sha, "현장사진.png", visit.id, engagement_id, "image/png", photo.stat().st_size)
    assert audit.action == op.action == "create" and json.loads(op.changes)["sha256"] == [None, sha]
    thumbnail = tab.evidence.thumbnails.get(sha)
    assert (thumbnail.width(), thumbnail.height()) == (112, 84)  # the photo, shrunk with its aspect kept
    assert not tab.evidence.list.item(0).icon().isNull()
    assert tab.model.rows[0].attachments == 1

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    tab.evidence.list.setCurrentRow(0)
    qtbot.mouseClick(tab.evidence.open_button, Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [str(kept)]


def test_a_file_over_the_limit_is_refused_with_its_name_and_the_limit(tab, qtbot, store, app_ctx, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1_048_576)
    big = tmp_path / "큰사진.bmp"
    big.write_bytes(b"B" * 1_572_864)
    started = []
    original = app_ctx.tasks.start
    monkeypatch.setattr(app_ctx.tasks, "start", lambda fn, **kw: started.append(fn) or original(fn, **kw))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(big)], ""))
    qtbot.mouseClick(tab.evidence.attach_button, Qt.MouseButton.LeftButton)
    assert tab.evidence.message.isVisible()
    assert tab.evidence.message.text() == "첨부 파일이 너무 큽니다: 큰사진.bmp (1.5MB, 최대 1MB)"
    assert started == []  # refused before any copy began
    with store.session() as session:
        assert session.exec(select(Attachment)).all() == []
    assert not store.attachments_dir.exists() or not any(store.attachments_dir.rglob("*"))
    assert tab.evidence.list.count() == 0


@pytest.mark.parametrize(("hours", "message"), [
    ("-1", "방문 시간은(는) 0 이상이어야 합니다 (입력: -1)."),
    ("abc", "방문 시간은(는) 숫자여야 합니다: 'abc'"),
    ("25", "방문 시간은(는) 24 이하여야 합니다 (입력: 25)."),
])
def test_invalid_hours_show_the_message_and_save_nothing(tab, qtbot, store, hours, message):
    add_visit(qtbot, tab, hours=hours)
    assert tab.errors["hours"].isVisible() and tab.errors["hours"].text() == message
    assert tab.form_status.text() == "입력값을 확인하세요. 저장하지 않았습니다."
    assert visits_in_store(store) == []
    assert tab.has_unsaved_changes() and not tab.save_changes()


def test_a_missing_date_is_required(tab, qtbot, store):
    add_visit(qtbot, tab, day="")
    assert tab.errors["visit_date"].text() == "방문일을(를) 입력하세요."
    assert visits_in_store(store) == []


def test_field_edits_are_undone_on_the_workspace_stack(tab, qtbot, store):
    add_visit(qtbot, tab, activities="점검")
    retype(qtbot, tab.hours_edit, "6")
    type_text(qtbot, tab.notes_edit, "메모")
    assert tab.has_unsaved_changes()
    tab.undo.undo()  # the notes, typed in one go, come back as one step
    assert tab.notes_edit.toPlainText() == ""
    tab.undo.undo()
    assert tab.hours_edit.text() == "3.5"
    assert not tab.has_unsaved_changes()
    tab.undo.redo()
    assert tab.hours_edit.text() == "6"
    assert tab.save_changes()
    assert visits_in_store(store)[0].hours == 6.0


def test_the_tab_hooks_discard_and_save_pending_edits(tab, qtbot, store):
    add_visit(qtbot, tab)
    retype(qtbot, tab.hours_edit, "8")
    tab.discard_changes()
    assert tab.hours_edit.text() == "3.5" and not tab.has_unsaved_changes()
    retype(qtbot, tab.hours_edit, "2")
    assert tab.save_changes()
    assert visits_in_store(store)[0].hours == 2.0


def test_deleting_a_visit_asks_then_leaves_a_tombstone(tab, qtbot, store, monkeypatch):
    add_visit(qtbot, tab)
    [visit] = visits_in_store(store)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kw: asked.append(args[2]) or QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert "삭제할까요?" in asked[0]
    assert visits_in_store(store) == [] and tab.model.rowCount() == 0
    with store.session() as session:
        assert session.get(Visit, visit.id).deleted


def test_files_dropped_on_the_tab_are_attached_to_the_engagement(tab, qtbot, store, engagement_id, tmp_path):
    document = tmp_path / "개선보고서.pdf"
    document.write_bytes(b"%PDF-1.4 report")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(document))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    tab.dropEvent(event)
    qtbot.waitUntil(lambda: tab.evidence.list.count() == 1)
    with store.session() as session:
        row = session.exec(select(Attachment)).one()
    assert (row.file_name, row.visit_id, row.engagement_id) == ("개선보고서.pdf", None, engagement_id)
    assert not tab.evidence.list.item(0).data(THUMBNAIL_ROLE)  # a document keeps its file icon


def test_removing_a_file_asks_then_leaves_a_tombstone(tab, qtbot, store, engagement_id, tmp_path, monkeypatch):
    tab.evidence.attach_paths([png(tmp_path / "a.png")])
    qtbot.waitUntil(lambda: tab.evidence.list.count() == 1)
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: QMessageBox.StandardButton.Yes)
    tab.evidence.list.setCurrentRow(0)
    qtbot.mouseClick(tab.evidence.remove_button, Qt.MouseButton.LeftButton)
    assert tab.evidence.list.count() == 0
    with store.session() as session:
        row = session.exec(select(Attachment)).one()
        assert row.deleted
        assert session.exec(select(OutboxOp).where(OutboxOp.row_id == row.id, OutboxOp.action == "delete")).one()


def test_choosing_a_visit_shows_it_and_makes_it_the_files_target(tab, qtbot, store):
    add_visit(qtbot, tab, day="2024-05-14", activities="첫 방문")
    add_visit(qtbot, tab, day="2024-06-20", activities="둘째 방문")
    assert [r.activities for r in tab.model.rows] == ["둘째 방문", "첫 방문"]
    tab.table.selectRow(1)
    assert tab.activities_edit.toPlainText() == "첫 방문" and tab.date_edit.text() == "2024-05-14"
    assert tab.evidence.attach_target() == tab.model.rows[1].id
    tab.evidence.target_combo.setCurrentIndex(0)
    assert tab.evidence.attach_target() is None  # the engagement itself


def test_in_the_workspace_the_tab_follows_the_chosen_engagement(demo_store, main_window, qtbot):
    from consultant_app.services.visits import list_visits

    with demo_store.session() as session:
        engagement = session.exec(select(Engagement).order_by(Engagement.year.desc())).first()
    main_window.open_company(engagement.company_id)
    workspace = main_window.page("workspace")
    picker = workspace.year_picker
    picker.setCurrentIndex(picker.findData(engagement.id))
    tab = workspace.tab_widgets["visits"]
    workspace.tabs.setCurrentWidget(tab)
    assert [r.id for r in tab.model.rows] == [r.id for r in list_visits(demo_store, engagement.id)]
    assert tab.model.rowCount() > 0
    picker.setCurrentIndex(picker.count() - 1)  # "새 참여…": no engagement yet
    assert tab.pages.currentWidget() is tab.placeholder


def test_an_undo_step_of_another_visit_never_changes_the_one_shown(tab, qtbot, store):
    add_visit(qtbot, tab, day="2024-05-14", hours="3")
    add_visit(qtbot, tab, day="2024-06-20", hours="5")
    tab.table.selectRow(0)  # 2024-06-20
    retype(qtbot, tab.hours_edit, "7")
    assert tab.save_changes()
    tab.table.selectRow(1)  # 2024-05-14: the edits above were made on the other visit
    depth = tab.undo.count()
    tab.undo.undo()
    assert tab.hours_edit.text() == "3" and not tab.has_unsaved_changes()
    assert tab.undo.count() == depth - 1  # the stale step left the stack
    assert sorted(v.hours for v in visits_in_store(store)) == [3.0, 7.0]
