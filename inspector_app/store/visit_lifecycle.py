"""A visit's life cycle in the store: moving its status (audited, the due list kept true) and
copying a signed or returned visit into a new draft revision."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspector_app.common.text import Text
from inspector_app.domain.enums import VisitStatus
from inspector_app.domain.lifecycle import REVISABLE, TransitionError, check_transition
from inspector_app.store.base import StoreBase
from inspector_app.store.models import (
    Borrower,
    ChecklistAnswer,
    CollateralObservation,
    Note,
    Photo,
    Visit,
)
from inspector_app.store.rows import Actor, Changes, VisitRecord
from inspector_app.store.schedule_cache import refresh_schedule
from inspector_app.store.visit_checks import unmet_requirements


def visit_record(visit: Visit) -> VisitRecord:
    return VisitRecord(
        id=visit.id, borrower_id=visit.borrower_id, officer_id=visit.officer_id,
        kind=visit.kind, status=visit.status, visit_date=visit.visit_date,
        revision=visit.revision, template_code=visit.template_code,
        template_version=visit.template_version, template_refs=list(visit.template_refs),
    )


class VisitLifecycle(StoreBase):
    """LocalStore's life-cycle steps."""

    def transition(
        self, visit_id: str, user: Actor, target: VisitStatus, reason: str = ""
    ) -> Changes:
        """Move a visit along its life cycle, or raise TransitionError; audited."""
        with self.write() as s:
            visit = self.transition_in(s, s.get_one(Visit, visit_id), user, target, reason)
            return Changes.of(visit.id, borrower_id=visit.borrower_id, status=True)

    def transition_in(
        self, session: Session, visit: Visit, user: Actor, target: VisitStatus, reason: str = ""
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
            raise TransitionError(Text(
                f"检查尚有{len(unmet)}项未完成",
                f"the visit still has {len(unmet)} unmet requirement(s), first: "
                f"{unmet[0].text.en}",
            ))

    def new_revision(self, visit_id: str, user: Actor, reason: str) -> VisitRecord:
        """Copy a signed or returned visit into a new draft revision that points back to it,
        by the officer who looks after its borrower now (after a handover: the new one)."""
        if not reason.strip():
            raise TransitionError(Text("创建新版本需要填写原因", "a new revision needs a reason"))
        with self.write() as s:
            old = s.get_one(Visit, visit_id)
            if old.status not in REVISABLE:
                raise TransitionError(Text(
                    f"“{old.status.zh}”状态的检查可直接修改",
                    f"a {old.status} visit is edited directly; only signed, submitted or "
                    "returned visits get a new revision",
                ))
            _check_theirs_now(s, old, user)
            newer = s.scalar(select(Visit).where(Visit.previous_revision_id == old.id).limit(1))
            if newer is not None:  # one revision per visit: a second would fork its history
                raise TransitionError(Text(
                    f"该检查已有新版本（第{newer.revision}版），请继续修改该版本",
                    f"this visit already has a new revision (revision {newer.revision}); "
                    "continue with that one",
                ))
            new = _copy_visit(old)
            new.revision = old.revision + 1
            new.previous_revision_id = old.id
            new.officer_id = user.id
            s.add(new)
            s.flush()
            self.audit(
                s, user.id, "visit.revise", "visit", new.id, previous=old.id, reason=reason
            )
            return visit_record(new)


def _check_theirs_now(session: Session, old: Visit, user: Actor) -> None:
    """Whoever answers for the borrower now revises its visits: the officer who signed the
    visit while the borrower is theirs; after a handover, the officer who took it over (whose
    revision headquarters accepts), never the one who handed it over."""
    officer_id = session.scalar(select(Borrower.officer_id).where(Borrower.id == old.borrower_id))
    if officer_id != user.id:
        raise TransitionError(Text(
            "该客户已不由您负责，其检查记录由现任客户经理修订",
            "this borrower is no longer yours: the officer who looks after it now revises "
            "its visits",
        ))


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
        "insurance_valid", "certificate_held", "note", "registered_quantity_milli",
        "found_quantity_milli", "quantity_unit",
    )
    new.observations = [
        CollateralObservation(**{f: getattr(o, f) for f in obs_fields}) for o in old.observations
    ]
    return new
