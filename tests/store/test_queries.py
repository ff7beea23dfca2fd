"""Queries: the report's engagement records, the company list and its search, pending changes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from consultant_app.domain.records import KpiValues, SurveyAnswers
from consultant_app.store.models import (
    Company,
    Engagement,
    KpiMeasurement,
    OutboxOp,
    Outcome,
    Sponsor,
    SurveyResponse,
)
from consultant_app.store.queries import engagement_records, list_companies, pending_changes, split_codes


@pytest.fixture
def programme(store):
    """Three companies (one tombstoned), four engagements (one tombstoned), with KPIs, outcomes and surveys."""
    hanbit_motors, sejin = Sponsor(name="대양자동차"), Sponsor(name="세진전자")
    daemyung = Company(business_no="1248100998", name="대명정밀", region="경남 창원", sponsor_id=hanbit_motors.id)
    hanbit = Company(business_no="2208112342", name="한빛금속", region="대구", sponsor_id=sejin.id)
    gone = Company(business_no="1018600001", name="폐업기업", region="경남 김해", sponsor_id=hanbit_motors.id)
    e1 = Engagement(company_id=daemyung.id, year=1, phase=1, field="productivity")
    e2 = Engagement(company_id=daemyung.id, year=2, phase=1)
    e3 = Engagement(company_id=hanbit.id, year=2, phase=2)
    e_tombstoned = Engagement(company_id=hanbit.id, year=3, phase=2)
    e_of_gone = Engagement(company_id=gone.id, year=1, phase=1)
    rows = [
        hanbit_motors, sejin, daemyung, hanbit, gone, e1, e2, e3, e_tombstoned, e_of_gone,
        KpiMeasurement(engagement_id=e1.id, kpi_code="defect_rate", baseline=2.93, target=1.5, post=1.71,
                       baseline_date=date(2018, 3, 5), post_date=date(2018, 11, 20)),
        KpiMeasurement(engagement_id=e1.id, kpi_code="oee", baseline=60.0, target=80.0, post=None),
        KpiMeasurement(engagement_id=e1.id, kpi_code="setup_time", baseline=40.0, post=30.0, deleted=True),
        Outcome(engagement_id=e1.id, financial_effect_krw=77_000_000, new_hires=2, smart_factory_built=True),
        Outcome(engagement_id=e2.id, financial_effect_krw=1, deleted=True),
        SurveyResponse(engagement_id=e1.id, satisfaction=5, wants_continue=True, would_recommend=None,
                       improved="productivity; quality;"),
    ]
    with store.transaction() as db:
        db.add_all(rows)
    with store.transaction() as db:
        db.get(Engagement, e_tombstoned.id).deleted = True
        db.get(Company, gone.id).deleted = True
    return {"e1": e1, "e2": e2, "e3": e3, "e_tombstoned": e_tombstoned, "e_of_gone": e_of_gone,
            "daemyung": daemyung, "hanbit": hanbit, "gone": gone}


def test_engagement_records_are_the_live_engagements_of_live_companies(store, programme):
    with store.session() as db:
        records = engagement_records(session=db)
    assert [r.engagement_id for r in records] == [programme["e1"].id, programme["e2"].id, programme["e3"].id]


def test_engagement_record_carries_company_sponsor_kpis_outcome_and_survey(store, programme):
    with store.session() as db:
        first = engagement_records(session=db)[0]
    assert (first.business_no, first.company_name, first.year, first.phase, first.sponsor, first.field_code) == (
        "1248100998", "대명정밀", 1, 1, "대양자동차", "productivity")
    assert sorted(first.kpis, key=lambda k: k.code) == [
        KpiValues("defect_rate", 2.93, 1.5, 1.71, date(2018, 3, 5), date(2018, 11, 20)),
        KpiValues("oee", 60.0, 80.0, None)]  # the tombstoned setup_time measurement is left out
    assert (first.financial_effect_krw, first.new_hires, first.smart_factory_built) == (77_000_000, 2, True)
    assert first.survey == SurveyAnswers(5, True, None, ("productivity", "quality"))


def test_engagement_without_outcome_or_survey_has_none_and_no_kpis(store, programme):
    with store.session() as db:
        records = {r.engagement_id: r for r in engagement_records(session=db)}
    second = records[programme["e2"].id]  # its only outcome is tombstoned
    assert (second.kpis, second.financial_effect_krw, second.new_hires, second.smart_factory_built, second.survey) \
        == ((), None, None, None, None)


def test_engagement_records_of_an_empty_store_are_empty(store):
    with store.session() as db:
        assert engagement_records(session=db) == []


def test_list_companies_lists_live_companies_by_name_with_engagement_counts(store, programme):
    with store.session() as db:
        rows = list_companies(session=db)
    assert [(r.name, r.engagements, r.latest_year, r.sponsor) for r in rows] == [
        ("대명정밀", 2, 2, "대양자동차"), ("한빛금속", 1, 2, "세진전자")]  # tombstoned engagement not counted


@pytest.mark.parametrize(("search", "names"), [
    ("정밀", ["대명정밀"]),
    ("1248100998", ["대명정밀"]),
    ("124-81-00998", ["대명정밀"]),
    ("81-00", ["대명정밀"]),
    ("１２４-８１", ["대명정밀"]),       # full-width digits, as typed in Korean input mode
    ("세진", ["한빛금속"]),
    ("대양자동차", ["대명정밀"]),       # 폐업기업 shares the sponsor but is tombstoned
    ("대구", ["한빛금속"]),
    ("경남", ["대명정밀"]),
    ("김해", []),
    ("  한빛 ", ["한빛금속"]),
    ("없는회사", []),
])
def test_list_companies_searches_name_business_number_sponsor_and_region(store, programme, search, names):
    with store.session() as db:
        assert [r.name for r in list_companies(session=db, search=search)] == names


@pytest.mark.parametrize("search", ["%", "_", "-", "100%"])
def test_search_with_wildcard_characters_matches_them_literally(store, programme, search):
    with store.session() as db:
        assert list_companies(session=db, search=search) == []


def test_list_companies_limit(store, programme):
    with store.session() as db:
        assert [r.name for r in list_companies(session=db, limit=1)] == ["대명정밀"]


def test_pending_changes_counts_pending_outbox_rows_only(store, programme):
    with store.session() as db:
        total = len(db.exec(select(OutboxOp)).all())
        assert pending_changes(session=db) == total == 16 + 2  # 16 creates and 2 tombstones
    with store.transaction() as db:
        for op in db.exec(select(OutboxOp).limit(5)):
            op.status = "applied"
    with store.session() as db:
        assert pending_changes(session=db) == total - 5


def test_pending_changes_of_a_new_store_is_zero(store):
    with store.session() as db:
        assert pending_changes(session=db) == 0


def test_split_codes_drops_blanks_and_spaces():
    assert split_codes(" quality ;; mindset;") == ("quality", "mindset")
    assert split_codes(None) == () and split_codes("") == ()
