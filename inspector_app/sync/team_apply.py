"""A team member's visit from headquarters' feed, written into a supervisor's laptop.

The supervisor reviews signed visits of their team: the feed (GET /visits) hands over each one
as the officer pushed it, with its review if decided. Here it becomes an ordinary local visit
of that officer — answers, notes, photos, collateral observations, signals, report records —
so the supervisor's screens, the report panel and countersigning work on it unchanged.

A signed visit never changes (its correction is a new revision with an id of its own), so a
visit is written once; afterwards only its review status moves. Drafts are the officer's
business and stay out. Everything runs in the caller's quiet transaction (nothing queues
itself to be sent back), with the page's cursor; the files the visit names and this laptop
lacks are queued for download in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app import wire
from inspector_app.common.clock import utcnow
from inspector_app.domain.enums import (
    Classification,
    CollateralKind,
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.reports.files import report_path
from inspector_app.store import outbox
from inspector_app.store.local import LocalStore
from inspector_app.store.models import (
    Borrower,
    ChecklistAnswer,
    CollateralItem,
    CollateralObservation,
    Note,
    OutboxEntry,
    Photo,
    Report,
    RiskSignal,
    RiskSignalStep,
    User,
    Visit,
    VisitSync,
)
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.sync.review_apply import (
    follow_headquarters,
    keep_headquarters_review,
    pending_decision,
)

# Outbox kind (fits OutboxEntry.entity): a file of a team visit to download, keyed by SHA-256.
TEAM_FILE = "teamfile"

# What a supervisor reviews: the officer signed it; headquarters received it, perhaps decided.
_REVIEWABLE = {VisitStatus.SIGNED, VisitStatus.SUBMITTED, VisitStatus.APPROVED,
               VisitStatus.RETURNED}
# Local decisions not yet confirmed by headquarters: the feed must not overwrite them.
_PENDING_DECISIONS = (outbox.COUNTERSIGN, outbox.VISIT)


@dataclass
class TeamPage:
    """What one page of the feed did on this laptop."""

    received: int = 0  # visits written here for the first time
    decided: int = 0  # review decisions from headquarters applied to visits already here
    skipped: list[str] = field(default_factory=list)  # why a visit could not be taken


def apply_team_visits(session: Session, visits: Iterable[wire.StoredVisit],
                      store: LocalStore) -> TeamPage:
    """Write or update each visit of the page (caller's quiet transaction)."""
    page = TeamPage()
    borrowers: set[str] = set()
    for stored in visits:
        record = stored.visit
        try:
            status = _arrived_status(stored)
        except ValueError:
            page.skipped.append(f"{record.id}: unknown status {record.status}")
            continue
        if status is None:
            continue
        local = session.get(Visit, record.id)
        if local is None:
            problem = _missing_references(session, record)
            if problem:
                page.skipped.append(f"{record.id}: {problem}")
                continue
            _insert(session, stored, status)
            _queue_files(session, record, store)
            page.received += 1
            borrowers.add(record.borrower_id)
        elif _take_decision(session, local, stored, status):
            page.decided += 1
            borrowers.add(local.borrower_id)
    if borrowers:
        refresh_schedule(session, store.policy, borrowers)
    return page


def _arrived_status(stored: wire.StoredVisit) -> VisitStatus | None:
    """The status the visit has on this laptop, or None if it is not for review (a draft)."""
    status = VisitStatus(stored.visit.status)
    if status not in _REVIEWABLE:
        return None
    if stored.review is not None:
        return VisitStatus(stored.review.decision)
    # Headquarters holds it, so it has been submitted, whatever the officer's copy said.
    return VisitStatus.SUBMITTED if status is VisitStatus.SIGNED else status


def _missing_references(session: Session, record: wire.VisitRecord) -> str:
    if session.get(Borrower, record.borrower_id) is None:
        return "borrower not on this laptop"
    if session.get(User, record.officer_id) is None:
        return "officer not on this laptop"
    if record.previous_revision_id and session.get(Visit, record.previous_revision_id) is None:
        # The earlier revision was never seen here (e.g. sent before this laptop's time): the
        # link is only a reference, so the new revision is kept without it.
        record.previous_revision_id = None
    return ""


def _insert(session: Session, stored: wire.StoredVisit, status: VisitStatus) -> None:
    r = stored.visit
    code, _, version = (r.template_refs[0] if r.template_refs else "@0").partition("@")
    # Written as a draft first: the database refuses children of a signed visit (0002's
    # triggers); the status it arrived with is set once the children are in.
    visit = Visit(
        id=r.id, borrower_id=r.borrower_id, officer_id=r.officer_id, kind=VisitKind(r.kind),
        status=VisitStatus.DRAFT, template_code=code, template_version=int(version or 0),
        template_refs=list(r.template_refs), revision=r.revision,
        previous_revision_id=r.previous_revision_id, visit_date=r.visit_date, place=r.place,
        people_met=r.people_met, started_at=r.started_at, ended_at=r.ended_at,
        general_note=r.general_note,
        recommended_classification=_classification(r.recommended_classification),
        final_classification=_classification(r.final_classification),
        override_reason=r.override_reason, measures=r.measures, next_due_on=r.next_due_on,
    )
    session.add(visit)
    session.flush()
    for a in r.answers:
        session.add(ChecklistAnswer(id=a.id, visit_id=r.id, item_code=a.item_code,
                                    value=a.value, note=a.note))
    for n in r.notes:
        session.add(Note(id=n.id, visit_id=r.id, item_code=n.item_code, text=n.text))
    known_items = _collateral(session, r)
    for p in r.photos:
        item = p.collateral_item_id if p.collateral_item_id in known_items else None
        session.add(Photo(
            id=p.id, visit_id=r.id, sha256=p.sha256, original_name=p.original_name,
            caption=p.caption, taken_at=p.taken_at, gps_lat=p.gps_lat, gps_lon=p.gps_lon,
            width=p.width, height=p.height, size_bytes=p.size_bytes, item_code=p.item_code,
            collateral_item_id=item, annotations=list(p.annotations)))
    for o in r.observations:
        if o.collateral_item_id not in known_items:
            continue
        session.add(CollateralObservation(
            id=o.id, visit_id=r.id, collateral_item_id=o.collateral_item_id,
            status=CollateralStatus(o.status), condition=o.condition,
            location_checked=o.location_checked, estimated_value_fen=o.estimated_value_fen,
            insurance_valid=o.insurance_valid, certificate_held=o.certificate_held, note=o.note,
            registered_quantity_milli=o.registered_quantity_milli,
            found_quantity_milli=o.found_quantity_milli, quantity_unit=o.quantity_unit))
    _signals(session, r)
    for rep in r.reports:
        if session.scalar(select(Report.id).where(Report.sha256 == rep.sha256)) is None:
            session.add(Report(
                id=rep.id, visit_id=r.id, stage=rep.stage, sha256=rep.sha256,
                size_bytes=rep.size_bytes, lang=rep.lang, signer_user_id=r.officer_id,
                signer_name=rep.signer_name, signed_at=rep.signed_at,
                supersedes_sha256=rep.supersedes_sha256))
    session.flush()
    visit.status = status
    session.add(VisitSync(visit_id=r.id, acked_version=stored.server_version,
                          acked_payload_sha256=stored.payload_sha256, acked_at=utcnow()))
    review = stored.review
    LocalStore.audit(
        session, None, "visit.received", "visit", r.id, status=status.value,
        officer_id=r.officer_id, server_version=stored.server_version,
        review_id=review.id if review else None,
        comment=review.comment if review else "", from_headquarters=True)
    if review is not None:
        keep_headquarters_review(session, review)


def _collateral(session: Session, r: wire.VisitRecord) -> set[str]:
    """The collateral items the visit's observations and photos may name on this laptop:
    the register's, plus the items the officer found on site (created here from the
    observation, as on the officer's laptop)."""
    wanted = {o.collateral_item_id for o in r.observations} | {
        p.collateral_item_id for p in r.photos if p.collateral_item_id}
    known = set(session.scalars(select(CollateralItem.id).where(CollateralItem.id.in_(wanted))))
    for o in r.observations:
        found = o.found_item
        if found is None or o.collateral_item_id in known:
            continue
        session.add(CollateralItem(
            id=o.collateral_item_id, borrower_id=r.borrower_id, loan_id=None,
            kind=CollateralKind(found.kind), description=found.description,
            location=found.location, appraised_value_fen=found.appraised_value_fen,
            pledged_value_fen=0, found_on_site=True))
        known.add(o.collateral_item_id)
    return known


def _signals(session: Session, r: wire.VisitRecord) -> None:
    users = set(session.scalars(select(User.id).where(
        User.id.in_({st.user_id for s in r.signals for st in s.steps}))))
    for s in r.signals:
        session.add(RiskSignal(
            id=s.id, borrower_id=r.borrower_id, visit_id=r.id,
            category=SignalCategory(s.category), severity=Severity(s.severity),
            source=SignalSource(s.source), source_ref=s.source_ref, title=s.title,
            description=s.description, status=SignalStatus(s.status), raised_on=s.raised_on,
            event=s.event))
        for st in s.steps:
            # A step's author outside this laptop's users (someone who left) cannot be named
            # here; the step itself stays in headquarters' copy of the document.
            if st.user_id in users:
                session.add(RiskSignalStep(id=st.id, signal_id=s.id, step=SignalStatus(st.step),
                                           user_id=st.user_id, at=st.at, reason=st.reason))


def _take_decision(session: Session, visit: Visit, stored: wire.StoredVisit,
                   status: VisitStatus) -> bool:
    """A visit already here: follow headquarters' decision, unless this laptop decided
    something headquarters has not confirmed yet (that decision goes up first, and a refusal
    settles it: sync.review_apply)."""
    review = stored.review
    if review is not None:
        keep_headquarters_review(session, review)
    pending = session.scalar(select(OutboxEntry.id).where(
        OutboxEntry.entity.in_(_PENDING_DECISIONS),
        OutboxEntry.ref == visit.id))
    if pending is not None or pending_decision(session, visit.id) is not None:
        return False
    return follow_headquarters(
        session, visit, status.value, review_id=review.id if review else None,
        comment=review.comment if review else "")


def _queue_files(session: Session, r: wire.VisitRecord, store: LocalStore) -> None:
    wanted = [p.sha256 for p in r.photos if not store.photos.has(p.sha256)]
    wanted += [rep.sha256 for rep in r.reports
               if not report_path(store.data_dir, rep.sha256).exists()]
    outbox.enqueue(session, TEAM_FILE, wanted)


def _classification(code: str | None) -> Classification | None:
    return None if code is None else Classification(code)
