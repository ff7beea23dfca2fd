"""The KPI catalogue the office publishes: checked against the one in force, versioned, pulled by every laptop.

The catalogue in force is a value read from the database, never process state: every request and command asks
for the newest version (one indexed row) and gets the parsed catalogue from a cache keyed by that row, so a
catalogue published through one worker or the command line is used by every worker from its next request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from central_server.changes import publish_row
from consultant_app.domain.kpi import CatalogueError, KpiCatalogue, bundled_catalogue, check_update
from consultant_app.errors import AppError
from consultant_app.store.models import OfficeCatalogue, new_id, utc_now

catalogues = OfficeCatalogue.__table__
_CACHE_SIZE = 8  # parsed catalogues kept: the newest of each database this process serves is plenty
_parsed: dict[tuple[str, int], KpiCatalogue] = {}
_parsed_lock = threading.Lock()


class CatalogueRefused(AppError):
    def __init__(self, problem: str):
        super().__init__(f"지표 목록을 게시하지 않았습니다: {problem}", f"The KPI catalogue was not published: {problem}")


@dataclass(frozen=True, slots=True)
class InForce:
    """The catalogue the office's newest publication puts in force; version None for the bundled one."""

    version: int | None
    catalogue: KpiCatalogue


def in_force(connection: Connection) -> InForce:
    """The newest published catalogue of this database (the bundled one until the office publishes one)."""
    newest = connection.execute(select(catalogues.c.id, catalogues.c.version)
                                .order_by(catalogues.c.version.desc()).limit(1)).first()
    if newest is None:
        return InForce(None, bundled_catalogue())
    # Keyed by the row's id as well as its version: two databases served by one process (tests, or an office
    # running a second one) each have a version 1.
    key = (newest.id, newest.version)
    found = _parsed.get(key)
    if found is None:
        text = connection.execute(select(catalogues.c.csv).where(catalogues.c.id == newest.id)).scalar_one()
        found = KpiCatalogue.from_csv_text(text, source=f"catalogue v{newest.version}")
        with _parsed_lock:
            while len(_parsed) >= _CACHE_SIZE:
                _parsed.pop(next(iter(_parsed)))
            _parsed[key] = found
    return InForce(newest.version, found)


def catalogue_in_force(connection: Connection) -> KpiCatalogue:
    """The catalogue KPIs are judged and named by now, in this database."""
    return in_force(connection).catalogue


def publish_catalogue(connection: Connection, text: str, *, actor: str, source: str) -> tuple[int, KpiCatalogue]:
    """Check and publish a new catalogue; returns its version and the catalogue."""
    try:
        new = KpiCatalogue.from_csv_text(text, source=source)
        check_update(catalogue_in_force(connection), new)
    except CatalogueError as exc:
        raise CatalogueRefused(str(exc)) from None
    version = (connection.execute(select(func.max(catalogues.c.version))).scalar() or 0) + 1
    row_id = new_id()
    connection.execute(insert(catalogues).values(id=row_id, version=version, csv=text, published_at=utc_now(),
                                                 published_by=actor))
    publish_row(connection, "kpi_catalogue", row_id, actor=actor, action="publish",
                changes={"version": version, "kpis": len(new)})
    return version, new
