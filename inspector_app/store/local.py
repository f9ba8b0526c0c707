"""LocalStore: the one facade over the laptop's data.

The GUI, the CLI and sync go through it. Each mutation runs in its own write transaction,
writes its audit entry in the same transaction and returns what changed (rows.Changes, or a
row that carries it). LocalStore is StoreBase (engine, transactions, audit, policy) plus one
part per area, each in its own module; the GUI reaches all of it through store.facade.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from inspector_app.common import passwords
from inspector_app.common.clock import utcnow
from inspector_app.common.paths import database_path
from inspector_app.domain.checklist import (
    AnswerError,
    Unmet,
    format_answer,
    parse_answer,
    select_checklist,
)
from inspector_app.domain.enums import Role, SignalStatus, VisitKind, VisitStatus
from inspector_app.domain.lifecycle import check_signal_step
from inspector_app.domain.visit_rules import text_problem
from inspector_app.store.base import VisitLockedError
from inspector_app.store.brief import VisitBriefs
from inspector_app.store.dashboard import TeamDashboards
from inspector_app.store.handovers import Handovers
from inspector_app.store.listings import Listings
from inspector_app.store.migrate import upgrade_database
from inspector_app.store.models import (
    AppState,
    Borrower,
    ChecklistAnswer,
    RiskSignal,
    RiskSignalStep,
    SyncState,
    User,
    Visit,
)
from inspector_app.store.photo_editing import PhotoEditing
from inspector_app.store.portfolio import Portfolio, WorkFilter
from inspector_app.store.review import VisitReview
from inspector_app.store.review_queue import ReviewQueue
from inspector_app.store.rows import (
    Actor,
    Changes,
    DueRow,
    LaptopRegistration,
    UserRow,
    VisitRecord,
    VisitRow,
)
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.store.signal_follow_ups import SignalFollowUps
from inspector_app.store.templates_in_force import templates_in_force
from inspector_app.store.visit_checks import unmet_requirements, visit_checklist
from inspector_app.store.visit_findings import VisitFindings
from inspector_app.store.visit_history import VisitHistory
from inspector_app.store.visit_lifecycle import visit_record
from inspector_app.store.visit_start import VisitStarting, checklist_of_refs

# Kept importable from here: the CLI and the tests have always found them in this module.
__all__ = ["DueRow", "LocalStore", "VisitLockedError", "VisitRow"]


def user_row(user: User) -> UserRow:
    return UserRow(user.id, user.username, user.display_name, user.role, user.branch_id,
                   user.supervisor_id)


class LocalStore(
    VisitFindings, VisitReview, Listings, ReviewQueue, SignalFollowUps, PhotoEditing, Portfolio,
    VisitBriefs, VisitStarting, VisitHistory, TeamDashboards, Handovers,
):
    """Owns the engine for one data directory; every read and write goes through here."""

    @classmethod
    def open(cls, data_dir: Path) -> LocalStore:
        """Open (creating or upgrading as needed) the database in data_dir."""
        data_dir.mkdir(parents=True, exist_ok=True)
        migration = upgrade_database(database_path(data_dir))
        return cls(data_dir, migration)

    # -- users and login -----------------------------------------------------------------------

    def create_user(
        self,
        username: str,
        password: str,
        display_name: str,
        role: Role,
        *,
        branch_id: str | None = None,
        supervisor_id: str | None = None,
        by: str | None = None,
    ) -> UserRow:
        with self.write() as s:
            user = User(
                username=username, display_name=display_name, role=role, branch_id=branch_id,
                supervisor_id=supervisor_id, password_hash=passwords.hash_password(password),
            )
            s.add(user)
            s.flush()
            self.audit(s, by, "user.create", "user", user.id, username=username, role=role)
            return user_row(user)

    def authenticate(self, username: str, password: str) -> UserRow:
        """The active user with this password, or LoginError (same message for every cause)."""
        with self.read() as s:
            user = s.scalar(select(User).where(User.username == username.strip()))
        if user is None or not user.active:
            passwords.verify_password(passwords.dummy_hash(), password)
            raise passwords.LoginError()
        if not passwords.verify_password(user.password_hash, password):
            raise passwords.LoginError()
        with self.write() as s:
            self.audit(s, user.id, "user.login", "user", user.id)
        return user_row(user)

    # -- lists ---------------------------------------------------------------------------------

    def due_list(
        self, text: str = "", *, officer_id: str | None = None, limit: int | None = None
    ) -> list[DueRow]:
        """Borrowers by next due date (earliest, i.e. most overdue, first), filtered by text:
        the work list's query, searched the same way (pinyin too)."""
        return self.work_list(WorkFilter(text=text), officer_id=officer_id, limit=limit)

    def visits(self, status: VisitStatus | None = None) -> list[VisitRow]:
        query = (
            select(
                Visit.id, Borrower.name, Visit.kind, Visit.status, Visit.visit_date,
                Visit.revision,
            )
            .join(Borrower, Visit.borrower_id == Borrower.id)
            .order_by(Visit.visit_date.desc(), Borrower.name)
        )
        if status is not None:
            query = query.where(Visit.status == status)
        with self.read() as s:
            return [VisitRow(*row) for row in s.execute(query)]

    # -- the officer's visit --------------------------------------------------------------------

    def start_visit(
        self,
        borrower_id: str,
        officer: Actor,
        kind: VisitKind,
        *,
        visit_date: date,
        place: str = "",
        people_met: str = "",
        template_refs: list[str] | None = None,
        started_at: datetime | None = None,
    ) -> VisitRecord:
        """A new draft visit whose checklist is chosen from the loans' types and the industry,
        or made of template_refs (a base then supplements) if the officer chose them."""
        with self.write() as s:
            borrower = s.get_one(Borrower, borrower_id)
            in_force = templates_in_force(s)  # shipped, or newer versions from headquarters
            checklist = checklist_of_refs(template_refs, in_force.current) if template_refs \
                else select_checklist(in_force.by_code(), kind,
                                      {loan.loan_type for loan in borrower.loans},
                                      borrower.industry)
            visit = Visit(
                borrower_id=borrower.id, officer_id=officer.id, kind=kind,
                template_code=checklist.base.code, template_version=checklist.base.version,
                template_refs=checklist.template_refs(), visit_date=visit_date, place=place,
                people_met=people_met, started_at=started_at or utcnow(),
            )
            s.add(visit)
            s.flush()
            self.audit(s, officer.id, "visit.start", "visit", visit.id,
                       templates=visit.template_refs)
            return visit_record(visit)

    def set_answer(
        self, visit_id: str, user: Actor, item_code: str, raw: str | None, note: str | None = None
    ) -> Changes:
        """Record what the officer typed for an item; AnswerError (nothing saved) if invalid."""
        for field, text in (("answer.value", raw), ("answer.note", note)):
            if text is not None and (problem := text_problem(field, text)) is not None:
                raise AnswerError(problem)
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            item = visit_checklist(visit).item(item_code)
            value = None if raw is None or not raw.strip() else format_answer(
                item, parse_answer(item, raw)
            )
            answer = s.scalar(
                select(ChecklistAnswer).where(
                    ChecklistAnswer.visit_id == visit_id, ChecklistAnswer.item_code == item_code
                )
            )
            if answer is None:
                answer = ChecklistAnswer(visit_id=visit_id, item_code=item_code, note="")
                s.add(answer)
            answer.value = value
            if note is not None:
                answer.note = note
            # An abnormal answer raises its signal (and a corrected one withdraws it) at once.
            found = self.refresh_findings(s, visit, user)
        return Changes.of(visit_id, items=[item_code]) | found

    def unmet_requirements(self, visit_id: str) -> list[Unmet]:
        with self.read() as s:
            return unmet_requirements(s, s.get_one(Visit, visit_id))

    # -- risk warning signals ------------------------------------------------------------------

    def raise_signal(self, signal: RiskSignal, user: Actor, reason: str = "") -> RiskSignal:
        """Record a new signal with its first life-cycle step, both in one transaction."""
        with self.write() as s:
            signal.status = SignalStatus.RAISED
            s.add(signal)
            s.flush()
            s.add(RiskSignalStep(signal_id=signal.id, step=SignalStatus.RAISED, user_id=user.id,
                                 at=utcnow(), reason=reason))
            self.audit(s, user.id, "signal.raise", "risk_signal", signal.id,
                       severity=signal.severity, category=signal.category)
            refresh_schedule(s, self.policy, [signal.borrower_id])  # a signal pulls the date in
        return signal

    def advance_signal(
        self, signal_id: str, user: Actor, target: SignalStatus, reason: str
    ) -> Changes:
        """Move a signal to handled, monitored or cleared, recording who, when and why."""
        with self.write() as s:
            signal = s.get_one(RiskSignal, signal_id)
            check_signal_step(signal.status, target, reason)
            source = signal.status
            signal.status = target
            s.add(RiskSignalStep(signal_id=signal.id, step=target, user_id=user.id, at=utcnow(),
                                 reason=reason.strip()))
            self.audit(s, user.id, "signal.step", "risk_signal", signal.id, source=source,
                       target=target, reason=reason)
            refresh_schedule(s, self.policy, [signal.borrower_id])
            return Changes.of(signal.visit_id, borrower_id=signal.borrower_id,
                              signals=[signal_id])

    # -- app state -----------------------------------------------------------------------------

    def get_state(self, key: str, default: str | None = None) -> str | None:
        with self.read() as s:
            row = s.get(AppState, key)
            return default if row is None else row.value

    def set_state(self, key: str, value: str) -> None:
        with self.write() as s:
            s.merge(AppState(key=key, value=value))

    def laptop_registration(self) -> LaptopRegistration:
        """Whether this laptop is registered with headquarters, where, and if revoked."""
        with self.read() as s:
            state = s.get(SyncState, 1)
            if state is None:
                return LaptopRegistration(False, "", False)
            return LaptopRegistration(True, state.server_url, state.revoked)

