"""Rows for store tests: one of every synced table, fully filled in, and counting helpers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from consultant_app.store.models import (
    Attachment,
    AuditEntry,
    Company,
    Engagement,
    KpiMeasurement,
    OutboxOp,
    Outcome,
    Sponsor,
    SurveyResponse,
    Visit,
)


def full_graph(business_no: str = "1248100998") -> list:
    """A sponsor, company, engagement and one of each child row, every field set, in dependency order."""
    sponsor = Sponsor(name="한빛자동차")
    company = Company(business_no=business_no, name="대명정밀(주)", representative="김대명", region="경남 창원",
                      industry="자동차 부품", manufacturing=True, employees=45, supplier_tier=2,
                      sponsor_id=sponsor.id, growth_stage="intermediate1")
    engagement = Engagement(company_id=company.id, year=3, phase=1, field="smart_factory", support_krw=30_000_000,
                            start_date=date(2016, 3, 2), end_date=date(2016, 11, 30), status="completed",
                            consultant="박전문")
    kpi = KpiMeasurement(engagement_id=engagement.id, kpi_code="defect_rate", baseline=2.93,
                         baseline_date=date(2016, 3, 15), baseline_numerator=293.0, baseline_denominator=10_000.0,
                         target=1.5, post=1.71, post_date=date(2016, 11, 20), post_numerator=171.0,
                         post_denominator=10_000.0, note="사출 공정 기준")
    visit = Visit(engagement_id=engagement.id, visit_date=date(2016, 4, 7), hours=3.5,
                  activities="5S 현장 점검", notes="금형 교체 절차 표준화 필요")
    attachment = Attachment(engagement_id=engagement.id, visit_id=visit.id, sha256="ab" * 32,
                            file_name="현장사진.jpg", media_type="image/jpeg", size_bytes=123_456, caption="개선 전")
    outcome = Outcome(engagement_id=engagement.id, financial_effect_krw=77_000_000,
                      effect_productivity_krw=40_000_000, effect_labour_krw=20_000_000,
                      effect_quality_krw=15_000_000, effect_other_krw=2_000_000, assumptions="연간 환산",
                      new_hires=2, smart_factory_built=True, smart_factory_level=2)
    survey = SurveyResponse(engagement_id=engagement.id, satisfaction=5, wants_continue=True, would_recommend=False,
                            improved="productivity;quality")
    return [sponsor, company, engagement, kpi, visit, attachment, outcome, survey]


def company_with_engagement(business_no: str, *, year: int = 1, name: str = "회사") -> tuple[Company, Engagement]:
    company = Company(business_no=business_no, name=name)
    return company, Engagement(company_id=company.id, year=year)


def count(session: Session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def journal_counts(session: Session) -> tuple[int, int]:
    """(audit rows, outbox rows)."""
    return count(session, AuditEntry), count(session, OutboxOp)
