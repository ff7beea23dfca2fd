"""Plain records the domain computes from: what the store hands over, with no database in sight."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class KpiValues:
    """One KPI measured in one engagement."""

    code: str
    baseline: float | None
    target: float | None
    post: float | None
    baseline_date: date | None = None
    post_date: date | None = None


@dataclass(frozen=True, slots=True)
class SurveyAnswers:
    """A company's satisfaction survey."""

    satisfaction: int | None
    wants_continue: bool | None
    would_recommend: bool | None
    improved: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EngagementRecord:
    """One company in one programme year, with what the programme report needs of it."""

    engagement_id: str
    business_no: str
    company_name: str
    year: int
    phase: int | None
    sponsor: str | None
    kpis: tuple[KpiValues, ...] = ()
    financial_effect_krw: int | None = None
    new_hires: int | None = None
    smart_factory_built: bool | None = None
    survey: SurveyAnswers | None = None
    field_code: str | None = field(default=None)
