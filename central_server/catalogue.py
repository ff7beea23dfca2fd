"""The KPI catalogue the office publishes: checked against the one in force, versioned, pulled by every laptop.

Each server process keeps the newest published catalogue in force for the domain's rules; a request that
judges KPIs first asks the database for the newest version, so a catalogue published through one worker (or
the command line) is used by every other worker from its next request.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from central_server.changes import publish_row
from consultant_app.domain.kpi import CatalogueError, KpiCatalogue, check_update, default_catalogue, install_catalogue
from consultant_app.errors import AppError
from consultant_app.store.models import OfficeCatalogue, new_id, utc_now

catalogues = OfficeCatalogue.__table__
_in_force: int | None = None  # the version this process installed


class CatalogueRefused(AppError):
    def __init__(self, problem: str):
        super().__init__(f"지표 목록을 게시하지 않았습니다: {problem}", f"The KPI catalogue was not published: {problem}")


def refresh_catalogue(connection: Connection) -> int | None:
    """Put the newest published catalogue in force in this process (a no-op when it already is)."""
    global _in_force
    newest = connection.execute(select(func.max(catalogues.c.version))).scalar()
    if newest != _in_force:
        text = connection.execute(select(catalogues.c.csv).where(catalogues.c.version == newest)).scalar() \
            if newest is not None else None
        install_catalogue(KpiCatalogue.from_csv_text(text, source=f"catalogue v{newest}") if text else None)
        _in_force = newest
    return newest


def publish_catalogue(connection: Connection, text: str, *, actor: str, source: str) -> tuple[int, KpiCatalogue]:
    """Check and publish a new catalogue; returns its version and the catalogue."""
    refresh_catalogue(connection)
    try:
        new = KpiCatalogue.from_csv_text(text, source=source)
        check_update(default_catalogue(), new)
    except CatalogueError as exc:
        raise CatalogueRefused(str(exc)) from None
    version = (connection.execute(select(func.max(catalogues.c.version))).scalar() or 0) + 1
    row_id = new_id()
    connection.execute(insert(catalogues).values(id=row_id, version=version, csv=text, published_at=utc_now(),
                                                 published_by=actor))
    publish_row(connection, "kpi_catalogue", row_id, actor=actor, action="publish",
                changes={"version": version, "kpis": len(new)})
    return version, new
