"""The exported lists' columns, one definition for the laptop and headquarters.

The supervisor's visits (review status, signals, classification) and the due list are exported
from the desktop app, ``inspector-app export`` and ``inspector-hq export``; each side fills a
``VisitListing`` or ``DueListing`` from its own data (the laptop's store, headquarters'
database) and the functions here turn them into a typed ``common.export_table.ExportTable``
with the same columns, headers and labels, in the language asked for. The dashboards'
migration matrix is made from the counts a dashboard shows (the laptop's, or headquarters'
from its classification history).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inspector_app.common.export_table import ColumnKind, ExportColumn, ExportTable
from inspector_app.common.text import Text
from inspector_app.domain.enums import Classification, Industry, VisitKind, VisitStatus
from inspector_app.domain.money import fen_to_yuan

VISITS_TITLE = Text("检查记录", "Visits")
DUE_LIST_TITLE = Text("到期清单", "Due list")

_T, _D, _M, _I = ColumnKind.TEXT, ColumnKind.DATE, ColumnKind.MONEY, ColumnKind.INT

VISIT_COLUMNS = (
    ExportColumn("officer", Text("客户经理", "Officer")),
    ExportColumn("borrower_code", Text("客户号", "Customer no.")),
    ExportColumn("borrower", Text("借款人", "Borrower")),
    ExportColumn("kind", Text("检查类型", "Inspection type")),
    ExportColumn("visit_date", Text("检查日期", "Visit date"), _D),
    ExportColumn("revision", Text("版次", "Revision"), _I),
    ExportColumn("status", Text("复核状态", "Review status")),
    ExportColumn("submitted_on", Text("提交日期", "Submitted on"), _D),
    ExportColumn("days_waiting", Text("等待天数", "Days waiting"), _I),
    ExportColumn("current", Text("当前分类", "Current classification")),
    ExportColumn("recommended", Text("建议分类", "Recommended classification")),
    ExportColumn("downgrade", Text("是否下调", "Downgrade")),
    ExportColumn("red_signals", Text("红色预警", "Red signals"), _I),
    ExportColumn("orange_signals", Text("橙色预警", "Orange signals"), _I),
    ExportColumn("reviewer", Text("复核人", "Reviewer")),
    ExportColumn("decided_on", Text("复核日期", "Decided on"), _D),
    ExportColumn("final", Text("认定分类", "Confirmed classification")),
    ExportColumn("review_comment", Text("复核意见", "Review comment")),
)

DUE_LIST_COLUMNS = (
    ExportColumn("borrower_code", Text("客户号", "Customer no.")),
    ExportColumn("borrower", Text("借款人", "Borrower")),
    ExportColumn("industry", Text("行业", "Industry")),
    ExportColumn("classification", Text("风险分类", "Risk classification")),
    ExportColumn("open_signals", Text("未解除预警信号", "Open warning signals"), _I),
    ExportColumn("outstanding", Text("贷款余额（元）", "Outstanding balance (yuan)"), _M),
    ExportColumn("last_visit", Text("上次检查", "Last visit"), _D),
    ExportColumn("next_due", Text("下次检查", "Next inspection"), _D),
    ExportColumn("days_overdue", Text("逾期天数", "Days overdue"), _I),
    ExportColumn("kind", Text("检查类型", "Inspection type")),
    ExportColumn("reason", Text("到期原因", "Why due")),
    ExportColumn("officer", Text("客户经理", "Credit officer")),
)

_YES, _NO = Text("是", "yes"), Text("否", "no")


@dataclass(frozen=True)
class VisitListing:
    """One visit as the exported list says it."""

    officer: str
    borrower_code: str
    borrower: str
    kind: VisitKind
    visit_date: date
    revision: int
    status: VisitStatus
    submitted_on: date | None
    current: Classification | None  # the borrower's classification now
    recommended: Classification | None  # the officer's (final if overridden)
    red_signals: int
    orange_signals: int
    reviewer: str = ""
    decided_on: date | None = None
    final: Classification | None = None  # what the supervisor confirmed
    review_comment: str = ""


@dataclass(frozen=True)
class DueListing:
    """One borrower of the due list as the exported list says it."""

    borrower_code: str
    borrower: str
    industry: str  # an Industry value (an unknown one is shown as it is)
    classification: Classification | None
    open_signals: int
    outstanding_fen: int | None  # None while no repayment data is known
    last_visit: date | None
    next_due: date | None
    kind: VisitKind | None
    reason: Text | None
    officer: str


def _label(value: Classification | VisitKind | None, lang: str) -> str | None:
    return None if value is None else value.label(lang)


def _days_waiting(visit: VisitListing, today: date) -> int | None:
    """Days since submission for a visit still waiting; until the decision for one decided."""
    if visit.submitted_on is None:
        return None
    if visit.status is VisitStatus.SUBMITTED:
        return max(0, (today - visit.submitted_on).days)
    if visit.decided_on is not None:
        return max(0, (visit.decided_on - visit.submitted_on).days)
    return None


def visits_table(visits: Iterable[VisitListing], today: date, lang: str = "zh") -> ExportTable:
    """The visits with their review status, signals and classification."""
    rows = []
    for v in visits:
        downgrade = (None if v.recommended is None or v.current is None
                     else (_YES if v.recommended.rank > v.current.rank else _NO).in_(lang))
        rows.append((
            v.officer, v.borrower_code, v.borrower, v.kind.label(lang), v.visit_date,
            v.revision, v.status.label(lang), v.submitted_on, _days_waiting(v, today),
            _label(v.current, lang), _label(v.recommended, lang), downgrade, v.red_signals,
            v.orange_signals, v.reviewer or None, v.decided_on, _label(v.final, lang),
            v.review_comment or None,
        ))
    return ExportTable.of(VISITS_TITLE, VISIT_COLUMNS, rows)


def _industry(value: str, lang: str) -> str:
    try:
        return Industry(value).label(lang)
    except ValueError:
        return value


def due_list_table(borrowers: Iterable[DueListing], today: date, lang: str = "zh"
                   ) -> ExportTable:
    """The due list: most overdue first, as the work list orders it."""
    rows = []
    for b in borrowers:
        overdue = None if b.next_due is None else max(0, (today - b.next_due).days)
        outstanding: Decimal | None = (None if b.outstanding_fen is None
                                       else fen_to_yuan(b.outstanding_fen))
        rows.append((
            b.borrower_code, b.borrower, _industry(b.industry, lang),
            _label(b.classification, lang), b.open_signals, outstanding, b.last_visit,
            b.next_due, overdue, _label(b.kind, lang),
            None if b.reason is None else b.reason.in_(lang) or None, b.officer or None,
        ))
    return ExportTable.of(DUE_LIST_TITLE, DUE_LIST_COLUMNS, rows)



MIGRATION_TITLE = Text("迁徙矩阵", "Migration matrix")
_TOTAL = Text("合计", "Total")

# Rows: the classification at the start of the period; columns: at its end (as on screen).
MIGRATION_COLUMNS = (
    ExportColumn("from", Text("期初＼期末", "Start \\ end")),
    *(ExportColumn(c.value, c.text, _I) for c in Classification),
    ExportColumn("total", _TOTAL, _I),
)


def migration_matrix_table(counts: Mapping[tuple[Classification, Classification], int],
                           start: date, end: date, lang: str = "zh") -> ExportTable:
    """The classification migration matrix over [start, end]: a row per classification at the
    start, a column per classification at the end, borrowers counted, with row and column
    totals; the caption says the period."""
    classes = list(Classification)
    rows: list[tuple[object, ...]] = []
    for first in classes:
        cells = [counts.get((first, last), 0) for last in classes]
        rows.append((first.label(lang), *cells, sum(cells)))
    column_totals = [sum(counts.get((first, last), 0) for first in classes) for last in classes]
    rows.append((_TOTAL.in_(lang), *column_totals, sum(column_totals)))
    caption = Text(
        f"风险分类迁徙矩阵：{start.isoformat()} 至 {end.isoformat()}（行：期初分类，列：期末分类，"
        "单位：户）",
        f"Classification migration matrix, {start.isoformat()} to {end.isoformat()} (rows: "
        "classification at the start, columns: at the end; borrowers)")
    return ExportTable.of(MIGRATION_TITLE, MIGRATION_COLUMNS, rows, caption=caption,
                          filterable=False)
