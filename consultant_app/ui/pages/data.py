"""Placeholder until the page is built."""

from consultant_app.ui.pages.base import Page


class DataPage(Page):
    """Placeholder."""

    def import_files(self) -> None:
        """Placeholder."""

    def export_files(self) -> None:
        """Placeholder."""

    def backup_now(self) -> None:
        """Placeholder."""

    def restore_backup(self) -> None:
        """Placeholder."""
