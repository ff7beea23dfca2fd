"""Placeholder until the page is built."""

from consultant_app.ui.pages.base import Page


class CompaniesPage(Page):
    """Placeholder."""
