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

from inspector_app import wire
from inspector_app.sync.online_reader import OnlineReader

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


class AuditReader(OnlineReader):
    """GET /audit as this laptop's registered device."""

    def page(self, query: AuditQuery, cursor: int | None = None, limit: int = 50
             ) -> wire.AuditPage:
        """One page, newest first; the next with cursor=page.next_cursor."""
        params: dict[str, Any] = {**query.params(), "limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        return self.get("/audit", params, wire.AuditPage)

    def every_entry(self, query: AuditQuery) -> Iterator[wire.AuditEntryRecord]:
        """Every entry matching query, newest first, a large page at a time."""
        cursor: int | None = None
        while True:
            page = self.page(query, cursor, EXPORT_PAGE)
            yield from page.entries
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

