"""Headquarters' lists for ``inspector-hq export``: every visit with its review status, signals
and classification, and the due list, from its own database.

Said through domain.listings, so the columns are the laptop's. The due date is worked out here
by domain.due_facts from headquarters' loans, the visits it holds and the signals' states as
follow-ups left them: the rules the laptops use, on the data headquarters has (a laptop's
unsynced draft is not there, and an event signal's title is shown as the bank recorded it).
Reads in a handful of set-based queries; a visit's document is read only for the latest visit
of each borrower and for visits with open signals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select, true
from sqlalchemy.orm import Session

from inspector_app.common.command_line import CommandError
from inspector_app.common.export_table import ExportTable
from inspector_app.common.text import Text
from inspector_app.domain.due_facts import BorrowerFacts, due_for, worst
from inspector_app.domain.enums import (
    Classification,
    LoanType,
    Severity,
    SignalStatus,
    VisitKind,
    VisitStatus,
)
from inspector_app.domain.listings import (
    DueListing,
    VisitListing,
    due_list_table,
    visits_table,
)
from inspector_app.domain.policy import Policy, load_policy
from inspector_app.domain.schedule import OpenSignal
from inspector_app.hq.db import Database
from inspector_app.hq.models import (
    Assignment,
    Borrower,
    Loan,
    PolicyVersion,
    Review,
    SignalEntry,
    User,
    Visit,
)

_CHUNK = 900  # ids per IN list
_DRAFT = VisitStatus.DRAFT.value
_OPEN = SignalEntry.status != SignalStatus.CLEARED.value


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    return (ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK))


def _enum(kind: type[Any], value: str | None) -> Any:
    """value as a member of kind; None for None or a value this version does not know."""
    try:
        return None if value is None else kind(value)
    except ValueError:
        return None


def _local_date(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone().date()


def _officer(username: str | None) -> Any:
    return None if username is None else select(User.id).where(User.username == username)


def _borrower_classes(session: Session) -> dict[str, Classification]:
    """Each borrower's classification: the worst of its loans', as the laptop keeps it."""
    classes: dict[str, list[Classification | None]] = defaultdict(list)
    for borrower_id, value in session.execute(select(Loan.borrower_id, Loan.classification)):
        classes[borrower_id].append(_enum(Classification, value))
    return {b: worst(c) for b, c in classes.items()}


def visit_listings(db: Database, officer: str | None = None) -> list[VisitListing]:
    """Every visit headquarters holds (of one officer, by username), newest first."""
    query = (
        select(Visit.id, User.display_name, Borrower.id, Borrower.code, Borrower.name,
               Visit.visit_date, Visit.revision, Visit.status, Visit.created_at,
               Visit.payload)
        .join(User, Visit.officer_id == User.id)
        .join(Borrower, Visit.borrower_id == Borrower.id)
        .where(Visit.status != _DRAFT)
        .order_by(Visit.visit_date.desc(), Borrower.code, Visit.revision.desc())
    )
    if officer is not None:
        query = query.where(Visit.officer_id.in_(_officer(officer)))
    reviewer = User.__table__.alias("reviewer")
    with db.read() as s:
        visits = s.execute(query).all()
        classes = _borrower_classes(s)
        counts: dict[tuple[str, str], int] = {}
        decisions: dict[str, Any] = {}
        for chunk in _chunks([v[0] for v in visits]):
            counts.update({(visit_id, severity): n for visit_id, severity, n in s.execute(
                select(SignalEntry.visit_id, SignalEntry.severity, func.count())
                .where(SignalEntry.visit_id.in_(chunk), _OPEN)
                .group_by(SignalEntry.visit_id, SignalEntry.severity))})
            decisions.update({row[0]: row for row in s.execute(
                select(Review.visit_id, reviewer.c.display_name, Review.decided_at,
                       Review.final_classification, Review.comment)
                .join(reviewer, Review.reviewer_id == reviewer.c.id)
                .where(Review.visit_id.in_(chunk)))})
    listings = []
    for (visit_id, officer_name, borrower_id, code, name, visit_date, revision, status,
         created_at, payload) in visits:
        decision = decisions.get(visit_id)
        listings.append(VisitListing(
            officer=officer_name, borrower_code=code, borrower=name,
            kind=VisitKind(payload.get("kind", VisitKind.ROUTINE.value)),
            visit_date=visit_date, revision=revision, status=VisitStatus(status),
            submitted_on=_local_date(created_at), current=classes.get(borrower_id),
            recommended=_enum(Classification, payload.get("final_classification")
                              or payload.get("recommended_classification")),
            red_signals=counts.get((visit_id, Severity.RED.value), 0),
            orange_signals=counts.get((visit_id, Severity.ORANGE.value), 0),
            reviewer=decision[1] if decision else "",
            decided_on=_local_date(decision[2]) if decision else None,
            final=_enum(Classification, decision[3]) if decision else None,
            review_comment=decision[4] if decision else "",
        ))
    return listings


def policy_in_force(session: Session) -> Policy:
    """The latest published policy, else the shipped one (as a laptop that never synced)."""
    newest = session.scalars(
        select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1)).first()
    if newest is None:
        return load_policy()
    return Policy.from_dict(newest.data, source="headquarters")


def borrower_facts(session: Session, borrower_ids: list[str] | None = None
           ) -> dict[str, BorrowerFacts]:
    """Every borrower's facts, or those of borrower_ids (at most _CHUNK of them)."""
    def of(column: Any) -> Any:
        return true() if borrower_ids is None else column.in_(borrower_ids)

    facts: dict[str, BorrowerFacts] = defaultdict(BorrowerFacts)
    for borrower_id, loan_type, disbursed, value, contract in session.execute(
            select(Loan.borrower_id, Loan.loan_type, Loan.disbursed_on, Loan.classification,
                   Loan.contract_no).where(of(Loan.borrower_id))):
        facts[borrower_id].loans.append((LoanType(loan_type), disbursed,
                                         _enum(Classification, value)
                                         or Classification.NORMAL, contract))
    for borrower_id, days in session.execute(
            select(Loan.borrower_id, func.max(Loan.days_past_due))
            .where(of(Loan.borrower_id)).group_by(Loan.borrower_id)):
        facts[borrower_id].days_past_due = int(days or 0)

    # Open signals: their state from the index (follow-ups move it), the rest from the
    # document of the visit that raised them.
    open_signals = session.execute(
        select(SignalEntry.id, SignalEntry.visit_id, SignalEntry.borrower_id,
               SignalEntry.severity).where(_OPEN, of(SignalEntry.borrower_id))).all()
    raised: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(sorted({row[1] for row in open_signals})):
        for payload, in session.execute(select(Visit.payload).where(Visit.id.in_(chunk))):
            raised.update({sig["id"]: sig for sig in payload.get("signals", [])})
    for signal_id, _visit, borrower_id, severity in open_signals:
        sig = raised.get(signal_id, {})
        on = sig.get("raised_on")
        if on is None:
            continue
        event = bool(sig.get("event"))
        facts[borrower_id].signals.append(OpenSignal(
            Severity(severity), date.fromisoformat(on),
            Text.same(sig.get("title", "")) if event else None, event))

    last = (select(Visit.borrower_id.label("borrower_id"), func.max(Visit.visit_date).label("on"),
                   func.max(case((Visit.payload["kind"].as_string() == VisitKind.SPECIAL.value,
                                  Visit.visit_date))).label("special_on"))
            .where(Visit.status != _DRAFT, of(Visit.borrower_id))
            .group_by(Visit.borrower_id).subquery())
    latest = (select(last.c.borrower_id, last.c.on, last.c.special_on, Visit.revision,
                     Visit.created_at, Visit.payload)
              .join(Visit, (Visit.borrower_id == last.c.borrower_id)
                    & (Visit.visit_date == last.c.on) & (Visit.status != _DRAFT))
              .order_by(Visit.revision, Visit.created_at))  # the newest last, so it wins
    for borrower_id, on, special_on, _revision, _made, payload in session.execute(latest):
        fact = facts[borrower_id]
        fact.last_visit_on = on
        promised = payload.get("next_due_on")
        fact.promised_on = date.fromisoformat(promised) if promised else None
        fact.last_concluded = _enum(Classification, payload.get("final_classification")
                                    or payload.get("recommended_classification"))
        fact.last_special_on = (special_on if special_on is None or isinstance(special_on, date)
                                else date.fromisoformat(special_on))
    return facts


def due_listings(db: Database, officer: str | None = None) -> list[DueListing]:
    """Every assigned borrower (of one officer, by username) by next inspection date, most
    overdue first, as the laptops' work list orders it."""
    query = (select(Borrower.id, Borrower.code, Borrower.name, Borrower.industry,
                    User.display_name)
             .outerjoin(Assignment, Assignment.borrower_id == Borrower.id)
             .outerjoin(User, Assignment.officer_id == User.id))
    if officer is not None:
        query = query.where(Assignment.officer_id.in_(_officer(officer)))
    outstanding = (select(Loan.borrower_id, func.sum(Loan.outstanding_fen))
                   .where(Loan.repayment_as_of.is_not(None)).group_by(Loan.borrower_id))
    with db.read() as s:
        borrowers = s.execute(query).all()
        policy = policy_in_force(s)
        facts = borrower_facts(s)
        owed = {b: int(fen) for b, fen in s.execute(outstanding)}
    listings = []
    for borrower_id, code, name, industry, officer_name in borrowers:
        fact = facts.get(borrower_id, BorrowerFacts())
        due = due_for(fact, policy)
        listings.append(DueListing(
            borrower_code=code, borrower=name, industry=industry,
            classification=worst(c for _t, _d, c, _n in fact.loans),
            open_signals=len(fact.signals), outstanding_fen=owed.get(borrower_id),
            last_visit=fact.last_visit_on, next_due=None if due is None else due.due_on,
            kind=None if due is None else due.kind, reason=None if due is None else due.reason,
            officer=officer_name or "",
        ))
    listings.sort(key=lambda d: (d.next_due is None, d.next_due or date.max, d.borrower))
    return listings


def export_table(db: Database, what: str, officer: str | None, today: date, lang: str
                 ) -> ExportTable:
    """"visits" or "due-list" (of one officer, by username) as the export's table;
    CommandError for an unknown officer."""
    if officer is not None:
        with db.read() as s:
            if s.scalar(select(User.id).where(User.username == officer)) is None:
                raise CommandError(f"没有该用户 / no user {officer!r}")
    if what == "visits":
        return visits_table(visit_listings(db, officer), today, lang)
    return due_list_table(due_listings(db, officer), today, lang)
