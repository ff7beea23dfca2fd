"""Pieces of the KPI tab: the catalogue picker, the live cell editor and the formula panel."""

from __future__ import annotations

import html
import itertools
import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from consultant_app.domain.formulas import Figure
from consultant_app.domain.kpi import Category, Direction, KpiCatalogue, KpiDefinition
from consultant_app.domain.messages import undefined_message
from consultant_app.services.kpis import better_way
from consultant_app.ui.i18n import format_date, translate
from consultant_app.ui.models.kpis import (
    GREEN,
    GREY,
    RED,
    KpiRow,
    KpiTableModel,
    figure_text,
    format_value,
    formula,
)

CATEGORY_NAMES = {
    Category.P: lambda: translate("KpiPickerDialog", "생산성"),
    Category.Q: lambda: translate("KpiPickerDialog", "품질"),
    Category.C: lambda: translate("KpiPickerDialog", "원가"),
    Category.D: lambda: translate("KpiPickerDialog", "납기"),
    Category.S: lambda: translate("KpiPickerDialog", "안전"),
    Category.M: lambda: translate("KpiPickerDialog", "사기·의식"),
}
DIRECTION_NAMES = {
    Direction.LOWER: lambda: translate("KpiPickerDialog", "낮을수록 좋음"),
    Direction.HIGHER: lambda: translate("KpiPickerDialog", "높을수록 좋음"),
}


def category_text(category: Category) -> str:
    return f"{category.value} {CATEGORY_NAMES[category]()}"


class KpiPickerDialog(QDialog):
    """The catalogue's KPIs not chosen yet; pick one or several."""

    def __init__(self, catalogue: KpiCatalogue, exclude: set[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kpi_picker")
        self.setWindowTitle(translate("KpiPickerDialog", "KPI 추가"))
        self.filter = QLineEdit()
        self.filter.setObjectName("kpi_picker_filter")
        self.filter.setPlaceholderText(translate("KpiPickerDialog", "이름이나 코드로 찾기"))
        self.filter.textChanged.connect(self._apply_filter)
        headers = [translate("KpiPickerDialog", "지표"), translate("KpiPickerDialog", "영문 이름"),
                   translate("KpiPickerDialog", "분류"), translate("KpiPickerDialog", "단위"),
                   translate("KpiPickerDialog", "방향"), translate("KpiPickerDialog", "코드")]
        definitions = [d for d in catalogue if d.code not in exclude]
        self.table = QTableWidget(len(definitions), len(headers))
        self.table.setObjectName("kpi_picker_table")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, d in enumerate(definitions):
            cells = (d.name_ko, d.name_en, category_text(d.category), d.unit, DIRECTION_NAMES[d.direction](), d.code)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, d.code)
                if d.description:
                    item.setToolTip(d.description)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("kpi_picker_buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 420)

    def row_of(self, code: str) -> int:
        """The table row listing ``code`` (-1 when it is excluded)."""
        return next((r for r in range(self.table.rowCount())
                     if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == code), -1)

    def chosen_codes(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows
                if not self.table.isRowHidden(r)]

    def _apply_filter(self, text: str) -> None:
        words = text.strip().casefold()
        for r in range(self.table.rowCount()):
            haystack = " ".join(self.table.item(r, c).text() for c in range(self.table.columnCount())).casefold()
            self.table.setRowHidden(r, bool(words) and words not in haystack)


class LiveCellDelegate(QStyledItemDelegate):
    """A text editor that hands every keystroke to the model, so figures update as the user types."""

    _sessions = itertools.count(1)

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802 - Qt override
        editor = QLineEdit(parent)
        editor.setObjectName("kpi_cell_editor")
        editor.setProperty("edit_session", next(self._sessions))
        editor.textEdited.connect(lambda _text, e=editor: self.commitData.emit(e))
        return editor

    def setEditorData(self, editor: QLineEdit, index: QModelIndex) -> None:  # noqa: N802 - Qt override
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if editor.text() != text:  # the model echoes each keystroke back: leave the cursor where it is
            editor.setText(text)

    def setModelData(self, editor: QLineEdit, model: KpiTableModel, index: QModelIndex) -> None:  # noqa: N802
        model.edit_cell(index, editor.text(), session=editor.property("edit_session"))


def _colour(figure: Figure, better: bool | None) -> str | None:
    if not figure.defined:
        return GREY.name()
    return None if better is None else (GREEN if better else RED).name()


class KpiDetails(QLabel):
    """The selected KPI's values, unit, and each figure with its formula and the numbers put in."""

    def __init__(self, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kpi_details")
        self.lang = lang
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_row(None)

    def show_row(self, row: KpiRow | None) -> None:
        if row is None:
            self.setText(html.escape(translate("KpiDetails", "표에서 KPI를 고르면 계산식과 값이 여기에 나옵니다.")))
            return
        d, e, f = row.definition, row.entry, row.figures
        unit = html.escape(d.unit)
        head = _fill(translate("KpiDetails", "%1 · 분류 %2 · 단위 %3 · %4"),
                     f"<b>{html.escape(d.name(self.lang))}</b>", html.escape(category_text(d.category)), unit,
                     html.escape(DIRECTION_NAMES[d.direction]()))
        values = _fill(translate("KpiDetails", "B 기준값 %1 · T 목표값 %2 · A 개선값 %3"),
                       self._value(e.baseline, d, e.baseline_date), self._value(e.target, d, None),
                       self._value(e.post, d, e.post_date))
        better = _better(row)
        lines = [head, values,
                 self._line(translate("KpiDetails", "개선율 = %1"), row, "improvement", f.improvement, better),
                 self._line(translate("KpiDetails", "목표 달성률 = %1"), row, "achievement", f.achievement, better)]
        if d.is_percent:
            lines.append(self._line(translate("KpiDetails", "변화 = %1"), row, "points", f.points, better))
        for issue in row.issues:
            colour = RED.name() if issue.is_error else "#8a6d00"
            mark = "✖" if issue.is_error else "⚠"
            lines.append(f'<span style="color:{colour}">{mark} {html.escape(issue.message(self.lang))}</span>')
        self.setText("<br>".join(lines))

    def _value(self, value: float | None, d: KpiDefinition, when) -> str:
        if value is None:
            return "—"
        text = html.escape(f"{format_value(value)} {d.unit}")
        return f"{text} ({html.escape(format_date(when))})" if when else text

    def _line(self, template: str, row: KpiRow, column: str, figure: Figure, better: bool | None) -> str:
        rule, numbers = formula(row, column)
        if figure.defined:
            result = html.escape(figure_text(column, figure, self.lang))
            math_text = f"{rule} = {html.escape(numbers)} = <b>{result}</b>"
        else:
            math_text = f"{rule} → {html.escape(undefined_message(figure.undefined, self.lang))}"
        body = template.replace("%1", math_text)
        colour = _colour(figure, better)
        return f'<span style="color:{colour}">{body}</span>' if colour else body


def _fill(template: str, *values: str) -> str:
    """Put ``values`` in for %1, %2 … in one pass (a value holding "%2" is not replaced again)."""
    return re.sub(r"%(\d)", lambda match: values[int(match.group(1)) - 1], template)


def _better(row: KpiRow) -> bool | None:
    return better_way(row.definition.direction, row.entry.baseline, row.entry.post)
