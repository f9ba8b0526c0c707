"""A kind of pulled record this version does not know (a newer headquarters' invention) is
skipped and logged; the rest of its page is applied and the cursor moves past it. The client
declares the kinds it understands with every pull (wire/pull.py), and once upgraded reads the
kinds its older version never asked for."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from fake_server import FakeHQ
from sync_helpers import Portfolio
from test_e2e_hq import PASSWORD, serve

from inspector_app import wire
from inspector_app.domain.enums import Role
from inspector_app.hq import admin
from inspector_app.hq.handover import start_handover
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, ReferenceDoc, SyncState
from inspector_app.sync.client import SyncClient
from inspector_app.sync.handover import pulled_handover
from inspector_app.sync.pull import apply_changes, kinds_missed, kinds_recorded


def test_an_unknown_kind_is_skipped_and_the_rest_applied(
        store: LocalStore, portfolio: Portfolio, hq: FakeHQ, registered: SyncClient,
        caplog: pytest.LogCaptureFixture) -> None:
    hq.page_size = 3
    borrower = {"code": "C0900", "name": "南京大王粮油有限公司", "kind": "company",
                "industry": "wholesale_trade", "id_number": "91320100MA1Y000009",
                "officer_id": portfolio.officer.id, "branch_id": None}
    hq.publish("weather_report", "w-1", {"sky": "晴"})  # first in its page
    hq.publish("borrower", "br-2", borrower)
    hq.publish("weather_report", "w-2", {"sky": "雨"}, deleted=True)
    hq.publish("template", "routine@2", {"code": "routine", "version": 2})
    hq.publish("weather_report", "w-3", {"sky": "阴"})  # pages of 3: w-1, br-2, w-2 | …

    with caplog.at_level(logging.WARNING, logger="inspector_app.sync.pull"):
        result = registered.sync()

    assert result.ok, result.messages()
    assert result.pulled == 2
    with store.read() as s:
        assert s.get_one(SyncState, 1).cursor == len(hq.changes)
        assert s.get_one(Borrower, "br-2").name == "南京大王粮油有限公司"
        assert s.get_one(ReferenceDoc, ("template", "routine@2")).version == 1
        assert s.get(ReferenceDoc, ("weather_report", "w-1")) is None
    said = "pulled record(s) of a kind this version does not know: 'weather_report'"
    assert [r.getMessage() for r in caplog.records if "weather_report" in r.getMessage()] \
        == [f"skipped 2 {said}", f"skipped 1 {said}"]  # once per kind in each page
    # Every pull said which kinds this version understands.
    assert hq.declared and set(hq.declared) == {wire.entities_header()}
    assert set(hq.declared[0].split(",")) == set(wire.PULL_ENTITIES)


def test_after_an_upgrade_the_kinds_the_old_version_never_asked_for_come(
        store: LocalStore, tmp_path: Path) -> None:
    """A laptop that pulled with a version from before "handover" existed (no header: the
    original kinds only) has its cursor past a pending handover of its borrower. Upgraded, its
    first sync reads the kinds it never asked for from the start of the log, then goes on."""
    with serve(tmp_path) as (base, hq):
        admin.add_user(hq.db, "off_b", "王芳", Role.OFFICER, PASSWORD, "test",
                       branch_code="B01", supervisor_username="sup1")
        with SyncClient(store, base, retries=1, backoff=0.01) as laptop:
            laptop.register("off_a", PASSWORD, "李明的笔记本")
        started = start_handover(hq.db, wire.HandoverStart(
            from_officer="off_a", to_officer="off_b", borrower_codes=["C001"]), "cli:test")
        # The old version's pull: no header, so no handover; its cursor goes to the end.
        with store.read() as s:
            token = s.get_one(SyncState, 1).token
        with httpx.Client(base_url=base) as http:
            r = http.get(f"{wire.API}/pull", params={"cursor": 0},
                         headers={"Authorization": f"Bearer {token}"})
        page = wire.PullResponse.model_validate_json(r.content)
        assert not page.more and {c.entity for c in page.changes} <= wire.ORIGINAL_ENTITIES
        with store.write() as s:
            apply_changes(s, page.changes, store.policy)
            s.get_one(SyncState, 1).cursor = page.cursor

        with SyncClient(store, base, retries=1, backoff=0.01) as laptop:
            upgraded = laptop.sync()
        assert upgraded.ok, upgraded.messages()
        assert pulled_handover(store, started.id) is not None
        assert upgraded.handovers_released == 1  # and acted on in the same sync
        with store.read() as s:
            assert kinds_recorded(s) and kinds_missed(s) == ()
