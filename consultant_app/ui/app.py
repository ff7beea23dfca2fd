"""Start-up: the application object, the bundled font, translations, the store and the main window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from consultant_app import APP_NAME, ORG_NAME, __version__
from consultant_app.errors import AppError, error_text
from consultant_app.ui.auto_backup import AutoBackup
from consultant_app.ui.context import AppContext
from consultant_app.ui.fonts import register_fonts
from consultant_app.ui.i18n import install_translators, remove_translators, translate
from consultant_app.ui.main_window import MainWindow
from consultant_app.ui.progress import run_with_dialog
from consultant_app.ui.settings import Settings
from consultant_app.ui.tasks import TaskRunner

if TYPE_CHECKING:  # SQLAlchemy is imported only once the window is on screen (start-up time)
    from consultant_app.store import Store
    from consultant_app.store.restore import RestoreResult

DAILY_BACKUP_DELAY_MS = 10_000  # the start-up archive waits for the first pages to load


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

    def __init__(self, store: Store | None, data_dir: Path):
        super().__init__()
        self.store = store
        self.data_dir = Path(data_dir)
        self.settings = Settings(data_dir)
        self.tasks = TaskRunner(self)
        self.auto_backup = AutoBackup(self.tasks, self.data_dir, self)
        self.auto_backup.finished.connect(self._auto_backup_done)
        self.auto_backup.failed.connect(self._auto_backup_failed)
        self._translators = install_translators(self.settings.language)
        self.window = self._build_window(self.settings.language)

    def _build_window(self, lang: str) -> MainWindow:
        ctx = AppContext(self.store, self.settings, self.tasks, lang, parent=self)
        window = MainWindow(ctx)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.language_requested.connect(self.switch_language)
        window.quitting.connect(self._quitting)
        ctx.restore_requested.connect(self.restore)
        ctx.backup_wanted.connect(self.auto_backup.start)
        if self.store is not None:
            window.show_page(self.settings.last_page if self.settings.last_page else "companies")
        return window

    def open_store(self) -> bool:
        """Open the data file behind a window already on screen, then show its pages."""
        store = open_store_or_explain(self.data_dir)
        if store is None:
            self.window.close_confirmed()
            return False
        self.store = self.window.ctx.store = store
        self.window.refresh_status()
        self.window.show_page(self.settings.last_page or "companies")
        QTimer.singleShot(DAILY_BACKUP_DELAY_MS, self.auto_backup, self.auto_backup.start_daily_if_due)
        return True

    def _auto_backup_done(self, result: object) -> None:
        if result is None or not isValid(self.window):  # nothing had changed, or the app is quitting
            return
        self.window.ctx.backups_changed.emit()
        self.window.statusBar().showMessage(
            translate("Controller", "자동 백업했습니다: %1").replace("%1", result.path.name), 10_000)

    def _auto_backup_failed(self, error: BaseException) -> None:
        if isValid(self.window):
            text = error_text(error, self.window.ctx.lang, self.data_dir)
            self.window.statusBar().showMessage(translate("Controller", "자동 백업하지 못했습니다: %1").replace("%1", text))

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

    def restore(self, backup: str | Path) -> bool:
        """Replace the data file by ``backup``: close the store, restore in the background, reopen, rebuild."""
        from consultant_app.store.backup import is_other_database
        from consultant_app.store.restore import is_archive, open_archive, restore_backup

        old, backup = self.window, Path(backup)
        if backup.is_file() and is_archive(backup):
            try:  # its list and members, before the store closes; every digest is checked in the background
                open_archive(backup)[0].close()
            except AppError as exc:
                QMessageBox.critical(old, translate("Controller", "복원 실패"), exc.message(old.ctx.lang))
                return False
        elif is_other_database(backup):
            QMessageBox.critical(old, translate("Controller", "복원 실패"),
                                 translate("Controller", "이 앱의 데이터 파일이 아니라서 복원하지 않았습니다: %1")
                                 .replace("%1", str(backup)))
            return False
        # Pages' short background loads end in a moment; a long import or export must finish first (it holds
        # its own connection to the file).
        if not self.tasks.wait(2000):
            QMessageBox.information(old, translate("Controller", "복원"),
                                    translate("Controller", "진행 중인 작업이 끝난 뒤에 복원하세요."))
            return False
        if not old.confirm_close():
            return False
        old.save_state()
        page, lang, closed = old.current_key or "data", old.ctx.lang, self.store
        old.setEnabled(False)  # nothing may touch the store while it is closed
        closed.close()

        def finish(result: RestoreResult | None, error: BaseException | None) -> None:
            self._reopen_after_restore(old, page, lang, closed, backup, result.safety if result else None, error)

        def work(state) -> RestoreResult:
            return restore_backup(backup, closed.data_dir, progress=state.report, cancelled=state.cancelled)

        # Cancel works while the archive is being checked; once it is whole, the few renames go through.
        run_with_dialog(self.tasks, work, parent=old, title=translate("Controller", "복원"),
                        label=translate("Controller", "백업을 검사하고 복원하는 중…"), cancellable=True,
                        on_done=lambda result: finish(result, None), on_error=lambda exc: finish(None, exc))
        return True

    def _reopen_after_restore(self, old: MainWindow, page: str, lang: str, closed: Store, backup: Path,
                              safety: Path | None, error: BaseException | None) -> None:
        from consultant_app.store import Store

        try:
            self.store = Store.open(closed.data_dir, actor=closed.actor)
        except AppError as exc:
            QMessageBox.critical(old, translate("Controller", "복원 실패"), exc.message(lang))
            old.close_confirmed()  # nothing works without a store: the app ends here
            return
        self.window = self._build_window(lang)
        self.window.show_page(page)
        self.window.show()
        old.close_confirmed()  # its edits were saved or discarded before the store closed
        if error is None:
            done = (translate("Controller", "복원했습니다: %1 (복원 전 파일의 백업: %2)").replace("%2", safety.name)
                    if safety else translate("Controller", "복원했습니다: %1")).replace("%1", backup.name)
            self.window.statusBar().showMessage(done, 60_000)
            self.window.ctx.data_changed.emit()
        else:
            QMessageBox.critical(self.window, translate("Controller", "복원 실패"),
                                 error_text(error, lang, closed.data_dir))

    def _quitting(self) -> None:
        """The user closes the window: the quit archive, while the pages still live (their loads may still end)."""
        if self.store is not None:
            self.window.setEnabled(False)  # no edits after the archive began
            self.auto_backup.at_quit()

    def shutdown(self) -> None:
        self.tasks.wait()
        self.settings.sync()
        if self.store is not None:
            self.store.close()


def open_store_or_explain(data_dir: Path) -> Store | None:
    """Open the store; a damaged file is explained in a dialog (naming it and the latest backup)."""
    from consultant_app.store import Store

    try:
        return Store.open(data_dir)
    except Exception as exc:  # noqa: BLE001 - a damaged file, a read-only folder, a full disk: said in words
        lang = Settings(data_dir).language
        QMessageBox.critical(None, "데이터 파일 오류" if lang == "ko" else "Data file error",
                             error_text(exc, lang, Path(data_dir)))
        return None


def run(data_dir: Path) -> int:
    """Open the main window on the store in ``data_dir`` and run until it closes."""
    app = application()
    # The window is on screen first; the data file (and SQLAlchemy with it) opens on the next turn of the loop.
    controller = Controller(None, Path(data_dir))
    controller.window.show()
    app.processEvents()  # let the first paint happen before the slow part
    QTimer.singleShot(0, controller.open_store)
    code = app.exec()
    controller.shutdown()
    return code if controller.store is not None else 1
