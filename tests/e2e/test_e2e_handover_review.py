"""Handover (责任移交) of borrowers whose visits are under review, against a real
`inspector-hq serve` process on SQLite and PostgreSQL (handover_world: sup1's team is off_a, with
C001-C012, and off_b; the bank's test CA, whose root the server trusts).

off_a signed two visits: C001's, which sup1 returned with a comment on an item before the
handover, and C002's, still awaiting review when the handover completes. Afterwards:

- off_b's laptop has both; off_b revises the returned one as a new revision of their own (the
  supervisor's comments at their items, off_a's signed version in its history), signs it with
  their own certificate and sends it; headquarters stores it as submitted, and sup1 approves
  it by countersigning;
- sup1 returns C002's visit after the handover, and the return reaches off_b (and off_a's
  laptop, which signed it), who may revise it;
- off_a's laptop keeps both visits as signed, and offers no revision of either.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from handover_world import World, api, codes, handover_world, handwriting, laptop
from sqlalchemy import select
from visit_helpers import normal_answer

from inspector_app import wire
from inspector_app.domain.enums import Classification, VisitKind, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.hq import models as hq_models
from inspector_app.hq.db import Database
from inspector_app.reports import files as report_files
from inspector_app.reports.certs import TestCA
from inspector_app.reports.handover_signing import (
    confirm_handover,
    countersign_handover,
    sign_handover,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, ChecklistAnswer, User, Visit
from inspector_app.store.review_rows import Approval
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.sync.client import SyncClient
from inspector_app.sync.handover import pulled_handover
from inspector_app.sync.handover_signatures import CERTIFIED, TO_CONFIRM, records_dir


# The issue's own check (test_e2e_handover.py) runs on both databases; these further cases run
# once, on the server's database, to keep the suite within its time.
@pytest.fixture(scope="module", params=["server"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    yield from handover_world(request, tmp_path_factory, "handover-review")


HANDED = ["C001", "C002"]


def _user(store: LocalStore, username: str) -> User:
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def _signed_visit(store: LocalStore, code: str, ca: TestCA, on: date) -> str:
    """off_a's routine visit of the borrower, every item answered, signed."""
    officer = _user(store, "off_a")
    with store.read() as s:
        borrower_id = s.scalar(select(Borrower.id).where(Borrower.code == code))
    assert borrower_id is not None
    visit = store.start_visit(borrower_id, officer, VisitKind.ROUTINE, visit_date=on,
                              place="厂区")
    for item in visit_checklist(visit).items():
        store.set_answer(visit.id, officer, item.code, normal_answer(item))
    _sign(store, visit.id, "off_a", ca)
    return visit.id


def _sign(store: LocalStore, visit_id: str, username: str, ca: TestCA) -> None:
    officer = _user(store, username)
    store.transition(visit_id, officer, VisitStatus.COMPLETED)
    report_files.sign_visit(store, visit_id, officer, ca.user(username).p12_path,
                            ca.user(username).password)


def _return(store: LocalStore, visit_id: str, comment: str, on_item: str) -> None:
    sup1 = _user(store, "sup1")
    store.set_review_comment(visit_id, sup1, "answer", on_item, "与财务报表不符")
    store.return_visit(visit_id, sup1, comment)


def _an_item(store: LocalStore, visit_id: str) -> str:
    with store.read() as s:
        code = s.scalars(select(ChecklistAnswer.item_code)
                         .where(ChecklistAnswer.visit_id == visit_id)
                         .order_by(ChecklistAnswer.item_code)).first()
    assert code is not None
    return code


def _hand_over(world: World, a: tuple[LocalStore, SyncClient],
               b: tuple[LocalStore, SyncClient], sup: tuple[LocalStore, SyncClient]) -> None:
    """sup1 starts the handover of HANDED, off_a's laptop lets go, off_a signs the record,
    off_b countersigns it and sup1 confirms it with the third signature: it completes."""
    (a_store, a_client), (b_store, b_client), (s_store, s_client) = a, b, sup
    ca = world.ca
    with api(s_store, world.server) as http:
        r = http.post(f"{wire.API}/handovers", json={
            "from_officer": "off_a", "to_officer": "off_b", "borrower_codes": HANDED})
        assert r.status_code == 201, r.text
        handover_id = r.json()["id"]
    released = a_client.sync()
    assert released.ok and released.handovers_released == 1, released.messages()
    pulled = pulled_handover(a_store, handover_id)
    assert pulled is not None
    now = datetime.now(UTC)
    signed = sign_handover(pulled, {}, ca.user("off_a").p12_path, ca.user("off_a").password,
                           world.root / "review-signed.pdf", signed_at=now,
                           handwritten_png=handwriting())
    a_client.send_handover_signature(handover_id, signed.path, "signed")
    assert b_client.sync().ok  # fetches the certified record
    both = countersign_handover(records_dir(b_store.data_dir) / CERTIFIED.format(id=handover_id),
                                ca.user("off_b").p12_path, ca.user("off_b").password,
                                world.root / "review-both.pdf",
                                signed_at=now + timedelta(minutes=5),
                                handwritten_png=handwriting())
    b_client.send_handover_signature(handover_id, both.path, "countersigned")
    assert s_client.sync().ok  # fetches the record both signed
    three = confirm_handover(records_dir(s_store.data_dir) / TO_CONFIRM.format(id=handover_id),
                             ca.user("sup1").p12_path, ca.user("sup1").password,
                             world.root / "review-three.pdf",
                             signed_at=now + timedelta(minutes=9), handwritten_png=handwriting())
    assert s_client.send_handover_signature(handover_id, three.path, "confirmed").status \
        == "completed"


def _stored(world: World, visit_id: str) -> tuple[str, str, str | None]:
    """Headquarters' officer, status and corrected visit of the visit."""
    db = Database.open(world.db_url)
    try:
        with db.read() as s:
            v = s.get_one(hq_models.Visit, visit_id)
            return v.officer_id, v.status, v.previous_revision_id
    finally:
        db.dispose()


def _status(store: LocalStore, visit_id: str) -> VisitStatus:
    with store.read() as s:
        return s.get_one(Visit, visit_id).status


def test_visits_under_review_go_to_the_officer_taking_over(
        world: World, _migrated_db: Path) -> None:
    a_store, a = laptop(world, _migrated_db, "off_a")
    b_store, b = laptop(world, _migrated_db, "off_b")
    s_store, sup = laptop(world, _migrated_db, "sup1")
    ca = world.ca
    try:
        returned = _signed_visit(a_store, "C001", ca, date(2026, 11, 20))
        awaiting = _signed_visit(a_store, "C002", ca, date(2026, 11, 21))
        assert a.sync().visits_sent == 2
        item = _an_item(a_store, returned)
        assert sup.sync().ok
        _return(s_store, returned, "请核实应收账款", item)
        assert sup.sync().returns_sent == 1
        assert a.sync().ok and _status(a_store, returned) is VisitStatus.RETURNED

        _hand_over(world, (a_store, a), (b_store, b), (s_store, sup))

        # off_a lets go: what off_a signed stays there, and no revision of it is offered.
        assert a.sync().ok
        off_a = _user(a_store, "off_a")
        assert codes(a_store, "off_a") == [f"C{n:03d}" for n in range(3, 13)]
        for visit_id in (returned, awaiting):
            try:
                a_store.new_revision(visit_id, off_a, "按意见修改")
            except TransitionError as refused:
                assert "no longer yours" in refused.text.en
            else:
                raise AssertionError("off_a revised a visit of a borrower handed over")

        # off_b takes over: the returned visit with the supervisor's comments.
        taken = b.sync()
        assert taken.ok and taken.handover_visits_received == 2, taken.messages()
        off_b = _user(b_store, "off_b")
        assert _status(b_store, returned) is VisitStatus.RETURNED
        assert _status(b_store, awaiting) is VisitStatus.SUBMITTED
        rows = {r.code: r for r in b_store.work_list(officer_id=off_b.id)}
        assert sorted(rows) == HANDED
        assert (rows["C001"].returned_visit_id, rows["C001"].returned_comments) == (returned, 1)
        revision = b_store.new_revision(returned, off_b, "按主任意见核实").id
        comments = b_store.comments_for_revision(revision)
        assert comments is not None and comments.comment == "请核实应收账款"
        assert [(c.ref, c.text) for c in comments.comments] == [(item, "与财务报表不符")]
        trail = b_store.audit_trail(revision)
        assert [(r.action, r.user_name) for r in trail if r.user_name] == [
            ("visit.handover", "李明"), ("visit.revise", "王芳")]
        _sign(b_store, revision, "off_b", ca)
        sent = b.sync()
        assert sent.ok and sent.visits_sent == 1, sent.messages()
        assert _stored(world, revision) == (off_b.id, "submitted", returned)

        # sup1 returns the visit that was awaiting review; the return reaches off_b.
        assert sup.sync().ok
        _return(s_store, awaiting, "补充应收账款明细", _an_item(s_store, awaiting))
        # ...and approves off_b's revision, countersigning it.
        report_files.countersign_visit(
            s_store, revision, _user(s_store, "sup1"), ca.user("sup1").p12_path,
            ca.user("sup1").password,
            approval=Approval("同意", Classification.NORMAL))
        decided = sup.sync()
        assert decided.ok and decided.returns_sent == 1 and decided.approvals_sent == 1, \
            decided.messages()
        assert _stored(world, awaiting)[1] == "returned"
        assert _stored(world, revision)[1] == "approved"

        assert b.sync().ok
        assert _status(b_store, awaiting) is VisitStatus.RETURNED
        assert _status(b_store, revision) is VisitStatus.APPROVED
        rows = {r.code: r for r in b_store.work_list(officer_id=off_b.id)}
        assert rows["C002"].returned_visit_id == awaiting
        assert rows["C001"].returned_visit_id is None  # revised and approved
        assert b_store.new_revision(awaiting, off_b, "补充明细").id

        # off_a's laptop hears of the decision on what off_a signed, and still offers nothing.
        assert a.sync().ok
        assert _status(a_store, awaiting) is VisitStatus.RETURNED
        assert a_store.work_list(officer_id=off_a.id)[0].returned_visit_id is None
    finally:
        for client in (a, b, sup):
            client.close()
        for store in (a_store, b_store, s_store):
            store.close()
