"""One way to run work off the GUI thread: progress, cancel, and results back on the GUI thread.

The contract: a task function gets a ``TaskState`` and plain data (ids, paths), opens what it needs itself,
never touches a widget, reports progress with ``state.report(done, total)`` and checks ``state.cancelled()``.
Its return value or its exception comes back to the GUI thread through signals, as a value.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskState:
    """What a running task sees: a thread-safe cancel flag and a progress reporter."""

    def __init__(self, signals: _TaskSignals):
        self._cancel = threading.Event()
        self._signals = signals

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int) -> None:
        self._signals.progress.emit(int(done), int(total))


class _TaskSignals(QObject):
    # Created on the GUI thread, so connected slots run there (queued) whatever thread emits.
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, function: Callable[[TaskState], Any], state: TaskState, signals: _TaskSignals):
        super().__init__()
        self._function, self._state, self._signals = function, state, signals

    def run(self) -> None:
        try:
            result = self._function(self._state)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread as a value
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


class TaskHandle(QObject):
    """A started task: cancel it, or listen to its signals."""

    progress_changed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, function: Callable[[TaskState], Any], parent: QObject | None = None):
        super().__init__(parent)
        self._signals = _TaskSignals(self)
        self.state = TaskState(self._signals)
        self._signals.progress.connect(self.progress_changed)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._runnable = _Runnable(function, self.state, self._signals)
        self.running = True

    def cancel(self) -> None:
        """Ask the task to stop; it ends at its next check."""
        self.state.cancel()

    def _on_finished(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)

    def _on_failed(self, error: object) -> None:
        self.running = False
        self.failed.emit(error)


class TaskRunner(QObject):
    """Starts background tasks on a thread pool; keeps each handle alive until it ends."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._handles: set[TaskHandle] = set()

    def start(self, function: Callable[[TaskState], Any], *, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> TaskHandle:
        """Run ``function(state)`` in the background; callbacks run on the GUI thread."""
        handle = TaskHandle(function, self)
        if on_progress:
            handle.progress_changed.connect(on_progress)
        if on_done:
            handle.finished.connect(on_done)
        if on_error:
            handle.failed.connect(on_error)
        handle.finished.connect(lambda _r, h=handle: self._forget(h))
        handle.failed.connect(lambda _e, h=handle: self._forget(h))
        self._handles.add(handle)
        self._pool.start(handle._runnable)
        return handle

    def _forget(self, handle: TaskHandle) -> None:
        self._handles.discard(handle)
        handle.deleteLater()

    def wait(self, msecs: int = -1) -> bool:
        """Wait for every running task (used when the app closes and in tests)."""
        return self._pool.waitForDone(msecs)

    @property
    def active(self) -> int:
        return len(self._handles)
