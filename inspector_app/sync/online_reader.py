"""What an administrator's online windows share: GET requests to headquarters as this
laptop's registered device (its server and token, from the first sync), and every failure a
SyncError whose text says what to do: headquarters unreachable (ServerUnreachable, with why),
the laptop not registered, the device revoked, headquarters' own refusal (not an
administrator, a filter it does not know). Used by sync.audit_reader and
sync.dashboard_reader; nothing read is kept on the laptop."""

from __future__ import annotations

from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel

from inspector_app import wire
from inspector_app.common.text import Text
from inspector_app.store.local import LocalStore
from inspector_app.store.models import SyncState
from inspector_app.sync.client import NOT_REGISTERED, UNREACHABLE, ServerUnreachable, SyncError
from inspector_app.sync.unreachable import CONNECT_TIMEOUT, why_unreachable

Model = TypeVar("Model", bound=BaseModel)


class OnlineReader:
    """GET requests to headquarters as this laptop's registered device."""

    def __init__(self, store: LocalStore, *, transport: httpx.BaseTransport | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT) -> None:
        with store.read() as s:
            state = s.get(SyncState, 1)
        if state is None:
            raise SyncError(NOT_REGISTERED)
        if state.revoked:
            raise SyncError(Text("此设备已被总行停用", "this device has been revoked by "
                                 "headquarters"))
        self._token = state.token
        self._base = state.server_url.rstrip("/")
        self._timeout = connect_timeout
        self._http = httpx.Client(base_url=self._base, transport=transport,
                                  timeout=httpx.Timeout(60.0, connect=connect_timeout))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def get(self, path: str, params: dict[str, Any], model: type[Model]) -> Model:
        """GET {API}{path} with params, its answer as model; SyncError if not 200."""
        try:
            r = self._http.get(f"{wire.API}{path}", params=params,
                               headers={"Authorization": f"Bearer {self._token}"})
        except httpx.TransportError as exc:
            host = httpx.URL(self._base).netloc.decode("ascii", "replace")
            raise ServerUnreachable(UNREACHABLE + why_unreachable(exc, host, self._timeout)
                                    ) from None
        if r.status_code != 200:
            raise SyncError(refusal(r))
        return model.model_validate_json(r.content)


def refusal(r: httpx.Response) -> Text:
    """Headquarters' reason (its bilingual message), or the status it answered with."""
    try:
        body = wire.ErrorBody.model_validate_json(r.content)
    except ValueError:
        return Text(f"总行服务器返回错误 {r.status_code}",
                    f"headquarters answered with error {r.status_code}")
    return Text.parse(body.message)
