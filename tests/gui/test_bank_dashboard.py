"""全行看板 / Bank dashboard (issue #15 item 1), driven with qtbot against a real
`inspector-hq serve` process (SQLite), from a laptop registered by the administrator: the
figures per officer, per branch and for one branch, a bar and a matrix cell clicked through to
the borrowers behind them, those rows a page at a time, and what the window says when
headquarters cannot be reached.

The bank: branches B01 城东支行 (sup1 张主任, off_a 李明: C001) and B02 城西支行 (sup2 赵主任,
off_b 王芳: C002, C003). Working-capital loans owe a first inspection 15 days after
disbursement: C001's and C002's (2026-03-01) on 2026-03-16, overdue on TODAY; C003's
(2026-03-10) on 2026-03-25, due within 7 days. C003's loan is substandard."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from hq_process import served
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from screen_checks import fit_problems, foreign_words, visible_texts
from sqlalchemy import select
from window_tour import snapshot

from inspector_app.common.paths import database_path
from inspector_app.domain.enums import Classification, Role
from inspector_app.gui import i18n
from inspector_app.gui.app import use_bundled_font
from inspector_app.gui.dashboard.bank_window import BankDashboardWindow
from inspector_app.gui.dashboard.drill_dialog import DrillDialog
from inspector_app.gui.dashboard.sources import HeadquartersDashboard
from inspector_app.hq import admin
from inspector_app.hq.csv_import import import_files
from inspector_app.hq.db import Database
from inspector_app.hq.migrate import upgrade_database
from inspector_app.hq.models import User
from inspector_app.store.facade import Drill, DueBucket, GroupBy, Scope
from inspector_app.store.local import LocalStore
from inspector_app.sync.client import SyncClient

PASSWORD = "pass-1234"
TODAY = date(2026, 3, 20)


@dataclass
class Hq:
    base: str
    users: dict[str, str]  # username -> id


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _bank(root: Path, url: str) -> dict[str, str]:
    db = Database.open(url)
    upgrade_database(db.engine)
    admin.add_branch(db, "B01", "城东支行", "cli:test")
    admin.add_branch(db, "B02", "城西支行", "cli:test")
    admin.add_user(db, "admin", "管理员", Role.ADMIN, PASSWORD, "cli:test")
    for username, name, branch in (("sup1", "张主任", "B01"), ("sup2", "赵主任", "B02")):
        admin.add_user(db, username, name, Role.SUPERVISOR, PASSWORD, "cli:test",
                       branch_code=branch)
    for username, name, branch, boss in (("off_a", "李明", "B01", "sup1"),
                                         ("off_b", "王芳", "B02", "sup2")):
        admin.add_user(db, username, name, Role.OFFICER, PASSWORD, "cli:test",
                       branch_code=branch, supervisor_username=boss)
    borrowers = [("C001", "江苏恒达精密机械有限公司", "B01", "off_a", "2026-03-01", "normal"),
                 ("C002", "南京德炎水产有限公司", "B02", "off_b", "2026-03-01", "normal"),
                 ("C003", "苏州巨源油业有限公司", "B02", "off_b", "2026-03-10", "substandard")]
    import_files(db, {
        "borrowers": _csv(root / "borrowers.csv", [
            {"code": c, "name": n, "kind": "company", "industry": "manufacturing",
             "id_number": f"91320000MA1X00000{i}", "branch": b, "officer": o}
            for i, (c, n, b, o, _d, _k) in enumerate(borrowers, 1)]),
        "loans": _csv(root / "loans.csv", [
            {"contract_no": f"L-{c}", "borrower_code": c, "loan_type": "working_capital",
             "amount_yuan": "5000000.00", "disbursed_on": d, "matures_on": "2027-03-01",
             "classification": k} for c, _n, _b, _o, d, k in borrowers]),
    }, "cli:test")
    with db.read() as s:
        users = dict(s.execute(select(User.username, User.id)).all())
    db.dispose()
    return users


@pytest.fixture(scope="module")
def hq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hq]:
    root = tmp_path_factory.mktemp("bank-hq")
    url = f"sqlite:///{root / 'hq.sqlite3'}"
    users = _bank(root, url)
    with served(root, url) as base:
        yield Hq(base, users)


@pytest.fixture
def laptop(hq: Hq, tmp_path: Path, _migrated_db: Path) -> Iterator[LocalStore]:
    data = tmp_path / "laptop"
    data.mkdir()
    shutil.copyfile(_migrated_db, database_path(data))
    store = LocalStore.open(data)
    with SyncClient(store, hq.base) as client:
        client.register("admin", PASSWORD, "笔记本")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, laptop: LocalStore) -> BankDashboardWindow:
    w = BankDashboardWindow(laptop, today=lambda: TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.view.loaded, timeout=20_000):
        w.reload()
    return w


def _click_bar(qtbot, w: BankDashboardWindow, category: object, series: object
               ) -> DrillDialog:
    chart = w.view.due_chart
    w.view.pages.setCurrentIndex(0)
    qtbot.waitUntil(chart.isVisible)
    with qtbot.waitSignal(w.view.drill_opened) as opened:
        qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton,
                         pos=chart.bar_point(category, series))
    dialog: DrillDialog = opened.args[0]
    qtbot.waitUntil(lambda: not dialog.loading and dialog.count_label.text() != "",
                    timeout=20_000)
    return dialog


def _codes(dialog: DrillDialog) -> list[str]:
    return [r.code for r in dialog.rows]


def test_the_bank_per_officer_and_a_bar_clicked_through(qtbot, hq: Hq,
                                                        window: BankDashboardWindow) -> None:
    u = hq.users
    assert sorted(window.view.due_chart.bar_keys()) == sorted([
        (u["off_a"], DueBucket.OVERDUE), (u["off_b"], DueBucket.OVERDUE),
        (u["off_b"], DueBucket.WITHIN_7)])
    # An officer's row names their team; the status line sums the bank.
    assert window.view.due_chart.tip(u["off_b"], DueBucket.OVERDUE).startswith("王芳 · 赵主任")
    assert "3" in window.status.text() and window.status.styleSheet() == ""
    dialog = _click_bar(qtbot, window, u["off_b"], DueBucket.OVERDUE)
    assert _codes(dialog) == ["C002"]
    assert dialog.rows[0].officer == "王芳" and not dialog.more_button.isVisible()


def test_per_branch_then_one_branch(qtbot, hq: Hq, window: BankDashboardWindow) -> None:
    with qtbot.waitSignal(window.view.loaded, timeout=20_000):
        window.group_combo.setCurrentIndex(window.group_combo.findData(GroupBy.BRANCH.value))
    board = window.view.board
    assert board is not None and board.scope.group is GroupBy.BRANCH
    assert {d.officer: (d.overdue, d.within_7) for d in board.due} == {
        "城东支行": (1, 0), "城西支行": (1, 1)}
    b02 = next(r.officer_id for r in board.workload if r.officer == "城西支行")
    dialog = _click_bar(qtbot, window, b02, DueBucket.WITHIN_7)
    assert _codes(dialog) == ["C003"]
    with qtbot.waitSignal(window.view.loaded, timeout=20_000):
        window.scope_combo.setCurrentIndex(window.scope_combo.findData("branch:B02"))
    board = window.view.board
    assert board is not None
    assert {d.officer for d in board.due} == {"城西支行"}
    assert board.classifications == {Classification.NORMAL: 1, Classification.SUBSTANDARD: 1}
    # The list of branches and teams stays the bank's, to go elsewhere.
    assert window.scope_combo.count() == 5


def test_a_matrix_cell_lists_its_borrowers_a_page_at_a_time(qtbot, laptop: LocalStore,
                                                             window: BankDashboardWindow
                                                             ) -> None:
    assert window.view.matrix.count(Classification.NORMAL, Classification.NORMAL) == 2
    window.view.pages.setCurrentIndex(2)
    qtbot.waitUntil(window.view.matrix.isVisible)
    with qtbot.waitSignal(window.view.drill_opened) as opened:
        qtbot.mouseClick(window.view.matrix.viewport(), Qt.MouseButton.LeftButton,
                         pos=window.view.matrix.cell_rect(Classification.NORMAL,
                                                          Classification.NORMAL).center())
    dialog: DrillDialog = opened.args[0]
    qtbot.waitUntil(lambda: not dialog.loading and dialog.rows != [], timeout=20_000)
    assert _codes(dialog) == ["C002", "C001"]  # by due date, then name: 南京 before 江苏
    # The same list from a source that asks one row at a time: More rows fetches the next.
    start, end = window.view.period()
    paged = DrillDialog(HeadquartersDashboard(laptop, page_size=1), Drill(
        "migration", TODAY, start, end, classification=Classification.NORMAL,
        to_classification=Classification.NORMAL, scope=Scope()), "", "")
    qtbot.addWidget(paged)
    qtbot.waitUntil(lambda: paged.rows != [], timeout=20_000)
    assert _codes(paged) == ["C002"] and paged.more_button.isVisibleTo(paged)
    with qtbot.waitSignal(paged.loaded, timeout=20_000):
        paged.more_button.click()
    assert _codes(paged) == ["C002", "C001"] and not paged.more_button.isVisibleTo(paged)


def test_headquarters_out_of_reach_is_said_and_nothing_breaks(qtbot, laptop: LocalStore
                                                              ) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    w = BankDashboardWindow(laptop, transport=httpx.MockTransport(refused),
                            today=lambda: TODAY)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.view.failed, timeout=20_000):
        w.reload()
    assert not w.progress.isVisible()
    assert "#b71c1c" in w.status.styleSheet()
    assert "总行" in w.status.text() or "headquarters" in w.status.text()
    assert "Traceback" not in w.status.text() and w.view.board is None


# The bank's data as the windows show it (names of people, branches and borrowers).
DATA = {"李明", "王芳", "张主任", "赵主任", "管理员", "城东支行", "城西支行",
        "江苏恒达精密机械有限公司", "南京德炎水产有限公司", "苏州巨源油业有限公司", "C001", "C002",
        "C003"}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_window_fits_the_laptop_and_speaks_one_language(
        qtbot, qapp, hq: Hq, laptop: LocalStore, lang: str) -> None:
    use_bundled_font(qapp)
    i18n.install(lang)
    w = BankDashboardWindow(laptop, today=lambda: TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.view.loaded, timeout=20_000):
        w.reload()
    problems = [f"page {n}: {p}" for n in range(4)
                for p in _page_problems(qtbot, w, n, lang, f"bank-dashboard-{lang}-{n}")]
    assert problems == []
    dialog = _click_bar(qtbot, w, hq.users["off_b"], DueBucket.OVERDUE)
    snapshot(dialog, f"bank-dashboard-{lang}-list")
    assert foreign_words(visible_texts(dialog), lang, DATA) == []
    with qtbot.waitSignal(w.view.loaded, timeout=20_000):
        w.group_combo.setCurrentIndex(w.group_combo.findData(GroupBy.TEAM.value))
    w.view.pages.setCurrentIndex(0)
    snapshot(w, f"bank-dashboard-{lang}-teams")
    assert foreign_words(visible_texts(w), lang, DATA) == []
    dialog.close()


def _page_problems(qtbot, w: BankDashboardWindow, page: int, lang: str, name: str
                   ) -> list[str]:
    w.view.pages.setCurrentIndex(page)
    qtbot.wait(50)
    snapshot(w, name)
    return fit_problems(w) + foreign_words(visible_texts(w), lang, DATA)


def test_the_matrix_exported_is_the_bank_matrix_on_screen(qtbot, window: BankDashboardWindow,
                                                          tmp_path) -> None:
    view, classes = window.view, list(Classification)
    view.pages.setCurrentIndex(2)
    assert view.matrix_export_button.isEnabled()
    with qtbot.waitSignal(view.matrix_export.exported, timeout=20_000):
        view.matrix_export.export_to(str(tmp_path / "bank.xlsx"))
    sheet = load_workbook(tmp_path / "bank.xlsx").active
    start, end = view.period()
    assert start.isoformat() in sheet["A1"].value and end.isoformat() in sheet["A1"].value
    assert {(a, b): sheet.cell(3 + r, 2 + c).value for r, a in enumerate(classes)
            for c, b in enumerate(classes)} == {
        (a, b): view.matrix.count(a, b) for a in classes for b in classes}
