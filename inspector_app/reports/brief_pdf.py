"""The pre-visit brief (访前准备) as a one-page A4 PDF, in Chinese or English.

Built from a ``store.brief.VisitBrief`` with the report's font, styles and tables (every glyph
in the embedded CJK font, no standard-14 font), and byte-for-byte reproducible: the same brief
gives the same file. It always fits one page: long lists are cut to their first lines with
"…and N more", and if the page still overflows the lists are cut shorter until it fits.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from typing import Any, Final, TypeVar
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from inspector_app.common.text import Text
from inspector_app.domain.classification import shortfall_percent
from inspector_app.reports.fonts import (
    ABNORMAL_FILL,
    ACCENT,
    FONT,
    HEADER_FILL,
    INK,
    MUTED,
    RULE,
    SEVERITY_INK,
    Styles,
    make_styles,
)
from inspector_app.reports.fonts import LABELS as REPORT_LABELS
from inspector_app.reports.layout import Blocks, Row, StyleCommand
from inspector_app.reports.loan_table import LoanCells, as_of_note, loan_table
from inspector_app.reports.page import (
    FRAME_WIDTH,
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    set_document_id,
)
from inspector_app.store.brief import VisitBrief

__all__ = ["BRIEF_LABELS", "render_brief"]

_T = TypeVar("_T")

FRAME_TOP: Final = PAGE_HEIGHT - 66.0
FRAME_BOTTOM: Final = 40.0

# How many lines each list may show, tried in turn until the page fits.
# (loans, collateral, guarantors, findings, signals)
_CAPS: Final = (
    (6, 6, 4, 8, 6),
    (5, 5, 3, 6, 5),
    (4, 4, 2, 4, 4),
    (3, 3, 2, 3, 3),
    (2, 2, 1, 2, 2),
    (1, 1, 1, 1, 1),
)
# Lines of a free text (measures, general findings, a note in a cell) before it is cut.
_TEXT_LINES: Final = 3
_CELL_LINES: Final = 2

# The brief's own texts; the report's LABELS supply the rest.
BRIEF_LABELS: Final[dict[str, Text]] = {
    "brief_title": Text("访前准备", "Pre-visit brief"),
    "prepared_on": Text("编制日期 {date}", "Prepared on {date}"),
    "b_borrower": Text("一、借款人", "1. Borrower"),
    "b_loans": Text("二、贷款", "2. Loans"),
    "b_collateral": Text("三、抵质押物登记", "3. Collateral register"),
    "b_guarantors": Text("四、保证人", "4. Guarantors"),
    "b_last_visit": Text("五、上次检查发现及措施", "5. Last visit: findings and measures"),
    "b_signals": Text("六、未解除的风险预警信号", "6. Open risk warning signals"),
    "officer_name": Text("客户经理", "Credit officer"),
    "next_due_line": Text("下次检查", "Next inspection"),
    "short": Text("短少{percent}%", "{percent}% short"),
    "loans_total": Text("贷款合计（元）", "Loans total (CNY)"),
    "balance": Text("贷款余额（元）", "Outstanding (CNY)"),
    "pledged": Text("抵押价值（元）", "Pledged (CNY)"),
    "last_seen": Text("上次检查所见", "Last seen"),
    "location": Text("位置", "Location"),
    "no_last_visit": Text("尚无已完成的检查。", "No completed visit yet."),
    "last_visit_line": Text("{date} {kind} · {status} · {officer}",
                            "{date} {kind} · {status} · {officer}"),
    "last_class": Text("检查分类", "Classification"),
    "findings": Text("异常发现", "Abnormal findings"),
    "no_findings": Text("上次检查无异常答案。", "No abnormal answers at the last visit."),
    "measures_line": Text("处置措施（本次跟进）", "Measures (follow up now)"),
    "latest_reason": Text("最近处理", "Latest step"),
    "more": Text("……另有 {n} 项未列出", "…and {n} more"),
    "not_due": Text("无", "None"),
}


def render_brief(brief: VisitBrief, lang: str = "zh") -> bytes:
    """The brief as a one-page PDF in ``lang`` ("zh" or "en")."""
    lang = "en" if lang == "en" else "zh"
    styles = make_styles(lang)
    pdf = b""
    for caps in _CAPS:
        pdf, pages = _build(brief, lang, styles, caps)
        if pages == 1:
            return pdf
    return pdf  # even one line per list overflowed: long texts are clipped, so not expected


def _build(
    brief: VisitBrief, lang: str, styles: Styles, caps: tuple[int, ...]
) -> tuple[bytes, int]:
    writer = _BriefWriter(brief, lang, styles, caps)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=PAGE_HEIGHT - FRAME_TOP, bottomMargin=FRAME_BOTTOM,
        title=f"{writer.t('brief_title')} · {brief.borrower.name}",
        author=brief.borrower.officer_name, subject=brief.borrower.code,
        creator="inspector-app", lang="en" if lang == "en" else "zh-CN",
        invariant=1, pageCompression=1, initialFontName=FONT, initialFontSize=9,
    )
    frame = Frame(MARGIN_X, FRAME_BOTTOM, FRAME_WIDTH, FRAME_TOP - FRAME_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="brief", frames=[frame], onPage=writer.furniture)])
    key = f"brief/{brief.borrower.id}/{brief.prepared_on.isoformat()}/{lang}"
    doc_id = hashlib.sha256(key.encode()).hexdigest()[:32].upper().encode("ascii")
    created = brief.prepared_on.strftime("D:%Y%m%d000000+00'00'")

    def canvas(*args: Any, **kwargs: Any) -> Canvas:
        canv = Canvas(*args, **kwargs)
        # Dates from the brief, not the clock; the file ID from the borrower and the day.
        canv.setDateFormatter(lambda *_ignored: created)
        set_document_id(canv, doc_id)
        return canv

    doc.build(writer.story(), canvasmaker=canvas)
    return buffer.getvalue(), doc.page


class _BriefWriter(Blocks):
    """One method per section of the brief."""

    def __init__(
        self, brief: VisitBrief, lang: str, styles: Styles, caps: tuple[int, ...]
    ) -> None:
        super().__init__(lang, styles)
        self.b = brief
        self.caps = caps
        self.code = "en" if lang == "en" else "zh"

    def t(self, key: str, **values: object) -> str:
        return (BRIEF_LABELS.get(key) or REPORT_LABELS[key]).in_(self.lang).format(**values)

    def story(self) -> list[Flowable]:
        return [*self.borrower(), *self.loans(), *self.collateral(), *self.guarantors(),
                *self.last_visit(), *self.signals()]

    # -- helpers -------------------------------------------------------------------------------

    def heading(self, key: str, aside: str = "") -> list[Flowable]:
        """The section's title, with ``aside`` in parentheses after it if given."""
        style = self.s.h2.clone("brief_h", spaceBefore=6, spaceAfter=2)
        title = self.t(key) + (self.parens(aside) if aside else "")
        return [Paragraph(escape(title), style)]

    def cell(self, text: str, width: float, lines: int = _CELL_LINES) -> Paragraph:
        return self.clip(text, self.s.cell, width - 8, lines)

    def clip(self, text: str, style: ParagraphStyle, width: float, lines: int) -> Paragraph:
        """``text`` cut with an ellipsis to at most ``lines`` lines at ``width``.

        Cut on the plain text, not the markup (layout.clipped would split an escape)."""
        limit = lines * style.leading + 0.1
        whole = self.p(text, style)
        if whole.wrap(width, 10_000)[1] <= limit:
            return whole
        low, high = 0, len(text)
        while low < high:  # the longest prefix that fits, by bisection
            mid = (low + high + 1) // 2
            if self.p(text[:mid] + "…", style).wrap(width, 10_000)[1] <= limit:
                low = mid
            else:
                high = mid - 1
        return self.p(text[:low] + "…", style)

    def capped(self, rows: Sequence[_T], cap: int) -> tuple[Sequence[_T], int]:
        return rows[:cap], max(0, len(rows) - cap)

    def more(self, hidden: int) -> list[Flowable]:
        if not hidden:
            return []
        return [Paragraph(escape(self.t("more", n=hidden)), self.s.small)]

    def none(self, key: str = "none") -> list[Flowable]:
        return [Paragraph(escape(self.t(key)), self.s.small)]

    def date(self, value: Any) -> str:
        return "—" if value is None else value.isoformat()

    def table_of(
        self, head: list[str], widths: list[float], lines: list[list[Any]],
        extra: Sequence[StyleCommand] | None = None,
    ) -> Flowable:
        rows: list[Row] = [[self.t(k) for k in head]]
        for line in lines:
            rows.append([self.cell(c, w) if isinstance(c, str) else c
                         for c, w in zip(line, widths, strict=True)])
        return self.table(rows, widths, extra=extra)

    # -- sections ------------------------------------------------------------------------------

    def borrower(self) -> list[Flowable]:
        b, lang = self.b.borrower, self.code
        lent, owed = (self.money(fen).text for fen in (self.b.amount_fen, self.b.outstanding_fen))
        return [*self.heading("b_borrower"), *self.facts([
            ("borrower", "\n" + b.name), ("borrower_code", b.code),
            ("borrower_kind", b.kind.label(lang)), ("industry", b.industry.label(lang)),
            ("id_number", b.id_number), ("legal_rep", b.legal_representative),
            ("phone", b.phone), ("address", "\n" + b.address),
            ("current_class", b.classification.label(lang)), ("officer_name", b.officer_name),
            ("loans_total", lent), ("balance", owed), ("branch", b.branch_name),
            ("next_due_line", "\n" + self.due()),
        ]), *self.related_warnings()]

    def related_warnings(self) -> list[Flowable]:
        """A related party with an open red or orange signal (or a shared fund recipient),
        in red under the borrower: the officer reads it before the visit (#14 item 6)."""
        warning = [n for n in self.b.related if n.warns]
        shown, hidden = self.capped(warning, 3)
        ink = SEVERITY_INK["red"].hexval()
        out: list[Flowable] = [
            Paragraph(f'<font color="{ink}">■ {escape(n.text.in_(self.code))}</font>',
                      self.s.small) for n in shown]
        return out + self.more(hidden)

    def due(self) -> str:
        """The next inspection with the rule that set its date, then each special inspection
        an event signal proposes (the app's brief lists every inspection due)."""
        lang = self.code
        if self.b.next_due_on is None:
            return self.t("not_due")
        kind = self.b.next_due_kind.label(lang) if self.b.next_due_kind else ""
        line = f"{self.b.next_due_on.isoformat()} {kind}".strip()
        if self.b.next_due_reason is not None:
            line += f"{self.colon}{self.b.next_due_reason.in_(lang)}"
        for d in self.b.due:
            if d.proposed and d.due_on != self.b.next_due_on:
                line += f"\n{d.due_on.isoformat()} {d.kind.label(lang)}{self.colon}" \
                        f"{d.reason.in_(lang)}"
        return line

    def loans(self) -> list[Flowable]:
        shown, hidden = self.capped(self.b.loans, self.caps[0])
        if not shown:
            return [*self.heading("b_loans"), *self.none()]
        lang = self.code
        cells = [LoanCells(loan.contract_no, loan.loan_type.label(lang), loan.amount_fen,
                           loan.disbursed_on, loan.matures_on, loan.classification.label(lang),
                           loan.purpose, loan.repayment) for loan in shown]
        # The figures are the core system's as of its extract: the heading says when.
        return [*self.heading("b_loans", as_of_note(lang, cells)),
                loan_table(self, cells, self.cell), *self.more(hidden)]

    def collateral(self) -> list[Flowable]:
        shown, hidden = self.capped(self.b.collateral, self.caps[1])
        out = self.heading("b_collateral")
        if not shown:
            return [*out, *self.none()]
        lang, extra = self.code, []
        lines = []
        for n, c in enumerate(shown, start=1):
            seen = "—"
            if c.last_status is not None:
                seen = c.last_status.label(lang)
                if c.last_shortfall is not None and c.last_shortfall > 0:  # before the value:
                    seen += f" · {self.t('short', percent=shortfall_percent(c.last_shortfall))}"
                if c.last_estimate_fen is not None:  # a long cell is cut at its end
                    seen += f" · {self.money(c.last_estimate_fen).text}"
            if c.last_status_abnormal:
                extra.append(("BACKGROUND", (0, n), (-1, n), ABNORMAL_FILL))
            lines.append([f"{c.kind.label(lang)}{self.colon}{c.description}", c.location,
                          self.money(c.appraised_value_fen), self.money(c.pledged_value_fen),
                          c.certificate_no, seen])
        head = ["collateral_item", "location", "appraised", "pledged", "certificate",
                "last_seen"]
        return [*out, self.table_of(head, [128, 94, 68, 68, 62, 91], lines, extra),
                *self.more(hidden)]

    def guarantors(self) -> list[Flowable]:
        shown, hidden = self.capped(self.b.guarantors, self.caps[2])
        out = self.heading("b_guarantors")
        if not shown:
            return [*out, *self.none()]
        lines = [[g.name, g.kind.label(self.code), g.relation,
                  self.money(g.guaranteed_amount_fen)] for g in shown]
        head = ["guarantor", "borrower_kind", "relation", "guaranteed"]
        return [*out, self.table_of(head, [211, 70, 130, 100], lines), *self.more(hidden)]

    def last_visit(self) -> list[Flowable]:
        out = self.heading("b_last_visit")
        last, lang, s = self.b.last_visit, self.code, self.s
        if last is None:
            return [*out, *self.none("no_last_visit")]
        line = self.t("last_visit_line", date=last.visit_date.isoformat(),
                      kind=last.kind.label(lang), status=last.status.label(lang),
                      officer=last.officer_name)
        if last.classification is not None:
            line += f" · {self.t('last_class')}{self.colon}{last.classification.label(lang)}"
        out.append(Paragraph(escape(line), s.small))
        shown, hidden = self.capped(last.findings, self.caps[3])
        if shown:
            lines = [[f.item_code, f.question.in_(lang), f.answer.in_(lang), f.note]
                     for f in shown]
            out += [self.table_of(["code", "question", "answer", "note"],
                                  [48, 220, 70, 173], lines), *self.more(hidden)]
        else:
            out += self.none("no_findings")
        if last.general_note.strip():
            text = f"{self.t('general_note')}{self.colon}{last.general_note}"
            out.append(self.clip(text, s.small, FRAME_WIDTH, _TEXT_LINES))
        measures = last.measures.strip() or "—"
        text = f"{self.t('measures_line')}{self.colon}{measures}"
        out.append(self.clip(text, s.small, FRAME_WIDTH, _TEXT_LINES))
        return out

    def signals(self) -> list[Flowable]:
        shown, hidden = self.capped(self.b.open_signals, self.caps[4])
        out = self.heading("b_signals")
        if not shown:
            return [*out, *self.none("no_signals")]
        lang, s = self.code, self.s
        lines = []
        for sig in shown:
            colour = SEVERITY_INK.get(sig.severity.value, SEVERITY_INK["yellow"])
            severity = Paragraph(f'<font color="{colour.hexval()}">■</font> '
                                 f"{escape(sig.severity.label(lang))}", s.cell)
            body = sig.title_in(lang)
            if sig.last_reason:
                body += f"\n{self.t('latest_reason')}{self.colon}{sig.last_reason}"
            lines.append([severity, sig.category.label(lang), self.cell(body, 245, 3),
                          sig.status.label(lang), sig.raised_on.isoformat()])
        head = ["severity", "category", "signal", "status", "raised_on"]
        return [*out, self.table_of(head, [52, 80, 245, 58, 76], lines), *self.more(hidden)]

    # -- page ----------------------------------------------------------------------------------

    def furniture(self, canv: Canvas, _doc: object) -> None:
        """The header band (title, borrower, prepared on) and a footer line."""
        left, right, top, band = MARGIN_X, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 18, 36.0
        canv.saveState()
        canv.setFillColor(HEADER_FILL)
        canv.rect(left, top - band, right - left, band, stroke=0, fill=1)
        canv.setFillColor(ACCENT)
        canv.rect(left, top - band, 3, band, stroke=0, fill=1)
        canv.setFont(FONT, 13)
        canv.drawString(left + 10, top - 16, self.t("brief_title"))
        canv.setFont(FONT, 7.5)
        canv.setFillColor(MUTED)
        canv.drawString(left + 10, top - 29,
                        self.t("prepared_on", date=self.b.prepared_on.isoformat()))
        canv.setFillColor(INK)
        canv.setFont(FONT, 10.5)
        canv.drawRightString(right - 8, top - 16, _fit(self.b.borrower.name, 10.5, 300))
        canv.setFont(FONT, 7.5)
        canv.setFillColor(MUTED)
        canv.drawRightString(right - 8, top - 29, self.b.borrower.code)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(left, 30, right, 30)
        canv.restoreState()


def _fit(text: str, size: float, width: float) -> str:
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"

