"""审计日志 / Audit trail window (issue #15 item 4), driven with qtbot against a real
`inspector-hq serve` process (SQLite), from a laptop registered by the administrator: the
newest page, Older/Newer, the filters, Export… read back, and what it says when headquarters
cannot be reached or the user is not an administrator."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hq_process import free_port, served
from PySide6.QtCore import QDate
from sqlalchemy import insert

from inspector_app.common.paths import database_path
from inspector_app.domain.enums import Role
from inspector_app.gui.audit.audit_window import AuditWindow
from inspector_app.hq import admin
from inspector_app.hq.db import Database
from inspector_app.hq.migrate import upgrade_database
from inspector_app.hq.models import AuditEntry
from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient

PASSWORD = "pass-1234"
PUSHES = 60  # off_a's visit.push entries, one an hour from 2026-12-01 00:30 local


@dataclass
class Hq:
    base: str
    root: Path


@pytest.fixture(scope="module")
def hq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hq]:
    root = tmp_path_factory.mktemp("audit-hq")
    url = f"sqlite:///{root / 'hq.sqlite3'}"
    db = Database.open(url)
    upgrade_database(db.engine)
    admin.add_branch(db, "B01", "城东支行", "cli:test")
    admin.add_user(db, "admin", "管理员", Role.ADMIN, PASSWORD, "cli:test")
    admin.add_user(db, "off_a", "李明", Role.OFFICER, PASSWORD, "cli:test", branch_code="B01")
    first = datetime(2026, 12, 1, 0, 30).astimezone()
    with db.engine.begin() as conn:
        conn.execute(insert(AuditEntry), [{
            "at": first + timedelta(hours=n), "actor": "off_a", "action": "visit.push",
            "entity": "visit", "entity_id": f"v-{n}", "detail": {"note": f"第{n}次上传"}}
            for n in range(PUSHES)])
    db.dispose()
    with served(root, url) as base:
        yield Hq(base, root)


def _laptop(tmp_path: Path, migrated: Path, hq: Hq, username: str) -> LocalStore:
    data = tmp_path / f"laptop-{username}"
    data.mkdir()
    shutil.copyfile(migrated, database_path(data))
    store = LocalStore.open(data)
    with SyncClient(store, hq.base) as client:
        client.register(username, PASSWORD, "笔记本")
    return store


@pytest.fixture
def window(qtbot, hq: Hq, tmp_path: Path, _migrated_db: Path) -> Iterator[AuditWindow]:
    store = _laptop(tmp_path, _migrated_db, hq, "admin")
    w = AuditWindow(store)
    qtbot.addWidget(w)
    w.show()
    yield w
    store.close()


def _search(qtbot, w: AuditWindow) -> None:
    with qtbot.waitSignal(w.shown, timeout=20_000):
        w.search_button.click()


def _column(w: AuditWindow, c: int) -> list[str]:
    return [w.table.item(r, c).text() for r in range(w.table.rowCount())]


def test_the_newest_page_then_older_and_back(qtbot, window: AuditWindow) -> None:
    _search(qtbot, window)
    # 60 pushes + the set-up's branch.add and two user.add + admin's device.register = 64.
    # The set-up's entries are stamped now, after the pushes (December 2026's first days).
    assert window.table.rowCount() == 50
    assert _column(window, 2)[:5] == ["device.register", "user.add", "user.add", "branch.add",
                                      "visit.push"]
    assert _column(window, 1)[0] == "admin"
    assert window.older_button.isEnabled() and not window.newer_button.isEnabled()
    with qtbot.waitSignal(window.shown, timeout=20_000):
        window.older_button.click()
    assert window.table.rowCount() == 14
    assert set(_column(window, 2)) == {"visit.push"}
    assert "第0次上传" in _column(window, 5)[-1]
    assert not window.older_button.isEnabled() and window.newer_button.isEnabled()
    with qtbot.waitSignal(window.shown, timeout=20_000):
        window.newer_button.click()
    assert window.table.rowCount() == 50 and _column(window, 2)[0] == "device.register"


def test_the_filters_narrow_the_list(qtbot, window: AuditWindow) -> None:
    window.user_edit.setText("off_a")
    window.action_combo.setCurrentText("visit")
    window.from_edit.setDate(QDate(2026, 12, 2))
    window.to_edit.setDate(QDate(2026, 12, 2))
    _search(qtbot, window)
    # 00:30 on Dec 1 plus n hours: n = 24..47 fall on Dec 2 (local).
    assert window.table.rowCount() == 24
    assert _column(window, 0)[0] == "2026-12-02 23:30:00"
    assert _column(window, 0)[-1] == "2026-12-02 00:30:00"
    assert set(_column(window, 1)) == {"off_a"}
    assert "第47次上传" in _column(window, 5)[0]


def test_a_filter_naming_nothing_and_a_backwards_period_are_said(qtbot,
                                                               window: AuditWindow) -> None:
    window.user_edit.setText("nobody")
    _search(qtbot, window)
    assert "nobody" in window.status_label.text() and "b71c1c" in window.status_label.styleSheet()
    window.user_edit.clear()
    window.from_edit.setDate(QDate(2026, 12, 3))
    window.to_edit.setDate(QDate(2026, 12, 2))
    _search(qtbot, window)
    assert window.status_label.text() in ("开始日期晚于结束日期。",
                                          "The start date is after the end date.")


def test_export_writes_every_matching_entry(qtbot, window: AuditWindow, tmp_path: Path) -> None:
    window.user_edit.setText("off_a")
    _search(qtbot, window)
    target = tmp_path / "audit.xlsx"
    with qtbot.waitSignal(window.export.exported, timeout=30_000):
        window.export.export_to(str(target))
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) == 1 + PUSHES  # every page, not the 50 on screen
    assert all(type(r[0]) is datetime for r in rows[1:])
    assert rows[1][0] == (datetime(2026, 12, 1, 0, 30).astimezone()
                          + timedelta(hours=PUSHES - 1)).replace(tzinfo=None)


def test_unreachable_headquarters_is_said_plainly(qtbot, hq: Hq, tmp_path: Path,
                                                  _migrated_db: Path) -> None:
    store = _laptop(tmp_path, _migrated_db, hq, "admin")
    from inspector_app.store.models import SyncState

    with store.write() as s:  # the laptop now points at a port nobody listens on
        s.get_one(SyncState, 1).server_url = f"http://127.0.0.1:{free_port()}"
    w = AuditWindow(store)
    qtbot.addWidget(w)
    _search(qtbot, w)
    assert ("无法连接总行服务器" in w.status_label.text()
            or "cannot reach the headquarters server" in w.status_label.text())
    assert w.table.rowCount() == 0
    store.close()


def test_an_officer_is_told_only_administrators_may(qtbot, hq: Hq, tmp_path: Path,
                                                    _migrated_db: Path) -> None:
    store = _laptop(tmp_path, _migrated_db, hq, "off_a")
    w = AuditWindow(store)
    qtbot.addWidget(w)
    _search(qtbot, w)
    assert ("只有管理员" in w.status_label.text()
            or "only an administrator" in w.status_label.text())
    assert w.table.rowCount() == 0
    store.close()
    assert datetime.now(UTC)  # the server stays up for the module's other tests


@pytest.mark.parametrize(("username", "offered"), [("admin", True), ("off_a", False)])
def test_the_tools_menu_offers_it_to_administrators_only(qtbot, hq: Hq, tmp_path: Path,
                                                         _migrated_db: Path, username: str,
                                                         offered: bool) -> None:
    from PySide6.QtGui import QAction

    from inspector_app.gui.laptop_settings import LaptopSettings
    from inspector_app.gui.worklist.main_window import MainWindow

    store = _laptop(tmp_path, _migrated_db, hq, username)
    main = MainWindow(store, store.authenticate(username, PASSWORD), LaptopSettings())
    qtbot.addWidget(main)
    action = main.findChild(QAction, "auditAction")
    assert (action is not None) is offered
    if action is not None:
        assert action.text() in ("审计日志(&A)…", "&Audit trail…")
        action.trigger()
        audit = main.audit_window
        assert isinstance(audit, AuditWindow) and audit.isVisible()
        qtbot.waitUntil(lambda: audit.table.rowCount() > 0, timeout=20_000)
        main.open_audit_trail()
        assert main.audit_window is audit  # one window, raised again
    main.close()
    store.close()
