"""The KPI tab as a consultant uses it: pick KPIs, type values, read the figures, save, undo, remove, charts."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit, QMessageBox
from sqlmodel import select

from consultant_app.store.models import AuditEntry, Company, Engagement, KpiMeasurement, OutboxOp
from consultant_app.ui.models.kpis import COLUMN_INDEX, ERROR_BACKGROUND, GREEN, GREY, WARNING_BACKGROUND


@pytest.fixture
def engagement_id(store) -> str:
    with store.transaction() as session:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=2)
        session.add_all([company, engagement])
    return engagement.id


@pytest.fixture
def tab(app_ctx, qtbot, engagement_id):
    from consultant_app.ui.pages.kpis import KpiTab

    widget = KpiTab(app_ctx, QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.set_engagement(engagement_id)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add_kpis(qtbot, tab, codes: list[str]) -> None:
    """Open the picker, ctrl-click the KPIs' rows, press OK."""
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    picker = tab.picker
    qtbot.waitUntil(picker.isVisible)
    for code in codes:
        index = picker.table.model().index(picker.row_of(code), 0)
        qtbot.mouseClick(picker.table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                         picker.table.visualRect(index).center())
    qtbot.mouseClick(picker.buttons.button(picker.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not picker.isVisible())


def cell(tab, code: str, column: str):
    row = next(n for n, r in enumerate(tab.model.rows()) if r.code == code)
    return tab.model.index(row, COLUMN_INDEX[column])


def shown(tab, code: str, column: str, role=Qt.ItemDataRole.DisplayRole):
    return cell(tab, code, column).data(role)


def open_editor(qtbot, tab, code: str, column: str) -> QLineEdit:
    """Go to the cell and press F2, as a user starts editing; returns the cell's editor."""
    tab.table.setCurrentIndex(cell(tab, code, column))
    qtbot.keyClick(tab.table, Qt.Key.Key_F2)
    editors = [w for w in tab.table.viewport().findChildren(QLineEdit, "kpi_cell_editor") if w.isVisible()]
    assert len(editors) == 1
    return editors[0]


def type_value(qtbot, tab, code: str, column: str, text: str, *, finish: bool = True) -> QLineEdit:
    editor = open_editor(qtbot, tab, code, column)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    if finish:
        finish_editing(qtbot, editor)
    return editor


def finish_editing(qtbot, editor: QLineEdit) -> None:
    """Press Enter; the view closes the editor on its next turn of the event loop."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not shiboken6.isValid(editor) or not editor.isVisible())


def measurements(store, engagement_id, *, deleted=False) -> list[KpiMeasurement]:
    with store.session() as session:
        return session.exec(select(KpiMeasurement).where(KpiMeasurement.engagement_id == engagement_id,
                                                          KpiMeasurement.deleted == deleted)).all()


def test_without_an_engagement_the_tab_says_to_choose_one(tab):
    tab.set_engagement(None)
    assert tab.stack.currentWidget() is tab.empty_label
    assert "참여" in tab.empty_label.text()
    assert not tab.has_unsaved_changes()


def test_the_picker_lists_the_catalogue_without_the_kpis_already_chosen(qtbot, tab):
    add_kpis(qtbot, tab, ["defect_rate"])
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    picker = tab.picker
    assert picker.row_of("defect_rate") == -1
    row = picker.row_of("on_time_delivery")
    texts = [picker.table.item(row, c).text() for c in range(picker.table.columnCount())]
    assert texts == ["납기준수율", "On-time delivery", "D 납기", "%", "높을수록 좋음", "on_time_delivery"]
    picker.reject()


def test_typed_values_show_improvement_achievement_and_points_as_you_type(qtbot, tab):
    add_kpis(qtbot, tab, ["defect_rate", "on_time_delivery"])
    assert [r.code for r in tab.model.rows()] == ["defect_rate", "on_time_delivery"]
    type_value(qtbot, tab, "defect_rate", "baseline", "2.93")
    type_value(qtbot, tab, "defect_rate", "target", "1.5")
    editor = type_value(qtbot, tab, "defect_rate", "post", "1.71", finish=False)
    # Still typing: the figures already follow.
    assert shown(tab, "defect_rate", "improvement") == "41.6%"  # the press said 44%
    assert shown(tab, "defect_rate", "achievement") == "85.3%"
    assert shown(tab, "defect_rate", "points") == "−1.22%p"
    assert shown(tab, "defect_rate", "improvement", Qt.ItemDataRole.ForegroundRole) == GREEN
    assert shown(tab, "defect_rate", "improvement", Qt.ItemDataRole.ToolTipRole) == (
        "(B − A) ÷ B × 100\n= (2.93 − 1.71) ÷ 2.93 × 100\n= 41.6%\n단위: %")
    finish_editing(qtbot, editor)
    tab.table.setCurrentIndex(cell(tab, "defect_rate", "post"))
    details = tab.details.text()
    assert "(B − A) ÷ B × 100 = (2.93 − 1.71) ÷ 2.93 × 100 = <b>41.6%</b>" in details
    assert "(A − B) ÷ (T − B) × 100" in details and "단위 %" in details

    type_value(qtbot, tab, "on_time_delivery", "baseline", "85")
    type_value(qtbot, tab, "on_time_delivery", "post", "93.5")
    assert shown(tab, "on_time_delivery", "points") == "+8.5%p"
    assert shown(tab, "on_time_delivery", "improvement") == "10.0%"
    assert shown(tab, "on_time_delivery", "achievement") == "정의되지 않음: 목표값 없음"


def test_a_zero_baseline_shows_why_the_improvement_is_undefined(qtbot, tab):
    add_kpis(qtbot, tab, ["safety_incidents"])
    type_value(qtbot, tab, "safety_incidents", "baseline", "0")
    type_value(qtbot, tab, "safety_incidents", "post", "0")
    assert shown(tab, "safety_incidents", "improvement") == "정의되지 않음: 기준값이 0"
    assert shown(tab, "safety_incidents", "improvement", Qt.ItemDataRole.ForegroundRole) == GREY
    assert "정의되지 않음: 기준값이 0" in tab.details.text()


def test_a_percentage_over_100_is_an_error_and_save_writes_nothing(qtbot, tab, store, engagement_id):
    add_kpis(qtbot, tab, ["defect_rate"])
    type_value(qtbot, tab, "defect_rate", "baseline", "120")
    assert shown(tab, "defect_rate", "baseline", Qt.ItemDataRole.BackgroundRole) == ERROR_BACKGROUND
    assert "0에서 100 사이의 % 값" in shown(tab, "defect_rate", "baseline", Qt.ItemDataRole.ToolTipRole)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "오류" in tab.message.text()
    assert measurements(store, engagement_id) == []
    assert tab.has_unsaved_changes()
    assert tab.save_changes() is False


def test_text_that_is_not_a_number_is_an_error_on_its_cell(qtbot, tab):
    add_kpis(qtbot, tab, ["lead_time"])
    type_value(qtbot, tab, "lead_time", "target", "3 days")
    assert shown(tab, "lead_time", "target") == "3 days"
    assert "숫자여야 합니다" in shown(tab, "lead_time", "target", Qt.ItemDataRole.ToolTipRole)
    assert tab.model.has_errors()


def test_an_implausible_improvement_is_a_warning_and_still_saves(qtbot, tab, store, engagement_id):
    add_kpis(qtbot, tab, ["defect_rate"])
    type_value(qtbot, tab, "defect_rate", "baseline", "10")
    type_value(qtbot, tab, "defect_rate", "post", "0.5")
    assert shown(tab, "defect_rate", "post", Qt.ItemDataRole.BackgroundRole) == WARNING_BACKGROUND
    assert "⚠ 개선율 95.0%는 90%를 넘습니다" in shown(tab, "defect_rate", "kpi", Qt.ItemDataRole.ToolTipRole)
    assert shown(tab, "defect_rate", "kpi", Qt.ItemDataRole.DecorationRole) is not None
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert [m.post for m in measurements(store, engagement_id)] == [0.5]


def test_saving_writes_rows_with_audit_and_outbox_and_announces_it(qtbot, tab, store, engagement_id, app_ctx):
    add_kpis(qtbot, tab, ["defect_rate", "on_time_delivery"])
    type_value(qtbot, tab, "defect_rate", "baseline", "2.93")
    type_value(qtbot, tab, "defect_rate", "baseline_date", "2016.03.15")
    type_value(qtbot, tab, "defect_rate", "baseline_numerator", "293")
    type_value(qtbot, tab, "defect_rate", "baseline_denominator", "10,000")
    type_value(qtbot, tab, "defect_rate", "target", "1.5")
    type_value(qtbot, tab, "defect_rate", "post", "1.71")
    type_value(qtbot, tab, "on_time_delivery", "baseline", "85")
    assert tab.has_unsaved_changes()
    with qtbot.waitSignal(app_ctx.data_changed):
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not tab.has_unsaved_changes()
    rows = {m.kpi_code: m for m in measurements(store, engagement_id)}
    assert set(rows) == {"defect_rate", "on_time_delivery"}
    d = rows["defect_rate"]
    assert (d.baseline, d.baseline_date, d.baseline_numerator, d.baseline_denominator, d.target, d.post) == (
        2.93, date(2016, 3, 15), 293.0, 10_000.0, 1.5, 1.71)
    assert rows["on_time_delivery"].baseline == 85.0 and rows["on_time_delivery"].post is None
    with store.session() as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.row_id == d.id)).all()
        outbox = session.exec(select(OutboxOp).where(OutboxOp.row_id == d.id)).all()
    assert [a.action for a in audit] == [o.action for o in outbox] == ["create"]
    assert json.loads(outbox[0].changes)["baseline"] == [None, 2.93]

    # A second edit updates the same row.
    type_value(qtbot, tab, "defect_rate", "post", "1.6")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert [m.post for m in measurements(store, engagement_id) if m.kpi_code == "defect_rate"] == [1.6]


def test_undo_restores_a_typed_value_and_redo_brings_it_back(qtbot, tab):
    add_kpis(qtbot, tab, ["defect_rate"])
    type_value(qtbot, tab, "defect_rate", "baseline", "2.93")
    type_value(qtbot, tab, "defect_rate", "baseline", "3.1")
    assert shown(tab, "defect_rate", "baseline") == "3.1"
    tab.undo.undo()  # one step per edit, however many keys it took
    assert shown(tab, "defect_rate", "baseline") == "2.93"
    tab.undo.undo()
    assert shown(tab, "defect_rate", "baseline") == ""
    tab.undo.redo()
    assert shown(tab, "defect_rate", "baseline") == "2.93"
    assert tab.undo.undoText() == "KPI 값 입력"


def test_removing_a_kpi_asks_then_tombstones_it_on_save(qtbot, tab, store, engagement_id):
    add_kpis(qtbot, tab, ["defect_rate", "oee"])
    type_value(qtbot, tab, "oee", "baseline", "60")
    tab.save_changes()
    saved_id = next(m.id for m in measurements(store, engagement_id) if m.kpi_code == "oee")
    tab.table.setCurrentIndex(cell(tab, "oee", "baseline"))

    def answer_yes():
        box = tab.findChild(QMessageBox, "kpi_confirm_remove")
        assert "설비종합효율" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, answer_yes)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert [r.code for r in tab.model.rows()] == ["defect_rate"]
    assert tab.has_unsaved_changes()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert [m.id for m in measurements(store, engagement_id, deleted=True)] == [saved_id]
    with store.session() as session:
        actions = [o.action for o in session.exec(select(OutboxOp).where(OutboxOp.row_id == saved_id))]
    assert actions == ["create", "delete"]


def test_saying_no_keeps_the_kpi(qtbot, tab):
    add_kpis(qtbot, tab, ["oee"])
    tab.table.setCurrentIndex(cell(tab, "oee", "baseline"))
    QTimer.singleShot(0, lambda: tab.findChild(QMessageBox, "kpi_confirm_remove").button(
        QMessageBox.StandardButton.No).click())
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert [r.code for r in tab.model.rows()] == ["oee"]


def test_discarding_goes_back_to_what_was_saved(qtbot, tab):
    add_kpis(qtbot, tab, ["oee"])
    type_value(qtbot, tab, "oee", "baseline", "60")
    tab.save_changes()
    type_value(qtbot, tab, "oee", "baseline", "65")
    qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert shown(tab, "oee", "baseline") == "60"
    assert not tab.has_unsaved_changes()


def test_the_chart_has_one_entry_per_kpi_with_its_values(qtbot, tab):
    add_kpis(qtbot, tab, ["defect_rate", "on_time_delivery"])
    for column, text in (("baseline", "2.93"), ("target", "1.5"), ("post", "1.71")):
        type_value(qtbot, tab, "defect_rate", column, text)
    for column, text in (("baseline", "85"), ("target", "95"), ("post", "93.5")):
        type_value(qtbot, tab, "on_time_delivery", column, text)
    charts = tab.bar_charts
    assert charts.shown_codes() == ["defect_rate", "on_time_delivery"]
    assert charts.bar_heights("defect_rate") == [2.93, 1.5, 1.71]
    assert charts.bar_heights("on_time_delivery") == [85.0, 95.0, 93.5]
    assert charts.bar_labels("defect_rate") == ["2.93", "1.5", "1.71"]
    assert (charts.title("defect_rate"), charts.unit("defect_rate")) == ("공정불량률", "%")
    type_value(qtbot, tab, "defect_rate", "post", "1.8")
    assert charts.bar_heights("defect_rate") == [2.93, 1.5, 1.8]


def test_a_kpi_measured_in_other_years_shows_its_trend(qtbot, app_ctx, store, engagement_id):
    from consultant_app.ui.pages.kpis import KpiTab

    with store.transaction() as session:
        company_id = session.get(Engagement, engagement_id).company_id
        first = Engagement(company_id=company_id, year=1)
        session.add_all([first, KpiMeasurement(engagement_id=first.id, kpi_code="oee", baseline=55.0, target=65.0,
                                               post=62.0),
                         KpiMeasurement(engagement_id=engagement_id, kpi_code="oee", baseline=62.0, target=75.0,
                                        post=71.0),
                         KpiMeasurement(engagement_id=engagement_id, kpi_code="lead_time", baseline=5.0)])
    tab = KpiTab(app_ctx, QUndoStack())
    qtbot.addWidget(tab)
    tab.set_engagement(engagement_id)
    tab.show()
    qtbot.waitExposed(tab)
    tab.table.setCurrentIndex(cell(tab, "oee", "post"))
    assert tab.trend_host.isVisible()
    baseline, target, post = tab.trend_chart.series()
    assert baseline == ([1.0, 2.0], [55.0, 62.0]) and post == ([1.0, 2.0], [62.0, 71.0])
    type_value(qtbot, tab, "oee", "post", "73")
    assert tab.trend_chart.series()[2] == ([1.0, 2.0], [62.0, 73.0])
    tab.table.setCurrentIndex(cell(tab, "lead_time", "baseline"))
    assert not tab.trend_host.isVisible()  # measured this year only


def test_the_tab_in_the_workspace_follows_the_year_and_the_edit_menu_undoes(qtbot, main_window, store,
                                                                          engagement_id):
    with store.session() as session:
        company_id = session.get(Engagement, engagement_id).company_id
    main_window.open_company(company_id)
    workspace = main_window.page("workspace")
    tab = workspace.tab_widgets["kpis"]
    workspace.tabs.setCurrentWidget(tab)
    assert tab.engagement_id == engagement_id
    add_kpis(qtbot, tab, ["oee"])
    type_value(qtbot, tab, "oee", "baseline", "60")
    assert workspace.has_unsaved_changes()
    undo = next(a for a in main_window.menuBar().actions()[1].menu().actions() if a.text().startswith("실행 취소"))
    undo.trigger()
    assert shown(tab, "oee", "baseline") == ""
    assert workspace.save_changes()
    assert [m.kpi_code for m in measurements(store, engagement_id)] == ["oee"]


def test_opening_the_tab_module_does_not_load_pyqtgraph():
    probe = "import sys, consultant_app.ui.pages.kpis; print('pyqtgraph' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert result.stdout.strip() == "False"
