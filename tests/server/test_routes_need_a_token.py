"""Every route of the app, found in ``app.routes`` so none added later escapes, refuses requests without a token."""

from __future__ import annotations

import re
import uuid

from fastapi.routing import APIRoute

from central_server.app import create_app

# The only routes anyone may call: health, login, and what a certificate's holder checks it with.
PUBLIC = {("GET", "/health"), ("POST", "/auth/login"), ("GET", "/verify/{code}"), ("GET", "/public-key.pem")}


def app_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every API route of the app, included routers' routes with their prefixes."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.12x kept app.routes flat: included routes are APIRoutes there
        return [(method, route.path) for route in app.routes if isinstance(route, APIRoute)
                for method in sorted(route.methods)]
    # Newer FastAPI keeps each included router as one entry of app.routes; this walks into them.
    return [(method, context.path) for context in iter_route_contexts(app.routes)
            if isinstance(context.original_route, APIRoute) for method in sorted(context.methods)]


def _routes(settings) -> list[tuple[str, str]]:
    app = create_app(settings)
    found = app_routes(app)
    app.state.engine.dispose()
    return found


def test_the_app_has_the_routes_this_test_expects(settings):
    routes = set(_routes(settings))
    assert PUBLIC <= routes
    assert {("GET", "/companies"), ("GET", "/companies/{company_id}"), ("GET", "/engagements/{engagement_id}"),
            ("GET", "/report/programme"), ("GET", "/auth/me"), ("POST", "/auth/logout"), ("POST", "/sync/push"),
            ("GET", "/sync/pull"), ("PUT", "/attachments/{sha256}"), ("GET", "/attachments/{sha256}"),
            ("GET", "/attachments/{sha256}/upload"), ("POST", "/certificates/issue"), ("POST", "/certificates/correct"),
            ("GET", "/certificates/{certificate_id}")} <= routes
    assert not any(path.startswith(("/docs", "/redoc", "/openapi")) for _, path in routes)


def test_every_route_but_the_public_ones_answers_401_without_a_token(live):
    live.add_user("kim")
    protected = [(method, path) for method, path in _routes(live.settings) if (method, path) not in PUBLIC]
    assert protected
    with live.client() as client:
        for method, template in protected:
            path = re.sub(r"\{[^}]+\}", lambda _m: str(uuid.uuid4()), template)
            for headers in ({}, {"Authorization": "Bearer " + "x" * 43}):
                response = client.request(method, path, headers=headers, json={})
                assert response.status_code == 401, (method, path, headers, response.text)
                detail = response.json()["detail"]
                assert detail["code"] in ("token_missing", "token_invalid") and detail["ko"] and detail["en"]
                assert response.headers["WWW-Authenticate"] == "Bearer"


def test_the_docs_pages_are_not_served(live):
    with live.client() as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert client.get(path).status_code == 404


def test_health_answers_without_a_token(live):
    with live.client() as client:
        response = client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"
