"""``GET /health``: the server answers and its database does (for load balancers; no token)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from central_server import __version__
from central_server.db import SessionDep
from central_server.errors import ApiError

router = APIRouter()


@router.get("/health")
def health(session: SessionDep, request: Request) -> dict:
    """``{"status": "ok", "database": "ok", "version", "server_id"}``, or 503 when the database does not answer;
    ``server_id`` lets a laptop recognise its server before it logs in."""
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means "not ready"
        raise ApiError(503, "database_unavailable", "데이터베이스에 연결할 수 없습니다.",
                       "The database cannot be reached.") from exc
    return {"status": "ok", "database": "ok", "version": __version__, "server_id": request.app.state.server_id}
