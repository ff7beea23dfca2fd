"""An engagement's KPI figures and its mean improvement over the computable KPIs."""

from __future__ import annotations

import pytest

from consultant_app.domain.formulas import Undefined
from consultant_app.domain.kpi import default_catalogue
from consultant_app.domain.records import KpiValues
from consultant_app.domain.summary import kpi_figures, summarize

CATALOGUE = default_catalogue()


def test_mean_improvement_is_the_unweighted_mean_over_computable_kpis():
    kpis = [
        KpiValues("defect_rate", 2.93, 1.5, 1.71),       # (2.93 − 1.71) ÷ 2.93 = 41.638…%
        KpiValues("on_time_delivery", 80.0, 95.0, 92.0),  # (92 − 80) ÷ 80 = 15%
        KpiValues("setup_time", 40.0, 20.0, 30.0),        # (40 − 30) ÷ 40 = 25%
    ]
    summary = summarize(kpis, CATALOGUE)
    # (41.638225… + 15 + 25) ÷ 3 = 27.212741…
    assert summary.mean_improvement.value == pytest.approx((41.638225256 + 15 + 25) / 3)
    assert [k.definition.code for k in summary.computable] == ["defect_rate", "on_time_delivery", "setup_time"]


def test_zero_baseline_kpi_is_left_out_of_the_mean_not_counted_as_zero():
    kpis = [
        KpiValues("defect_rate", 4.0, 2.0, 2.0),       # 50%
        KpiValues("safety_incidents", 0.0, 0.0, 1.0),  # baseline 0: undefined
        KpiValues("oee", 60.0, 80.0, 75.0),            # 25%
    ]
    summary = summarize(kpis, CATALOGUE)
    assert summary.mean_improvement.value == pytest.approx(37.5)  # (50 + 25) ÷ 2, not ÷ 3
    incidents = summary.kpis[1]
    assert incidents.improvement.undefined is Undefined.ZERO_BASELINE
    assert [k.definition.code for k in summary.computable] == ["defect_rate", "oee"]


def test_kpi_without_post_value_is_left_out_of_the_mean():
    kpis = [KpiValues("defect_rate", 4.0, 2.0, 3.0), KpiValues("oee", 60.0, 80.0, None)]
    assert summarize(kpis, CATALOGUE).mean_improvement.value == pytest.approx(25.0)


def test_no_computable_kpi_makes_the_mean_undefined():
    summary = summarize([KpiValues("safety_incidents", 0.0, 0.0, 2.0), KpiValues("oee", 50.0, 60.0, None)],
                        CATALOGUE)
    assert summary.mean_improvement.value is None
    assert summary.mean_improvement.undefined is Undefined.NO_COMPUTABLE_KPI
    assert summary.computable == ()


def test_no_kpis_at_all_makes_the_mean_undefined():
    assert summarize([], CATALOGUE).mean_improvement.undefined is Undefined.NO_COMPUTABLE_KPI


def test_unknown_kpi_codes_are_ignored():
    kpis = [KpiValues("happiness", 1.0, 10.0, 100.0), KpiValues("defect_rate", 4.0, 2.0, 3.0)]
    summary = summarize(kpis, CATALOGUE)
    assert [k.definition.code for k in summary.kpis] == ["defect_rate"]
    assert summary.mean_improvement.value == pytest.approx(25.0)


def test_worsening_kpi_pulls_the_mean_down():
    kpis = [KpiValues("defect_rate", 2.0, 1.0, 3.0), KpiValues("oee", 50.0, 60.0, 60.0)]  # −50% and +20%
    assert summarize(kpis, CATALOGUE).mean_improvement.value == pytest.approx(-15.0)


def test_kpi_figures_carry_improvement_points_and_achievement():
    figures = kpi_figures(CATALOGUE["defect_rate"], KpiValues("defect_rate", 2.93, 1.5, 1.71))
    assert figures.improvement.value == pytest.approx(41.638225, abs=1e-6)
    assert figures.points.value == pytest.approx(-1.22)
    # (1.71 − 2.93) ÷ (1.5 − 2.93) × 100 = 85.314…
    assert figures.achievement.value == pytest.approx(85.314685, abs=1e-6)


def test_kpi_figures_of_a_non_percent_kpi_have_no_percentage_points():
    figures = kpi_figures(CATALOGUE["setup_time"], KpiValues("setup_time", 40.0, 20.0, 30.0))
    assert figures.points.undefined is Undefined.NOT_PERCENT
    assert figures.achievement.value == pytest.approx(50.0)
