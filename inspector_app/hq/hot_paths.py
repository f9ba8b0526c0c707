"""A sync's requests answered without FastAPI's routing and dependency resolution when they
are well-formed: GET /pull, HEAD and PATCH /blobs/{sha256}, PUT /visits/{id}.

For those, FastAPI's route matching, dependency solving and parameter validation cost about
as much CPU as the handler's own work on a pull or a HEAD (bench/sync_devices.py: 0.55 ->
0.4 ms of server CPU a request). This ASGI layer calls the same handler functions itself, but
only when the request is exactly what the protocol's client sends: one bearer token; for a
pull nothing but `cursor` and `limit`, each at most once, as plain decimal numbers within
bounds; for a chunk Upload-Offset and Upload-Length as plain decimal numbers; for a push a
JSON body that is a valid VisitPush. Anything else (a missing token, a malformed parameter or
body, another method or path) goes to the FastAPI app unchanged (a push's body is handed on
as it was read), so every refusal is answered by FastAPI as before; errors the handlers raise
(401, 403, 409, ...) are answered as errors.py does. tests/hq/test_hq_hot_paths.py holds the
two ways to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspector_app.hq import blob_api, push_plain
from inspector_app.hq import pull as pulling
from inspector_app.hq.context import Hq
from inspector_app.hq.errors import ApiError, error_response
from inspector_app.wire import API, VisitPush

PULL_PATH = f"{API}/pull"
BLOB_PATH = re.compile(rf"^{re.escape(API)}/blobs/([0-9a-f]{{64}})$")
VISIT_PATH = re.compile(rf"^{re.escape(API)}/visits/([^/]+)$")
MAX_LIMIT = 5000  # as api.Limit
MAX_DIGITS = 18  # a cursor or limit longer than this goes to FastAPI (int64 bounds)


def _header(scope: Scope, name: bytes) -> str | None:
    """The value of a header sent exactly once; None if absent or repeated."""
    found = [v for k, v in scope["headers"] if k == name]
    return found[0].decode("latin-1") if len(found) == 1 else None


def _bearer(scope: Scope) -> str | None:
    """The bearer token, as auth._bearer reads it; None if there is none (or more than one
    Authorization header)."""
    scheme, _, token = (_header(scope, b"authorization") or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _number(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS \
        else None


def _pull_params(query: bytes) -> tuple[int, int | None] | None:
    """(cursor, limit) if the query string is plainly `cursor=N[&limit=M]` in any order."""
    cursor, limit = 0, None
    seen: set[str] = set()
    for part in query.decode("latin-1").split("&") if query else ():
        name, eq, value = part.partition("=")
        if not eq or name in seen or name not in ("cursor", "limit"):
            return None
        seen.add(name)
        number = _number(value)
        if number is None:
            return None
        if name == "cursor":
            cursor = number
        elif 1 <= number <= MAX_LIMIT:
            limit = number
        else:
            return None
    return cursor, limit


class HotPaths:
    """ASGI middleware: see the module's docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            # Read on every request, as the handlers' Hq dependency does (a test server
            # swaps its storage between examples).
            hq: Hq = scope["app"].state.hq
            if scope["method"] == "PUT":
                await self._put(hq, scope, receive, send)
                return
            answer = self._route(hq, scope, receive)
            if answer is not None:
                try:
                    response = await answer()
                except ApiError as e:
                    response = error_response(e)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _route(self, hq: Hq, scope: Scope, receive: Receive
               ) -> Callable[[], Awaitable[Response]] | None:
        method, path = scope["method"], scope["path"]
        if method == "GET" and path == PULL_PATH:
            params = _pull_params(scope["query_string"])
            token = _bearer(scope)
            if params is None or token is None:
                return None
            return lambda: _pull(hq, token, *params)
        if method == "HEAD" and (match := BLOB_PATH.match(path)) is not None \
                and not scope["query_string"]:
            token = _bearer(scope)
            if token is None:
                return None
            return lambda: run_in_threadpool(blob_api.blob_offset, match[1], hq, token)
        if method == "PATCH" and (match := BLOB_PATH.match(path)) is not None \
                and not scope["query_string"]:
            token = _bearer(scope)
            offset = _number(_header(scope, b"upload-offset") or "")
            length = _number(_header(scope, b"upload-length") or "")
            if token is None or offset is None or length is None:
                return None
            request = Request(scope, receive)
            return lambda: blob_api.blob_append(match[1], request, hq, token, offset, length)
        return None

    async def _put(self, hq: Hq, scope: Scope, receive: Receive, send: Send) -> None:
        """A push: its body is read here; if it is not a valid VisitPush sent as JSON with a
        token, FastAPI gets the request with the body as read."""
        match = VISIT_PATH.match(scope["path"])
        token = _bearer(scope)
        if match is None or token is None or scope["query_string"] \
                or _header(scope, b"content-type") != "application/json":
            await self.app(scope, receive, send)
            return
        body, messages = await _read_body(receive)
        try:
            push = VisitPush.model_validate_json(body)
        except ValidationError:
            await self.app(scope, _replay(messages, receive), send)
            return
        try:
            status, result = await run_in_threadpool(push_plain.push, hq, token, match[1],
                                                     push)
            response: Response = Response(result.model_dump_json(), status_code=status,
                                          media_type="application/json")
        except ApiError as e:
            response = error_response(e)
        await response(scope, receive, send)



async def _pull(hq: Hq, token: str, cursor: int, limit: int | None) -> Response:
    page = await run_in_threadpool(pulling.pull, hq, token, cursor, limit)
    return Response(page.model_dump_json(), media_type="application/json")


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    """The whole body, and the messages it came in (to hand on unread)."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    return b"".join(m.get("body", b"") for m in messages), messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives the messages already read first, then the connection's."""
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay
