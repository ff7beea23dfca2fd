"""Sync with the central office: log in, sync in the background with progress and Cancel, and settle what the
office did not apply (conflicts a person decides; rejected changes fixed, sent again or discarded)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consultant_app.errors import AppError, error_text
from consultant_app.sync.resolve import WaitingOp
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import format_number, translate
from consultant_app.ui.models.waiting_ops import WaitingOpsModel
from consultant_app.ui.pages.base import Page
from consultant_app.ui.pages.sync_dialogs import ConflictDialog, FixDialog
from consultant_app.ui.progress import InlineProgress
from consultant_app.ui.tasks import TaskHandle, TaskState
from consultant_app.ui.widgets.page_parts import page_title

PENDING_SHOWN = 1000  # pending changes listed; the count says how many there are in all


class _Phases(QObject):
    # Made on the GUI thread: the worker's emits arrive there, queued.
    changed = Signal(str, int, int)


def _phase_text(phase: str) -> str:
    return {"upload": translate("SyncPage", "첨부 파일을 보내는 중…"), "push": translate("SyncPage", "변경을 보내는 중…"),
            "pull": translate("SyncPage", "변경을 받는 중…"),
            "download": translate("SyncPage", "첨부 파일을 받는 중…")}.get(phase, phase)


class SyncPage(Page):
    """Server and user, 지금 동기화 with progress and Cancel, the last sync, and the changes still waiting."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        from consultant_app.sync.account import last_sync

        self.last_report = None  # the last sync's SyncReport (tests wait on syncs)
        self.syncs = 0  # syncs ended, well or not
        self.phases_seen: list[tuple[str, int, int]] = []
        self.dialog: ConflictDialog | FixDialog | None = None
        self._plain_http: tuple[str, str] | None = None  # the warning for the address being synced with
        self._phases = _Phases(self)
        self._phases.changed.connect(self._on_phase)

        last = last_sync(ctx.store)
        self.server_edit = QLineEdit(last.server or "")
        self.server_edit.setObjectName("sync_server")
        self.server_edit.setPlaceholderText("https://iim.example.kr")
        self.user_edit = QLineEdit(last.user or "")
        self.user_edit.setObjectName("sync_user")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("sync_password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(lambda: self.sync_now())
        self.password_label = QLabel(translate("SyncPage", "비밀번호"))
        self.token_note = QLabel(translate("SyncPage", "저장된 로그인이 있어 비밀번호 없이 동기화합니다."))
        self.token_note.setObjectName("sync_token_note")
        for edit in (self.server_edit, self.user_edit):
            edit.editingFinished.connect(self._show_login_state)
        form = QFormLayout()
        form.addRow(translate("SyncPage", "서버 주소"), self.server_edit)
        form.addRow(translate("SyncPage", "사용자 이름"), self.user_edit)
        form.addRow(self.password_label, self.password_edit)
        form.addRow("", self.token_note)
        self.sync_button = QPushButton(translate("SyncPage", "지금 동기화"))
        self.sync_button.setObjectName("sync_now")
        self.sync_button.clicked.connect(lambda: self.sync_now())
        self.logout_button = QPushButton(translate("SyncPage", "로그아웃"))
        self.logout_button.setObjectName("sync_logout")
        self.logout_button.setToolTip(translate("SyncPage", "이 컴퓨터에 저장된 로그인 토큰을 지웁니다"))
        self.logout_button.clicked.connect(self.log_out)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.logout_button)
        buttons.addStretch(1)
        self.progress = InlineProgress(ctx.tasks)
        self.progress.setObjectName("sync_progress")
        self.message = QLabel()
        self.message.setObjectName("sync_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        login = QGroupBox(translate("SyncPage", "중앙추진본부 서버"))
        box = QVBoxLayout(login)
        box.addLayout(form)
        box.addLayout(buttons)
        box.addWidget(self.progress)
        box.addWidget(self.message)

        self.last_label = QLabel()
        self.last_label.setObjectName("sync_last")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("sync_counts")
        self.model = WaitingOpsModel(ctx.lang, self)
        self.table = QTableView()
        self.table.setObjectName("sync_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(100)  # widths from the first rows only
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable_actions())
        self.table.doubleClicked.connect(lambda _index: self._open_selected())
        self.resolve_button = self._action_button("sync_resolve", translate("SyncPage", "충돌 해결…"), self.resolve_selected)
        self.fix_button = self._action_button("sync_fix", translate("SyncPage", "고치기…"), self.fix_selected)
        self.retry_button = self._action_button("sync_retry", translate("SyncPage", "다시 보내기"), self.retry_selected)
        self.discard_button = self._action_button("sync_discard", translate("SyncPage", "버리기…"),
                                                  self.discard_selected)
        actions = QHBoxLayout()
        actions.addWidget(self.counts_label, 1)
        for button in (self.resolve_button, self.fix_button, self.retry_button, self.discard_button):
            actions.addWidget(button)
        waiting = QGroupBox(translate("SyncPage", "보내지 않은 변경"))
        box = QVBoxLayout(waiting)
        box.addWidget(self.last_label)
        box.addWidget(self.table, 1)
        box.addLayout(actions)

        layout = QVBoxLayout(self)
        layout.addWidget(page_title(translate("SyncPage", "동기화")))
        layout.addWidget(login)
        layout.addWidget(waiting, 1)
        ctx.data_changed.connect(self._on_data_changed)
        self._stale = True
        self._show_login_state()

    def _action_button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda: slot())
        button.setEnabled(False)
        return button

    # -- what waits ----------------------------------------------------------------------------------------
    def activated(self) -> None:
        if self._stale:
            self.refresh()

    def _on_data_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """The last sync, the counts and the waiting changes (a few small queries: on the GUI thread)."""
        from consultant_app.sync.account import last_sync
        from consultant_app.sync.resolve import waiting_counts, waiting_ops

        self._stale = False
        store, lang = self.ctx.store, self.ctx.lang
        selected = self.selected_op()
        last = last_sync(store)
        self.last_label.setText(translate("SyncPage", "마지막 동기화: %1").replace(
            "%1", last.at.astimezone().strftime("%Y-%m-%d %H:%M") if last.at else translate("SyncPage", "아직 없음")))
        counts = waiting_counts(store)
        text = translate("SyncPage", "보낼 변경 %1건 · 충돌 %2건 · 거부 %3건").replace(
            "%1", format_number(counts.pending)).replace("%2", format_number(counts.conflict)).replace(
            "%3", format_number(counts.rejected))
        if counts.pending > PENDING_SHOWN:
            text += " " + translate("SyncPage", "(대기 중인 변경은 앞의 %1건만 표시)").replace("%1", format_number(PENDING_SHOWN))
        self.counts_label.setText(text)
        self.model.set_rows(waiting_ops(store, lang=lang, pending_limit=PENDING_SHOWN))
        for column in range(self.model.columnCount() - 1):  # the last column stretches
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column) + 12, 320))
        if selected is not None:
            self.select_record(selected.entity, selected.row_id)
        self._enable_actions()

    def shown_ops(self) -> list[WaitingOp]:
        return self.model.rows()

    def selected_op(self) -> WaitingOp | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.rows()[rows[0].row()] if rows else None

    def select_record(self, entity: str, row_id: str, status: str | None = None) -> bool:
        """Select the first waiting change of this record (of ``status``, when given)."""
        for number, op in enumerate(self.model.rows()):
            if op.entity == entity and op.row_id == row_id and status in (None, op.status):
                self.table.selectRow(number)
                return True
        self.table.clearSelection()
        return False

    def _enable_actions(self) -> None:
        op = self.selected_op()
        idle = not self.progress.running
        self.resolve_button.setEnabled(idle and op is not None and op.status == "conflict")
        for button in (self.fix_button, self.retry_button, self.discard_button):
            button.setEnabled(idle and op is not None and op.status == "rejected")

    def _open_selected(self) -> None:
        op = self.selected_op()
        if op is not None and op.status == "conflict":
            self.resolve_selected()
        elif op is not None and op.status == "rejected":
            self.fix_selected()

    # -- settling --------------------------------------------------------------------------------------------
    def _settled(self, text: str) -> None:
        self._show_message(text)
        self.ctx.data_changed.emit()  # every page and the status bar refresh, this one too
        if self._stale:
            self.refresh()

    def _open_dialog(self, dialog: ConflictDialog | FixDialog) -> None:
        # open(), not exec(): the page's event loop keeps running (and tests can drive the dialog).
        self.dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.open()

    def resolve_selected(self) -> ConflictDialog | None:
        """Open the conflict dialog of the selected change; OK resolves it."""
        from consultant_app.sync.resolve import resolve_conflict

        op = self.selected_op()
        if op is None or op.status != "conflict" or self.progress.running:
            return None

        def submit(choices: dict[str, Any]) -> None:
            resolve_conflict(self.ctx.store, op.op_id, choices)
            self._settled(translate("SyncPage", "충돌을 해결했습니다: %1. 다음 동기화 때 서버에 보냅니다.").replace("%1", op.label))

        dialog = ConflictDialog(op, submit, self.ctx.lang, self)
        self._open_dialog(dialog)
        return dialog

    def fix_selected(self) -> FixDialog | None:
        """Open the fix dialog of the selected rejected change; OK sends it again with the edited values."""
        from consultant_app.sync.resolve import fix_rejected

        op = self.selected_op()
        if op is None or op.status != "rejected" or self.progress.running:
            return None

        def submit(values: dict[str, Any]) -> None:
            fix_rejected(self.ctx.store, op.op_id, values)
            self._settled(translate("SyncPage", "고친 변경을 다음 동기화 때 다시 보냅니다: %1").replace("%1", op.label))

        dialog = FixDialog(op, submit, self.ctx.lang, self)
        self._open_dialog(dialog)
        return dialog

    def retry_selected(self) -> bool:
        """Send the selected rejected change again as it is."""
        from consultant_app.sync.resolve import retry_rejected

        op = self.selected_op()
        if op is None or op.status != "rejected" or self.progress.running:
            return False
        return self._guarded(lambda: retry_rejected(self.ctx.store, op.op_id),
                             translate("SyncPage", "다음 동기화 때 다시 보냅니다: %1").replace("%1", op.label))

    def discard_selected(self) -> bool:
        """After a confirmation, drop the selected rejected change and undo it on this computer."""
        from consultant_app.sync.resolve import discard_rejected

        op = self.selected_op()
        if op is None or op.status != "rejected" or self.progress.running:
            return False
        question = (translate("SyncPage", "새 기록 '%1'을(를) 이 컴퓨터에서 지우고 이 변경을 버릴까요? 되돌릴 수 없습니다.")
                    if op.action == "create" else
                    translate("SyncPage", "'%1'의 이 변경을 버리고 이전 값으로 되돌릴까요? 되돌릴 수 없습니다."))
        answer = QMessageBox.question(self, translate("SyncPage", "변경 버리기"), question.replace("%1", op.label),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._guarded(lambda: discard_rejected(self.ctx.store, op.op_id),
                             translate("SyncPage", "변경을 버렸습니다: %1").replace("%1", op.label))

    def _guarded(self, action: Callable[[], object], done: str) -> bool:
        try:
            action()
        except AppError as exc:
            self._show_message(exc.message(self.ctx.lang), failed=True)
            return False
        self._settled(done)
        return True

    # -- syncing ---------------------------------------------------------------------------------------------
    def _account(self) -> tuple[str, str]:
        return self.server_edit.text().strip().rstrip("/"), self.user_edit.text().strip()

    def _show_login_state(self) -> None:
        from consultant_app.sync.account import has_token

        server, user = self._account()
        kept = has_token(self.ctx.store, server, user)
        self.password_label.setVisible(not kept)
        self.password_edit.setVisible(not kept)
        self.token_note.setVisible(kept)
        self.logout_button.setEnabled(kept and not self.progress.running)

    def sync_now(self) -> TaskHandle | None:
        """Sync in the background; the result or the error shows on the page."""
        from consultant_app.sync.account import has_token, sync_account

        if self.progress.running:
            return None
        server, user = self._account()
        if not server or not user:
            self._show_message(translate("SyncPage", "서버 주소와 사용자 이름을 입력하세요."), failed=True)
            return None
        store = self.ctx.store
        typed = self.password_edit.text()
        if not typed and not has_token(store, server, user):
            self._show_login_state()
            self._show_message(translate("SyncPage", "비밀번호를 입력하세요 (처음 동기화할 때 한 번)."), failed=True)
            self.password_edit.setFocus()
            return None
        password = (lambda: typed) if typed else None
        phases = self._phases

        def work(state: TaskState):
            def progress(phase: str, done: int, total: int) -> None:
                state.report(done, total)
                try:
                    phases.changed.emit(phase, done, total)
                except RuntimeError:  # the page went (the window rebuilt): the sync itself goes on
                    pass
            return sync_account(store, server=server, user=user, password=password, progress=progress,
                                cancelled=state.cancelled)

        from consultant_app.sync.addresses import plain_http_warning

        self.phases_seen = []
        self._plain_http = plain_http_warning(server)
        self._show_message(self._warned(""))
        handle = self.progress.run(work, label=translate("SyncPage", "서버에 연결하는 중…"),
                                   on_done=self._synced, on_error=self._sync_failed)
        self._set_busy(True)
        return handle

    def _on_phase(self, phase: str, done: int, total: int) -> None:
        self.phases_seen.append((phase, done, total))
        if self.progress.running and not self.progress.cancel_requested:
            self.progress.label.setText(_phase_text(phase))

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server_edit, self.user_edit, self.password_edit, self.sync_button):
            widget.setEnabled(not busy)
        self._show_login_state()
        self._enable_actions()

    def _synced(self, result) -> None:
        report, saved = result
        self.last_report = report
        self.syncs += 1
        self.password_edit.clear()
        self._set_busy(False)
        lines = [translate("SyncPage", "동기화했습니다: 보냄 %1건 (반영 %2, 충돌 %3, 거부 %4), 받음 %5건")
                 .replace("%1", format_number(report.pushed)).replace("%2", format_number(report.applied))
                 .replace("%3", format_number(report.conflicts)).replace("%4", format_number(report.rejected))
                 .replace("%5", format_number(report.pulled))]
        if report.conflicts or report.rejected:
            lines.append(translate("SyncPage", "충돌하거나 거부된 변경은 아래 표에서 골라 해결하세요."))
        if saved is not None and not saved.in_keyring:
            lines.append(translate("SyncPage", "이 컴퓨터에는 OS 키링이 없어 로그인 토큰을 이 사용자만 읽을 수 있는 파일에 "
                                               "저장했습니다: %1").replace("%1", saved.where))
        self._settled(self._warned("\n".join(lines)))
        if report.pushed or report.pulled:  # what went and what came is worth an archive; a no-op sync is not
            self.ctx.backup_wanted.emit("after-sync")

    def _sync_failed(self, error: BaseException) -> None:
        from consultant_app.sync.client import NotLoggedIn

        self.last_report = None
        self.syncs += 1
        self._set_busy(False)
        text = translate("SyncPage", "동기화하지 못했습니다: %1").replace("%1", error_text(error, self.ctx.lang))
        self._show_message(self._warned(text + "\n" + translate("SyncPage", "이미 보내거나 받은 자료는 그대로 있습니다.")),
                           failed=True)
        if isinstance(error, NotLoggedIn):
            self.password_edit.clear()
            self._show_login_state()
            self.password_edit.setFocus()
        self.ctx.data_changed.emit()  # what was pulled before the stop is in the store
        if self._stale:
            self.refresh()

    def log_out(self) -> None:
        """Forget the kept token; the next sync asks for the password."""
        from consultant_app.sync.account import log_out

        server, user = self._account()
        log_out(self.ctx.store, server, user)
        self._show_login_state()
        self._show_message(translate("SyncPage", "로그아웃했습니다. 다음 동기화 때 비밀번호를 입력하세요."))

    def _warned(self, text: str) -> str:
        """``text`` after the plain-http warning, when the address synced with is one beyond this computer."""
        if self._plain_http is None:
            return text
        warning = self._plain_http[1] if self.ctx.lang == "en" else self._plain_http[0]
        return "\n".join(filter(None, (warning, text)))

    def _show_message(self, text: str, *, failed: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if failed else "")
