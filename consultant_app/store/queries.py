"""Typed, keyword-only reads over the store, returning plain domain records where the domain computes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, select

from consultant_app.domain.records import EngagementRecord, KpiValues, SurveyAnswers
from consultant_app.domain.validation import normalize_business_no
from consultant_app.store.models import (
    Company,
    Engagement,
    KpiMeasurement,
    OutboxOp,
    Outcome,
    Sponsor,
    SurveyResponse,
)


@dataclass(frozen=True, slots=True)
class CompanyRow:
    """A company as lists show it."""

    id: str
    business_no: str
    name: str
    region: str | None
    industry: str | None
    sponsor: str | None
    engagements: int
    latest_year: int | None


def split_codes(text: str | None) -> tuple[str, ...]:
    """``'quality;mindset'`` → ``('quality', 'mindset')``."""
    return tuple(code.strip() for code in (text or "").split(";") if code.strip())


def engagement_records(*, session: Session) -> list[EngagementRecord]:
    """Every live engagement with its company, sponsor, KPIs, outcome and survey, in a handful of queries."""
    kpis: dict[str, list[KpiValues]] = defaultdict(list)
    for m in session.exec(select(KpiMeasurement).where(KpiMeasurement.deleted == False)):  # noqa: E712
        kpis[m.engagement_id].append(KpiValues(m.kpi_code, m.baseline, m.target, m.post, m.baseline_date, m.post_date))
    outcomes = {o.engagement_id: o for o in session.exec(select(Outcome).where(Outcome.deleted == False))}  # noqa: E712
    surveys = {s.engagement_id: SurveyAnswers(s.satisfaction, s.wants_continue, s.would_recommend,
                                              split_codes(s.improved))
               for s in session.exec(select(SurveyResponse).where(SurveyResponse.deleted == False))}  # noqa: E712
    rows = session.exec(
        select(Engagement, Company, Sponsor.name)
        .join(Company, Company.id == Engagement.company_id)
        .outerjoin(Sponsor, Sponsor.id == Company.sponsor_id)
        .where(Engagement.deleted == False, Company.deleted == False)  # noqa: E712
        .order_by(Company.business_no, Engagement.year)
    )
    records = []
    for engagement, company, sponsor in rows:
        outcome = outcomes.get(engagement.id)
        records.append(EngagementRecord(
            engagement_id=engagement.id,
            business_no=company.business_no,
            company_name=company.name,
            year=engagement.year,
            phase=engagement.phase,
            sponsor=sponsor,
            kpis=tuple(kpis.get(engagement.id, ())),
            financial_effect_krw=outcome.financial_effect_krw if outcome else None,
            new_hires=outcome.new_hires if outcome else None,
            smart_factory_built=outcome.smart_factory_built if outcome else None,
            survey=surveys.get(engagement.id),
            field_code=engagement.field,
        ))
    return records


def _escape_like(text: str) -> str:
    # %, _ and the escape character itself are wildcards in LIKE: a search for "100%" means those characters.
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_companies(*, session: Session, search: str | None = None, limit: int | None = None) -> list[CompanyRow]:
    """Live companies by name, optionally those whose name, number, sponsor or region contains ``search``."""
    engagement_count = (
        select(Engagement.company_id, func.count().label("n"), func.max(Engagement.year).label("latest"))
        .where(Engagement.deleted == False)  # noqa: E712
        .group_by(Engagement.company_id)
        .subquery()
    )
    query = (
        select(Company, Sponsor.name, engagement_count.c.n, engagement_count.c.latest)
        .outerjoin(Sponsor, Sponsor.id == Company.sponsor_id)
        .outerjoin(engagement_count, engagement_count.c.company_id == Company.id)
        .where(Company.deleted == False)  # noqa: E712
        .order_by(Company.name, Company.business_no)
    )
    words = (search or "").strip()
    if words:
        text = f"%{_escape_like(words)}%"
        matches = [Company.name.ilike(text, escape="\\"), Sponsor.name.ilike(text, escape="\\"),
                   Company.region.ilike(text, escape="\\")]
        number = normalize_business_no(words)  # stored as 10 digits; people type 124-81-00998, or １２４ in 한글 mode
        if number:
            matches.append(Company.business_no.like(f"%{_escape_like(number)}%", escape="\\"))
        query = query.where(or_(*matches))
    if limit:
        query = query.limit(limit)
    return [CompanyRow(c.id, c.business_no, c.name, c.region, c.industry, sponsor, n or 0, latest)
            for c, sponsor, n, latest in session.exec(query)]


def pending_changes(*, session: Session) -> int:
    """How many changes wait in the outbox to be pushed."""
    return session.exec(select(func.count()).select_from(OutboxOp).where(OutboxOp.status == "pending")).one()
