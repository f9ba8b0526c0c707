"""A JSON request body over headquarters' size limit is refused before it is read whole.

Visits, reviews and follow-ups come as JSON (PUT and POST); blobs have their own limit and
come in chunks (PATCH, blob_api.py), so PATCH is left alone. A body that declares a length
over the limit is answered 413 at once, nothing of it read; one without a declared length
(chunked) is read up to the limit and answered 413 as soon as it goes past it. Either way the
parser never sees it, so memory stays bounded by the limit, not by what a client sends.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspector_app.hq.context import Hq
from inspector_app.hq.errors import ApiError, error_response

LIMITED_METHODS = frozenset({"PUT", "POST"})


def too_large(limit: int) -> ApiError:
    mb = limit / (1024 * 1024)
    return ApiError(413, "too_large",
                    f"内容过大（上限 {mb:g} MB），未被接受 / the request is too large (the "
                    f"limit is {mb:g} MB); nothing was stored", {"limit_bytes": limit})


class BodyLimit:
    """ASGI middleware: PUT and POST bodies of at most HqSettings.max_document_bytes (of the
    app's Hq, read per request, so the app can be made before it has one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in LIMITED_METHODS:
            await self.app(scope, receive, send)
            return
        hq: Hq = scope["app"].state.hq
        limit = hq.settings.max_document_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(limit, scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away: let the app see it as it would have.
                await self.app(scope, _replay([message]), send)
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await _refuse(limit, scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], then=receive), send)


async def _refuse(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    response = error_response(too_large(limit))
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    pending = list(messages)

    async def receive() -> Any:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
