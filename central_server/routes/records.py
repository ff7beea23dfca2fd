"""Read routes over the synced records, each limited to the caller's scope (404 outside it, like a missing id)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlmodel import SQLModel, select

from central_server.auth import CurrentUser
from central_server.db import SessionDep
from central_server.errors import not_found
from central_server.scope import assigned_company_ids, can_see_company
from consultant_app.store.models import Company, Engagement, KpiMeasurement, Outcome, Sponsor, SurveyResponse

router = APIRouter()


def as_json(row: SQLModel | None) -> dict[str, Any] | None:
    """A stored row as JSON values (dates and timestamps as ISO text)."""
    return row.model_dump(mode="json") if row is not None else None


def _company_json(company: Company, sponsor: str | None) -> dict[str, Any]:
    return {**as_json(company), "sponsor": sponsor}


@router.get("/companies")
def list_companies(session: SessionDep, user: CurrentUser) -> dict:
    """The live companies the caller may see, by name."""
    query = (select(Company, Sponsor.name).outerjoin(Sponsor, Sponsor.id == Company.sponsor_id)
             .where(Company.deleted == False).order_by(Company.name, Company.business_no))  # noqa: E712
    if not user.sees_everything:
        query = query.where(Company.id.in_(assigned_company_ids(user)))
    companies = [_company_json(company, sponsor) for company, sponsor in session.exec(query)]
    return {"companies": companies, "count": len(companies)}


@router.get("/companies/{company_id}")
def get_company(company_id: str, session: SessionDep, user: CurrentUser) -> dict:
    """One live company with its sponsor's name and its live engagements (summary)."""
    company = session.get(Company, company_id)
    if company is None or company.deleted or not can_see_company(session, user, company_id=company.id):
        raise not_found()
    sponsor = session.get(Sponsor, company.sponsor_id) if company.sponsor_id else None
    engagements = session.exec(select(Engagement).where(Engagement.company_id == company.id,
                                                        Engagement.deleted == False)  # noqa: E712
                               .order_by(Engagement.year)).all()
    return {**_company_json(company, sponsor.name if sponsor else None),
            "engagements": [{"id": e.id, "year": e.year, "phase": e.phase, "field": e.field, "status": e.status}
                            for e in engagements]}


@router.get("/engagements/{engagement_id}")
def get_engagement(engagement_id: str, session: SessionDep, user: CurrentUser) -> dict:
    """One live engagement with its company, live KPI measurements, outcome and survey."""
    engagement = session.get(Engagement, engagement_id)
    company = session.get(Company, engagement.company_id) if engagement and not engagement.deleted else None
    if company is None or company.deleted or not can_see_company(session, user, company_id=company.id):
        raise not_found()
    kpis = session.exec(select(KpiMeasurement).where(KpiMeasurement.engagement_id == engagement.id,
                                                     KpiMeasurement.deleted == False)  # noqa: E712
                        .order_by(KpiMeasurement.kpi_code)).all()
    outcome = session.exec(select(Outcome).where(Outcome.engagement_id == engagement.id,
                                                 Outcome.deleted == False)).first()  # noqa: E712
    survey = session.exec(select(SurveyResponse).where(SurveyResponse.engagement_id == engagement.id,
                                                       SurveyResponse.deleted == False)).first()  # noqa: E712
    return {**as_json(engagement),
            "company": {"id": company.id, "business_no": company.business_no, "name": company.name},
            "kpis": [as_json(k) for k in kpis], "outcome": as_json(outcome), "survey": as_json(survey)}
