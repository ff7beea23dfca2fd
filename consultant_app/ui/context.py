"""What every page shares: the store, settings, background tasks, and who is selected."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from consultant_app.ui.settings import Settings
from consultant_app.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported after the window is on screen
    from consultant_app.store import Store


class AppContext(QObject):
    """The app's shared state; pages talk to each other through its signals."""

    data_changed = Signal()  # something was saved: lists, dashboard and status bar refresh
    company_selected = Signal(str)
    engagement_selected = Signal(str)
    open_company_requested = Signal(str)  # show the company's workspace (empty id: a new company)
    restore_requested = Signal(str)  # replace the data file by this backup (the controller closes and reopens the store)
    backup_wanted = Signal(str)  # an automatic archive for this reason (e.g. "after-sync"); the controller writes it
    backups_changed = Signal()  # a backup was written or removed: the backup list and the status bar refresh

    def __init__(self, store: Store | None, settings: Settings, tasks: TaskRunner, lang: str,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.tasks = tasks
        self.lang = lang
        self.company_id: str | None = None
        self.engagement_id: str | None = None

    def select_company(self, company_id: str | None) -> None:
        self.company_id = company_id
        self.company_selected.emit(company_id or "")

    def select_engagement(self, engagement_id: str | None) -> None:
        self.engagement_id = engagement_id
        self.engagement_selected.emit(engagement_id or "")
