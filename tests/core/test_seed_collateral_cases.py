"""The seeds' two warehouse-pledge cases through the store facade (issue #14), as an officer
records them on site: the classification a risk department expects, the signal, and the next
date the same in the conclusion, the report, the due list and the brief.

* 德炎水产 (seed 000, 第二章 抵质押物情况): the company sold the pledged frozen stock out of
  the warehouse without the bank's consent (私处仓储质押物).
* 巨源油业 (seed 000, 第三章 贷后非现场检查): a false warehouse pledge (虚假仓储质押): the oil
  the receipts name is not in the tanks.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from test_schedule_scenarios import VISITED, _agree, _finish

from inspector_app.domain.enums import (
    Classification,
    CollateralKind,
    CollateralStatus,
    Severity,
    SignalCategory,
    VisitKind,
)
from inspector_app.store.facade import LocalStore
from inspector_app.store.models import CollateralItem


def _pledged_stock(store: LocalStore, p: Any, description: str, location: str) -> str:
    with store.write() as s:
        item = CollateralItem(borrower_id=p.borrower_id, kind=CollateralKind.WAREHOUSE_STOCK,
                              description=description, location=location,
                              appraised_value_fen=12_000_000_00, pledged_value_fen=8_000_000_00)
        s.add(item)
    return item.id


@pytest.mark.parametrize(("case", "description", "status", "tonnes"), [
    ("德炎水产：质押冻品被私自出库变卖", "质押冷库冻品（带鱼）", CollateralStatus.SOLD, 600),
    ("巨源油业：虚假仓储质押，油罐中无货", "质押仓储食用油", CollateralStatus.NOT_FOUND, 3_000),
])
def test_pledged_stock_gone_is_substandard_with_one_red_signal_and_a_special_visit_soon(
    store: LocalStore, portfolio: Any, tmp_path: Path, case: str, description: str,
    status: CollateralStatus, tonnes: int,
) -> None:
    p = portfolio
    item = _pledged_stock(store, p, description, "城东冷链物流园3号库")
    store.observe_collateral(p.visit_id, p.officer, item, status=status,
                             location_checked=True, estimated_value_fen=0,
                             registered_quantity_milli=tonnes * 1000, found_quantity_milli=0,
                             quantity_unit="吨", note=case)

    # One fact on site, one signal: red, on the collateral item, in the collateral category.
    [signal] = [s for s in store.signals_of(p.visit_id) if s.this_visit]
    assert signal.severity is Severity.RED, case
    assert signal.category is SignalCategory.COLLATERAL and signal.source_ref == item

    state = _finish(store, p, p.visit_id, tmp_path)
    rec = state.recommendation
    # The pledge is gone: at least 次级, whatever else the visit found normal, and the rule
    # that decided says so with its source.
    assert rec.classification is Classification.SUBSTANDARD, case
    assert rec.deciding is not None
    assert status.zh in rec.deciding.reason.zh and "次级" in rec.deciding.reason.zh
    # A red signal: a special inspection within a week, the same date everywhere.
    assert state.next_due.kind is VisitKind.SPECIAL
    assert state.next_due_range[1] == VISITED + timedelta(days=7)
    assert _agree(store, p, p.visit_id, state) == VISITED + timedelta(days=7)


SS, SM, N = Classification.SUBSTANDARD, Classification.SPECIAL_MENTION, Classification.NORMAL


@pytest.mark.parametrize(("case", "code", "value", "expected", "kind", "within"), [
    ("硕发：法人代表判刑", "R-CHR-02", "detained", SS, VisitKind.SPECIAL, 7),
    ("恒达：法人代表身亡", "R-CHR-02", "deceased", SS, VisitKind.SPECIAL, 7),
    ("腾龙：股东纠纷", "R-CHR-01", "yes", SM, None, None),
    ("四季青：主要负责人中风", "R-WIL-06", "serious", SM, None, None),
    ("无异常的检查", None, None, N, VisitKind.ROUTINE, 90),
])
def test_each_seed_finding_concludes_with_its_class_and_one_date_everywhere(
    store: LocalStore, portfolio: Any, tmp_path: Path, case: str, code: str | None,
    value: str | None, expected: Classification, kind: VisitKind | None, within: int | None,
) -> None:
    """The finding recorded on a whole visit, completed: the classification a risk department
    expects, and the conclusion's latest date the report's, the due list's and the brief's."""
    p = portfolio
    # Started as an officer starts one today: on the templates in force, whose findings carry
    # their floors (the fixture's older draft keeps the version it was started with).
    visit = store.start_visit(p.borrower_id, p.officer, VisitKind.ROUTINE, visit_date=VISITED)
    assert visit.template_refs[0] == "routine@3"
    state = _finish(store, p, visit.id, tmp_path, {code: value} if code and value else None)
    assert state.recommendation.classification is expected, case
    if kind is not None:
        assert state.next_due.kind is kind, case
    if within is not None:
        assert state.next_due_range[1] == VISITED + timedelta(days=within), case
    latest = _agree(store, p, visit.id, state)
    # 关注 or worse: never the normal loan's 90 days.
    assert (latest - VISITED).days <= (90 if expected is Classification.NORMAL else 30), case
