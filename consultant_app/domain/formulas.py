"""KPI formulas: improvement %, target achievement % and percentage points, never dividing by zero."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from consultant_app.domain.kpi import Direction


class Undefined(StrEnum):
    """Why a figure has no value."""

    ZERO_BASELINE = "zero_baseline"
    NO_BASELINE = "no_baseline"
    NO_POST = "no_post"
    NO_TARGET = "no_target"
    TARGET_EQUALS_BASELINE = "target_equals_baseline"
    NOT_PERCENT = "not_percent"
    NO_COMPUTABLE_KPI = "no_computable_kpi"
    NOT_FINITE = "not_finite"


@dataclass(frozen=True, slots=True)
class Figure:
    """A computed figure: a finite value, or None with the reason it is undefined."""

    value: float | None
    undefined: Undefined | None = None

    @property
    def defined(self) -> bool:
        return self.value is not None

    @classmethod
    def of(cls, value: float) -> Figure:
        return cls(value, None)

    @classmethod
    def undefined_because(cls, reason: Undefined) -> Figure:
        return cls(None, reason)


IMPROVEMENT_FORMULA = {
    Direction.LOWER: "(B − A) ÷ B × 100",
    Direction.HIGHER: "(A − B) ÷ B × 100",
}
ACHIEVEMENT_FORMULA = "(A − B) ÷ (T − B) × 100"
POINTS_FORMULA = "A − B"


def _finite(value: float) -> Figure:
    # An infinite or NaN input (e.g. "inf" read from a sheet) or an overflow never becomes a printed "inf" or "nan".
    return Figure.of(value) if math.isfinite(value) else Figure.undefined_because(Undefined.NOT_FINITE)


def _missing(baseline: float | None, post: float | None) -> Figure | None:
    if baseline is None:
        return Figure.undefined_because(Undefined.NO_BASELINE)
    if post is None:
        return Figure.undefined_because(Undefined.NO_POST)
    return None


def improvement_pct(direction: Direction, baseline: float | None, post: float | None) -> Figure:
    """Relative improvement: positive when the KPI moved the better way; undefined for B = 0."""
    missing = _missing(baseline, post)
    if missing:
        return missing
    if baseline == 0:
        return Figure.undefined_because(Undefined.ZERO_BASELINE)
    change = (baseline - post) if direction is Direction.LOWER else (post - baseline)
    return _finite(change / abs(baseline) * 100.0)


def target_achievement_pct(baseline: float | None, target: float | None, post: float | None) -> Figure:
    """How much of the planned change was achieved: (A − B) ÷ (T − B) × 100, in either direction."""
    missing = _missing(baseline, post)
    if missing:
        return missing
    if target is None:
        return Figure.undefined_because(Undefined.NO_TARGET)
    if math.isclose(target, baseline, rel_tol=0.0, abs_tol=1e-12):
        return Figure.undefined_because(Undefined.TARGET_EQUALS_BASELINE)
    return _finite((post - baseline) / (target - baseline) * 100.0)


def percentage_points(is_percent: bool, baseline: float | None, post: float | None) -> Figure:
    """For a KPI measured in %, the change A − B in percentage points."""
    if not is_percent:
        return Figure.undefined_because(Undefined.NOT_PERCENT)
    missing = _missing(baseline, post)
    return missing or _finite(post - baseline)


def ratio_value(numerator: float | None, denominator: float | None, *, percent: bool) -> float | None:
    """A KPI value from its numerator and denominator (× 100 for % KPIs); None when not computable."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    value = numerator / denominator * (100.0 if percent else 1.0)
    return value if math.isfinite(value) else None
