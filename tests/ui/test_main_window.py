"""The main window as a user meets it: pages, language, status bar."""

from __future__ import annotations

from consultant_app.ui.main_window import PAGES


def test_every_page_opens_from_the_navigation(main_window, qtbot):
    for row, spec in enumerate(PAGES):
        main_window.nav.setCurrentRow(row)
        assert main_window.current_key == spec.key
        assert main_window.stack.currentWidget() is main_window.page(spec.key)


def test_status_bar_shows_the_data_file_and_unsynced_changes(main_window, store):
    assert str(store.path) in main_window.file_label.text()
    assert "동기화 대기: 0건" == main_window.pending_label.text()


def test_korean_is_the_default_and_english_can_be_chosen(controller, qtbot):
    assert controller.window.nav.item(0).text() == "기업 목록"
    assert controller.switch_language("en")
    assert controller.settings.language == "en"
    assert controller.window.ctx.lang == "en"
