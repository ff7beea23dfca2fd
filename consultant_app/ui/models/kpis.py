"""The KPI table: one row per KPI, cells kept as typed; figures and issues recomputed on every keystroke."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QStyle

from consultant_app.domain.formulas import (
    ACHIEVEMENT_FORMULA,
    IMPROVEMENT_FORMULA,
    POINTS_FORMULA,
    Figure,
    Undefined,
)
from consultant_app.domain.kpi import Direction, KpiCatalogue, KpiDefinition
from consultant_app.domain.messages import undefined_message
from consultant_app.domain.records import KpiValues
from consultant_app.domain.summary import KpiFigures, kpi_figures
from consultant_app.domain.validation import Issue
from consultant_app.io.cells import CellError, number_parser, parse_date
from consultant_app.io.cells import format_number as plain_number
from consultant_app.services.kpis import KpiEntry, better_way, entry_issues, sort_key
from consultant_app.ui.i18n import format_date, format_number, translate

NUMBER_FIELDS = ("baseline", "baseline_numerator", "baseline_denominator", "target", "post")
DATE_FIELDS = ("baseline_date", "post_date")
EDITABLE = frozenset(NUMBER_FIELDS + DATE_FIELDS)
FIGURES = ("improvement", "points", "achievement")
# Saved with the row but not shown in the table: kept as loaded.
HIDDEN_FIELDS = ("post_numerator", "post_denominator", "note")

GREEN, RED, GREY = QColor("#1b7f3b"), QColor("#c62828"), QColor("#757575")
ERROR_BACKGROUND, WARNING_BACKGROUND = QColor("#fde0dc"), QColor("#fff4d6")

_parse_number = number_parser(("%",))


@dataclass(frozen=True)
class Column:
    key: str
    title: Callable[[], str]


COLUMNS = (
    Column("kpi", lambda: translate("KpiTableModel", "KPI")),
    Column("unit", lambda: translate("KpiTableModel", "단위")),
    Column("baseline", lambda: translate("KpiTableModel", "기준값")),
    Column("baseline_date", lambda: translate("KpiTableModel", "기준일")),
    Column("baseline_numerator", lambda: translate("KpiTableModel", "기준 분자")),
    Column("baseline_denominator", lambda: translate("KpiTableModel", "기준 분모")),
    Column("target", lambda: translate("KpiTableModel", "목표값")),
    Column("post", lambda: translate("KpiTableModel", "개선값")),
    Column("post_date", lambda: translate("KpiTableModel", "개선 측정일")),
    Column("improvement", lambda: translate("KpiTableModel", "개선율")),
    Column("points", lambda: translate("KpiTableModel", "변화(%p)")),
    Column("achievement", lambda: translate("KpiTableModel", "목표 달성률")),
)
COLUMN_INDEX = {column.key: index for index, column in enumerate(COLUMNS)}


def format_value(value: float | None) -> str:
    """A measured value in the user's locale with the decimals it has (up to 4): 2.93, 12,500, 93.5."""
    if value is None:
        return ""
    decimals = len(f"{value:.4f}".rstrip("0").split(".")[1])
    return format_number(value, decimals)


def signed(value: float, decimals: int) -> str:
    """``+8.5`` / ``−1.22``: the sign always shown, a real minus sign, trailing zeros dropped."""
    rounded = round(value, decimals)
    text = f"{abs(rounded):.{decimals}f}".rstrip("0").rstrip(".")
    places = len(text.split(".")[1]) if "." in text else 0
    sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
    return sign + format_number(abs(rounded), places)


def figure_text(key: str, figure: Figure, lang: str) -> str:
    """An improvement, %p change or achievement as the table shows it, or why it is undefined."""
    if not figure.defined:
        if figure.undefined is Undefined.NOT_PERCENT:
            return "–"
        return undefined_message(figure.undefined, lang)
    if key == "points":
        return translate("KpiTableModel", "%1%p").replace("%1", signed(figure.value, 2))
    return translate("KpiTableModel", "%1%").replace("%1", format_number(figure.value, 1))


def _operand(value: float | None) -> str:
    if value is None:
        return "?"
    text = format_value(value)
    return f"({text})" if value < 0 else text


def formula(row: KpiRow, column: str) -> tuple[str, str]:
    """A figure's formula and the same with the row's numbers put in: ("(B − A) ÷ B × 100", "(2.93 − 1.71) …")."""
    d, e = row.definition, row.entry
    b, t, a = _operand(e.baseline), _operand(e.target), _operand(e.post)
    if column == "improvement":
        numbers = f"({b} − {a}) ÷ {b} × 100" if d.direction is Direction.LOWER else f"({a} − {b}) ÷ {b} × 100"
        return IMPROVEMENT_FORMULA[d.direction], numbers
    if column == "achievement":
        return ACHIEVEMENT_FORMULA, f"({a} − {b}) ÷ ({t} − {b}) × 100"
    return POINTS_FORMULA, f"{a} − {b}"


@dataclass
class KpiRow:
    """One KPI being edited: its cells as typed, and what follows from them."""

    key: int
    definition: KpiDefinition
    id: str | None
    texts: dict[str, str]
    hidden: dict[str, Any] = field(default_factory=dict)
    entry: KpiEntry | None = None
    issues: list[Issue] = field(default_factory=list)
    figures: KpiFigures | None = None

    @property
    def code(self) -> str:
        return self.definition.code

    def issues_on(self, column: str) -> list[Issue]:
        return [i for i in self.issues if i.field == column]

    @property
    def has_error(self) -> bool:
        return any(i.is_error for i in self.issues)


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return plain_number(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class KpiTableModel(QAbstractTableModel):
    """The engagement's KPIs; edits go through the undo stack as commands."""

    rows_changed = Signal()  # any value, row or issue changed: details and chart follow

    def __init__(self, catalogue: KpiCatalogue, lang: str, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self.catalogue = catalogue
        self.lang = lang
        self.undo_stack = undo_stack
        self.generation = 0  # bumped on every load, so commands for rows of an earlier load do nothing
        self.evidence = 0
        self._rows: list[KpiRow] = []
        self._removed: dict[int, KpiRow] = {}
        self._keys = itertools.count(1)
        self._saved: tuple = ()
        self._order = sort_key(catalogue)

    # -- loading and saving --------------------------------------------------------------------------------
    def load(self, entries: list[KpiEntry], *, evidence: int) -> None:
        """Show these saved KPIs; forget every pending edit."""
        self.beginResetModel()
        self.generation += 1
        self.evidence = evidence
        self._removed.clear()
        self._rows = [self.new_row(e.code, entry=e) for e in entries if e.code in self.catalogue]
        self.endResetModel()
        self._saved = self.snapshot()
        self.rows_changed.emit()

    def new_row(self, code: str, *, entry: KpiEntry | None = None) -> KpiRow:
        """A row for ``code``: empty, or holding a saved entry's values."""
        entry = entry or KpiEntry(code)
        values = entry.values()
        row = KpiRow(key=next(self._keys), definition=self.catalogue[code], id=entry.id,
                     texts={name: _text_of(values[name]) for name in EDITABLE},
                     hidden={name: values[name] for name in HIDDEN_FIELDS})
        self._recompute(row)
        return row

    def snapshot(self) -> tuple:
        """What would be saved, to tell whether anything changed since the load or the last save."""
        rows = tuple((r.code, r.id, tuple(sorted(r.texts.items()))) for r in self._rows)
        return rows, tuple(sorted(self.removed_ids()))

    def is_dirty(self) -> bool:
        return self.snapshot() != self._saved

    def entries(self) -> list[KpiEntry]:
        return [row.entry for row in self._rows]

    def removed_ids(self) -> list[str]:
        return [row.id for row in self._removed.values() if row.id]

    def mark_saved(self, ids_by_code: dict[str, str]) -> None:
        """After a save: new rows got ids; removed rows are tombstones now (bringing one back makes a new row)."""
        for row in self._rows:
            row.id = ids_by_code.get(row.code, row.id)
            self._recompute(row)
        for row in self._removed.values():
            row.id = None
        self._saved = self.snapshot()
        self.rows_changed.emit()

    def set_evidence(self, count: int) -> None:
        """Attachments count as evidence for implausible improvements."""
        if count != self.evidence:
            self.evidence = count
            for number, row in enumerate(self._rows):
                self._recompute(row)
                self._row_changed(number)
            self.rows_changed.emit()

    # -- reading ---------------------------------------------------------------------------------------------
    def rows(self) -> list[KpiRow]:
        return list(self._rows)

    def row_at(self, number: int) -> KpiRow | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def row_number(self, key: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.key == key), -1)

    def codes(self) -> set[str]:
        return {row.code for row in self._rows}

    def has_errors(self) -> bool:
        return any(row.has_error for row in self._rows)

    def first_error_row(self) -> int:
        return next((n for n, row in enumerate(self._rows) if row.has_error), -1)

    # -- changes (called by the undo commands) -------------------------------------------------------------
    def apply_text(self, key: int, column: str, text: str) -> None:
        number = self.row_number(key)
        if number < 0:
            return
        row = self._rows[number]
        row.texts[column] = text
        self._recompute(row)
        cell = self.index(number, COLUMN_INDEX[column])
        self.dataChanged.emit(cell, cell)  # alone, so an open editor gets it (and ignores equal text)
        self._row_changed(number)
        self.rows_changed.emit()

    def insert_rows(self, rows: list[KpiRow]) -> None:
        for row in rows:
            self._removed.pop(row.key, None)
            position = next((n for n, r in enumerate(self._rows) if self._order(r.code) > self._order(row.code)),
                            len(self._rows))
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows.insert(position, row)
            self.endInsertRows()
        self.rows_changed.emit()

    def take_rows(self, keys: list[int]) -> list[KpiRow]:
        taken = []
        for key in keys:
            number = self.row_number(key)
            if number < 0:
                continue
            self.beginRemoveRows(QModelIndex(), number, number)
            row = self._rows.pop(number)
            self.endRemoveRows()
            if row.id:  # a saved row becomes a tombstone on save; a new one is simply gone
                self._removed[row.key] = row
            taken.append(row)
        self.rows_changed.emit()
        return taken

    def edit_cell(self, index: QModelIndex | QPersistentModelIndex, text: str, *, session: int | None = None) -> bool:
        """A user's edit: pushed on the undo stack (keystrokes of one editing session merge into one command)."""
        row = self.row_at(index.row())
        column = COLUMNS[index.column()].key
        if row is None or column not in EDITABLE:
            return False
        text = text.strip()
        if row.texts[column] != text:
            self.undo_stack.push(SetCellCommand(self, row.key, column, row.texts[column], text, session))
        return True

    def _recompute(self, row: KpiRow) -> None:
        values: dict[str, Any] = dict(row.hidden)
        problems: list[Issue] = []
        for name in EDITABLE:
            text = row.texts[name]
            if not text:
                values[name] = None
                continue
            try:
                values[name] = parse_date(text) if name in DATE_FIELDS else _parse_number(text)
            except CellError as error:
                values[name] = None
                problems.append(Issue(error.rule, name, {"value": text}))
        row.entry = KpiEntry(code=row.code, id=row.id, **values)
        row.issues = problems + entry_issues(row.definition, row.entry, evidence=self.evidence)
        row.figures = kpi_figures(row.definition, KpiValues(row.code, row.entry.baseline, row.entry.target,
                                                            row.entry.post))

    def _row_changed(self, number: int) -> None:
        # KPI column (issue icon), the value cells (issue colours) and the figures.
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))

    # -- Qt's model interface ----------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title()
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()].key in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole:
            return False
        return self.edit_cell(index, "" if value is None else str(value))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()].key
        handler = _ROLES.get(role)
        return handler(self, row, column) if handler else None

    def _display(self, row: KpiRow, column: str) -> str:
        if column == "kpi":
            return row.definition.name(self.lang)
        if column == "unit":
            return row.definition.unit
        if column in FIGURES:
            return figure_text(column, getattr(row.figures, column), self.lang)
        value = getattr(row.entry, column)
        if value is None:
            return row.texts[column]  # empty, or the text that did not parse (shown as typed, marked as error)
        return format_date(value) if column in DATE_FIELDS else format_value(value)

    def _edit(self, row: KpiRow, column: str) -> str | None:
        return row.texts[column] if column in EDITABLE else None

    def _tooltip(self, row: KpiRow, column: str) -> str | None:
        if column == "kpi":
            lines = [f"{row.definition.name_ko} / {row.definition.name_en} ({row.code})"]
            return "\n".join(lines + [_marked(i, self.lang) for i in row.issues])
        if column in FIGURES:
            # The formula beside every figure, with the numbers it was computed from and the KPI's unit.
            figure = getattr(row.figures, column)
            if figure.undefined is Undefined.NOT_PERCENT:
                return undefined_message(figure.undefined, self.lang)
            rule, numbers = formula(row, column)
            result = figure_text(column, figure, self.lang)
            unit = translate("KpiTableModel", "단위: %1").replace("%1", row.definition.unit)
            return f"{rule}\n= {numbers}\n= {result}\n{unit}"
        issues = row.issues_on(column)
        return "\n".join(_marked(i, self.lang) for i in issues) or None

    def _foreground(self, row: KpiRow, column: str) -> QColor | None:
        if column not in FIGURES:
            return None
        if not getattr(row.figures, column).defined:
            return GREY
        better = better_way(row.definition.direction, row.entry.baseline, row.entry.post)
        return None if better is None else GREEN if better else RED

    def _background(self, row: KpiRow, column: str) -> QColor | None:
        issues = row.issues_on(column)
        if any(i.is_error for i in issues):
            return ERROR_BACKGROUND
        return WARNING_BACKGROUND if issues else None

    def _decoration(self, row: KpiRow, column: str):
        if column != "kpi" or not row.issues:
            return None
        icon = QStyle.StandardPixmap.SP_MessageBoxCritical if row.has_error \
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        return QApplication.style().standardIcon(icon)

    def _alignment(self, row: KpiRow, column: str) -> int | None:
        if column in ("kpi", "unit"):
            return None
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _marked(issue: Issue, lang: str) -> str:
    return ("✖ " if issue.is_error else "⚠ ") + issue.message(lang)


_ROLES = {
    Qt.ItemDataRole.DisplayRole: KpiTableModel._display,
    Qt.ItemDataRole.EditRole: KpiTableModel._edit,
    Qt.ItemDataRole.ToolTipRole: KpiTableModel._tooltip,
    Qt.ItemDataRole.ForegroundRole: KpiTableModel._foreground,
    Qt.ItemDataRole.BackgroundRole: KpiTableModel._background,
    Qt.ItemDataRole.DecorationRole: KpiTableModel._decoration,
    Qt.ItemDataRole.TextAlignmentRole: KpiTableModel._alignment,
}


class _ModelCommand(QUndoCommand):
    """A command on the rows of one load of the model; after a reload it is obsolete and does nothing."""

    def __init__(self, model: KpiTableModel, text: str):
        super().__init__(text)
        self.model = model
        self.generation = model.generation

    def _current(self) -> bool:
        if self.model.generation != self.generation:
            self.setObsolete(True)
            return False
        return True


class SetCellCommand(_ModelCommand):
    """One cell's text changed; keystrokes of one editing session merge into one command."""

    ID = 4101

    def __init__(self, model: KpiTableModel, key: int, column: str, old: str, new: str, session: int | None):
        super().__init__(model, translate("KpiTableModel", "KPI 값 입력"))
        self.key, self.column, self.old, self.new, self.session = key, column, old, new, session

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not (isinstance(other, SetCellCommand) and self.session is not None and other.session == self.session
                and (other.key, other.column, other.generation) == (self.key, self.column, self.generation)):
            return False
        self.new = other.new
        if self.new == self.old:
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        if self._current():
            self.model.apply_text(self.key, self.column, self.new)

    def undo(self) -> None:
        if self._current():
            self.model.apply_text(self.key, self.column, self.old)


class AddRowsCommand(_ModelCommand):
    """KPIs picked from the catalogue."""

    def __init__(self, model: KpiTableModel, rows: list[KpiRow]):
        super().__init__(model, translate("KpiTableModel", "KPI 추가"))
        self.rows = rows

    def redo(self) -> None:
        if self._current():
            self.model.insert_rows(self.rows)

    def undo(self) -> None:
        if self._current():
            self.model.take_rows([row.key for row in self.rows])


class RemoveRowsCommand(_ModelCommand):
    """KPIs removed; saved ones become tombstones when the tab is saved."""

    def __init__(self, model: KpiTableModel, keys: list[int]):
        super().__init__(model, translate("KpiTableModel", "KPI 삭제"))
        self.keys = keys
        self.rows: list[KpiRow] = []

    def redo(self) -> None:
        if self._current():
            self.rows = self.model.take_rows(self.keys)

    def undo(self) -> None:
        if self._current():
            self.model.insert_rows(self.rows)
