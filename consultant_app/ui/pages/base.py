"""The page protocol: pages with edits say so, so the window can ask before leaving them."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from consultant_app.ui.context import AppContext


class Page(QWidget):
    """A main-window page. Editing pages override the unsaved-changes hooks and offer an undo stack."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx

    def activated(self) -> None:
        """Called each time the page is shown."""

    def has_unsaved_changes(self) -> bool:
        return False

    def save_changes(self) -> bool:
        """Save pending edits; False when they are invalid (and nothing was saved)."""
        return True

    def discard_changes(self) -> None:
        """Forget pending edits."""

    def undo_stack(self) -> QUndoStack | None:
        """The stack the Edit menu's undo and redo act on while this page is shown."""
        return None


class Tab(Page):
    """A tab of the company workspace; edits go on the workspace's shared undo stack."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.undo = undo_stack

    def set_company(self, company_id: str | None) -> None:
        """Show this company (None: a new one)."""

    def set_engagement(self, engagement_id: str | None) -> None:
        """Show this engagement (None: none chosen, or a new one)."""
