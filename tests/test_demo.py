"""The demo dataset: realistic, valid by the domain's own rules, deterministic, and fully journalled."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import select

from consultant_app.demo import (
    DemoAlreadyLoaded,
    StoreNotEmpty,
    build_demo,
    demo_issues,
    load_demo,
)
from consultant_app.domain.aggregates import ReportFilter, programme_report
from consultant_app.domain.codes import EngagementStatus, SupportField
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.validation import check_business_no
from consultant_app.store.models import (
    SYNCED_TABLES,
    AuditEntry,
    Company,
    Engagement,
    KpiMeasurement,
    OutboxOp,
    Outcome,
    SurveyResponse,
    Visit,
)
from consultant_app.store.queries import engagement_records


def _figures(data) -> list[tuple]:
    """What a seed decides, without the random row keys."""
    return ([(c.business_no, c.name, c.representative, c.region, c.employees, c.supplier_tier) for c in data.companies]
            + [(e.year, e.phase, e.field, e.support_krw, e.start_date, e.end_date, e.status)
               for e in data.engagements]
            + [(m.kpi_code, m.baseline, m.target, m.post, m.baseline_date, m.post_date)
               for m in data.kpi_measurements]
            + [(o.financial_effect_krw, o.new_hires, o.smart_factory_level) for o in data.outcomes]
            + [(s.satisfaction, s.improved) for s in data.survey_responses])


def test_load_demo_writes_the_counted_rows(store):
    counts = load_demo(store)

    assert counts["sponsors"] == 6
    assert counts["companies"] == 30
    assert 30 <= counts["engagements"] <= 90
    with store.session() as session:
        for table, model in SYNCED_TABLES.items():
            stored = session.exec(select(func.count()).select_from(model)).one()
            assert stored == counts.get(table, 0), table


def test_same_seed_gives_the_same_numbers_and_figures():
    assert _figures(build_demo(7)) == _figures(build_demo(7))
    assert _figures(build_demo(7)) != _figures(build_demo(8))
    assert [c.business_no for c in build_demo(7).companies] != [c.business_no for c in build_demo(8).companies]


def test_same_seed_gives_the_same_stored_records(tmp_path):
    from consultant_app.store import Store

    def stored(folder):
        with Store.open(folder, actor="tester") as opened:
            load_demo(opened, seed=11)
            with opened.session() as session:
                return [(r.business_no, r.year, r.phase, r.sponsor, r.kpis, r.financial_effect_krw, r.new_hires,
                         r.smart_factory_built, r.survey) for r in engagement_records(session=session)]

    assert stored(tmp_path / "a") == stored(tmp_path / "b")


@pytest.mark.parametrize("seed", [2018, 0, 1, 7, 42, 1234, 99999])
def test_generated_rows_pass_every_domain_rule(seed):
    # Errors and warnings alike: the demo must not need a second look anywhere.
    assert demo_issues(build_demo(seed)) == []


def test_every_business_number_has_the_right_check_digit():
    numbers = [c.business_no for c in build_demo().companies]
    assert len(set(numbers)) == len(numbers) == 30
    for number in numbers:
        assert len(number) == 10 and number.isdigit()
        assert check_business_no(number) == []


def test_stored_demo_values_pass_the_validators_and_stay_in_range(store):
    load_demo(store)
    catalogue = default_catalogue()
    with store.session() as session:
        measurements = session.exec(select(KpiMeasurement)).all()
        engagements = {e.id: e for e in session.exec(select(Engagement))}
        visits = session.exec(select(Visit)).all()
    for m in measurements:
        definition = catalogue[m.kpi_code]
        for value in (m.baseline, m.target, m.post):
            assert value is None or definition.in_range(value), (m.kpi_code, value)
        if m.post_date is not None:
            assert m.post_date >= m.baseline_date
        engagement = engagements[m.engagement_id]
        assert engagement.start_date <= m.baseline_date <= engagement.end_date
    for v in visits:
        engagement = engagements[v.engagement_id]
        assert engagement.start_date <= v.visit_date <= engagement.end_date
        assert v.activities and v.hours > 0


def test_demo_is_shaped_like_the_programme():
    data = build_demo()
    engagements = {e.id: e for e in data.engagements}
    for e in data.engagements:
        assert 20_000_000 <= e.support_krw <= 40_000_000
        if e.phase == 1:
            assert e.year in (1, 2, 3, 4) and e.field == SupportField.PRODUCTIVITY
            assert date(2013, 1, 1) <= e.start_date and e.end_date <= date(2018, 6, 30)
        else:
            assert e.year in (1, 2) and e.field in ("smart_factory", "tech_innovation", "env_safety")
            assert e.start_date >= date(2018, 7, 1)
    assert {e.phase for e in data.engagements} == {1, 2}
    assert {e.field for e in data.engagements if e.phase == 2} == {"smart_factory", "tech_innovation", "env_safety"}

    kpis_per_engagement = Counter(m.engagement_id for m in data.kpi_measurements)
    visits_per_engagement = Counter(v.engagement_id for v in data.visits)
    assert all(3 <= kpis_per_engagement[e] <= 5 for e in engagements)
    assert all(2 <= visits_per_engagement[e] <= 6 for e in engagements)

    zero = [m for m in data.kpi_measurements if m.baseline == 0]
    assert zero and all(m.kpi_code == "safety_incidents" and m.post == 0 for m in zero)
    in_progress = [e for e in data.engagements if e.status == EngagementStatus.IN_PROGRESS]
    assert in_progress
    for e in in_progress:
        assert all(m.post is None for m in data.kpi_measurements if m.engagement_id == e.id)
    finished = {e.id for e in data.engagements if e.status == EngagementStatus.COMPLETED}
    assert {o.engagement_id for o in data.outcomes} == finished
    assert {s.engagement_id for s in data.survey_responses} <= finished

    for o in data.outcomes:
        assert 10_000_000 <= o.financial_effect_krw <= 300_000_000
        parts = (o.effect_productivity_krw, o.effect_labour_krw, o.effect_quality_krw, o.effect_other_krw)
        assert sum(parts) == o.financial_effect_krw and min(parts) >= 0
        assert 0 <= o.new_hires <= 8
        assert (o.smart_factory_level is None) == (not o.smart_factory_built)
        assert o.smart_factory_level in (None, 1, 2, 3)
    assert any(o.smart_factory_built for o in data.outcomes)

    defect = [m for m in data.kpi_measurements if m.kpi_code == "defect_rate" and m.post is not None]
    assert defect
    for m in defect:
        assert 1 <= m.baseline <= 5.1
        assert 35 <= (m.baseline - m.post) / m.baseline * 100 <= 65
    for m in data.kpi_measurements:
        if m.kpi_code == "on_time_delivery" and m.post is not None:
            assert 80 <= m.baseline <= 95 and 95 <= m.post <= 99


def test_every_created_row_has_one_audit_and_one_outbox_entry(store):
    counts = load_demo(store)
    with store.session() as session:
        audits = session.exec(select(AuditEntry)).all()
        ops = session.exec(select(OutboxOp)).all()
        row_ids = {table: set(session.exec(select(model.id))) for table, model in SYNCED_TABLES.items()}
    total = sum(counts.values())
    assert len(audits) == len(ops) == total
    for entries in (audits, ops):
        assert all(e.action == "create" for e in entries)
        assert Counter(e.entity for e in entries) == Counter({t: n for t, n in counts.items() if n})
        for table, ids in row_ids.items():
            assert {e.row_id for e in entries if e.entity == table} == ids
    assert all(op.status == "pending" for op in ops)


def test_loading_again_changes_nothing(store):
    load_demo(store)
    with store.session() as session:
        before = session.exec(select(func.count()).select_from(AuditEntry)).one()
    with pytest.raises(DemoAlreadyLoaded) as raised:
        load_demo(store, seed=5)
    assert (raised.value.companies, raised.value.sponsors) == (30, 6)
    assert "이미" in raised.value.message("ko")
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(AuditEntry)).one() == before
        assert session.exec(select(func.count()).select_from(Company)).one() == 30


def test_demo_never_mixes_with_real_companies(store):
    with store.transaction() as session:
        session.add(Company(business_no="1234567891", name="실제기업"))
    with pytest.raises(StoreNotEmpty):
        load_demo(store)
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Company)).one() == 1
        assert session.exec(select(func.count()).select_from(Engagement)).one() == 0


def test_programme_report_over_the_demo_has_sensible_figures(store):
    counts = load_demo(store)
    with store.session() as session:
        records = engagement_records(session=session)
    report = programme_report(records, default_catalogue(), ReportFilter(), "en").as_dict()

    assert report["engagements"] == counts["engagements"]
    assert report["companies"] == 30
    assert 10 < report["kpi_improvement_mean_pct"] < 90
    assert report["financial_effect_total_krw"] > 0
    assert 10_000_000 <= report["financial_effect_per_company_krw"] <= 300_000_000
    assert report["new_hires_total"] == sum(report["new_hires_by_year"].values()) > 0
    assert set(report["new_hires_by_year"]) <= {"1", "2", "3", "4"}
    assert 0 < report["smart_factories_built"] < 30
    survey = report["survey"]
    assert survey["responses"] == counts["survey_responses"]
    assert survey["satisfied_pct"] > 50
    assert survey["continue_pct"] > 50 and survey["recommend_pct"] > 50
    # The engagement still under way has no post values: left out of the mean, and the method says so.
    assert "1 with no computable KPI" in report["method"]["kpi_improvement_mean_pct"]


def test_survey_and_outcome_tables_hold_the_generated_rows(store):
    counts = load_demo(store)
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Outcome)).one() == counts["outcomes"]
        improved = session.exec(select(SurveyResponse.improved)).all()
    assert all(improved) and all(set(i.split(";")) <= {"productivity", "quality", "mindset", "cost", "delivery",
                                                        "safety"} for i in improved)
