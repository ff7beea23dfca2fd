"""Certificates in batch: which engagements may have one, and every eligible certificate written into a folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consultant_app.domain.validation import format_business_no
from consultant_app.errors import AppError, error_text
from consultant_app.ui.context import AppContext
from consultant_app.ui.files import open_with_system
from consultant_app.ui.i18n import format_number, translate
from consultant_app.ui.models.list_table import ListTableModel
from consultant_app.ui.pages.base import Page
from consultant_app.ui.progress import InlineProgress
from consultant_app.ui.tasks import TaskHandle, TaskState
from consultant_app.ui.widgets.page_parts import page_title, refill_choices

ELIGIBLE_COLOR = QColor(27, 127, 59)
MISSING_COLOR = QColor(176, 0, 32)


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """One engagement as the table shows it; ``missing`` already in the user's language (empty: eligible)."""

    engagement_id: str
    company_name: str
    business_no: str
    year: int
    sponsor: str | None
    consultant: str | None
    missing: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return not self.missing


def certificate_rows(store, lang: str) -> list[CertificateRow]:
    """Every live engagement with what its certificate lacks (a worker thread: its own session)."""
    from consultant_app.domain.certificate import missing_lines
    from consultant_app.domain.kpi import default_catalogue
    from consultant_app.services.certificates import certificate_sources, eligibility

    catalogue = default_catalogue()
    with store.session() as session:
        sources = certificate_sources(session=session, catalogue=catalogue)
    return [CertificateRow(s.engagement_id, s.company_name, s.business_no, s.year, s.sponsor, s.consultant,
                           tuple(missing_lines(missing, lang, catalogue)))
            for s, missing in eligibility(sources, catalogue)]


def _status(row: CertificateRow) -> str:
    return translate("CertificatesPage", "발급 가능") if row.eligible else "; ".join(row.missing)


def _year(year: int) -> str:
    return translate("CertificatesPage", "%1차년도").replace("%1", str(year))


@dataclass(frozen=True)
class _Column:
    title: Callable[[], str]
    text: Callable[[CertificateRow], str]
    key: Callable[[CertificateRow], Any]


COLUMNS = (
    _Column(lambda: translate("CertificatesPage", "기업"), lambda r: r.company_name,
            lambda r: (r.company_name, r.year)),
    _Column(lambda: translate("CertificatesPage", "사업자등록번호"),
            lambda r: format_business_no(r.business_no), lambda r: r.business_no),
    _Column(lambda: translate("CertificatesPage", "차수"), lambda r: _year(r.year), lambda r: (r.year, r.company_name)),
    _Column(lambda: translate("CertificatesPage", "후원기업"), lambda r: r.sponsor or "",
            lambda r: (r.sponsor or "", r.company_name)),
    _Column(lambda: translate("CertificatesPage", "컨설턴트"), lambda r: r.consultant or "",
            lambda r: (r.consultant or "", r.company_name)),
    _Column(lambda: translate("CertificatesPage", "상태"), _status, lambda r: (not r.eligible, _status(r))),
)
STATUS_COLUMN = len(COLUMNS) - 1


class CertificateRowsModel(ListTableModel[CertificateRow]):
    """Engagements over a plain list; sorting sorts the list itself."""

    def __init__(self, parent=None):
        super().__init__(COLUMNS, parent)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = COLUMNS[index.column()].text(row)
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == STATUS_COLUMN and row.missing:
                return "\n".join(row.missing)
            return text
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATUS_COLUMN:
            return QBrush(ELIGIBLE_COLOR if row.eligible else MISSING_COLOR)
        return None


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setResizeContentsPrecision(100)  # column widths from the first rows only
    return view


def _fit_columns(view: QTableView) -> None:
    """Every column but the last (which stretches) as wide as its text, with some air."""
    for column in range(len(COLUMNS) - 1):
        view.resizeColumnToContents(column)
        view.setColumnWidth(column, view.columnWidth(column) + 12)


class CertificatesPage(Page):
    """Filter the engagements, see which may have a certificate, and write them all into a folder."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        # How 폴더 열기 shows the folder: the system's file manager (tests put a recorder here).
        self.open_file: Callable[[Path], object] = open_with_system
        self.all_rows: list[CertificateRow] = []
        self.loads = 0  # lists shown (tests wait on it)
        self.last_result = None  # the last batch's BatchResult
        self.last_folder: Path | None = None
        self._generation = 0
        self._stale = True
        self._filling = False

        title = page_title(translate("CertificatesPage", "확인서 일괄 발급"))
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("certificates_year")
        self.sponsor_combo = QComboBox()
        self.sponsor_combo.setObjectName("certificates_sponsor")
        self.sponsor_combo.setMinimumContentsLength(10)
        self.consultant_combo = QComboBox()
        self.consultant_combo.setObjectName("certificates_consultant")
        self.consultant_combo.setMinimumContentsLength(8)
        for combo in (self.year_combo, self.sponsor_combo, self.consultant_combo):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        for text, combo in ((translate("CertificatesPage", "참여 차수"), self.year_combo),
                            (translate("CertificatesPage", "후원기업"), self.sponsor_combo),
                            (translate("CertificatesPage", "컨설턴트"), self.consultant_combo)):
            header.addWidget(QLabel(text))
            header.addWidget(combo)
        self._fill_filters()

        self.count_label = QLabel()
        self.count_label.setObjectName("certificates_count")
        self.model = CertificateRowsModel(self)
        self.table = _table(self.model, "certificates_table")
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order

        self.merged_check = QCheckBox(translate("CertificatesPage", "합본 PDF도 저장"))
        self.merged_check.setObjectName("certificates_merged")
        self.merged_check.setToolTip(translate("CertificatesPage", "모든 확인서를 한 파일로 합쳐 한 번에 인쇄할 수 있게 합니다"))
        self.export_button = QPushButton(translate("CertificatesPage", "발급 가능한 확인서 모두 저장…"))
        self.export_button.setObjectName("certificates_export")
        self.export_button.clicked.connect(lambda: self.export_all())
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.merged_check)
        actions.addWidget(self.export_button)
        self.progress = InlineProgress(ctx.tasks)
        self.progress.setObjectName("certificates_progress")

        self.summary = QLabel()
        self.summary.setObjectName("certificates_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.open_folder_button = QPushButton(translate("CertificatesPage", "폴더 열기"))
        self.open_folder_button.setObjectName("certificates_open_folder")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()
        self.skipped_model = CertificateRowsModel(self)
        self.skipped = _table(self.skipped_model, "certificates_skipped")
        self.skipped.hide()
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.open_folder_button, 0, Qt.AlignmentFlag.AlignTop)
        result_box = QGroupBox(translate("CertificatesPage", "결과"))
        box = QVBoxLayout(result_box)
        box.addLayout(summary_row)
        box.addWidget(self.skipped, 1)

        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(header)
        explanation = QLabel(translate(
            "CertificatesPage", "조건에 맞는 참여 가운데 확인서에 필요한 값이 모두 있는 참여의 확인서(초안)를 "
            "한 기업에 한 파일씩 저장합니다. 값이 빠진 참여는 건너뛰고 그 이유를 알려 줍니다."))
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #4a5563;")
        column.addWidget(explanation)
        column.addWidget(self.table, 1)
        column.addLayout(actions)
        column.addWidget(self.progress)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("certificates_splitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(result_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        ctx.data_changed.connect(self._on_data_changed)
        self._show_summary(translate("CertificatesPage", "아직 저장한 확인서가 없습니다."))

    # -- the list ------------------------------------------------------------------------------------------
    def activated(self) -> None:
        if self._stale:
            self.refresh()

    def _on_data_changed(self) -> None:
        self._stale = True
        self._generation += 1
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Load every engagement and what its certificate lacks, in the background."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        store, lang = self.ctx.store, self.ctx.lang

        def work(_state: TaskState):
            try:
                return generation, certificate_rows(store, lang)
            except Exception as exc:  # noqa: BLE001 - shown on the page, as a value
                return generation, exc

        self.count_label.setText(translate("CertificatesPage", "불러오는 중…"))
        self.ctx.tasks.start(work, on_done=self._on_rows)

    def _on_rows(self, result) -> None:
        generation, rows = result
        if generation != self._generation:
            return
        if isinstance(rows, BaseException):
            self.count_label.setText(translate("CertificatesPage", "목록을 불러오지 못했습니다: %1")
                                     .replace("%1", rows.message(self.ctx.lang) if isinstance(rows, AppError)
                                              else f"{type(rows).__name__}: {rows}"))
            return
        self.all_rows = rows
        self._fill_filters()
        self._apply_filter()
        self.loads += 1

    def _fill_filters(self) -> None:
        """Offer the years, sponsors and consultants in the data, keeping the current choice."""
        rows = self.all_rows
        self._filling = True
        for combo, everything, choices, label in (
            (self.year_combo, translate("CertificatesPage", "전체 차수"), sorted({r.year for r in rows}), _year),
            (self.sponsor_combo, translate("CertificatesPage", "전체 후원기업"),
             sorted({r.sponsor for r in rows if r.sponsor}), str),
            (self.consultant_combo, translate("CertificatesPage", "전체 컨설턴트"),
             sorted({r.consultant for r in rows if r.consultant}), str),
        ):
            refill_choices(combo, everything, choices, label)
        self._filling = False

    def _on_filter_changed(self, _index: int) -> None:
        if not self._filling:
            self._apply_filter()

    def certificate_filter(self):
        """The filter the combos choose, as the batch service takes it."""
        from consultant_app.services.certificates import CertificateFilter

        return CertificateFilter(year=self.year_combo.currentData(), sponsor=self.sponsor_combo.currentData(),
                                 consultant=self.consultant_combo.currentData())

    def _matches(self, row: CertificateRow) -> bool:
        year, sponsor = self.year_combo.currentData(), self.sponsor_combo.currentData()
        consultant = self.consultant_combo.currentData()
        return ((year is None or row.year == year) and (sponsor is None or row.sponsor == sponsor)
                and (consultant is None or row.consultant == consultant))

    def _apply_filter(self) -> None:
        rows = [r for r in self.all_rows if self._matches(r)]
        self.model.set_rows(rows)
        section = self.table.horizontalHeader().sortIndicatorSection()
        if 0 <= section < len(COLUMNS):
            self.model.sort(section, self.table.horizontalHeader().sortIndicatorOrder())
        _fit_columns(self.table)
        eligible = sum(1 for r in rows if r.eligible)
        self.count_label.setText(translate("CertificatesPage", "참여 %1건 중 발급 가능 %2건")
                                 .replace("%1", format_number(len(rows))).replace("%2", format_number(eligible)))
        self.export_button.setEnabled(eligible > 0 and not self.progress.running)

    def shown_rows(self) -> list[CertificateRow]:
        return self.model.rows()

    # -- the batch -----------------------------------------------------------------------------------------
    def export_all(self, folder: Path | None = None) -> TaskHandle | None:
        """Write every eligible certificate matching the filter into ``folder`` (None: ask for one)."""
        if self.progress.running:
            return None
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, translate("CertificatesPage", "확인서를 저장할 폴더"),
                                                      self.ctx.settings.export_folder or str(Path.home()))
            if not chosen:
                return None
            folder = Path(chosen)
            self.ctx.settings.export_folder = str(folder)
        from consultant_app.services.certificate_batch import export_certificates

        out_dir = Path(folder)
        merged = (out_dir / translate("CertificatesPage", "확인서_합본_%1.pdf").replace("%1", date.today().isoformat())
                  if self.merged_check.isChecked() else None)
        certificate_filter = self.certificate_filter()
        store = self.ctx.store

        def work(state: TaskState):
            return export_certificates(store, out_dir, certificate_filter=certificate_filter, merged=merged,
                                       progress=state.report, cancelled=state.cancelled)

        self.last_folder = out_dir
        self._set_busy(True)
        self._show_summary("")
        return self.progress.run(work, label=translate("CertificatesPage", "확인서를 만드는 중…"),
                                 on_done=self._exported, on_error=self._export_failed)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.year_combo, self.sponsor_combo, self.consultant_combo, self.merged_check):
            widget.setEnabled(not busy)
        self.export_button.setEnabled(not busy and any(r.eligible for r in self.model.rows()))

    def _exported(self, result) -> None:
        self.last_result = result
        self._set_busy(False)
        folder = str(self.last_folder)
        written = format_number(len(result.written))
        if result.cancelled:
            lines = [translate("CertificatesPage", "취소했습니다. 취소하기 전에 확인서 %1건을 저장했습니다: %2")
                     .replace("%1", written).replace("%2", folder)]
        elif not result.written and not result.skipped:
            lines = [translate("CertificatesPage", "조건에 맞는 참여가 없습니다.")]
        else:
            lines = [translate("CertificatesPage", "확인서 %1건을 저장했습니다: %2").replace("%1", written)
                     .replace("%2", folder)]
        if result.merged is not None:
            lines.append(translate("CertificatesPage", "합본 PDF: %1").replace("%1", str(result.merged)))
        if result.skipped:
            lines.append(translate("CertificatesPage", "건너뜀 %1건: 확인서에 필요한 값이 빠졌습니다 (아래 목록).")
                         .replace("%1", format_number(len(result.skipped))))
        skipped = self._skipped_rows(result.skipped)
        self._show_summary("\n".join(lines), skipped=skipped, folder=bool(result.written))

    def _skipped_rows(self, skipped) -> list[CertificateRow]:
        from consultant_app.domain.certificate import missing_lines

        return [CertificateRow(s.engagement_id, s.company_name, s.business_no, s.year, s.sponsor, s.consultant,
                               tuple(missing_lines(missing, self.ctx.lang))) for s, missing in skipped]

    def _export_failed(self, error: BaseException) -> None:
        self.last_result = None
        self._set_busy(False)
        text = error_text(error, self.ctx.lang)
        self._show_summary(translate("CertificatesPage", "확인서를 저장하지 못했습니다: %1").replace("%1", text),
                           failed=True)

    def _show_summary(self, text: str, *, skipped: list[CertificateRow] | None = None, folder: bool = False,
                      failed: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #b00020;" if failed else "")
        self.skipped_model.set_rows(skipped or [])
        self.skipped.setVisible(bool(skipped))
        _fit_columns(self.skipped)
        self.open_folder_button.setVisible(folder)

    def open_folder(self) -> None:
        if self.last_folder is not None:
            self.open_file(self.last_folder)
