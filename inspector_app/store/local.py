"""LocalStore: the one facade over the laptop's data.

The GUI, the CLI and (later) sync go through it. Each mutation runs in its own write
transaction, writes its audit entry in the same transaction and returns what changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from inspector_app.common import passwords
from inspector_app.common.clock import utcnow
from inspector_app.common.paths import database_path, photos_dir
from inspector_app.domain.checklist import Unmet, format_answer, parse_answer, select_checklist
from inspector_app.domain.enums import Industry, Role, SignalStatus, VisitKind, VisitStatus
from inspector_app.domain.lifecycle import (
    REVISABLE,
    TransitionError,
    check_signal_step,
    check_transition,
)
from inspector_app.domain.policy import Policy, PolicyError, load_policy
from inspector_app.store import outbox
from inspector_app.store.brief import VisitBriefs
from inspector_app.store.db import make_engine, make_sessionmaker
from inspector_app.store.migrate import MigrationResult, upgrade_database
from inspector_app.store.models import (
    AppState,
    AuditEntry,
    Borrower,
    ChecklistAnswer,
    CollateralObservation,
    Note,
    Photo,
    ReferenceDoc,
    RiskSignal,
    RiskSignalStep,
    User,
    Visit,
)
from inspector_app.store.photo_editing import PhotoEditing
from inspector_app.store.photos import PhotoStore
from inspector_app.store.portfolio import Portfolio
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.store.templates_in_force import templates_in_force
from inspector_app.store.visit_checks import (
    unmet_requirements,
    visit_checklist,
)
from inspector_app.store.visit_editing import VisitEditing
from inspector_app.store.visit_findings import VisitFindings
from inspector_app.store.visit_start import VisitStarting, checklist_of_refs


class VisitLockedError(RuntimeError):
    """A change to a signed visit was refused."""

    def __init__(self) -> None:
        super().__init__(
            "检查已签署，不能再修改；如需更正请创建新版本 / the visit is signed and cannot "
            "change; start a new revision to correct it"
        )


@dataclass(frozen=True)
class DueRow:
    """One line of the officer's due list."""

    borrower_id: str
    code: str
    name: str
    industry: str
    classification: str
    open_signals: int
    next_due_on: date | None
    next_due_kind: str | None
    officer: str


@dataclass(frozen=True)
class VisitRow:
    id: str
    borrower: str
    kind: str
    status: str
    visit_date: date
    revision: int


class LocalStore(VisitFindings, VisitEditing, PhotoEditing, Portfolio, VisitBriefs, VisitStarting):
    """Owns the engine for one data directory; every read and write goes through here."""

    def __init__(self, data_dir: Path, migration: MigrationResult) -> None:
        self.data_dir = data_dir
        self.migration = migration
        self.engine = make_engine(database_path(data_dir))
        self._reader = make_sessionmaker(self.engine)
        self._writer = make_sessionmaker(self.engine, write=True)
        outbox.install(self._writer)  # every visit edit queues itself for sync, same transaction
        self._photos = PhotoStore(photos_dir(data_dir))
        self._pulled_policy: tuple[int, Policy] | None = None

    @classmethod
    def open(cls, data_dir: Path) -> LocalStore:
        """Open (creating or upgrading as needed) the database in data_dir."""
        data_dir.mkdir(parents=True, exist_ok=True)
        migration = upgrade_database(database_path(data_dir))
        return cls(data_dir, migration)

    @property
    def policy(self) -> Policy:
        """The inspection policy in force: headquarters' latest published one once a sync has
        brought it, else the file shipped with the app."""
        with self.read() as s:
            doc = s.get(ReferenceDoc, ("policy", "policy"))
            pulled = None if doc is None or doc.deleted else (doc.version, doc.data)
        if pulled is None:
            return self._shipped_policy
        version, data = pulled
        if self._pulled_policy is None or self._pulled_policy[0] != version:
            try:
                self._pulled_policy = (version, Policy.from_dict(data, source="headquarters"))
            except PolicyError:
                # The pull refused to apply it too (sync/pull.py); keep the rules in force.
                return self._pulled_policy[1] if self._pulled_policy else self._shipped_policy
        return self._pulled_policy[1]

    @cached_property
    def _shipped_policy(self) -> Policy:
        return load_policy()

    @property
    def photos(self) -> PhotoStore:
        return self._photos

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back whole on any error."""
        try:
            with self._writer.begin() as session:
                yield session
        except DBAPIError as exc:
            if "visit is signed and locked" in str(exc.orig):
                raise VisitLockedError() from exc
            raise

    # -- audit ---------------------------------------------------------------------------------

    @staticmethod
    def audit(
        session: Session,
        user_id: str | None,
        action: str,
        entity: str,
        entity_id: str,
        **detail: Any,
    ) -> AuditEntry:
        """Append an audit entry inside the caller's transaction."""
        seq = (session.scalar(select(func.max(AuditEntry.seq))) or 0) + 1
        entry = AuditEntry(
            seq=seq, at=utcnow(), user_id=user_id, action=action, entity=entity,
            entity_id=entity_id, detail=detail,
        )
        session.add(entry)
        return entry

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
    ) -> User:
        with self.write() as s:
            user = User(
                username=username, display_name=display_name, role=role, branch_id=branch_id,
                supervisor_id=supervisor_id, password_hash=passwords.hash_password(password),
            )
            s.add(user)
            s.flush()
            self.audit(s, by, "user.create", "user", user.id, username=username, role=role)
        return user

    def authenticate(self, username: str, password: str) -> User:
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
        return user

    # -- lists ---------------------------------------------------------------------------------

    def due_list(
        self, text: str = "", *, officer_id: str | None = None, limit: int | None = None
    ) -> list[DueRow]:
        """Borrowers by next due date (earliest, i.e. most overdue, first), filtered by text."""
        query = (
            select(
                Borrower.id, Borrower.code, Borrower.name, Borrower.industry,
                Borrower.classification, Borrower.open_signals, Borrower.next_due_on,
                Borrower.next_due_kind, User.display_name,
            )
            .outerjoin(User, Borrower.officer_id == User.id)
            .order_by(Borrower.next_due_on.is_(None), Borrower.next_due_on, Borrower.name)
        )
        if officer_id is not None:
            query = query.where(Borrower.officer_id == officer_id)
        needle = text.strip()
        if needle:
            pattern = f"%{_escape_like(needle)}%"
            query = query.where(
                or_(
                    Borrower.name.like(pattern, escape="\\"),
                    Borrower.code.like(pattern, escape="\\"),
                    Borrower.id_number.like(pattern, escape="\\"),
                    Borrower.industry.in_(_industries_matching(needle)),
                )
            )
        if limit is not None:
            query = query.limit(limit)
        with self.read() as s:
            return [DueRow(*row) for row in s.execute(query)]

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

    # -- visit life cycle ----------------------------------------------------------------------

    def transition(
        self, visit_id: str, user: User, target: VisitStatus, reason: str = ""
    ) -> Visit:
        """Move a visit along its life cycle, or raise TransitionError; audited."""
        with self.write() as s:
            return self.transition_in(s, s.get_one(Visit, visit_id), user, target, reason)

    def transition_in(
        self, session: Session, visit: Visit, user: User, target: VisitStatus, reason: str = ""
    ) -> Visit:
        """transition() inside the caller's transaction, for steps that change more with it."""
        source = visit.status
        check_transition(source, target, user.role, reason)
        if target is VisitStatus.COMPLETED:
            self._require_complete(session, visit)
        visit.status = target
        self.audit(
            session, user.id, "visit.transition", "visit", visit.id,
            source=source, target=target, reason=reason,
        )
        # A finished visit moves the borrower's next due date (and may complete the first
        # inspection); keep the due list true in the same transaction.
        refresh_schedule(session, self.policy, [visit.borrower_id])
        return visit

    def _require_complete(self, session: Session, visit: Visit) -> None:
        unmet = unmet_requirements(session, visit)
        if unmet:
            raise TransitionError(
                f"检查尚有{len(unmet)}项未完成 / the visit still has {len(unmet)} unmet "
                f"requirement(s), first: {unmet[0].message_en} ({unmet[0].item_code})"
            )

    def new_revision(self, visit_id: str, user: User, reason: str) -> Visit:
        """Copy a signed or returned visit into a new draft revision that points back to it."""
        if not reason.strip():
            raise TransitionError("创建新版本需要填写原因 / a new revision needs a reason")
        with self.write() as s:
            old = s.get_one(Visit, visit_id)
            if old.status not in REVISABLE:
                raise TransitionError(
                    f"“{old.status.zh}”状态的检查可直接修改 / a {old.status} visit is edited "
                    "directly; only signed, submitted or returned visits get a new revision"
                )
            new = _copy_visit(old)
            new.revision = old.revision + 1
            new.previous_revision_id = old.id
            new.officer_id = user.id
            s.add(new)
            s.flush()
            self.audit(
                s, user.id, "visit.revise", "visit", new.id, previous=old.id, reason=reason
            )
        return new

    # -- the officer's visit --------------------------------------------------------------------

    def start_visit(
        self,
        borrower_id: str,
        officer: User,
        kind: VisitKind,
        *,
        visit_date: date,
        place: str = "",
        people_met: str = "",
        template_refs: list[str] | None = None,
        started_at: datetime | None = None,
    ) -> Visit:
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
        return visit

    def set_answer(
        self, visit_id: str, user: User, item_code: str, raw: str | None, note: str | None = None
    ) -> ChecklistAnswer:
        """Record what the officer typed for an item; AnswerError (nothing saved) if invalid."""
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
            self.refresh_findings(s, visit, user)
        return answer

    def add_photo(
        self,
        visit_id: str,
        user: User,
        path: Path,
        *,
        caption: str = "",
        item_code: str | None = None,
        collateral_item_id: str | None = None,
    ) -> Photo:
        """Store a photo file and attach it to the visit; PhotoError (nothing kept) if bad.

        The file goes into the content-addressed store first; only then is the row written, so
        a crash between the two leaves an unreferenced file (harmless, deduplicated next time),
        never a row pointing at nothing.
        """
        info = self._photos.add_file(path)
        taken = info.taken_at_aware
        if taken is None and info.taken_at is not None:
            # Most cameras record local time without its offset; the laptop's zone is the
            # best guess for a photo taken on this visit.
            taken = info.taken_at.astimezone()
        with self.write() as s:
            existing = s.scalar(
                select(Photo).where(Photo.visit_id == visit_id, Photo.sha256 == info.sha256)
            )
            if existing is not None:
                return existing  # the same picture dragged in twice is one photo of the visit
            photo = Photo(
                visit_id=visit_id, sha256=info.sha256, original_name=path.name, caption=caption,
                taken_at=None if taken is None else taken.astimezone(UTC),
                gps_lat=info.gps_lat, gps_lon=info.gps_lon, width=info.width,
                height=info.height, size_bytes=info.size_bytes, item_code=item_code,
                collateral_item_id=collateral_item_id,
            )
            s.add(photo)
            s.flush()
            self.audit(s, user.id, "photo.add", "photo", photo.id, visit=visit_id,
                       sha256=info.sha256)
        return photo

    def unmet_requirements(self, visit_id: str) -> list[Unmet]:
        with self.read() as s:
            return unmet_requirements(s, s.get_one(Visit, visit_id))

    # -- risk warning signals ------------------------------------------------------------------

    def raise_signal(self, signal: RiskSignal, user: User, reason: str = "") -> RiskSignal:
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
        self, signal_id: str, user: User, target: SignalStatus, reason: str
    ) -> RiskSignal:
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
        return signal

    # -- app state -----------------------------------------------------------------------------

    def get_state(self, key: str, default: str | None = None) -> str | None:
        with self.read() as s:
            row = s.get(AppState, key)
            return default if row is None else row.value

    def set_state(self, key: str, value: str) -> None:
        with self.write() as s:
            s.merge(AppState(key=key, value=value))


def _copy_visit(old: Visit) -> Visit:
    fields = (
        "borrower_id", "kind", "template_code", "template_version", "template_refs",
        "visit_date", "place", "people_met", "started_at", "ended_at", "general_note",
        "recommended_classification", "final_classification", "override_reason", "measures",
        "next_due_on",
    )
    new = Visit(status=VisitStatus.DRAFT, **{f: getattr(old, f) for f in fields})
    new.answers = [
        ChecklistAnswer(item_code=a.item_code, value=a.value, note=a.note) for a in old.answers
    ]
    new.notes = [Note(item_code=n.item_code, text=n.text) for n in old.notes]
    photo_fields = (
        "sha256", "original_name", "caption", "taken_at", "gps_lat", "gps_lon", "width",
        "height", "size_bytes", "item_code", "collateral_item_id", "annotations",
    )
    new.photos = [Photo(**{f: getattr(p, f) for f in photo_fields}) for p in old.photos]
    obs_fields = (
        "collateral_item_id", "status", "condition", "location_checked", "estimated_value_fen",
        "insurance_valid", "certificate_held", "note",
    )
    new.observations = [
        CollateralObservation(**{f: getattr(o, f) for f in obs_fields}) for o in old.observations
    ]
    return new


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _industries_matching(text: str) -> list[str]:
    """Industry codes whose Chinese or English label contains text (search by industry name)."""
    low = text.lower()
    return [i.value for i in Industry if low in i.zh or low in i.en.lower() or low in i.value]
