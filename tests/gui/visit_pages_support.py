"""A visit on the demo portfolio for the visit editor's page tests: the demo is built once per
session and copied for each test; the visit is a fresh routine inspection of a borrower whose
collateral register holds pledged warehouse stock.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from visit_helpers import normal_answer

from inspector_app.common.paths import database_path
from inspector_app.domain.enums import (
    Classification,
    CollateralKind,
    SignalStatus,
    VisitKind,
)
from inspector_app.gui.editor.context import VisitContext
from inspector_app.store.local import LocalStore
from inspector_app.store.models import Borrower, CollateralItem, RiskSignal, User

DEMO_TODAY = date(2026, 11, 20)


@dataclass(frozen=True)
class DemoVisit:
    store: LocalStore
    officer: User
    borrower_id: str
    borrower_name: str
    visit_id: str
    stock_id: str  # the pledged warehouse stock of the register
    stock_description: str

    def context(self) -> VisitContext:
        return VisitContext(self.store, self.officer, self.visit_id, today=lambda: DEMO_TODAY)


_DEMO: list[Path] = []  # the demo built for this test session, built on first use


def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio's data directory, built once per session (it takes a second)."""
    if not _DEMO:
        from inspector_app.demo.build import build_demo

        folder = tmp_path_factory.mktemp("demo")
        build_demo(folder, today=DEMO_TODAY, sign_reports=False)
        _DEMO.append(folder)
    return _DEMO[0]


def open_demo_visit(data: Path, demo_data: Path, *, with_open_signal: bool) -> DemoVisit:
    """Copy the demo into data and start a visit of a warehouse-stock borrower: one whose
    earlier visits left a signal open, or one with none (classified normal)."""
    data.mkdir()
    shutil.copyfile(database_path(demo_data), database_path(data))
    store = LocalStore.open(data)
    open_signals = (
        select(RiskSignal.borrower_id).where(RiskSignal.status != SignalStatus.CLEARED)
    )
    with store.read() as s:
        query = (
            select(Borrower, CollateralItem, User)
            .join(CollateralItem, CollateralItem.borrower_id == Borrower.id)
            .join(User, Borrower.officer_id == User.id)
            .where(CollateralItem.kind == CollateralKind.WAREHOUSE_STOCK)
            .order_by(Borrower.code)
        )
        if with_open_signal:
            query = query.where(Borrower.id.in_(open_signals))
        else:
            query = query.where(Borrower.id.not_in(open_signals),
                                Borrower.classification == Classification.NORMAL)
        borrower, item, officer = s.execute(query).first()
    visit = store.start_visit(borrower.id, officer, VisitKind.ROUTINE, visit_date=DEMO_TODAY)
    return DemoVisit(store, officer, borrower.id, borrower.name, visit.id, item.id,
                     item.description)


def start_demo_visit(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, *, with_open_signal: bool = False
) -> Iterator[DemoVisit]:
    """For a fixture: yield a visit on a copy of the demo, close its store afterwards.

    with_open_signal=False: a borrower classified normal with no signal open;
    True: one whose earlier visits left a signal open.
    """
    visit = open_demo_visit(tmp_path / "visit-data", demo_data(tmp_path_factory),
                            with_open_signal=with_open_signal)
    yield visit
    # No worker may still be reading or writing when the store closes.
    assert QThreadPool.globalInstance().waitForDone(10_000)
    visit.store.close()


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type text into widget: ASCII as key clicks, anything else as an input method commits
    it (QTest can only click keys that exist on a keyboard)."""
    widget.setFocus()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            commit = QInputMethodEvent()
            commit.setCommitString(ch)
            QApplication.sendEvent(widget, commit)


def answer_everything_normally(visit: DemoVisit) -> None:
    """Fill the header and answer the whole checklist normally, through the store."""
    store, officer = visit.store, visit.officer
    store.update_visit(visit.visit_id, officer, place="借款人仓库", people_met="法定代表人 张三")
    for item in store.visit_checklist(visit.visit_id).items():
        store.set_answer(visit.visit_id, officer, item.code, normal_answer(item))


def wait_for_saves(qtbot: QtBot, ctx: VisitContext, page: QWidget | None = None) -> None:
    """Until typed text has been handed over (page.typing) and every queued edit is written
    and its outcome delivered on the UI thread."""
    qtbot.waitUntil(
        lambda: not getattr(page, "typing", False) and ctx.pending_saves == 0, timeout=5000
    )
