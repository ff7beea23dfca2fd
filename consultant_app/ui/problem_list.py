"""A readable list of import problems: severity, file, row, column and reason; sortable and copyable."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consultant_app.io import ImportProblem
from consultant_app.ui.i18n import format_number, translate
from consultant_app.ui.models.list_table import ListTableModel

ERROR_COLOR = QColor(176, 0, 32)
WARNING_COLOR = QColor(140, 90, 0)


@dataclass(frozen=True)
class ProblemRow:
    """One problem as the list shows it, already in the user's language."""

    is_error: bool
    file: str
    row: int | None
    column: str
    message: str


def problem_rows(problems: Iterable[ImportProblem], lang: str) -> list[ProblemRow]:
    return [ProblemRow(p.is_error, p.file, p.row, p.column or "", p.issue.message(lang)) for p in problems]


@dataclass(frozen=True)
class _Column:
    title: Callable[[], str]
    text: Callable[[ProblemRow], str]
    key: Callable[[ProblemRow], Any]


def _severity(row: ProblemRow) -> str:
    return translate("ProblemList", "오류") if row.is_error else translate("ProblemList", "경고")


def _place(row: ProblemRow) -> tuple:
    return (row.file, row.row or 0, row.column)


COLUMNS = (
    _Column(lambda: translate("ProblemList", "구분"), _severity, lambda r: (not r.is_error, *_place(r))),
    _Column(lambda: translate("ProblemList", "파일"), lambda r: r.file, _place),
    _Column(lambda: translate("ProblemList", "행"), lambda r: "" if r.row is None else str(r.row),
            lambda r: (r.row or 0, r.file, r.column)),
    _Column(lambda: translate("ProblemList", "열"), lambda r: r.column, lambda r: (r.column, *_place(r))),
    _Column(lambda: translate("ProblemList", "내용"), lambda r: r.message, lambda r: (r.message, *_place(r))),
)
FILE_COLUMN, ROW_COLUMN, MESSAGE_COLUMN = 1, 2, 4


class ProblemModel(ListTableModel[ProblemRow]):
    """Problems over a plain list; sorting sorts the list itself (no proxy: fast with many rows)."""

    def __init__(self, parent=None):
        super().__init__(COLUMNS, parent, sort=(FILE_COLUMN, Qt.SortOrder.AscendingOrder))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()].text(row)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QBrush(ERROR_COLOR if row.is_error else WARNING_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == ROW_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def as_text(self, rows: Iterable[int] | None = None) -> str:
        """Tab-separated lines with a header, for the clipboard (all rows, or the given ones)."""
        chosen = range(len(self._rows)) if rows is None else sorted(set(rows))
        lines = ["\t".join(c.title() for c in COLUMNS)]
        lines += ["\t".join(c.text(self._rows[i]) for c in COLUMNS) for i in chosen]
        return "\n".join(lines) + "\n"


class ProblemList(QWidget):
    """The problems of the last import, with a count and a button that copies them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = ProblemModel(self)
        self.view = QTableView()
        self.view.setObjectName("problem_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(100)  # size columns from the first rows only: fast with many problems
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(FILE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.count_label = QLabel()
        self.count_label.setObjectName("problem_count")
        self.copy_button = QPushButton(translate("ProblemList", "목록 복사"))
        self.copy_button.setObjectName("copy_problems")
        self.copy_button.setToolTip(translate("ProblemList", "선택한 행(없으면 전체)을 클립보드에 복사합니다"))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        QShortcut(QKeySequence.StandardKey.Copy, self.view, self.copy_to_clipboard,
                  context=Qt.ShortcutContext.WidgetShortcut)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.set_problems([], "ko")

    def set_problems(self, problems: Iterable[ImportProblem], lang: str) -> None:
        self.model.set_rows(problem_rows(problems, lang))
        rows = self.model.rows()
        errors = sum(1 for r in rows if r.is_error)
        self.count_label.setText(translate("ProblemList", "오류 %1건, 경고 %2건")
                                 .replace("%1", format_number(errors))
                                 .replace("%2", format_number(len(rows) - errors)))
        self.copy_button.setEnabled(bool(rows))
        for column in range(len(COLUMNS) - 1):
            self.view.resizeColumnToContents(column)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def clear(self) -> None:
        self.set_problems([], "ko")

    def as_text(self) -> str:
        selected = [i.row() for i in self.view.selectionModel().selectedRows()]
        return self.model.as_text(selected or None)

    def copy_to_clipboard(self) -> None:
        """Selected rows, or all of them, as tab-separated text (pastes into a spreadsheet)."""
        QApplication.clipboard().setText(self.as_text())
