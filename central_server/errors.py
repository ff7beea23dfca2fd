"""Errors the API answers with: a code and the message in Korean and English, the same shape for every status."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(HTTPException):
    """An HTTP error whose body is ``{"detail": {"code", "ko", "en", ...}}``."""

    def __init__(self, status_code: int, code: str, ko: str, en: str, *, headers: dict[str, str] | None = None,
                 **extra: Any):
        super().__init__(status_code, detail={"code": code, "ko": ko, "en": en, **extra}, headers=headers)


def not_found() -> ApiError:
    """The one 404 for a record that is not there and for one outside the caller's scope: the same body."""
    return ApiError(404, "not_found", "찾는 자료가 없거나 볼 수 있는 범위 밖입니다.",
                    "The record does not exist or is outside what you may see.")


# Starlette's own errors (unknown path, wrong method, ...) in the same shape.
_STATUS_TEXT = {
    404: ("not_found", "그런 경로가 없습니다.", "There is no such path."),
    405: ("method_not_allowed", "이 경로는 그 요청 방식을 받지 않습니다.", "This path does not accept that method."),
}


def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail
    if not isinstance(detail, dict):
        code, ko, en = _STATUS_TEXT.get(exc.status_code, ("http_error", str(detail), str(detail)))
        detail = {"code": code, "ko": ko, "en": en}
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    # The submitted values are left out: a login's password would be echoed back (and logged by proxies).
    errors = [{key: value for key, value in error.items() if key in ("type", "loc", "msg")} for error in exc.errors()]
    if any(error.get("type") == "json_invalid" for error in errors):
        detail = {"code": "malformed_json", "ko": "요청 본문이 올바른 JSON이 아닙니다.",
                  "en": "The request body is not valid JSON.", "errors": errors}
        return JSONResponse({"detail": jsonable_encoder(detail)}, status_code=400)
    fields = ", ".join(".".join(str(part) for part in error.get("loc", ())) for error in errors)
    detail = {"code": "invalid_request", "ko": f"요청 값이 올바르지 않습니다: {fields}",
              "en": f"The request has invalid values: {fields}", "errors": errors}
    return JSONResponse({"detail": jsonable_encoder(detail)}, status_code=422)


def _unstorable_value(_request: Request, _exc: DataError) -> JSONResponse:
    # PostgreSQL refuses some values SQLite takes (a NUL character in text, a number past BIGINT): the request is
    # wrong, not the server, and its transaction is already rolled back.
    detail = {"code": "bad_value", "ko": "저장할 수 없는 값이 있습니다 (NUL 문자나 범위를 넘는 숫자 등).",
              "en": "The request holds a value that cannot be stored (a NUL character, a number out of range, …)."}
    return JSONResponse({"detail": detail}, status_code=422)


def install_handlers(app: FastAPI) -> None:
    """Every error answered in the ``{"detail": {"code", "ko", "en"}}`` shape."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DataError, _unstorable_value)
