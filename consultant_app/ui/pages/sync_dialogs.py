"""The sync page's dialogs: choose per field between the server's value, this laptop's or a typed one; fix the
values of a rejected change.

Each dialog takes a ``submit(values)`` function that writes (and raises AppError for a refused value): the
dialog stays open showing the error, and closes only once the values were taken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from consultant_app.errors import AppError
from consultant_app.sync.labels import field_title
from consultant_app.sync.resolve import WaitingOp
from consultant_app.sync.values import display_value, editable_fields, value_from_text
from consultant_app.ui.i18n import translate
from consultant_app.ui.models.waiting_ops import value_text

Submit = Callable[[dict[str, Any]], None]
SERVER, MINE, EDIT = "server", "mine", "edit"


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("dialog_error")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


class _SubmitDialog(QDialog):
    """OK writes through ``submit``; a refused value is shown and the dialog stays open."""

    def __init__(self, op: WaitingOp, submit: Submit, lang: str, parent: QWidget | None):
        super().__init__(parent)
        self.op, self._submit, self.lang = op, submit, lang
        self.error = _error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(560)

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self._submit(self.values())
        except AppError as exc:
            self.error.setText(exc.message(self.lang))
            self.error.show()
            return
        super().accept()


class ConflictDialog(_SubmitDialog):
    """Per contested field: the server's value and this laptop's side by side, and which one to keep."""

    def __init__(self, op: WaitingOp, submit: Submit, lang: str, parent: QWidget | None = None):
        super().__init__(op, submit, lang, parent)
        self.setObjectName("conflict_dialog")
        self.setWindowTitle(translate("SyncDialogs", "충돌 해결: %1").replace("%1", op.label))
        intro = QLabel(translate("SyncDialogs", "같은 항목이 서버와 이 컴퓨터에서 서로 다르게 바뀌었습니다. "
                                                "항목마다 남길 값을 고르세요. 고른 값은 다음 동기화 때 서버에 보냅니다."))
        intro.setWordWrap(True)
        grid = QGridLayout()
        for column, title in enumerate((translate("SyncDialogs", "항목"), translate("SyncDialogs", "서버의 값"),
                                        translate("SyncDialogs", "이 컴퓨터의 값"), translate("SyncDialogs", "직접 입력"))):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self._groups: dict[str, QButtonGroup] = {}
        self.edits: dict[str, QLineEdit] = {}
        editable = editable_fields(op.entity)
        for row, conflict in enumerate(op.conflicts, start=1):
            name = conflict.field
            group = QButtonGroup(self)
            server = QRadioButton(value_text(op, name, conflict.server_value, lang))
            server.setObjectName(f"server_{name}")
            mine = QRadioButton(value_text(op, name, conflict.client_value, lang))
            mine.setObjectName(f"mine_{name}")
            edit_choice = QRadioButton()
            edit_choice.setObjectName(f"edit_{name}")
            edit = QLineEdit(display_value(op.entity, name, conflict.client_value, lang))
            edit.setObjectName(f"text_{name}")
            edit.setEnabled(False)
            edit_choice.toggled.connect(edit.setEnabled)
            for button, code in ((server, SERVER), (mine, MINE), (edit_choice, EDIT)):
                group.addButton(button)
                button.setProperty("choice", code)
            mine.setChecked(True)
            grid.addWidget(QLabel(field_title(name, lang)), row, 0)
            grid.addWidget(server, row, 1)
            grid.addWidget(mine, row, 2)
            cell = QGridLayout()
            cell.addWidget(edit_choice, 0, 0)
            cell.addWidget(edit, 0, 1)
            grid.addLayout(cell, row, 3)
            if name not in editable:  # a reference or a file fact is chosen, never typed
                edit_choice.hide()
                edit.hide()
            self._groups[name] = group
            self.edits[name] = edit
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def choose(self, field: str, choice: str, text: str | None = None) -> None:
        """Pick SERVER, MINE or EDIT (with ``text``) for one field."""
        for button in self._groups[field].buttons():
            if button.property("choice") == choice:
                button.setChecked(True)
        if text is not None:
            self.edits[field].setText(text)

    def choice(self, field: str) -> str:
        return self._groups[field].checkedButton().property("choice")

    def values(self) -> dict[str, Any]:
        """The chosen wire value of each field; AppError for typed text that does not read as a value."""
        chosen = {}
        for conflict in self.op.conflicts:
            name, choice = conflict.field, self.choice(conflict.field)
            if choice == SERVER:
                chosen[name] = conflict.server_value
            elif choice == MINE:
                chosen[name] = conflict.client_value
            else:
                chosen[name] = value_from_text(self.op.entity, name, self.edits[name].text())
        return chosen


class FixDialog(_SubmitDialog):
    """The office's reason, and the change's new values to correct; only edited fields are sent as changed."""

    def __init__(self, op: WaitingOp, submit: Submit, lang: str, parent: QWidget | None = None):
        super().__init__(op, submit, lang, parent)
        self.setObjectName("fix_dialog")
        self.setWindowTitle(translate("SyncDialogs", "거부된 변경 고치기: %1").replace("%1", op.label))
        reason = op.reason.en if (op.reason and lang == "en") else (op.reason.ko if op.reason else "")
        why = QLabel(translate("SyncDialogs", "서버가 거부한 이유: %1").replace("%1", reason))
        why.setObjectName("fix_reason")
        why.setWordWrap(True)
        grid = QGridLayout()
        for column, title in enumerate((translate("SyncDialogs", "항목"), translate("SyncDialogs", "이전 값"),
                                        translate("SyncDialogs", "새 값"))):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.edits: dict[str, QLineEdit] = {}
        self._shown: dict[str, str] = {}
        editable = editable_fields(op.entity)
        row = 1
        for name, (old, new) in op.changes.items():
            if name not in editable:
                continue
            text = display_value(op.entity, name, new, lang)
            edit = QLineEdit(text)
            edit.setObjectName(f"text_{name}")
            grid.addWidget(QLabel(field_title(name, lang)), row, 0)
            grid.addWidget(QLabel(value_text(op, name, old, lang) if op.action != "create" else ""), row, 1)
            grid.addWidget(edit, row, 2)
            self.edits[name], self._shown[name] = edit, text
            row += 1
        layout = QVBoxLayout(self)
        layout.addWidget(why)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def set_text(self, field: str, text: str) -> None:
        self.edits[field].setText(text)

    def values(self) -> dict[str, Any]:
        """The edited fields as wire values; AppError for text that does not read as a value."""
        return {name: value_from_text(self.op.entity, name, edit.text())
                for name, edit in self.edits.items() if edit.text() != self._shown[name]}
