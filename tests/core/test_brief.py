"""The pre-visit brief: what it gathers from the store, and its one-page PDF."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from inspector_app.domain.enums import (
    BorrowerKind,
    Classification,
    CollateralKind,
    CollateralStatus,
    Industry,
    LoanType,
    RelationKind,
    Role,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.reports.brief_pdf import render_brief
from inspector_app.store.brief import VisitBrief
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Borrower,
    Branch,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Guarantor,
    Loan,
    RelatedParty,
    RiskSignal,
    RiskSignalStep,
    Visit,
)

TODAY = date(2026, 11, 25)


@pytest.fixture
def brief_store(store: LocalStore) -> tuple[LocalStore, str]:
    """A borrower with two loans (one 95 days overdue and refinanced, one not in an extract
    yet), collateral, a guarantor, a completed visit with one abnormal
    answer and measures, a later draft, and signals open, monitored and cleared."""
    officer = store.create_user("wang", "pass-word-1", "王明", Role.OFFICER)
    with store.write() as s:
        branch = Branch(code="B1", name="城东支行")
        s.add(branch)
        s.flush()
        b = Borrower(code="C9", name="江苏恒达精密机械有限公司", kind=BorrowerKind.COMPANY,
                     industry=Industry.MANUFACTURING, id_number="91320000MA1X000001",
                     legal_representative="赵刚", address="苏州市工业园区星湖街 88 号",
                     phone="0512-1234567", officer_id=officer.id, branch_id=branch.id,
                     classification=Classification.SPECIAL_MENTION,
                     next_due_on=date(2026, 12, 1), next_due_kind=VisitKind.ROUTINE)
        s.add(b)
        s.flush()
        s.add_all([
            Loan(borrower_id=b.id, contract_no="L-2", loan_type=LoanType.FIXED_ASSET,
                 amount_fen=3_000_000_00, disbursed_on=date(2026, 5, 1),
                 matures_on=date(2030, 5, 1), classification=Classification.SPECIAL_MENTION,
                 purpose="新厂房", outstanding_fen=2_800_000_00,
                 overdue_principal_fen=200_000_00, overdue_interest_fen=12_345_67,
                 days_past_due=95, arrears_interest_fen=15_000_00, refinanced=True,
                 repayment_as_of=date(2026, 11, 24)),
            Loan(borrower_id=b.id, contract_no="L-1", loan_type=LoanType.WORKING_CAPITAL,
                 amount_fen=500_000_00, disbursed_on=date(2026, 3, 1),
                 matures_on=date(2027, 3, 1), classification=Classification.NORMAL,
                 purpose="采购原材料"),
        ])
        stock = CollateralItem(borrower_id=b.id, kind=CollateralKind.WAREHOUSE_STOCK,
                               description="钢材库存", location="2 号仓库",
                               appraised_value_fen=800_000_00, pledged_value_fen=500_000_00)
        house = CollateralItem(borrower_id=b.id, kind=CollateralKind.PROPERTY,
                               description="厂房", appraised_value_fen=5_000_000_00,
                               pledged_value_fen=3_000_000_00, certificate_no="苏(2026)001")
        s.add_all([stock, house, Guarantor(borrower_id=b.id, name="恒达集团",
                                           kind=BorrowerKind.COMPANY, relation="母公司",
                                           guaranteed_amount_fen=1_000_000_00)])
        last = Visit(borrower_id=b.id, officer_id=officer.id, kind=VisitKind.ROUTINE,
                     status=VisitStatus.COMPLETED, template_code="routine",
                     template_version=1, template_refs=["routine@1"],
                     visit_date=date(2026, 9, 1), measures="督促补足保证金",
                     final_classification=Classification.SPECIAL_MENTION)
        older = Visit(borrower_id=b.id, officer_id=officer.id, kind=VisitKind.FIRST,
                      status=VisitStatus.SIGNED, template_code="first", template_version=1,
                      template_refs=["first@1"], visit_date=date(2026, 3, 10),
                      measures="旧措施")
        draft = Visit(borrower_id=b.id, officer_id=officer.id, kind=VisitKind.ROUTINE,
                      template_code="routine", template_version=1, template_refs=["routine@1"],
                      visit_date=date(2026, 11, 20), measures="草稿措施")
        s.add_all([last, older, draft])
        s.flush()
        s.add_all([
            ChecklistAnswer(visit_id=last.id, item_code="R-WIL-01", value="no",
                            note="十月逾期两天"),
            ChecklistAnswer(visit_id=last.id, item_code="R-WIL-02", value=None, note=""),
            CollateralObservation(visit_id=last.id, collateral_item_id=stock.id,
                                  status=CollateralStatus.NOT_FOUND,
                                  estimated_value_fen=0),
        ])
        for title, severity, status, raised in (
            ("存货不足", Severity.ORANGE, SignalStatus.RAISED, date(2026, 9, 1)),
            ("法院查封", Severity.RED, SignalStatus.MONITORED, date(2026, 10, 1)),
            ("已解除的信号", Severity.RED, SignalStatus.CLEARED, date(2026, 8, 1)),
        ):
            sig = RiskSignal(borrower_id=b.id, category=SignalCategory.COLLATERAL,
                             severity=severity, source=SignalSource.OFFICER, title=title,
                             status=status, raised_on=raised)
            s.add(sig)
            s.flush()
            s.add(RiskSignalStep(signal_id=sig.id, step=SignalStatus.RAISED,
                                 user_id=officer.id, at=datetime(2026, 9, 1, tzinfo=UTC)))
            if status is SignalStatus.MONITORED:
                s.add(RiskSignalStep(signal_id=sig.id, step=status, user_id=officer.id,
                                     at=datetime(2026, 10, 2, tzinfo=UTC), reason="按月跟踪"))
    return store, b.id


def test_brief_gathers_the_file_and_the_last_recorded_visit(brief_store) -> None:
    store, borrower_id = brief_store
    brief = store.visit_brief(borrower_id, today=TODAY)

    assert brief.borrower.name == "江苏恒达精密机械有限公司"
    assert (brief.borrower.officer_name, brief.borrower.branch_name) == ("王明", "城东支行")
    assert [loan.contract_no for loan in brief.loans] == ["L-1", "L-2"]  # by disbursement
    assert brief.amount_fen == 3_500_000_00
    # What is still owed, by the only loan the core system has reported on.
    assert (brief.outstanding_fen, brief.repayment_as_of) == (2_800_000_00, date(2026, 11, 24))
    assert not brief.loans[0].repayment.known
    overdue = brief.loans[1].repayment
    assert (overdue.days_past_due, overdue.arrears_interest_fen) == (95, 15_000_00)
    assert [m.zh for m in overdue.marks] == ["借新还旧"]
    assert [c.description for c in brief.collateral] == ["厂房", "钢材库存"]
    stock = brief.collateral[1]
    assert stock.last_status is CollateralStatus.NOT_FOUND and stock.last_status_abnormal
    assert brief.collateral[0].last_status is None
    assert [g.name for g in brief.guarantors] == ["恒达集团"]

    last = brief.last_visit
    assert last is not None
    assert (last.visit_date, last.status) == (date(2026, 9, 1), VisitStatus.COMPLETED)
    assert last.measures == "督促补足保证金"  # not the draft's, not the older visit's
    assert last.classification is Classification.SPECIAL_MENTION
    assert [(f.item_code, f.answer.zh, f.answer.en, f.note) for f in last.findings] == [
        ("R-WIL-01", "否", "No", "十月逾期两天")]

    # Open ones only, gravest first; the monitored one carries its latest reason.
    assert [(sig.title, sig.last_reason) for sig in brief.open_signals] == [
        ("法院查封", "按月跟踪"), ("存货不足", "")]
    assert (brief.next_due_on, brief.next_due_kind) == (date(2026, 12, 1), VisitKind.ROUTINE)


def page_text(pdf: bytes) -> tuple[int, str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), reader.pages[0].extract_text(), reader


def fonts_of(reader: PdfReader) -> list[tuple[str, bool]]:
    """(base font name, embedded?) of every font on the first page."""
    found = []
    resources = reader.pages[0]["/Resources"]["/Font"]
    for ref in resources.values():
        font = ref.get_object()
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target.get("/FontDescriptor")
        embedded = descriptor is not None and any(
            k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        found.append((str(font["/BaseFont"]), embedded))
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_brief_pdf_is_one_page_with_embedded_fonts_and_extractable_text(
    brief_store, lang: str
) -> None:
    store, borrower_id = brief_store
    brief = store.visit_brief(borrower_id, today=TODAY)
    pdf = render_brief(brief, lang)

    pages, text, reader = page_text(pdf)
    assert pages == 1
    fonts = fonts_of(reader)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert not any("Helvetica" in name or "Times" in name for name, _e in fonts)
    flat = re.sub(r"\s+", "", text)
    for expected in ("江苏恒达精密机械有限公司", "钢材库存", "法院查封", "按月跟踪",
                     "督促补足保证金", "十月逾期两天", "恒达集团",
                     # L-2's balance, days past due, 欠息 and mark; the extract's date
                     "2,800,000.00", "95", "15,000.00", "2026-11-24",
                     "借新还旧" if lang == "zh" else "Refinanced"):
        assert expected in flat
    heading = "访前准备" if lang == "zh" else "Pre-visitbrief"
    assert heading in flat
    assert render_brief(brief, lang) == pdf  # deterministic


def test_long_lists_are_cut_to_fit_one_page(brief_store) -> None:
    store, borrower_id = brief_store
    brief: VisitBrief = store.visit_brief(borrower_id, today=TODAY)
    loan = brief.loans[0]
    signal = brief.open_signals[0]
    long_brief = replace(
        brief,
        loans=tuple(replace(loan, contract_no=f"L-{n:03}", purpose="流动资金周转" * 20)
                    for n in range(40)),
        open_signals=tuple(replace(signal, title=f"信号{n:02} " + "说明" * 40)
                           for n in range(30)),
        collateral=brief.collateral * 15,
    )
    pages, text, _reader = page_text(render_brief(long_brief, "zh"))
    assert pages == 1
    flat = re.sub(r"\s+", "", text)
    assert "L-000" in flat and "L-039" not in flat
    shown_loans = len(re.findall(r"L-0\d\d", flat))
    assert f"……另有{40 - shown_loans}项未列出" in flat
    assert "信号00" in flat and "信号29" not in flat

    pages, text, _reader = page_text(render_brief(long_brief, "en"))
    assert pages == 1 and "more" in text


def test_a_borrower_without_history_gets_a_brief_too(store: LocalStore) -> None:
    with store.write() as s:
        b = Borrower(code="N1", name="新客户", kind=BorrowerKind.PERSON,
                     industry=Industry.SERVICES, id_number="330100199001011234")
        s.add(b)
    brief = store.visit_brief(b.id, today=TODAY)
    assert (brief.loans, brief.collateral, brief.last_visit, brief.open_signals) == (
        (), (), None, ())
    pages, text, _reader = page_text(render_brief(brief, "zh"))
    assert pages == 1 and "尚无已完成的检查" in re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_related_party_in_trouble_is_said_under_the_borrower_on_the_pdf(
        brief_store, lang: str) -> None:
    store, borrower_id = brief_store
    with store.write() as s:
        s.add_all([
            RelatedParty(borrower_id=borrower_id, kind=RelationKind.SAME_CONTROLLER,
                         party_code="C9001", party_name="苏州巨源油业有限公司",
                         party_red_signals=1),
            RelatedParty(borrower_id=borrower_id, kind=RelationKind.RELATED_COMPANY,
                         party_code="C9002", party_name="南京德炎水产有限公司"),
        ])
    brief = store.visit_brief(borrower_id, today=TODAY)
    assert [(n.party_name, n.severity) for n in brief.related] == [
        ("苏州巨源油业有限公司", Severity.RED), ("南京德炎水产有限公司", None)]
    pages, text, _reader = page_text(render_brief(brief, lang))
    flat = re.sub(r"\s+", "", text)
    said = ("关联方苏州巨源油业有限公司有红色预警" if lang == "zh"
            else "Relatedparty苏州巨源油业有限公司hasaredsignal")
    assert pages == 1 and said in flat
    assert "南京德炎水产" not in flat  # nothing open: only the dialog's table lists it
