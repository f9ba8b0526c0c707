"""The portfolio table model: columns, labels, urgency colours and counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from inspector_app.gui.worklist.portfolio_model import (
    DUE_SOON_FILL,
    DUE_SOON_TEXT,
    Column,
    PortfolioModel,
    Urgency,
    urgency,
)
from inspector_app.store.local import DueRow

TODAY = date(2025, 3, 10)


def row(code: str, due_in: int | None, kind: str | None = "routine") -> DueRow:
    return DueRow(
        borrower_id=f"id-{code}", code=code, name=f"借款人{code}", industry="services",
        classification="doubtful", open_signals=3,
        next_due_on=None if due_in is None else TODAY + timedelta(days=due_in),
        next_due_kind=kind, officer="王明",
    )


@pytest.mark.parametrize(
    ("due_in", "expected"),
    [(-1, Urgency.OVERDUE), (0, Urgency.DUE_SOON), (7, Urgency.DUE_SOON), (8, Urgency.NONE)],
)
def test_urgency_boundaries(due_in: int, expected: Urgency) -> None:
    assert urgency(TODAY + timedelta(days=due_in), TODAY) is expected


def test_no_due_date_is_not_urgent() -> None:
    assert urgency(None, TODAY) is Urgency.NONE


def test_rows_counts_and_colours(qtbot) -> None:
    model = PortfolioModel("zh_CN", today=lambda: TODAY)
    model.set_rows([row("A", -3), row("B", 2), row("C", 5), row("D", 30), row("E", None, None)])

    assert (model.rowCount(), model.columnCount()) == (5, len(Column))
    assert [model.urgency_at(r) for r in range(5)] == [
        Urgency.OVERDUE, Urgency.DUE_SOON, Urgency.DUE_SOON, Urgency.NONE, Urgency.NONE]
    soon = model.index(1, Column.CODE)
    assert soon.data(Qt.ItemDataRole.ForegroundRole).color() == DUE_SOON_TEXT
    assert soon.data(Qt.ItemDataRole.BackgroundRole).color() == DUE_SOON_FILL
    assert model.index(4, Column.NEXT_DUE).data() == ""
    assert model.index(4, Column.KIND).data() == ""
    assert model.index(0, Column.CLASSIFICATION).data() == "可疑"
    assert model.index(0, Column.CODE).data(Qt.ItemDataRole.UserRole) == "id-A"


def test_language_switch_relabels_and_tells_the_view(qtbot) -> None:
    model = PortfolioModel("zh_CN", today=lambda: TODAY)
    model.set_rows([row("A", -3)])
    with qtbot.waitSignals([model.headerDataChanged, model.dataChanged]):
        model.set_language("en")
    assert model.index(0, Column.INDUSTRY).data() == "Services"
    assert model.index(0, Column.CLASSIFICATION).data() == "Doubtful"
    assert model.index(0, Column.KIND).data() == "Routine inspection"


def test_today_is_read_again_on_each_load(qtbot) -> None:
    days = iter([TODAY, TODAY, TODAY + timedelta(days=1)])
    model = PortfolioModel("zh_CN", today=lambda: next(days))
    model.set_rows([row("A", 0)])
    assert model.urgency_at(0) is Urgency.DUE_SOON
    model.set_rows([row("A", 0)])  # the app stayed open past midnight
    assert model.urgency_at(0) is Urgency.OVERDUE


def test_the_due_date_and_kind_say_why_on_hover(qtbot) -> None:
    import json
    from dataclasses import replace

    from inspector_app.common.text import Text

    why = Text("2025-03-05发起事件类预警信号「法定代表人出现重大变故」，建议在7天内进行专项检查",
               "Event signal raised 2025-03-05: special inspection proposed within 7 days")
    stored = json.dumps({"zh": why.zh, "en": why.en}, ensure_ascii=False)
    model = PortfolioModel("en", today=lambda: TODAY)
    model.set_rows([replace(row("A", 2, "special"), next_due_reason_json=stored), row("B", 5)])
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.index(0, Column.KIND).data(tip) == why.en
    assert model.index(0, Column.NEXT_DUE).data(tip) == why.en
    assert model.index(0, Column.NAME).data(tip) is None
    assert model.index(1, Column.KIND).data(tip) is None  # no reason stored yet
