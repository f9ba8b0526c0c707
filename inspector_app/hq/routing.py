"""The routes of the JSON endpoints: a body with a NUL character in any string is refused.

PostgreSQL's text cannot hold NUL (U+0000): such a string reached a query or an insert and the
request ended in a 500 (a visit pushed with borrower_id "\\u0000", a follow-up with that id, a
username...). No field of the protocol has a use for it, so any JSON body carrying one is
answered like any other malformed request: 422 "invalid_request", detail.errors naming where.
The raw body is searched first, so a body without the escape costs a bytes search or two.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

NUL_MESSAGE = "NUL characters (\\u0000) are not allowed"


def nul_at(data: Any, where: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where in parsed JSON a string (value or key) holds a NUL, or None."""
    if isinstance(data, str):
        return where if "\x00" in data else None
    if isinstance(data, dict):
        for key, value in data.items():
            if "\x00" in key:
                return (*where, key)
            if (found := nul_at(value, (*where, key))) is not None:
                return found
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if (found := nul_at(value, (*where, i))) is not None:
                return found
    return None


class _NulInBody(HTTPException):
    """Raised from inside FastAPI's body reading (which turns anything but an HTTPException
    into a 400), and turned into the 422 by HqRoute."""

    def __init__(self, where: tuple[str | int, ...]) -> None:
        super().__init__(422)
        self.where = where


class _NulCheckingRequest(Request):
    async def json(self) -> Any:
        data = await super().json()
        body = await self.body()
        # The escape, or a UTF-16/32 body (json.loads takes those too: NUL bytes throughout).
        if (b"\\u0000" in body or b"\x00" in body) and (where := nul_at(data)) is not None:
            raise _NulInBody(where)
        return data


class HqRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            try:
                return await handler(_NulCheckingRequest(request.scope, request.receive))
            except _NulInBody as e:
                raise RequestValidationError([{
                    "type": "string_nul", "loc": ("body", *e.where), "msg": NUL_MESSAGE,
                    "input": None}]) from None

        return checked
