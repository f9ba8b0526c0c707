"""A handover (责任移交) of a borrower whose visits are under review, over real HTTP
(headquarters in-process): what the officer handing over signed is revised, after the
handover, by the officer who took the borrower over.

off_a signed two visits of C001: one the supervisor returned with comments before the
handover, one still awaiting review when it completes. After it, off_b's laptop has both (the
returned one with the supervisor's comments), off_b revises the returned one as a new revision
of their own — the comments at their items, off_a's signed version in its history — signs it
and sends it, and headquarters stores it for review; the supervisor then returns the other
one, and the return reaches off_b, who may revise it too. off_a's laptop offers neither.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from test_e2e_hq import PASSWORD, serve
from test_team_feed import _client, _sync, _user, _visit_on_site, supervisor_laptop

from inspector_app.common.paths import database_path
from inspector_app.domain.enums import Role, VisitStatus
from inspector_app.domain.lifecycle import TransitionError
from inspector_app.hq import admin
from inspector_app.hq import models as hq_models
from inspector_app.hq.context import Hq
from inspector_app.hq.handover import complete_handover, start_handover
from inspector_app.reports import files as report_files
from inspector_app.reports.certs import TestCA, make_test_ca
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, ChecklistAnswer, Visit
from inspector_app.wire import HandoverStart

__all__ = ["supervisor_laptop"]  # the fixture, used by name


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Hq]]:
    with serve(tmp_path) as running:
        admin.add_user(running[1].db, "off_b", "王芳", Role.OFFICER, PASSWORD, "test",
                       branch_code="B01", supervisor_username="sup1")
        yield running


@pytest.fixture
def ca(tmp_path: Path) -> TestCA:
    return make_test_ca(tmp_path / "ca", [("off_a", "李明"), ("off_b", "王芳"),
                                          ("sup1", "张主任")])


@pytest.fixture
def laptop_b(tmp_path: Path, _migrated_db: Path) -> Iterator[LocalStore]:
    data = tmp_path / "laptop-b"
    data.mkdir()
    database_path(data).write_bytes(_migrated_db.read_bytes())
    laptop = LocalStore.open(data)
    yield laptop
    laptop.close()


def _sign_as(store: LocalStore, visit_id: str, username: str, ca: TestCA) -> None:
    officer = _user(store, username)
    store.transition(visit_id, officer, VisitStatus.COMPLETED)
    report_files.sign_visit(store, visit_id, officer, ca.user(username).p12_path,
                            ca.user(username).password)


def _return(laptop: LocalStore, visit_id: str, comment: str, item: str, text: str) -> None:
    me = _user(laptop, "sup1")
    laptop.set_review_comment(visit_id, me, "answer", item, text)
    laptop.return_visit(visit_id, me, comment)


def _first_item(store: LocalStore, visit_id: str) -> str:
    with store.read() as s:
        code = s.scalars(select(ChecklistAnswer.item_code)
                         .where(ChecklistAnswer.visit_id == visit_id)
                         .order_by(ChecklistAnswer.item_code)).first()
    assert code is not None
    return code


def _hand_over(hq: Hq, base: str, laptop_a: LocalStore) -> str:
    """C001 from off_a to off_b: started, let go by off_a's laptop, the record taken as signed
    by both officers (the signatures are the e2e test's business), completed."""
    record = start_handover(hq.db, HandoverStart(from_officer="off_a", to_officer="off_b",
                                                 borrower_codes=["C001"]), "cli:test")
    released = _sync(laptop_a, base)
    assert released.ok and released.handovers_released == 1, released.messages()
    with hq.db.write() as s:
        s.execute(update(hq_models.Handover).where(hq_models.Handover.id == record.id)
                  .values(signed_sha256="a" * 64, countersigned_sha256="b" * 64))
    # An administrator's completion (the supervisor's third signature is the e2e test's too).
    done = complete_handover(hq.db, record.id, "cli:test", override_reason="测试")
    assert done.status == "completed"
    return record.id


def test_the_officer_taking_over_revises_what_the_supervisor_returned(
        store: LocalStore, laptop_b: LocalStore, supervisor_laptop: LocalStore,
        server: tuple[str, Hq], ca: TestCA, tmp_path: Path) -> None:
    base, hq = server
    laptop_a = store
    with _client(laptop_a, base) as a:
        a.register("off_a", PASSWORD, "李明的笔记本")
        assert a.sync().ok
    returned = _visit_on_site(laptop_a, tmp_path, 1)
    _sign_as(laptop_a, returned, "off_a", ca)
    assert _sync(laptop_a, base).ok
    awaiting = _visit_on_site(laptop_a, tmp_path, 3)
    _sign_as(laptop_a, awaiting, "off_a", ca)
    assert _sync(laptop_a, base).ok
    item = _first_item(laptop_a, returned)

    with _client(supervisor_laptop, base) as sup:
        sup.register("sup1", PASSWORD, "主任的笔记本")
        assert sup.sync().ok
        _return(supervisor_laptop, returned, "请按意见核实", item, "与财务报表不符")
        assert sup.sync().returns_sent == 1
        assert _sync(laptop_a, base).ok
        with laptop_a.read() as s:
            assert s.get_one(Visit, returned).status is VisitStatus.RETURNED

        _hand_over(hq, base, laptop_a)
        assert _sync(laptop_a, base).ok  # off_a lets go

        # off_a's laptop keeps what off_a signed, and offers no revision of it.
        off_a = _user(laptop_a, "off_a")
        with pytest.raises(TransitionError, match="no longer yours"):
            laptop_a.new_revision(returned, off_a, "按意见修改")
        with laptop_a.read() as s:
            c001 = s.scalar(select(Borrower.id).where(Borrower.code == "C001"))
        assert c001 is not None
        assert {v.id: v.borrower_officer_id for v in laptop_a.borrower_visits(c001).visits} \
            == {returned: None, awaiting: None}

        # off_b's laptop: the returned visit with the supervisor's comments, and the other.
        with _client(laptop_b, base) as b:
            b.register("off_b", PASSWORD, "王芳的笔记本")
            taken = b.sync()
            assert taken.ok and taken.handover_visits_received == 2, taken.messages()
            off_b = _user(laptop_b, "off_b")
            with laptop_b.read() as s:
                assert s.get_one(Visit, returned).status is VisitStatus.RETURNED
                assert s.get_one(Visit, awaiting).status is VisitStatus.SUBMITTED
            [row] = laptop_b.work_list(officer_id=off_b.id)
            assert (row.code, row.returned_visit_id, row.returned_comments) == (
                "C001", returned, 1)

            revision = laptop_b.new_revision(returned, off_b, "按主任意见核实财务报表").id
            comments = laptop_b.comments_for_revision(revision)
            assert comments is not None and comments.comment == "请按意见核实"
            assert [(c.target, c.ref, c.text) for c in comments.comments] == [
                ("answer", item, "与财务报表不符")]
            history = laptop_b.audit_trail(revision)
            # off_a's signed version stays in the history, with who signed it.
            assert [(r.action, r.user_name) for r in history if r.user_name] == [
                ("visit.handover", "李明"), ("visit.revise", "王芳")]
            laptop_b.set_answer(revision, off_b, item, _answer(laptop_b, revision, item),
                                note="已核对财务报表")
            _sign_as(laptop_b, revision, "off_b", ca)
            sent = b.sync()
            assert sent.ok and sent.visits_sent == 1, sent.messages()
            with hq.db.read() as s:
                stored = s.get_one(hq_models.Visit, revision)
                assert (stored.officer_id, stored.status, stored.previous_revision_id) == (
                    off_b.id, "submitted", returned)

            # The visit awaiting review at the handover: the supervisor returns it, and the
            # return reaches off_b (and off_a's laptop, which signed it) at the next sync.
            assert sup.sync().ok
            _return(supervisor_laptop, awaiting, "补充应收账款明细", item, "请补充")
            assert sup.sync().returns_sent == 1
            assert b.sync().ok
            with laptop_b.read() as s:
                assert s.get_one(Visit, awaiting).status is VisitStatus.RETURNED
            [row] = laptop_b.work_list(officer_id=off_b.id)
            assert row.returned_visit_id == awaiting
            again = laptop_b.new_revision(awaiting, off_b, "补充明细")
            assert again.officer_id == off_b.id
        assert _sync(laptop_a, base).ok
        with laptop_a.read() as s:
            assert s.get_one(Visit, awaiting).status is VisitStatus.RETURNED
        with pytest.raises(TransitionError, match="no longer yours"):
            laptop_a.new_revision(awaiting, off_a, "补充明细")

        # The supervisor receives off_b's revision to review, with what changed.
        assert sup.sync().ok
        with supervisor_laptop.read() as s:
            assert s.get_one(Visit, revision).status is VisitStatus.SUBMITTED
        diff = supervisor_laptop.revision_diff(revision)
        assert diff is not None


def _answer(store: LocalStore, visit_id: str, item: str) -> str:
    with store.read() as s:
        value = s.scalar(select(ChecklistAnswer.value).where(
            ChecklistAnswer.visit_id == visit_id, ChecklistAnswer.item_code == item))
    assert value is not None
    return str(value)


def test_without_the_handover_another_officer_cannot_revise(
        store: LocalStore, server: tuple[str, Hq], ca: TestCA, tmp_path: Path) -> None:
    """The rule headquarters keeps: the holder is whom a completed handover passed the visit
    to; nobody else's revision of it is taken."""
    from inspector_app.hq.errors import ApiError
    from inspector_app.hq.lifecycle import check_revision
    from inspector_app.sync.mapping import visit_record

    base, hq = server
    with _client(store, base) as a:
        a.register("off_a", PASSWORD, "李明的笔记本")
        assert a.sync().ok
    visit_id = _visit_on_site(store, tmp_path, 5)
    _sign_as(store, visit_id, "off_a", ca)
    assert _sync(store, base).ok
    with hq.db.read() as s:
        off_b = s.scalar(select(hq_models.User.id).where(hq_models.User.username == "off_b"))
    off_a = _user(store, "off_a")
    revision = store.new_revision(visit_id, off_a, "补充")
    with store.read() as s:
        document = visit_record(s, revision.id)
    assert document is not None
    check_revision(hq, document)  # off_a's own: taken
    other = document.model_copy(update={"officer_id": off_b})
    with pytest.raises(ApiError) as refused:
        check_revision(hq, other)
    assert refused.value.body.code == "invalid_revision"
