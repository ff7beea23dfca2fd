"""Automatic archives from the window: daily at start-up, after a sync that moved data, and at quit.

They go to ``<data>/backups/`` (the newest 10 kept, manual archives never removed) and run in the background;
one runs at a time, and one asked for while another runs is skipped (the running one holds nearly the same data).
At quit (the window closing, before it goes) the archive is written while a progress dialog offers to quit
without it; unchanged data writes nothing.
The store modules are imported when first needed: the window is on screen before SQLAlchemy loads.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from consultant_app.ui.i18n import translate
from consultant_app.ui.tasks import TaskHandle, TaskRunner, TaskState

QUIT_DIALOG_AFTER_MS = 400  # a quick archive at quit shows no dialog at all


class AutoBackup(QObject):
    """Starts automatic archives of one data folder and says when each ended."""

    finished = Signal(object)  # the ArchiveResult, or None when nothing had changed
    failed = Signal(object)  # the exception

    def __init__(self, tasks: TaskRunner, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self.data_dir = Path(data_dir)
        self._handle: TaskHandle | None = None
        self._outcome: dict[str, Any] = {}

    @property
    def running(self) -> bool:
        return self._handle is not None

    def start(self, reason: str) -> TaskHandle | None:
        """Write an automatic archive in the background (None: one is already running)."""
        if self._handle is not None:
            return None
        data_dir = self.data_dir
        self._outcome = {}

        def work(state: TaskState) -> Any:
            from consultant_app.store.archive import automatic_archive

            return automatic_archive(data_dir, reason=reason, progress=state.report, cancelled=state.cancelled)

        self._handle = self._tasks.start(work, on_done=self._done, on_error=self._failed)
        return self._handle

    def _done(self, result: object) -> None:
        self._handle, self._outcome["result"] = None, result
        self.finished.emit(result)

    def _failed(self, error: object) -> None:
        self._handle, self._outcome["error"] = None, error
        self.failed.emit(error)

    def start_daily_if_due(self) -> TaskHandle | None:
        """The start-up archive, when the last one is older than a day."""
        from consultant_app.store.archive import daily_due

        return self.start("daily") if daily_due(self.data_dir) else None

    def at_quit(self, parent: QWidget | None = None) -> Any:
        """Write the quit archive now (the window is closing); Cancel quits without it. Returns its outcome."""
        self._wait()  # a daily or after-sync archive still writing: let it end whole
        handle = self.start("quit")
        if handle is None:
            return None
        dialog = None
        started = time.monotonic()
        while self._handle is not None:
            QApplication.processEvents()
            if dialog is None and (time.monotonic() - started) * 1000 > QUIT_DIALOG_AFTER_MS:
                dialog = self._quit_dialog(handle, parent)
            time.sleep(0.01)
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()
        from consultant_app.store.archive import ArchiveCancelled

        error = self._outcome.get("error")
        if isinstance(error, ArchiveCancelled):
            return None
        return error if error is not None else self._outcome.get("result")

    @staticmethod
    def _quit_dialog(handle: TaskHandle, parent: QWidget | None) -> QProgressDialog:
        dialog = QProgressDialog(translate("AutoBackup", "끝내기 전에 데이터를 백업하는 중…"),
                                 translate("AutoBackup", "백업하지 않고 끝내기"), 0, 0, parent)
        dialog.setObjectName("quit_backup_dialog")
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)  # its parent, the window, is disabled
        dialog.setWindowTitle(translate("AutoBackup", "자동 백업"))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(handle.cancel)
        dialog.show()
        return dialog

    def _wait(self) -> None:
        while self._handle is not None:
            QApplication.processEvents()
            time.sleep(0.01)
