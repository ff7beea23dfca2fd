"""The dashboard's figures and chart data: the programme report's numbers, and plain lists for the charts."""

from __future__ import annotations

import pytest

from consultant_app.demo import load_demo
from consultant_app.domain.aggregates import ReportFilter, programme_report
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.records import EngagementRecord, KpiValues
from consultant_app.services.dashboard import build_dashboard, chart_data, filter_choices, load_records
from consultant_app.store.queries import engagement_records


def _record(no: str, name: str, year: int, *, sponsor: str = "한빛전자", defect: tuple[float, float] | None = None,
            effect: int | None = None, hires: int | None = None) -> EngagementRecord:
    kpis = (KpiValues("defect_rate", defect[0], None, defect[1]),) if defect else ()
    return EngagementRecord(f"{no}-{year}", no, name, year, 1, sponsor, kpis, effect, hires)


RECORDS = [
    _record("1", "대명정밀", 1, defect=(10.0, 5.0), effect=100_000_000, hires=3),  # 50 %
    _record("1", "대명정밀", 2, defect=(10.0, 8.0), effect=50_000_000, hires=1),  # 20 %
    _record("2", "한길금속", 1, defect=(4.0, 1.0), effect=None, hires=2, sponsor="청람자동차"),  # 75 %
    _record("3", "새솔정공", 2, defect=(0.0, 1.0), effect=20_000_000),  # baseline 0: no bar
    _record("4", "보람테크", 2, defect=(5.0, 6.0), hires=0),  # worse: -20 %
]


def test_each_company_is_one_bar_of_its_mean_improvement_best_first():
    data = chart_data(RECORDS, default_catalogue())
    assert data.improvement_labels == ["한길금속", "대명정밀", "보람테크"]
    assert data.improvement_values == pytest.approx([75.0, 35.0, -20.0])


def test_hires_and_financial_effect_are_summed_by_programme_year():
    data = chart_data(RECORDS, default_catalogue())
    assert (data.hires_years, data.hires_values) == ([1, 2], [5, 1])
    assert (data.effect_years, data.effect_values) == ([1, 2], [100_000_000, 70_000_000])


def test_the_filter_chooses_the_engagements_the_charts_draw():
    data = chart_data(RECORDS, default_catalogue(), ReportFilter(year=2))
    assert data.improvement_labels == ["대명정밀", "보람테크"]
    assert data.improvement_values == pytest.approx([20.0, -20.0])
    sponsor = chart_data(RECORDS, default_catalogue(), ReportFilter(sponsor="청람자동차"))
    assert sponsor.improvement_labels == ["한길금속"]


def test_filter_choices_are_the_years_and_sponsors_in_the_data():
    assert filter_choices(RECORDS) == ([1, 2], ["청람자동차", "한빛전자"])


def test_the_dashboard_holds_the_programme_report_for_its_filter():
    dashboard = build_dashboard(RECORDS, year=2, lang="en")
    expected = programme_report(RECORDS, default_catalogue(), ReportFilter(year=2), lang="en")
    assert dashboard.report.as_dict() == expected.as_dict()
    assert dashboard.years == [1, 2]  # the combos offer every year, not only the chosen one
    assert build_dashboard(RECORDS, cancelled=lambda: True) is None


def test_records_are_read_from_the_store_as_the_report_reads_them(store):
    load_demo(store)
    with store.session() as session:
        expected = engagement_records(session=session)
    records = load_records(store)
    assert records == expected and len(records) == 56
    dashboard = build_dashboard(records)
    assert dashboard.report.engagements == 56
    assert len(dashboard.charts.improvement_values) == dashboard.report.companies == 30
