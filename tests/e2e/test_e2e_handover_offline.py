"""The handover record signed offline (issue #15 item 3), against a real `inspector-hq serve`
process on SQLite and PostgreSQL that trusts the bank's test root.

Each of the three signs with headquarters out of reach, the way the desktop app does
(sync.handover_desk): the signature is kept on the laptop and said as waiting for sync; the
next sync sends it. off_a's first sync loses headquarters' answer after it kept the signature:
the next sync asks again and gets the same answer (one signature, one audit entry). off_b
first countersigns with a certificate of another CA: headquarters refuses it at sync, the
laptop says why and the handover waits for off_b's countersignature again; the right
certificate then goes through. sup1 confirms offline; the sync that sends it completes the
handover, and the record headquarters keeps verifies with the three signatures. A second
handover is completed by an administrator without the supervisor's signature: only with a
reason, which the record and the audit trail keep.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from handover_world import World, api, cli, codes, handover_world, handwriting, laptop
from sqlalchemy import select

from inspector_app import wire
from inspector_app.hq import models as hq_models
from inspector_app.hq.db import Database
from inspector_app.reports.certs import make_test_ca
from inspector_app.reports.verify import verify_bytes
from inspector_app.store.facade import HandoverRow, HandoverState
from inspector_app.store.handovers import SIGNATURE_OUTBOX
from inspector_app.store.local import LocalStore
from inspector_app.store.models import OutboxEntry
from inspector_app.sync import handover_desk
from inspector_app.sync.client import SyncClient
from inspector_app.sync.report import Reason, What

HANDED = ["C001", "C002"]


# The issue's own check (test_e2e_handover.py) runs on both databases; these further cases run
# once, on the server's database, to keep the suite within its time.
@pytest.fixture(scope="module", params=["server"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    yield from handover_world(request, tmp_path_factory, "handover-offline")


class Offline(httpx.BaseTransport):
    """No network: every connection refused before anything is sent."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("network is unreachable", request=request)


class AnswerLost(httpx.BaseTransport):
    """The real line, except that the first signature posted reaches headquarters (which
    acts on it) and its answer never comes back."""

    def __init__(self) -> None:
        self.line = httpx.HTTPTransport()
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.line.handle_request(request)
        if (request.method == "POST" and request.url.path.endswith("/signatures")
                and not self.lost):
            response.read()
            response.close()
            self.lost += 1
            raise httpx.ReadError("connection reset by peer", request=request)
        return response


def _row(store: LocalStore, handover_id: str) -> HandoverRow:
    return next(r for r in store.handovers() if r.id == handover_id)


def _hq(world: World, handover_id: str) -> tuple[hq_models.Handover, list[str]]:
    db = Database.open(world.db_url)
    try:
        with db.read() as s:
            h = s.get_one(hq_models.Handover, handover_id)
            s.expunge(h)
            actions = list(s.scalars(select(hq_models.AuditEntry.action).where(
                hq_models.AuditEntry.entity_id == handover_id).order_by(hq_models.AuditEntry.id)))
            return h, actions
    finally:
        db.dispose()


def _queued(store: LocalStore) -> list[str]:
    with store.read() as s:
        return list(s.scalars(select(OutboxEntry.ref)
                              .where(OutboxEntry.entity == SIGNATURE_OUTBOX)))


def _start(world: World, sup_store: LocalStore, borrowers: list[str]) -> wire.HandoverRecord:
    with api(sup_store, world.server) as http:
        r = http.post(f"{wire.API}/handovers", json={
            "from_officer": "off_a", "to_officer": "off_b", "borrower_codes": borrowers})
        assert r.status_code == 201, r.text
        return wire.HandoverRecord.model_validate(r.json())


def test_each_signs_offline_and_the_next_sync_sends_it(
        world: World, _migrated_db: Path) -> None:
    a_store, a = laptop(world, _migrated_db, "off_a")
    b_store, b = laptop(world, _migrated_db, "off_b")
    s_store, sup = laptop(world, _migrated_db, "sup1")
    ca = world.ca
    rogue = make_test_ca(world.root / "rogue-ca", [("off_b", "王芳")])  # not the bank's root
    offline = {"transport": Offline(), "retries": 0}
    try:
        handover = _start(world, s_store, HANDED)
        assert a.sync().ok and b.sync().ok and sup.sync().ok
        hid = handover.id

        # off_a signs offline: kept here, waiting for sync; nothing at headquarters.
        outcome = handover_desk.sign_and_send(
            a_store, "", hid, ca.user("off_a").p12_path, ca.user("off_a").password,
            handwriting(), "zh", **offline)
        assert outcome.record is None and outcome.waiting is not None
        assert "cannot reach the headquarters server" in outcome.waiting.en
        row = _row(a_store, hid)
        assert row.queued and not row.may_sign(row.from_officer_id) and not row.signed
        assert _hq(world, hid)[0].signed_sha256 is None

        # The sync that sends it loses headquarters' answer: still queued here...
        with SyncClient(a_store, world.server.url, transport=AnswerLost(), retries=0,
                        backoff=0.01) as cut:
            lost = cut.sync()
        assert lost.unreachable and not lost.ok
        assert any(i.what is What.HANDOVER and i.reason is Reason.UNREACHABLE
                   for i in lost.issues), lost.messages()
        assert _queued(a_store) == [hid] and _row(a_store, hid).queued
        kept, actions = _hq(world, hid)
        assert kept.signed_sha256 is not None  # ...though headquarters kept it
        # ...and the next sync asks again: the same answer, nothing kept twice.
        again = a.sync()
        assert again.ok and again.handover_signatures_sent == 1, again.messages()
        assert _queued(a_store) == [] and _row(a_store, hid).signed
        assert not _row(a_store, hid).queued
        kept_again, actions = _hq(world, hid)
        assert kept_again.signed_sha256 == kept.signed_sha256
        assert actions.count("handover.sign") == 1

        # off_b: the certified record came with the sync; countersigned offline with a
        # certificate of another CA, refused at the next sync with the reason.
        assert b.sync().ok
        assert _row(b_store, hid).may_countersign(_row(b_store, hid).to_officer_id)
        waiting = handover_desk.countersign_and_send(
            b_store, "", hid, rogue.user("off_b").p12_path, rogue.user("off_b").password,
            handwriting(), **offline)
        assert waiting.record is None and _row(b_store, hid).queued
        refused = b.sync()
        assert not refused.ok
        issue = next(i for i in refused.issues if i.what is What.HANDOVER)
        assert issue.reason is Reason.REJECTED and "refused the signature" in issue.message
        assert "trust" in issue.message.lower(), issue.message
        row = _row(b_store, hid)
        assert not row.queued and row.refusal and "trust" in row.refusal.lower()
        assert row.state is HandoverState.TAKER_SIGNATURE
        assert row.may_countersign(row.to_officer_id)  # back to waiting for off_b
        assert _hq(world, hid)[0].countersigned_sha256 is None
        # The right certificate: kept at the next sync, the refusal forgotten.
        handover_desk.countersign_and_send(
            b_store, "", hid, ca.user("off_b").p12_path, ca.user("off_b").password,
            handwriting(), **offline)
        sent = b.sync()
        assert sent.ok and sent.handover_signatures_sent == 1, sent.messages()
        row = _row(b_store, hid)
        assert row.countersigned and row.refusal is None and not row.queued

        # sup1: the record both signed came with the sync; confirmed offline, sent with the
        # next sync, which completes the handover.
        assert sup.sync().ok
        row = _row(s_store, hid)
        assert row.state is HandoverState.CONFIRMATION and row.may_confirm(row.supervisor_id)
        confirmed = handover_desk.confirm_and_send(
            s_store, "", hid, ca.user("sup1").p12_path, ca.user("sup1").password,
            handwriting(), **offline)
        assert confirmed.record is None and _row(s_store, hid).queued
        assert _hq(world, hid)[0].status == "pending"
        done = sup.sync()
        assert done.ok and done.handover_signatures_sent == 1, done.messages()
        assert _row(s_store, hid).state is HandoverState.COMPLETE
        final, actions = _hq(world, hid)
        assert final.status == "completed" and final.completed_by == "sup1"
        assert final.confirmed_sha256 is not None and final.override_reason is None
        # (off_a's laptop lets go again with each sync while the handover is pending)
        assert "handover.release" in actions
        assert [x for x in actions if x != "handover.release"] == [
            "handover.start", "handover.sign", "handover.countersign", "handover.confirm",
            "handover.complete"]
        with api(s_store, world.server) as http:
            blob = http.get(f"{wire.API}/blobs/{final.confirmed_sha256}")
        verified = verify_bytes(blob.content, [ca.ca_cert_path])
        assert verified.verdict, verified.problems
        assert [x.signer for x in verified.signatures] == ["李明", "王芳", "张伟"]
        assert all(x.chains_to_trusted_root for x in verified.signatures)

        # The borrowers move with the officers' next syncs.
        assert a.sync().ok and b.sync().ok
        assert codes(b_store, "off_b") == HANDED
        assert not set(HANDED) & set(codes(a_store, "off_a"))
    finally:
        for client in (a, b, sup):
            client.close()
        for store in (a_store, b_store, s_store):
            store.close()


def test_an_administrator_completes_without_the_supervisor_only_with_a_reason(
        world: World, _migrated_db: Path) -> None:
    a_store, a = laptop(world, _migrated_db, "off_a")
    b_store, b = laptop(world, _migrated_db, "off_b")
    s_store, sup = laptop(world, _migrated_db, "sup1")
    ca = world.ca
    try:
        handover = _start(world, s_store, ["C003"])
        hid = handover.id
        assert a.sync().ok
        assert handover_desk.sign_and_send(a_store, "", hid, ca.user("off_a").p12_path,
                                           ca.user("off_a").password, handwriting(), "en",
                                           retries=1).record is not None
        assert b.sync().ok
        assert handover_desk.countersign_and_send(b_store, "", hid, ca.user("off_b").p12_path,
                                                  ca.user("off_b").password, handwriting(),
                                                  retries=1).record is not None
        # No reason, no override: argparse says what is missing; nothing changes.
        bare = cli(world, "complete", hid)
        assert bare.returncode == 2 and "--without-signature" in bare.stderr
        assert _hq(world, hid)[0].status == "pending"
        # The supervisor cannot skip their own signature through the API.
        with api(s_store, world.server) as http:
            r = http.post(f"{wire.API}/handovers/{hid}/complete", json={"reason": "忙"})
            assert r.status_code == 422, r.text  # too short a reason
            r = http.post(f"{wire.API}/handovers/{hid}/complete", json={"reason": "出差在外"})
            assert r.status_code == 403 and "administrator" in r.json()["message"], r.text
        done = cli(world, "complete", hid, "--without-signature", "--reason",
                   "监交人长期病假，经分行批准")
        assert done.returncode == 0, done.stderr
        assert "WITHOUT the supervisor's confirmation signature" in done.stdout
        shown = cli(world, "show", hid)
        assert "reason: 监交人长期病假，经分行批准" in shown.stdout
        assert "confirmed by the supervisor: no" in shown.stdout
        kept, actions = _hq(world, hid)
        assert kept.status == "completed" and kept.confirmed_sha256 is None
        assert kept.override_reason == "监交人长期病假，经分行批准"
        assert actions[-1] == "handover.complete" and "handover.confirm" not in actions
        db = Database.open(world.db_url)
        try:
            with db.read() as s:
                entry = s.scalars(select(hq_models.AuditEntry).where(
                    hq_models.AuditEntry.entity_id == hid,
                    hq_models.AuditEntry.action == "handover.complete")).one()
                assert entry.detail["confirmation"] == "override"
                assert entry.detail["reason"] == "监交人长期病假，经分行批准"
        finally:
            db.dispose()
        # The laptops read it so: the supervisor's list says it was completed without them.
        assert sup.sync().ok
        row = _row(s_store, hid)
        assert row.completed and not row.confirmed
        assert row.override_reason == "监交人长期病假，经分行批准"
    finally:
        for client in (a, b, sup):
            client.close()
        for store in (a_store, b_store, s_store):
            store.close()


def test_a_record_replaced_meanwhile_refuses_the_signature_made_on_the_old_one(
        world: World, _migrated_db: Path) -> None:
    """off_b countersigns offline what the last sync brought; meanwhile off_a signs the
    record again. At sync headquarters refuses off_b's countersignature (the record changed),
    the laptop says so and fetches the current record; countersigned again, it is kept."""
    a_store, a = laptop(world, _migrated_db, "off_a")
    b_store, b = laptop(world, _migrated_db, "off_b")
    s_store, sup = laptop(world, _migrated_db, "sup1")
    ca = world.ca
    try:
        hid = _start(world, s_store, ["C004"]).id
        assert a.sync().ok
        first = handover_desk.sign_and_send(a_store, "", hid, ca.user("off_a").p12_path,
                                            ca.user("off_a").password, handwriting(), "zh",
                                            retries=1)
        assert first.record is not None and first.record.signed_sha256
        assert b.sync().ok  # brings the first certified record
        handover_desk.countersign_and_send(
            b_store, "", hid, ca.user("off_b").p12_path, ca.user("off_b").password,
            handwriting(), transport=Offline(), retries=0)
        assert _row(b_store, hid).queued
        # off_a signs again (allowed until off_b's countersignature is kept): another file.
        second = handover_desk.sign_and_send(a_store, "", hid, ca.user("off_a").p12_path,
                                             ca.user("off_a").password, handwriting(), "en",
                                             retries=1)
        assert second.record is not None
        assert second.record.signed_sha256 != first.record.signed_sha256
        refused = b.sync()
        issue = next(i for i in refused.issues if i.what is What.HANDOVER)
        assert issue.reason is Reason.REJECTED and "replaced meanwhile" in issue.message
        row = _row(b_store, hid)
        assert row.refusal and "replaced meanwhile" in row.refusal and not row.queued
        assert row.may_countersign(row.to_officer_id)
        assert _hq(world, hid)[0].countersigned_sha256 is None
        # The same sync fetched the current record: countersigned again, offline, then kept.
        handover_desk.countersign_and_send(
            b_store, "", hid, ca.user("off_b").p12_path, ca.user("off_b").password,
            handwriting(), transport=Offline(), retries=0)
        sent = b.sync()
        assert sent.ok and sent.handover_signatures_sent == 1, sent.messages()
        kept = _hq(world, hid)[0]
        assert kept.signed_sha256 == second.record.signed_sha256
        assert kept.countersigned_sha256 is not None
    finally:
        for client in (a, b, sup):
            client.close()
        for store in (a_store, b_store, s_store):
            store.close()
