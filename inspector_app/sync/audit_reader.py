"""An administrator's laptop reads headquarters' audit trail (GET /api/v1/audit), online.

Nothing of it is kept on the laptop: the trail is headquarters' and an administrator reads
it as it is now. The laptop's registration (its server and device token, from the first sync)
says where to ask and as whom. Every failure is a SyncError whose text says what to do:
headquarters unreachable (ServerUnreachable, with why), the laptop not registered, the device
revoked, the user not an administrator, a filter headquarters does not know.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import httpx

from inspector_app import wire
from inspector_app.common.text import Text
from inspector_app.store.local import LocalStore
from inspector_app.store.models import SyncState
from inspector_app.sync.client import NOT_REGISTERED, UNREACHABLE, ServerUnreachable, SyncError
from inspector_app.sync.unreachable import CONNECT_TIMEOUT, why_unreachable

EXPORT_PAGE = 1000  # entries a request while exporting (the server's largest page)


@dataclass(frozen=True)
class AuditQuery:
    """The filters, as GET /audit takes them; None: no filter on that."""

    user: str | None = None
    borrower: str | None = None
    visit: str | None = None
    action: str | None = None
    since: datetime | None = None  # aware; inclusive
    until: datetime | None = None  # aware; exclusive

    def params(self) -> dict[str, str]:
        return {k: v.isoformat() if isinstance(v, datetime) else v
                for k, v in asdict(self).items() if v not in (None, "")}


class AuditReader:
    """GET /audit as this laptop's registered device."""

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

    def __enter__(self) -> AuditReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def page(self, query: AuditQuery, cursor: int | None = None, limit: int = 50
             ) -> wire.AuditPage:
        """One page, newest first; the next with cursor=page.next_cursor."""
        params: dict[str, Any] = {**query.params(), "limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        try:
            r = self._http.get(f"{wire.API}/audit", params=params,
                               headers={"Authorization": f"Bearer {self._token}"})
        except httpx.TransportError as exc:
            host = httpx.URL(self._base).netloc.decode("ascii", "replace")
            raise ServerUnreachable(UNREACHABLE + why_unreachable(exc, host, self._timeout)
                                    ) from None
        if r.status_code != 200:
            raise SyncError(_refusal(r))
        return wire.AuditPage.model_validate_json(r.content)

    def every_entry(self, query: AuditQuery) -> Iterator[wire.AuditEntryRecord]:
        """Every entry matching query, newest first, a large page at a time."""
        cursor: int | None = None
        while True:
            page = self.page(query, cursor, EXPORT_PAGE)
            yield from page.entries
            if page.next_cursor is None:
                return
            cursor = page.next_cursor


def _refusal(r: httpx.Response) -> Text:
    try:
        body = wire.ErrorBody.model_validate_json(r.content)
    except ValueError:
        return Text(f"总行服务器返回错误 {r.status_code}",
                    f"headquarters answered with error {r.status_code}")
    return Text.parse(body.message)
