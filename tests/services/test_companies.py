"""Companies and engagements through the service: the list's rows, filter and sort, saving, deleting."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from consultant_app.domain.validation import Rule, ValidationFailed
from consultant_app.services.companies import (
    BusinessNoTaken,
    CompanyDraft,
    CompanyFilter,
    EngagementDraft,
    RecordGone,
    YearTaken,
    business_no_owner,
    delete_company,
    delete_engagement,
    filter_rows,
    list_sponsors,
    list_years,
    load_company,
    load_company_rows,
    load_engagement,
    next_year,
    save_company,
    save_engagement,
    sort_rows,
)
from consultant_app.store.models import AuditEntry, Company, Engagement, KpiMeasurement, OutboxOp, Sponsor
from consultant_app.store.queries import list_companies

NUMBER = "1248100998"  # a valid check digit
OTHER_NUMBER = "2208162517"


@pytest.fixture
def demo_store(store):
    """The store with the demo programme (30 companies, 6 sponsors)."""
    from consultant_app.demo import load_demo

    load_demo(store)
    return store


def draft(**changes) -> CompanyDraft:
    values = dict(business_no="124-81-00998", name="대명정밀", representative="김대명", region="경남 창원",
                  industry="자동차부품", manufacturing=True, employees=45, supplier_tier=2, sponsor="한빛자동차",
                  growth_stage="intermediate1")
    return CompanyDraft(**{**values, **changes})


def journal(store, row_id: str) -> list[tuple[str, str, dict]]:
    with store.session() as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.row_id == row_id).order_by(AuditEntry.id)).all()
        outbox = session.exec(select(OutboxOp).where(OutboxOp.row_id == row_id).order_by(OutboxOp.seq)).all()
    assert [(a.action, a.changes) for a in audit] == [(o.action, o.changes) for o in outbox]
    return [(a.entity, a.action, json.loads(a.changes)) for a in audit]


def test_a_new_company_is_stored_with_its_new_sponsor_and_journalled(store):
    company_id = save_company(store, draft())
    with store.session() as session:
        company = session.get(Company, company_id)
        sponsor = session.get(Sponsor, company.sponsor_id)
    assert (company.business_no, company.name, company.employees, sponsor.name) == (NUMBER, "대명정밀", 45, "한빛자동차")
    [(entity, action, changes)] = journal(store, company_id)
    assert (entity, action, changes["business_no"]) == ("companies", "create", [None, NUMBER])
    assert journal(store, sponsor.id)[0][:2] == ("sponsors", "create")


def test_an_existing_sponsor_is_reused_by_name(store):
    first = save_company(store, draft())
    second = save_company(store, draft(business_no=OTHER_NUMBER, name="한길금속"))
    with store.session() as session:
        assert session.get(Company, first).sponsor_id == session.get(Company, second).sponsor_id
        assert len(session.exec(select(Sponsor)).all()) == 1


def test_an_update_journals_only_the_changed_fields(store):
    company_id = save_company(store, draft())
    assert save_company(store, draft(employees=50, representative=" "), company_id=company_id) == company_id
    entries = journal(store, company_id)
    assert entries[-1] == ("companies", "update", {"employees": [45, 50], "representative": ["김대명", None]})
    with store.session() as session:
        assert load_company(session=session, company_id=company_id) == draft(employees=50, representative=None,
                                                                              business_no=NUMBER)


def test_invalid_profiles_raise_and_write_nothing(store):
    for bad, rule in ((draft(business_no="124-81-00999"), Rule.BUSINESS_NO_CHECKSUM),
                      (draft(employees=-3), Rule.MUST_NOT_BE_NEGATIVE), (draft(name=" "), Rule.REQUIRED)):
        with pytest.raises(ValidationFailed) as caught:
            save_company(store, bad)
        assert [i.rule for i in caught.value.errors] == [rule]
    with store.session() as session:
        assert session.exec(select(Company)).all() == []
        assert session.exec(select(AuditEntry)).all() == []


def test_a_number_another_live_company_has_is_refused_but_a_deleted_ones_is_free(store):
    first = save_company(store, draft())
    with pytest.raises(BusinessNoTaken) as caught:
        save_company(store, draft(name="다른회사"))
    assert "대명정밀" in caught.value.message("ko") and "124-81-00998" in caught.value.message("en")
    with store.session() as session:
        assert business_no_owner(session=session, business_no="124-81-00998") == "대명정밀"
        assert business_no_owner(session=session, business_no=NUMBER, exclude_id=first) is None
    delete_company(store, first)
    assert save_company(store, draft(name="다른회사")) != first


def test_engagements_are_validated_and_one_per_year(store):
    company_id = save_company(store, draft())
    good = EngagementDraft(year=1, phase=2, field="smart_factory", support_krw=30_000_000,
                           start_date=date(2018, 7, 2), end_date=date(2019, 3, 31), consultant="박전문")
    engagement_id = save_engagement(store, good, company_id=company_id)
    assert journal(store, engagement_id)[0][:2] == ("engagements", "create")
    with store.session() as session:
        assert load_engagement(session=session, engagement_id=engagement_id) == (company_id, good)
        assert next_year(session=session, company_id=company_id) == 2
    with pytest.raises(YearTaken):
        save_engagement(store, good, company_id=company_id)
    with pytest.raises(ValidationFailed) as caught:
        save_engagement(store, EngagementDraft(year=2, start_date=date(2019, 5, 1), end_date=date(2019, 4, 1)),
                        company_id=company_id)
    assert caught.value.errors[0].rule is Rule.END_BEFORE_START
    # the same year again is fine for the engagement that has it
    assert save_engagement(store, good, company_id=company_id, engagement_id=engagement_id) == engagement_id


def test_deleting_a_company_tombstones_it_and_everything_under_it(store):
    company_id = save_company(store, draft())
    engagement_id = save_engagement(store, EngagementDraft(year=1), company_id=company_id)
    with store.transaction() as session:
        session.add(KpiMeasurement(engagement_id=engagement_id, kpi_code="defect_rate", baseline=3.0))
    assert delete_company(store, company_id) == 3
    with store.session() as session:
        assert session.get(Company, company_id).deleted
        assert session.get(Engagement, engagement_id).deleted
        assert all(m.deleted for m in session.exec(select(KpiMeasurement)))
    assert journal(store, company_id)[-1] == ("companies", "delete", {"deleted": [False, True]})
    with pytest.raises(RecordGone):
        delete_company(store, company_id)
    with pytest.raises(RecordGone):
        save_company(store, draft(), company_id=company_id)


def test_deleting_an_engagement_frees_its_year(store):
    company_id = save_company(store, draft())
    engagement_id = save_engagement(store, EngagementDraft(year=1), company_id=company_id)
    delete_engagement(store, engagement_id)
    assert save_engagement(store, EngagementDraft(year=1), company_id=company_id) != engagement_id


def test_list_rows_hold_sponsor_engagement_counts_latest_year_and_status(demo_store):
    with demo_store.session() as session:
        rows = load_company_rows(session=session)
        expected = list_companies(session=session)
    assert [(r.id, r.name, r.sponsor, r.engagements, r.latest_year) for r in rows] == [
        (c.id, c.name, c.sponsor, c.engagements, c.latest_year) for c in expected]
    assert all(r.latest_status == dict(r.years)[r.latest_year] for r in rows)
    assert list_years(rows) == [1, 2, 3, 4]
    assert len(list_sponsors(rows)) == 6


@pytest.mark.parametrize("text", ["정밀", "창원", "한빛", "-81-", "1248", "１２４-８", "  ", "없는 이름"])
def test_the_search_matches_what_the_sql_search_finds(demo_store, text):
    with demo_store.session() as session:
        rows = load_company_rows(session=session)
        expected = {c.id for c in list_companies(session=session, search=text)}
    assert {r.id for r in filter_rows(rows, CompanyFilter(text=text))} == expected


def test_full_width_digits_find_the_business_number_as_the_sql_search_does(demo_store):
    with demo_store.session() as session:
        rows = load_company_rows(session=session)
    number = rows[0].business_no
    typed = "".join(chr(ord(c) + 0xFEE0) for c in number[:3]) + "-"  # "１２４-" from Korean input mode
    assert rows[0].id in {r.id for r in filter_rows(rows, CompanyFilter(text=typed))}


def test_year_status_and_sponsor_filters(demo_store):
    with demo_store.session() as session:
        rows = load_company_rows(session=session)
        year2 = set(session.exec(select(Engagement.company_id).where(Engagement.year == 2)))
        in_progress = set(session.exec(select(Engagement.company_id).where(Engagement.status == "in_progress")))
    assert {r.id for r in filter_rows(rows, CompanyFilter(year=2))} == year2
    assert {r.id for r in filter_rows(rows, CompanyFilter(status="in_progress"))} == in_progress
    assert filter_rows(rows, CompanyFilter(year=2, status="in_progress")) == [
        r for r in rows if (2, "in_progress") in r.years]
    sponsor = rows[0].sponsor
    assert {r.sponsor for r in filter_rows(rows, CompanyFilter(sponsor=sponsor))} == {sponsor}


def test_sorting_puts_empty_values_last_and_keeps_ties_in_order(store):
    save_company(store, draft(sponsor=None))
    second = save_company(store, draft(business_no=OTHER_NUMBER, name="가나다"))
    save_engagement(store, EngagementDraft(year=3), company_id=second)
    with store.session() as session:
        rows = load_company_rows(session=session)
    assert [r.name for r in sort_rows(rows, "sponsor")] == ["가나다", "대명정밀"]
    assert [r.name for r in sort_rows(rows, "sponsor", descending=True)] == ["가나다", "대명정밀"]
    assert [r.name for r in sort_rows(rows, "latest_year", descending=True)] == ["가나다", "대명정밀"]
    assert [r.name for r in sort_rows(rows, "business_no", descending=True)] == ["가나다", "대명정밀"]
    assert [r.name for r in sort_rows(rows, "name", descending=True)] == ["대명정밀", "가나다"]
