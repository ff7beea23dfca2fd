"""An engagement's outcomes (financial effect, hires, smart factory) and the company's satisfaction survey."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlmodel import Session, select

from consultant_app.domain.codes import Capability
from consultant_app.domain.validation import (
    Issue,
    ValidationFailed,
    check_not_negative,
    check_text,
    validate_outcome,
    validate_survey,
)
from consultant_app.services.kpis import EngagementMissing
from consultant_app.store import Store
from consultant_app.store.models import Engagement, Outcome, SurveyResponse
from consultant_app.store.queries import split_codes

BREAKDOWN_FIELDS = ("effect_productivity_krw", "effect_labour_krw", "effect_quality_krw", "effect_other_krw")


@dataclass(frozen=True, slots=True)
class OutcomeValues:
    """What the engagement achieved, as the outcomes table stores it (money in whole KRW)."""

    financial_effect_krw: int | None = None
    effect_productivity_krw: int | None = None
    effect_labour_krw: int | None = None
    effect_quality_krw: int | None = None
    effect_other_krw: int | None = None
    assumptions: str | None = None
    new_hires: int | None = None
    smart_factory_built: bool | None = None
    smart_factory_level: int | None = None

    @property
    def breakdown(self) -> tuple[int | None, ...]:
        return tuple(getattr(self, name) for name in BREAKDOWN_FIELDS)

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "") for f in fields(self))


@dataclass(frozen=True, slots=True)
class SurveyValues:
    """The company's answers; ``improved`` holds capability codes in the code list's order."""

    satisfaction: int | None = None
    wants_continue: bool | None = None
    would_recommend: bool | None = None
    improved: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return (self.satisfaction is None and self.wants_continue is None and self.would_recommend is None
                and not self.improved)


def breakdown_sum(values: OutcomeValues) -> int | None:
    """The sum of the breakdown's parts that are filled in; None when none is."""
    parts = [part for part in values.breakdown if part is not None]
    return sum(parts) if parts else None


def breakdown_difference(values: OutcomeValues) -> int | None:
    """Total minus the breakdown's sum when both are given and differ (a warning, never an error)."""
    total, parts = values.financial_effect_krw, breakdown_sum(values)
    if total is None or parts is None or total == parts:
        return None
    return total - parts


def outcome_issues(values: OutcomeValues) -> list[Issue]:
    """The domain's outcome rules, the breakdown's parts 0 or more, and assumptions that can be stored."""
    issues = validate_outcome(financial_effect_krw=values.financial_effect_krw, new_hires=values.new_hires,
                              smart_factory_built=values.smart_factory_built,
                              smart_factory_level=values.smart_factory_level)
    for name in BREAKDOWN_FIELDS:
        issues += check_not_negative(getattr(values, name), name)
    return issues + check_text(values.assumptions, "assumptions")


def survey_issues(values: SurveyValues) -> list[Issue]:
    """Satisfaction 1–5 and known capability codes."""
    return validate_survey(satisfaction=values.satisfaction, improved=list(values.improved))


def ordered_capabilities(codes: tuple[str, ...] | list[str] | set[str]) -> tuple[str, ...]:
    """Capability codes in the code list's order, unknown ones after them (so validation can name them)."""
    known = [c.value for c in Capability if c.value in codes]
    return tuple(known + sorted(set(codes) - set(known)))


def _live_row(session: Session, model: type[Outcome] | type[SurveyResponse], engagement_id: str):
    return session.exec(select(model).where(model.engagement_id == engagement_id,
                                            model.deleted == False)).first()  # noqa: E712


def _check_engagement(session: Session, engagement_id: str) -> None:
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or engagement.deleted:
        raise EngagementMissing(engagement_id)


def load_outcome(store: Store, engagement_id: str) -> tuple[OutcomeValues, SurveyValues]:
    """The engagement's outcome and survey (empty values where none was recorded)."""
    with store.session() as session:
        _check_engagement(session, engagement_id)
        outcome = _live_row(session, Outcome, engagement_id)
        survey = _live_row(session, SurveyResponse, engagement_id)
        values = OutcomeValues(**{f.name: getattr(outcome, f.name) for f in fields(OutcomeValues)}) \
            if outcome else OutcomeValues()
        answers = SurveyValues(survey.satisfaction, survey.wants_continue, survey.would_recommend,
                               split_codes(survey.improved)) if survey else SurveyValues()
    return values, answers


def save_outcome(store: Store, engagement_id: str, *, outcome: OutcomeValues, survey: SurveyValues) -> None:
    """Write outcome and survey in one journalled transaction; errors raise ValidationFailed and write nothing.

    Only changed fields are written. No row is created for a part left entirely empty.
    """
    issues = outcome_issues(outcome) + survey_issues(survey)
    if any(issue.is_error for issue in issues):
        raise ValidationFailed(issues)
    with store.transaction() as session:
        _check_engagement(session, engagement_id)
        row = _live_row(session, Outcome, engagement_id)
        if row is None and not outcome.is_empty():
            row = Outcome(engagement_id=engagement_id)
            session.add(row)
        if row is not None:
            for f in fields(OutcomeValues):
                value = getattr(outcome, f.name)
                if getattr(row, f.name) != value:
                    setattr(row, f.name, value)
        response = _live_row(session, SurveyResponse, engagement_id)
        if response is None and not survey.is_empty():
            response = SurveyResponse(engagement_id=engagement_id)
            session.add(response)
        if response is not None:
            changes = {"satisfaction": survey.satisfaction, "wants_continue": survey.wants_continue,
                       "would_recommend": survey.would_recommend,
                       "improved": ";".join(ordered_capabilities(survey.improved))}
            for name, value in changes.items():
                if getattr(response, name) != value:
                    setattr(response, name, value)
