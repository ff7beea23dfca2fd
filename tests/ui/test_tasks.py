"""Background tasks: results, errors and progress come back on the GUI thread; cancel stops; several run."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QWidget

from consultant_app.ui.progress import InlineProgress, run_with_dialog
from consultant_app.ui.tasks import TaskRunner


@pytest.fixture
def runner(qapp):
    tasks = TaskRunner()
    yield tasks
    tasks.wait()


class Calls:
    """What callbacks received, and on which thread they ran."""

    def __init__(self):
        self.values: list = []
        self.threads: list = []

    def __call__(self, *args):
        self.values.append(args[0] if len(args) == 1 else args)
        self.threads.append(QThread.currentThread())


def test_a_result_arrives_on_the_gui_thread(runner, qtbot, qapp):
    done = Calls()
    handle = runner.start(lambda _state: (threading.get_ident(), 42), on_done=done)
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    [(worker_thread, value)] = done.values
    assert value == 42
    assert worker_thread != threading.get_ident()  # it really ran elsewhere
    assert done.threads == [qapp.thread()]


def test_an_exception_arrives_as_a_value_on_the_gui_thread(runner, qtbot, qapp):
    done, failed = Calls(), Calls()

    def broken(_state):
        raise ValueError("bad cell")

    handle = runner.start(broken, on_done=done, on_error=failed)
    with qtbot.waitSignal(handle.failed, timeout=5000):
        pass
    [error] = failed.values
    assert isinstance(error, ValueError) and str(error) == "bad cell"
    assert failed.threads == [qapp.thread()]
    assert done.values == []


def test_progress_reports_arrive_in_order_before_the_result(runner, qtbot, qapp):
    events = []

    def counting(state):
        for done in range(1, 6):
            state.report(done, 5)
        return "done"

    handle = runner.start(counting, on_progress=lambda d, t: events.append(((d, t), QThread.currentThread())),
                          on_done=lambda r: events.append((r, QThread.currentThread())))
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass
    assert [e for e, _ in events] == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5), "done"]
    assert {thread for _, thread in events} == {qapp.thread()}


def test_cancel_stops_a_long_task(runner, qtbot):
    started = threading.Event()

    def endless(state):
        started.set()
        for step in range(1000):  # ~10 s unless cancelled
            if state.cancelled():
                return ("stopped", step)
            state.report(step, 1000)
            threading.Event().wait(0.01)
        return ("ran out", 1000)

    results = Calls()
    handle = runner.start(endless, on_done=results)
    assert started.wait(5)
    with qtbot.waitSignal(handle.progress_changed, timeout=5000):
        pass
    with qtbot.waitSignal(handle.finished, timeout=5000):
        handle.cancel()
    [(how, step)] = results.values
    assert how == "stopped" and step < 1000
    assert not handle.running


def test_several_tasks_run_at_once_and_all_finish(runner, qtbot):
    # Two tasks meet at a barrier: it only opens if both run at the same time (the pool has two threads).
    barrier = threading.Barrier(2, timeout=5)
    results = Calls()

    def meet(index):
        def work(_state):
            if index < 2:
                barrier.wait()
            return index
        return work

    for index in range(6):
        runner.start(meet(index), on_done=results, on_error=results)
    qtbot.waitUntil(lambda: len(results.values) == 6, timeout=5000)
    assert sorted(results.values) == list(range(6))
    assert runner.active == 0


def test_the_inline_progress_shows_progress_and_its_cancel_stops_the_task(runner, qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    progress = InlineProgress(runner, host)
    host.show()
    release = threading.Event()
    outcomes = Calls()

    def waiting(state):
        state.report(3, 10)
        release.wait(5)  # holds until the test has seen the progress
        return "cancelled" if state.cancelled() else "finished"

    progress.run(waiting, label="working", on_done=outcomes)
    assert progress.isVisible() and progress.running
    qtbot.waitUntil(lambda: progress.bar.value() == 3 and progress.bar.maximum() == 10, timeout=5000)
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    assert not progress.cancel_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: outcomes.values == ["cancelled"], timeout=5000)
    assert not progress.isVisible() and not progress.running


def test_a_page_deleted_while_its_task_runs_is_not_called(runner, qtbot):
    # E.g. the window is rebuilt for another language while an import runs.
    from shiboken6 import isValid

    host = QWidget()
    progress = InlineProgress(runner, host)
    release = threading.Event()
    calls = Calls()
    progress.run(lambda _s: release.wait(5) and "late", label="", on_done=calls)
    host.deleteLater()
    qtbot.waitUntil(lambda: not isValid(progress), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: runner.active == 0, timeout=5000)  # the runner still forgets the task
    assert calls.values == []


def test_a_dialog_task_delivers_its_result_and_goes_away(runner, qtbot, qapp):
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    results = Calls()
    run_with_dialog(runner, lambda state: (state.report(1, 2), "ok")[1], parent=host, title="t", label="l",
                    on_done=results, cancellable=False)
    qtbot.waitUntil(lambda: results.values == ["ok"], timeout=5000)
    assert results.threads == [qapp.thread()]
    qtbot.waitUntil(lambda: host.findChild(QWidget, "task_progress_dialog") is None, timeout=5000)
