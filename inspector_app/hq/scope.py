"""Who may see what, as SQL conditions, so a pull filters in the database, not in Python.

- officer: borrowers assigned to them (and those borrowers' loans, collateral, guarantors),
  their own visits and the reviews of those, supervisors' follow-ups on their borrowers'
  signals (and on a signal reassigned to them), themselves and their supervisor;
- supervisor: the same for every officer whose supervisor they are (their team), plus
  themselves; they review their team's visits;
- admin: reference data only (branches, users, templates, policy). Borrowers and visits are
  need-to-know: an administrator runs the portfolio through the CLI and sees no borrower's
  file or visit through the API.
Everyone sees branches, templates and the policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true

from inspector_app.domain.enums import Role
from inspector_app.hq.changes import BORROWER_ENTITIES, EVERYONE_ENTITIES, OFFICER_ENTITIES
from inspector_app.hq.models import Assignment, User
from inspector_app.hq.models import ChangeLogEntry as Entry


@dataclass(frozen=True)
class Principal:
    """The user behind a request, and the device it came from."""

    user_id: str
    username: str
    display_name: str
    role: Role
    supervisor_id: str | None
    device_id: str


def team_ids(p: Principal) -> Select[str]:
    return select(User.id).where(User.supervisor_id == p.user_id)


def officer_ids(p: Principal) -> Select[str] | None:
    """Officers whose visits (and reviews) p may see; None: nobody's."""
    if p.role is Role.OFFICER:
        return select(User.id).where(User.id == p.user_id)
    if p.role is Role.SUPERVISOR:
        return team_ids(p)
    return None


def borrower_ids(p: Principal) -> Select[str] | None:
    """Borrowers p may see; None: none at all."""
    officers = officer_ids(p)
    if officers is None:
        return None
    return select(Assignment.borrower_id).where(Assignment.officer_id.in_(officers))


def user_condition(p: Principal) -> ColumnElement[bool]:
    if p.role is Role.ADMIN:
        return true()
    if p.role is Role.SUPERVISOR:
        return or_(User.id == p.user_id, User.id.in_(team_ids(p)))
    mine = User.id == p.user_id
    # "is not None": pull builds this once with bound parameters in place of the ids.
    return or_(mine, User.id == p.supervisor_id) if p.supervisor_id is not None else mine


def may_see_officer(p: Principal, officer_id: str, officer_supervisor_id: str | None) -> bool:
    if p.role is Role.OFFICER:
        return officer_id == p.user_id
    if p.role is Role.SUPERVISOR:
        return officer_supervisor_id == p.user_id
    return False


def pull_condition(p: Principal) -> ColumnElement[bool]:
    """Change-log rows p may pull. Tombstones go only to their audience."""
    shared = and_(Entry.audience_user_id.is_(None), Entry.entity.in_(EVERYONE_ENTITIES))
    visible_users = select(User.id).where(user_condition(p))
    users = and_(Entry.audience_user_id.is_(None), Entry.entity == "user",
                 Entry.entity_id.in_(visible_users))
    parts = [shared, users, Entry.audience_user_id == p.user_id]
    borrowers, officers = borrower_ids(p), officer_ids(p)
    if borrowers is not None:
        parts.append(and_(Entry.audience_user_id.is_(None),
                          Entry.entity.in_(BORROWER_ENTITIES),
                          Entry.borrower_id.in_(borrowers)))
    if officers is not None:
        parts.append(and_(Entry.audience_user_id.is_(None),
                          Entry.entity.in_(OFFICER_ENTITIES),
                          Entry.officer_id.in_(officers)))
    return or_(*parts)


def visit_feed_condition(p: Principal) -> ColumnElement[bool]:
    officers = officer_ids(p)
    if officers is None:
        return false()
    return and_(Entry.entity == "visit", Entry.officer_id.in_(officers))
