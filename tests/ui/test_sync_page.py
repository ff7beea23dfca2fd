"""The sync page against a real server over HTTP: sync with progress and counts, cancel, errors, and settling
conflicts and rejected changes from its dialogs."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QMessageBox
from sqlmodel import select

from consultant_app.services.companies import CompanyDraft, save_company
from consultant_app.store import Store
from consultant_app.store.models import Company, OutboxOp
from consultant_app.sync import client as client_module
from consultant_app.sync.account import has_token, sync_account
from consultant_app.ui.pages.sync import SyncPage
from consultant_app.ui.pages.sync_dialogs import EDIT, SERVER

PASSWORD = "correct horse 1"
NUMBER = "1248100998"
TIMEOUT = 60_000


@pytest.fixture
def page(app_ctx, qtbot, central) -> SyncPage:
    widget = SyncPage(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.activated()
    widget.server_edit.setText(central.base_url)
    widget.user_edit.setText("kim")
    return widget


def sync_on(page: SyncPage, qtbot, password: str | None = PASSWORD) -> None:
    if password is not None:
        page.password_edit.setText(password)
    before = page.syncs
    assert page.sync_now() is not None
    qtbot.waitUntil(lambda: page.syncs == before + 1, timeout=TIMEOUT)


def statuses(page: SyncPage) -> list[str]:
    model = page.table.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def outbox(store) -> list[OutboxOp]:
    with store.session() as session:
        return list(session.exec(select(OutboxOp).order_by(OutboxOp.seq)))


def other_laptop(tmp_path, central) -> Store:
    other = Store.open(tmp_path / "other", actor="kim")
    sync_account(other, server=central.base_url, user="kim", password=lambda: PASSWORD)
    return other


def test_a_sync_from_the_page_shows_progress_then_the_counts(page, qtbot, store, central):
    for number, name in ((NUMBER, "한빛정밀"), ("2208162517", "대성기계")):
        save_company(store, CompanyDraft(business_no=number, name=name))
    page.refresh()
    assert page.counts_label.text() == "보낼 변경 2건 · 충돌 0건 · 거부 0건"
    assert statuses(page) == ["대기", "대기"] and page.last_label.text() == "마지막 동기화: 아직 없음"
    sync_on(page, qtbot)
    assert page.last_report.pushed == page.last_report.applied == 2
    assert ("push", 2, 2) in page.phases_seen and any(phase == "pull" for phase, *_ in page.phases_seen)
    assert "동기화했습니다: 보냄 2건 (반영 2, 충돌 0, 거부 0), 받음 2건" in page.message.text()
    assert "sync-token.json" in page.message.text()  # no keyring here: said where the token went
    assert page.counts_label.text() == "보낼 변경 0건 · 충돌 0건 · 거부 0건" and statuses(page) == []
    assert page.last_label.text() != "마지막 동기화: 아직 없음"
    assert not page.progress.isVisible()
    # The token is kept: no password the next time, and a new page offers the same server and user.
    assert page.token_note.isVisibleTo(page) and not page.password_edit.isVisibleTo(page)
    sync_on(page, qtbot, password=None)
    assert page.last_report.pushed == 0
    again = SyncPage(page.ctx)
    qtbot.addWidget(again)
    assert (again.server_edit.text(), again.user_edit.text()) == (central.base_url, "kim")
    page.log_out()
    assert not has_token(store, central.base_url, "kim") and page.password_edit.isVisibleTo(page)


def test_a_wrong_password_is_said_and_nothing_is_lost(page, qtbot, store):
    save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀"))
    sync_on(page, qtbot, password="wrong password")
    assert "사용자 이름 또는 비밀번호가 맞지 않습니다" in page.message.text()
    assert page.last_report is None and len(outbox(store)) == 1
    assert page.password_edit.isVisibleTo(page) and page.password_edit.text() == ""
    assert page.sync_button.isEnabled()


def test_no_password_and_no_kept_login_asks_for_the_password(page, qtbot):
    assert page.sync_now() is None
    assert "비밀번호를 입력하세요" in page.message.text()


def test_an_unreachable_server_is_said_clearly(page, qtbot, monkeypatch):
    monkeypatch.setattr(client_module, "time", SimpleNamespace(sleep=lambda _seconds: None))  # retries at once
    page.server_edit.setText("http://127.0.0.1:9")
    sync_on(page, qtbot)
    assert "중앙추진본부 서버에 연결할 수 없습니다" in page.message.text()


def test_cancel_stops_the_sync_and_keeps_what_was_sent(page, qtbot, store, monkeypatch, central):
    save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀"))
    entered, release = threading.Event(), threading.Event()
    push = client_module.CentralClient.push

    def held_push(self, batch):
        entered.set()
        release.wait(30)
        return push(self, batch)

    monkeypatch.setattr(client_module.CentralClient, "push", held_push)
    page.password_edit.setText(PASSWORD)
    page.sync_now()
    qtbot.waitUntil(entered.is_set, timeout=TIMEOUT)
    assert page.progress.isVisible() and not page.sync_button.isEnabled()
    qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: page.syncs == 1, timeout=TIMEOUT)
    assert "동기화를 취소했습니다" in page.message.text()
    assert outbox(store) == []  # the batch that was on its way was recorded before the sync stopped
    with central.engine.connect() as connection:
        assert connection.execute(select(Company.__table__.c.name)).scalars().all() == ["한빛정밀"]


def test_a_conflict_is_resolved_in_its_dialog_and_every_side_ends_with_the_choice(page, qtbot, store, central,
                                                                                  tmp_path):
    company_id = save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀"))
    sync_on(page, qtbot)
    other = other_laptop(tmp_path, central)
    save_company(other, CompanyDraft(business_no=NUMBER, name="한빛정밀(주)"), company_id=company_id)
    sync_account(other, server=central.base_url, user="kim")
    save_company(store, CompanyDraft(business_no=NUMBER, name="한빛정밀 주식회사"), company_id=company_id)
    sync_on(page, qtbot, password=None)
    assert page.last_report.conflicts == 1 and statuses(page) == ["충돌"]
    assert "기업명: 서버 '한빛정밀(주)', 이 컴퓨터 '한빛정밀 주식회사'" in page.table.model().index(0, 4).data()
    assert page.select_record("companies", company_id, "conflict") and page.resolve_button.isEnabled()
    assert not page.fix_button.isEnabled()
    dialog = page.resolve_selected()
    assert dialog.findChild(type(dialog.edits["name"]), "text_name").text() == "한빛정밀 주식회사"
    dialog.choose("name", EDIT, "")  # an empty company name breaks the rules: refused, the dialog stays
    dialog.accept()
    assert dialog.isVisible() and "기업명" in dialog.error.text() and outbox(store)[0].status == "conflict"
    dialog.choose("name", SERVER)
    dialog.choose("name", EDIT, "한빛정밀공업")
    dialog.accept()
    assert page.dialog is None and statuses(page) == ["대기"]
    assert "충돌을 해결했습니다" in page.message.text()
    sync_on(page, qtbot, password=None)
    assert (page.last_report.applied, statuses(page)) == (1, [])
    sync_account(other, server=central.base_url, user="kim")
    with other.session() as session:
        assert session.get(Company, company_id).name == "한빛정밀공업"
    other.close()


def rejected_company(page, qtbot, store) -> str:
    with store.transaction() as session:  # saved without the forms' checks: a wrong check digit
        row = Company(business_no="1234567892", name="번호틀림")
        session.add(row)
    sync_on(page, qtbot)
    assert page.last_report.rejected == 1 and statuses(page) == ["거부"]
    assert page.select_record("companies", row.id)
    return row.id


def test_discard_asks_first_and_only_a_yes_discards(page, qtbot, store, monkeypatch):
    row_id = rejected_company(page, qtbot, store)
    assert "검증번호" in page.table.model().index(0, 4).data()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *args, **kwargs: asked.append(args[2]) or QMessageBox.StandardButton.No))
    assert page.discard_selected() is False
    assert len(outbox(store)) == 1 and "번호틀림" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    assert page.discard_selected() is True
    assert outbox(store) == [] and statuses(page) == [] and "변경을 버렸습니다" in page.message.text()
    with store.session() as session:
        assert session.get(Company, row_id) is None


def test_a_rejected_change_fixed_in_its_dialog_reaches_the_server(page, qtbot, store, central):
    row_id = rejected_company(page, qtbot, store)
    dialog = page.fix_selected()
    assert "검증번호" in dialog.findChild(type(dialog.error), "fix_reason").text()
    dialog.set_text("business_no", "124-81-00998")
    dialog.accept()
    assert page.dialog is None and statuses(page) == ["대기"]
    sync_on(page, qtbot, password=None)
    assert page.last_report.applied == 1 and statuses(page) == []
    with central.engine.connect() as connection:
        assert connection.execute(select(Company.__table__.c.business_no)
                                  .where(Company.__table__.c.id == row_id)).scalar() == NUMBER


def test_the_page_speaks_english(qapp, qtbot, store, isolated_data_dir):
    from consultant_app.ui.context import AppContext
    from consultant_app.ui.i18n import LOCALES, install_translators, remove_translators
    from consultant_app.ui.main_window import PAGES
    from consultant_app.ui.settings import Settings
    from consultant_app.ui.tasks import TaskRunner

    assert next(spec.title() for spec in PAGES if spec.key == "sync") == "동기화"
    translators = install_translators("en")
    try:
        ctx = AppContext(store, Settings(isolated_data_dir), TaskRunner(), "en")
        widget = SyncPage(ctx)
        qtbot.addWidget(widget)
        assert next(spec.title() for spec in PAGES if spec.key == "sync") == "Sync"
        assert (widget.sync_button.text(), widget.logout_button.text()) == ("Sync now", "Log out")
        widget.refresh()
        assert widget.counts_label.text() == "Changes to send 0 · conflicts 0 · rejected 0"
        assert widget.last_label.text() == "Last sync: never"
    finally:
        remove_translators(translators)
        QLocale.setDefault(LOCALES["ko"])
