"""The KPI tab: pick KPIs from the catalogue, type their values, see improvement with its formula, and charts."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consultant_app.domain.kpi import default_catalogue
from consultant_app.errors import AppError
from consultant_app.services.kpis import (
    EngagementMissing,
    KpisInvalid,
    chart_entries,
    company_history,
    evidence_count,
    load_kpis,
    save_kpis,
    trend,
)
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import translate
from consultant_app.ui.models.kpis import (
    COLUMN_INDEX,
    FIGURES,
    AddRowsCommand,
    KpiTableModel,
    RemoveRowsCommand,
    format_value,
)
from consultant_app.ui.pages.base import Tab
from consultant_app.ui.pages.kpi_parts import KpiDetails, KpiPickerDialog, LiveCellDelegate

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #1b7f3b;"


class KpiTab(Tab):
    """The engagement's KPIs: a table edited in place, the selected KPI's formulas, and one chart per KPI."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.catalogue = default_catalogue()
        self.engagement_id: str | None = None
        self._year = 0
        self._history: dict = {}
        self.picker: KpiPickerDialog | None = None
        self.bar_charts = None  # built when the tab is first shown: pyqtgraph is slow to import
        self.trend_chart = None
        self.model = KpiTableModel(self.catalogue, ctx.lang, undo_stack, self)
        self.model.rows_changed.connect(self._follow_rows)

        self.empty_label = QLabel(translate("KpiTab", "먼저 위의 참여 차수에서 참여를 고르거나 '새 참여…'로 만드세요."))
        self.empty_label.setObjectName("kpi_empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self._build_editor())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        ctx.data_changed.connect(self._refresh_context)
        self._update_buttons()

    def _build_editor(self) -> QWidget:
        self.add_button = self._button("kpi_add", translate("KpiTab", "KPI 추가…"), self.open_picker)
        self.remove_button = self._button("kpi_remove", translate("KpiTab", "선택한 KPI 삭제"), self.remove_selected)
        self.revert_button = self._button("kpi_revert", translate("KpiTab", "저장 취소"), self.discard_changes)
        self.save_button = self._button("kpi_save", translate("KpiTab", "저장"), self.save_changes)
        self.message = QLabel()
        self.message.setObjectName("kpi_message")
        self.message.setWordWrap(True)
        toolbar = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            toolbar.addWidget(button)
        toolbar.addWidget(self.message, 1)
        toolbar.addWidget(self.revert_button)
        toolbar.addWidget(self.save_button)

        self.table = QTableView()
        self.table.setObjectName("kpi_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(LiveCellDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(64)
        # An undefined figure says why in words: wrap it in a fixed width rather than widen the table.
        for key in FIGURES:
            header.setSectionResizeMode(COLUMN_INDEX[key], QHeaderView.ResizeMode.Fixed)
            header.resizeSection(COLUMN_INDEX[key], 112)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setMinimumSectionSize(28)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_details())

        self.details = KpiDetails(self.ctx.lang)
        details_scroll = QScrollArea()
        details_scroll.setWidgetResizable(True)
        details_scroll.setWidget(self.details)
        # The charts arrive with the first showing; these hosts keep their places.
        self.bars_host, self.bars_layout = self._host("kpi_bars_host")
        self.trend_host, self.trend_layout = self._host("kpi_trend_host")
        self.lower = QSplitter(Qt.Orientation.Horizontal)
        self.lower.addWidget(details_scroll)
        self.lower.addWidget(self.trend_host)
        self.lower.setSizes([560, 440])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("kpi_splitter")
        for widget in (self.table, self.bars_host, self.lower):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([220, 230, 190])

        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.addLayout(toolbar)
        layout.addWidget(self.splitter, 1)
        return editor

    @staticmethod
    def _host(name: str) -> tuple[QWidget, QVBoxLayout]:
        host = QWidget()
        host.setObjectName(name)
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        return host, layout

    def _button(self, name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        return button

    # -- the Tab hooks ---------------------------------------------------------------------------------------
    def set_engagement(self, engagement_id: str | None) -> None:
        self.engagement_id = engagement_id
        self._say("")
        if engagement_id:
            try:
                entries = load_kpis(self.ctx.store, engagement_id, catalogue=self.catalogue)
            except EngagementMissing:
                self.engagement_id = None
        if not self.engagement_id:
            self.model.load([], evidence=0)
            self.stack.setCurrentIndex(0)
            return
        self._year, self._history = company_history(self.ctx.store, engagement_id)
        self.model.load(entries, evidence=evidence_count(self.ctx.store, engagement_id))
        self.stack.setCurrentIndex(1)
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, COLUMN_INDEX["baseline"]))

    def has_unsaved_changes(self) -> bool:
        return bool(self.engagement_id) and self.model.is_dirty()

    def save_changes(self) -> bool:
        """Save every KPI; with any error nothing is saved and the first bad row is shown."""
        if not self.engagement_id or not self.model.is_dirty():
            return True
        if self.model.has_errors():
            self._select_row(self.model.first_error_row())
            self._say(translate(
                "KpiTab", "저장하지 않았습니다: 빨간 칸의 오류를 고치세요 (칸에 마우스를 올리면 이유가 보입니다)."),
                error=True)
            return False
        try:
            ids = save_kpis(self.ctx.store, self.engagement_id, entries=self.model.entries(),
                            removed_ids=self.model.removed_ids(), catalogue=self.catalogue)
        except KpisInvalid as failed:  # e.g. evidence deleted meanwhile: the service is the last word
            self._say(failed.errors[0].message(self.ctx.lang), error=True)
            return False
        except AppError as error:
            self._say(error.message(self.ctx.lang), error=True)
            return False
        self.model.mark_saved(ids)
        self._say(translate("KpiTab", "저장했습니다."))
        self.ctx.data_changed.emit()
        return True

    def discard_changes(self) -> None:
        self.set_engagement(self.engagement_id)

    # -- user actions ----------------------------------------------------------------------------------------
    def open_picker(self) -> None:
        """Show the catalogue's KPIs not chosen yet; the chosen ones are added when the dialog is accepted."""
        if self.picker is not None:
            self.picker.deleteLater()
        self.picker = KpiPickerDialog(self.catalogue, self.model.codes(), self)
        self.picker.accepted.connect(lambda dialog=self.picker: self.add_kpis(dialog.chosen_codes()))
        self.picker.open()

    def add_kpis(self, codes: list[str]) -> None:
        """Add empty rows for ``codes`` (one undoable step)."""
        codes = [c for c in codes if c in self.catalogue and c not in self.model.codes()]
        if not codes:
            return
        rows = [self.model.new_row(code) for code in codes]
        self.undo.push(AddRowsCommand(self.model, rows))
        self._select_row(self.model.row_number(rows[0].key))
        self.table.setFocus()

    def remove_selected(self) -> None:
        """Remove the selected KPIs after asking; saved ones become tombstones when the tab is saved."""
        numbers = sorted({index.row() for index in self.table.selectionModel().selectedIndexes()}
                         | ({self.table.currentIndex().row()} if self.table.currentIndex().isValid() else set()))
        rows = [self.model.row_at(n) for n in numbers if self.model.row_at(n) is not None]
        if not rows:
            return
        names = ", ".join(row.definition.name(self.ctx.lang) for row in rows)
        box = QMessageBox(QMessageBox.Icon.Question, translate("KpiTab", "KPI 삭제"),
                          translate("KpiTab", "다음 KPI와 그 값을 삭제할까요? %1\n저장하면 삭제가 기록됩니다.")
                          .replace("%1", names),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("kpi_confirm_remove")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        confirmed = box.exec() == QMessageBox.StandardButton.Yes
        box.deleteLater()
        if confirmed:
            self.undo.push(RemoveRowsCommand(self.model, [row.key for row in rows]))

    # -- following the rows ----------------------------------------------------------------------------------
    def _follow_rows(self) -> None:
        self._update_buttons()
        self._show_details()
        self._update_charts()

    def _update_buttons(self) -> None:
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.remove_button.setEnabled(self.model.rowCount() > 0)

    def _current_row(self):
        return self.model.row_at(self.table.currentIndex().row())

    def _show_details(self) -> None:
        row = self._current_row()
        self.details.show_row(row)
        self._update_trend(row)

    def _select_row(self, number: int) -> None:
        if number < 0:
            return
        index = self.model.index(number, COLUMN_INDEX["baseline"])
        self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(index)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)

    def _refresh_context(self) -> None:
        """Attachments or other years may have changed elsewhere: re-read them, keeping the edits."""
        if not self.engagement_id:
            return
        try:
            self.model.set_evidence(evidence_count(self.ctx.store, self.engagement_id))
            self._year, self._history = company_history(self.ctx.store, self.engagement_id)
        except EngagementMissing:
            return
        self._show_details()

    # -- charts ----------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.ensure_charts()

    def ensure_charts(self) -> None:
        """Build the charts on first need (this imports pyqtgraph)."""
        if self.bar_charts is not None:
            return
        from consultant_app.ui.charts import KpiBarCharts, TrendChart

        self.bar_charts = KpiBarCharts(
            [translate("KpiTab", "기준"), translate("KpiTab", "목표"), translate("KpiTab", "개선")],
            format_value, translate("KpiTab", "없음"))
        self.trend_chart = TrendChart(
            [translate("KpiTab", "기준값"), translate("KpiTab", "목표값"), translate("KpiTab", "개선값")],
            lambda year: translate("KpiTab", "%1차년도").replace("%1", str(year)))
        self.bar_charts.setMinimumHeight(160)
        self.trend_chart.setMinimumHeight(150)
        self.bars_layout.addWidget(self.bar_charts)
        self.trend_layout.addWidget(self.trend_chart)
        self._update_charts()
        self._update_trend(self._current_row())

    def _update_charts(self) -> None:
        if self.bar_charts is not None:
            self.bar_charts.set_entries(chart_entries(self.model.entries(), catalogue=self.catalogue,
                                                      lang=self.ctx.lang))

    def _update_trend(self, row) -> None:
        if self.trend_chart is None:
            return
        points = trend(self._history, row.entry, year=self._year) if row is not None else []
        self.trend_host.setVisible(len(points) > 1)  # one year is no trend
        if len(points) > 1:
            self.trend_chart.set_trend(
                translate("KpiTab", "%1 연도별 추이").replace("%1", row.definition.name(self.ctx.lang)),
                row.definition.unit, points)
