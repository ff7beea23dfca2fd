"""The selected company's workspace: its profile, the engagement of a programme year, and that engagement's tabs."""

from __future__ import annotations

import importlib

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import translate
from consultant_app.ui.pages.base import Page

# Each tab: key, title, "module:Class". A tab class takes (ctx, undo_stack) and implements the Page hooks
# plus set_company(company_id | None) and set_engagement(engagement_id | None).
TABS = (
    ("company", lambda: translate("WorkspacePage", "기업 정보"), "consultant_app.ui.pages.company_form:CompanyForm"),
    (
        "engagement",
        lambda: translate("WorkspacePage", "참여 정보"),
        "consultant_app.ui.pages.engagement_form:EngagementForm",
    ),
    ("kpis", lambda: translate("WorkspacePage", "KPI"), "consultant_app.ui.pages.kpis:KpiTab"),
    ("visits", lambda: translate("WorkspacePage", "방문·증빙"), "consultant_app.ui.pages.visits:VisitsTab"),
    ("outcomes", lambda: translate("WorkspacePage", "성과·만족도"), "consultant_app.ui.pages.outcomes:OutcomesTab"),
    (
        "certificate",
        lambda: translate("WorkspacePage", "확인서"),
        "consultant_app.ui.pages.certificate:CertificateTab",
    ),
)


class WorkspacePage(Page):
    """One company at a time; a year picker chooses the engagement the tabs show."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self._undo = QUndoStack(self)
        self.title = QLabel()
        self.title.setObjectName("workspace_title")
        self.year_picker = QComboBox()
        self.year_picker.setObjectName("year_picker")
        self.year_picker.currentIndexChanged.connect(self._on_year_picked)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(QLabel(translate("WorkspacePage", "참여 차수")))
        header.addWidget(self.year_picker)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("workspace_tabs")
        self.tab_widgets: dict[str, Page] = {}
        for key, title, target in TABS:
            module_name, class_name = target.split(":")
            widget = getattr(importlib.import_module(module_name), class_name)(ctx, self._undo)
            widget.setObjectName(f"tab_{key}")
            self.tab_widgets[key] = widget
            self.tabs.addTab(widget, title())
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        # What the tabs show: an engagement id, or None with "새 참여…" picked (_new_picked) or no engagement yet.
        self._shown_engagement: str | None = None
        self._new_picked = False
        ctx.data_changed.connect(self._refresh_years)
        self.open_company(ctx.company_id or "")

    def undo_stack(self) -> QUndoStack:
        return self._undo

    def open_company(self, company_id: str) -> None:
        """Show ``company_id`` (or an empty form for a new company when it is empty)."""
        if company_id != (self.ctx.company_id or "") and not self._confirm_leave():
            return
        self.ctx.select_company(company_id or None)
        for widget in self.tab_widgets.values():
            widget.set_company(company_id or None)
        self._new_picked = False
        self._refresh_years()

    def _confirm_leave(self) -> bool:
        window = self.window()
        confirm = getattr(window, "confirm_leave", None)
        return confirm(self) if confirm else True

    def _refresh_years(self) -> None:
        from sqlmodel import select

        from consultant_app.store.models import Company, Engagement

        company_id = self.ctx.company_id
        current = self.ctx.engagement_id
        self.year_picker.blockSignals(True)
        self.year_picker.clear()
        name = ""
        if company_id:
            with self.ctx.store.session() as session:
                company = session.get(Company, company_id)
                name = company.name if company else ""
                rows = session.exec(
                    select(Engagement)
                    .where(Engagement.company_id == company_id, Engagement.deleted == False)  # noqa: E712
                    .order_by(Engagement.year)
                ).all()
            for engagement in rows:
                self.year_picker.addItem(
                    translate("WorkspacePage", "%1차년도").replace("%1", str(engagement.year)), engagement.id
                )
        self.year_picker.addItem(translate("WorkspacePage", "새 참여…"), "")
        if current:
            index = max(self.year_picker.findData(current), 0)
        else:  # a half-typed new engagement stays when something else is saved
            index = self.year_picker.count() - 1 if self._new_picked else 0
        self.year_picker.setCurrentIndex(index)
        self.year_picker.blockSignals(False)
        self.title.setText(name or translate("WorkspacePage", "새 기업"))
        self._on_year_picked(self.year_picker.currentIndex())

    def _on_year_picked(self, index: int) -> None:
        engagement_id = self.year_picker.itemData(index) or None
        # Compared with what the tabs show (not ctx): an engagement a tab just saved and selected reaches them all.
        if engagement_id == self._shown_engagement and (engagement_id is not None or self._new_picked):
            return
        if not self._confirm_engagement_switch():
            self.year_picker.blockSignals(True)
            shown = self.year_picker.findData(self._shown_engagement or "")
            self.year_picker.setCurrentIndex(shown if shown >= 0 else self.year_picker.count() - 1)
            self.year_picker.blockSignals(False)
            return
        self._shown_engagement = engagement_id
        self._new_picked = engagement_id is None
        self.ctx.select_engagement(engagement_id)
        for widget in self.tab_widgets.values():
            widget.set_engagement(engagement_id)

    def _confirm_engagement_switch(self) -> bool:
        """Another year would replace the engagement tabs' unsaved edits: ask first."""
        if not any(w.has_unsaved_changes() for key, w in self.tab_widgets.items() if key != "company"):
            return True
        return self._confirm_leave()

    # -- the Page hooks, over every tab -------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return any(w.has_unsaved_changes() for w in self.tab_widgets.values())

    def save_changes(self) -> bool:
        return all(w.save_changes() for w in self.tab_widgets.values() if w.has_unsaved_changes())

    def discard_changes(self) -> None:
        for widget in self.tab_widgets.values():
            widget.discard_changes()
