"""Show a background task's progress with a Cancel button: inline on a page, or in a progress dialog.

Both run the function through ``ctx.tasks`` and call ``on_done(result)`` or ``on_error(exception)`` on the GUI
thread, after the progress display is put away. Callbacks are connected through a QObject the helper owns,
so a page deleted while its task runs (the window rebuilt for a language switch) is simply not called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QProgressDialog, QPushButton, QWidget
from shiboken6 import isValid

from consultant_app.ui.i18n import format_number, translate
from consultant_app.ui.tasks import TaskHandle, TaskRunner, TaskState

TaskFunction = Callable[[TaskState], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class InlineProgress(QWidget):
    """A label, a progress bar and a Cancel button for a page's one running task; hidden when idle."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self._handle: TaskHandle | None = None
        self._on_done: Done | None = None
        self._on_error: Failed | None = None
        self.label = QLabel()
        self.label.setObjectName("progress_label")
        self.bar = QProgressBar()
        self.bar.setObjectName("progress_bar")
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(translate("InlineProgress", "취소"))
        self.cancel_button.setObjectName("progress_cancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    @property
    def running(self) -> bool:
        return self._handle is not None

    @property
    def cancel_requested(self) -> bool:
        """Whether the user pressed Cancel on the task running now (or that just ended)."""
        return self._handle is not None and self._handle.state.cancelled()

    def run(self, function: TaskFunction, *, label: str, on_done: Done | None = None,
            on_error: Failed | None = None, cancellable: bool = True) -> TaskHandle:
        """Start ``function`` in the background and show its progress here until it ends."""
        if self._handle is not None:
            raise RuntimeError("a task is already running here")
        self._on_done, self._on_error = on_done, on_error
        self.label.setText(label)
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.setEnabled(True)
        self.show()
        self._handle = self._tasks.start(function, on_done=self._finished, on_error=self._failed,
                                         on_progress=self._progress)
        return self._handle

    def cancel(self) -> None:
        """Ask the running task to stop; its on_error (or on_done) still comes when it has."""
        if self._handle is None:
            return
        self._handle.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(translate("InlineProgress", "취소하는 중…"))

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.bar.setFormat(f"{format_number(done)} / {format_number(total)}")

    def _end(self) -> tuple[Done | None, Failed | None]:
        callbacks = (self._on_done, self._on_error)
        self._handle = None
        self._on_done = self._on_error = None
        self.hide()
        return callbacks

    def _finished(self, result: object) -> None:
        on_done, _ = self._end()
        if on_done:
            on_done(result)

    def _failed(self, error: object) -> None:
        _, on_error = self._end()
        if on_error:
            on_error(error)


class _DialogTask(QObject):
    """A progress dialog bound to one task; goes away when the task ends."""

    def __init__(self, dialog: QProgressDialog, on_done: Done | None, on_error: Failed | None):
        super().__init__(dialog)
        self.dialog, self._on_done, self._on_error = dialog, on_done, on_error
        self._closed = False
        self.bar = QProgressBar(dialog)
        self.bar.setRange(0, 0)  # busy until the first report
        dialog.setBar(self.bar)

    def _alive(self) -> bool:
        # The dialog goes with its parent (a page rebuilt for a language switch) while the task still reports:
        # a queued signal must then find nothing to touch.
        return not self._closed and isValid(self) and isValid(self.dialog)

    def progress(self, done: int, total: int) -> None:
        # The dialog's own bar, not QProgressDialog.setValue(): that runs the event loop when the dialog is modal,
        # where the task's end could delete the dialog under it (seen: a crash inside setValue).
        if total > 0 and self._alive():
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def finished(self, result: object) -> None:
        if self._alive():
            self._close()
            if self._on_done:
                self._on_done(result)

    def failed(self, error: object) -> None:
        if self._alive():
            self._close()
            if self._on_error:
                self._on_error(error)

    def _close(self) -> None:
        self._closed = True
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()


def run_with_dialog(tasks: TaskRunner, function: TaskFunction, *, parent: QWidget | None, title: str, label: str,
                    on_done: Done | None = None, on_error: Failed | None = None,
                    cancellable: bool = True) -> TaskHandle:
    """Run ``function`` in the background behind a window-modal progress dialog (with Cancel if asked)."""
    dialog = QProgressDialog(label, translate("InlineProgress", "취소"), 0, 0, parent)
    dialog.setObjectName("task_progress_dialog")
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(0)
    bound = _DialogTask(dialog, on_done, on_error)
    handle = tasks.start(function, on_done=bound.finished, on_error=bound.failed, on_progress=bound.progress)
    if cancellable:
        dialog.canceled.connect(handle.cancel)
    dialog.show()
    return handle
