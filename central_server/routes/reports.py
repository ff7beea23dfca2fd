"""``GET /report/programme``: the programme results report over the caller's scope, as the app's ``--json``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlmodel import select

from central_server.auth import CurrentUser
from central_server.catalogue import catalogue_in_force
from central_server.db import SessionDep
from central_server.scope import assigned_company_ids
from consultant_app.domain.aggregates import ReportFilter, programme_report
from consultant_app.store.models import Engagement
from consultant_app.store.queries import engagement_records

router = APIRouter(prefix="/report")


@router.get("/programme")
def programme(session: SessionDep, user: CurrentUser,
              year: Annotated[int | None, Query(ge=1)] = None,
              sponsor: Annotated[str | None, Query(max_length=200)] = None,
              phase: Annotated[int | None, Query(ge=1, le=2)] = None,
              lang: Annotated[Literal["ko", "en"], Query()] = "ko") -> dict:
    """The report's figures and method notes; consultants get their assigned companies' engagements only."""
    records = engagement_records(session=session)
    # Read after the records: every KPI they hold was accepted by this catalogue or an older one, which it
    # includes (a publication only adds), so none is left out of the figures.
    catalogue = catalogue_in_force(session.connection())
    if not user.sees_everything:
        # The whole programme is read and then narrowed: simple, and a consultant's request is rare next to sync.
        in_scope = set(session.exec(select(Engagement.id).where(
            Engagement.company_id.in_(assigned_company_ids(user)))))
        records = [r for r in records if r.engagement_id in in_scope]
    report_filter = ReportFilter(year=year, sponsor=sponsor, phase=phase)
    return programme_report(records, catalogue, report_filter, lang).as_dict()
