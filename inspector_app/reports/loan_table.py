"""The loans table (贷款明细) of the inspection report and of the pre-visit brief: each loan's
contract and type, amount, balance, dates, days past due, interest in arrears (欠息),
classification and purpose, marked when its terms were rescheduled (展期), refinanced
(借新还旧) or restructured (重组), an overdue loan's line shaded. One table for both, so the
officer reads the same columns before the visit and in the report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from inspector_app.common.text import Text
from inspector_app.domain.repayment import RESTRUCTURED, Repayment
from inspector_app.reports.fonts import ABNORMAL_FILL
from inspector_app.reports.layout import Blocks, Cell, Row, StyleCommand

LOAN_LABELS: Final[dict[str, Text]] = {
    "contract_type": Text("合同编号 / 品种", "Contract / type"),
    "amount": Text("金额（元）", "Amount (CNY)"),
    "outstanding": Text("余额（元）", "Outstanding (CNY)"),
    "dates": Text("起止日期", "Disbursed / matures"),
    "days_past_due": Text("逾期天数", "Days past due"),
    "arrears": Text("欠息（元）", "Interest arrears (CNY)"),
    "classification": Text("分类", "Class."),
    "purpose": Text("用途", "Purpose"),
    "restructured_on": Text("重组 {date}", "Restructured {date}"),
    "as_of": Text("还款数据截至 {date}", "repayment data as of {date}"),
    "no_data": Text("尚无还款数据", "no repayment data yet"),
}
_HEAD: Final = ("contract_type", "amount", "outstanding", "dates", "days_past_due", "arrears",
                "classification", "purpose")
# The frame's 511 points: each column fits its longest usual value on one line (a contract
# number, 150,000,000.00, a date, "Substandard").
WIDTHS: Final = [106.0, 67.0, 67.0, 52.0, 43.0, 58.0, 57.0, 61.0]


@dataclass(frozen=True)
class LoanCells:
    """One loan as the table shows it, its labels already in the table's language."""

    contract_no: str
    loan_type: str
    amount_fen: int
    disbursed_on: date
    matures_on: date
    classification: str
    purpose: str
    repayment: Repayment


def label(key: str, lang: str, **values: object) -> str:
    return LOAN_LABELS[key].in_(lang).format(**values)


def _listed(lang: str, parts: Sequence[str]) -> str:
    return ("、" if lang == "zh" else ", ").join(parts)


def as_of_note(lang: str, loans: Sequence[LoanCells]) -> str:
    """When the figures are from: "还款数据截至 2026-12-06" (the dates, if the loans' extracts
    differ), or that there are none yet."""
    dates = sorted({r.repayment_as_of for r in (loan.repayment for loan in loans)
                    if r.repayment_as_of is not None})
    if not dates:
        return label("no_data", lang)
    return label("as_of", lang, date=_listed(lang, [d.isoformat() for d in dates]))


def loan_table(blocks: Blocks, loans: Sequence[LoanCells],
               text: Callable[[str, float], Flowable] | None = None) -> Flowable:
    """The table; ``text`` makes a free-text cell of a width (the brief clips it to fit its
    one page), by default a paragraph that wraps."""
    s, lang = blocks.s, blocks.lang
    cell = text or (lambda value, _width: blocks.p(value))
    mark_style = s.cell_abnormal.clone("loan_mark", fontSize=7.5, leading=10)
    overdue_days = s.number.clone("overdue_days", textColor=s.cell_abnormal.textColor)
    rows: list[Row] = [[label(k, lang) for k in _HEAD]]
    shade: list[StyleCommand] = []
    for n, loan in enumerate(loans, start=1):
        r = loan.repayment
        # A restructuring is read with its date: the observation period runs from it.
        marks = [m.in_(lang) for m in r.marks if m is not RESTRUCTURED]
        if r.restructured:
            on = r.restructured_on.isoformat() if r.restructured_on else ""
            marks.append(label("restructured_on", lang, date=on).strip())
        first: list[Flowable] = [cell(loan.contract_no, WIDTHS[0]),
                                 Paragraph(escape(loan.loan_type), s.tiny)]
        if marks:
            first.append(Paragraph(escape(_listed(lang, marks)), mark_style))
        days: Cell = Paragraph("—", s.number)
        if r.known:
            days = Paragraph(str(r.days_past_due), overdue_days if r.overdue else s.number)
        if r.overdue:
            shade.append(("BACKGROUND", (0, n), (-1, n), ABNORMAL_FILL))
        rows.append([
            first, blocks.money(loan.amount_fen),
            blocks.money(r.outstanding_fen if r.known else None),
            blocks.p(f"{loan.disbursed_on.isoformat()}\n{loan.matures_on.isoformat()}"),
            days, blocks.money(r.arrears_interest_fen if r.known else None),
            cell(loan.classification, WIDTHS[6]), cell(loan.purpose, WIDTHS[7]),
        ])
    return blocks.table(rows, list(WIDTHS), extra=shade)
