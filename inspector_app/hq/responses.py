"""What the endpoints answer besides their success, as the OpenAPI document declares it.

Every error is an ErrorBody {code, message, detail} (errors.py), FastAPI's own ones included:
a request its validation refuses is 422 "invalid_request" with detail.errors (InvalidRequestBody),
a body it cannot even read (not UTF-8 JSON) is 400 "invalid_request" with detail.problem; a
JSON body over the size limit is 413 "too_large". Every
route declares its 422 itself, so FastAPI's default HTTPValidationError (a body the server never
sends) is not in the document. tests/hq/test_schemathesis.py checks the document against what
the server answers.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

from inspector_app.hq.errors import InvalidRequestBody
from inspector_app.wire import ErrorBody

Responses = dict[int | str, dict[str, Any]]

# A record's id in a path: the laptop's UUID. NUL never (PostgreSQL text cannot hold it) and no
# longer than the id columns, so a bad one is 422 before any query.
RecordId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[^\x00]+$",
                               description="the record's id (the laptop's UUID)")]

INVALID_REQUEST = ("invalid_request: FastAPI's validation refused the path, query, headers or "
                   "body (detail.errors lists each {loc, msg})")


def error(description: str, **headers: str) -> dict[str, Any]:
    """A status answered with an ErrorBody (and these response headers, name: description)."""
    return with_headers({"model": ErrorBody, "description": description}, **headers)


def with_headers(response: dict[str, Any], **headers: str) -> dict[str, Any]:
    """The response declared with these headers (name, its "_" for "-": description), which
    the server always sends with it; each carries an integer, except WWW-Authenticate."""
    if not headers:
        return response
    declared = {name.replace("_", "-"): {
        "description": text, "required": True,
        "schema": {"type": "string" if name == "WWW_Authenticate" else "integer"}}
        for name, text in headers.items()}
    return {**response, "headers": declared}


# The resumable upload's headers (wire.py), as the blob endpoints answer them.
OFFSET = "how many bytes of the blob the server holds for the caller"
LENGTH = "the blob's size"
RETRY_AFTER = "seconds until a sign-in from this username or address is counted again"


def invalid(description: str = "", model: Any = ErrorBody) -> dict[str, Any]:
    """422: FastAPI's invalid_request, and the route's own 422s (`description`) with `model`."""
    return {"model": InvalidRequestBody | model,
            "description": INVALID_REQUEST + (f"; {description}" if description else "")}


# What every route taking a JSON body (PUT, POST) may answer before its handler runs.
JSON_BODY: Responses = {
    400: error("invalid_request: the body is not UTF-8 JSON (detail.problem says why)"),
    413: error("too_large: the body is over the server's size limit (detail.limit_bytes)"),
}

AUTH: Responses = {
    401: error("unauthorized: no or unknown device token",
               WWW_Authenticate="Bearer: the scheme the token is sent with"),
    403: error("device_revoked or user_inactive; forbidden"),
}
