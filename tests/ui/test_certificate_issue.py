"""The certificate tab asks the central office to issue (or correct) the certificate, against a real server over
HTTP: in the background, then the preview is the official certificate; no kept login, no button; a refusal said."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from sqlalchemy import select

from central_server.issuing import certificates
from consultant_app.store import Store
from consultant_app.sync import certify
from consultant_app.sync.account import log_out, sync_account
from consultant_app.ui.pages.certificate import CertificateTab
from tests.reports.pdf_checks import pdf_text
from tests.server.test_certificates import change_post, record_eligible

PASSWORD = "correct horse 1"
TIMEOUT = 60_000


@pytest.fixture
def engagement_id(store) -> str:
    return record_eligible(store)


@pytest.fixture
def logged_in(store, central, engagement_id):
    """The laptop synced once as kim from the sync page's code: the token is kept, the records are on the server."""
    sync_account(store, server=central.base_url, user="kim", password=lambda: PASSWORD)
    return central


@pytest.fixture
def threads(monkeypatch) -> list[threading.Thread]:
    """The thread each issue request ran on."""
    seen: list[threading.Thread] = []
    original = certify.issue_certificate

    def recording(*args, **kwargs):
        seen.append(threading.current_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(certify, "issue_certificate", recording)
    return seen


def make_tab(app_ctx, qtbot, engagement_id: str) -> CertificateTab:
    tab = CertificateTab(app_ctx, QUndoStack())
    qtbot.addWidget(tab)
    tab.resize(1000, 800)
    tab.set_engagement(engagement_id)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tab.renders == 1, timeout=TIMEOUT)
    return tab


def click_and_wait(tab: CertificateTab, qtbot, button) -> None:
    """Click, see the busy indicator, and wait until the request ended and the tab showed what it brought."""
    issues, renders = tab.issues, tab.renders
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert tab.issue_progress.isVisible() and tab.issue_progress.running
    assert not tab.issue_button.isEnabled() and not tab.correct_button.isEnabled()
    qtbot.waitUntil(lambda: tab.issues == issues + 1 and tab.renders > renders and not tab.task.running,
                    timeout=TIMEOUT)
    assert not tab.issue_progress.isVisible()


def office_certificates(central) -> list[dict]:
    with central.engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(certificates).order_by(certificates.c.version))
                .mappings()]


def test_an_eligible_engagement_is_issued_from_the_tab_and_the_preview_turns_official(
        app_ctx, qtbot, store, logged_in, engagement_id, threads):
    tab = make_tab(app_ctx, qtbot, engagement_id)
    assert tab.rendered().view.is_draft and tab.draft_note.isVisible()
    assert "DRAFT" in pdf_text(tab.rendered().pdf)
    assert tab.issue_button.isVisible() and tab.issue_button.isEnabled() and not tab.correct_button.isVisible()
    assert "kim" in tab.issue_button.toolTip() and logged_in.base_url in tab.issue_button.toolTip()

    click_and_wait(tab, qtbot, tab.issue_button)
    assert threads and threads[0] is not threading.main_thread()  # never on the GUI thread
    [issued] = office_certificates(logged_in)
    number = issued["number"]
    assert number == f"IIM-{date.today().year}-00001" and issued["engagement_id"] == engagement_id
    shown = tab.rendered()
    assert not shown.view.is_draft and shown.view.number == number
    text = pdf_text(shown.pdf)
    assert number in text and "DRAFT" not in text  # the official certificate: its number, no watermark
    assert number in tab.title.text() and not tab.draft_note.isVisible()
    assert tab.status.text() == f"발급받았습니다: 확인서 {number} 제1판" and tab.status.isVisible()
    # Issued: nothing more to ask for (issuing again would give the same certificate).
    assert not tab.issue_button.isEnabled() and number in tab.issue_button.toolTip()
    assert tab.request_issue() is None and len(threads) == 1


def test_values_changed_after_issuing_offer_a_correction_that_issues_the_next_version(
        app_ctx, qtbot, store, logged_in, engagement_id):
    tab = make_tab(app_ctx, qtbot, engagement_id)
    click_and_wait(tab, qtbot, tab.issue_button)
    number = tab.rendered().view.number
    renders = tab.renders
    change_post(store, engagement_id, 1.65)  # a certified value, changed here: only a draft can print it
    app_ctx.data_changed.emit()
    qtbot.waitUntil(lambda: tab.renders == renders + 1, timeout=TIMEOUT)
    assert tab.rendered().view.is_draft and tab.rendered().issued.number == number
    assert tab.correct_button.isVisible() and tab.correct_button.isEnabled() and not tab.issue_button.isVisible()
    assert number in tab.correct_button.toolTip()

    click_and_wait(tab, qtbot, tab.correct_button)
    first, second = office_certificates(logged_in)
    assert (first["status"], second["status"], second["number"], second["version"]) == (
        "superseded", "valid", number, 2)
    shown = tab.rendered()
    assert not shown.view.is_draft and shown.issued.version == 2 and "DRAFT" not in pdf_text(shown.pdf)
    assert tab.status.text() == f"발급받았습니다: 확인서 {number} 제2판"
    assert tab.issue_button.isVisible() and not tab.correct_button.isVisible()


def test_without_a_kept_login_the_button_is_off_and_says_to_log_in_on_the_sync_page(
        app_ctx, qtbot, store, central, engagement_id):
    tab = make_tab(app_ctx, qtbot, engagement_id)
    assert tab.stack.currentIndex() == tab.PREVIEW and tab.save_button.isEnabled()
    assert tab.issue_button.isVisible() and not tab.issue_button.isEnabled()
    assert "동기화 페이지에서 먼저 로그인" in tab.issue_button.toolTip()
    assert tab.request_issue() is None and not tab.issue_progress.running
    # Logged in on the sync page (which says so with data_changed): the button is on.
    sync_account(store, server=central.base_url, user="kim", password=lambda: PASSWORD)
    app_ctx.data_changed.emit()
    qtbot.waitUntil(lambda: tab.renders == 2, timeout=TIMEOUT)
    assert tab.issue_button.isEnabled()
    # Logged out there: when the tab is shown again, it is off again.
    log_out(store, central.base_url, "kim")
    tab.hide()
    tab.show()
    assert not tab.issue_button.isEnabled() and "동기화 페이지에서 먼저 로그인" in tab.issue_button.toolTip()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_office_refusal_is_shown_as_an_error_in_the_users_language(
        app_ctx, qtbot, store, logged_in, engagement_id, tmp_path, lang):
    app_ctx.lang = lang
    tab = make_tab(app_ctx, qtbot, engagement_id)
    # Meanwhile the same consultant's other laptop emptied the post value on the server.
    other = Store.open(tmp_path / "other", actor="kim")
    sync_account(other, server=logged_in.base_url, user="kim", password=lambda: PASSWORD)
    change_post(other, engagement_id, None)
    report, _ = sync_account(other, server=logged_in.base_url, user="kim")
    assert report.applied == 1
    other.close()

    click_and_wait(tab, qtbot, tab.issue_button)
    assert office_certificates(logged_in) == []
    # The request's first sync brought the emptied value: the tab lists what is missing, and says the office refused.
    assert tab.stack.currentIndex() == tab.MISSING
    notice = tab.missing_notice.text()
    assert tab.missing_notice.isVisible() and notice.startswith("발급받지 못했습니다: ")
    assert ("개선값" in notice and "확인서를 만들 수 없습니다" in notice) if lang == "ko" else \
        ("post value" in notice and "no certificate can be made" in notice)
    assert "color: #b00020" in tab.missing_notice.styleSheet()


def test_an_unreachable_office_is_said_under_the_draft_which_stays(app_ctx, qtbot, store, logged_in, engagement_id,
                                                                   monkeypatch):
    from types import SimpleNamespace

    from consultant_app.sync import client as client_module

    monkeypatch.setattr(client_module, "time", SimpleNamespace(sleep=lambda _seconds: None))  # retries at once
    app_ctx.lang = "en"
    tab = make_tab(app_ctx, qtbot, engagement_id)
    logged_in.stop()
    click_and_wait(tab, qtbot, tab.issue_button)
    assert tab.stack.currentIndex() == tab.PREVIEW and tab.rendered().view.is_draft and tab.draft_note.isVisible()
    assert tab.status.isVisible() and "color: #b00020" in tab.status.styleSheet()
    assert tab.status.text().startswith("발급받지 못했습니다: Cannot reach the central office's server")
    assert tab.issue_button.isEnabled()  # try again later
