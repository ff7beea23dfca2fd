"""Sample records on the server: the office's sheets from tests/io imported, companies assigned."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from central_server.db import write_transaction
from central_server.importing import import_into
from central_server.scope import assign_companies
from central_server.users import require_user
from consultant_app.store.models import Company, Engagement
from tests.io.sample import A, B, sample, write_csvs
from tests.server.live import LiveServer

__all__ = ["A", "B", "assign", "engagement_id", "load_sample"]


def load_sample(live: LiveServer, folder: Path) -> dict[str, str]:
    """Import the sample programme (companies A and B); returns business number → company id."""
    import_into(live.engine, write_csvs(folder, sample()), actor="test")
    companies = Company.__table__
    with live.engine.connect() as connection:
        return {number: company_id for number, company_id
                in connection.execute(select(companies.c.business_no, companies.c.id))}


def engagement_id(live: LiveServer, company_id: str, year: int) -> str:
    engagements = Engagement.__table__
    with live.engine.connect() as connection:
        return connection.execute(select(engagements.c.id).where(engagements.c.company_id == company_id,
                                                                 engagements.c.year == year)).scalar_one()


def assign(live: LiveServer, username: str, *numbers: str) -> None:
    with write_transaction(live.engine) as connection:
        assign_companies(connection, require_user(connection, username), list(numbers))
