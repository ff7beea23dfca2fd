"""The engagement tab: one company in one programme year, validated as the user types, undoable."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from consultant_app.domain.codes import EngagementStatus, SupportField, label
from consultant_app.domain.validation import ValidationFailed
from consultant_app.errors import AppError
from consultant_app.services.companies import (
    EngagementDraft,
    RecordGone,
    YearTaken,
    delete_engagement,
    engagement_issues,
    load_engagement,
    next_year,
    save_engagement,
    year_taken,
)
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import translate
from consultant_app.ui.pages.base import Tab
from consultant_app.ui.widgets.fields import (
    DATE,
    MONEY,
    TEXT,
    ChoiceField,
    FieldGroup,
    LineField,
    SpinField,
    field_label,
)
from consultant_app.ui.widgets.form_layout import action_row, two_columns
from consultant_app.ui.widgets.undo import record_edits

MAX_YEAR = 99


class EngagementForm(Tab):
    """Year, phase, support field and amount, dates, status and consultant of the picked engagement."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self._company_id: str | None = None
        self._engagement_id: str | None = None
        lang = ctx.lang
        blank = ("", None)
        self.group = FieldGroup([
            SpinField("year", field_label("year", lang), 1, MAX_YEAR),
            ChoiceField("phase", field_label("phase", lang), [
                blank, (translate("EngagementForm", "1단계 (2013–2018 상반기)"), 1),
                (translate("EngagementForm", "2단계 (2018 하반기–)"), 2)]),
            ChoiceField("field", field_label("field", lang),
                        [blank] + [(label(code, lang), code.value) for code in SupportField]),
            LineField("support_krw", field_label("support_krw", lang), MONEY),
            LineField("start_date", field_label("start_date", lang), DATE),
            LineField("end_date", field_label("end_date", lang), DATE),
            ChoiceField("status", translate("EngagementForm", "진행 상태"),
                        [(label(status, lang), status.value) for status in EngagementStatus]),
            LineField("consultant", translate("EngagementForm", "담당 컨설턴트"), TEXT),
        ], self)
        self.fields = self.group.fields
        # "%1차년도" in Korean, "Year %1" in English: the words go before or after the number.
        before, _, after = translate("EngagementForm", "%1차년도").partition("%1")
        self.fields["year"].editor.setPrefix(before)
        self.fields["year"].editor.setSuffix(after)
        record_edits(self.undo, self.group)
        self.group.changed.connect(self.validate)

        self.hint = QLabel(translate("EngagementForm", "참여 정보는 기업 정보를 먼저 저장한 뒤에 입력할 수 있습니다."))
        self.hint.setObjectName("engagement_hint")
        self.form_area = QWidget()
        columns = two_columns(self.fields, left_count=4, parent=self.form_area)
        columns.setContentsMargins(0, 0, 0, 0)

        self.save_button = QPushButton(translate("EngagementForm", "저장"))
        self.save_button.setObjectName("save_engagement")
        self.revert_button = QPushButton(translate("EngagementForm", "변경 취소"))
        self.revert_button.setObjectName("revert_engagement")
        self.delete_button = QPushButton(translate("EngagementForm", "참여 기록 삭제"))
        self.delete_button.setObjectName("delete_engagement")
        self.message = QLabel()
        self.message.setObjectName("engagement_message")
        self.save_button.clicked.connect(self.save_changes)
        self.revert_button.clicked.connect(self.discard_changes)
        self.delete_button.clicked.connect(self.delete_engagement)
        buttons = action_row(self.message, self.delete_button, self.revert_button, self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.form_area)
        layout.addStretch(1)
        layout.addLayout(buttons)
        # A company saved for the first time is selected before the workspace hands the tabs its engagements.
        ctx.company_selected.connect(self._company_selected)
        self._load(None, force=True)

    # -- the Tab hooks ---------------------------------------------------------------------------------------
    def set_company(self, company_id: str | None) -> None:
        if company_id != self._company_id:
            self._company_id = company_id
            self._load(None, force=True)

    def set_engagement(self, engagement_id: str | None) -> None:
        if engagement_id == self._engagement_id and self.has_unsaved_changes():
            return  # the same engagement again (a refresh after another save): the user's edits stay
        self._load(engagement_id)

    def has_unsaved_changes(self) -> bool:
        return self._company_id is not None and self.group.is_modified()

    def discard_changes(self) -> None:
        self.group.revert()
        self.message.clear()
        self.validate()

    def save_changes(self) -> bool:
        """Save when every field is valid; otherwise show every message and save nothing."""
        if self._company_id is None:
            return False
        self.group.show_all = True
        draft = self.validate()
        if draft is None:
            first = next((f for f in self.group if f.error()), None)
            if first is not None:
                first.reveal()
            return False
        try:
            engagement_id = save_engagement(self.ctx.store, draft, company_id=self._company_id,
                                            engagement_id=self._engagement_id)
        except ValidationFailed as exc:
            self.group.show_issues(exc.issues, self.ctx.lang)
            return False
        except YearTaken as exc:
            self.group.show_message("year", exc.message(self.ctx.lang))
            self._update_buttons()
            return False
        except AppError as exc:  # the company or engagement was deleted meanwhile
            self.message.setText(exc.message(self.ctx.lang))
            return False
        created = self._engagement_id is None
        self._engagement_id = engagement_id
        self.group.mark_saved()
        self.delete_button.setEnabled(True)
        self.message.setText(translate("EngagementForm", "저장했습니다."))
        self._update_buttons()
        if created:
            self.ctx.select_engagement(engagement_id)
        self.ctx.data_changed.emit()
        return True

    # -- loading and checking --------------------------------------------------------------------------------
    def _company_selected(self, company_id: str) -> None:
        if (company_id or None) != self._company_id and not self.has_unsaved_changes():
            self.set_company(company_id or None)

    def _load(self, engagement_id: str | None, *, force: bool = False) -> None:
        draft = EngagementDraft()
        with self.ctx.store.session() as session:
            if engagement_id:
                try:
                    self._company_id, draft = load_engagement(session=session, engagement_id=engagement_id)
                except RecordGone:
                    engagement_id = None
            if engagement_id is None:
                draft = EngagementDraft(year=min(next_year(session=session, company_id=self._company_id), MAX_YEAR))
        same = engagement_id == self._engagement_id
        self._engagement_id = engagement_id
        values = asdict(draft)
        if not (same and not force and self.group.shows_saved(values)):  # unchanged: keep this record's undo steps
            self.group.load(values)
        editable = self._company_id is not None
        self.hint.setVisible(not editable)
        self.form_area.setEnabled(editable)
        self.delete_button.setEnabled(editable and engagement_id is not None)
        self.message.clear()
        self.validate()

    def validate(self) -> EngagementDraft | None:
        """Check every field and show the messages; the draft to save, or None when something is wrong."""
        values, issues = self.group.parse()
        draft = EngagementDraft(**{**values, "status": values["status"] or EngagementStatus.IN_PROGRESS.value})
        issues += engagement_issues(draft)
        errors = any(i.is_error for i in issues)
        self.group.show_issues(issues, self.ctx.lang)
        taken = ""
        if self._company_id and draft.year is not None and not any(i.field == "year" for i in issues):
            with self.ctx.store.session() as session:
                if year_taken(session=session, company_id=self._company_id, year=draft.year,
                              exclude_id=self._engagement_id):
                    taken = YearTaken(draft.year).message(self.ctx.lang)
        if taken:
            self.group.show_message("year", taken)
        self._update_buttons()
        return None if errors or taken else draft

    def _update_buttons(self) -> None:
        shown = any(f.error() for f in self.group)
        modified = self.has_unsaved_changes()
        self.save_button.setEnabled(modified and not shown)
        self.revert_button.setEnabled(modified)

    # -- deleting --------------------------------------------------------------------------------------------
    def delete_engagement(self) -> bool:
        """Tombstone the engagement (with its KPIs, visits and outcomes) after the user confirms."""
        if self._engagement_id is None:
            return False
        answer = QMessageBox.question(
            self, translate("EngagementForm", "참여 기록 삭제"),
            translate("EngagementForm", "%1차년도 참여 기록과 그 KPI, 방문, 성과 기록을 삭제할까요?")
            .replace("%1", self.fields["year"].state()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            delete_engagement(self.ctx.store, self._engagement_id)
        except AppError as exc:
            self.message.setText(exc.message(self.ctx.lang))
            return False
        self._load(None, force=True)
        self.ctx.select_engagement(None)
        self.ctx.data_changed.emit()
        return True
