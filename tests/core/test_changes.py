"""What an edit says it changed (rows.Changes): the visit editor's pages refresh from this
alone, so an edit that forgets a field leaves a page showing stale data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image
from visit_helpers import abnormal_answer, normal_answer

from inspector_app.domain.enums import (
    CollateralKind,
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import CollateralItem
from inspector_app.store.rows import NOTHING, Changes, UserRow, changes_of


def _signalled_item(store: LocalStore, visit_id: str):
    return next(
        i for i in store.visit_checklist(visit_id).items()
        if i.signal is not None and abnormal_answer(i) is not None
    )


def test_an_answer_names_its_item_and_the_findings_it_moved(
    store: LocalStore, portfolio: Any
) -> None:
    p = portfolio
    item = _signalled_item(store, p.visit_id)
    # The first answer stores the recommendation the findings imply; the same answer again
    # moves nothing but the item.
    store.set_answer(p.visit_id, p.officer, item.code, normal_answer(item))
    quiet = store.set_answer(p.visit_id, p.officer, item.code, normal_answer(item))
    assert quiet == Changes(visits=frozenset({p.visit_id}), items=frozenset({item.code}))

    raised = store.set_answer(p.visit_id, p.officer, item.code, abnormal_answer(item))
    assert raised.items == {item.code} and raised.findings
    assert raised.borrowers == {p.borrower_id}  # a signal moves the borrower's next date

    noted = store.set_item_note(p.visit_id, p.officer, item.code, "库存明显减少")
    assert noted.items == {item.code} and not noted.findings


def test_header_conclusion_and_place(store: LocalStore, portfolio: Any) -> None:
    p = portfolio
    header = store.update_visit(p.visit_id, p.officer, place="厂区")
    assert header == Changes(visits=frozenset({p.visit_id}), header=True)
    assert store.update_visit(p.visit_id, p.officer) is NOTHING  # no field given
    assert not NOTHING

    conclusion = store.set_conclusion(p.visit_id, p.officer, measures="加强监测")
    assert conclusion.conclusion and conclusion.visits == {p.visit_id}
    assert not conclusion.header and not conclusion.status
    # Where the officer was is no change of the visit any page shows.
    assert store.remember_place(p.officer.id, p.visit_id, "conclusion") == NOTHING


def test_collateral_and_signals(store: LocalStore, portfolio: Any) -> None:
    p = portfolio
    with store.write() as s:
        item = CollateralItem(
            borrower_id=p.borrower_id, kind=CollateralKind.WAREHOUSE_STOCK,
            description="仓库库存", appraised_value_fen=1_000_00, pledged_value_fen=500_00,
        )
        s.add(item)
    observed = store.observe_collateral(p.visit_id, p.officer, item.id,
                                        status=CollateralStatus.NOT_FOUND)
    assert observed.collateral == {item.id} and observed.findings  # a not-found signal

    found = store.create_found_collateral(
        p.visit_id, p.officer, kind=CollateralKind.EQUIPMENT, description="数控机床",
        estimated_value_fen=300_00,
    )
    assert found.changes.collateral == {found.id} and changes_of(found) == found.changes

    signal = store.create_manual_signal(
        p.visit_id, p.officer, category=SignalCategory.EXTERNAL, severity=Severity.RED,
        title="法定代表人涉诉",
    )
    assert signal.changes.signals == {signal.id}
    assert signal.changes.borrowers == {p.borrower_id}
    stepped = store.advance_signal(signal.id, p.officer, SignalStatus.MONITORED, "继续监测")
    assert stepped.signals == {signal.id}
    withdrawn = store.remove_manual_signal(signal.id, p.officer)
    assert withdrawn.signals == {signal.id} and withdrawn.visits == {p.visit_id}


def test_photos(store: LocalStore, portfolio: Any, tmp_path: Path) -> None:
    p = portfolio
    path = tmp_path / "site.jpg"
    Image.new("RGB", (64, 48), (120, 80, 40)).save(path, "JPEG")
    imported = store.import_photos(p.visit_id, p.officer, [path])
    [row] = imported.added
    assert changes_of(imported) == Changes(visits=frozenset({p.visit_id}),
                                           photos=frozenset({row.id}))
    captioned = store.set_photo_caption(row.id, p.officer, "厂区")
    assert changes_of(captioned).photos == {row.id}
    assert store.remove_photo(row.id, p.officer).photos == {row.id}
    # An import that added nothing changed nothing.
    assert changes_of(store.import_photos(p.visit_id, p.officer, [])) == NOTHING


def test_a_started_visit_names_itself_and_its_borrower(store: LocalStore, portfolio: Any) -> None:
    p = portfolio
    officer = store.authenticate("li", "off-pass-1")
    assert isinstance(officer, UserRow) and officer.id == p.officer.id
    started = store.start_visit(p.borrower_id, officer, VisitKind.SPECIAL,
                                visit_date=date(2026, 11, 21))
    assert started.status is VisitStatus.DRAFT and started.officer_id == officer.id
    assert changes_of(started) == Changes(visits=frozenset({started.id}), status=True,
                                          borrowers=frozenset({p.borrower_id}))
