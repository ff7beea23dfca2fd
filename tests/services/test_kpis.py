"""KPI service: load, check and save an engagement's measurements, journalled; trends and chart data."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.validation import Rule
from consultant_app.services.kpis import (
    DuplicateKpi,
    EngagementMissing,
    KpiEntry,
    KpisInvalid,
    chart_entries,
    check_kpis,
    company_history,
    evidence_count,
    load_kpis,
    save_kpis,
    trend,
)
from consultant_app.store.models import Attachment, AuditEntry, Company, Engagement, KpiMeasurement, OutboxOp

CATALOGUE = default_catalogue()


@pytest.fixture
def engagement_id(store) -> str:
    with store.transaction() as session:
        company = Company(business_no="1248100998", name="대명정밀")
        engagement = Engagement(company_id=company.id, year=2)
        session.add_all([company, engagement])
    return engagement.id


def _rows(store, engagement_id, *, deleted=False):
    with store.session() as session:
        return session.exec(select(KpiMeasurement).where(KpiMeasurement.engagement_id == engagement_id,
                                                          KpiMeasurement.deleted == deleted)).all()


def test_saved_kpis_load_back_in_catalogue_order_with_audit_and_outbox(store, engagement_id):
    entries = [KpiEntry("on_time_delivery", baseline=85.0, target=95.0, post=93.5),
               KpiEntry("defect_rate", baseline=2.93, baseline_date=date(2016, 3, 15), baseline_numerator=293.0,
                        baseline_denominator=10_000.0, target=1.5, post=1.71, post_date=date(2016, 11, 20))]
    ids = save_kpis(store, engagement_id, entries=entries)
    loaded = load_kpis(store, engagement_id)
    assert [e.code for e in loaded] == ["defect_rate", "on_time_delivery"]
    assert loaded[0].baseline == 2.93 and loaded[0].baseline_numerator == 293.0
    assert loaded[0].id == ids["defect_rate"]
    with store.session() as session:
        audited = {a.row_id for a in session.exec(select(AuditEntry).where(AuditEntry.entity == "kpi_measurements"))}
        queued = {o.row_id for o in session.exec(select(OutboxOp).where(OutboxOp.entity == "kpi_measurements"))}
    assert audited == queued == set(ids.values())


def test_an_update_journals_only_the_changed_field(store, engagement_id):
    ids = save_kpis(store, engagement_id, entries=[KpiEntry("defect_rate", baseline=2.93, target=1.5, post=1.71)])
    entry = load_kpis(store, engagement_id)[0]
    save_kpis(store, engagement_id, entries=[KpiEntry(**{**_fields(entry), "post": 1.6})])
    with store.session() as session:
        ops = session.exec(select(OutboxOp).where(OutboxOp.row_id == ids["defect_rate"])
                           .order_by(OutboxOp.seq)).all()
    assert [op.action for op in ops] == ["create", "update"]
    assert ops[1].changes == '{"post": [1.71, 1.6]}'


def _fields(entry: KpiEntry) -> dict:
    return {"code": entry.code, "id": entry.id, **entry.values()}


def test_an_error_raises_with_the_kpi_and_writes_nothing(store, engagement_id):
    with pytest.raises(KpisInvalid) as caught:
        save_kpis(store, engagement_id, entries=[KpiEntry("defect_rate", baseline=120.0),
                                                  KpiEntry("on_time_delivery", baseline=85.0)])
    assert list(caught.value.by_code) == ["defect_rate"]
    assert caught.value.errors[0].rule is Rule.PERCENT_RANGE
    assert _rows(store, engagement_id) == []


def test_warnings_do_not_block_saving(store, engagement_id):
    entry = KpiEntry("defect_rate", baseline=10.0, target=5.0, post=0.5)  # 95% better, no evidence
    issues = check_kpis([entry], catalogue=CATALOGUE)["defect_rate"]
    assert [i.rule for i in issues] == [Rule.IMPLAUSIBLE_IMPROVEMENT]
    save_kpis(store, engagement_id, entries=[entry])
    assert [r.post for r in _rows(store, engagement_id)] == [0.5]


def test_evidence_counts_live_attachments_and_silences_the_implausible_warning(store, engagement_id):
    with store.transaction() as session:
        session.add_all([Attachment(engagement_id=engagement_id, sha256="a" * 64, file_name="a.jpg", size_bytes=1),
                         Attachment(engagement_id=engagement_id, sha256="b" * 64, file_name="b.jpg", size_bytes=1,
                                    deleted=True)])
    assert evidence_count(store, engagement_id) == 1
    entry = KpiEntry("defect_rate", baseline=10.0, target=5.0, post=0.5)
    assert check_kpis([entry], catalogue=CATALOGUE, evidence=1) == {}


def test_removed_kpis_are_tombstoned_and_may_be_added_again(store, engagement_id):
    ids = save_kpis(store, engagement_id, entries=[KpiEntry("defect_rate", baseline=3.0)])
    save_kpis(store, engagement_id, entries=[KpiEntry("defect_rate", baseline=4.0)],
              removed_ids=[ids["defect_rate"]])
    assert [(r.id, r.baseline) for r in _rows(store, engagement_id, deleted=True)] == [(ids["defect_rate"], 3.0)]
    live = _rows(store, engagement_id)
    assert [r.baseline for r in live] == [4.0] and live[0].id != ids["defect_rate"]
    with store.session() as session:
        actions = [op.action for op in session.exec(select(OutboxOp).where(OutboxOp.row_id == ids["defect_rate"]))]
    assert actions == ["create", "delete"]


def test_the_same_kpi_twice_is_refused(store, engagement_id):
    with pytest.raises(DuplicateKpi):
        save_kpis(store, engagement_id, entries=[KpiEntry("oee"), KpiEntry("oee")])


def test_a_deleted_engagement_is_reported(store, engagement_id):
    with store.transaction() as session:
        session.get(Engagement, engagement_id).deleted = True
    with pytest.raises(EngagementMissing):
        load_kpis(store, engagement_id)


def test_history_has_the_companys_other_years_and_trend_adds_the_edited_one(store, engagement_id):
    with store.transaction() as session:
        this = session.get(Engagement, engagement_id)
        first = Engagement(company_id=this.company_id, year=1)
        third = Engagement(company_id=this.company_id, year=3)
        session.add_all([first, third,
                         KpiMeasurement(engagement_id=first.id, kpi_code="oee", baseline=55.0, post=62.0),
                         KpiMeasurement(engagement_id=third.id, kpi_code="oee", baseline=70.0, post=78.0),
                         KpiMeasurement(engagement_id=engagement_id, kpi_code="oee", baseline=1.0)])
    year, history = company_history(store, engagement_id)
    assert year == 2
    assert [(p.year, p.baseline) for p in history["oee"]] == [(1, 55.0), (3, 70.0)]
    points = trend(history, KpiEntry("oee", baseline=62.0, post=69.0), year=year)
    assert [(p.year, p.baseline, p.post) for p in points] == [(1, 55.0, 62.0), (2, 62.0, 69.0), (3, 70.0, 78.0)]


def test_chart_entries_carry_values_units_and_which_way_they_moved():
    entries = chart_entries([KpiEntry("defect_rate", baseline=2.93, target=1.5, post=1.71),
                             KpiEntry("on_time_delivery", baseline=85.0, target=95.0, post=80.0),
                             KpiEntry("lead_time", baseline=5.0)], catalogue=CATALOGUE)
    assert [(e.code, e.unit, e.baseline, e.target, e.post, e.better) for e in entries] == [
        ("defect_rate", "%", 2.93, 1.5, 1.71, True),
        ("on_time_delivery", "%", 85.0, 95.0, 80.0, False),
        ("lead_time", "days", 5.0, None, None, None)]
    assert entries[0].name == "공정불량률"
