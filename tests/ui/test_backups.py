"""Backups from the window: a whole archive to a chosen folder, automatic ones (daily, after a sync, at quit) in
the background with the status bar saying when, and restores that check an archive before anything changes."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton
from shiboken6 import isValid
from sqlmodel import select

from consultant_app.services.companies import CompanyDraft, save_company
from consultant_app.store.attachments import add_attachment, blob_path
from consultant_app.store.models import Company, Engagement
from consultant_app.ui.tasks import TaskState
from tests.faults import set_read_only, small_filesystem
from tests.ui.test_data_page import answer_yes, choose_folder, wait_idle

TIMEOUT = 30_000


def _photo(store, tmp_path, content: bytes = b"\xff\xd8 evidence photo" * 5000) -> Path:
    """A company, an engagement and one photo kept as its evidence; returns where the app keeps the photo."""
    source = tmp_path / "현장사진.jpg"
    source.write_bytes(content)
    with store.transaction() as db:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=1, start_date=date(2018, 3, 1))
        db.add_all([company, engagement])
        add_attachment(db, store.attachments_dir, source, engagement_id=engagement.id)
    return blob_path(store.attachments_dir, hashlib.sha256(content).hexdigest())


def _archives(folder: Path, mark: str = "") -> list[Path]:
    pattern = f"consultant-backup-*{mark}*.zip" if mark else "consultant-backup-*.zip"
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def test_back_up_now_asks_for_a_folder_and_writes_the_data_and_photos_there(controller, store, qtbot, tmp_path,
                                                                             monkeypatch):
    kept = _photo(store, tmp_path)
    window = controller.window
    window.show_page("data")
    page = window.page("data")
    usb = tmp_path / "USB 드라이브"
    started = choose_folder(monkeypatch, usb)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    assert started == [str(store.backups_dir)]  # the first time; then where the last one went
    wait_idle(qtbot, page)

    [archive] = _archives(usb)
    with zipfile.ZipFile(archive) as opened:
        assert opened.read(f"attachments/{kept.name[:2]}/{kept.name}") == kept.read_bytes()
        assert "consultant.sqlite3" in opened.namelist() and "manifest.json" in opened.namelist()
    assert page.selected_backup() == archive and page.backup_list.item(0, 1).text() == "직접 백업"
    assert "첨부 파일 1개" in page.result_label.text()
    assert window.backup_label.text().startswith("마지막 백업: ") and window.backup_label.text().endswith("(직접)")
    assert window.backup_label.toolTip() == str(archive)
    page.backup_now()
    wait_idle(qtbot, page)
    assert started[-1] == str(usb) and len(_archives(usb)) == 2


def test_a_cancelled_folder_dialog_backs_up_nothing(controller, store, qtbot, tmp_path, monkeypatch):
    controller.window.show_page("data")
    page = controller.window.page("data")
    choose_folder(monkeypatch, "")
    assert page.backup_now() is None
    assert not page.progress.running and _archives(store.backups_dir) == []


def test_restoring_an_archive_brings_back_the_data_and_its_photos(controller, store, qtbot, tmp_path, monkeypatch):
    kept = _photo(store, tmp_path)
    photo = kept.read_bytes()
    window = controller.window
    window.show_page("data")
    page = window.page("data")
    choose_folder(monkeypatch, tmp_path / "usb")
    page.backup_now()
    wait_idle(qtbot, page)
    archive = page.selected_backup()
    save_company(store, CompanyDraft(business_no="2208162517", name="나중에 추가"))
    kept.unlink()  # a photo lost since

    answer_yes(monkeypatch)
    assert page.restore_backup(archive)
    qtbot.waitUntil(lambda: controller.window is not window, timeout=TIMEOUT)
    with controller.store.session() as db:
        assert db.exec(select(Company.name)).all() == ["대명정밀"]
    assert kept.read_bytes() == photo
    assert controller.window.statusBar().currentMessage().startswith(f"복원했습니다: {archive.name}")
    controller.store.close()


def _flip_photo_byte(archive: Path, photo: bytes, tmp_path: Path) -> Path:
    data = bytearray(archive.read_bytes())
    data[data.index(photo[:64]) + 100] ^= 0x01
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    return damaged


def test_a_damaged_archive_is_refused_naming_the_file_and_nothing_changes(controller, store, qtbot, tmp_path,
                                                                          monkeypatch):
    from consultant_app.store.archive import write_archive

    kept = _photo(store, tmp_path)
    damaged = _flip_photo_byte(write_archive(store.data_dir, tmp_path / "b.zip").path, kept.read_bytes(), tmp_path)
    save_company(store, CompanyDraft(business_no="2208162517", name="나중에 추가"))
    window = controller.window
    window.show_page("data")
    answer_yes(monkeypatch)
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _p, _t, text, *a, **k: errors.append(text)))

    assert window.page("data").restore_backup(damaged)
    qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT)
    assert f"attachments/{kept.name[:2]}/{kept.name}" in errors[0] and "아무것도 바꾸지 않음" in errors[0]
    with controller.store.session() as db:
        assert sorted(db.exec(select(Company.name)).all()) == ["나중에 추가", "대명정밀"]
    assert not list(store.data_dir.glob(".restore-*"))
    assert not any("before-restore" in p.name for p in store.backups_dir.glob("*"))
    controller.store.close()


def test_an_archive_without_its_list_is_refused_before_the_store_closes(controller, store, tmp_path, monkeypatch):
    bogus = tmp_path / "bogus.zip"
    with zipfile.ZipFile(bogus, "w") as opened:
        opened.writestr("consultant.sqlite3", b"whatever")
    window = controller.window
    window.show_page("data")
    answer_yes(monkeypatch)
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _p, _t, text, *a, **k: errors.append(text)))
    window.page("data").restore_backup(bogus)
    assert errors and "manifest.json" in errors[0]
    assert controller.window is window and window.isEnabled() and controller.store is store


# -- automatic archives ---------------------------------------------------------------------------------------

def test_the_daily_archive_is_made_at_start_up_in_the_background_then_not_again_that_day(
        qapp, qtbot, isolated_data_dir, monkeypatch):
    from consultant_app.ui.app import Controller, application

    # (consultant_app.ui.app is imported in the tests only: a module-level import would make test_cli's
    # "no GUI installed" test find it and open a real window.)
    monkeypatch.setattr("consultant_app.ui.app.DAILY_BACKUP_DELAY_MS", 0)
    application()
    controller = Controller(None, isolated_data_dir)
    controller.window.show()
    assert controller.open_store()
    backups = isolated_data_dir / "backups"
    qtbot.waitUntil(lambda: bool(_archives(backups, "-auto-daily")), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: controller.window.backup_label.text().endswith("(자동)"), timeout=TIMEOUT)
    assert not controller.auto_backup.start_daily_if_due()  # a day has not passed
    controller.tasks.wait()
    controller.window.close_confirmed()
    controller.store.close()


def test_a_sync_that_moved_data_is_followed_by_an_archive(controller, store, qtbot, central):
    save_company(store, CompanyDraft(business_no="1248100998", name="한빛정밀"))
    window = controller.window
    window.show_page("sync")
    page = window.page("sync")
    page.server_edit.setText(central.base_url)
    page.user_edit.setText("kim")
    page.password_edit.setText("correct horse 1")
    page.sync_now()
    qtbot.waitUntil(lambda: page.syncs == 1, timeout=60_000)
    assert page.last_report.pushed == 1
    qtbot.waitUntil(lambda: bool(_archives(store.backups_dir, "-auto-after-sync")), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not controller.auto_backup.running, timeout=TIMEOUT)
    page.sync_now()  # nothing to send or receive: no archive
    qtbot.waitUntil(lambda: page.syncs == 2, timeout=60_000)
    controller.tasks.wait()
    QApplication.processEvents()
    assert len(_archives(store.backups_dir, "-auto-after-sync")) == 1


def test_quitting_writes_an_archive_only_when_the_data_changed(controller, store, tmp_path):
    _photo(store, tmp_path)
    controller.auto_backup.at_quit()
    [first] = _archives(store.backups_dir, "-auto-quit")
    controller.auto_backup.at_quit()  # nothing changed since
    assert _archives(store.backups_dir, "-auto-quit") == [first]
    save_company(store, CompanyDraft(business_no="2208162517", name="대성기계"))
    controller.auto_backup.at_quit()
    assert len(_archives(store.backups_dir, "-auto-quit")) == 2


def test_closing_the_window_writes_the_quit_archive_and_a_rebuild_does_not(controller, store, tmp_path):
    _photo(store, tmp_path)
    assert controller.switch_language("en")  # the window rebuilt: the old one closed, not a quit
    assert _archives(store.backups_dir) == []
    window = controller.window
    window.close()  # the user quits
    assert not window.isVisible()
    [archive] = _archives(store.backups_dir, "-auto-quit")
    with zipfile.ZipFile(archive) as opened:
        assert any(name.startswith("attachments/") for name in opened.namelist())
    controller.window = controller._build_window("en")  # for the fixture to close, as it closes every window


@pytest.fixture
def slow_archive(monkeypatch):
    """Hold the archive at its first progress report until it is cancelled (as a store with many photos would)."""
    original = TaskState.report

    def report(self, done, total):
        original(self, done, total)
        self._cancel.wait(10)

    monkeypatch.setattr(TaskState, "report", report)


def test_a_slow_quit_archive_shows_a_dialog_whose_cancel_quits_without_it(controller, store, tmp_path, monkeypatch,
                                                                          slow_archive):
    _photo(store, tmp_path)
    monkeypatch.setattr("consultant_app.ui.auto_backup.QUIT_DIALOG_AFTER_MS", 50)
    seen = []

    def press_cancel() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and isValid(w)
                   and w.objectName() == "quit_backup_dialog" and w.isVisible()]
        seen.extend(d.labelText() for d in dialogs)
        if dialogs:
            dialogs[0].findChild(QPushButton).click()  # "quit without it"
        else:
            QTimer.singleShot(50, press_cancel)

    QTimer.singleShot(100, press_cancel)
    assert controller.auto_backup.at_quit() is None
    assert seen == ["끝내기 전에 데이터를 백업하는 중…"]
    assert _archives(store.backups_dir) == [] and not list(store.backups_dir.glob("*.part"))


# -- local faults at start ------------------------------------------------------------------------------------

def test_a_read_only_data_folder_at_start_is_explained_in_words(qapp, tmp_path, monkeypatch):
    from consultant_app.store import Store
    from consultant_app.ui.app import open_store_or_explain

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _p, title, text, *a, **k: shown.append(text)))
    with small_filesystem(tmp_path / "disk", "4m") as disk:
        Store.open(disk / "data", actor="tester").close()
        set_read_only(disk)
        assert open_store_or_explain(disk / "data") is None
    [text] = shown
    assert text.startswith("쓸 수 없는 폴더입니다") and str(disk / "data") in text and "OperationalError" not in text


def test_a_backup_to_a_read_only_stick_says_so_on_the_page(controller, store, qtbot, tmp_path):
    _photo(store, tmp_path)
    controller.window.show_page("data")
    page = controller.window.page("data")
    with small_filesystem(tmp_path / "stick", "1m") as stick:
        set_read_only(stick)
        page.backup_now(stick)
        wait_idle(qtbot, page)
        text = page.result_label.text()
        assert text.startswith("쓸 수 없는 폴더입니다") and str(stick) in text and page.result_label.property("failed")
        assert list(stick.iterdir()) == []
