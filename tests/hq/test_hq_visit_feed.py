"""The team's visit feed (GET /visits): each visit at most once a sync, in its latest state,
never a draft, while officers keep pushing during the supervisor's sync.

Issue #11 saw 182 repeats for 610 visits: the feed listed change-log rows, so a visit pushed
again while the supervisor's laptop paged came again on a later page. Now the first page fixes
`until` (the log's top) and a page holds only visits whose latest row is in (cursor, until]:
a visit changed mid-sync waits for the next sync, in its new state.

World (hq_helpers.build_world): team 1 = sup1 with off_a (C001) and off_c (C002).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from hq_helpers import World, register, visit_push
from sqlalchemy import func, select

from inspector_app.hq.context import Hq
from inspector_app.hq.models import ChangeLogEntry, Visit
from inspector_app.hq.pull import FEED_STATUSES
from inspector_app.wire import API, VisitFeed

# Seven pages of signed visits, drafts and completed ones between them: a real paging for the
# officers to push into. (Each signed visit needs its own certified report, a quarter second
# each, so no more than that.)
PAGE = 10
SIGNED, DRAFTS, COMPLETED = 70, 8, 8


@dataclass
class Officers:
    """The team's officers pushing visits, and what headquarters holds of each visit."""

    client: Any
    world: World
    headers: dict[str, dict[str, str]]
    sign: Any  # conftest's sign fixture: a signed visit carries its signed report
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> last body pushed
    versions: dict[str, int] = field(default_factory=dict)  # id -> server version
    order: list[str] = field(default_factory=list)  # ids in the order first pushed
    relanguaged: set[str] = field(default_factory=set)  # signed visits given a second report
    returned: set[str] = field(default_factory=set)  # returned by the supervisor
    supervisor: dict[str, str] = field(default_factory=dict)  # sup1's device

    def push(self, body: dict[str, Any]) -> str:
        visit_id = str(body["visit"]["id"])
        body["base_version"] = self.versions.get(visit_id, 0)
        officer = "off_a" if body["visit"]["officer_id"] == self.world.users["off_a"] else "off_c"
        self.sign(body, self.headers[officer])
        r = self.client.put(f"{API}/visits/{visit_id}", json=body, headers=self.headers[officer])
        assert r.status_code == 200 and r.json()["status"] == "stored", r.text
        if visit_id not in self.versions:
            self.order.append(visit_id)
        self.bodies[visit_id] = body
        self.versions[visit_id] = r.json()["server_version"]
        return visit_id

    def new(self, n: int, status: str) -> str:
        officer, borrower = (("off_a", "C001"), ("off_c", "C002"))[n % 2]
        return self.push(visit_push(self.world.users[officer], self.world.borrowers[borrower],
                                    status=status, note=f"第{n}次检查"))

    def status_of(self, visit_id: str) -> str:
        return str(self.bodies[visit_id]["visit"]["status"])

    def move_on(self, visit_id: str, status: str) -> None:
        """A draft pushed again in a later status (completed, or signed with its report)."""
        body = {**self.bodies[visit_id], "visit": {**self.bodies[visit_id]["visit"],
                                                   "status": status}}
        self.push(body)

    def add_report(self, visit_id: str) -> None:
        """A signed visit pushed again with its report in the other language besides: a new
        version (its status is headquarters' to set, its content fixed)."""
        old = self.bodies[visit_id]
        body = {**old, "visit": {**old["visit"], "reports": list(old["visit"]["reports"])}}
        officer = "off_a" if body["visit"]["officer_id"] == self.world.users["off_a"] else "off_c"
        self.sign(body, self.headers[officer], 1, again=True)
        self.push(body)
        self.relanguaged.add(visit_id)

    def edit_draft(self, visit_id: str, note: str) -> None:
        body = {**self.bodies[visit_id], "visit": {**self.bodies[visit_id]["visit"],
                                                   "general_note": note}}
        self.push(body)

    def revise(self, visit_id: str) -> str:
        """A visit returned by the supervisor (at headquarters: no new version of it),
        corrected as a new revision: a new visit id, signed again with its own report."""
        old = self.bodies[visit_id]["visit"]
        r = self.client.post(f"{API}/visits/{visit_id}/review", headers=self.supervisor,
                             json={"decision": "returned", "comment": "请补充"})
        assert r.status_code == 201, r.text
        self.returned.add(visit_id)
        officer = "off_a" if old["officer_id"] == self.world.users["off_a"] else "off_c"
        body = {"base_version": 0, "visit": {
            **old, "id": str(uuid.uuid4()), "revision": old["revision"] + 1,
            "previous_revision_id": visit_id, "status": "signed", "reports": []}}
        self.sign(body, self.headers[officer], 2)
        return self.push(body)


@dataclass
class Sync:
    pages: list[VisitFeed]
    cursor: int

    @property
    def seen(self) -> list[str]:
        return [v.visit.id for page in self.pages for v in page.visits]

    @property
    def repeats(self) -> int:
        return sum(n - 1 for n in Counter(self.seen).values())

    def statuses(self) -> set[str]:
        return {v.visit.status for page in self.pages for v in page.visits}

    def latest(self) -> dict[str, int]:
        """Each visit's server version as last received."""
        return {v.visit.id: v.server_version for page in self.pages for v in page.visits}


def sync(client: Any, headers: dict[str, str], cursor: int, *, send_until: bool = True,
         between_pages: Any = None) -> Sync:
    """The supervisor's laptop reading the feed while `more`; `between_pages(n, sync)` runs
    after each page (officers pushing meanwhile)."""
    pages: list[VisitFeed] = []
    until: int | None = None
    while True:
        params: dict[str, int] = {"cursor": cursor, "limit": PAGE}
        if send_until and until is not None:
            params["until"] = until
        r = client.get(f"{API}/visits", params=params, headers=headers)
        assert r.status_code == 200, r.text
        page = VisitFeed.model_validate(r.json())
        assert page.cursor >= cursor
        if until is None:
            until = page.until
        elif send_until:
            assert page.until == until  # every page of a sync says the same
        pages.append(page)
        cursor = page.cursor
        if not page.more:
            return Sync(pages, cursor)
        if between_pages is not None:
            between_pages(len(pages), Sync(pages, cursor))


def team_with_visits(client: Any, world: World, sign: Any) -> Officers:
    officers = Officers(client, world, {u: register(client, u) for u in ("off_a", "off_c")},
                        sign, supervisor=register(client, "sup1", device_name="复核用"))
    statuses = ["signed"] * SIGNED + ["draft"] * DRAFTS + ["completed"] * COMPLETED
    # Interleaved, so drafts sit between the signed visits in the log.
    for n, status in enumerate(statuses[i] for i in _spread(len(statuses))):
        officers.new(n, status)
    return officers


def _spread(n: int) -> list[int]:
    return sorted(range(n), key=lambda i: (i * 7919) % n)


def churn(officers: Officers) -> Any:
    """What the officers push after each of the supervisor's pages: a visit already received
    this sync and one not received yet pushed again with a second report (a signed visit's
    only change; its status is headquarters'), one returned by the supervisor and revised, a
    new draft, a draft edited, and every third page a draft completed and another signed."""
    counter = iter(range(10_000, 20_000))
    before_sync = len(officers.order)

    def between_pages(n: int, so_far: Sync) -> None:
        received = set(so_far.seen)
        # Of the visits there when the sync began (one pushed since waits for the next sync).
        signed = [v for v in officers.order[:before_sync] if officers.status_of(v) == "signed"
                  and v not in officers.relanguaged and v not in officers.returned]
        drafts = [v for v in officers.order if officers.status_of(v) == "draft"]
        done = [v for v in signed if v in received]
        waiting = [v for v in signed if v not in received]
        if done:
            officers.add_report(done[0])
        if waiting:
            officers.add_report(waiting[-1])
        if len(done) > 1:
            officers.revise(done[1])
        officers.new(next(counter), "draft")
        if drafts:
            officers.edit_draft(drafts[0], f"草稿改了第{n}次")
        if n % 3 == 0 and len(drafts) > 2:
            officers.move_on(drafts[1], "completed")
            officers.move_on(drafts[2], "signed")

    return between_pages


def assert_no_drafts(s: Sync) -> None:
    assert s.statuses() <= set(FEED_STATUSES), s.statuses()


def latest_seqs(hq: Hq) -> dict[str, int]:
    """Each visit's latest change-log row."""
    with hq.db.read() as session:
        return dict(session.execute(  # type: ignore[arg-type]
            select(ChangeLogEntry.entity_id, func.max(ChangeLogEntry.seq))
            .where(ChangeLogEntry.entity == "visit").group_by(ChangeLogEntry.entity_id)).all())


def stored_versions(hq: Hq) -> dict[str, tuple[str, int]]:
    with hq.db.read() as session:
        return {v.id: (v.status, v.version) for v in session.scalars(select(Visit))}


def test_each_visit_comes_once_a_sync_in_its_latest_state_and_never_a_draft(
        client: Any, hq: Hq, world: World, sign: Any) -> None:
    officers = team_with_visits(client, world, sign)
    sup1 = register(client, "sup1")

    first = sync(client, sup1, 0, between_pages=churn(officers))
    print(f"\nfeed with until: {len(first.seen)} visits over {len(first.pages)} pages, "
          f"{first.repeats} repeats, while officers pushed; {len(stored_versions(hq))} "
          "visits stored")
    assert first.repeats == 0, Counter(first.seen).most_common(5)
    assert_no_drafts(first)
    assert len(first.pages) > 5  # the officers pushed during a real paging
    until = first.pages[0].until
    assert first.cursor == until
    # Every visit signed or later whose latest push is in the sync (up to until) came; any
    # other that came was pushed again after it came (and comes again next sync).
    stored = stored_versions(hq)
    latest = latest_seqs(hq)
    unchanged = {v for v, seq in latest.items()
                 if seq <= until and stored[v][0] in FEED_STATUSES}
    assert unchanged <= set(first.seen)
    assert all(latest[v] > until for v in set(first.seen) - unchanged)

    # Everything the officers changed during the sync comes with the next one, in its latest
    # state; nothing else, and again once.
    second = sync(client, sup1, first.cursor)
    assert second.repeats == 0
    assert_no_drafts(second)
    wanted = {v for v, seq in latest.items() if seq > until and stored[v][0] in FEED_STATUSES}
    assert set(second.seen) == wanted and wanted
    # Over both syncs, the laptop holds every signed-or-later visit at its stored version.
    received = {**first.latest(), **second.latest()}
    assert received == {v: version for v, (status, version) in stored.items()
                        if status in FEED_STATUSES}
    # Revisions came as visits of their own, with the previous one's id.
    revisions = [v for page in first.pages + second.pages for v in page.visits
                 if v.visit.previous_revision_id]
    assert revisions and all(v.visit.revision == 2 for v in revisions)

    # A third sync with nothing new: nothing, cursor unchanged.
    third = sync(client, sup1, second.cursor)
    assert third.seen == [] and third.cursor == second.cursor


def test_a_laptop_that_does_not_send_until_is_still_served(
        client: Any, hq: Hq, world: World, sign: Any) -> None:
    """Laptops of before issue #11 send only the cursor: each page then reads up to the top
    as it is, so a visit changed mid-sync may come twice (in its newer state), never a draft;
    with `until` sent back, the same churn repeats nothing."""
    officers = team_with_visits(client, world, sign)
    sup1 = register(client, "sup1")
    old = sync(client, sup1, 0, send_until=False, between_pages=churn(officers))
    assert_no_drafts(old)
    assert all(page.until >= old.pages[0].until for page in old.pages)
    with_until = sync(client, register(client, "sup1", device_name="新笔记本"), 0,
                      between_pages=churn(officers))
    print(f"\nrepeats while officers pushed: without until {old.repeats} "
          f"(of {len(old.seen)} visits sent), with until {with_until.repeats} "
          f"(of {len(with_until.seen)})")
    assert old.repeats > 0  # the scenario does provoke repeats
    assert with_until.repeats == 0
    # The old laptop's next sync completes it: every visit at its stored version.
    rest = sync(client, sup1, old.cursor, send_until=False)
    received = {**old.latest(), **rest.latest()}
    assert received == {v: version for v, (status, version) in stored_versions(hq).items()
                        if status in FEED_STATUSES}


@pytest.mark.parametrize("query, expected", [
    ("?until=-1", 422), ("?until=abc", 422), ("?cursor=5&until=3", 200),
    ("?until=99999999", 200),
])
def test_until_is_checked_and_kept_within_the_log(client: Any, hq: Hq, world: World,
                                                  sign: Any, query: str, expected: int) -> None:
    officers = Officers(client, world, {"off_a": register(client, "off_a")}, sign)
    for _ in range(3):
        officers.new(0, "signed")
    sup1 = register(client, "sup1")
    r = client.get(f"{API}/visits{query}", headers=sup1)
    assert r.status_code == expected, r.text
    if expected != 200:
        assert r.json()["code"] == "invalid_request"
        return
    page = VisitFeed.model_validate(r.json())
    with hq.db.read() as session:
        top = session.scalar(select(func.max(ChangeLogEntry.seq)))
    assert page.until <= top and not page.more
    if "cursor=5" in query:  # until before the cursor: nothing, the cursor stays
        assert (page.visits, page.cursor) == ([], 5)
    else:  # an until past the log is the log's top
        assert page.until == top and len(page.visits) == 3 and page.cursor == top
