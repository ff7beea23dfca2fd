"""The company list: search as you type, filters by year, status and sponsor, sortable columns."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consultant_app.domain.codes import EngagementStatus, label
from consultant_app.services.companies import (
    CompanyFilter,
    CompanyListRow,
    list_sponsors,
    list_years,
    load_company_rows,
)
from consultant_app.store import Store
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import format_number, translate
from consultant_app.ui.models.companies import COLUMNS, NAME_COLUMN, CompanyTableModel
from consultant_app.ui.pages.base import Page

SEARCH_DELAY_MS = 120  # typing pauses shorter than this filter once
HEADER_STATE = "companies_header"
ROW_HEIGHT = 24


def _load_rows(store: Store) -> list[CompanyListRow]:
    # Runs on a worker thread: its own session on the store's (thread-safe) engine, plain tuples back.
    with store.session() as session:
        return load_company_rows(session=session)


class CompaniesPage(Page):
    """Every company, found by typing part of its name, number, sponsor or region; Enter opens it."""

    loaded = Signal()  # fresh rows are in the model

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.model = CompanyTableModel(ctx.lang, self)
        self._load_generation = 0
        self.loading = False

        self.search = QLineEdit()
        self.search.setObjectName("company_search")
        self.search.setPlaceholderText(translate("CompaniesPage", "기업명, 사업자등록번호, 후원기업, 지역으로 찾기"))
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(translate("CompaniesPage", "새 기업"))
        self.new_button.setObjectName("new_company")
        self.year_filter = self._combo("company_year_filter")
        self.status_filter = self._combo("company_status_filter")
        self.sponsor_filter = self._combo("company_sponsor_filter")
        self.status_filter.addItem(translate("CompaniesPage", "모든 상태"), None)
        for status in EngagementStatus:
            self.status_filter.addItem(label(status, ctx.lang), status.value)
        self.count_label = QLabel()
        self.count_label.setObjectName("company_count")

        self.table = QTableView()
        self.table.setObjectName("company_table")
        self.table.setModel(self.model)
        self._setup_table()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        for text, combo in ((translate("CompaniesPage", "차수"), self.year_filter),
                            (translate("CompaniesPage", "상태"), self.status_filter),
                            (translate("CompaniesPage", "후원기업"), self.sponsor_filter)):
            caption = QLabel(text)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_done)
        for combo in (self.year_filter, self.status_filter, self.sponsor_filter):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.table.activated.connect(self._open_index)
        self.new_button.clicked.connect(lambda: ctx.open_company_requested.emit(""))
        self._reload_timer = QTimer(self)  # a burst of saves reloads once
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self.reload)
        ctx.data_changed.connect(self._reload_timer.start)
        self._fill_filters([])
        self.reload()

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def _setup_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        # Fixed row heights and column widths: nothing is measured over all rows (seconds at 10,000 rows).
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = table.horizontalHeader()
        header.setResizeContentsPrecision(50)  # a double-click on a divider fits the width to 50 rows, not all
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, spec in enumerate(COLUMNS):
            table.setColumnWidth(column, spec.width)
        header.setSortIndicator(NAME_COLUMN, Qt.SortOrder.AscendingOrder)
        state = self.ctx.settings.state(HEADER_STATE)
        if state is not None:
            header.restoreState(state)
        header.setSortIndicatorShown(True)
        table.setSortingEnabled(True)  # sorts the model by the (restored) indicator, and on header clicks

    # -- loading ---------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Load every company again in the background; the filter, sort and selection stay."""
        self._load_generation += 1
        generation = self._load_generation
        self.loading = True
        self._show_count()
        self.ctx.tasks.start(lambda _state, store=self.ctx.store: _load_rows(store),
                             on_done=lambda rows: self._loaded(generation, rows),
                             on_error=lambda exc: self._load_failed(generation, exc))

    def _loaded(self, generation: int, rows: list[CompanyListRow]) -> None:
        if generation != self._load_generation:  # a newer load is under way
            return
        self.loading = False
        selected = self.selected_company_id() or self.ctx.company_id
        self._fill_filters(rows)
        self.model.set_rows(rows)
        self.model.set_filter(self.current_filter())
        self._select(selected)
        self._show_count()
        self.loaded.emit()

    def _load_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._load_generation:
            return
        self.loading = False
        self.count_label.setText(translate("CompaniesPage", "기업 목록을 읽지 못했습니다: %1").replace("%1", str(error)))

    def _fill_filters(self, rows: list[CompanyListRow]) -> None:
        """The year and sponsor choices the loaded rows offer, keeping what was chosen."""
        for combo, everything, choices in (
            (self.year_filter, translate("CompaniesPage", "모든 차수"),
             [(translate("CompaniesPage", "%1차년도").replace("%1", str(y)), y) for y in list_years(rows)]),
            (self.sponsor_filter, translate("CompaniesPage", "모든 후원기업"), [(s, s) for s in list_sponsors(rows)]),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, value in choices:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
            combo.blockSignals(False)

    # -- filtering -------------------------------------------------------------------------------------------
    def current_filter(self) -> CompanyFilter:
        """What the search box and the filters ask for."""
        return CompanyFilter(text=self.search.text(), year=self.year_filter.currentData(),
                             status=self.status_filter.currentData(), sponsor=self.sponsor_filter.currentData())

    def apply_filter(self, *_args: Any) -> None:
        """Filter the model now (the search box calls this after a short pause in typing)."""
        self._search_timer.stop()
        selected = self.selected_company_id()
        self.model.set_filter(self.current_filter())
        self._select(selected)
        self._show_count()

    def _show_count(self) -> None:
        if self.loading and not self.model.total_count():
            self.count_label.setText(translate("CompaniesPage", "불러오는 중…"))
            return
        total, shown = self.model.total_count(), self.model.rowCount()
        if not total:
            text = translate("CompaniesPage", "등록된 기업이 없습니다. '새 기업'으로 추가하거나 파일에서 가져오세요.")
        elif shown == total:
            text = translate("CompaniesPage", "기업 %1개").replace("%1", format_number(total))
        else:
            text = translate("CompaniesPage", "기업 %1개 중 %2개").replace("%1", format_number(total)).replace(
                "%2", format_number(shown))
        self.count_label.setText(text)

    # -- selection and opening -------------------------------------------------------------------------------
    def selected_company_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.company_id(rows[0].row()) if rows else None

    def _select(self, company_id: str | None) -> None:
        row = self.model.row_of(company_id) if company_id else None
        if row is None:
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _search_done(self) -> None:
        """Enter in the search box: filter now and go to the first match."""
        self.apply_filter()
        if self.model.rowCount():
            if not self.selected_company_id():
                self.table.selectRow(0)
            self.table.setFocus()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ctx.open_company_requested.emit(self.model.company_id(index.row()))

    def activated(self) -> None:
        if self.ctx.company_id and self.ctx.company_id != self.selected_company_id():
            self._select(self.ctx.company_id)

    def save_state(self) -> None:
        """Column widths, order and sort, for the next start."""
        self.ctx.settings.set_state(HEADER_STATE, self.table.horizontalHeader().saveState())
