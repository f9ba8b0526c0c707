"""Handover (责任移交, issue #15 item 3) against a real `inspector-hq serve` process, on SQLite
and PostgreSQL, with three laptops: the officer handing over (off_a), the one taking over
(off_b) and their supervisor (sup1), who starts the handover from the app's API and confirms
it with the third signature on the record.

Ten of off_a's twelve borrowers move. On off_a's laptop: a signed visit with an open warning
signal, and an unsigned draft with answers, notes, a signal and a photo that has not been
synced yet. Nothing moves until the handover completes; off_a's laptop uploads everything
before it lets go; afterwards off_b's laptop has the ten borrowers, the draft as off_b's own
(answers, notes, photo, signal; its history naming who wrote it) and the open signals, and
off_a's laptop shows none of them. Every answer, note, photo and signal is counted before and
after. The handover record is a PDF that off_a signs (handwriting + PAdES), off_b countersigns and
sup1 confirms; headquarters verifies the three (chained to the bank's root, each signer the
right user, nothing changed but the signatures added) and completes the handover on the
third; the kept file verifies with all three. Refusals (an officer who does not exist,
borrowers off_a does not own, completing before the laptop let go or before both signed, or
without the supervisor's signature) say why and change nothing.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from e2e_support import make_jpeg
from handover_world import World, api, cli, codes, handover_world, handwriting, laptop
from sqlalchemy import func, select
from visit_helpers import normal_answer

from inspector_app import wire
from inspector_app.domain.enums import (
    Severity,
    SignalCategory,
    SignalSource,
    VisitKind,
    VisitStatus,
)
from inspector_app.hq import models as hq_models
from inspector_app.hq.db import Database
from inspector_app.reports import files as report_files
from inspector_app.reports.handover_signing import (
    confirm_handover,
    countersign_handover,
    sign_handover,
)
from inspector_app.reports.verify import verify_bytes
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Borrower,
    ChecklistAnswer,
    Note,
    OutboxEntry,
    Photo,
    RiskSignal,
    User,
    Visit,
)
from inspector_app.store.review_history import audit_rows
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.sync.handover import HandoverSignatureError, pulled_handover
from inspector_app.sync.handover_signatures import CERTIFIED, TO_CONFIRM, records_dir

HANDED = [f"C{n:03d}" for n in range(1, 11)]  # the ten that move; C011, C012 stay


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    """One server per database for the module: sup1's team is off_a (C001-C012) and off_b
    (no borrowers)."""
    yield from handover_world(request, tmp_path_factory, "handover")


def _hq_state(world: World) -> dict[str, Any]:
    """What a refused handover must not touch: handovers, assignments, visits."""
    db = Database.open(world.db_url)
    try:
        with db.read() as s:
            return {
                "handovers": s.scalar(select(func.count()).select_from(hq_models.Handover)),
                "assignments": sorted(s.execute(select(hq_models.Assignment.borrower_id,
                                                       hq_models.Assignment.officer_id)).all()),
                "visits": sorted(s.execute(select(hq_models.Visit.id, hq_models.Visit.officer_id,
                                                  hq_models.Visit.version)).all()),
            }
    finally:
        db.dispose()


def _written(store: LocalStore, borrower_ids: list[str]) -> dict[str, Any]:
    """Everything typed on these borrowers' visits: answers (with values and notes), notes,
    photos (by hash) and signals (with status), keyed by id so nothing can hide."""
    with store.read() as s:
        visits = list(s.scalars(select(Visit.id).where(Visit.borrower_id.in_(borrower_ids))))
        return {
            "visits": sorted(visits),
            "answers": sorted(s.execute(select(ChecklistAnswer.id, ChecklistAnswer.item_code,
                                               ChecklistAnswer.value, ChecklistAnswer.note)
                                        .where(ChecklistAnswer.visit_id.in_(visits))).all()),
            "notes": sorted(s.execute(select(Note.id, Note.text)
                                      .where(Note.visit_id.in_(visits))).all()),
            "photos": sorted(s.scalars(select(Photo.sha256).where(Photo.visit_id.in_(visits)))),
            "signals": sorted(s.execute(select(RiskSignal.id, RiskSignal.status)
                                        .where(RiskSignal.visit_id.in_(visits))).all()),
        }


def test_refusals_say_why_and_change_nothing(world: World, _migrated_db: Path) -> None:
    before = _hq_state(world)
    ghost = cli(world, "start", "--from", "off_a", "--to", "ghost", "--borrowers", "C001")
    assert ghost.returncode == 1 and "Traceback" not in ghost.stderr
    assert "ghost" in ghost.stderr and "nothing was changed" in ghost.stderr
    not_theirs = cli(world, "start", "--from", "off_b", "--to", "off_a", "--borrowers",
                      "C001,C999")
    assert not_theirs.returncode == 1
    assert "borrower C001 is not off_b's" in not_theirs.stderr
    assert "no borrower C999" in not_theirs.stderr
    # The same through the API, as the supervisor's desktop app asks.
    sup_store, sup = laptop(world, _migrated_db, "sup1")
    try:
        with api(sup_store, world.server) as http:
            r = http.post(f"{wire.API}/handovers", json={
                "from_officer": "off_a", "to_officer": "nobody", "borrower_codes": ["C001"]})
            assert r.status_code == 422 and r.json()["code"] == "unknown_officer", r.text
            r = http.post(f"{wire.API}/handovers", json={
                "from_officer": "off_b", "to_officer": "off_a", "borrower_codes": ["C002"]})
            assert r.status_code == 422 and r.json()["code"] == "not_their_borrowers", r.text
            assert "C002" in r.json()["message"]
            r = http.post(f"{wire.API}/handovers", json={
                "from_officer": "off_a", "to_officer": "off_a", "all_borrowers": True})
            assert r.status_code == 422 and "themselves" in r.json()["message"], r.text
    finally:
        sup.close()
        sup_store.close()
    assert _hq_state(world) == before


def test_ten_borrowers_move_and_nothing_typed_is_lost(
        world: World, _migrated_db: Path) -> None:
    a_store, a = laptop(world, _migrated_db, "off_a")
    b_store, b = laptop(world, _migrated_db, "off_b")
    s_store, sup = laptop(world, _migrated_db, "sup1")
    stores = (a_store, b_store, s_store)
    rnd = random.Random(20261207)
    camera = world.root / "camera"
    camera.mkdir()
    try:
        with a_store.read() as s:
            off_a = s.scalar(select(User).where(User.username == "off_a"))
            ids = {code: bid for code, bid in s.execute(select(Borrower.code, Borrower.id))}
        assert off_a is not None and len(ids) == 12
        handed_ids = [ids[c] for c in HANDED]

        # A signed visit on C001 with an open signal; a draft on C002 with a signal.
        signed = a_store.start_visit(ids["C001"], off_a, VisitKind.ROUTINE,
                                     visit_date=date(2026, 11, 20), place="厂区")
        for item in visit_checklist(signed).items():
            a_store.set_answer(signed.id, off_a, item.code, normal_answer(item))
        a_store.raise_signal(RiskSignal(
            borrower_id=ids["C001"], visit_id=signed.id, category=SignalCategory.OPERATIONAL,
            severity=Severity.ORANGE, source=SignalSource.OFFICER, title="主要客户流失",
            raised_on=date(2026, 11, 20)), off_a, "现场了解")
        a_store.transition(signed.id, off_a, VisitStatus.COMPLETED)
        ca = world.ca
        report_files.sign_visit(a_store, signed.id, off_a, ca.user("off_a").p12_path,
                                ca.user("off_a").password)

        draft = a_store.start_visit(ids["C002"], off_a, VisitKind.ROUTINE,
                                    visit_date=date(2026, 12, 1), place="仓库")
        items = list(visit_checklist(draft).items())
        for item in items[:5]:
            a_store.set_answer(draft.id, off_a, item.code, normal_answer(item),
                               note="库存与账面一致")
        a_store.raise_signal(RiskSignal(
            borrower_id=ids["C002"], visit_id=draft.id, category=SignalCategory.FINANCIAL,
            severity=Severity.YELLOW, source=SignalSource.OFFICER, title="应收账款增加",
            raised_on=date(2026, 12, 1)), off_a)
        synced = a.sync()
        assert synced.ok and synced.visits_sent == 2, synced.messages()

        # Typed after the last sync: an answer more and a photo, not at headquarters yet.
        a_store.set_answer(draft.id, off_a, items[5].code, normal_answer(items[5]),
                           note="后补")
        photo = a_store.add_photo(draft.id, off_a, make_jpeg(camera, rnd, "IMG_0001.jpg"),
                                  caption="仓库全景")
        before = _written(a_store, handed_ids)
        with a_store.read() as s:
            draft_answers = len(s.scalars(select(ChecklistAnswer.id)
                                          .where(ChecklistAnswer.visit_id == draft.id)).all())
        assert len(before["visits"]) == 2 and len(before["photos"]) == 1
        assert len(before["signals"]) == 2 and len(before["answers"]) > 6

        # The supervisor starts the handover from the app.
        with api(s_store, world.server) as http:
            r = http.post(f"{wire.API}/handovers", json={
                "from_officer": "off_a", "to_officer": "off_b", "borrower_codes": HANDED})
            assert r.status_code == 201, r.text
            handover = wire.HandoverRecord.model_validate(r.json())
            assert handover.status == "pending" and len(handover.borrower_ids) == 10
            rec = {x["code"]: x for x in handover.record["borrowers"]}
            assert [x["title"] for x in rec["C001"]["open_signals"]] == ["主要客户流失"]
            draft_row = rec["C002"]["unsigned_visits"]
            assert [(v["id"], v["photos"]) for v in draft_row] == [(draft.id, 0)]
            assert all(x["loans"] and x["collateral_items"] for x in rec.values())
            assert {x["inspection"]["state"] for x in rec.values()} <= {"pending", "overdue"}
        # Not yet, not even an administrator's override: off_a's laptop has not let go.
        early = cli(world, "complete", handover.id, "--without-signature", "--reason", "监交人病假")
        assert early.returncode == 1 and "has not yet uploaded everything" in early.stderr

        # Until it completes, nothing moves.
        assert b.sync().ok and codes(b_store, "off_b") == []
        assert len(codes(a_store, "off_a")) == 12

        # off_a's next sync: the photo and the draft go up, then the laptop lets go.
        released = a.sync()
        assert released.ok and released.handovers_released == 1, released.messages()
        assert (released.photos_sent, released.visits_sent) == (1, 1)
        with a_store.read() as s:
            assert s.scalars(select(OutboxEntry)).all() == []

        # The record as a PDF: off_a signs it (handwriting + PAdES), off_b countersigns it.
        early = cli(world, "complete", handover.id, "--without-signature", "--reason", "监交人病假")
        assert early.returncode == 1 and "signed by both officers" in early.stderr
        pulled = pulled_handover(a_store, handover.id)
        assert pulled is not None and pulled.released_at is not None
        now = datetime.now(UTC)
        signed_pdf = sign_handover(pulled, {}, ca.user("off_a").p12_path,
                                   ca.user("off_a").password, world.root / "signed.pdf",
                                   signed_at=now, handwritten_png=handwriting())
        with pytest.raises(HandoverSignatureError, match="countersigns"):
            b.send_handover_signature(handover.id, signed_pdf.path, "signed")  # not theirs
        assert a.send_handover_signature(handover.id, signed_pdf.path, "signed").signed_sha256
        assert b.sync().ok
        to_countersign = pulled_handover(b_store, handover.id)
        assert to_countersign is not None and to_countersign.signed_sha256 == signed_pdf.sha256
        # off_b's sync fetched the certified record, to countersign it offline.
        certified = records_dir(b_store.data_dir) / CERTIFIED.format(id=handover.id)
        assert hashlib.sha256(certified.read_bytes()).hexdigest() == signed_pdf.sha256
        both = countersign_handover(certified, ca.user("off_b").p12_path,
                                    ca.user("off_b").password, world.root / "both.pdf",
                                    signed_at=now + timedelta(minutes=5),
                                    handwritten_png=handwriting())
        assert b.send_handover_signature(handover.id, both.path, "countersigned") \
            .countersigned_sha256 == both.sha256

        # The supervisor confirms with the third signature: not the API's complete (an
        # administrator's override, with a reason), and not off_b.
        with api(s_store, world.server) as http:
            r = http.post(f"{wire.API}/handovers/{handover.id}/complete",
                          json={"reason": "监交人出差"})
            assert r.status_code == 403 and r.json()["code"] == "forbidden", r.text
        assert sup.sync().ok  # fetches the record both signed, to confirm it offline
        to_confirm = records_dir(s_store.data_dir) / TO_CONFIRM.format(id=handover.id)
        assert hashlib.sha256(to_confirm.read_bytes()).hexdigest() == both.sha256
        three = confirm_handover(to_confirm, ca.user("sup1").p12_path, ca.user("sup1").password,
                                 world.root / "three.pdf", signed_at=now + timedelta(minutes=9),
                                 handwritten_png=handwriting())
        with pytest.raises(HandoverSignatureError, match="supervisor confirms"):
            b.send_handover_signature(handover.id, three.path, "confirmed")  # not theirs
        done = sup.send_handover_signature(handover.id, three.path, "confirmed")
        again = sup.send_handover_signature(handover.id, three.path, "confirmed")
        assert done.status == "completed" and done.confirmed_sha256 == three.sha256
        assert again.model_dump() == done.model_dump()  # the same file: the same answer
        with api(s_store, world.server) as http:
            kept = http.get(f"{wire.API}/blobs/{done.confirmed_sha256}")
        # The record headquarters keeps verifies with the three signatures, to the root.
        assert kept.status_code == 200, kept.text
        verified = verify_bytes(kept.content, [ca.ca_cert_path])
        assert verified.verdict and [x.signer for x in verified.signatures] == \
            ["李明", "王芳", "张伟"]
        assert all(x.chains_to_trusted_root for x in verified.signatures)
        assert done.continued_visit_ids == [draft.id]
        assert done.file_visit_ids == [signed.id]

        # off_a lets go: none of the ten on the laptop's work list, the draft gone from it.
        gone = a.sync()
        assert gone.ok, gone.messages()
        assert codes(a_store, "off_a") == ["C011", "C012"]
        with a_store.read() as s:
            assert s.get(Visit, draft.id) is None
            assert s.get_one(Visit, signed.id).officer_id == off_a.id  # what off_a signed

        # off_b takes over: the ten borrowers, the draft as theirs, the open signals.
        taken = b.sync()
        assert taken.ok and taken.handover_visits_received == 2, taken.messages()
        assert codes(b_store, "off_b") == HANDED
        after = _written(b_store, handed_ids)
        assert after == before  # every answer, note, photo and signal, unchanged
        with b_store.read() as s:
            off_b = s.scalar(select(User).where(User.username == "off_b"))
            assert off_b is not None
            mine = s.get_one(Visit, draft.id)
            assert (mine.officer_id, mine.status) == (off_b.id, VisitStatus.DRAFT)
            assert s.get_one(Visit, signed.id).status is VisitStatus.SUBMITTED
            trail = audit_rows(s, draft.id)
            open_signals = s.scalar(select(func.sum(Borrower.open_signals))
                                    .where(Borrower.id.in_(handed_ids)))
        handed = [row for row in trail if row.action == "visit.handover"]
        assert [row.user_name for row in handed] == ["李明"]  # who wrote it stays visible
        assert open_signals == 2
        stored = b_store.photos.original_path(photo.sha256).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == photo.sha256

        # off_b continues the draft and sends it: headquarters takes it as theirs.
        b_store.set_answer(draft.id, off_b, items[6].code, normal_answer(items[6]))
        sent = b.sync()
        assert sent.ok and sent.visits_sent == 1, sent.messages()
        assert sup.sync().ok

        db = Database.open(world.db_url)
        try:
            with db.read() as s:
                visit = s.get_one(hq_models.Visit, draft.id)
                actions = list(s.scalars(select(hq_models.AuditEntry.action)
                                         .where(hq_models.AuditEntry.action.like("handover.%"))
                                         .order_by(hq_models.AuditEntry.id)))
                moved = s.scalars(select(hq_models.AuditEntry.entity_id).where(
                    hq_models.AuditEntry.action == "visit.handover")).all()
        finally:
            db.dispose()
        assert visit.officer_id == off_b.id and visit.payload["officer_id"] == off_b.id
        assert len(visit.payload["answers"]) == draft_answers + 1  # off_a's, and off_b's one
        assert actions == ["handover.start", "handover.release", "handover.sign",
                           "handover.countersign", "handover.confirm", "handover.complete"]
        assert list(moved) == [draft.id]
    finally:
        for client in (a, b, sup):
            client.close()
        for store in stores:
            store.close()

