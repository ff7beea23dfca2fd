"""Text no worksheet or database can keep is refused where it is typed, and by the journal on every other path."""

from __future__ import annotations

import pytest
from sqlmodel import select

from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.validation import SHORT_TEXT_LIMIT, Issue, Rule, ValidationFailed
from consultant_app.services import visits
from consultant_app.services.companies import (
    CompanyDraft,
    EngagementDraft,
    company_issues,
    engagement_issues,
    save_company,
    save_engagement,
)
from consultant_app.services.kpis import KpiEntry, KpisInvalid, check_kpis, save_kpis
from consultant_app.services.outcomes import OutcomeValues, SurveyValues, outcome_issues, save_outcome
from consultant_app.store.models import AuditEntry, Company, Engagement, OutboxOp, Sponsor, Visit
from consultant_app.sync.rules import row_errors

NUMBER = "1248100998"
CATALOGUE = default_catalogue()


def _control(field: str, char: str = "U+0000", position: int = 2) -> Issue:
    return Issue(Rule.CONTROL_CHARACTER, field, {"char": char, "position": position})


@pytest.fixture
def engagement_id(store) -> str:
    company_id = save_company(store, CompanyDraft(business_no=NUMBER, name="대명정밀"))
    return save_engagement(store, EngagementDraft(year=1), company_id=company_id)


def _journal_size(store) -> tuple[int, int]:
    with store.session() as session:
        return len(session.exec(select(AuditEntry)).all()), len(session.exec(select(OutboxOp)).all())


# -- the forms' services --------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "representative", "region", "industry", "sponsor"])
def test_a_company_text_with_a_control_character_is_an_issue_on_its_field(field):
    draft = CompanyDraft(**{"business_no": NUMBER, "name": "대명정밀", field: "a\x00b"})
    assert _control(field) in company_issues(draft)


def test_a_company_text_is_measured_as_it_will_be_stored():
    assert company_issues(CompanyDraft(business_no=NUMBER, name=" " + "가" * SHORT_TEXT_LIMIT + " ")) == []
    too_long = company_issues(CompanyDraft(business_no=NUMBER, name="대명", region="가" * (SHORT_TEXT_LIMIT + 1)))
    assert too_long == [Issue(Rule.TOO_LONG, "region", {"length": SHORT_TEXT_LIMIT + 1, "limit": SHORT_TEXT_LIMIT})]
    assert too_long[0].message("ko") == "지역이(가) 너무 깁니다: 301자 (최대 300자)."


def test_saving_a_company_with_a_nul_writes_nothing(store):
    with pytest.raises(ValidationFailed) as failed:
        save_company(store, CompanyDraft(business_no=NUMBER, name="대명\x00정밀"))
    assert failed.value.errors == [_control("name", position=3)]
    with store.session() as session:
        assert session.exec(select(Company)).all() == []
    assert _journal_size(store) == (0, 0)


def test_an_engagements_consultant_with_a_control_character_is_refused(store, engagement_id):
    draft = EngagementDraft(year=1, consultant="박\x1b전문")
    assert _control("consultant", "U+001B") in engagement_issues(draft)
    with store.session() as session:
        company_id = session.get(Engagement, engagement_id).company_id
    with pytest.raises(ValidationFailed):
        save_engagement(store, draft, company_id=company_id, engagement_id=engagement_id)


def test_a_visits_texts_are_checked_with_its_other_fields():
    with pytest.raises(ValidationFailed) as failed:
        visits.parse_visit(visit_date="2018-06-26", hours="", activities="점검\x00", notes="x\x0by")
    assert {issue.field for issue in failed.value.errors} == {"activities", "notes"}


def test_a_kpi_note_with_a_control_character_is_an_error_of_that_kpi(store, engagement_id):
    entry = KpiEntry(code="defect_rate", baseline=3.0, note="메모\x00")
    assert check_kpis([entry], catalogue=default_catalogue()) == {"defect_rate": [_control("note", position=3)]}
    with pytest.raises(KpisInvalid):
        save_kpis(store, engagement_id, entries=[entry])


def test_outcome_assumptions_with_a_control_character_are_refused(store, engagement_id):
    values = OutcomeValues(financial_effect_krw=1_000, assumptions="\x07")
    assert outcome_issues(values) == [_control("assumptions", "U+0007", 1)]
    with pytest.raises(ValidationFailed):
        save_outcome(store, engagement_id, outcome=values, survey=SurveyValues())


def test_tab_and_line_breaks_stay_allowed():
    assert company_issues(CompanyDraft(business_no=NUMBER, name="대명\t정밀", region="경남\r\n창원")) == []


# -- the journal: every other way a value gets in --------------------------------------------------------------


def test_the_journal_refuses_a_new_row_with_unstorable_text_written_past_the_services(store):
    with pytest.raises(ValidationFailed) as failed:
        with store.transaction() as session:
            session.add(Sponsor(name="한빛\x00"))
    assert failed.value.errors == [_control("name", position=3)]
    with store.session() as session:
        assert session.exec(select(Sponsor)).all() == []
    assert _journal_size(store) == (0, 0)


def test_the_journal_refuses_an_update_to_unstorable_text_and_keeps_the_stored_row(store, engagement_id):
    before = _journal_size(store)
    with pytest.raises(ValidationFailed):
        with store.transaction() as session:
            session.get(Engagement, engagement_id).consultant = "\ud800"  # a lone surrogate
    with store.session() as session:
        assert session.get(Engagement, engagement_id).consultant is None
    assert _journal_size(store) == before


def test_the_journal_judges_only_the_fields_a_change_writes(store, engagement_id):
    import sqlite3

    with sqlite3.connect(store.path) as connection:  # an old value, as a pull could have brought it
        connection.execute("UPDATE companies SET region = 'a' || char(0)")
    with store.transaction() as session:
        session.exec(select(Company)).one().industry = "금속가공"  # the stored NUL does not block this edit
    with pytest.raises(ValidationFailed):
        with store.transaction() as session:
            session.add(Visit(engagement_id=engagement_id, visit_date="2018-06-26", notes="n\x00"))


# -- the office's rules: the server and the laptop's conflict settlement ---------------------------------------


def test_row_errors_name_unstorable_text_of_any_entity():
    company = {"business_no": NUMBER, "name": "대명\x00", "employees": None, "supplier_tier": None,
               "growth_stage": None, "region": "가" * 301}
    assert [(i.rule, i.field) for i in row_errors("companies", company, CATALOGUE)] == [
        (Rule.CONTROL_CHARACTER, "name"), (Rule.TOO_LONG, "region")]
    assert [(i.rule, i.field) for i in row_errors("visits", {"notes": "\x00", "deleted": False}, CATALOGUE)] == [
        (Rule.CONTROL_CHARACTER, "notes")]
    assert row_errors("visits", {"notes": "\x00", "deleted": True}, CATALOGUE) == []  # tombstones are not judged
