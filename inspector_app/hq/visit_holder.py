"""Who answers for a signed visit now: its officer, unless a completed handover passed it on.

A handover (hq.handover) moves the borrowers' signed visits to the new officer as their file
(handover_visits, kind "file"); the visit itself stays the old officer's, who signed it. What
happens to it afterwards is the new officer's business: a supervisor's decision reaches them
(and still the officer who signed it), and a visit returned with comments is revised by them
as a new revision of their own. After several handovers, the latest one's taker holds it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import Session

from inspector_app.hq.models import Handover, HandoverVisit, Visit


def latest_taker(visit_id: Any) -> ScalarSelect[str | None]:
    """The officer the visit's latest completed handover gave it to (NULL if none); visit_id
    a value, a bind parameter or a correlated column. (handover_visits rows are written only
    when a handover completes.)"""
    return (select(HandoverVisit.taker_id)
            .join(Handover, Handover.id == HandoverVisit.handover_id)
            .where(HandoverVisit.visit_id == visit_id)
            .order_by(Handover.completed_at.desc())
            .limit(1).scalar_subquery())


def visit_holder(session: Session, visit: Visit) -> str:
    """The officer who answers for the visit now (see the module's docstring)."""
    return session.scalar(select(latest_taker(visit.id))) or visit.officer_id


def officers_told(session: Session, visit: Visit) -> list[str]:
    """Whom a decision on the visit is pulled by: its officer, and its holder if another."""
    holder = visit_holder(session, visit)
    return [visit.officer_id] if holder == visit.officer_id else [visit.officer_id, holder]
