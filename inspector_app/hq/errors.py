"""Errors as the wire promises them: always an ErrorBody with a bilingual message.

FastAPI's own errors ({"detail": ...}) are turned into ErrorBody too, so the app can show
whatever the server says without knowing where it came from.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from inspector_app.common.passwords import LOGIN_FAILED
from inspector_app.wire import ErrorBody

UNAUTHORIZED = ("设备未登记或令牌无效，请联网重新登录 / this device is not registered or its "
                "token is invalid; sign in again online")
DEVICE_REVOKED = "此设备已被总行停用 / this device has been revoked by headquarters"
USER_INACTIVE = "此用户已被停用 / this user account has been deactivated"
FORBIDDEN = "无权执行此操作 / you are not allowed to do this"
NOT_FOUND = "未找到 / not found"
INVALID_REQUEST = "请求格式错误 / the request is not valid"
METHOD_NOT_ALLOWED = "不支持此请求方法 / method not allowed"


class FieldError(BaseModel):
    """One thing FastAPI's validation found wrong: where (e.g. ["body", "visit", "id"] or
    ["query", "cursor"]) and what."""

    loc: list[str]
    msg: str


class InvalidRequestDetail(BaseModel):
    errors: list[FieldError]


class InvalidRequestBody(BaseModel):
    """The ErrorBody of a request FastAPI's validation refused (422 "invalid_request"): a
    malformed body, path, query or header; the OpenAPI document names it for every 422."""

    code: Literal["invalid_request"] = "invalid_request"
    message: str
    detail: InvalidRequestDetail


class ApiError(Exception):
    """An error answered with `status` and an ErrorBody."""

    def __init__(self, status: int, code: str, message: str, detail: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = ErrorBody(code=code, message=message, detail=detail or {})
        self.headers = headers or {}


def login_failed() -> ApiError:
    # One message for every failure, so a wrong guess does not tell which part was wrong.
    return ApiError(401, "login_failed", LOGIN_FAILED)


def forbidden(message: str = FORBIDDEN) -> ApiError:
    return ApiError(403, "forbidden", message)


def not_found(message: str = NOT_FOUND) -> ApiError:
    return ApiError(404, "not_found", message)


def _response(status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def error_response(exc: ApiError) -> JSONResponse:
    """How an ApiError is answered."""
    return _response(exc.status, exc.body, exc.headers)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [FieldError(loc=[str(p) for p in e.get("loc", ())], msg=str(e.get("msg", "")))
                  for e in exc.errors()]
        body = InvalidRequestBody(message=INVALID_REQUEST,
                                  detail=InvalidRequestDetail(errors=errors))
        return JSONResponse(body.model_dump(mode="json"), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # 400: FastAPI could not read the body (bytes that are not UTF-8 JSON); the reason
        # in English goes into detail, the message is the app's own.
        code = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error")
        message = {400: INVALID_REQUEST, 404: NOT_FOUND, 405: METHOD_NOT_ALLOWED}.get(
            exc.status_code, f"{exc.detail}")
        detail = {"problem": f"{exc.detail}"} if exc.status_code == 400 else {}
        return _response(exc.status_code, ErrorBody(code=code, message=message, detail=detail),
                         getattr(exc, "headers", None))
