"""What the sync client makes of a server's refusal or silence (shared by its parts)."""

from __future__ import annotations

import httpx
from pydantic import ValidationError

from inspector_app.sync import wire


class Unreachable(Exception):
    """Transport errors on every try: stop talking to the server for this run."""


class ServerError(Exception):
    """5xx on every try: this item failed, the next one may still go."""


def error_body(r: httpx.Response) -> wire.ErrorBody | None:
    try:
        return wire.ErrorBody.model_validate_json(r.content)
    except ValidationError:
        return None


def error_code(r: httpx.Response) -> str:
    body = error_body(r)
    return "" if body is None else body.code


def server_message(r: httpx.Response) -> str:
    """The server's message for the officer, or the bare status if it sent none."""
    body = error_body(r)
    if body is not None:
        return body.message
    return f"服务器返回 HTTP {r.status_code} / the server answered HTTP {r.status_code}"
