"""The outcomes tab as a consultant fills it in: financial effect and breakdown, hires, smart factory, survey."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from sqlmodel import select

from consultant_app.store.models import AuditEntry, Company, Engagement, OutboxOp, Outcome, SurveyResponse


@pytest.fixture
def engagement_id(store) -> str:
    with store.transaction() as session:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=1)
        session.add_all([company, engagement])
    return engagement.id


def make_tab(app_ctx, qtbot, engagement_id):
    from consultant_app.ui.pages.outcomes import OutcomesTab

    widget = OutcomesTab(app_ctx, QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.set_engagement(engagement_id)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def tab(app_ctx, qtbot, engagement_id):
    return make_tab(app_ctx, qtbot, engagement_id)


def type_into(qtbot, field, text: str) -> None:
    """Click into the field, replace its text, and leave it with Tab."""
    editor = field.editor
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton)
    editor.selectAll()
    for char in text:
        if char.isascii():
            qtbot.keyClick(editor, char)
        else:  # QTest types ASCII only; Hangul arrives from the input method as committed text
            editor.insert(char)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def choose(qtbot, field, text: str) -> None:
    """Pick the combo box item shown as ``text``, with the keyboard as a user would."""
    combo = field.editor
    index = combo.findText(text)
    assert index >= 0, text
    assert combo.isEnabled()
    for _ in range(combo.count()):
        if combo.currentIndex() == index:
            break
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)
    assert combo.currentIndex() == index


def click(qtbot, check_box) -> None:
    """Click the box itself (a check box only reacts on its box and its text, not on the rest of its width)."""
    qtbot.mouseClick(check_box, Qt.MouseButton.LeftButton, pos=QPoint(8, check_box.height() // 2))


def fill_everything(qtbot, tab) -> None:
    type_into(qtbot, tab.money["financial_effect_krw"], "77,000,000원")
    type_into(qtbot, tab.money["effect_productivity_krw"], "40,000,000")
    type_into(qtbot, tab.money["effect_labour_krw"], "20000000")
    type_into(qtbot, tab.money["effect_quality_krw"], "15,000,000원")
    type_into(qtbot, tab.money["effect_other_krw"], "2,000,000")
    qtbot.mouseClick(tab.assumptions.editor.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(tab.assumptions.editor, "annual output x 25,000 KRW/h")
    type_into(qtbot, tab.new_hires, "3")
    click(qtbot, tab.built.editor)
    choose(qtbot, tab.level, "2")
    choose(qtbot, tab.satisfaction, "5 매우 만족")
    choose(qtbot, tab.wants_continue, "예")
    choose(qtbot, tab.would_recommend, "아니오")
    click(qtbot, tab.improved.boxes["productivity"])
    click(qtbot, tab.improved.boxes["quality"])


def test_without_an_engagement_the_tab_says_to_choose_one(tab):
    tab.set_engagement(None)
    assert tab.stack.currentWidget() is tab.empty_label
    assert not tab.has_unsaved_changes()


def test_everything_entered_is_saved_with_audit_and_outbox(qtbot, tab, store, engagement_id, app_ctx):
    fill_everything(qtbot, tab)
    assert tab.breakdown_sum.text() == "77,000,000원"
    assert not tab.breakdown_warning.isVisible()
    assert tab.has_unsaved_changes()
    with qtbot.waitSignal(app_ctx.data_changed):
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not tab.has_unsaved_changes()
    with store.session() as session:
        outcome = session.exec(select(Outcome)).one()
        survey = session.exec(select(SurveyResponse)).one()
        journal = {(a.entity, a.action) for a in session.exec(select(AuditEntry))}
        ops = {o.entity: json.loads(o.changes) for o in session.exec(select(OutboxOp))}
    assert (outcome.engagement_id, outcome.financial_effect_krw, outcome.effect_productivity_krw,
            outcome.effect_labour_krw, outcome.effect_quality_krw, outcome.effect_other_krw) == (
        engagement_id, 77_000_000, 40_000_000, 20_000_000, 15_000_000, 2_000_000)
    assert outcome.assumptions == "annual output x 25,000 KRW/h"
    assert (outcome.new_hires, outcome.smart_factory_built, outcome.smart_factory_level) == (3, True, 2)
    assert (survey.satisfaction, survey.wants_continue, survey.would_recommend, survey.improved) == (
        5, True, False, "productivity;quality")
    assert {("outcomes", "create"), ("survey_responses", "create")} <= journal
    assert ops["outcomes"]["financial_effect_krw"] == [None, 77_000_000]


def test_reopening_the_engagement_shows_the_saved_values(qtbot, tab, app_ctx, engagement_id):
    fill_everything(qtbot, tab)
    assert tab.save_changes()
    again = make_tab(app_ctx, qtbot, engagement_id)
    assert again.money["financial_effect_krw"].editor.text() == "77,000,000"
    assert again.money["effect_labour_krw"].editor.text() == "20,000,000"
    assert again.assumptions.editor.toPlainText() == "annual output x 25,000 KRW/h"
    assert again.new_hires.editor.text() == "3"
    assert again.built.editor.isChecked()
    assert again.level.editor.currentText() == "2" and again.level.editor.isEnabled()
    assert again.satisfaction.editor.currentText() == "5 매우 만족"
    assert again.wants_continue.editor.currentText() == "예"
    assert again.would_recommend.editor.currentText() == "아니오"
    assert [c for c, box in again.improved.boxes.items() if box.isChecked()] == ["productivity", "quality"]
    assert again.improved.boxes["quality"].text() == "품질수준 향상"
    assert not again.has_unsaved_changes()


def test_money_is_read_with_separators_and_won_and_shown_formatted(qtbot, tab):
    type_into(qtbot, tab.money["financial_effect_krw"], "1234000원")
    assert tab.money["financial_effect_krw"].editor.text() == "1,234,000"
    type_into(qtbot, tab.money["effect_other_krw"], "1,234,000")
    assert tab.breakdown_sum.text() == "1,234,000원"
    type_into(qtbot, tab.money["effect_quality_krw"], "abc")
    assert "숫자여야 합니다" in tab.money["effect_quality_krw"].error()


def test_a_breakdown_that_does_not_add_up_warns_but_saves(qtbot, tab, store):
    type_into(qtbot, tab.money["financial_effect_krw"], "10,000,000")
    type_into(qtbot, tab.money["effect_productivity_krw"], "6,000,000")
    assert tab.breakdown_sum.text() == "6,000,000원"
    assert tab.breakdown_warning.isVisible()
    assert "4,000,000원" in tab.breakdown_warning.text()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    with store.session() as session:
        assert session.exec(select(Outcome.financial_effect_krw)).one() == 10_000_000


def test_a_level_without_a_smart_factory_is_an_error_and_nothing_is_saved(qtbot, tab, store):
    assert not tab.level.editor.isEnabled()  # only once a smart factory was built
    click(qtbot, tab.built.editor)
    assert tab.level.editor.isEnabled()
    choose(qtbot, tab.level, "3")
    click(qtbot, tab.built.editor)  # not built after all, level still there
    assert tab.level.error() == "스마트공장을 구축하지 않았는데 수준(3)이 입력되었습니다."
    assert tab.level.editor.isEnabled()  # so the level can be cleared
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "오류" in tab.message.text()
    with store.session() as session:
        assert session.exec(select(Outcome)).all() == []
    choose(qtbot, tab.level, "없음")
    assert tab.level.error() == ""
    assert not tab.level.editor.isEnabled()


def test_negative_hires_are_an_error_beside_the_field(qtbot, tab):
    type_into(qtbot, tab.new_hires, "-2")
    assert tab.new_hires.error() == "신규 채용은(는) 0 이상이어야 합니다 (입력: -2)."
    assert tab.save_changes() is False


def test_undo_restores_a_typed_value(qtbot, tab):
    type_into(qtbot, tab.new_hires, "3")
    type_into(qtbot, tab.new_hires, "5")
    tab.undo.undo()
    assert tab.new_hires.editor.text() == "3"
    click(qtbot, tab.built.editor)
    tab.undo.undo()
    assert not tab.built.editor.isChecked()


def test_discarding_goes_back_to_what_was_saved(qtbot, tab):
    type_into(qtbot, tab.new_hires, "3")
    assert tab.save_changes()
    type_into(qtbot, tab.new_hires, "9")
    qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert tab.new_hires.editor.text() == "3"
    assert not tab.has_unsaved_changes()
