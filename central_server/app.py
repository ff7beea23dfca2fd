"""The FastAPI app factory. The app keeps no state outside the database, so any number of workers can serve it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from central_server import __version__
from central_server.auth import current_user
from central_server.blobs import BlobStore
from central_server.body_limit import BodyLimit
from central_server.config import Settings
from central_server.db import make_engine, read_server_id
from central_server.errors import install_handlers
from central_server.issuing import signing_key
from central_server.migrate import check_current
from central_server.passwords import verify_nobody
from central_server.routes import attachments, auth, certificates, health, records, reports, sync, verify


def create_app(settings: Settings) -> FastAPI:
    """The API on the configured database (already migrated: ``consultant-central serve`` does that first)."""
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        check_current(engine)  # a worker on an old schema would fail request by request: refuse to start instead
        app.state.server_id = read_server_id(engine)  # made once with the database, so every worker reports it
        verify_nobody("")  # computes the dummy hash now, so the first unknown-user login is not slower than others
        BlobStore(settings.attachments_dir, settings.max_attachment_bytes).sweep_partials()  # abandoned uploads
        try:
            yield
        finally:
            engine.dispose()

    # No /docs, /redoc or /openapi.json: every route but /health and /auth/login requires a token.
    app = FastAPI(title="consultant-central", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.engine = engine
    app.state.signing_key = signing_key(settings.data_dir)
    install_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    app.include_router(auth.public)
    app.include_router(verify.router)  # anyone holding a certificate may check it
    # Everything else behind the token check, router by router, so no route can be added without it.
    protected = [Depends(current_user)]
    for router in (auth.router, records.router, reports.router, sync.router, attachments.router,
                   certificates.router):
        app.include_router(router, dependencies=protected)
    return app


def app_from_env() -> FastAPI:
    """The app with settings from the environment: uvicorn's factory for several workers."""
    return create_app(Settings.from_env())
