"""Everything the inspection report shows, read from the store in one session.

The renderer (``reports.pdf``) works only from these frozen dataclasses, so the layout can be
tested without a database and the report never reads anything half-way through a write.
Labels of enumerations are resolved here in the report's language; amounts stay in fen,
dates and times stay typed, and the renderer formats them.

Nothing here reads the clock: the same database gives the same ``ReportData``, which is what
lets the same visit render to the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inspector_app.common.text import Text
from inspector_app.domain.checklist import display_answer, is_abnormal, parse_answer
from inspector_app.domain.classification import CollateralValueError, collateral_value_change
from inspector_app.domain.document_words import template_name
from inspector_app.domain.enums import CollateralStatus, SignalStatus, VisitStatus
from inspector_app.domain.policy import Policy
from inspector_app.domain.repayment import Repayment
from inspector_app.reports.classification_facts import ClassificationFacts, classification_facts
from inspector_app.reports.loan_table import LoanCells
from inspector_app.store.auto_signals import english_titles
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Branch,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Note,
    Photo,
    RiskSignal,
    Visit,
)
from inspector_app.store.schedule_cache import due_after_visit
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.store.visit_history import latest_report_in

# Times in the report are printed in China Standard Time, not in the laptop's zone: the bank
# files reports in China, and a fixed zone keeps the same visit rendering the same bytes on
# any machine. Stored times are UTC.
REPORT_TZ = timezone(timedelta(hours=8), "CST")


@dataclass(frozen=True)
class BorrowerFacts:
    code: str
    name: str
    kind: str
    industry: str
    id_number: str
    legal_representative: str
    address: str
    phone: str
    classification: str
    branch: str


@dataclass(frozen=True)
class GuarantorLine:
    name: str
    kind: str
    relation: str
    guaranteed_amount_fen: int


@dataclass(frozen=True)
class ChecklistLine:
    code: str
    question: str
    answer: str  # "" when unanswered
    abnormal: bool
    note: str


@dataclass(frozen=True)
class ChecklistSection:
    code: str
    title: str
    items: tuple[ChecklistLine, ...]

    @property
    def abnormal_count(self) -> int:
        return sum(1 for line in self.items if line.abnormal)


@dataclass(frozen=True)
class NoteLine:
    item_code: str | None
    question: str  # the checklist question the note is about, "" for a general note
    text: str


@dataclass(frozen=True)
class CollateralLine:
    kind: str
    description: str
    location: str
    certificate_no: str
    observed: bool  # False: on the register but no observation was recorded on this visit
    status: str
    status_abnormal: bool  # anything but "present"
    condition: str
    location_checked: bool | None
    appraised_fen: int
    estimate_fen: int | None
    change_percent: Decimal | None  # (estimate - appraised) / appraised, one decimal
    insurance_valid: bool | None
    certificate_held: bool | None
    note: str
    found_on_site: bool
    # A partial shortage: (registered, found) in thousandths and the unit, or None.
    quantities: tuple[int, int, str] | None = None


@dataclass(frozen=True)
class PhotoLine:
    sha256: str
    original_name: str
    caption: str
    taken_at: datetime | None  # in REPORT_TZ
    gps_lat: float | None
    gps_lon: float | None
    item_code: str | None
    width: int
    height: int
    # The officer's markings (store.photo_editing shapes), drawn on the photo's report copy.
    markings: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class SignalLine:
    category: str
    severity: str
    severity_code: str  # "red", "orange", "yellow": the renderer colours by it
    source: str
    title: str
    description: str
    status: str
    raised_on: date
    this_visit: bool


@dataclass(frozen=True)
class ReportData:
    """One revision of one visit, as its report shows it, in one language."""

    lang: str
    visit_id: str
    revision: int
    previous_revision_id: str | None
    supersedes_sha256: str | None
    status: VisitStatus
    status_label: str
    kind: str
    visit_date: date
    started_at: datetime | None  # in REPORT_TZ
    ended_at: datetime | None
    place: str
    people_met: str
    officer_name: str
    # The checklist templates the visit used, by their titles and versions, as people read
    # them (the internal codes, routine@3, say nothing to a reader).
    templates: tuple[str, ...]
    borrower: BorrowerFacts
    loans: tuple[LoanCells, ...]
    guarantors: tuple[GuarantorLine, ...]
    checklist: tuple[ChecklistSection, ...]
    general_note: str
    notes: tuple[NoteLine, ...]
    collateral: tuple[CollateralLine, ...]
    photos: tuple[PhotoLine, ...]
    signals: tuple[SignalLine, ...]
    classification: ClassificationFacts
    measures: str
    next_due_on: date | None
    next_due_basis: str  # the schedule rule that bounds the next date (domain.schedule)
    officer_signature_png: bytes | None
    signed_original_sha256: str | None
    """For a signed (or later) visit: the SHA-256 of its newest kept signed report, the one
    a rendering of it is a copy of; None when this laptop keeps none."""
    document_time: datetime
    """The time the PDF's creation date is set to: when the visit ended (else started, else
    the visit date at midnight), in UTC, so the file never depends on when it was rendered."""

    @property
    def signed(self) -> bool:
        """Signed or later: the report is final, no draft watermark."""
        return self.status.locked

    @property
    def is_copy(self) -> bool:
        """Rendered from a signed visit: never the signed report itself, which is the file
        the signing kept (signed_original_sha256), but an unsigned copy of it."""
        return self.signed

    @property
    def abnormal_count(self) -> int:
        return sum(section.abnormal_count for section in self.checklist)


def load_report_data(
    store: LocalStore, visit_id: str, lang: str = "zh", supersedes_sha256: str | None = None
) -> ReportData:
    """Read everything the report of ``visit_id`` shows, in one read session.

    ``supersedes_sha256`` is the hash of the signed report this revision corrects; it is
    printed on the report when given.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"report language must be 'zh' or 'en', got {lang!r}")
    policy = store.policy
    with store.read() as s:
        visit = s.get_one(Visit, visit_id)
        return _report_data(s, visit, lang, supersedes_sha256, policy)


def _report_data(
    s: Session, visit: Visit, lang: str, supersedes: str | None, policy: Policy
) -> ReportData:
    borrower = visit.borrower
    branch = s.get(Branch, borrower.branch_id) if borrower.branch_id else None
    checklist, questions, templates = _checklist(s, visit, lang)
    signals = _signals(s, visit, lang, policy)
    collateral = _collateral(s, visit, lang)
    return ReportData(
        lang=lang,
        visit_id=visit.id,
        revision=visit.revision,
        previous_revision_id=visit.previous_revision_id,
        supersedes_sha256=supersedes,
        status=visit.status,
        status_label=visit.status.label(lang),
        kind=visit.kind.label(lang),
        visit_date=visit.visit_date,
        started_at=_local(visit.started_at),
        ended_at=_local(visit.ended_at),
        place=visit.place,
        people_met=visit.people_met,
        officer_name=visit.officer.display_name,
        templates=templates,
        borrower=BorrowerFacts(
            code=borrower.code, name=borrower.name, kind=borrower.kind.label(lang),
            industry=borrower.industry.label(lang), id_number=borrower.id_number,
            legal_representative=borrower.legal_representative, address=borrower.address,
            phone=borrower.phone, classification=borrower.classification.label(lang),
            branch=branch.name if branch else "",
        ),
        loans=tuple(
            LoanCells(
                loan.contract_no, loan.loan_type.label(lang), loan.amount_fen,
                loan.disbursed_on, loan.matures_on, loan.classification.label(lang),
                loan.purpose, Repayment.of(loan),
            )
            for loan in sorted(borrower.loans, key=lambda x: (x.disbursed_on, x.contract_no))
        ),
        guarantors=tuple(
            GuarantorLine(g.name, g.kind.label(lang), g.relation, g.guaranteed_amount_fen)
            for g in sorted(borrower.guarantors, key=lambda g: (g.name, g.id))
        ),
        checklist=checklist,
        general_note=visit.general_note,
        notes=_notes(s, visit, questions),
        collateral=collateral,
        photos=_photos(s, visit),
        signals=signals,
        classification=classification_facts(s, visit, lang, policy),
        measures=visit.measures,
        next_due_on=visit.next_due_on,
        next_due_basis=due_after_visit(s, policy, visit, visit.final_classification
                                       or visit.recommended_classification
                                       or borrower.classification).reason.in_(lang),
        officer_signature_png=visit.officer_signature_png,
        signed_original_sha256=_signed_original(s, visit),
        document_time=_document_time(visit),
    )


def _checklist(
    s: Session, visit: Visit, lang: str
) -> tuple[tuple[ChecklistSection, ...], dict[str, str], tuple[str, ...]]:
    checklist = visit_checklist(visit)
    templates = tuple(template_name(t.title, t.version).in_(lang) for t in checklist.templates)
    rows = {
        a.item_code: a
        for a in s.scalars(select(ChecklistAnswer).where(ChecklistAnswer.visit_id == visit.id))
    }
    questions: dict[str, str] = {}
    sections: list[ChecklistSection] = []
    for section in checklist.sections():
        lines: list[ChecklistLine] = []
        for item in section.items:
            questions[item.code] = item.question.in_(lang)
            row = rows.get(item.code)
            value = None if row is None or row.value is None else parse_answer(item, row.value)
            lines.append(
                ChecklistLine(
                    code=item.code, question=item.question.in_(lang),
                    answer=display_answer(item, value, lang),
                    abnormal=is_abnormal(item, value), note=row.note if row else "",
                )
            )
        sections.append(ChecklistSection(section.code, section.title.in_(lang), tuple(lines)))
    return tuple(sections), questions, templates


def _notes(s: Session, visit: Visit, questions: dict[str, str]) -> tuple[NoteLine, ...]:
    rows = s.scalars(
        select(Note).where(Note.visit_id == visit.id).order_by(Note.created_at, Note.id)
    )
    return tuple(
        NoteLine(n.item_code, questions.get(n.item_code, "") if n.item_code else "", n.text)
        for n in rows
    )


def _collateral(s: Session, visit: Visit, lang: str) -> tuple[CollateralLine, ...]:
    observed = {
        o.collateral_item_id: o
        for o in s.scalars(
            select(CollateralObservation).where(CollateralObservation.visit_id == visit.id)
        )
    }
    items = s.scalars(
        select(CollateralItem)
        .where(
            or_(
                CollateralItem.borrower_id == visit.borrower_id,
                CollateralItem.id.in_(list(observed)),
            )
        )
        .order_by(CollateralItem.found_on_site, CollateralItem.kind, CollateralItem.description,
                  CollateralItem.id)
    )
    lines: list[CollateralLine] = []
    not_observed = Text("未检查", "Not observed").in_(lang)
    for item in items:
        obs = observed.get(item.id)
        estimate = obs.estimated_value_fen if obs else None
        lines.append(
            CollateralLine(
                kind=item.kind.label(lang), description=item.description,
                location=item.location, certificate_no=item.certificate_no,
                observed=obs is not None,
                status=obs.status.label(lang) if obs else not_observed,
                status_abnormal=obs is None or obs.status is not CollateralStatus.PRESENT,
                condition=obs.condition if obs else "",
                location_checked=obs.location_checked if obs else None,
                appraised_fen=item.appraised_value_fen, estimate_fen=estimate,
                change_percent=_change_percent(item.appraised_value_fen, estimate),
                insurance_valid=obs.insurance_valid if obs else None,
                certificate_held=obs.certificate_held if obs else None,
                note=obs.note if obs else "", found_on_site=item.found_on_site,
                quantities=None if obs is None or obs.registered_quantity_milli is None
                or obs.found_quantity_milli is None else (
                    obs.registered_quantity_milli, obs.found_quantity_milli, obs.quantity_unit),
            )
        )
    return tuple(lines)


def _change_percent(appraised_fen: int, estimate_fen: int | None) -> Decimal | None:
    if estimate_fen is None:
        return None
    try:
        change = collateral_value_change(Decimal(appraised_fen), Decimal(estimate_fen))
    except CollateralValueError:
        return None  # a broken register entry: no meaningful change to print
    return (change * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _photos(s: Session, visit: Visit) -> tuple[PhotoLine, ...]:
    rows = list(s.scalars(select(Photo).where(Photo.visit_id == visit.id)))
    # Undated photos go last; the name and hash make the order total, hence reproducible.
    rows.sort(key=lambda p: (p.taken_at is None, p.taken_at or datetime.min.replace(tzinfo=UTC),
                             p.original_name, p.sha256))
    return tuple(
        PhotoLine(
            sha256=p.sha256, original_name=p.original_name, caption=p.caption,
            taken_at=_local(p.taken_at), gps_lat=p.gps_lat, gps_lon=p.gps_lon,
            item_code=p.item_code, width=p.width, height=p.height,
            markings=tuple(dict(a) for a in p.annotations or ()),
        )
        for p in rows
    )


def _signals(s: Session, visit: Visit, lang: str, policy: Policy) -> tuple[SignalLine, ...]:
    """Signals raised on this visit, then the borrower's other signals still open."""
    rows = s.scalars(
        select(RiskSignal).where(
            or_(
                RiskSignal.visit_id == visit.id,
                (RiskSignal.borrower_id == visit.borrower_id)
                & (RiskSignal.status != SignalStatus.CLEARED)
                & (RiskSignal.raised_on <= visit.visit_date),
            )
        )
    )
    ordered = sorted(
        rows,
        key=lambda r: (r.visit_id != visit.id, -r.severity.rank, r.raised_on, r.title, r.id),
    )
    # Automatic signals are stored in Chinese: an English report takes their English title.
    english = english_titles(s, ordered, policy) if lang == "en" else {}
    return tuple(
        SignalLine(
            category=r.category.label(lang), severity=r.severity.label(lang),
            severity_code=r.severity.value, source=r.source.label(lang),
            title=english.get(r.id, r.title),
            description=r.description, status=r.status.label(lang), raised_on=r.raised_on,
            this_visit=r.visit_id == visit.id,
        )
        for r in ordered
    )


def _local(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(REPORT_TZ)


def _signed_original(s: Session, visit: Visit) -> str | None:
    if not visit.status.locked:
        return None
    kept = latest_report_in(s, visit.id)
    return kept.sha256 if kept is not None else None


def _document_time(visit: Visit) -> datetime:
    moment = visit.ended_at or visit.started_at
    if moment is None:
        moment = datetime.combine(visit.visit_date, time(), REPORT_TZ)
    return moment.astimezone(UTC)
