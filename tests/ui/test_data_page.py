"""The import/export page on a real store: error lists, keep-good-rows, cancel, round trips, backup, restore."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from shiboken6 import isValid

from consultant_app.ui.pages.data import DataPage
from consultant_app.ui.tasks import TaskState
from tests.benchmarks.programme import generate
from tests.io.sample import A, B, counts, query, sample, set_cell, write_csvs

TIMEOUT = 30_000


@pytest.fixture
def page(app_ctx, qtbot):
    widget = DataPage(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    return widget


def wait_idle(qtbot, page: DataPage) -> None:
    qtbot.waitUntil(lambda: not page.progress.running, timeout=TIMEOUT)


def one_bad_row(tmp_path):
    """The sample programme with one bad cell: kpis.csv row 3, a % KPI's post value of 120."""
    sheets = sample()
    set_cell(sheets, "kpis", 3, "post", "120")
    return write_csvs(tmp_path / "files", sheets)


def shown_rows(page: DataPage) -> list[list[str]]:
    """The problem table as drawn: every cell's text."""
    model = page.problems.view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_a_bad_row_is_listed_with_file_row_column_and_reason_and_nothing_is_saved(page, store, qtbot, tmp_path):
    folder = one_bad_row(tmp_path)
    before = counts(store)
    page.import_files(folder)
    assert page.progress.isVisible()
    wait_idle(qtbot, page)

    assert page.problems.isVisible()
    [row] = shown_rows(page)
    severity, file, line, column, reason = row
    assert (severity, file, line, column) == ("오류", "kpis.csv", "3", "post")
    assert "0에서 100 사이" in reason and "120" in reason
    assert "아무것도 저장하지 않았습니다" in page.result_label.text()
    assert counts(store) == before

    qtbot.mouseClick(page.problems.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0].split("\t") == ["구분", "파일", "행", "열", "내용"]
    assert copied[1].split("\t")[:4] == ["오류", "kpis.csv", "3", "post"]


def test_keep_good_rows_saves_the_good_ones_and_lists_the_bad_one(page, store, qtbot, tmp_path):
    folder = one_bad_row(tmp_path)
    qtbot.mouseClick(page.keep_good_rows, Qt.MouseButton.LeftButton)
    assert page.keep_good_rows.isChecked()
    with qtbot.waitSignal(page.ctx.data_changed, timeout=TIMEOUT):
        page.import_files(folder)
    wait_idle(qtbot, page)

    assert [r[:4] for r in shown_rows(page)] == [["오류", "kpis.csv", "3", "post"]]
    assert counts(store)["companies"] == 2
    saved = query(store, "SELECT c.business_no, k.kpi_code FROM kpi_measurements k JOIN engagements e "
                         "ON k.engagement_id = e.id JOIN companies c ON e.company_id = c.id")
    assert len(saved) == 3 and (A, "on_time_delivery") not in saved  # the bad row, and only it, was skipped
    assert "건너뛰었습니다" in page.result_label.text()
    assert "기업 2" in page.data_summary.text()


def test_choosing_a_csv_file_in_the_dialog_imports_its_folder(page, store, qtbot, tmp_path, monkeypatch):
    folder = write_csvs(tmp_path / "files", sample())
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(folder / "companies.csv"), "")))
    page.import_files()
    wait_idle(qtbot, page)
    assert counts(store)["companies"] == 2
    assert not page.problems.isVisible()
    assert "가져왔습니다" in page.result_label.text() and "기업: 새로 2건, 변경 0건" in page.result_label.text()


@pytest.fixture
def slow_first_report(monkeypatch):
    """Hold the worker at its first progress report until Cancel is pressed (as a much bigger file would)."""
    original = TaskState.report
    reached = threading.Event()

    def report(self, done, total):
        original(self, done, total)
        if not reached.is_set():
            reached.set()
            self._cancel.wait(10)

    monkeypatch.setattr(TaskState, "report", report)
    return reached


def test_cancelling_a_large_import_saves_nothing_and_the_window_stays_responsive(
        page, store, qtbot, tmp_path, slow_first_report):
    folder = tmp_path / "programme"
    size = generate(folder, 600, seed=7)
    assert size.total > 3000
    before = counts(store)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(page.progress.running))
    timer.start(5)

    page.import_files(folder)
    assert not page.import_file_button.isEnabled()  # one task at a time
    qtbot.waitUntil(lambda: page.progress.bar.value() > 0, timeout=TIMEOUT)  # midway: rows read and checked
    qtbot.waitUntil(lambda: sum(ticks) >= 5, timeout=TIMEOUT)  # the GUI thread runs while the import does
    assert page.progress.cancel_button.isVisible()
    qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    timer.stop()

    assert slow_first_report.is_set()
    assert page.result_label.text() == "가져오기를 취소했습니다. 아무것도 저장하지 않았습니다."
    assert counts(store) == before
    assert page.import_file_button.isEnabled() and not page.progress.isVisible()


@pytest.mark.parametrize("target", ["csv-folder", "book.xlsx"])
def test_export_then_reimport_changes_nothing(demo_store, page, qtbot, tmp_path, target):
    path = tmp_path / target
    page.export_files(path)
    wait_idle(qtbot, page)
    assert path.exists()
    assert "내보냈습니다" in page.result_label.text() and "기업: 30행" in page.result_label.text()

    before = counts(demo_store)
    changed = []
    page.ctx.data_changed.connect(lambda: changed.append(True))
    page.import_files(path)
    wait_idle(qtbot, page)
    assert page.result_label.text().startswith("바뀐 내용이 없어 저장하지 않았습니다")
    assert counts(demo_store) == before  # journal included: not one row written
    assert changed == []


def choose_folder(monkeypatch, folder) -> list[str]:
    """The folder dialog answers ``folder``; returns where each dialog started."""
    started = []

    def ask(_parent, _title, start="", *_args, **_kwargs):
        started.append(start)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(ask))
    return started


def test_back_up_now_creates_a_file_listed_on_the_page(page, store, qtbot, monkeypatch):
    choose_folder(monkeypatch, store.backups_dir)
    with qtbot.waitSignal(page.ctx.backups_changed, timeout=TIMEOUT):  # the status bar shows the latest backup
        qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    [made] = list(store.backups_dir.glob("consultant-backup-*.zip"))
    assert page.backup_paths() == [made]
    assert page.backup_list.item(0, 1).text() == "직접 백업"
    assert page.backup_list.item(0, 3).text() == made.name
    assert page.selected_backup() == made
    assert str(made) in page.result_label.text()


def answer_yes(monkeypatch) -> list[str]:
    asked = []

    def question(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_restore_brings_back_the_data_of_the_backup(demo_store, controller, qtbot, tmp_path, monkeypatch):
    window = controller.window
    window.show_page("data")
    page = window.page("data")
    choose_folder(monkeypatch, tmp_path / "usb")
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    backup = page.selected_backup()
    assert backup is not None and "기업 30" in page.data_summary.text()

    page.import_files(write_csvs(tmp_path / "files", sample()))  # changed after the backup
    wait_idle(qtbot, page)
    assert "기업 32" in page.data_summary.text()

    asked = answer_yes(monkeypatch)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert asked and backup.name in asked[0]
    qtbot.waitUntil(lambda: controller.window is not window, timeout=TIMEOUT)

    assert query(demo_store, "SELECT COUNT(*) FROM companies WHERE business_no IN (?, ?)", A, B) == [(0,)]
    restored = controller.window
    assert restored.isVisible()
    qtbot.waitUntil(lambda: not isValid(window), timeout=TIMEOUT)  # the old window closed itself
    assert restored.current_key == "data"
    new_page = restored.page("data")
    assert "기업 30" in new_page.data_summary.text()
    assert restored.statusBar().currentMessage().startswith(f"복원했습니다: {backup.name}")
    assert {b.name for b in new_page.backup_paths()} >= {backup.name}
    assert any("before-restore" in b.name for b in new_page.backup_paths())  # the file replaced was kept
    controller.store.close()


def test_a_damaged_backup_is_refused_and_nothing_changes(demo_store, controller, qtbot, tmp_path, monkeypatch):
    window = controller.window
    window.show_page("data")
    before = counts(demo_store)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database" * 100)
    answer_yes(monkeypatch)
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _p, _t, text, *a, **k: errors.append(text)))

    assert window.page("data").restore_backup(damaged)
    qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT)
    assert "손상" in errors[0]
    assert counts(demo_store) == before
    assert "기업 30" in controller.window.page("data").data_summary.text()  # the store was reopened
    controller.store.close()


def test_a_database_of_another_app_is_refused_before_the_store_closes(demo_store, controller, qtbot, tmp_path,
                                                                      monkeypatch):
    import sqlite3

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    window = controller.window
    window.show_page("data")
    answer_yes(monkeypatch)
    errors = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _p, _t, text, *a, **k: errors.append(text)))

    window.page("data").restore_backup(other)
    assert errors and "이 앱의 데이터 파일이 아니라서" in errors[0]
    assert controller.window is window and window.isEnabled()
    assert controller.store is demo_store and counts(demo_store)["companies"] == 30
