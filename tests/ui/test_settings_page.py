"""The settings page: language through the Language menu's path, the data folder, the attachment limit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from shiboken6 import isValid

from consultant_app.ui.pages import settings as settings_module
from consultant_app.ui.pages.settings import SettingsPage


def test_shows_the_data_folder_read_only_and_the_attachment_limit(app_ctx, qtbot, store):
    page = SettingsPage(app_ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.data_dir.text() == str(store.data_dir) and page.data_dir.isReadOnly()
    assert page.data_file.text() == str(store.path) and page.data_file.isReadOnly()
    assert page.attachment_limit.text() == "파일 하나에 25MB까지"
    assert page.language.currentText() == "한국어"


def test_the_open_folder_button_opens_the_data_folder(app_ctx, qtbot, store, monkeypatch):
    opened = []

    class FileManager:
        @staticmethod
        def openUrl(url):  # noqa: N802 - Qt's name
            opened.append(url.toLocalFile())
            return True

    monkeypatch.setattr(settings_module, "QDesktopServices", FileManager)
    page = SettingsPage(app_ctx)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.open_data_dir_button, Qt.MouseButton.LeftButton)
    assert opened == [str(store.data_dir)]


def test_choosing_english_rebuilds_the_window_in_english(controller, qtbot):
    old = controller.window
    old.show_page("settings")
    page = old.page("settings")
    qtbot.keyClick(page.language, Qt.Key.Key_Down)  # the user picks the next entry: English

    assert controller.window is not old
    assert controller.settings.language == "en"
    window = controller.window
    assert window.ctx.lang == "en" and window.isVisible()
    assert window.current_key == "settings"
    assert window.page("settings").language.currentText() == "English"
    qtbot.waitUntil(lambda: not isValid(old), timeout=5000)


def test_a_refused_switch_keeps_the_language_shown(controller, qtbot, monkeypatch):
    old = controller.window
    old.show_page("settings")
    page = old.page("settings")
    monkeypatch.setattr(old, "confirm_close", lambda: False)  # the user chose to stay with unsaved edits
    qtbot.keyClick(page.language, Qt.Key.Key_Down)
    assert controller.window is old
    assert controller.settings.language == "ko"
    assert page.language.currentText() == "한국어"
