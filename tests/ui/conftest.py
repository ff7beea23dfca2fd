"""GUI fixtures: the real main window and pages on a real store, offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture
def demo_store(store):
    """The store filled with the demo programme (30 companies)."""
    from consultant_app.demo import load_demo

    load_demo(store)
    return store


@pytest.fixture
def app_ctx(qapp, store, isolated_data_dir):
    """The shared context pages are built with: store, settings, background tasks, Korean."""
    from consultant_app.ui.context import AppContext
    from consultant_app.ui.fonts import register_fonts
    from consultant_app.ui.i18n import install_translators, remove_translators
    from consultant_app.ui.settings import Settings
    from consultant_app.ui.tasks import TaskRunner

    register_fonts(qapp)
    translators = install_translators("ko")
    tasks = TaskRunner()
    ctx = AppContext(store, Settings(isolated_data_dir), tasks, "ko")
    yield ctx
    tasks.wait()
    remove_translators(translators)


@pytest.fixture
def controller(qapp, qtbot, store, isolated_data_dir):
    """The app's controller with its main window shown, as a user starts it."""
    from consultant_app.ui.app import Controller, application

    application()
    ctrl = Controller(store, isolated_data_dir)
    ctrl.window.show()
    yield ctrl
    ctrl.tasks.wait()
    # The window deletes itself on close (not registered with qtbot, which would close it a second time).
    ctrl.window.close_confirmed()
    # Translators are application-wide: a test that switched to English must not leave it for the next ones.
    from PySide6.QtCore import QLocale

    from consultant_app.ui.i18n import LOCALES, remove_translators

    remove_translators(ctrl._translators)
    QLocale.setDefault(LOCALES["ko"])


@pytest.fixture
def main_window(controller):
    return controller.window


@pytest.fixture
def central(tmp_path):
    """The real central server on 127.0.0.1 (a SQLite file of its own), with the consultant kim."""
    from sqlalchemy import URL

    from central_server.config import Settings
    from tests.server.live import start_server

    database = URL.create("sqlite", database=str(tmp_path / "central.sqlite3")).render_as_string()
    server = start_server(Settings(data_dir=tmp_path / "central", database_url=database))
    server.add_user("kim", password="correct horse 1")
    yield server
    server.stop()
