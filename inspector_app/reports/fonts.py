"""The report's type and words: its one font, colours, paragraph styles and fixed texts.

Every glyph in the report, Chinese and Latin, is drawn with the shipped TrueType CJK font,
which reportlab subsets and embeds. No standard-14 font (Helvetica and friends, never
embedded) may appear anywhere in the file, or the report would print differently on a
machine that substitutes another font. WQY Micro Hei has no bold face, so emphasis is size
and colour only; ``<b>`` markup must not be used (it would look for a bold font).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Final

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from inspector_app.common.text import Text
from inspector_app.resources import cjk_font_path

FONT: Final = "InspectorCJK"

INK: Final = colors.HexColor("#1a1a1a")
MUTED: Final = colors.HexColor("#5f6368")
ACCENT: Final = colors.HexColor("#1f4e79")
RULE: Final = colors.HexColor("#9aa5b1")
HEADER_FILL: Final = colors.HexColor("#e8eef5")
ABNORMAL_FILL: Final = colors.HexColor("#fde2e2")
ABNORMAL_INK: Final = colors.HexColor("#b3261e")
SEVERITY_INK: Final = {
    "red": colors.HexColor("#b3261e"),
    "orange": colors.HexColor("#c25e00"),
    "yellow": colors.HexColor("#8a6d00"),
}

_lock = threading.Lock()


def register_font() -> str:
    """Register the CJK font with reportlab once per process; returns its name.

    Parsing the 4.6 MB font takes a quarter of a second, so it is done on first use only.
    """
    with _lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT, str(cjk_font_path())))
    return FONT


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one report, for its language."""

    body: ParagraphStyle
    small: ParagraphStyle
    tiny: ParagraphStyle
    cell: ParagraphStyle
    number: ParagraphStyle
    cell_head: ParagraphStyle
    cell_abnormal: ParagraphStyle
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    label: ParagraphStyle
    mark: ParagraphStyle
    centered: ParagraphStyle
    warning: ParagraphStyle  # the boxed notice on a copy's first page


def make_styles(lang: str) -> Styles:
    """Styles for a report in ``lang``.

    Chinese wraps at any character (wordWrap='CJK'); English wraps at spaces and splits a
    word (or a run of Chinese, say a borrower's name) only when it alone is too wide.
    """
    register_font()
    wrap = "CJK" if lang == "zh" else None
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=14, textColor=INK, wordWrap=wrap,
        splitLongWords=1, alignment=TA_LEFT, spaceAfter=3,
    )

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Styles(
        body=base,
        small=derive("small", fontSize=8, leading=11, spaceAfter=0),
        tiny=derive("tiny", fontSize=6.2, leading=8, textColor=MUTED, spaceAfter=0),
        cell=derive("cell", fontSize=8.5, leading=11.5, spaceAfter=0),
        number=derive("number", fontSize=8.5, leading=11.5, spaceAfter=0, alignment=TA_RIGHT),
        cell_head=derive("cell_head", fontSize=8.5, leading=11.5, textColor=ACCENT,
                         spaceAfter=0),
        cell_abnormal=derive("cell_abnormal", fontSize=8.5, leading=11.5,
                             textColor=ABNORMAL_INK, spaceAfter=0),
        title=derive("title", fontSize=18, leading=24, textColor=ACCENT, alignment=TA_CENTER,
                     spaceAfter=2),
        h1=derive("h1", fontSize=13, leading=18, textColor=ACCENT, spaceBefore=12,
                  spaceAfter=5),
        h2=derive("h2", fontSize=10.5, leading=15, textColor=ACCENT, spaceBefore=7,
                  spaceAfter=3),
        label=derive("label", fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=0),
        mark=derive("mark", fontSize=8.5, leading=11.5, textColor=ABNORMAL_INK,
                    alignment=TA_CENTER, spaceAfter=0),
        centered=derive("centered", fontSize=9, leading=12, alignment=TA_CENTER,
                        textColor=MUTED, spaceAfter=0),
        warning=derive("warning", fontSize=9, leading=13, textColor=ABNORMAL_INK,
                       borderColor=ABNORMAL_INK, borderWidth=0.8, borderPadding=5,
                       spaceBefore=6, spaceAfter=8),
    )


# -- words -------------------------------------------------------------------------------


def label(key: str, lang: str, **values: object) -> str:
    """The report's text for ``key`` in ``lang`` ("zh" or "en"), formatted with ``values``."""
    return LABELS[key].in_(lang).format(**values)


# Every fixed text of the report, in both languages. Kept here rather than in Qt's .ts
# files: the report is rendered without Qt, e.g. on the server or from the command line.
LABELS: Final[dict[str, Text]] = {
    "title": Text("贷后检查报告", "Post-loan inspection report"),
    "visit_id": Text("检查编号", "Visit ID"),
    "page": Text("第 {n} 页 / 共 {total} 页", "Page {n} of {total}"),
    "revision": Text("第 {n} 版", "Revision {n}"),
    "s_borrower": Text("一、借款人及贷款情况", "1. Borrower and loans"),
    "s_visit": Text("二、检查基本情况", "2. The visit"),
    "s_checklist": Text("三、检查内容及结果", "3. Checklist results"),
    "s_notes": Text("四、情况说明", "4. Notes"),
    "s_collateral": Text("五、抵质押物检查", "5. Collateral observations"),
    "s_photos": Text("六、现场照片", "6. Photos"),
    "s_signals": Text("七、风险预警信号", "7. Risk warning signals"),
    "s_classification": Text("八、风险分类", "8. Risk classification"),
    "s_measures": Text("九、处置措施及下次检查", "9. Measures and next inspection"),
    "s_signatures": Text("十、签字确认", "10. Signatures"),
    "borrower": Text("借款人", "Borrower"),
    "borrower_code": Text("客户编号", "Customer no."),
    "borrower_kind": Text("客户类型", "Type"),
    "industry": Text("所属行业", "Industry"),
    "id_number": Text("证件号码", "ID / credit code"),
    "legal_rep": Text("法定代表人", "Legal representative"),
    "address": Text("地址", "Address"),
    "phone": Text("联系电话", "Phone"),
    "current_class": Text("当前分类", "Current classification"),
    "branch": Text("经办机构", "Branch"),
    "loans": Text("贷款明细", "Loans"),  # its table's own words: reports/loan_table.py
    "guarantors": Text("保证人", "Guarantors"),
    "guarantor": Text("保证人", "Guarantor"),
    "relation": Text("关系", "Relation"),
    "guaranteed": Text("担保金额（元）", "Guaranteed (CNY)"),
    "visit_kind": Text("检查类型", "Kind"),
    "visit_date": Text("检查日期", "Date"),
    "visit_time": Text("检查时间", "Time on site"),
    "place": Text("检查地点", "Place"),
    "people_met": Text("会见人员", "People met"),
    "officer": Text("检查人", "Inspected by"),
    "templates": Text("检查模板", "Checklist templates"),
    "status": Text("状态", "Status"),
    "supersedes": Text("本版更正的报告（SHA-256）", "Corrects the report (SHA-256)"),
    "code": Text("编号", "Code"),
    "question": Text("检查内容", "Question"),
    "answer": Text("检查结果", "Answer"),
    "note": Text("情况说明", "Note"),
    "flag": Text("标记", "Flag"),
    "abnormal": Text("异常", "Abnormal"),
    "unanswered": Text("未回答", "not answered"),
    "checklist_summary": Text("共 {items} 项，其中异常 {abnormal} 项。",
                              "{items} items, {abnormal} abnormal."),
    "general_note": Text("总体情况", "General findings"),
    "item_notes": Text("检查项说明", "Notes on checklist items"),
    "none": Text("无", "None"),
    "collateral_item": Text("抵质押物", "Collateral item"),
    "obs_status": Text("现状", "Status"),
    "condition": Text("状况", "Condition"),
    "appraised": Text("评估价值（元）", "Appraised (CNY)"),
    "estimate": Text("本次估值（元）", "Estimate (CNY)"),
    "change": Text("变动", "Change"),
    "insurance": Text("保险", "Insured"),
    "certificate": Text("权证", "Title held"),
    "yes": Text("是", "Yes"),
    "no": Text("否", "No"),
    "location_checked": Text("位置已核实", "location checked"),
    "found_on_site": Text("现场发现，登记簿未载", "found on site, not on the register"),
    "photo_n": Text("照片 {n}", "Photo {n}"),
    "taken_at": Text("拍摄时间", "Taken"),
    "gps": Text("位置", "GPS"),
    "item": Text("检查项", "Item"),
    "photo_missing": Text("照片原件缺失或无法读取", "Original photo missing or unreadable"),
    "copy_notice": Text(
        "本件是已签署检查报告的副本，不是签署件，不具签名效力。签署原件为 SHA-256 值 {sha} "
        "的 PDF 文件，保存在检查应用的报告库中（同步后亦存于总行）。",
        "This is an unsigned copy of a signed visit's report, not the signed original, and "
        "carries no signature. The signed original is the PDF file with SHA-256 {sha}, kept "
        "in the inspection app's report store (and, once synced, at headquarters)."),
    "copy_notice_no_original": Text(
        "本件是已签署检查报告的副本，不是签署件，不具签名效力。本机未存签署原件，请向总行调阅。",
        "This is an unsigned copy of a signed visit's report, not the signed original, and "
        "carries no signature. The signed original is not on this laptop: ask headquarters "
        "for it."),
    "copy_line": Text("副本 · 非签署件 · 签署原件 SHA-256：{sha}",
                      "COPY — NOT THE SIGNED ORIGINAL · the signed original's SHA-256: {sha}"),
    "copy_line_no_original": Text("副本 · 非签署件 · 本机未存签署原件",
                                  "COPY — NOT THE SIGNED ORIGINAL · the signed original is not "
                                  "on this laptop"),
    "copy_seal": Text("签章见签署原件", "See the signed original"),
    "photo_marked": Text("图上有检查人所加标注 {n} 处（箭头、圆圈或文字）；原件未改动，"
                         "下方 SHA-256 为未加标注的原件的值。",
                         "Marked by the officer: {n} marking(s) (arrows, circles or text) "
                         "drawn on the photo; the original is unaltered and the SHA-256 below "
                         "is that of the unmarked original."),
    "photo_count": Text("共 {n} 张照片；每张照片下方为原始文件的 SHA-256 值。",
                        "{n} photos; below each, the SHA-256 of the original file."),
    "no_photos": Text("本次检查未附照片。", "No photos were attached to this visit."),
    "category": Text("类别", "Category"),
    "severity": Text("级别", "Severity"),
    "source": Text("来源", "Source"),
    "signal": Text("预警内容", "Signal"),
    "raised_on": Text("发起日期", "Raised"),
    "this_visit": Text("本次发起", "this visit"),
    "no_signals": Text("无风险预警信号。", "No risk warning signals."),
    "recommended": Text("建议分类", "Recommended"),
    "conclusion": Text("分类结论", "Conclusion"),
    "rule_fired": Text("触发的分类规则（★ 为决定建议分类的规则）",
                       "Classification rules that fired (★ decided the recommendation)"),
    "rule_source": Text("规则出处", "Source of the rule"),
    "overrides": Text("调整说明", "The change"),
    "final": Text("客户经理认定分类", "Officer's classification"),
    "override_reason": Text("调整理由", "Reason for the change"),
    "not_concluded": Text("尚未得出结论", "not concluded yet"),
    "measures": Text("处置措施", "Measures"),
    "next_due": Text("下次检查日期", "Next inspection"),
    "next_due_basis": Text("最迟日期依据", "Latest date set by"),
    "shortage": Text("现场{found}{unit}，登记{registered}{unit}，短少{percent}%",
                     "{found} {unit} found of {registered} {unit} registered: {percent}% short"),
    "officer_signature": Text("检查人签字", "Officer's signature"),
    "officer_seal": Text("检查人电子签章", "Officer's digital signature"),
    "supervisor_confirm": Text("部门负责人复核确认", "Supervisor's confirmation"),
    "supervisor_seal": Text("部门负责人电子签章", "Supervisor's digital signature"),
    "name": Text("姓名", "Name"),
    "date": Text("日期", "Date"),
    "sign_here_note": Text("复核通过后由部门负责人签章确认。",
                           "Signed by the supervisor after review."),
    "reviewer": Text("复核人", "Reviewer"),
    "review_date": Text("复核日期", "Review date"),
    "review_decision": Text("复核结论", "Decision"),
    "review_classification": Text("最终分类", "Final classification"),
    "review_opinion": Text("复核意见", "Review opinion"),
}
