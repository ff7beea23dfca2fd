"""The dashboard on the demo programme: the programme report's figures, filters, charts, background work."""

from __future__ import annotations

import html
from datetime import date

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog
from sqlmodel import select

from consultant_app.domain.aggregates import ReportFilter, programme_report
from consultant_app.domain.kpi import default_catalogue
from consultant_app.services.dashboard import chart_data
from consultant_app.store.models import Engagement
from consultant_app.store.queries import engagement_records
from consultant_app.ui.i18n import format_money, format_number, format_percent
from consultant_app.ui.pages.dashboard import DashboardPage


@pytest.fixture
def records(demo_store):
    with demo_store.session() as session:
        return engagement_records(session=session)


@pytest.fixture
def started(app_ctx, monkeypatch) -> list:
    """Every function the page hands to ctx.tasks (still run by the real task runner)."""
    calls: list = []
    original = app_ctx.tasks.start
    monkeypatch.setattr(app_ctx.tasks, "start", lambda fn, **kw: calls.append(fn) or original(fn, **kw))
    return calls


@pytest.fixture
def page(demo_store, app_ctx, qtbot, started) -> DashboardPage:
    widget = DashboardPage(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()
    widget.activated()
    qtbot.waitUntil(lambda: widget.computations == 1)
    return widget


def shown(page: DashboardPage) -> dict[str, str]:
    return {key: card.value.text() for key, card in page.cards.items()}


def expected_cards(report) -> dict[str, str]:
    def pct(value):
        return format_percent(value, 1)

    return {
        "engagements": format_number(report.engagements),
        "companies": format_number(report.companies),
        "kpi_improvement_mean_pct": pct(report.kpi_improvement_mean_pct),
        "financial_effect_total_krw": format_money(report.financial_effect_total_krw),
        "financial_effect_per_company_krw": format_money(round(report.financial_effect_per_company_krw)),
        "new_hires_total": format_number(report.new_hires_total),
        "smart_factories_built": format_number(report.smart_factories_built),
        "survey.satisfied_pct": pct(report.survey["satisfied_pct"]),
        "survey.continue_pct": pct(report.survey["continue_pct"]),
        "survey.recommend_pct": pct(report.survey["recommend_pct"]),
    }


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_the_cards_show_the_programme_report_computed_in_the_background(page, records, started):
    report = programme_report(records, default_catalogue(), lang="ko")
    assert shown(page) == expected_cards(report)
    # the demo programme, as a person reads it
    assert shown(page)["engagements"] == "56"
    assert shown(page)["financial_effect_total_krw"] == "3,593,000,000원"
    assert shown(page)["kpi_improvement_mean_pct"] == "35.9%"
    assert len(started) == 1  # through ctx.tasks, not on the GUI thread
    assert page.status.text() == "참여 56건 기준"


def test_each_card_explains_its_method_in_its_tooltip(page, records):
    report = programme_report(records, default_catalogue(), lang="ko")
    for key, card in page.cards.items():
        assert card.method_note == report.method[key]
        assert html.escape(report.method[key], quote=False) in card.toolTip()
    assert "단순 평균" in page.cards["kpi_improvement_mean_pct"].toolTip()


def test_the_year_filter_changes_the_figures_and_charts(page, qtbot, records, started):
    assert [page.year_combo.itemData(i) for i in range(page.year_combo.count())] == [None, 1, 2, 3, 4]
    choose(page.year_combo, 2)
    qtbot.waitUntil(lambda: page.computations == 2)
    report = programme_report(records, default_catalogue(), ReportFilter(year=2), lang="ko")
    assert shown(page) == expected_cards(report)
    assert shown(page)["engagements"] == format_number(report.engagements) != "56"
    data = chart_data(records, default_catalogue(), ReportFilter(year=2))
    assert page.charts.hires.labels == ["2차년도"] and page.charts.hires.values == [data.hires_values[0]]
    assert page.charts.improvement.labels == data.improvement_labels
    assert len(started) == 2


def test_the_sponsor_filter_offers_the_sponsors_in_the_data(page, qtbot, records):
    sponsors = sorted({r.sponsor for r in records})
    assert [page.sponsor_combo.itemText(i) for i in range(page.sponsor_combo.count())] == ["전체 후원기업", *sponsors]
    choose(page.sponsor_combo, sponsors[0])
    qtbot.waitUntil(lambda: page.computations == 2)
    report = programme_report(records, default_catalogue(), ReportFilter(sponsor=sponsors[0]), lang="ko")
    assert shown(page) == expected_cards(report)


def test_the_charts_draw_one_bar_per_company_and_per_year(page, records):
    data = chart_data(records, default_catalogue())
    charts = page.charts
    assert len(data.improvement_values) == 30
    assert charts.improvement.labels == data.improvement_labels
    drawn = charts.improvement.drawn()
    assert [value for _, value in drawn] == pytest.approx(data.improvement_values)
    assert [position for position, _ in drawn] == list(range(29, -1, -1))  # the best at the top
    assert sorted(data.improvement_values, reverse=True) == data.improvement_values
    assert charts.hires.labels == ["1차년도", "2차년도", "3차년도", "4차년도"]
    assert [v for _, v in charts.hires.drawn()] == [43, 43, 29, 28]
    assert [v for _, v in charts.effect.drawn()] == pytest.approx([v / 1e6 for v in data.effect_values])
    assert sum(data.effect_values) == 3_593_000_000
    axis = charts.effect.plot.getPlotItem().getAxis("left")
    assert axis.labelText == "재무적 효과 (백만원/년)"
    assert charts.improvement.plot.getPlotItem().getAxis("bottom").labelText == "평균 개선율 (%)"


def test_saved_changes_refresh_the_shown_dashboard(page, qtbot, demo_store, app_ctx):
    with demo_store.transaction() as session:
        engagement = session.exec(select(Engagement).order_by(Engagement.year)).first()
        engagement.deleted = True
    app_ctx.data_changed.emit()
    qtbot.waitUntil(lambda: page.computations == 2)
    assert shown(page)["engagements"] == "55"


def test_a_hidden_dashboard_recomputes_only_when_shown_again(page, qtbot, demo_store, app_ctx, started):
    page.hide()
    app_ctx.data_changed.emit()
    app_ctx.data_changed.emit()
    assert len(started) == 1
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: page.computations == 2)
    page.activated()  # nothing changed since: no new computation
    assert len(started) == 2


def test_pyqtgraph_is_loaded_only_when_the_dashboard_draws(tmp_path):
    import subprocess
    import sys

    probe = ("import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen';"
             "import consultant_app.ui.pages.dashboard, consultant_app.ui.main_window;"
             "print('pyqtgraph' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "False"


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    """The save dialog answers with a file in tmp_path; returns what it was asked with and that file."""
    asked: list[str] = []
    target = tmp_path / "reports" / "report.pdf"
    target.parent.mkdir()

    def get_save_file_name(_parent, _title, start, _filter, *args, **kwargs):
        asked.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    return asked, target


@pytest.fixture
def answer(monkeypatch):
    """Record the "saved, open it?" question and answer it with the button in ``answer.button``."""

    class Answer:
        def __init__(self):
            self.button = QMessageBox.StandardButton.Close
            self.asked: list[str] = []

    given = Answer()

    def question(_parent, _title, text, *args, **kwargs):
        given.asked.append(text)
        return given.button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return given


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_the_report_pdf_is_written_for_the_chosen_year_in_the_background(page, qtbot, save_to, answer, started):
    asked, target = save_to
    choose(page.year_combo, 2)
    qtbot.waitUntil(lambda: page.computations == 2)
    answer.button = QMessageBox.StandardButton.Open
    opened = []
    page.open_file = opened.append
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.findChild(QProgressDialog, "task_progress_dialog") is not None
    qtbot.waitUntil(lambda: bool(answer.asked), timeout=60_000)

    assert asked[0].endswith(f"산업혁신운동_성과보고_{date.today().isoformat()}.pdf")
    text = pdf_text(target)
    assert "산업혁신운동 성과 보고" in text and "2차년도" in text
    assert str(target) in answer.asked[0]
    assert opened == [target]
    assert not target.with_name(target.name + ".part").exists()
    assert len(started) == 3  # the first figures, the year's figures, the report: all through ctx.tasks
    assert page.export_button.isEnabled()


def test_the_report_follows_the_window_language(page, qtbot, save_to, answer, app_ctx):
    _asked, target = save_to
    app_ctx.lang = "en"
    page.export_report(target)
    qtbot.waitUntil(lambda: bool(answer.asked), timeout=60_000)
    assert "Industrial Innovation Movement: programme results" in pdf_text(target)


def test_closing_the_saved_message_opens_nothing(page, qtbot, save_to, answer):
    _asked, target = save_to
    opened = []
    page.open_file = opened.append
    page.export_report()
    qtbot.waitUntil(lambda: bool(answer.asked), timeout=60_000)
    assert target.exists() and opened == []


def test_cancelling_the_file_dialog_writes_no_report(page, monkeypatch, started):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert page.export_report() is None
    assert len(started) == 1
