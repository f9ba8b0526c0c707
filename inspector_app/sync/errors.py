"""What the sync client makes of a server's refusal or silence (shared by its parts)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
from pydantic import ValidationError

from inspector_app import wire
from inspector_app.common.text import Text


class Unreachable(Exception):
    """Transport errors on every try: stop talking to the server for this run. ``.why`` says
    what went wrong (sync.unreachable.why_unreachable)."""

    def __init__(self, why: Text) -> None:
        super().__init__(why)
        self.why = why


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
    """The server's message for the officer, or the bare status if it sent none; a 429 is
    said here, with the time on this laptop's clock when trying again makes sense."""
    if r.status_code == 429:
        return too_many_requests_message(r)
    body = error_body(r)
    if body is not None:
        return body.message
    code = r.status_code
    if code == 404:  # no error body and no such route: something else answers there
        return str(Text("该地址上的不是总行同步服务器（HTTP 404），请核对地址",
                        "this address does not answer as the headquarters sync server "
                        "(HTTP 404): check the address"))
    # Ending in a CJK character keeps "中文 / English" splittable (Text.parse).
    return str(Text(f"服务器返回 HTTP {code} 错误", f"the server answered HTTP {code}"))


# Each followed by when to try again, if the server said.
TOO_MANY_SIGN_INS = Text("登录失败次数过多，总行暂时不接受该用户或本网络的登录",
                         "too many failed sign-ins: headquarters is not accepting sign-ins for "
                         "this user or from this network for now")
TOO_MANY_REQUESTS = Text("服务器请求过多，暂时拒绝", "the server is refusing requests for now")


def retry_after(r: httpx.Response, now: datetime | None = None) -> timedelta | None:
    """How long the server asks us to wait (Retry-After: seconds or an HTTP date)."""
    value = r.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - (now or datetime.now(UTC)), timedelta(0))


def too_many_requests_message(r: httpx.Response, now: datetime | None = None) -> str:
    """429 in plain words: a sign-in refused for a while (or the server's own refusal), and
    when to try again by this laptop's clock."""
    wait = retry_after(r, now)
    when = Text("", "")
    if wait is not None:
        local = (now or datetime.now(UTC)).astimezone() + wait
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        clock = local.strftime("%H:%M")
        when = Text(f"，请在 {clock} 后（约 {minutes} 分钟）再试",
                    f"; try again after {clock} (in about {minutes} minute{'s' * (minutes > 1)})")
    refused = TOO_MANY_SIGN_INS if error_code(r) == "too_many_attempts" else TOO_MANY_REQUESTS
    return str(refused + when)
