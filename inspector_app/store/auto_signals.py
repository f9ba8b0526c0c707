"""Warning signals that follow from what the officer recorded, kept true after every edit.

An abnormal answer or a collateral finding raises its signal at once; changing the answer
back withdraws it (while the visit is still a draft nothing has been reported, so a signal
that no longer has a cause would only mislead the supervisor). The recommended
classification is derived again in the same transaction, so what the conclusion page shows
is always what the recorded facts imply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.common.clock import utcnow
from inspector_app.common.text import Text
from inspector_app.domain.checklist import Checklist, raised_signals
from inspector_app.domain.classification import (
    SignalFact,
    collateral_drop_signal,
    collateral_quantity_signal,
    collateral_status_signal,
    one_collateral_signal,
)
from inspector_app.domain.enums import (
    Severity,
    SignalCategory,
    SignalSource,
    SignalStatus,
)
from inspector_app.domain.policy import Policy
from inspector_app.domain.quantity import quantity_of
from inspector_app.store.models import (
    CollateralItem,
    CollateralObservation,
    RiskSignal,
    RiskSignalStep,
    Visit,
)
from inspector_app.store.recommendation import recommend
from inspector_app.store.visit_checks import answer_states, visit_checklist

AUTOMATIC = (SignalSource.CHECKLIST, SignalSource.COLLATERAL)
# The reason on an automatic signal's "raised" step; stored as one string, as steps' reasons
# typed by an officer are.
RAISED_AUTOMATICALLY = Text("自动发起", "raised automatically")


@dataclass(frozen=True)
class WantedSignal:
    """A signal the recorded facts call for, keyed by source and source_ref."""

    source: SignalSource
    source_ref: str
    category: SignalCategory
    severity: Severity
    title: str
    title_en: str
    description: str
    event: bool = False


def wanted_signals(
    session: Session, visit: Visit, checklist: Checklist, policy: Policy
) -> list[WantedSignal]:
    """Every automatic signal the visit's answers and collateral observations call for."""
    wanted = [
        WantedSignal(
            SignalSource.CHECKLIST, item.code, spec.category, spec.severity, spec.title.zh,
            spec.title.en, f"{item.code} {item.question.zh}", spec.event,
        )
        for item, spec in raised_signals(checklist, answer_states(session, visit, checklist))
    ]
    rows = session.execute(
        select(CollateralObservation, CollateralItem)
        .join(CollateralItem, CollateralObservation.collateral_item_id == CollateralItem.id)
        .where(CollateralObservation.visit_id == visit.id)
        .order_by(CollateralItem.description)
    )
    for observation, item in rows:
        fact = observed_signal(observation, item, policy)
        if fact is not None:
            # One signal per item, keyed by the item: one fact seen on site is one signal.
            wanted.append(WantedSignal(
                SignalSource.COLLATERAL, item.id, fact.category, fact.severity, fact.title,
                fact.title_en, f"{item.kind.zh}：{item.description}", fact.event,
            ))
    return wanted


def observed_signal(
    observation: CollateralObservation, item: CollateralItem, policy: Policy
) -> SignalFact | None:
    """The one signal an item's observation raises: its status, a fall in value and a quantity
    short together (domain.classification.one_collateral_signal)."""
    findings: list[SignalFact | None] = [collateral_status_signal(observation.status, policy)]
    # A register entry with no appraisal, or no registered quantity, compares with nothing:
    # the completion check names it; no signal is made up for it.
    if observation.estimated_value_fen is not None and item.appraised_value_fen > 0:
        findings.append(collateral_drop_signal(
            Decimal(item.appraised_value_fen), Decimal(observation.estimated_value_fen), policy,
        ))
    registered, found = observation.registered_quantity_milli, observation.found_quantity_milli
    if registered and found is not None:
        findings.append(collateral_quantity_signal(
            quantity_of(registered), quantity_of(found), observation.quantity_unit, policy,
        ))
    return one_collateral_signal(findings)


def reconcile(
    session: Session, visit: Visit, checklist: Checklist, policy: Policy, user_id: str
) -> bool:
    """Raise, update and withdraw this visit's automatic signals; True if any changed.

    Also stores the recommended classification the signals now imply.
    """
    wanted = {
        (w.source, w.source_ref): w for w in wanted_signals(session, visit, checklist, policy)
    }
    existing = {
        (s.source, s.source_ref): s
        for s in session.scalars(
            select(RiskSignal).where(
                RiskSignal.visit_id == visit.id, RiskSignal.source.in_(AUTOMATIC)
            )
        )
    }
    changed = False
    for key, stale in existing.items():
        if key not in wanted:
            session.delete(stale)  # its cause was corrected before anything was reported
            changed = True
    for key, want in wanted.items():
        signal = existing.get(key)
        if signal is None:
            signal = RiskSignal(
                borrower_id=visit.borrower_id, visit_id=visit.id, source=want.source,
                source_ref=want.source_ref, status=SignalStatus.RAISED,
                raised_on=visit.visit_date, category=want.category, severity=want.severity,
                title=want.title, description=want.description, event=want.event,
            )
            session.add(signal)
            session.flush()
            session.add(RiskSignalStep(
                signal_id=signal.id, step=SignalStatus.RAISED, user_id=user_id, at=utcnow(),
                reason=str(RAISED_AUTOMATICALLY),
            ))
            changed = True
        elif (signal.category, signal.severity, signal.title, signal.event) != (
            want.category, want.severity, want.title, want.event
        ):
            signal.category, signal.severity, signal.title, signal.event = (
                want.category, want.severity, want.title, want.event
            )
            changed = True
    session.flush()
    recommendation = recommend(session, visit, policy)
    if visit.recommended_classification is not recommendation.classification:
        visit.recommended_classification = recommendation.classification
        changed = True
    return changed


def english_titles(
    session: Session, signals: Iterable[RiskSignal], policy: Policy
) -> dict[str, str]:
    """The English title of each automatic signal among signals, by id.

    They are stored in Chinese only (the bank's record); the English is derived again from
    the template or policy rule that raised them, as the visit's facts stand.
    """
    by_visit: dict[str, list[RiskSignal]] = {}
    for signal in signals:
        if signal.source in AUTOMATIC and signal.visit_id is not None:
            by_visit.setdefault(signal.visit_id, []).append(signal)
    titles: dict[str, str] = {}
    for visit_id, raised in by_visit.items():
        visit = session.get_one(Visit, visit_id)
        wanted = {(w.source, w.source_ref): w.title_en
                  for w in wanted_signals(session, visit, visit_checklist(visit), policy)}
        titles.update({s.id: wanted[s.source, s.source_ref] for s in raised
                       if (s.source, s.source_ref) in wanted})
    return titles
