"""The sync page's table: each change the office has not applied, with its record, status and what was said."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from consultant_app.sync.labels import field_title
from consultant_app.sync.resolve import WaitingOp
from consultant_app.sync.values import display_value
from consultant_app.ui.i18n import translate
from consultant_app.ui.models.list_table import ListTableModel


def value_text(op: WaitingOp, field: str, value: Any, lang: str) -> str:
    """A value as the table and the dialogs show it: a referenced record by its name, an empty one said so."""
    if isinstance(value, str) and value in op.references:
        return op.references[value]
    text = display_value(op.entity, field, value, lang)
    return text if text else translate("SyncDialogs", "(비어 있음)")


STATUS_COLORS = {"pending": QColor(74, 85, 99), "conflict": QColor(176, 96, 0), "rejected": QColor(176, 0, 32)}


def _status(op: WaitingOp) -> str:
    return {"pending": translate("SyncPage", "대기"), "conflict": translate("SyncPage", "충돌"),
            "rejected": translate("SyncPage", "거부")}[op.status]


def _detail(op: WaitingOp, lang: str) -> str:
    """What the office said, or what the change does while it waits."""
    if op.status == "conflict":
        return "; ".join(translate("SyncPage", "%1: 서버 '%2', 이 컴퓨터 '%3'")
                         .replace("%1", field_title(c.field, lang))
                         .replace("%2", value_text(op, c.field, c.server_value, lang))
                         .replace("%3", value_text(op, c.field, c.client_value, lang)) for c in op.conflicts)
    if op.status == "rejected":
        return (op.reason.en if lang == "en" else op.reason.ko) if op.reason else ""
    return {"create": translate("SyncPage", "새 기록"), "update": translate("SyncPage", "수정"),
            "delete": translate("SyncPage", "삭제")}.get(op.action, op.action)


@dataclass(frozen=True)
class _Column:
    title: Callable[[], str]
    text: Callable[[WaitingOp, str], str]


COLUMNS = (
    _Column(lambda: translate("SyncPage", "상태"), lambda op, _lang: _status(op)),
    _Column(lambda: translate("SyncPage", "종류"), lambda op, _lang: op.kind),
    _Column(lambda: translate("SyncPage", "기록"), lambda op, _lang: op.label),
    _Column(lambda: translate("SyncPage", "바뀐 항목"),
            lambda op, lang: ", ".join(field_title(name, lang) for name in op.changes)),
    _Column(lambda: translate("SyncPage", "내용"), _detail),
)


class WaitingOpsModel(ListTableModel[WaitingOp]):
    """The waiting changes over a plain list."""

    def __init__(self, lang: str, parent=None):
        super().__init__(COLUMNS, parent)
        self.lang = lang

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        op = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()].text(op, self.lang)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QBrush(STATUS_COLORS[op.status])
        return None
