"""The programme report as the office prints it: the figures overall, by programme year and by sponsor, and charts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from consultant_app.domain.aggregates import ProgrammeReport, ReportFilter, programme_report
from consultant_app.domain.kpi import KpiCatalogue
from consultant_app.domain.records import EngagementRecord
from consultant_app.domain.summary import summarize

# Bins of the engagements' mean KPI improvement, in %: [low, high); None is open-ended.
IMPROVEMENT_BINS: tuple[tuple[float | None, float | None], ...] = (
    (None, 0.0), (0.0, 10.0), (10.0, 20.0), (20.0, 30.0), (30.0, 40.0), (40.0, 50.0), (50.0, 60.0),
    (60.0, 80.0), (80.0, 100.0), (100.0, None))


def bin_label(low: float | None, high: float | None) -> str:
    """``<0``, ``10–20``, ``≥100``."""
    if low is None:
        return f"<{high:g}"
    if high is None:
        return f"≥{low:g}"
    return f"{low:g}–{high:g}"


@dataclass(frozen=True)
class ProgrammeReportView:
    """What the programme report PDF prints; every figure carries its method note in ``overall.method``."""

    report_filter: ReportFilter
    lang: str
    generated_on: date
    overall: ProgrammeReport
    by_year: tuple[tuple[int, ProgrammeReport], ...]
    by_sponsor: tuple[tuple[str, ProgrammeReport], ...]  # sponsors by name; "" for engagements without one
    improvement_bins: tuple[tuple[str, int], ...]  # (bin label, engagements whose mean improvement falls in it)
    engagements_without_improvement: int  # not in any bin: no KPI, or none computable


def _bin_index(value: float) -> int:
    for index, (low, high) in enumerate(IMPROVEMENT_BINS):
        if (low is None or value >= low) and (high is None or value < high):
            return index
    raise AssertionError(value)  # the bins cover the real line


def build_report_view(records: Iterable[EngagementRecord], catalogue: KpiCatalogue, *,
                      report_filter: ReportFilter = ReportFilter(), lang: str = "ko", generated_on: date,
                      cancelled: Callable[[], bool] | None = None) -> ProgrammeReportView | None:
    """The report over the records matching the filter, broken down by year and sponsor; None when cancelled."""
    chosen = [r for r in records if report_filter.matches(r)]
    is_cancelled = cancelled or (lambda: False)
    by_year: dict[int, list[EngagementRecord]] = defaultdict(list)
    by_sponsor: dict[str, list[EngagementRecord]] = defaultdict(list)
    for record in chosen:
        by_year[record.year].append(record)
        by_sponsor[record.sponsor or ""].append(record)
    overall = programme_report(chosen, catalogue, lang=lang)
    if is_cancelled():
        return None
    years = tuple((year, programme_report(by_year[year], catalogue, lang=lang)) for year in sorted(by_year))
    if is_cancelled():
        return None
    sponsors = tuple((name, programme_report(by_sponsor[name], catalogue, lang=lang))
                     for name in sorted(by_sponsor, key=lambda n: (n == "", n)))
    counts = [0] * len(IMPROVEMENT_BINS)
    without = 0
    for record in chosen:
        mean = summarize(record.kpis, catalogue).mean_improvement if record.kpis else None
        if mean is None or not mean.defined:
            without += 1
        else:
            counts[_bin_index(mean.value)] += 1
    if is_cancelled():
        return None
    bins = tuple((bin_label(low, high), count) for (low, high), count in zip(IMPROVEMENT_BINS, counts))
    return ProgrammeReportView(report_filter=report_filter, lang=lang, generated_on=generated_on, overall=overall,
                               by_year=years, by_sponsor=sponsors, improvement_bins=bins,
                               engagements_without_improvement=without)
