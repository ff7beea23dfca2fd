"""Request bodies larger than the setting are refused with 413 before they are read into memory."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central_server.errors import ApiError


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "body_too_large", f"요청 본문이 너무 큽니다 (최대 {limit:,}바이트).",
                    f"The request body is too large (at most {limit:,} bytes).", limit=limit)


class BodyLimit:
    """ASGI middleware: 413 for a declared Content-Length over the limit, or as soon as a streamed body passes it."""

    def __init__(self, app: ASGIApp, *, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the route's body read, so FastAPI answers it like any HTTP error.
                    raise _too_large(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, send: Send) -> None:
        error = _too_large(self.max_bytes)
        body = json.dumps({"detail": error.detail}, ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
