"""The company and engagement forms in the real main window, typed into as a user would."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func
from sqlmodel import select

from consultant_app.domain.validation import Issue, Rule
from consultant_app.services.companies import CompanyDraft, EngagementDraft, save_company, save_engagement
from consultant_app.store.models import AuditEntry, Company, Engagement, OutboxOp, Sponsor

Button = QMessageBox.StandardButton
NUMBER = "124-81-00998"


def type_text(qtbot, editor, text: str) -> None:
    """Type ``text``: Latin keys as key presses, Hangul as the input method commits each syllable."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(editor, char)
        else:  # QTest has no keys for Hangul; a Korean IME delivers it as committed text
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(editor, event)


def type_into(qtbot, field, text: str) -> None:
    """Click into the field, select what is there and type ``text`` over it."""
    editor = field.editor.lineEdit() if hasattr(field.editor, "lineEdit") and field.editor.lineEdit() else field.editor
    editor.setFocus()
    editor.selectAll()
    if text:
        type_text(qtbot, editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Delete)


def pick(field, value) -> None:
    """Choose the item with ``value`` in a combo box, as a click in its list does."""
    field.editor.setCurrentIndex(field.editor.findData(value))


def click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def counts(store) -> dict[str, int]:
    with store.session() as session:
        return {model.__name__: session.exec(select(func.count()).select_from(model)).one()
                for model in (Company, Sponsor, Engagement, AuditEntry, OutboxOp)}


def journal_of(store, row_id: str) -> list[tuple[str, str]]:
    """(action, changed fields) of a row's audit entries, checked against its outbox ops."""
    with store.session() as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.row_id == row_id).order_by(AuditEntry.id)).all()
        ops = session.exec(select(OutboxOp).where(OutboxOp.row_id == row_id).order_by(OutboxOp.seq)).all()
    assert [(a.action, a.changes) for a in audit] == [(o.action, o.changes) for o in ops]
    return [(a.action, ",".join(sorted(json.loads(a.changes)))) for a in audit]


@pytest.fixture
def workspace(main_window):
    """The workspace with an empty company form, opened with the list's "새 기업" button."""
    main_window.show_page("companies")
    main_window.page("companies").new_button.click()
    assert main_window.current_key == "workspace"
    return main_window.page("workspace")


@pytest.fixture
def existing(store):
    """A saved company with a year-1 engagement."""
    company_id = save_company(store, CompanyDraft(business_no=NUMBER, name="대명정밀", employees=45, sponsor="한빛자동차"))
    engagement_id = save_engagement(store, EngagementDraft(year=1), company_id=company_id)
    return company_id, engagement_id


def open_existing(main_window, company_id: str):
    main_window.ctx.open_company_requested.emit(company_id)
    return main_window.page("workspace")


def test_a_company_and_then_an_engagement_are_created_by_typing_and_saving(workspace, main_window, store, qtbot):
    form = workspace.tab_widgets["company"]
    assert not form.save_button.isEnabled() and not form.delete_button.isEnabled()
    type_into(qtbot, form.fields["business_no"], NUMBER)
    type_into(qtbot, form.fields["name"], "대명정밀")
    type_into(qtbot, form.fields["representative"], "김대명")
    type_into(qtbot, form.fields["region"], "경남 창원")
    type_into(qtbot, form.fields["employees"], "1,045")
    pick(form.fields["manufacturing"], True)
    pick(form.fields["supplier_tier"], 2)
    type_into(qtbot, form.fields["sponsor"], "한빛자동차")  # not in the list: a new sponsor
    pick(form.fields["growth_stage"], "intermediate1")
    assert form.has_unsaved_changes() and all(not f.error() for f in form.group)
    click(qtbot, form.save_button)

    with store.session() as session:
        company = session.exec(select(Company)).one()
        sponsor = session.get(Sponsor, company.sponsor_id)
    assert (company.business_no, company.name, company.region, company.employees, company.supplier_tier,
            company.manufacturing, company.growth_stage, sponsor.name) == (
        "1248100998", "대명정밀", "경남 창원", 1045, 2, True, "intermediate1", "한빛자동차")
    assert journal_of(store, company.id) == [("create", "business_no,deleted,employees,growth_stage,industry,"
                                                        + "manufacturing,name,region,representative,sponsor_id,"
                                                        + "supplier_tier")]
    assert journal_of(store, sponsor.id) == [("create", "deleted,name")]
    assert main_window.ctx.company_id == company.id
    assert workspace.title.text() == "대명정밀"
    assert not form.has_unsaved_changes() and form.delete_button.isEnabled()
    assert form.message.text() == "저장했습니다."

    engagement = workspace.tab_widgets["engagement"]
    workspace.tabs.setCurrentWidget(engagement)
    assert engagement.form_area.isEnabled() and engagement.fields["year"].state() == "1"
    pick(engagement.fields["phase"], 2)
    pick(engagement.fields["field"], "smart_factory")
    type_into(qtbot, engagement.fields["support_krw"], "30,000,000원")
    type_into(qtbot, engagement.fields["start_date"], "2018.07.02")
    type_into(qtbot, engagement.fields["end_date"], "2019-03-31")
    type_into(qtbot, engagement.fields["consultant"], "박전문")
    click(qtbot, engagement.save_button)

    with store.session() as session:
        saved = session.exec(select(Engagement)).one()
    assert (saved.company_id, saved.year, saved.phase, saved.field, saved.support_krw, str(saved.start_date),
            str(saved.end_date), saved.status, saved.consultant) == (
        company.id, 1, 2, "smart_factory", 30_000_000, "2018-07-02", "2019-03-31", "in_progress", "박전문")
    assert [action for action, _ in journal_of(store, saved.id)] == ["create"]
    assert main_window.ctx.engagement_id == saved.id
    assert workspace.year_picker.currentData() == saved.id and workspace.year_picker.currentText() == "1차년도"
    assert not workspace.has_unsaved_changes()

    main_window.show_page("companies")
    page = main_window.page("companies")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.loading)
    row = page.model.row(0)
    assert (row.name, row.sponsor, row.engagements, row.latest_year, row.latest_status) == (
        "대명정밀", "한빛자동차", 1, 1, "in_progress")


def test_invalid_input_shows_messages_next_to_the_fields_and_saves_nothing(workspace, store, qtbot):
    before = counts(store)
    form = workspace.tab_widgets["company"]
    type_into(qtbot, form.fields["business_no"], "124-81-00999")
    type_into(qtbot, form.fields["name"], "대명정밀")
    type_into(qtbot, form.fields["employees"], "-3")
    assert form.fields["business_no"].error() == Issue(
        Rule.BUSINESS_NO_CHECKSUM, "business_no", {"value": "124-81-00999"}).message("ko")
    assert form.fields["employees"].error() == "종업원 수은(는) 0 이상이어야 합니다 (입력: -3)."
    assert form.fields["employees"].error_label.isVisible()
    assert not form.fields["name"].error()
    assert not form.save_button.isEnabled()
    assert form.save_changes() is False
    type_into(qtbot, form.fields["employees"], "세 명")
    assert form.fields["employees"].error() == "종업원 수은(는) 숫자여야 합니다: '세 명'"
    assert counts(store) == before


def test_required_fields_speak_up_only_when_saving_is_tried(workspace, store, qtbot):
    form = workspace.tab_widgets["company"]
    type_into(qtbot, form.fields["region"], "경남 창원")
    assert not form.fields["name"].error() and form.save_button.isEnabled()
    click(qtbot, form.save_button)
    assert form.fields["name"].error() == "기업명을(를) 입력하세요."
    assert form.fields["business_no"].error() == "사업자등록번호을(를) 입력하세요."
    assert not form.save_button.isEnabled()
    assert counts(store)["Company"] == 0


def test_an_end_date_before_the_start_is_shown_at_the_end_date(existing, main_window, store, qtbot):
    company_id, engagement_id = existing
    workspace = open_existing(main_window, company_id)
    form = workspace.tab_widgets["engagement"]
    assert workspace.year_picker.currentData() == engagement_id
    type_into(qtbot, form.fields["start_date"], "2019-05-01")
    type_into(qtbot, form.fields["end_date"], "2019.04.01")
    assert form.fields["end_date"].error() == "종료일(2019-04-01)이 시작일(2019-05-01)보다 앞섭니다."
    type_into(qtbot, form.fields["support_krw"], "3천만원")
    assert form.fields["support_krw"].error() == "지원금액은(는) 숫자여야 합니다: '3천만원'"
    before = counts(store)
    assert not form.save_button.isEnabled() and form.save_changes() is False
    assert counts(store) == before


def test_a_number_another_company_has_is_an_inline_error(existing, workspace, store, qtbot):
    form = workspace.tab_widgets["company"]
    type_into(qtbot, form.fields["name"], "다른회사")
    type_into(qtbot, form.fields["business_no"], "1248100998")
    assert form.fields["business_no"].error() == "사업자등록번호 124-81-00998은(는) 이미 등록된 기업 '대명정밀'의 번호입니다."
    before = counts(store)
    assert not form.save_button.isEnabled() and form.save_changes() is False
    assert counts(store) == before


def test_a_year_the_company_has_already_is_an_inline_error(existing, main_window, qtbot):
    workspace = open_existing(main_window, existing[0])
    workspace.year_picker.setCurrentIndex(workspace.year_picker.findData(""))  # "새 참여…"
    form = workspace.tab_widgets["engagement"]
    assert form.fields["year"].state() == "2" and not form.fields["year"].error()
    type_into(qtbot, form.fields["year"], "1")
    assert form.fields["year"].error() == "이 기업에는 이미 1차년도 참여 기록이 있습니다."
    assert not form.save_button.isEnabled()


def test_undo_and_redo_of_field_edits(workspace, main_window, qtbot):
    form = workspace.tab_widgets["company"]
    stack = workspace.undo_stack()
    type_into(qtbot, form.fields["name"], "대명정밀")
    type_into(qtbot, form.fields["region"], "창원")
    assert stack.count() == 2  # keystrokes in one field are one step
    assert stack.undoText() == "지역 수정"

    main_window.undo_group.undo()
    assert form.fields["region"].state() == "" and form.fields["name"].state() == "대명정밀"
    main_window.undo_group.undo()
    assert form.fields["name"].state() == ""
    assert not form.has_unsaved_changes() and not form.save_button.isEnabled()
    main_window.undo_group.redo()
    assert form.fields["name"].state() == "대명정밀" and form.has_unsaved_changes()
    assert form.save_button.isEnabled()


def test_undo_in_a_saved_company_restores_the_saved_text_and_a_clean_state(existing, main_window, qtbot):
    workspace = open_existing(main_window, existing[0])
    form = workspace.tab_widgets["company"]
    type_into(qtbot, form.fields["employees"], "50")
    pick(form.fields["supplier_tier"], 3)
    assert form.has_unsaved_changes()
    main_window.undo_group.undo()
    main_window.undo_group.undo()
    assert form.fields["employees"].state() == "45" and form.fields["supplier_tier"].state() == ""
    assert not form.has_unsaved_changes() and not workspace.has_unsaved_changes()
    main_window.undo_group.redo()
    assert form.fields["employees"].state() == "50" and form.has_unsaved_changes()


def test_undo_shows_the_tab_of_the_field_it_changes(existing, main_window, qtbot):
    workspace = open_existing(main_window, existing[0])
    engagement = workspace.tab_widgets["engagement"]
    workspace.tabs.setCurrentWidget(engagement)
    type_into(qtbot, engagement.fields["consultant"], "박전문")
    workspace.tabs.setCurrentWidget(workspace.tab_widgets["company"])
    main_window.undo_group.undo()
    assert workspace.tabs.currentWidget() is engagement
    assert engagement.fields["consultant"].state() == ""


@pytest.mark.parametrize("answer", [Button.Cancel, Button.Discard, Button.Save])
def test_leaving_the_workspace_with_unsaved_edits_asks(existing, main_window, store, qtbot, monkeypatch, answer):
    workspace = open_existing(main_window, existing[0])
    form = workspace.tab_widgets["company"]
    type_into(qtbot, form.fields["region"], "경남 김해")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: asked.append(args) or answer)

    main_window.nav.setCurrentRow(0)  # the list, from the navigation

    assert len(asked) == 1
    with store.session() as session:
        region = session.get(Company, existing[0]).region
    if answer == Button.Cancel:
        assert main_window.current_key == "workspace"
        assert form.fields["region"].state() == "경남 김해" and form.has_unsaved_changes() and region is None
    elif answer == Button.Discard:
        assert main_window.current_key == "companies"
        assert form.fields["region"].state() == "" and not form.has_unsaved_changes() and region is None
    else:
        assert main_window.current_key == "companies"
        assert not form.has_unsaved_changes() and region == "경남 김해"


def test_saving_on_leave_refuses_invalid_edits_and_stays(existing, main_window, store, qtbot, monkeypatch):
    workspace = open_existing(main_window, existing[0])
    form = workspace.tab_widgets["company"]
    type_into(qtbot, form.fields["employees"], "-3")
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: Button.Save)
    assert main_window.show_page("companies") is False
    assert main_window.current_key == "workspace"
    assert form.fields["employees"].error()
    with store.session() as session:
        assert session.get(Company, existing[0]).employees == 45


def test_picking_another_year_with_unsaved_engagement_edits_asks(existing, main_window, qtbot, monkeypatch):
    workspace = open_existing(main_window, existing[0])
    form = workspace.tab_widgets["engagement"]
    type_into(qtbot, form.fields["consultant"], "박전문")
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: Button.Cancel)
    workspace.year_picker.setCurrentIndex(workspace.year_picker.findData(""))
    assert workspace.year_picker.currentData() == existing[1]
    assert form.fields["consultant"].state() == "박전문"


def test_a_half_typed_new_engagement_survives_a_save_elsewhere(existing, main_window, qtbot):
    workspace = open_existing(main_window, existing[0])
    workspace.year_picker.setCurrentIndex(workspace.year_picker.findData(""))
    engagement = workspace.tab_widgets["engagement"]
    type_into(qtbot, engagement.fields["consultant"], "박전문")
    company = workspace.tab_widgets["company"]
    type_into(qtbot, company.fields["region"], "경남 김해")
    click(qtbot, company.save_button)  # data_changed: the workspace refreshes its year picker
    assert workspace.year_picker.currentData() == ""
    assert engagement.fields["consultant"].state() == "박전문" and engagement.has_unsaved_changes()
    click(qtbot, engagement.save_button)
    assert workspace.year_picker.currentText() == "2차년도"
    assert main_window.ctx.engagement_id == workspace.year_picker.currentData()


@pytest.mark.parametrize("answer", [Button.No, Button.Yes])
def test_deleting_a_company_asks_then_leaves_a_tombstone(existing, main_window, store, monkeypatch, answer):
    company_id, engagement_id = existing
    workspace = open_existing(main_window, company_id)
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answer)
    form = workspace.tab_widgets["company"]
    assert form.delete_company() is (answer == Button.Yes)
    with store.session() as session:
        company, engagement = session.get(Company, company_id), session.get(Engagement, engagement_id)
        assert (company.deleted, engagement.deleted) == ((answer == Button.Yes),) * 2
    if answer == Button.Yes:
        assert journal_of(store, company_id)[-1] == ("delete", "deleted")
        assert main_window.ctx.company_id is None
        assert form.fields["name"].state() == "" and workspace.title.text() == "새 기업"


def test_deleting_an_engagement_asks_then_leaves_a_tombstone(existing, main_window, store, monkeypatch):
    company_id, engagement_id = existing
    workspace = open_existing(main_window, company_id)
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: Button.Yes)
    assert workspace.tab_widgets["engagement"].delete_engagement()
    with store.session() as session:
        assert session.get(Engagement, engagement_id).deleted
    assert journal_of(store, engagement_id)[-1] == ("delete", "deleted")
    assert workspace.year_picker.count() == 1 and workspace.year_picker.currentData() == ""


def test_the_engagement_tab_waits_for_a_saved_company(workspace):
    form = workspace.tab_widgets["engagement"]
    assert not form.form_area.isEnabled() and form.hint.isVisibleTo(form)
    assert not form.has_unsaved_changes() and form.save_changes() is False
