"""``POST /auth/login``, ``POST /auth/logout`` and ``GET /auth/me``."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from central_server.auth import CurrentUser, login, revoke_token
from central_server.db import write_transaction
from central_server.passwords import MAX_PASSWORD_LENGTH
from central_server.users import User

public = APIRouter(prefix="/auth")
router = APIRouter(prefix="/auth")


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class UserPublic(BaseModel):
    username: str
    display_name: str | None
    role: str

    @classmethod
    def of(cls, user: User) -> UserPublic:
        return cls(username=user.username, display_name=user.display_name, role=user.role)


class LoginResponse(BaseModel):
    token: str
    expires_at: datetime
    user: UserPublic
    server_id: str  # the server's identity, whatever address it was reached at


class Me(UserPublic):
    server_id: str


def client_address(request: Request) -> str:
    """The client's address (behind a trusted proxy, uvicorn has already put X-Forwarded-For's here)."""
    return request.client.host if request.client else "unknown"


@public.post("/login")
def post_login(body: LoginRequest, request: Request) -> LoginResponse:
    """A bearer token for the user name and password, or 401 / 429."""
    done = login(request.app.state.engine, request.app.state.settings, username=body.username,
                 password=body.password, address=client_address(request))
    return LoginResponse(token=done.token, expires_at=done.expires_at, user=UserPublic.of(done.user),
                         server_id=request.app.state.server_id)


@router.post("/logout", status_code=204)
def post_logout(user: CurrentUser, request: Request) -> Response:
    """Revoke the token this request came with."""
    with write_transaction(request.app.state.engine) as connection:
        revoke_token(connection, request.state.token_id)
    return Response(status_code=204)


@router.get("/me")
def get_me(user: CurrentUser, request: Request) -> Me:
    """Who the token belongs to, and which server this is."""
    return Me(**UserPublic.of(user).model_dump(), server_id=request.app.state.server_id)
