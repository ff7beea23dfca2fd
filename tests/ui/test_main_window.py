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
    window = controller.window
    assert window.nav.item(0).text() == "Companies"
    assert [action.text() for action in window.menuBar().actions()][0] == "&File"


def test_the_window_is_on_screen_before_the_data_file_opens(qapp, isolated_data_dir):
    from consultant_app.ui.app import Controller, application

    application()
    controller = Controller(None, isolated_data_dir)
    window = controller.window
    window.show()
    assert window.isVisible() and window.current_key is None  # a frame with menus, no page yet
    assert not window.show_page("dashboard")
    assert controller.open_store()
    assert window.current_key == "companies"
    assert str(controller.store.path) in window.file_label.text()
    window.close_confirmed()
    controller.shutdown()


def test_a_damaged_data_file_is_explained_and_the_window_closes(qapp, isolated_data_dir, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from consultant_app.paths import STORE_FILE_NAME
    from consultant_app.ui.app import Controller, application

    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    damaged = isolated_data_dir / STORE_FILE_NAME
    damaged.write_bytes(b"not a database" * 100)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text: shown.append(text))
    application()
    controller = Controller(None, isolated_data_dir)
    controller.window.show()
    assert not controller.open_store()
    assert len(shown) == 1 and str(damaged) in shown[0]
    assert damaged.read_bytes() == b"not a database" * 100
    controller.shutdown()
