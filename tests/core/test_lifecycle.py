"""Visit life cycle: legal steps, illegal ones refused clearly, every step audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from inspector_app.domain.enums import Role, VisitStatus
from inspector_app.domain.lifecycle import (
    TRANSITIONS,
    TransitionError,
    allowed_targets,
    check_transition,
)
from inspector_app.store.local import LocalStore
from inspector_app.store.models import AuditEntry, ChecklistAnswer, Visit

S = VisitStatus


@pytest.mark.parametrize("t", TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}")
def test_each_legal_transition_is_accepted_for_its_role(t) -> None:
    role = next(iter(t.roles))
    assert check_transition(t.source, t.target, role, "because") is t


@pytest.mark.parametrize(
    ("source", "target"),
    [(S.DRAFT, S.SIGNED), (S.DRAFT, S.APPROVED), (S.SIGNED, S.DRAFT), (S.APPROVED, S.DRAFT),
     (S.RETURNED, S.COMPLETED), (S.COMPLETED, S.SUBMITTED), (S.SUBMITTED, S.SIGNED)],
)
def test_illegal_transitions_name_what_is_allowed(source: S, target: S) -> None:
    with pytest.raises(TransitionError) as info:
        check_transition(source, target, Role.OFFICER)
    msg = str(info.value)
    assert f"from {source} to {target}" in msg
    assert "allowed" in msg


def test_only_a_supervisor_approves_or_returns() -> None:
    with pytest.raises(TransitionError, match="officer cannot"):
        check_transition(S.SUBMITTED, S.APPROVED, Role.OFFICER)
    with pytest.raises(TransitionError, match="supervisor cannot"):
        check_transition(S.COMPLETED, S.SIGNED, Role.SUPERVISOR)


def test_returning_needs_a_reason() -> None:
    with pytest.raises(TransitionError, match="needs a reason"):
        check_transition(S.SUBMITTED, S.RETURNED, Role.SUPERVISOR, "  ")
    check_transition(S.SUBMITTED, S.RETURNED, Role.SUPERVISOR, "照片不清晰")


def test_approved_is_final() -> None:
    assert allowed_targets(S.APPROVED) == []


def _audit(store: LocalStore, visit_id: str) -> list[AuditEntry]:
    with store.read() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_id == visit_id, AuditEntry.action == "visit.transition")
                .order_by(AuditEntry.seq)
            )
        )


def test_walk_through_review_and_revision_is_audited(store: LocalStore, portfolio, monkeypatch):
    # The checklist is not under test here: treat the visit as complete.
    monkeypatch.setattr(LocalStore, "_require_complete", lambda self, s, v: None)
    p = portfolio
    with store.write() as s:
        s.add(ChecklistAnswer(visit_id=p.visit_id, item_code="R-1", value="no", note="逾期"))
    store.transition(p.visit_id, p.officer, S.COMPLETED)
    store.transition(p.visit_id, p.officer, S.SIGNED)
    store.transition(p.visit_id, p.officer, S.SUBMITTED)
    store.transition(p.visit_id, p.supervisor, S.RETURNED, "请补充存货照片")

    steps = _audit(store, p.visit_id)
    assert [(e.detail["source"], e.detail["target"]) for e in steps] == [
        ("draft", "completed"), ("completed", "signed"), ("signed", "submitted"),
        ("submitted", "returned"),
    ]
    assert steps[-1].user_id == p.supervisor.id
    assert steps[-1].detail["reason"] == "请补充存货照片"
    assert all(e.at is not None for e in steps)

    new = store.new_revision(p.visit_id, p.officer, "补充照片")
    with store.read() as s:
        revised = s.get_one(Visit, new.id)
        assert (revised.revision, revised.status) == (2, S.DRAFT)
        assert revised.previous_revision_id == p.visit_id
        assert [(a.item_code, a.value, a.note) for a in revised.answers] == [("R-1", "no", "逾期")]
        assert s.get_one(Visit, p.visit_id).status is S.RETURNED

    # A second revision of the same visit would fork its history: refused, nothing added.
    with pytest.raises(TransitionError, match="already has a new revision"):
        store.new_revision(p.visit_id, p.officer, "再改一次")
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Visit)
                        .where(Visit.previous_revision_id == p.visit_id)) == 1


def test_illegal_step_in_the_store_changes_nothing(store: LocalStore, portfolio) -> None:
    with pytest.raises(TransitionError):
        store.transition(portfolio.visit_id, portfolio.officer, S.SIGNED)
    with store.read() as s:
        assert s.get_one(Visit, portfolio.visit_id).status is S.DRAFT
    assert _audit(store, portfolio.visit_id) == []


def test_a_draft_is_edited_not_revised(store: LocalStore, portfolio) -> None:
    with pytest.raises(TransitionError, match="edited"):
        store.new_revision(portfolio.visit_id, portfolio.officer, "x")
