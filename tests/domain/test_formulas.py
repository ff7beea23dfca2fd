"""KPI formulas: improvement in either direction, target achievement, percentage points, undefined cases."""

from __future__ import annotations

import math

import pytest

from consultant_app.domain.formulas import (
    Figure,
    Undefined,
    improvement_pct,
    percentage_points,
    ratio_value,
    target_achievement_pct,
)
from consultant_app.domain.kpi import Direction
from consultant_app.domain.messages import undefined_message

LOWER, HIGHER = Direction.LOWER, Direction.HIGHER


def test_lower_is_better_improvement_is_baseline_minus_post_over_baseline():
    # (10 − 4) ÷ 10 × 100 = 60
    assert improvement_pct(LOWER, 10.0, 4.0) == Figure(60.0, None)


def test_higher_is_better_improvement_is_post_minus_baseline_over_baseline():
    # (150 − 120) ÷ 120 × 100 = 25
    assert improvement_pct(HIGHER, 120.0, 150.0).value == pytest.approx(25.0)


def test_press_defect_rate_example_is_a_41_6_percent_decrease_not_44():
    # (2.93 − 1.71) ÷ 2.93 × 100 = 41.638…
    figure = improvement_pct(LOWER, 2.93, 1.71)
    assert figure.value == pytest.approx(41.638225, abs=1e-6)
    assert round(figure.value, 1) == 41.6
    assert round(figure.value) != 44


def test_press_score_example_is_320_percent_improvement_and_91_4_percent_of_target():
    # improvement (84 − 20) ÷ 20 × 100 = 320; achievement (84 − 20) ÷ (90 − 20) × 100 = 91.428…
    assert improvement_pct(HIGHER, 20.0, 84.0).value == pytest.approx(320.0)
    achievement = target_achievement_pct(20.0, 90.0, 84.0)
    assert achievement.value == pytest.approx(91.428571, abs=1e-6)
    # the press's "350%" is the target's own gain, (90 − 20) ÷ 20, not what was achieved
    assert improvement_pct(HIGHER, 20.0, 90.0).value == pytest.approx(350.0)


def test_worsening_gives_a_negative_improvement_in_both_directions():
    assert improvement_pct(LOWER, 2.0, 3.0).value == pytest.approx(-50.0)
    assert improvement_pct(HIGHER, 80.0, 60.0).value == pytest.approx(-25.0)


def test_no_change_is_zero_improvement():
    assert improvement_pct(LOWER, 5.0, 5.0) == Figure.of(0.0)


@pytest.mark.parametrize("direction", list(Direction))
def test_zero_baseline_makes_improvement_undefined_without_dividing(direction):
    figure = improvement_pct(direction, 0.0, 3.0)
    assert figure.value is None
    assert figure.undefined is Undefined.ZERO_BASELINE
    assert not figure.defined


def test_zero_baseline_and_zero_post_is_still_undefined_not_nan():
    figure = improvement_pct(LOWER, 0, 0)
    assert figure == Figure(None, Undefined.ZERO_BASELINE)


@pytest.mark.parametrize(("baseline", "post", "reason"), [
    (None, 3.0, Undefined.NO_BASELINE),
    (None, None, Undefined.NO_BASELINE),
    (3.0, None, Undefined.NO_POST),
])
def test_missing_values_make_every_figure_undefined_with_the_reason(baseline, post, reason):
    assert improvement_pct(LOWER, baseline, post) == Figure(None, reason)
    assert target_achievement_pct(baseline, 1.0, post) == Figure(None, reason)
    assert percentage_points(True, baseline, post) == Figure(None, reason)


def test_target_achievement_without_target_is_undefined():
    assert target_achievement_pct(5.0, None, 4.0) == Figure(None, Undefined.NO_TARGET)


def test_target_equal_to_baseline_makes_achievement_undefined():
    assert target_achievement_pct(5.0, 5.0, 4.0) == Figure(None, Undefined.TARGET_EQUALS_BASELINE)


def test_target_achievement_works_for_lower_is_better():
    # defect rate 4 → 2.5 with target 2: (2.5 − 4) ÷ (2 − 4) × 100 = 75
    assert target_achievement_pct(4.0, 2.0, 2.5).value == pytest.approx(75.0)


def test_target_achievement_can_exceed_100_or_go_negative():
    assert target_achievement_pct(4.0, 2.0, 1.0).value == pytest.approx(150.0)   # (1 − 4) ÷ (2 − 4)
    assert target_achievement_pct(4.0, 2.0, 5.0).value == pytest.approx(-50.0)   # (5 − 4) ÷ (2 − 4)


def test_target_achievement_with_zero_baseline_is_defined():
    # (3 − 0) ÷ (4 − 0) × 100 = 75: only the relative improvement divides by B
    assert target_achievement_pct(0.0, 4.0, 3.0).value == pytest.approx(75.0)


def test_percentage_points_are_post_minus_baseline_for_percent_kpis():
    # 2.93% → 1.71% is −1.22 percentage points
    assert percentage_points(True, 2.93, 1.71).value == pytest.approx(-1.22)
    assert percentage_points(True, 0.0, 1.5).value == pytest.approx(1.5)


def test_percentage_points_do_not_apply_to_kpis_not_in_percent():
    assert percentage_points(False, 10.0, 8.0) == Figure(None, Undefined.NOT_PERCENT)


@pytest.mark.parametrize(("baseline", "post"), [(0.0, 5.0), (1e-300, 1e300), (5.0, 0.0), (-2.0, 1.0)])
def test_defined_figures_are_always_finite(baseline, post):
    for figure in (improvement_pct(LOWER, baseline, post), improvement_pct(HIGHER, baseline, post),
                   target_achievement_pct(baseline, baseline + 1.0, post), percentage_points(True, baseline, post)):
        assert figure.value is None or math.isfinite(figure.value)
        assert (figure.value is None) == (figure.undefined is not None)


def test_ratio_value_divides_numerator_by_denominator():
    assert ratio_value(12, 400, percent=True) == pytest.approx(3.0)
    assert ratio_value(12, 400, percent=False) == pytest.approx(0.03)


@pytest.mark.parametrize(("numerator", "denominator"), [(None, 4.0), (4.0, None), (4.0, 0.0), (None, None)])
def test_ratio_value_is_none_when_not_computable(numerator, denominator):
    assert ratio_value(numerator, denominator, percent=True) is None


@pytest.mark.parametrize("reason", list(Undefined))
def test_every_undefined_reason_has_a_korean_and_an_english_message(reason):
    ko, en = undefined_message(reason, "ko"), undefined_message(reason, "en")
    assert ko and en and ko != en
    assert any("\uac00" <= ch <= "\ud7a3" for ch in ko)
    assert en.isascii()


def test_zero_baseline_message_says_the_baseline_is_zero():
    assert "기준값이 0" in undefined_message(Undefined.ZERO_BASELINE, "ko")
    assert "baseline is 0" in undefined_message(Undefined.ZERO_BASELINE, "en")


@pytest.mark.parametrize(("baseline", "post"), [(math.inf, 1.0), (1.0, math.inf), (math.nan, 1.0), (2.0, math.nan)])
def test_infinite_or_nan_inputs_give_an_undefined_figure_not_inf_or_nan(baseline, post):
    assert improvement_pct(LOWER, baseline, post) == Figure(None, Undefined.NOT_FINITE)
    assert target_achievement_pct(baseline, 0.5, post) == Figure(None, Undefined.NOT_FINITE)
    assert percentage_points(True, baseline, post) == Figure(None, Undefined.NOT_FINITE)


def test_ratio_value_of_infinite_parts_is_none():
    assert ratio_value(math.inf, 2.0, percent=True) is None
    assert ratio_value(1.0, math.nan, percent=False) is None
