"""An engagement's KPI figures and its mean improvement."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean

from consultant_app.domain.formulas import (
    Figure,
    Undefined,
    improvement_pct,
    percentage_points,
    target_achievement_pct,
)
from consultant_app.domain.kpi import KpiCatalogue, KpiDefinition
from consultant_app.domain.records import KpiValues


@dataclass(frozen=True, slots=True)
class KpiFigures:
    """One KPI's values and every figure computed from them."""

    definition: KpiDefinition
    values: KpiValues
    improvement: Figure
    points: Figure
    achievement: Figure


@dataclass(frozen=True, slots=True)
class EngagementSummary:
    """Each KPI's figures, and the unweighted mean improvement over the computable ones."""

    kpis: tuple[KpiFigures, ...]
    mean_improvement: Figure

    @property
    def computable(self) -> tuple[KpiFigures, ...]:
        return tuple(k for k in self.kpis if k.improvement.defined)


def kpi_figures(definition: KpiDefinition, values: KpiValues) -> KpiFigures:
    """Improvement, percentage points and achievement for one KPI."""
    return KpiFigures(
        definition=definition,
        values=values,
        improvement=improvement_pct(definition.direction, values.baseline, values.post),
        points=percentage_points(definition.is_percent, values.baseline, values.post),
        achievement=target_achievement_pct(values.baseline, values.target, values.post),
    )


def summarize(kpis: tuple[KpiValues, ...] | list[KpiValues], catalogue: KpiCatalogue) -> EngagementSummary:
    """Figures for every KPI the catalogue knows, and their mean improvement."""
    figures = tuple(kpi_figures(catalogue[v.code], v) for v in kpis if v.code in catalogue)
    improvements = [f.improvement.value for f in figures if f.improvement.defined]
    mean = Figure.of(fmean(improvements)) if improvements else Figure.undefined_because(Undefined.NO_COMPUTABLE_KPI)
    return EngagementSummary(kpis=figures, mean_improvement=mean)
