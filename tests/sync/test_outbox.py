"""The outbox hook: every visit edit queues the visit in the same transaction, nothing else does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_helpers import Portfolio, clear_outbox, make_photo, outbox_rows

from inspector_app.domain.enums import (
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
)
from inspector_app.store import migrate, outbox
from inspector_app.store.local import LocalStore
from inspector_app.store.models import OutboxEntry, RiskSignal, Visit
from inspector_app.store.visit_checks import visit_checklist


def _first_item(store: LocalStore, visit_id: str) -> str:
    with store.read() as s:
        checklist = visit_checklist(s.get_one(Visit, visit_id))
    return next(i.code for i in checklist.items() if i.type == "yes_no")


def test_starting_a_visit_queues_it(store: LocalStore, portfolio: Portfolio) -> None:
    assert outbox_rows(store) == [("visit", portfolio.visit_id)]


def test_an_answer_queues_its_visit(store: LocalStore, portfolio: Portfolio) -> None:
    clear_outbox(store)
    store.set_answer(portfolio.visit_id, portfolio.officer,
                     _first_item(store, portfolio.visit_id), "yes")
    assert outbox_rows(store) == [("visit", portfolio.visit_id)]


def test_a_second_edit_updates_the_same_row(store: LocalStore, portfolio: Portfolio) -> None:
    code = _first_item(store, portfolio.visit_id)
    with store.read() as s:
        first = s.scalar(select(OutboxEntry.enqueued_at))
    store.set_answer(portfolio.visit_id, portfolio.officer, code, "no")
    with store.read() as s:
        rows = list(s.scalars(select(OutboxEntry)))
    assert [(r.entity, r.ref) for r in rows] == [("visit", portfolio.visit_id)]
    assert rows[0].enqueued_at > first


def test_a_rolled_back_change_leaves_no_row(store: LocalStore, portfolio: Portfolio) -> None:
    clear_outbox(store)
    with pytest.raises(RuntimeError, match="changed my mind"), store.write() as s:
        s.get_one(Visit, portfolio.visit_id).place = "仓库"
        s.flush()  # the hook has run and written its row inside the transaction
        raise RuntimeError("changed my mind")
    assert outbox_rows(store) == []
    with store.read() as s:
        assert s.get_one(Visit, portfolio.visit_id).place == "厂区"


def test_an_audit_only_write_leaves_no_row(store: LocalStore, portfolio: Portfolio) -> None:
    clear_outbox(store)
    with store.write() as s:
        store.audit(s, portfolio.officer.id, "visit.open", "visit", portfolio.visit_id)
    store.set_state("last_visit", portfolio.visit_id)
    assert outbox_rows(store) == []


def test_an_unchanged_object_in_the_session_queues_nothing(
    store: LocalStore, portfolio: Portfolio
) -> None:
    clear_outbox(store)
    with store.write() as s:
        visit = s.get_one(Visit, portfolio.visit_id)
        visit.place = visit.place  # an attribute set to what it was is no change
    assert outbox_rows(store) == []


def test_a_photo_queues_its_file_and_its_visit(
    store: LocalStore, portfolio: Portfolio, tmp_path: Path
) -> None:
    clear_outbox(store)
    photo = store.add_photo(portfolio.visit_id, portfolio.officer, make_photo(tmp_path, 1))
    assert outbox_rows(store) == sorted([("blob", photo.sha256), ("visit", portfolio.visit_id)])


def test_a_signal_and_its_steps_queue_the_visit_they_came_from(
    store: LocalStore, portfolio: Portfolio
) -> None:
    from datetime import date

    clear_outbox(store)
    signal = store.raise_signal(RiskSignal(
        borrower_id=portfolio.borrower_id, visit_id=portfolio.visit_id,
        category=SignalCategory.COLLATERAL, severity=Severity.ORANGE,
        source=SignalSource.OFFICER, title="库存减少", raised_on=date(2026, 11, 20),
    ), portfolio.officer)
    assert outbox_rows(store) == [("visit", portfolio.visit_id)]
    clear_outbox(store)
    store.advance_signal(signal.id, portfolio.officer, SignalStatus.MONITORED, "每周盘点")
    assert outbox_rows(store) == [("visit", portfolio.visit_id)]


def test_a_new_revision_queues_the_new_visit_only(store: LocalStore, portfolio: Portfolio) -> None:
    from inspector_app.domain.enums import VisitStatus

    with store.write() as s:  # a signed visit, as signing would leave it
        s.get_one(Visit, portfolio.visit_id).status = VisitStatus.SIGNED
    clear_outbox(store)
    new = store.new_revision(portfolio.visit_id, portfolio.officer, "补充照片")
    assert outbox_rows(store) == [("visit", new.id)]


def test_a_quiet_session_queues_nothing(store: LocalStore, portfolio: Portfolio) -> None:
    clear_outbox(store)
    with outbox.quiet_write(store) as s:
        s.get_one(Visit, portfolio.visit_id).place = "仓库"
    assert outbox_rows(store) == []


def test_the_upgrade_queues_what_was_written_before_sync_existed(tmp_path: Path) -> None:
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db, "0003")
    con = sqlite3.connect(db)
    rec = ("2026-01-05 08:00:00.000000",) * 2 + (1,)
    con.execute("INSERT INTO users (username, display_name, role, password_hash, active, id, "
                "created_at, updated_at, version) VALUES ('li', '李明', 'officer', 'x', 1, "
                "'u-1', ?, ?, ?)", rec)
    con.execute("INSERT INTO borrowers (code, name, kind, industry, id_number, "
                "legal_representative, address, phone, classification, open_signals, id, "
                "created_at, updated_at, version) VALUES ('C1', '恒达', 'company', 'other', "
                "'9132', '', '', '', 'normal', 0, 'br-1', ?, ?, ?)", rec)
    con.execute("INSERT INTO visits (borrower_id, officer_id, kind, status, template_code, "
                "template_version, template_refs, revision, visit_date, place, people_met, "
                "general_note, override_reason, measures, id, created_at, updated_at, version) "
                "VALUES ('br-1', 'u-1', 'routine', 'draft', 'routine', 1, '[]', 1, "
                "'2026-01-05', '', '', '', '', '', 'v-1', ?, ?, ?)", rec)
    con.execute("INSERT INTO photos (visit_id, sha256, original_name, caption, width, height, "
                "size_bytes, id, created_at, updated_at, version) VALUES ('v-1', ?, 'a.jpg', "
                "'', 1, 1, 1, 'p-1', ?, ?, ?)", ("ab" * 32, *rec))
    con.commit()
    con.close()
    store = LocalStore(tmp_path, migrate.upgrade_database(db))
    try:
        with store.read() as s:
            rows = outbox.pending(s, outbox.BLOB) + outbox.pending(s, outbox.VISIT)
    finally:
        store.close()
    assert [(r.entity, r.ref, r.attempts) for r in rows] == [
        ("blob", "ab" * 32, 0), ("visit", "v-1", 0)]
    assert all(r.enqueued_at.tzinfo is not None for r in rows)  # read back as UTC times
