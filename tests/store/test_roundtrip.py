"""Every synced table keeps what was written: same values, same types, after closing and reopening the file."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from consultant_app.store import Store
from consultant_app.store.models import SYNCED_TABLES, Company, Engagement, Outcome, SurveyResponse
from tests.store.rows import full_graph


def _reopened(store: Store) -> Store:
    data_dir = store.data_dir
    store.close()
    return Store.open(data_dir, actor="tester")


def test_full_graph_covers_every_synced_table():
    assert {row.__tablename__ for row in full_graph()} == set(SYNCED_TABLES)


def test_every_synced_table_round_trips_through_the_file(store):
    rows = full_graph()
    with store.transaction() as db:
        db.add_all(rows)
    written = {type(row): row.model_dump() for row in rows}
    reopened = _reopened(store)
    try:
        with reopened.session() as db:
            for model, values in written.items():
                back = db.get(model, values["id"])
                assert back is not None, model.__tablename__
                assert back.model_dump() == values, model.__tablename__
                for name, value in values.items():
                    assert type(getattr(back, name)) is type(value), (model.__tablename__, name)
    finally:
        reopened.close()


def test_dates_stay_dates_and_timestamps_come_back_utc_aware(store):
    rows = full_graph()
    with store.transaction() as db:
        db.add_all(rows)
    engagement_id = rows[2].id
    reopened = _reopened(store)
    try:
        with reopened.session() as db:
            engagement = db.get(Engagement, engagement_id)
            assert type(engagement.start_date) is date and engagement.start_date == date(2016, 3, 2)
            for stamp in (engagement.created_at, engagement.updated_at):
                assert isinstance(stamp, datetime)
                assert stamp.utcoffset() == timedelta(0)
            assert abs(datetime.now(tz=engagement.created_at.tzinfo) - engagement.created_at) < timedelta(minutes=5)
    finally:
        reopened.close()


@pytest.mark.parametrize("flag", [True, False])
def test_booleans_come_back_as_booleans(store, flag):
    company = Company(business_no="1248100998", name="대명정밀", manufacturing=flag)
    engagement = Engagement(company_id=company.id, year=1)
    outcome = Outcome(engagement_id=engagement.id, smart_factory_built=flag)
    survey = SurveyResponse(engagement_id=engagement.id, wants_continue=flag, would_recommend=not flag)
    with store.transaction() as db:
        db.add_all([company, engagement, outcome, survey])
    reopened = _reopened(store)
    try:
        with reopened.session() as db:
            assert db.get(Company, company.id).manufacturing is flag
            assert db.get(Company, company.id).deleted is False
            assert db.get(Outcome, outcome.id).smart_factory_built is flag
            back = db.get(SurveyResponse, survey.id)
            assert (back.wants_continue, back.would_recommend) == (flag, not flag)
    finally:
        reopened.close()


def test_none_stays_none_and_is_not_turned_into_zero_or_false(store):
    company = Company(business_no="1248100998", name="대명정밀")
    engagement = Engagement(company_id=company.id, year=1)
    outcome = Outcome(engagement_id=engagement.id)
    with store.transaction() as db:
        db.add_all([company, engagement, outcome])
    reopened = _reopened(store)
    try:
        with reopened.session() as db:
            back = db.get(Outcome, outcome.id)
            assert (back.financial_effect_krw, back.new_hires, back.smart_factory_built, back.smart_factory_level) \
                == (None, None, None, None)
            company_back = db.get(Company, company.id)
            assert (company_back.manufacturing, company_back.employees, company_back.sponsor_id) == (None, None, None)
    finally:
        reopened.close()


def test_money_stays_an_exact_integer_beyond_float_precision(store):
    company = Company(business_no="1248100998", name="대명정밀")
    engagement = Engagement(company_id=company.id, year=1, support_krw=9_007_199_254_740_993)  # 2**53 + 1
    with store.transaction() as db:
        db.add_all([company, engagement])
    reopened = _reopened(store)
    try:
        with reopened.session() as db:
            assert db.get(Engagement, engagement.id).support_krw == 9_007_199_254_740_993
    finally:
        reopened.close()


def test_korean_text_round_trips_unchanged(store):
    name = "㈜한빛 정밀·금속 (주식회사) 🏭"
    with store.transaction() as db:
        db.add(Company(business_no="1248100998", name=name))
    reopened = _reopened(store)
    try:
        with reopened.session() as db:
            assert db.exec(select(Company.name)).one() == name
    finally:
        reopened.close()
