"""Migrations: applied at start-up, data carried over, failures restored from the backup."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.schema import CreateIndex

from inspector_app.store import migrate
from inspector_app.store.db import make_engine
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Base,
    Borrower,
    ChecklistAnswer,
    CollateralItem,
    Visit,
)

T0 = "2026-01-05 08:00:00.000000"


def _fill_at_first_revision(db: Path) -> None:
    """Rows written with plain SQL, as the first release's code would have written them."""
    con = sqlite3.connect(db)
    rec = (T0, T0, 1)
    con.execute("INSERT INTO branches VALUES ('B1', '城东支行', 'b-1', ?, ?, ?)", rec)
    con.execute(
        "INSERT INTO users (username, display_name, role, branch_id, supervisor_id, "
        "password_hash, active, id, created_at, updated_at, version) "
        "VALUES ('li', '李明', 'officer', 'b-1', NULL, 'x', 1, 'u-1', ?, ?, ?)",
        rec,
    )
    con.execute(
        "INSERT INTO borrowers (code, name, kind, industry, id_number, legal_representative, "
        "address, phone, officer_id, branch_id, classification, open_signals, next_due_on, "
        "next_due_kind, id, created_at, updated_at, version) VALUES ('C001', "
        "'江苏恒达精密机械有限公司', 'company', 'manufacturing', '91320000MA1X000001', '王强', "
        "'南京', '', 'u-1', 'b-1', 'normal', 0, '2026-02-01', 'routine', 'br-1', ?, ?, ?)",
        rec,
    )
    con.execute(
        "INSERT INTO collateral_items (borrower_id, loan_id, kind, description, location, "
        "appraised_value_fen, pledged_value_fen, certificate_no, id, created_at, updated_at, "
        "version) VALUES ('br-1', NULL, 'warehouse_stock', '钢材库存', '1号仓库', 500000000, "
        "300000000, '', 'c-1', ?, ?, ?)",
        rec,
    )
    con.execute(
        "INSERT INTO visits (borrower_id, officer_id, kind, status, template_code, "
        "template_version, template_refs, revision, previous_revision_id, visit_date, place, "
        "people_met, started_at, ended_at, general_note, recommended_classification, "
        "final_classification, override_reason, measures, next_due_on, id, created_at, "
        "updated_at, version) VALUES ('br-1', 'u-1', 'routine', 'signed', 'routine', 1, "
        "'[\"routine@1\"]', 1, NULL, '2026-01-05', '厂区', '王强', NULL, NULL, '经营正常', "
        "'normal', 'normal', '', '', NULL, 'v-1', ?, ?, ?)",
        rec,
    )
    con.execute(
        "INSERT INTO checklist_answers (visit_id, item_code, value, note, id, created_at, "
        "updated_at, version) VALUES ('v-1', 'R-WIL-01', 'yes', '按时还款', 'a-1', ?, ?, ?)",
        rec,
    )
    con.execute(
        "INSERT INTO audit_log VALUES ('au-1', 1, ?, 'u-1', 'visit.transition', 'visit', "
        "'v-1', '{}')",
        (T0,),
    )
    con.commit()
    con.close()


def test_upgrade_from_first_revision_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db, "0001")
    _fill_at_first_revision(db)

    result = migrate.upgrade_database(db)

    assert (result.from_revision, result.to_revision) == ("0001", migrate.head_revision())
    assert result.backup is not None and result.backup.exists()
    store = LocalStore(tmp_path, result)
    with store.read() as s:
        assert s.get_one(Borrower, "br-1").name == "江苏恒达精密机械有限公司"
        item = s.get_one(CollateralItem, "c-1")
        assert (item.found_on_site, item.appraised_value_fen) == (False, 500000000)
        assert s.get_one(Visit, "v-1").template_refs == ["routine@1"]
        assert s.get_one(ChecklistAnswer, "a-1").note == "按时还款"
    store.close()
    # The new guards apply to the old data: the signed visit is now locked.
    con = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError, match="locked"):
        con.execute("UPDATE checklist_answers SET value = 'no' WHERE id = 'a-1'")
    con.close()


def test_head_schema_matches_the_models(tmp_path: Path) -> None:
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db)
    engine = make_engine(db)
    with engine.connect() as conn, warnings.catch_warnings():
        # Alembic cannot reflect an index on an expression from SQLite: compared below.
        warnings.filterwarnings("ignore", message=".*expression-based index")
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
    expression_indexes = {
        index.name: str(CreateIndex(index).compile(dialect=sqlite_dialect()))
        for table in Base.metadata.tables.values() for index in table.indexes
        if any(not isinstance(part, Column) for part in index.expressions)
    }
    assert expression_indexes  # the work list's order (ix_borrowers_work_list)
    con = sqlite3.connect(db)
    made = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
    con.close()
    assert {name: made.get(name) for name in expression_indexes} == expression_indexes


def test_failed_step_restores_backup_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db, "0001")
    _fill_at_first_revision(db)

    def half_applied_then_fails(engine: Engine, target: str) -> None:
        # Damage the file the way a half-applied step would, commit it, then fail.
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM checklist_answers")
        raise RuntimeError("disk full")

    monkeypatch.setattr(migrate, "_run", half_applied_then_fails)
    with pytest.raises(migrate.MigrationError, match="restored") as info:
        migrate.upgrade_database(db)
    assert "disk full" in str(info.value)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM checklist_answers").fetchone() == (1,)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    con.close()


def test_a_real_failing_step_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A step that fails inside Alembic leaves the schema at the old revision."""
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db, "0001")
    _fill_at_first_revision(db)
    con = sqlite3.connect(db)
    # A table in the way of revision 0002's CREATE TABLE makes that step fail for real.
    con.execute("CREATE TABLE app_state (key TEXT)")
    con.commit()
    con.close()
    with pytest.raises(migrate.MigrationError, match="0001"):
        migrate.upgrade_database(db)
    con = sqlite3.connect(db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    cols = [r[1] for r in con.execute("PRAGMA table_info(collateral_items)")]
    assert "found_on_site" not in cols
    con.close()


def test_up_to_date_database_is_not_backed_up(tmp_path: Path) -> None:
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db)
    again = migrate.upgrade_database(db)
    assert again.backup is None
    assert list(tmp_path.glob("*.bak")) == []


def test_downgrade_to_first_revision_and_back_keeps_the_guards(tmp_path: Path) -> None:
    from alembic import command

    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db)
    engine = make_engine(db)
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    con = sqlite3.connect(db)
    triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    con.close()
    assert {"trg_visits_locked_update", "trg_visits_locked_delete"} <= triggers
    engine.dispose()
    assert migrate.upgrade_database(db).to_revision == migrate.head_revision()


def test_0007_dates_the_wait_of_visits_already_submitted(tmp_path: Path) -> None:
    """Visits submitted before the review tables existed get submitted_at from the audit
    log's step to submitted (or arrival from the team feed), else their last update."""
    db = tmp_path / "inspector.sqlite3"
    migrate.upgrade_database(db, "0001")
    _fill_at_first_revision(db)
    migrate.upgrade_database(db, "0006")
    con = sqlite3.connect(db)
    con.execute("UPDATE visits SET status = 'submitted' WHERE id = 'v-1'")
    con.execute(
        "INSERT INTO audit_log VALUES ('au-2', 2, '2026-01-06 09:00:00.000000', 'u-1', "
        "'visit.transition', 'visit', 'v-1', '{\"source\": \"signed\", \"target\": "
        "\"submitted\"}')"
    )
    con.execute(
        "INSERT INTO visits (borrower_id, officer_id, kind, status, template_code, "
        "template_version, template_refs, revision, visit_date, place, people_met, "
        "general_note, override_reason, measures, id, created_at, updated_at, version) "
        "VALUES ('br-1', 'u-1', 'routine', 'approved', 'routine', 1, '[]', 1, '2026-01-07', "
        "'', '', '', '', '', 'v-2', ?, '2026-01-08 10:00:00.000000', 1)",
        (T0,),
    )
    con.commit()
    con.close()

    migrate.upgrade_database(db)

    con = sqlite3.connect(db)
    rows = dict(con.execute("SELECT id, submitted_at FROM visits").fetchall())
    reviews = con.execute(
        "SELECT visit_id, reviewer_id, decision, decided_at, state FROM reviews").fetchall()
    con.close()
    assert rows == {"v-1": "2026-01-06 09:00:00.000000", "v-2": "2026-01-08 10:00:00.000000"}
    # The visit decided before reviews existed has its decision row; who decided is unknown.
    assert reviews == [("v-2", None, "approved", "2026-01-08 10:00:00.000000", "confirmed")]
