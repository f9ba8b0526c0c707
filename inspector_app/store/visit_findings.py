"""What the officer finds on site besides the checklist: collateral and warning signals.

A part of LocalStore, built on visit_editing. Every change re-derives the automatic signals
and the recommended classification in the same transaction (VisitEditing.refresh_findings) and
returns its Changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.common.text import Text
from inspector_app.domain.enums import (
    CollateralKind,
    CollateralStatus,
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
)
from inspector_app.domain.money import change_percent
from inspector_app.domain.quantity import quantity_shortfall
from inspector_app.domain.visit_rules import estimate_problem, quantity_problem
from inspector_app.store.auto_signals import AUTOMATIC, wanted_signals
from inspector_app.store.models import (
    CollateralItem,
    CollateralObservation,
    Photo,
    ReferenceDoc,
    RiskSignal,
    RiskSignalStep,
    User,
    Visit,
)
from inspector_app.store.rows import Actor, Changes, Created
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.store.visit_checks import visit_checklist
from inspector_app.store.visit_editing import EditError, VisitEditing, check_text


@dataclass(frozen=True)
class ObservationRow:
    status: CollateralStatus
    condition: str
    location_checked: bool
    estimated_value_fen: int | None
    insurance_valid: bool | None
    certificate_held: bool | None
    note: str
    change_percent: Decimal | None
    # A partial shortage: registered and found quantities in thousandths, their unit, and the
    # share missing (0.675 for 800 t of 2,459 t); None where not recorded.
    registered_quantity_milli: int | None = None
    found_quantity_milli: int | None = None
    quantity_unit: str = ""
    shortfall: Decimal | None = None


@dataclass(frozen=True)
class CollateralRow:
    item_id: str
    kind: CollateralKind
    description: str
    location: str
    appraised_value_fen: int
    pledged_value_fen: int
    certificate_no: str
    found_on_site: bool
    observation: ObservationRow | None
    photo_count: int


# A supervisor's follow-up of a signal (LocalStore.follow_up_signal, or pulled from
# headquarters): its document in reference_docs under this entity (store.review.FOLLOW_UP).
FOLLOW_UP = "signal_follow_up"


@dataclass(frozen=True)
class SignalStepRow:
    """A step of a signal's life: the officer's (raised, handled, monitored, cleared) or a
    supervisor's follow-up (``follow_up`` "escalate", "reassign" or "clear"). ``step`` is the
    status the signal had after it (escalating and reassigning leave the status as it was)."""

    step: SignalStatus
    at: datetime
    user_name: str
    reason: str
    follow_up: str = ""  # "" for a step of the officer's life cycle
    severity: Severity | None = None  # escalate: the new severity
    officer_name: str = ""  # reassign: who handles the signal now
    officer_id: str = ""


@dataclass(frozen=True)
class SignalRow:
    id: str
    title: str
    description: str
    category: SignalCategory
    severity: Severity
    source: SignalSource
    source_ref: str
    origin: Text  # where it came from: the item, the collateral, the officer; which visit
    status: SignalStatus
    raised_on: date
    this_visit: bool
    automatic: bool
    steps: tuple[SignalStepRow, ...]
    # Automatic signals are stored with their Chinese title (the bank's record); the English
    # one is derived again from the same template or policy for an English-speaking screen.
    title_en: str = ""
    event: bool = False  # proposes a special inspection (domain.schedule.OpenSignal)

    def title_in(self, lang: str = "zh") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title

    @property
    def origin_zh(self) -> str:  # read by the visit-editing tests
        return self.origin.zh


class VisitFindings(VisitEditing):
    """Collateral observations and warning signals of a visit."""

    # -- collateral ----------------------------------------------------------------------------

    def collateral_of(self, visit_id: str) -> list[CollateralRow]:
        """The borrower's register (and items found on site), each with this visit's finding."""
        with self.read() as s:
            visit = s.get_one(Visit, visit_id)
            observations = {
                o.collateral_item_id: o
                for o in s.scalars(
                    select(CollateralObservation).where(CollateralObservation.visit_id == visit_id)
                )
            }
            photos = Counter(s.scalars(
                select(Photo.collateral_item_id).where(
                    Photo.visit_id == visit_id, Photo.collateral_item_id.is_not(None)
                )
            ))
            items = s.scalars(
                select(CollateralItem).where(CollateralItem.borrower_id == visit.borrower_id)
                .order_by(CollateralItem.found_on_site, CollateralItem.description)
            )
            rows = []
            for item in items:
                o = observations.get(item.id)
                observed = None if o is None else ObservationRow(
                    o.status, o.condition, o.location_checked, o.estimated_value_fen,
                    o.insurance_valid, o.certificate_held, o.note,
                    change_percent(item.appraised_value_fen, o.estimated_value_fen),
                    o.registered_quantity_milli, o.found_quantity_milli, o.quantity_unit,
                    quantity_shortfall(o.registered_quantity_milli, o.found_quantity_milli),
                )
                rows.append(CollateralRow(
                    item.id, item.kind, item.description, item.location,
                    item.appraised_value_fen, item.pledged_value_fen, item.certificate_no,
                    item.found_on_site, observed, photos[item.id],
                ))
            return rows

    def observe_collateral(
        self,
        visit_id: str,
        user: Actor,
        item_id: str,
        *,
        status: CollateralStatus,
        condition: str = "",
        location_checked: bool = False,
        estimated_value_fen: int | None = None,
        insurance_valid: bool | None = None,
        certificate_held: bool | None = None,
        note: str = "",
        registered_quantity_milli: int | None = None,
        found_quantity_milli: int | None = None,
        quantity_unit: str = "",
    ) -> Changes:
        """Record (or change) what the officer found for one collateral item; quantities in
        thousandths of ``quantity_unit`` (domain.quantity) for a partial shortage."""
        if estimated_value_fen is not None and (
                problem := estimate_problem(estimated_value_fen)) is not None:
            raise EditError(problem)
        if (problem := quantity_problem(registered_quantity_milli,
                                        found_quantity_milli)) is not None:
            raise EditError(problem)
        quantity_unit = quantity_unit.strip()
        check_text({"observation.condition": condition, "observation.note": note,
                    "observation.quantity_unit": quantity_unit})
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            item = s.get_one(CollateralItem, item_id)
            if item.borrower_id != visit.borrower_id:
                raise EditError(
                    Text("该抵质押物不属于本借款人", "that collateral is not this borrower's")
                )
            row = s.scalar(select(CollateralObservation).where(
                CollateralObservation.visit_id == visit_id,
                CollateralObservation.collateral_item_id == item_id,
            ))
            if row is None:
                row = CollateralObservation(visit_id=visit_id, collateral_item_id=item_id,
                                            status=status)
                s.add(row)
            row.status, row.condition, row.location_checked = status, condition, location_checked
            row.estimated_value_fen = estimated_value_fen
            row.insurance_valid, row.certificate_held, row.note = (
                insurance_valid, certificate_held, note
            )
            row.registered_quantity_milli = registered_quantity_milli
            row.found_quantity_milli = found_quantity_milli
            row.quantity_unit = quantity_unit
            s.flush()
            self.audit(s, user.id, "collateral.observe", "collateral_item", item_id,
                       visit=visit_id, status=status.value)
            found = self.refresh_findings(s, visit, user)
        return Changes.of(visit_id, collateral=[item_id]) | found

    def add_found_collateral(
        self,
        visit_id: str,
        user: Actor,
        *,
        kind: CollateralKind,
        description: str,
        location: str = "",
        estimated_value_fen: int,
    ) -> str:
        """create_found_collateral(), for a caller that only wants the new item's id."""
        return self.create_found_collateral(
            visit_id, user, kind=kind, description=description, location=location,
            estimated_value_fen=estimated_value_fen,
        ).id

    def create_found_collateral(
        self,
        visit_id: str,
        user: Actor,
        *,
        kind: CollateralKind,
        description: str,
        location: str = "",
        estimated_value_fen: int,
    ) -> Created:
        """An item found on site that is not in the register; observed as present."""
        if not description.strip():
            raise EditError(Text("请填写抵质押物名称", "describe the item"))
        if (problem := estimate_problem(estimated_value_fen)) is not None:
            raise EditError(problem)
        check_text({"found_item.description": description.strip(),
                    "found_item.location": location.strip()})
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            item = CollateralItem(
                borrower_id=visit.borrower_id, kind=kind, description=description.strip(),
                location=location.strip(), appraised_value_fen=estimated_value_fen,
                pledged_value_fen=0, found_on_site=True,
            )
            s.add(item)
            s.flush()
            s.add(CollateralObservation(
                visit_id=visit_id, collateral_item_id=item.id, status=CollateralStatus.PRESENT,
                location_checked=True, estimated_value_fen=estimated_value_fen,
            ))
            self.audit(s, user.id, "collateral.found", "collateral_item", item.id,
                       visit=visit_id)
            item_id = item.id
        return Created(item_id, Changes.of(visit_id, collateral=[item_id]))

    # -- signals -------------------------------------------------------------------------------

    def signals_of(self, visit_id: str) -> list[SignalRow]:
        """This visit's signals (gravest first), then the borrower's earlier ones still open."""
        with self.read() as s:
            visit = s.get_one(Visit, visit_id)
            signals = list(s.scalars(select(RiskSignal).where(or_(
                RiskSignal.visit_id == visit_id,
                (RiskSignal.borrower_id == visit.borrower_id)
                & (RiskSignal.status != SignalStatus.CLEARED),
            ))))
            users = dict(s.execute(select(User.id, User.display_name)).all())
            questions = {i.code: i.question for i in visit_checklist(visit).items()}
            items = {
                c.id: c for c in s.scalars(
                    select(CollateralItem).where(CollateralItem.borrower_id == visit.borrower_id)
                )
            }
            english = {
                (w.source, w.source_ref): w.title_en
                for w in wanted_signals(s, visit, visit_checklist(visit), self.policy)
            }
            follow_ups = _follow_ups(s, [sig.id for sig in signals])
            rows = [
                _signal_row(sig, visit_id, users, questions, items, english,
                            follow_ups.get(sig.id, []))
                for sig in signals
            ]
        rows.sort(key=lambda r: (not r.this_visit, -r.severity.rank, r.raised_on, r.title))
        return rows

    def add_manual_signal(
        self,
        visit_id: str,
        user: Actor,
        *,
        category: SignalCategory,
        severity: Severity,
        title: str,
        description: str = "",
        event: bool = False,
    ) -> str:
        """create_manual_signal(), for a caller that only wants the new signal's id."""
        return self.create_manual_signal(
            visit_id, user, category=category, severity=severity, title=title,
            description=description, event=event,
        ).id

    def create_manual_signal(
        self,
        visit_id: str,
        user: Actor,
        *,
        category: SignalCategory,
        severity: Severity,
        title: str,
        description: str = "",
        event: bool = False,
    ) -> Created:
        """A signal the officer raises by hand; it counts for the classification like any.
        ``event``: it records an event (death, jail, absconding, litigation, a news item) that
        proposes a special inspection."""
        if not title.strip():
            raise EditError(Text("请填写预警信号的标题", "give the signal a title"))
        check_text({"signal.title": title.strip(),
                    "signal.description": description.strip()})
        with self.write() as s:
            visit = s.get_one(Visit, visit_id)
            signal = RiskSignal(
                borrower_id=visit.borrower_id, visit_id=visit_id, category=category,
                severity=severity, source=SignalSource.OFFICER, source_ref="",
                title=title.strip(), description=description.strip(),
                status=SignalStatus.RAISED, raised_on=visit.visit_date, event=event,
            )
            s.add(signal)
            s.flush()
            s.add(RiskSignalStep(signal_id=signal.id, step=SignalStatus.RAISED, user_id=user.id,
                                 at=utcnow(), reason=description.strip()))
            self.audit(s, user.id, "signal.raise", "risk_signal", signal.id,
                       severity=severity.value, category=category.value, visit=visit_id,
                       event=event)
            found = self.refresh_findings(s, visit, user)
            refresh_schedule(s, self.policy, [visit.borrower_id])
            changes = Changes.of(visit_id, borrower_id=visit.borrower_id,
                                 signals=[signal.id]) | found
        return Created(signal.id, changes)

    def remove_manual_signal(self, signal_id: str, user: Actor) -> Changes:
        """Withdraw a signal the officer added on this (still editable) visit."""
        with self.write() as s:
            signal = s.get_one(RiskSignal, signal_id)
            visit = s.get(Visit, signal.visit_id) if signal.visit_id else None
            if signal.source is not SignalSource.OFFICER or visit is None or visit.status.locked:
                raise EditError(Text("只能撤回本次检查中手工添加的预警信号",
                                     "only a signal added by hand on this visit can be withdrawn"))
            s.delete(signal)
            s.flush()
            self.audit(s, user.id, "signal.withdraw", "risk_signal", signal_id,
                       visit=visit.id)
            found = self.refresh_findings(s, visit, user)
            refresh_schedule(s, self.policy, [visit.borrower_id])
            return Changes.of(visit.id, borrower_id=visit.borrower_id,
                              signals=[signal_id]) | found


def _signal_row(
    sig: RiskSignal,
    visit_id: str,
    users: dict[str, str],
    questions: dict[str, Text],
    items: dict[str, CollateralItem],
    english: dict[tuple[SignalSource, str], str],
    follow_ups: list[dict[str, Any]],
) -> SignalRow:
    origin = Text("客户经理手工发起", "added by the officer")
    if sig.source is SignalSource.CHECKLIST:
        # By its question: the item's code (source_ref) files it, officers do not go by it.
        question = questions.get(sig.source_ref)
        origin = (Text(f"检查项「{question.zh}」", f"checklist item “{question.en}”")
                  if question else Text("以往检查的检查项", "a checklist item of an earlier visit"))
    elif sig.source is SignalSource.COLLATERAL:
        item = items.get(sig.source_ref.split(":")[0])
        origin = (Text(f"抵质押物「{item.description}」", f"collateral “{item.description}”")
                  if item else Text("抵质押物", "collateral"))
    if sig.visit_id != visit_id:
        origin += Text(f"（{sig.raised_on} 的检查发起）", f" (earlier visit, {sig.raised_on})")
    steps = _with_follow_ups(
        [SignalStepRow(st.step, st.at, users.get(st.user_id, ""), st.reason)
         for st in sig.steps],
        follow_ups, users,
    )
    return SignalRow(
        sig.id, sig.title, sig.description, sig.category, sig.severity, sig.source,
        sig.source_ref, origin, sig.status, sig.raised_on,
        sig.visit_id == visit_id, sig.source in AUTOMATIC, steps,
        english.get((sig.source, sig.source_ref), ""), sig.event,
    )


def _follow_ups(session: Session, signal_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The follow-up documents of these signals, by signal id."""
    out: dict[str, list[dict[str, Any]]] = {}
    if not signal_ids:
        return out
    signal_of = ReferenceDoc.data["signal_id"].as_string()
    for start in range(0, len(signal_ids), 500):
        for doc in session.scalars(select(ReferenceDoc).where(
            ReferenceDoc.entity == FOLLOW_UP, ReferenceDoc.deleted.is_(False),
            signal_of.in_(signal_ids[start:start + 500]),
        )):
            out.setdefault(str(doc.data.get("signal_id")), []).append(dict(doc.data))
    return out


def _with_follow_ups(
    steps: list[SignalStepRow], follow_ups: list[dict[str, Any]], users: dict[str, str]
) -> tuple[SignalStepRow, ...]:
    """The officer's steps and the supervisors' follow-ups in the order they happened. A
    clearance is a step of the signal already (by the supervisor, with the same reason): that
    step is marked as the follow-up instead of listed twice."""
    extra: list[SignalStepRow] = []
    for data in follow_ups:
        try:
            at = datetime.fromisoformat(str(data.get("at")))
        except ValueError:
            continue
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        action, reason = str(data.get("action") or ""), str(data.get("reason") or "")
        who = users.get(str(data.get("user_id")), "") or str(data.get("user_name") or "")
        if action == "clear":
            same = next((i for i, st in enumerate(steps) if st.step is SignalStatus.CLEARED
                         and not st.follow_up and st.reason == reason), None)
            if same is not None:
                steps[same] = replace(steps[same], follow_up="clear",
                                      user_name=steps[same].user_name or who)
                continue
            extra.append(SignalStepRow(SignalStatus.CLEARED, at, who, reason, "clear"))
        elif action == "escalate":
            try:
                severity = Severity(str(data.get("severity")))
            except ValueError:
                continue
            extra.append(SignalStepRow(SignalStatus.RAISED, at, who, reason, "escalate",
                                       severity=severity))
        elif action == "reassign":
            officer = str(data.get("officer_id") or "")
            extra.append(SignalStepRow(SignalStatus.RAISED, at, who, reason, "reassign",
                                       officer_name=users.get(officer, ""),
                                       officer_id=officer))
    merged = sorted(steps + extra, key=lambda st: st.at)
    # Escalating and reassigning leave the status as the step before it left it.
    status = SignalStatus.RAISED
    out: list[SignalStepRow] = []
    for st in merged:
        if st.follow_up in ("escalate", "reassign"):
            st = replace(st, step=status)
        status = st.step
        out.append(st)
    return tuple(out)
