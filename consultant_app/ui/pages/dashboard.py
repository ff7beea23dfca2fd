"""The dashboard: the consultant's portfolio in the programme report's figures, with charts and filters."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from consultant_app.domain.aggregates import ProgrammeReport
from consultant_app.errors import AppError, error_text
from consultant_app.files import write_atomically
from consultant_app.services.dashboard import Dashboard, build_dashboard, load_records
from consultant_app.ui.context import AppContext
from consultant_app.ui.files import open_with_system, save_start, with_suffix
from consultant_app.ui.i18n import format_money, format_number, format_percent, translate
from consultant_app.ui.pages.base import Page
from consultant_app.ui.progress import run_with_dialog
from consultant_app.ui.tasks import TaskHandle, TaskState
from consultant_app.ui.widgets.page_parts import page_title, refill_choices

CARDS_PER_ROW = 5


def _percent(value: float | None) -> str:
    return format_percent(value, 1) if value is not None else translate("DashboardPage", "계산 불가")


def _money(value: float | None) -> str:
    return format_money(round(value)) if value is not None else translate("DashboardPage", "계산 불가")


# Each card: the report's key (also the key of its method note), its title, and how its value is shown.
CARDS: tuple[tuple[str, Callable[[], str], Callable[[ProgrammeReport], str]], ...] = (
    ("engagements", lambda: translate("DashboardPage", "참여 건수"), lambda r: format_number(r.engagements)),
    ("companies", lambda: translate("DashboardPage", "참여 기업"), lambda r: format_number(r.companies)),
    ("kpi_improvement_mean_pct", lambda: translate("DashboardPage", "KPI 평균 개선율"),
     lambda r: _percent(r.kpi_improvement_mean_pct)),
    ("financial_effect_total_krw", lambda: translate("DashboardPage", "재무적 효과 합계(연간)"),
     lambda r: format_money(r.financial_effect_total_krw)),
    ("financial_effect_per_company_krw", lambda: translate("DashboardPage", "재무적 효과(참여 건당)"),
     lambda r: _money(r.financial_effect_per_company_krw)),
    ("new_hires_total", lambda: translate("DashboardPage", "신규 채용(명)"),
     lambda r: format_number(r.new_hires_total)),
    ("smart_factories_built", lambda: translate("DashboardPage", "스마트공장 구축 기업"),
     lambda r: format_number(r.smart_factories_built)),
    ("survey.satisfied_pct", lambda: translate("DashboardPage", "만족(4·5점)"),
     lambda r: _percent(r.survey["satisfied_pct"])),
    ("survey.continue_pct", lambda: translate("DashboardPage", "계속 참여 의향"),
     lambda r: _percent(r.survey["continue_pct"])),
    ("survey.recommend_pct", lambda: translate("DashboardPage", "추천 의향"),
     lambda r: _percent(r.survey["recommend_pct"])),
)


class FigureCard(QFrame):
    """One figure: a title, a big value, and the method note as its tooltip."""

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.method_note = ""
        self.setObjectName("card_" + key.replace(".", "_"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ background: #ffffff; border: 1px solid #c8d0da;"
                           " border-radius: 6px; }")
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #4a5563;")
        self.title.setWordWrap(True)
        self.value = QLabel("–")
        self.value.setObjectName("value")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet("color: #1d3f6e;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_figure(self, text: str, method_note: str) -> None:
        self.value.setText(text)
        self.method_note = method_note
        # Rich text so a long note wraps; notes contain no markup of their own.
        self.setToolTip(f"<qt>{html.escape(method_note, quote=False)}</qt>" if method_note else "")


class DashboardPage(Page):
    """Figures and charts over every engagement in the store, recomputed off the GUI thread."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        # How a saved report is shown: the system's PDF viewer (tests put a recorder here).
        self.open_file: Callable[[Path], object] = open_with_system
        self.dashboard: Dashboard | None = None
        self.charts = None  # built with the first result, so pyqtgraph loads only when needed
        self.task: TaskHandle | None = None
        self.computations = 0  # how many results arrived (tests wait on it)
        self._records = None  # the engagement records, kept while the data is unchanged
        self._generation = 0
        self._stale = True

        title = page_title(translate("DashboardPage", "담당 기업 성과 현황"))
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("dashboard_year")
        self.sponsor_combo = QComboBox()
        self.sponsor_combo.setObjectName("dashboard_sponsor")
        self.sponsor_combo.setMinimumContentsLength(10)
        for combo in (self.year_combo, self.sponsor_combo):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.status = QLabel()
        self.status.setObjectName("dashboard_status")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.status)
        header.addSpacing(16)
        header.addWidget(QLabel(translate("DashboardPage", "참여 차수")))
        header.addWidget(self.year_combo)
        header.addWidget(QLabel(translate("DashboardPage", "후원기업")))
        header.addWidget(self.sponsor_combo)
        self.export_button = QPushButton(translate("DashboardPage", "보고서 PDF로 내보내기…"))
        self.export_button.setObjectName("dashboard_export_pdf")
        self.export_button.setToolTip(translate("DashboardPage", "고른 차수와 후원기업의 사업 성과 보고서를 PDF로 저장합니다"))
        self.export_button.clicked.connect(lambda: self.export_report())
        header.addSpacing(16)
        header.addWidget(self.export_button)
        self._fill_filters([], [])

        self.cards: dict[str, FigureCard] = {}
        cards = QGridLayout()
        cards.setSpacing(8)
        for index, (key, card_title, _value) in enumerate(CARDS):
            card = FigureCard(key, card_title())
            self.cards[key] = card
            cards.addWidget(card, index // CARDS_PER_ROW, index % CARDS_PER_ROW)
        note = QLabel(translate("DashboardPage", "각 수치에 마우스를 올리면 산출 방법이 보입니다."))
        note.setStyleSheet("color: #6b7280;")

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.addLayout(header)
        self.body_layout.addLayout(cards)
        self.body_layout.addWidget(note)
        self.body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("dashboard_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        ctx.data_changed.connect(self._on_data_changed)

    # -- refresh -------------------------------------------------------------------------------------------
    def activated(self) -> None:
        if self._stale:
            self.refresh()

    def _on_data_changed(self) -> None:
        self._records = None
        self._stale = True
        self._generation += 1  # a computation under way reads data that is no longer current
        if self.isVisible():
            self.refresh()

    def _on_filter_changed(self, _index: int) -> None:
        if not self._filling:
            self.refresh()

    def refresh(self) -> None:
        """Recompute the figures for the current filter in the background."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        if self.task is not None and self.task.running:
            self.task.cancel()
        store, records, lang = self.ctx.store, self._records, self.ctx.lang
        year, sponsor = self.year_combo.currentData(), self.sponsor_combo.currentData()

        def work(state: TaskState):
            loaded = records if records is not None else load_records(store)
            if state.cancelled():
                return generation, loaded, None
            return generation, loaded, build_dashboard(loaded, year=year, sponsor=sponsor, lang=lang,
                                                       cancelled=state.cancelled)

        self.status.setText(translate("DashboardPage", "계산 중…"))
        self.task = self.ctx.tasks.start(work, on_done=self._on_result, on_error=self._on_error)

    def _on_result(self, result) -> None:
        generation, records, dashboard = result
        if generation != self._generation or dashboard is None:
            return  # a newer computation is on its way
        self._records = records
        self.dashboard = dashboard
        self._fill_filters(dashboard.years, dashboard.sponsors)
        self._show(dashboard)
        self.computations += 1
        if (self.year_combo.currentData(), self.sponsor_combo.currentData()) != (dashboard.year, dashboard.sponsor):
            self.refresh()  # the chosen year or sponsor is gone from the data: show everything instead

    def _on_error(self, error: BaseException) -> None:
        text = error.message(self.ctx.lang) if isinstance(error, AppError) else str(error)
        self.status.setText(translate("DashboardPage", "계산하지 못했습니다: %1").replace("%1", text))

    # -- showing -------------------------------------------------------------------------------------------
    _filling = False

    def _fill_filters(self, years: list[int], sponsors: list[str]) -> None:
        """Offer the years and sponsors in the data, keeping the current choice."""
        self._filling = True
        for combo, everything, choices, label in (
            (self.year_combo, translate("DashboardPage", "전체 차수"), years,
             lambda y: translate("DashboardPage", "%1차년도").replace("%1", str(y))),
            (self.sponsor_combo, translate("DashboardPage", "전체 후원기업"), sponsors, str),
        ):
            refill_choices(combo, everything, choices, label)
        self._filling = False

    def _show(self, dashboard: Dashboard) -> None:
        report = dashboard.report
        for key, _title, value in CARDS:
            self.cards[key].show_figure(value(report), report.method.get(key, ""))
        count = format_number(report.engagements)
        self.status.setText(translate("DashboardPage", "참여 %1건 기준").replace("%1", count))
        if self.charts is None:
            from consultant_app.ui.dashboard_charts import DashboardCharts  # loads pyqtgraph

            self.charts = DashboardCharts()
            self.charts.setObjectName("dashboard_charts")
            self.body_layout.insertWidget(self.body_layout.count() - 1, self.charts, 1)
        self.charts.set_data(dashboard.charts)

    # -- the report PDF ------------------------------------------------------------------------------------
    def export_report(self, path: Path | None = None) -> TaskHandle | None:
        """Write the programme report PDF for the chosen year and sponsor to ``path`` (None: ask for a file)."""
        if path is None:
            name = translate("DashboardPage", "산업혁신운동_성과보고_%1.pdf").replace("%1", date.today().isoformat())
            chosen, _ = QFileDialog.getSaveFileName(
                self, translate("DashboardPage", "보고서 PDF 저장"), save_start(self.ctx.settings.export_folder, name),
                translate("DashboardPage", "PDF 문서 (*.pdf)"))
            if not chosen:
                return None
            path = with_suffix(chosen)
            self.ctx.settings.export_folder = str(path.parent)
        target = Path(path)
        store, records, lang = self.ctx.store, self._records, self.ctx.lang
        year, sponsor = self.year_combo.currentData(), self.sponsor_combo.currentData()

        def work(state: TaskState) -> Path | None:
            from consultant_app.domain.aggregates import ReportFilter
            from consultant_app.domain.kpi import default_catalogue
            from consultant_app.domain.report_view import build_report_view
            from consultant_app.reports.programme_pdf import render_programme_report

            state.report(0, 3)
            loaded = records if records is not None else load_records(store)
            if state.cancelled():
                return None
            view = build_report_view(loaded, default_catalogue(), report_filter=ReportFilter(year=year, sponsor=sponsor),
                                     lang=lang, generated_on=date.today(), cancelled=state.cancelled)
            if view is None:
                return None
            state.report(1, 3)
            data = render_programme_report(view)
            if state.cancelled():
                return None
            state.report(2, 3)
            write_atomically(target, data)
            state.report(3, 3)
            return target

        self.export_button.setEnabled(False)
        return run_with_dialog(self.ctx.tasks, work, parent=self, title=translate("DashboardPage", "보고서 PDF"),
                               label=translate("DashboardPage", "보고서를 만드는 중: %1").replace("%1", target.name),
                               on_done=self._report_saved, on_error=self._report_failed)

    def _report_saved(self, path: Path | None) -> None:
        self.export_button.setEnabled(True)
        if path is None:
            self.status.setText(translate("DashboardPage", "보고서 내보내기를 취소했습니다."))
            return
        answer = QMessageBox.question(
            self, translate("DashboardPage", "보고서 PDF"),
            translate("DashboardPage", "보고서를 저장했습니다:\n%1\n\n지금 열어 볼까요?").replace("%1", str(path)),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close, QMessageBox.StandardButton.Close)
        if answer == QMessageBox.StandardButton.Open:
            self.open_file(path)

    def _report_failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        text = error_text(error, self.ctx.lang)
        QMessageBox.critical(self, translate("DashboardPage", "보고서 PDF"),
                             translate("DashboardPage", "보고서를 저장하지 못했습니다: %1").replace("%1", text))
