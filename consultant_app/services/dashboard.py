"""The consultant's portfolio: the programme report's figures and plain chart data, filtered by year and sponsor."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import fmean

from consultant_app.domain.aggregates import ProgrammeReport, ReportFilter, programme_report
from consultant_app.domain.kpi import KpiCatalogue, default_catalogue
from consultant_app.domain.records import EngagementRecord
from consultant_app.domain.summary import summarize
from consultant_app.store.database import Store
from consultant_app.store.queries import engagement_records


@dataclass(frozen=True, slots=True)
class ChartData:
    """What the dashboard's charts draw, as plain lists."""

    improvement_labels: list[str]  # companies, best improvement first
    improvement_values: list[float]  # each company's mean KPI improvement, %
    hires_years: list[int]
    hires_values: list[int]
    effect_years: list[int]
    effect_values: list[int]  # KRW per year


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The figures for one filter, the charts, and the choices the filter combos offer."""

    report: ProgrammeReport
    charts: ChartData
    years: list[int]
    sponsors: list[str]
    year: int | None
    sponsor: str | None


def load_records(store: Store) -> list[EngagementRecord]:
    """Every live engagement as a plain record (a session of its own: callable from a worker thread)."""
    with store.session() as session:
        return engagement_records(session=session)


def filter_choices(records: Sequence[EngagementRecord]) -> tuple[list[int], list[str]]:
    """Programme years and sponsors present in the data, sorted."""
    years = sorted({r.year for r in records})
    sponsors = sorted({r.sponsor for r in records if r.sponsor})
    return years, sponsors


def chart_data(records: Sequence[EngagementRecord], catalogue: KpiCatalogue,
               report_filter: ReportFilter = ReportFilter()) -> ChartData:
    """Improvement per company (sorted), new hires and financial effect by programme year."""
    chosen = [r for r in records if report_filter.matches(r)]
    per_company: dict[str, list[float]] = defaultdict(list)
    names: dict[str, str] = {}
    hires: dict[int, int] = defaultdict(int)
    effects: dict[int, int] = defaultdict(int)
    for record in chosen:
        if record.kpis:
            mean = summarize(record.kpis, catalogue).mean_improvement
            if mean.defined:
                per_company[record.business_no].append(mean.value)
                names[record.business_no] = record.company_name
        if record.new_hires is not None:
            hires[record.year] += record.new_hires
        if record.financial_effect_krw is not None:
            effects[record.year] += record.financial_effect_krw
    # A company with several engagements in the filter: the unweighted mean of its engagements' means,
    # the same way the report averages engagements.
    bars = sorted(((names[no], fmean(values)) for no, values in per_company.items()), key=lambda b: (-b[1], b[0]))
    return ChartData(
        improvement_labels=[name for name, _ in bars],
        improvement_values=[value for _, value in bars],
        hires_years=sorted(hires),
        hires_values=[hires[y] for y in sorted(hires)],
        effect_years=sorted(effects),
        effect_values=[effects[y] for y in sorted(effects)],
    )


def build_dashboard(records: Sequence[EngagementRecord], *, year: int | None = None, sponsor: str | None = None,
                    lang: str = "ko", catalogue: KpiCatalogue | None = None,
                    cancelled: Callable[[], bool] | None = None) -> Dashboard | None:
    """The report and charts for the records matching ``year`` and ``sponsor``; None when cancelled."""
    catalogue = catalogue or default_catalogue()
    report_filter = ReportFilter(year=year, sponsor=sponsor)
    years, sponsors = filter_choices(records)
    report = programme_report(records, catalogue, report_filter, lang=lang)
    if cancelled is not None and cancelled():
        return None
    charts = chart_data(records, catalogue, report_filter)
    return Dashboard(report=report, charts=charts, years=years, sponsors=sponsors, year=year, sponsor=sponsor)
