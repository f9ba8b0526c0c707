"""Where the dashboard's figures come from: the supervisor's team on this laptop (offline, as
of the last sync), or headquarters' whole bank for an administrator (online, through
sync.dashboard_reader). The charts (team_view) and the lists behind a bar (drill_dialog) ask
a DashboardSource, always from a worker thread."""

from __future__ import annotations

from datetime import date
from typing import Protocol

import httpx

from inspector_app.store.facade import Drill, DrillPage, LocalStore, Scope, TeamDashboard
from inspector_app.sync.dashboard_reader import PAGE, DashboardReader


class DashboardSource(Protocol):
    online: bool  # True: the figures are asked of headquarters (each time)

    def figures(self, today: date, start: date, end: date, scope: Scope) -> TeamDashboard:
        """Every figure as of today over [start, end]."""
        ...

    def page(self, drill: Drill, offset: int) -> DrillPage:
        """Rows behind a bar from offset (all of them, or a page)."""
        ...


class LaptopDashboard:
    """The supervisor's team, from this laptop's data (its scope is the team, always)."""

    online = False

    def __init__(self, store: LocalStore) -> None:
        self._store = store

    def figures(self, today: date, start: date, end: date, scope: Scope) -> TeamDashboard:
        return self._store.team_dashboard(today, start, end)

    def page(self, drill: Drill, offset: int) -> DrillPage:
        rows = self._store.drill(drill)
        return DrillPage(rows[offset:], len(rows), offset)


class HeadquartersDashboard:
    """The whole bank (or a branch, a team), asked of headquarters as this laptop's device."""

    online = True

    def __init__(self, store: LocalStore, transport: httpx.BaseTransport | None = None,
                 page_size: int = PAGE) -> None:
        self._store, self._transport, self._page_size = store, transport, page_size

    def figures(self, today: date, start: date, end: date, scope: Scope) -> TeamDashboard:
        with DashboardReader(self._store, transport=self._transport) as reader:
            return reader.figures(today, start, end, scope)

    def page(self, drill: Drill, offset: int) -> DrillPage:
        with DashboardReader(self._store, transport=self._transport) as reader:
            return reader.page(drill, offset, self._page_size)
