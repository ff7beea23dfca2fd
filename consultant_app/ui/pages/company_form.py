"""The company profile tab: validated as the user types, saved through the journal, undoable field by field."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from consultant_app.domain.codes import GrowthStage, label
from consultant_app.domain.validation import Issue, ValidationFailed, check_business_no, format_business_no
from consultant_app.errors import AppError
from consultant_app.services.companies import (
    BusinessNoTaken,
    CompanyDraft,
    RecordGone,
    business_no_owner,
    company_engagement_count,
    company_issues,
    delete_company,
    load_company,
    save_company,
    sponsor_names,
)
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import translate
from consultant_app.ui.pages.base import Tab
from consultant_app.ui.widgets.fields import INTEGER, TEXT, ChoiceField, FieldGroup, LineField, LineKind, field_label
from consultant_app.ui.widgets.form_layout import action_row, two_columns
from consultant_app.ui.widgets.undo import record_edits

BUSINESS_NO = LineKind(TEXT.parse, str, "123-45-67890")


class CompanyForm(Tab):
    """A company's profile: business number, name, people, region, industry, sponsor, growth stage."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self._company_id: str | None = None
        lang = ctx.lang
        blank = ("", None)
        self.group = FieldGroup([
            LineField("business_no", field_label("business_no", lang), BUSINESS_NO),
            LineField("name", field_label("name", lang)),
            LineField("representative", field_label("representative", lang)),
            LineField("region", field_label("region", lang)),
            LineField("industry", field_label("industry", lang)),
            ChoiceField("manufacturing", field_label("manufacturing", lang), [
                blank, (translate("CompanyForm", "제조업"), True), (translate("CompanyForm", "비제조업"), False)]),
            LineField("employees", field_label("employees", lang), INTEGER),
            ChoiceField("supplier_tier", field_label("supplier_tier", lang), [blank] + [
                (translate("CompanyForm", "%1차 협력사").replace("%1", str(tier)), tier) for tier in (1, 2, 3)]),
            ChoiceField("sponsor", field_label("sponsor", lang), [], editable=True),
            ChoiceField("growth_stage", field_label("growth_stage", lang),
                        [blank] + [(label(stage, lang), stage.value) for stage in GrowthStage]),
        ], self)
        self.fields = self.group.fields
        self.fields["sponsor"].editor.setToolTip(translate("CompanyForm", "목록에 없는 이름을 입력하면 새 후원기업으로 등록됩니다."))
        record_edits(self.undo, self.group)
        self.group.changed.connect(self.validate)

        columns = two_columns(self.fields, left_count=5)

        self.save_button = QPushButton(translate("CompanyForm", "저장"))
        self.save_button.setObjectName("save_company")
        self.revert_button = QPushButton(translate("CompanyForm", "변경 취소"))
        self.revert_button.setObjectName("revert_company")
        self.delete_button = QPushButton(translate("CompanyForm", "기업 삭제"))
        self.delete_button.setObjectName("delete_company")
        self.message = QLabel()
        self.message.setObjectName("company_message")
        self.save_button.clicked.connect(self.save_changes)
        self.revert_button.clicked.connect(self.discard_changes)
        self.delete_button.clicked.connect(self.delete_company)
        buttons = action_row(self.message, self.delete_button, self.revert_button, self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._load(None, force=True)

    # -- the Tab hooks ---------------------------------------------------------------------------------------
    def set_company(self, company_id: str | None) -> None:
        if company_id == self._company_id and self.has_unsaved_changes():
            return  # the same company again (the list, a refresh): the user's edits stay
        if company_id != self._company_id:
            self.undo.clear()  # every tab now shows another company: earlier steps would edit the wrong one
        self._load(company_id)

    def has_unsaved_changes(self) -> bool:
        return self.group.is_modified()

    def discard_changes(self) -> None:
        self.group.revert()
        self.message.clear()
        self.validate()

    def save_changes(self) -> bool:
        """Save when every field is valid; otherwise show every message and save nothing."""
        self.group.show_all = True
        draft = self.validate()
        if draft is None:
            self._reveal_first_error()
            return False
        try:
            company_id = save_company(self.ctx.store, draft, company_id=self._company_id)
        except ValidationFailed as exc:
            self.group.show_issues(exc.issues, self.ctx.lang)
            return False
        except BusinessNoTaken as exc:
            self.group.show_message("business_no", exc.message(self.ctx.lang))
            self._update_buttons()
            return False
        except AppError as exc:  # the company was deleted meanwhile
            self.message.setText(exc.message(self.ctx.lang))
            return False
        created = self._company_id is None
        self._company_id = company_id
        self.group.mark_saved()
        self._refresh_sponsors()
        self.delete_button.setEnabled(True)
        self.message.setText(translate("CompanyForm", "저장했습니다."))
        if created:
            self.ctx.select_company(company_id)
        self.ctx.data_changed.emit()
        self._update_buttons()
        return True

    # -- loading and checking --------------------------------------------------------------------------------
    def _load(self, company_id: str | None, *, force: bool = False) -> None:
        draft = CompanyDraft()
        if company_id:
            try:
                with self.ctx.store.session() as session:
                    draft = load_company(session=session, company_id=company_id)
            except RecordGone:
                company_id = None
        same = company_id == self._company_id
        self._company_id = company_id
        self._refresh_sponsors()
        values: dict[str, Any] = asdict(draft)
        values["business_no"] = format_business_no(draft.business_no) if draft.business_no else ""
        if same and not force and self.group.shows_saved(values):
            return  # nothing changed in the store: keep the undo steps of this company
        self.group.load(values)
        self.delete_button.setEnabled(company_id is not None)
        self.message.clear()
        self.validate()

    def _refresh_sponsors(self) -> None:
        with self.ctx.store.session() as session:
            names = sponsor_names(session=session)
        self.fields["sponsor"].set_choices([("", None)] + [(name, name) for name in names])

    def validate(self) -> CompanyDraft | None:
        """Check every field and show the messages; the draft to save, or None when something is wrong."""
        values, issues = self.group.parse()
        draft = CompanyDraft(**{**values, "business_no": values["business_no"] or "", "name": values["name"] or ""})
        issues += company_issues(draft)
        errors = any(i.is_error for i in issues)
        self.group.show_issues(issues, self.ctx.lang)
        taken = self._number_taken(draft.business_no, issues)
        if taken:
            self.group.show_message("business_no", taken)
        self._update_buttons()
        return None if errors or taken else draft

    def _number_taken(self, number: str, issues: list[Issue]) -> str:
        """The message for a number another company has (checked only once the number itself is valid)."""
        if any(i.field == "business_no" for i in issues) or check_business_no(number):
            return ""
        with self.ctx.store.session() as session:
            other = business_no_owner(session=session, business_no=number, exclude_id=self._company_id)
        return BusinessNoTaken(number, other).message(self.ctx.lang) if other else ""

    def _update_buttons(self) -> None:
        shown = any(f.error() for f in self.group)
        modified = self.group.is_modified()
        self.save_button.setEnabled(modified and not shown)
        self.revert_button.setEnabled(modified)

    def _reveal_first_error(self) -> None:
        first = next((f for f in self.group if f.error()), None)
        if first is not None:
            first.reveal()

    # -- deleting --------------------------------------------------------------------------------------------
    def delete_company(self) -> bool:
        """Tombstone the company and its engagements after the user confirms."""
        if self._company_id is None:
            return False
        with self.ctx.store.session() as session:
            engagements = company_engagement_count(session=session, company_id=self._company_id)
        name = self.fields["name"].state()
        answer = QMessageBox.question(
            self, translate("CompanyForm", "기업 삭제"),
            translate("CompanyForm", "'%1' 기업과 참여 기록 %2건을 삭제할까요? 삭제는 동기화 때 중앙에도 반영됩니다.")
            .replace("%1", name).replace("%2", str(engagements)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            delete_company(self.ctx.store, self._company_id)
        except AppError as exc:
            self.message.setText(exc.message(self.ctx.lang))
            return False
        self.undo.clear()
        self._load(None, force=True)
        self.ctx.select_company(None)
        self.ctx.data_changed.emit()
        self.ctx.open_company_requested.emit("")
        return True
