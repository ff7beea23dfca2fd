"""The main window: navigation between pages, menus and shortcuts, and a status bar."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
)

from consultant_app import __version__
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import translate
from consultant_app.ui.pages.base import Page


@dataclass(frozen=True)
class PageSpec:
    """A page: its key, its title in the navigation, and where its class lives (imported when first shown)."""

    key: str
    title: Callable[[], str]
    target: str  # "module:Class"


PAGES = (
    PageSpec(
        "companies", lambda: translate("MainWindow", "기업 목록"), "consultant_app.ui.pages.companies:CompaniesPage"
    ),
    PageSpec(
        "workspace", lambda: translate("MainWindow", "참여 기업"), "consultant_app.ui.pages.workspace:WorkspacePage"
    ),
    PageSpec(
        "dashboard", lambda: translate("MainWindow", "대시보드"), "consultant_app.ui.pages.dashboard:DashboardPage"
    ),
    PageSpec(
        "certificates",
        lambda: translate("MainWindow", "확인서 일괄 발급"),
        "consultant_app.ui.pages.certificates:CertificatesPage",
    ),
    PageSpec("data", lambda: translate("MainWindow", "가져오기·내보내기"), "consultant_app.ui.pages.data:DataPage"),
    PageSpec("sync", lambda: translate("MainWindow", "동기화"), "consultant_app.ui.pages.sync:SyncPage"),
    PageSpec("settings", lambda: translate("MainWindow", "설정"), "consultant_app.ui.pages.settings:SettingsPage"),
)


def load_page_class(target: str) -> type[Page]:
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)


class MainWindow(QMainWindow):
    """Navigation on the left, the current page on the right; pages are built when first shown."""

    language_requested = Signal(str)
    quitting = Signal()  # the user closes the window (not a rebuild): emitted before it goes, pages still alive

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(translate("MainWindow", "산업혁신운동 컨설턴트") + f" {__version__}")
        self._pages: dict[str, Page] = {}
        self._current_key: str | None = None
        self.undo_group = QUndoGroup(self)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        for spec in PAGES:
            item = QListWidgetItem(spec.title())
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.nav.setMaximumWidth(220)
        self.stack = QStackedWidget()
        self.splitter = QSplitter()
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)
        self.nav.currentRowChanged.connect(self._on_nav_row)

        self._build_menus()
        self._build_status_bar()
        ctx.data_changed.connect(self.refresh_status)
        ctx.backups_changed.connect(self.refresh_status)
        ctx.open_company_requested.connect(self.open_company)
        self._restore_state()
        if ctx.store is not None:
            self.refresh_status()

    # -- pages ---------------------------------------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page for ``key``, built on first use."""
        if key not in self._pages:
            spec = next(s for s in PAGES if s.key == key)
            page = load_page_class(spec.target)(self.ctx)
            page.setObjectName(f"page_{key}")
            self._pages[key] = page
            self.stack.addWidget(page)
            stack = page.undo_stack()
            if stack is not None:
                self.undo_group.addStack(stack)
        return self._pages[key]

    def show_page(self, key: str) -> bool:
        """Switch to page ``key``, asking first when the current page has unsaved edits."""
        if key == self._current_key:
            return True
        if self.ctx.store is None:  # still opening the data file: pages come when it is open
            return False
        if self._current_key and not self.confirm_leave(self._pages[self._current_key]):
            self._select_nav(self._current_key)
            return False
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        self._current_key = key
        self._select_nav(key)
        self.undo_group.setActiveStack(page.undo_stack())
        self.ctx.settings.last_page = key
        page.activated()
        return True

    def open_company(self, company_id: str) -> None:
        """Show a company's workspace (an empty id starts a new company)."""
        if self.show_page("workspace"):
            self.page("workspace").open_company(company_id)

    @property
    def current_key(self) -> str | None:
        return self._current_key

    def _select_nav(self, key: str) -> None:
        row = next(i for i, s in enumerate(PAGES) if s.key == key)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(row)
        self.nav.blockSignals(False)

    def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            self.show_page(PAGES[row].key)

    def confirm_leave(self, page: Page) -> bool:
        """Ask what to do with unsaved edits: save (if valid), discard, or stay."""
        if not page.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self,
            translate("MainWindow", "저장하지 않은 변경"),
            translate("MainWindow", "저장하지 않은 변경이 있습니다. 저장할까요?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return page.save_changes()
        if answer == QMessageBox.StandardButton.Discard:
            page.discard_changes()
            return True
        return False

    def confirm_close(self) -> bool:
        """Every built page agrees to be left."""
        return all(self.confirm_leave(page) for page in self._pages.values())

    # -- menus and status bar ------------------------------------------------------------------------------
    def _action(self, text: str, slot: Callable, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(translate("MainWindow", "파일(&F)"))
        file_menu.addAction(
            self._action(
                translate("MainWindow", "새 기업(&N)"),
                lambda: self.ctx.open_company_requested.emit(""),
                QKeySequence.StandardKey.New,
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                translate("MainWindow", "가져오기(&I)…"), lambda: self._data_action("import_files"), "Ctrl+I"
            )
        )
        file_menu.addAction(
            self._action(
                translate("MainWindow", "내보내기(&E)…"), lambda: self._data_action("export_files"), "Ctrl+E"
            )
        )
        file_menu.addAction(
            self._action(translate("MainWindow", "백업(&B)"), lambda: self._data_action("backup_now"), "Ctrl+B")
        )
        file_menu.addAction(
            self._action(translate("MainWindow", "복원(&R)…"), lambda: self._data_action("restore_backup"))
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(translate("MainWindow", "저장(&S)"), self._save_current, QKeySequence.StandardKey.Save)
        )
        file_menu.addAction(
            self._action(translate("MainWindow", "끝내기(&Q)"), self.close, QKeySequence.StandardKey.Quit)
        )

        edit_menu = bar.addMenu(translate("MainWindow", "편집(&E)"))
        undo = self.undo_group.createUndoAction(self, translate("MainWindow", "실행 취소"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, translate("MainWindow", "다시 실행"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addActions([undo, redo])

        view_menu = bar.addMenu(translate("MainWindow", "보기(&V)"))
        for number, spec in enumerate(PAGES, start=1):
            view_menu.addAction(
                self._action(spec.title(), lambda _=False, k=spec.key: self.show_page(k), f"Ctrl+{number}")
            )

        language_menu = bar.addMenu(translate("MainWindow", "언어(&L)"))
        for code, label in (("ko", "한국어"), ("en", "English")):
            action = self._action(label, lambda _=False, c=code: self.language_requested.emit(c))
            action.setCheckable(True)
            action.setChecked(code == self.ctx.lang)
            language_menu.addAction(action)

        help_menu = bar.addMenu(translate("MainWindow", "도움말(&H)"))
        help_menu.addAction(self._action(translate("MainWindow", "정보"), self._about))

    def _data_action(self, method: str) -> None:
        if self.show_page("data"):
            getattr(self.page("data"), method)()

    def _save_current(self) -> None:
        if self._current_key:
            self._pages[self._current_key].save_changes()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            translate("MainWindow", "정보"),
            translate("MainWindow", "산업혁신운동 컨설턴트") + f" {__version__}\n{self.ctx.store.path}",
        )

    def _build_status_bar(self) -> None:
        self.file_label = QLabel()
        self.pending_label = QLabel()
        self.backup_label = QLabel()
        for label in (self.file_label, self.pending_label, self.backup_label):
            self.statusBar().addPermanentWidget(label)

    def refresh_status(self) -> None:
        """The data file, the number of unsynced changes and the last backup."""
        from consultant_app.store.archive import last_backup
        from consultant_app.store.queries import pending_changes
        from consultant_app.ui.i18n import format_number

        store = self.ctx.store
        self.file_label.setText(translate("MainWindow", "데이터: %1").replace("%1", str(store.path)))
        with store.session() as session:
            pending = pending_changes(session=session)
        self.pending_label.setText(translate("MainWindow", "동기화 대기: %1건").replace("%1", format_number(pending)))
        last = last_backup(store.data_dir)  # wherever it went: a manual backup may be on a USB stick
        if last is not None:
            kind = translate("MainWindow", "직접") if last.kind == "manual" else translate("MainWindow", "자동")
            self.backup_label.setText(translate("MainWindow", "마지막 백업: %1 (%2)")
                                      .replace("%1", last.at.strftime("%Y-%m-%d %H:%M")).replace("%2", kind))
            self.backup_label.setToolTip(str(last.path))
        else:
            self.backup_label.setText(translate("MainWindow", "백업 없음"))
            self.backup_label.setToolTip("")

    # -- state ---------------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        settings = self.ctx.settings
        geometry = settings.state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        if (state := settings.state("state")) is not None:
            self.restoreState(state)
        if (splitter := settings.state("main_splitter")) is not None:
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        settings = self.ctx.settings
        settings.set_state("geometry", self.saveGeometry())
        settings.set_state("state", self.saveState())
        settings.set_state("main_splitter", self.splitter.saveState())
        for page in self._pages.values():
            save = getattr(page, "save_state", None)
            if save:
                save()
        settings.sync()

    def close_confirmed(self) -> None:
        """Close after the caller already dealt with unsaved edits."""
        self._close_confirmed = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        quitting = not getattr(self, "_close_confirmed", False)
        if quitting and not self.confirm_close():
            event.ignore()
            return
        self.save_state()
        if quitting:
            self.quitting.emit()
        event.accept()
