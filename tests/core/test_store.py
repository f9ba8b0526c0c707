"""The local store: connection settings, record bookkeeping, audit log, signed-visit lock."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from inspector_app.common.paths import DATA_DIR_ENV, data_dir
from inspector_app.domain.enums import VisitStatus
from inspector_app.store.local import LocalStore, VisitLockedError
from inspector_app.store.models import AuditEntry, Borrower, ChecklistAnswer, Note, Visit


def test_every_connection_gets_the_pragmas(store: LocalStore) -> None:
    for _ in range(2):  # a second pooled connection too
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_foreign_keys_are_enforced(store: LocalStore, portfolio) -> None:
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(Note(visit_id="no-such-visit", text="x"))


def test_records_get_client_uuid_timestamps_and_version_bumps(store: LocalStore, portfolio) -> None:
    with store.read() as s:
        b = s.get_one(Borrower, portfolio.borrower_id)
    assert uuid.UUID(b.id).version == 4
    assert b.created_at.tzinfo is not None and b.version == 1
    with store.write() as s:
        s.get_one(Borrower, b.id).phone = "025-88886666"
    with store.read() as s:
        again = s.get_one(Borrower, b.id)
    assert again.version == 2
    assert again.updated_at > b.updated_at
    assert again.created_at == b.created_at


def test_a_stale_copy_cannot_overwrite_a_newer_one(store: LocalStore, portfolio) -> None:
    with store.read() as s:
        stale = s.get_one(Borrower, portfolio.borrower_id)
    with store.write() as s:
        s.get_one(Borrower, stale.id).phone = "1"
    with pytest.raises(StaleDataError), store.write() as s:
        merged = s.merge(stale)
        merged.phone = "2"


def test_audit_log_is_append_only(store: LocalStore, portfolio) -> None:
    with store.read() as s:
        n = len(s.scalars(select(AuditEntry)).all())
    assert n >= 3  # the three users created
    con = sqlite3.connect(store.data_dir / "inspector.sqlite3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("UPDATE audit_log SET action = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("DELETE FROM audit_log")
    con.close()


def test_audit_entries_are_numbered_in_order(store: LocalStore, portfolio) -> None:
    with store.read() as s:
        seqs = s.scalars(select(AuditEntry.seq).order_by(AuditEntry.at)).all()
    assert seqs == list(range(1, len(seqs) + 1))


def _sign(store: LocalStore, visit_id: str) -> None:
    # Straight to signed, bypassing the checklist: the lock is what is under test here.
    with store.write() as s:
        s.get_one(Visit, visit_id).status = VisitStatus.SIGNED


def test_store_refuses_any_change_to_a_signed_visit(store: LocalStore, portfolio) -> None:
    with store.write() as s:
        s.add(ChecklistAnswer(visit_id=portfolio.visit_id, item_code="R-1", value="yes"))
    _sign(store, portfolio.visit_id)

    with pytest.raises(VisitLockedError, match="signed"), store.write() as s:
        s.get_one(Visit, portfolio.visit_id).general_note = "changed after signing"
    with pytest.raises(VisitLockedError), store.write() as s:
        s.add(Note(visit_id=portfolio.visit_id, text="late note"))
    with pytest.raises(VisitLockedError), store.write() as s:
        s.scalars(select(ChecklistAnswer)).one().value = "no"
    with pytest.raises(VisitLockedError), store.write() as s:
        s.delete(s.scalars(select(ChecklistAnswer)).one())
    with store.read() as s:
        visit = s.get_one(Visit, portfolio.visit_id)
        assert visit.general_note == ""
        assert [a.value for a in s.scalars(select(ChecklistAnswer))] == ["yes"]
        assert s.scalars(select(Note)).all() == []


def test_the_handwritten_signature_is_locked_with_the_visit(store: LocalStore, portfolio) -> None:
    with store.write() as s:
        s.get_one(Visit, portfolio.visit_id).officer_signature_png = b"\x89PNG strokes"
    _sign(store, portfolio.visit_id)
    with pytest.raises(VisitLockedError), store.write() as s:
        s.get_one(Visit, portfolio.visit_id).officer_signature_png = b"other strokes"


def test_a_signed_visit_still_moves_through_review(store: LocalStore, portfolio) -> None:
    _sign(store, portfolio.visit_id)
    store.transition(portfolio.visit_id, portfolio.officer, VisitStatus.SUBMITTED)
    store.transition(portfolio.visit_id, portfolio.supervisor, VisitStatus.APPROVED)
    with store.read() as s:
        assert s.get_one(Visit, portfolio.visit_id).status is VisitStatus.APPROVED


def test_data_dir_comes_from_flag_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert data_dir() == tmp_path / "from-env"
    assert data_dir(tmp_path / "from-flag") == tmp_path / "from-flag"
    monkeypatch.delenv(DATA_DIR_ENV)
    assert "inspector-app" in str(data_dir())


def test_app_state_round_trip(store: LocalStore) -> None:
    assert store.get_state("last_visit") is None
    store.set_state("last_visit", "v-1")
    store.set_state("last_visit", "v-2")
    assert store.get_state("last_visit") == "v-2"
