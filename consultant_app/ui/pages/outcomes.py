"""The outcomes tab: financial effect with its breakdown, hires, smart factory, and the satisfaction survey."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consultant_app.domain.codes import Capability, label
from consultant_app.domain.validation import ValidationFailed
from consultant_app.errors import AppError
from consultant_app.io.cells import integer_parser
from consultant_app.services.kpis import EngagementMissing
from consultant_app.services.outcomes import (
    BREAKDOWN_FIELDS,
    OutcomeValues,
    SurveyValues,
    breakdown_difference,
    breakdown_sum,
    load_outcome,
    ordered_capabilities,
    outcome_issues,
    save_outcome,
    survey_issues,
)
from consultant_app.ui.context import AppContext
from consultant_app.ui.i18n import format_money, translate
from consultant_app.ui.pages.base import Tab
from consultant_app.ui.widgets.fields import (
    INTEGER,
    ChoiceField,
    FieldGroup,
    FormField,
    LineField,
    LineKind,
    field_label,
)
from consultant_app.ui.widgets.undo import record_edits

# Money as people write it: "1,234,000", "1,234,000원", "₩1,234,000", and what format_money shows in English.
MONEY = LineKind(integer_parser(("원", "KRW"), prefixes=("₩", "KRW")), lambda v: f"{v:,}", "30,000,000")
HEADCOUNT = LineKind(integer_parser(("명",)), INTEGER.format, "0")
OUTCOME_FIELDS = ("financial_effect_krw", *BREAKDOWN_FIELDS, "assumptions", "new_hires", "smart_factory_built",
                  "smart_factory_level")
SURVEY_FIELDS = ("satisfaction", "wants_continue", "would_recommend", "improved")
ERROR_STYLE, WARNING_STYLE, OK_STYLE = "color: #c62828;", "color: #8a6d00;", "color: #1b7f3b;"


class CheckField(FormField):
    """A yes/no check box; unchecked is "no" (an outcome the consultant states, not a survey answer)."""

    mergeable = False

    def __init__(self, name: str, text: str, parent: QWidget | None = None):
        super().__init__(name, text, QCheckBox(text), parent)
        self.editor.toggled.connect(self._on_change)

    def state(self) -> str:
        return "1" if self.editor.isChecked() else ""

    def _apply_state(self, state: str) -> None:
        self.editor.setChecked(state == "1")

    def value(self) -> bool:
        return self.editor.isChecked()

    def format(self, value: Any) -> str:
        return "1" if value else ""


class TextAreaField(FormField):
    """Several lines of free text (the assumptions behind the financial effect)."""

    def __init__(self, name: str, label_text: str, parent: QWidget | None = None):
        editor = QPlainTextEdit()
        editor.setTabChangesFocus(True)
        editor.setFixedHeight(72)
        super().__init__(name, label_text, editor, parent)
        editor.textChanged.connect(self._on_change)

    def state(self) -> str:
        return self.editor.toPlainText()

    def _apply_state(self, state: str) -> None:
        if self.editor.toPlainText() != state:
            self.editor.setPlainText(state)

    def value(self) -> str | None:
        return self.editor.toPlainText().strip() or None

    def format(self, value: Any) -> str:
        return value or ""


class CapabilitiesField(FormField):
    """The survey's "capabilities improved": one check box per code, Korean words from the code list."""

    mergeable = False

    def __init__(self, name: str, label_text: str, lang: str, parent: QWidget | None = None):
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for number, capability in enumerate(Capability):
            check = QCheckBox(label(capability, lang))
            check.setObjectName(f"capability_{capability.value}")
            grid.addWidget(check, number // 2, number % 2)
            self.boxes[capability.value] = check
        super().__init__(name, label_text, box, parent)
        for check in self.boxes.values():
            check.toggled.connect(self._on_change)

    def state(self) -> str:
        return ";".join(code for code, check in self.boxes.items() if check.isChecked())

    def _apply_state(self, state: str) -> None:
        chosen = set(filter(None, state.split(";")))
        for code, check in self.boxes.items():
            check.setChecked(code in chosen)

    def value(self) -> tuple[str, ...]:
        return tuple(code for code, check in self.boxes.items() if check.isChecked())

    def format(self, value: Any) -> str:
        return ";".join(ordered_capabilities(value or ()))


class OutcomesTab(Tab):
    """What the engagement achieved and what the company said about it, checked as the user types."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.engagement_id: str | None = None
        lang = ctx.lang
        money = {name: LineField(name, field_label(name, lang), MONEY) for name in ("financial_effect_krw",
                                                                                    *BREAKDOWN_FIELDS)}
        self.assumptions = TextAreaField("assumptions", translate("OutcomesTab", "산출 근거"))
        self.new_hires = LineField("new_hires", field_label("new_hires", lang), HEADCOUNT)
        self.built = CheckField("smart_factory_built", field_label("smart_factory_built", lang))
        no_level = translate("OutcomesTab", "없음")
        self.level = ChoiceField("smart_factory_level", field_label("smart_factory_level", lang),
                                 [(no_level, None)] + [(str(n), n) for n in range(1, 6)])
        self.satisfaction = ChoiceField("satisfaction", field_label("satisfaction", lang), [
            (translate("OutcomesTab", "응답 없음"), None),
            (translate("OutcomesTab", "1 매우 불만족"), 1), (translate("OutcomesTab", "2 불만족"), 2),
            (translate("OutcomesTab", "3 보통"), 3), (translate("OutcomesTab", "4 만족"), 4),
            (translate("OutcomesTab", "5 매우 만족"), 5)])
        answers = [(translate("OutcomesTab", "응답 없음"), None), (translate("OutcomesTab", "예"), True),
                   (translate("OutcomesTab", "아니오"), False)]
        self.wants_continue = ChoiceField("wants_continue", field_label("continue", lang), answers)
        self.would_recommend = ChoiceField("would_recommend", field_label("recommend", lang), answers)
        self.improved = CapabilitiesField("improved", field_label("improved", lang), lang)
        self.money = money
        self.fields = FieldGroup([*money.values(), self.assumptions, self.new_hires, self.built, self.level,
                                  self.satisfaction, self.wants_continue, self.would_recommend, self.improved], self)
        record_edits(undo_stack, self.fields)
        self.fields.changed.connect(self._check)
        for field in (*money.values(), self.new_hires):
            field.editor.setAlignment(Qt.AlignmentFlag.AlignRight)  # amounts line up by their last digit
            field.editor.setMaximumWidth(220)
        self.level.editor.setMaximumWidth(220)
        for field in money.values():
            field.editor.editingFinished.connect(lambda f=field: self._tidy_money(f))

        self.empty_label = QLabel(
            translate("OutcomesTab", "먼저 위의 참여 차수에서 참여를 고르거나 '새 참여…'로 만드세요."))
        self.empty_label.setObjectName("outcomes_empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self._build_form())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._check()

    # -- layout ------------------------------------------------------------------------------------------------
    def _build_form(self) -> QWidget:
        won = lambda: translate("OutcomesTab", "원")  # noqa: E731 - one word, used beside every amount
        effect = QGroupBox(translate("OutcomesTab", "재무적 효과 (연간)"))
        form = QFormLayout(effect)
        for field in self.money.values():
            form.addRow(field.label, self._with_suffix(field, won()))
        self.breakdown_sum = QLabel()
        self.breakdown_sum.setObjectName("outcome_breakdown_sum")
        self.breakdown_warning = QLabel()
        self.breakdown_warning.setObjectName("outcome_breakdown_warning")
        self.breakdown_warning.setWordWrap(True)
        self.breakdown_warning.setStyleSheet(WARNING_STYLE)
        form.addRow(translate("OutcomesTab", "내역 합계"), self.breakdown_sum)
        form.addRow("", self.breakdown_warning)
        form.addRow(self.assumptions.label, self.assumptions)

        results = QGroupBox(translate("OutcomesTab", "고용·스마트공장"))
        form = QFormLayout(results)
        form.addRow(self.new_hires.label, self._with_suffix(self.new_hires, translate("OutcomesTab", "명")))
        form.addRow("", self.built)
        form.addRow(self.level.label, self.level)

        survey = QGroupBox(translate("OutcomesTab", "기업 만족도 조사"))
        form = QFormLayout(survey)
        for field in (self.satisfaction, self.wants_continue, self.would_recommend, self.improved):
            form.addRow(field.label, field)

        self.message = QLabel()
        self.message.setObjectName("outcomes_message")
        self.message.setWordWrap(True)
        self.revert_button = QPushButton(translate("OutcomesTab", "저장 취소"))
        self.revert_button.setObjectName("outcomes_revert")
        self.revert_button.clicked.connect(lambda _=False: self.discard_changes())
        self.save_button = QPushButton(translate("OutcomesTab", "저장"))
        self.save_button.setObjectName("outcomes_save")
        self.save_button.clicked.connect(lambda _=False: self.save_changes())
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.message, 1)
        toolbar.addWidget(self.revert_button)
        toolbar.addWidget(self.save_button)

        left = QVBoxLayout()
        left.addWidget(effect)
        left.addWidget(results)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(survey)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(toolbar)
        body_layout.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        return scroll

    @staticmethod
    def _with_suffix(field: FormField, suffix: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field)
        unit = QLabel(suffix)
        unit.setAlignment(Qt.AlignmentFlag.AlignTop)
        unit.setContentsMargins(0, 4, 0, 0)  # level with the editor's text, above any error line
        row.addWidget(unit)
        row.addStretch(1)
        return box

    # -- the Tab hooks -----------------------------------------------------------------------------------------
    def set_engagement(self, engagement_id: str | None) -> None:
        self.engagement_id = engagement_id
        self._say("")
        if engagement_id:
            try:
                outcome, survey = load_outcome(self.ctx.store, engagement_id)
            except EngagementMissing:
                self.engagement_id = None
        if not self.engagement_id:
            self.fields.load({})
            self.stack.setCurrentIndex(0)
            return
        self.fields.load({**{name: getattr(outcome, name) for name in OUTCOME_FIELDS},
                          **{name: getattr(survey, name) for name in SURVEY_FIELDS}})
        self.stack.setCurrentIndex(1)
        self._check()

    def has_unsaved_changes(self) -> bool:
        return bool(self.engagement_id) and self.fields.is_modified()

    def save_changes(self) -> bool:
        """Save outcome and survey; with any error nothing is saved and the errors stay beside their fields."""
        if not self.engagement_id or not self.fields.is_modified():
            return True
        self.fields.show_all = True
        outcome, survey, issues = self._values()
        if any(issue.is_error for issue in issues):
            self._say(translate("OutcomesTab", "저장하지 않았습니다: 빨간 글씨로 표시된 오류를 고치세요."), error=True)
            return False
        try:
            save_outcome(self.ctx.store, self.engagement_id, outcome=outcome, survey=survey)
        except ValidationFailed as failed:
            self.fields.show_issues(failed.issues, self.ctx.lang)
            self._say(failed.errors[0].message(self.ctx.lang), error=True)
            return False
        except AppError as error:
            self._say(error.message(self.ctx.lang), error=True)
            return False
        self.fields.mark_saved()
        self._check()
        self._say(translate("OutcomesTab", "저장했습니다."))
        self.ctx.data_changed.emit()
        return True

    def discard_changes(self) -> None:
        self.set_engagement(self.engagement_id)

    # -- checking as the user types ----------------------------------------------------------------------------
    def _values(self):
        values, issues = self.fields.parse()
        outcome = OutcomeValues(**{name: values[name] for name in OUTCOME_FIELDS})
        survey = SurveyValues(**{name: values[name] for name in SURVEY_FIELDS[:3]},
                              improved=values["improved"] or ())
        return outcome, survey, issues + outcome_issues(outcome) + survey_issues(survey)

    def _check(self) -> None:
        outcome, _survey, issues = self._values()
        self.fields.show_issues(issues, self.ctx.lang)
        # A level belongs to a built smart factory; the box stays usable while it holds one, so it can be cleared.
        self.level.editor.setEnabled(bool(outcome.smart_factory_built) or self.level.value() is not None)
        total = breakdown_sum(outcome)
        self.breakdown_sum.setText(format_money(total) if total is not None else "–")
        difference = breakdown_difference(outcome)
        self.breakdown_warning.setVisible(difference is not None)
        if difference is not None:
            self.breakdown_warning.setText(translate(
                "OutcomesTab", "⚠ 내역 합계(%1)와 재무적 효과(%2)가 %3 차이 납니다. 확인하세요 (저장은 됩니다).")
                .replace("%1", format_money(total)).replace("%2", format_money(outcome.financial_effect_krw))
                .replace("%3", format_money(abs(difference))))
        if hasattr(self, "save_button"):
            modified = self.has_unsaved_changes()
            self.save_button.setEnabled(modified)
            self.revert_button.setEnabled(modified)

    def _tidy_money(self, field: LineField) -> None:
        """Show an amount the user typed as "1,234,000" once they leave the field."""
        value, issue = field.parse()
        if issue is None and value is not None and field.state() != field.format(value):
            field.set_value(value)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
