"""Outcome service: financial effect with its breakdown, hires, smart factory, and the survey."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlmodel import select

from consultant_app.domain.validation import Rule, ValidationFailed
from consultant_app.services.outcomes import (
    OutcomeValues,
    SurveyValues,
    breakdown_difference,
    breakdown_sum,
    load_outcome,
    save_outcome,
)
from consultant_app.store.models import AuditEntry, Company, Engagement, OutboxOp, Outcome, SurveyResponse


@pytest.fixture
def engagement_id(store) -> str:
    with store.transaction() as session:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=1)
        session.add_all([company, engagement])
    return engagement.id


OUTCOME = OutcomeValues(financial_effect_krw=77_000_000, effect_productivity_krw=40_000_000,
                        effect_labour_krw=20_000_000, effect_quality_krw=15_000_000, effect_other_krw=2_000_000,
                        assumptions="연간 환산", new_hires=2, smart_factory_built=True, smart_factory_level=2)
SURVEY = SurveyValues(satisfaction=5, wants_continue=True, would_recommend=False, improved=("quality", "productivity"))


def test_outcome_and_survey_are_saved_journalled_and_load_back(store, engagement_id):
    save_outcome(store, engagement_id, outcome=OUTCOME, survey=SURVEY)
    outcome, survey = load_outcome(store, engagement_id)
    assert outcome == OUTCOME
    assert survey == SurveyValues(5, True, False, ("productivity", "quality"))  # code-list order
    with store.session() as session:
        entities = sorted(a.entity for a in session.exec(select(AuditEntry)) if a.entity in (
            "outcomes", "survey_responses"))
        outbox = sorted(o.entity for o in session.exec(select(OutboxOp)) if o.entity in (
            "outcomes", "survey_responses"))
    assert entities == outbox == ["outcomes", "survey_responses"]


def test_a_second_save_updates_the_same_rows_and_journals_the_change(store, engagement_id):
    save_outcome(store, engagement_id, outcome=OUTCOME, survey=SURVEY)
    changed = replace(OUTCOME, new_hires=3)
    save_outcome(store, engagement_id, outcome=changed, survey=SURVEY)
    with store.session() as session:
        assert len(session.exec(select(Outcome)).all()) == 1
        last = session.exec(select(OutboxOp).where(OutboxOp.entity == "outcomes").order_by(
            OutboxOp.seq.desc())).first()
    assert json.loads(last.changes) == {"new_hires": [2, 3]}


def test_a_level_without_a_smart_factory_is_an_error_and_nothing_is_written(store, engagement_id):
    with pytest.raises(ValidationFailed) as caught:
        save_outcome(store, engagement_id, outcome=OutcomeValues(smart_factory_built=False, smart_factory_level=3),
                     survey=SurveyValues())
    assert [i.rule for i in caught.value.errors] == [Rule.LEVEL_WITHOUT_SMART_FACTORY]
    with store.session() as session:
        assert session.exec(select(Outcome)).all() == []


def test_negative_breakdown_parts_and_bad_satisfaction_are_errors(store, engagement_id):
    with pytest.raises(ValidationFailed) as caught:
        save_outcome(store, engagement_id, outcome=OutcomeValues(effect_other_krw=-1),
                     survey=SurveyValues(satisfaction=6))
    assert sorted(i.rule for i in caught.value.errors) == sorted([Rule.MUST_NOT_BE_NEGATIVE, Rule.OUT_OF_CHOICES])


def test_empty_parts_create_no_rows(store, engagement_id):
    save_outcome(store, engagement_id, outcome=OutcomeValues(new_hires=1), survey=SurveyValues())
    with store.session() as session:
        assert len(session.exec(select(Outcome)).all()) == 1
        assert session.exec(select(SurveyResponse)).all() == []


def test_the_breakdown_sum_and_its_difference_from_the_total():
    assert breakdown_sum(OUTCOME) == 77_000_000 and breakdown_difference(OUTCOME) is None
    off = OutcomeValues(financial_effect_krw=10_000_000, effect_productivity_krw=6_000_000)
    assert breakdown_sum(off) == 6_000_000
    assert breakdown_difference(off) == 4_000_000
    assert breakdown_difference(OutcomeValues(financial_effect_krw=1)) is None
