"""Start-up: the application object, the bundled font, translations, the store and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from consultant_app import APP_NAME, ORG_NAME, __version__
from consultant_app.errors import AppError
from consultant_app.store import Store
from consultant_app.ui.context import AppContext
from consultant_app.ui.fonts import register_fonts
from consultant_app.ui.i18n import install_translators, remove_translators
from consultant_app.ui.main_window import MainWindow
from consultant_app.ui.settings import Settings
from consultant_app.ui.tasks import TaskRunner


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, with the app's names and the bundled Korean font."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setOrganizationName(ORG_NAME)
        app.setApplicationName(APP_NAME)
        app.setApplicationVersion(__version__)
    register_fonts(app)
    return app


class Controller(QObject):
    """Owns the store, settings, tasks and the main window; rebuilds the window when the language changes."""

    def __init__(self, store: Store, data_dir: Path):
        super().__init__()
        self.store = store
        self.settings = Settings(data_dir)
        self.tasks = TaskRunner(self)
        self._translators = install_translators(self.settings.language)
        self.window = self._build_window(self.settings.language)

    def _build_window(self, lang: str) -> MainWindow:
        ctx = AppContext(self.store, self.settings, self.tasks, lang, parent=self)
        window = MainWindow(ctx)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.language_requested.connect(self.switch_language)
        window.show_page(self.settings.last_page if self.settings.last_page else "companies")
        return window

    def switch_language(self, lang: str) -> bool:
        """Show the window in ``lang``: asks about unsaved edits, then rebuilds it on the same page."""
        old = self.window
        if lang == old.ctx.lang:
            return True
        if not old.confirm_close():
            return False
        old.save_state()
        page = old.current_key or "companies"
        company, engagement = old.ctx.company_id, old.ctx.engagement_id
        remove_translators(self._translators)
        self.settings.language = lang
        self._translators = install_translators(lang)
        self.window = self._build_window(lang)
        self.window.ctx.company_id, self.window.ctx.engagement_id = company, engagement
        self.window.show_page(page)
        self.window.show()
        old.close_confirmed()  # its edits were saved or discarded above
        return True

    def shutdown(self) -> None:
        self.tasks.wait()
        self.settings.sync()
        self.store.close()


def open_store_or_explain(data_dir: Path) -> Store | None:
    """Open the store; a damaged file is explained in a dialog (naming it and the latest backup)."""
    try:
        return Store.open(data_dir)
    except AppError as exc:
        lang = Settings(data_dir).language
        QMessageBox.critical(None, "데이터 파일 오류" if lang == "ko" else "Data file error", exc.message(lang))
        return None


def run(data_dir: Path) -> int:
    """Open the main window on the store in ``data_dir`` and run until it closes."""
    app = application()
    store = open_store_or_explain(Path(data_dir))
    if store is None:
        return 1
    controller = Controller(store, Path(data_dir))
    controller.window.show()
    code = app.exec()
    controller.shutdown()
    return code
