"""The handover record (交接清单) as an A4 PDF: what moves, and who signs.

Built from the handover as headquarters sent it (wire.HandoverRecord) with the report's font
(every glyph in the embedded CJK font). Per borrower: loans, collateral, open warning signals,
the next inspection, unsigned visits; then the totals. The last page holds the signatures:
the officer handing over (移交人) certifies it (PAdES, with their handwriting drawn in), the
officer taking over (接收人) countersigns it, and the supervisor (监交人, the old officer's
部门负责人) confirms it with a third signature, after which headquarters completes the
handover; the officer's certification makes all three fields. Every code (loan type,
classification, collateral kind, a signal's severity and state, a visit's state) is said in
the record's language, in the words the visit report uses (the domain's labels). /Keywords
is the handover's id (as a visit report's is the visit's: headquarters keeps it in the same
36-character column), so headquarters knows which handover a signed file is the record of.
The same record gives the same file.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from inspector_app.common.text import Text
from inspector_app.domain.enums import (
    Classification,
    CollateralKind,
    Labelled,
    LoanType,
    Severity,
    SignalCategory,
    SignalStatus,
    VisitStatus,
)
from inspector_app.reports.fonts import ACCENT, FONT, HEADER_FILL, INK, MUTED, RULE, make_styles
from inspector_app.reports.page import FRAME_WIDTH, MARGIN_X, PAGE_HEIGHT, set_document_id
from inspector_app.wire import HandoverRecord

Box = tuple[float, float, float, float]
FRAME_TOP: Final = PAGE_HEIGHT - 56.0
FRAME_BOTTOM: Final = 46.0
# The signature page: where each seal goes (x1, y1, x2, y2 in points).
GIVER_BOX: Final[Box] = (MARGIN_X + 150, 540, MARGIN_X + 390, 620)
TAKER_BOX: Final[Box] = (MARGIN_X + 150, 400, MARGIN_X + 390, 480)
CONFIRM_BOX: Final[Box] = (MARGIN_X + 150, 260, MARGIN_X + 390, 340)
HANDWRITING_BOX: Final[Box] = (MARGIN_X + 400, 540, MARGIN_X + 510, 620)

LABELS: Final[dict[str, Text]] = {
    "title": Text("贷后管理责任移交清单", "Post-loan responsibility handover record"),
    "parties": Text("移交人：{a}　　接收人：{b}　　编制日期：{date}",
                    "Handing over: {a}   Taking over: {b}   Made on: {date}"),
    "id": Text("移交编号 {id}", "Handover {id}"),
    "borrower": Text("{code} {name}", "{code} {name}"),
    "loans": Text("贷款", "Loans"),
    "collateral": Text("抵质押物", "Collateral"),
    "signals": Text("未解除的风险预警信号", "Open warning signals"),
    "inspection": Text("下次检查：{date}（{state}）{reason}",
                       "Next inspection: {date} ({state}) {reason}"),
    "unsigned": Text("未签署的检查（由接收人继续）",
                     "Unsigned visits (continued by the new officer)"),
    "none": Text("无", "None"),
    "overdue": Text("已逾期", "overdue"),
    "pending": Text("待检查", "pending"),
    "visit_line": Text("{date} {status}：{answers}项回答、{notes}条备注、{photos}张照片",
                       "{date} {status}: {answers} answers, {notes} notes, {photos} photos"),
    "totals": Text("合计", "Totals"),
    "totals_line": Text("客户{borrowers}户，贷款{loans}笔，抵质押物{collateral_items}项，未解除预警"
                        "{open_signals}条，未签署检查{unsigned_visits}次，逾期检查"
                        "{overdue_inspections}户，总行尚未收到的文件{missing_files}个",
                        "{borrowers} borrowers, {loans} loans, {collateral_items} collateral "
                        "items, {open_signals} open signals, {unsigned_visits} unsigned visits, "
                        "{overdue_inspections} inspections overdue, {missing_files} files not "
                        "yet received"),
    "last_sync": Text("移交人电脑最近同步：{when}（此后录入的内容须在交出时上传）",
                      "The handing-over officer's laptop last synced {when} (anything typed "
                      "since goes up when it lets go)"),
    "signatures": Text("签署", "Signatures"),
    "giver": Text("移交人签章", "Handing over (signature)"),
    "taker": Text("接收人签章", "Taking over (signature)"),
    "supervisor": Text("监交人确认签章", "Supervisor (signature)"),
    "confirm": Text("移交人签署、接收人会签后，监交人（部门负责人）核对本清单并在此签章确认，"
                    "总行据此完成移交。",
                    "Once both officers have signed, the supervisor checks this record and "
                    "signs here to confirm it; headquarters then completes the handover."),
    "rule": Text("先移交，后离岗：全面交接、及时交接、界定责任。",
                 "Hand over first, leave after: completely, on time, with responsibility "
                 "defined."),
}
NO_LABEL: Final = "—"  # a code this app does not know (a newer server's): never the code


def code_label(kind: type[Labelled], value: object, lang: str) -> str:
    """A code's words in ``lang`` (as the visit report says them), "—" for an unknown one."""
    try:
        return kind(str(value)).label(lang)
    except ValueError:
        return NO_LABEL


def _moment(value: object) -> str:
    """A timestamp from the record (ISO 8601) to the minute, in this laptop's time zone."""
    try:
        return datetime.fromisoformat(str(value)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return "-"


@dataclass(frozen=True)
class HandoverLayout:
    """Where the signatures go: the page (0-based) and the two seals' boxes."""

    page_index: int
    giver_box: Box
    taker_box: Box
    confirm_box: Box


def render_handover(record: HandoverRecord, names: Mapping[str, str], lang: str = "zh",
                    giver_handwriting: bytes | None = None) -> tuple[bytes, HandoverLayout]:
    """The record as a PDF in ``lang``; ``names``: user id -> display name."""
    lang = "en" if lang == "en" else "zh"
    styles = make_styles(lang)

    def t(key: str, **values: object) -> str:
        text = LABELS[key]
        return (text.en if lang == "en" else text.zh).format(**values)

    rec: dict[str, Any] = record.record
    # The names as headquarters wrote them into the record, unless the caller knows better.
    a = names.get(record.from_officer_id) or rec.get("from_officer", {}).get(
        "display_name", record.from_officer_id)
    b = names.get(record.to_officer_id) or rec.get("to_officer", {}).get(
        "display_name", record.to_officer_id)
    supervisor = (rec.get("supervisor") or {}).get("display_name") or ""
    story: list[Any] = [
        Paragraph(escape(t("title")), styles.title),
        Paragraph(escape(t("parties", a=a, b=b, date=rec.get("made_on", ""))), styles.centered),
        Paragraph(escape(t("id", id=record.id)), styles.centered),
        Spacer(1, 8),
    ]
    for borrower in rec.get("borrowers", []):
        story += _borrower(borrower, t, styles, lang)
    totals = rec.get("totals", {})
    story += [Paragraph(escape(t("totals")), styles.h1),
              Paragraph(escape(t("totals_line", **{k: totals.get(k, 0) for k in (
                  "borrowers", "loans", "collateral_items", "open_signals", "unsigned_visits",
                  "overdue_inspections", "missing_files")})), styles.body)]
    for device in rec.get("from_officer_devices", []):
        when = _moment(device["last_sync_at"]) if device.get("last_sync_at") else "-"
        story.append(Paragraph(escape(t("last_sync", when=when)), styles.small))
    story += [NextPageTemplate("signatures"), PageBreak(),
              Paragraph(escape(t("signatures")), styles.h1),
              Paragraph(escape(t("rule")), styles.body)]

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=PAGE_HEIGHT - FRAME_TOP, bottomMargin=FRAME_BOTTOM,
        title=t("title"), author=a, subject=record.id, keywords=[record.id],
        creator="inspector-app", lang="en" if lang == "en" else "zh-CN",
        invariant=1, pageCompression=1, initialFontName=FONT, initialFontSize=9,
    )
    frame = Frame(MARGIN_X, FRAME_BOTTOM, FRAME_WIDTH, FRAME_TOP - FRAME_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def footer(canv: Canvas, _doc: Any) -> None:
        canv.setFont(FONT, 7.5)
        canv.setFillColor(MUTED)
        canv.drawString(MARGIN_X, 28, f"{t('title')} · {record.id}")
        canv.drawRightString(A4[0] - MARGIN_X, 28, str(canv.getPageNumber()))

    def signature_page(canv: Canvas, doc_: Any) -> None:
        footer(canv, doc_)
        canv.setFont(FONT, 10)
        canv.setFillColor(INK)
        for key, box, who in (("giver", GIVER_BOX, a), ("taker", TAKER_BOX, b),
                              ("supervisor", CONFIRM_BOX, supervisor)):
            canv.setFillColor(INK)
            canv.drawString(MARGIN_X, box[3] - 14, t(key))
            canv.drawString(MARGIN_X, box[3] - 30, who)
            canv.setStrokeColor(RULE)
            canv.rect(box[0], box[1], box[2] - box[0], box[3] - box[1])
        if giver_handwriting:
            x1, y1, x2, y2 = HANDWRITING_BOX
            canv.drawImage(ImageReader(io.BytesIO(giver_handwriting)), x1, y1, x2 - x1, y2 - y1,
                           preserveAspectRatio=True, mask="auto")
        canv.setFillColor(ACCENT)
        note = Paragraph(escape(t("confirm")), styles.small)
        _w, h = note.wrap(FRAME_WIDTH, 60)
        note.drawOn(canv, MARGIN_X, CONFIRM_BOX[1] - 14 - h)

    doc.addPageTemplates([
        PageTemplate(id="body", frames=[frame], onPage=footer),
        PageTemplate(id="signatures", frames=[frame], onPage=signature_page),
    ])
    key = f"handover/{record.id}/{record.version}/{lang}/{len(giver_handwriting or b'')}"
    doc_id = hashlib.sha256(key.encode()).hexdigest()[:32].upper().encode("ascii")
    created = record.started_at.strftime("D:%Y%m%d%H%M%S+00'00'")

    def canvas(*args: Any, **kwargs: Any) -> Canvas:
        canv = Canvas(*args, **kwargs)
        canv.setDateFormatter(lambda *_ignored: created)
        set_document_id(canv, doc_id)
        return canv

    doc.build(story, canvasmaker=canvas)
    return buffer.getvalue(), HandoverLayout(doc.page - 1, GIVER_BOX, TAKER_BOX, CONFIRM_BOX)


def _borrower(b: dict[str, Any], t: Any, styles: Any, lang: str) -> list[Any]:
    def cells(rows: list[list[str]], widths: list[float]) -> Table:
        data = [[Paragraph(escape(c), styles.cell) for c in row] for row in rows]
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                                   ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                                   ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table

    w = FRAME_WIDTH
    out: list[Any] = [Paragraph(escape(t("borrower", code=b["code"], name=b["name"])),
                                styles.h2)]
    loans = [[x["contract_no"], code_label(LoanType, x["loan_type"], lang),
              _yuan(x["amount_fen"]), _yuan(x["outstanding_fen"]),
              code_label(Classification, x["classification"], lang), x["matures_on"]]
             for x in b.get("loans", [])]
    if loans:
        head = (["合同号", "品种", "金额（元）", "余额（元）", "分类", "到期日"] if lang == "zh"
                else ["Contract", "Type", "Amount (CNY)", "Outstanding", "Class", "Matures"])
        out.append(cells([head, *loans], [w * f for f in (.2, .18, .16, .16, .14, .16)]))
    collateral = [[c["code"], code_label(CollateralKind, c["kind"], lang), c["description"],
                   _yuan(c["pledged_value_fen"])] for c in b.get("collateral_items", [])]
    out.append(Paragraph(escape(t("collateral")), styles.label))
    out.append(cells([["编号", "类别", "描述", "抵押价值（元）"] if lang == "zh" else
                      ["Code", "Kind", "Description", "Pledged (CNY)"], *collateral],
                     [w * f for f in (.2, .15, .45, .2)]) if collateral
               else Paragraph(escape(t("none")), styles.small))
    out.append(Paragraph(escape(t("signals")), styles.label))
    signals = [[s.get("title", ""), code_label(SignalCategory, s.get("category"), lang),
                code_label(Severity, s.get("severity"), lang),
                code_label(SignalStatus, s.get("status"), lang), str(s.get("raised_on") or "-")]
               for s in b.get("open_signals", [])]
    out.append(cells([["信号", "类别", "级别", "状态", "发现日期"] if lang == "zh" else
                      ["Signal", "Category", "Severity", "State", "Raised on"], *signals],
                     [w * f for f in (.36, .18, .12, .14, .2)]) if signals
               else Paragraph(escape(t("none")), styles.small))
    due = b.get("inspection", {})
    state = t(due["state"]) if due.get("state") in ("overdue", "pending") else "-"
    reason = due.get("reason_en" if lang == "en" else "reason_zh", "")
    out.append(Paragraph(escape(t("inspection", date=due.get("due_on") or "-", state=state,
                                  reason=reason).strip()), styles.small))
    visits = b.get("unsigned_visits", [])
    if visits:
        out.append(Paragraph(escape(t("unsigned")), styles.label))
        for v in visits:
            out.append(Paragraph(escape(t("visit_line", date=v["visit_date"],
                                          status=code_label(VisitStatus, v["status"], lang),
                                          answers=v["answers"], notes=v["notes"],
                                          photos=v["photos"])), styles.small))
    out.append(Spacer(1, 6))
    return out


def _yuan(fen: int | None) -> str:
    return "-" if fen is None else f"{fen / 100:,.2f}"

