"""Placeholder until the tab is built."""

from consultant_app.ui.pages.base import Tab


class OutcomesTab(Tab):
    """Placeholder."""
